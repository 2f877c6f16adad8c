/*
 * test_timestamp.c - RFC 3339 parsing and age formatting (lib/base/timestamp.c).
 *
 * Expected epoch values were computed independently (GNU date -u -d ... +%s and
 * Python's datetime.timestamp()), not with the code under test.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "timestamp.h"

/* text parses to exactly want (within 1 microsecond for fractions) */
static void parses_to(const char *text, double want)
{
	double got = -12345;
	char err[256] = "";
	int rc = timestamp_parse(text, &got, err, sizeof err);
	if (!ok(rc == 0 && fabs(got - want) < 1e-6, "'%s' = %.9f", text, want))
		printf("#   rc %d, got %.9f, err '%s'\n", rc, got, err);
}

/* text is rejected with a reason containing needle (NULL: any non-empty reason); output untouched */
static void rejects(const char *text, const char *needle, const char *why)
{
	double got = 777.0;
	char err[256] = "";
	int rc = timestamp_parse(text, &got, err, sizeof err);
	int good = rc == -1 && err[0] && got == 777.0 && (!needle || strstr(err, needle));
	if (!ok(good, "rejects '%s' (%s): %s", text ? text : "(null)", why, err))
		printf("#   rc %d, got %.9f, wanted reason containing '%s'\n", rc, got, needle ? needle : "");
}

static void fmt_is(double seconds, const char *want)
{
	char buf[64];
	memset(buf, 'x', sizeof buf);
	duration_format(seconds, buf, sizeof buf);
	is_str(buf, want, "duration_format(%.17g) = '%s'", seconds, want);
}

int main(void)
{
	/* Exact instants. */
	parses_to("1970-01-01T00:00:00Z", 0);
	parses_to("2015-08-30T12:36:00Z", 1440938160);
	parses_to("2025-11-15T14:30:00Z", 1763217000);
	parses_to("2000-01-01T00:00:00Z", 946684800);
	parses_to("1969-12-31T23:59:59Z", -1);
	parses_to("1900-01-01T00:00:00Z", -2208988800.0);
	parses_to("2038-01-19T03:14:08Z", 2147483648.0);
	parses_to("9999-12-31T23:59:59Z", 253402300799.0);

	/* Zone designators. */
	parses_to("2015-08-30T12:36:00z", 1440938160);
	parses_to("2015-08-30T14:36:00+02:00", 1440938160);
	parses_to("2015-08-30T14:36:00+0200", 1440938160);
	parses_to("2015-08-30T07:06:00-05:30", 1440938160);
	parses_to("2015-08-30T07:06:00-0530", 1440938160);
	parses_to("2015-08-30T12:36:00+00:00", 1440938160);
	parses_to("2015-08-30T12:36:00-00:00", 1440938160);
	parses_to("2015-08-31T00:35:00+11:59", 1440938160);
	parses_to("2015-08-29T12:38:00-23:59", 1440938160 + 60);
	/* an offset carries the instant over a date (and year) boundary */
	parses_to("1970-01-01T01:00:00+01:00", 0);
	parses_to("1969-12-31T19:00:00-05:00", 0);

	/* Separators. */
	parses_to("2015-08-30t12:36:00Z", 1440938160);
	parses_to("2015-08-30 12:36:00Z", 1440938160);

	/* Fractions of 1..9 digits (and more), '.' or ','. */
	parses_to("2015-08-30T12:36:00.5Z", 1440938160.5);
	parses_to("2015-08-30T12:36:00.25Z", 1440938160.25);
	parses_to("2015-08-30T12:36:00.125Z", 1440938160.125);
	parses_to("2015-08-30T12:36:00.0625Z", 1440938160.0625);
	parses_to("2015-08-30T12:36:00.03125Z", 1440938160.03125);
	parses_to("2015-08-30T12:36:00.857000+00:00", 1440938160.857);
	parses_to("2015-08-30T12:36:00.1234567Z", 1440938160.1234567);
	parses_to("2015-08-30T12:36:00.12345678Z", 1440938160.12345678);
	parses_to("2015-08-30T12:36:00.123456789Z", 1440938160.123456789);
	parses_to("2015-08-30T12:36:00.000000000000000000001Z", 1440938160);
	parses_to("2015-08-30T12:36:00,5Z", 1440938160.5);
	parses_to("1969-12-31T23:59:59.5Z", -0.5);
	parses_to("2015-08-30T14:36:00.75+02:00", 1440938160.75);

	/* Calendar: leap years and month lengths. */
	parses_to("2024-02-29T00:00:00Z", 1709164800);
	parses_to("2000-02-29T00:00:00Z", 951782400);
	parses_to("2024-12-31T23:59:59Z", 1735689599);
	parses_to("2023-04-30T00:00:00Z", 1682812800);
	rejects("2023-02-29T00:00:00Z", "day 29", "2023 is not a leap year");
	rejects("1900-02-29T00:00:00Z", "day 29", "1900 is not a leap year (century rule)");
	rejects("2100-02-29T00:00:00Z", "day 29", "2100 is not a leap year");
	rejects("2024-02-30T00:00:00Z", "day 30", "February never has 30 days");
	rejects("2023-04-31T00:00:00Z", "day 31", "April has 30 days");
	rejects("2023-01-32T00:00:00Z", "day 32", "day 32");
	rejects("2023-01-00T00:00:00Z", "day 0", "day 0");
	rejects("2023-13-01T00:00:00Z", "month 13", "month 13");
	rejects("2023-00-01T00:00:00Z", "month 0", "month 0");

	/* Time fields. */
	parses_to("2016-12-31T23:59:60Z", 1483228800); /* leap second: the next second */
	parses_to("2015-08-30T23:59:59Z", 1440979199);
	rejects("2015-08-30T24:00:00Z", "out of range", "hour 24");
	rejects("2015-08-30T12:60:00Z", "out of range", "minute 60");
	rejects("2015-08-30T12:36:61Z", "out of range", "second 61");
	rejects("2015-08-30T12:36:00+24:00", "offset", "offset hour 24");
	rejects("2015-08-30T12:36:00+02:60", "offset", "offset minute 60");
	rejects("2015-08-30T12:36:00+2:00", "offset", "one-digit offset hour");
	rejects("2015-08-30T12:36:00+02", "offset", "offset without minutes");
	rejects("2015-08-30T12:36:00+02:0", "offset", "one-digit offset minutes");
	rejects("2015-08-30T12:36:00+", "offset", "bare '+'");

	/* Shape. */
	rejects("2015-08-30T12:36:00", "time zone", "missing zone");
	rejects("2015-08-30T12:36:00.5", "time zone", "fraction, missing zone");
	rejects("2015-08-30T12:36:00ZZ", "after the time zone", "trailing junk");
	rejects("2015-08-30T12:36:00Z ", "after the time zone", "trailing space");
	rejects("2015-08-30T12:36:00+02:00x", "after the time zone", "junk after offset");
	rejects("2015-08-30T12:36:00.Z", "fractional", "empty fraction");
	rejects("2015-08-30T12:36Z", NULL, "no seconds");
	rejects("2015-08-30", "time", "date only");
	rejects("2015-08-30X12:36:00Z", "time", "bad separator");
	rejects("2015-08-30TT12:36:00Z", NULL, "doubled separator");
	rejects("20150830T123600Z", "date", "basic format");
	rejects("15-08-30T12:36:00Z", "date", "two-digit year");
	rejects("2015-8-30T12:36:00Z", "date", "one-digit month");
	rejects(" 2015-08-30T12:36:00Z", "date", "leading space");
	rejects("2015-08-30T1:36:00Z", "time", "one-digit hour");
	rejects("+2015-08-30T12:36:00Z", "date", "signed year");
	rejects("", "empty", "empty");
	rejects(NULL, "empty", "NULL");
	rejects("null", NULL, "the word null");
	rejects("1440938160", NULL, "epoch seconds number");
	rejects("2015", NULL, "year only, ends early");
	rejects("2015-08-30T12:", NULL, "ends inside the time");
	rejects("\x01\x02\xff", NULL, "binary garbage");
	rejects("2015-08-30T12:36:00\xc3\xa9", NULL, "non-ASCII zone");

	/* duration_format. */
	fmt_is(0, "0s");
	fmt_is(0.999, "0s");
	fmt_is(1, "1s");
	fmt_is(45, "45s");
	fmt_is(59.9, "59s");
	fmt_is(60, "1m");
	fmt_is(61, "1m 1s");
	fmt_is(600, "10m");
	fmt_is(3599, "59m 59s");
	fmt_is(3600, "1h");
	fmt_is(3660, "1h 1m");
	fmt_is(7500, "2h 5m");
	fmt_is(7505, "2h 5m");   /* seconds dropped once hours show */
	fmt_is(86399, "23h 59m");
	fmt_is(86400, "1d");
	fmt_is(3 * 86400 + 4 * 3600, "3d 4h");
	fmt_is(3 * 86400 + 4 * 3600 + 59 * 60, "3d 4h");
	fmt_is(3 * 86400 + 30 * 60, "3d");
	fmt_is(-45, "-45s");
	fmt_is(-7500, "-2h 5m");
	fmt_is(-(3 * 86400 + 4 * 3600), "-3d 4h");
	fmt_is(400 * 86400.0, "400d");
	fmt_is(1e12, "11574074d 1h");
	fmt_is(1e300, "11574074d 1h");   /* clamped, no overflow */
	fmt_is(-1e300, "-11574074d 1h");
	fmt_is(INFINITY, "?");
	fmt_is(NAN, "?");
	{
		char small[4];
		duration_format(3 * 86400 + 4 * 3600, small, sizeof small);
		is_str(small, "3d ", "duration_format truncates to the buffer and stays terminated");
	}
	return tap_done();
}
