/* timestamp.c - see timestamp.h. */
#include "timestamp.h"
#include "error.h"

#include <math.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Parse exactly n decimal digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

#define FAIL(...) do { error_set(err, errsz, __VA_ARGS__); return -1; } while (0)

int timestamp_parse(const char *text, double *epoch_seconds, char *err, size_t errsz)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int year, mon, day, hour, min, sec;
	double frac = 0;
	const char *p = text;

	if (!text || !*text)
		FAIL("empty timestamp");
	if (digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &mon) || *p++ != '-' ||
	    digits(&p, 2, &day))
		FAIL("not an ISO 8601 date (want YYYY-MM-DD)");
	if (*p != 'T' && *p != 't' && *p != ' ')
		FAIL("no time part after the date");
	p++;
	if (digits(&p, 2, &hour) || *p++ != ':' || digits(&p, 2, &min) || *p++ != ':' ||
	    digits(&p, 2, &sec))
		FAIL("not an ISO 8601 time (want hh:mm:ss)");
	if (*p == '.' || *p == ',') {
		double scale = 0.1;
		p++;
		if (*p < '0' || *p > '9')
			FAIL("empty fractional seconds");
		for (; *p >= '0' && *p <= '9'; p++) {
			frac += (*p - '0') * scale;
			scale /= 10;
		}
	}
	int offset = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1, oh, om;
		if (digits(&p, 2, &oh))
			FAIL("bad UTC offset");
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) || oh > 23 || om > 59)
			FAIL("bad UTC offset");
		offset = sign * (oh * 3600 + om * 60);
	} else {
		FAIL("no time zone (want Z or +hh:mm)");
	}
	if (*p)
		FAIL("unexpected text after the time zone");
	if (mon < 1 || mon > 12)
		FAIL("month %d out of range", mon);
	int dim = mdays[mon - 1] + (mon == 2 && is_leap(year));
	if (day < 1 || day > dim)
		FAIL("day %d out of range for month %d", day, mon);
	if (hour > 23 || min > 59 || sec > 60)
		FAIL("time %02d:%02d:%02d out of range", hour, min, sec);

	int64_t t = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec - offset;
	*epoch_seconds = (double)t + frac;
	return 0;
}

void duration_format(double seconds, char *buf, size_t bufsz)
{
	const char *sign = "";
	if (!isfinite(seconds)) {
		snprintf(buf, bufsz, "?");
		return;
	}
	if (seconds < 0) {
		sign = "-";
		seconds = -seconds;
	}
	if (seconds > 1e12)
		seconds = 1e12;
	int64_t s = (int64_t)floor(seconds);
	int64_t d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, sec = s % 60;
	if (d > 0)
		snprintf(buf, bufsz, h ? "%s%" PRId64 "d %" PRId64 "h" : "%s%" PRId64 "d", sign, d, h);
	else if (h > 0)
		snprintf(buf, bufsz, m ? "%s%" PRId64 "h %" PRId64 "m" : "%s%" PRId64 "h", sign, h, m);
	else if (m > 0)
		snprintf(buf, bufsz, sec ? "%s%" PRId64 "m %" PRId64 "s" : "%s%" PRId64 "m", sign, m, sec);
	else
		snprintf(buf, bufsz, "%s%" PRId64 "s", sign, sec);
}
