/*
 * test_range.c - threshold ranges (lib/result/range.c).
 *
 * The first block ports the range cases of monitoring-plugins'
 * lib/tests/test_utils.c (parse_range_string "6", "1:12%", "-7:23", ":5.75",
 * "~:-95.99", "12345678901234567890:", "~:0", "@0:657.8210567", "1:1", "2:1",
 * and the _set_thresholds / get_status cases NULL/NULL, NULL/"80", "5:33"/NULL,
 * "30"/"60"). One deliberate difference: upstream ignores the "%" in "1:12%"
 * (strtod stops there); this project rejects trailing junk, so "1:12%" is an
 * error here and "1:12" carries the upstream assertions.
 * The rest covers edges, units, int64 exactness, formatting and malformed input.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "range.h"
#include "tap.h"

static struct range R(const char *text, enum range_kind kind)
{
	struct range r;
	char err[256];
	memset(&r, 0x5a, sizeof(r));
	if (range_parse(text, kind, &r, err, sizeof(err)) != 0) {
		printf("# unexpected parse failure of '%s': %s\n", text, err);
		memset(&r, 0, sizeof(r));
	}
	return r;
}

static int parses(const char *text, enum range_kind kind)
{
	struct range r;
	char err[256];
	return range_parse(text, kind, &r, err, sizeof(err)) == 0;
}

/* printable form of text for a TAP line (control bytes as \xNN, long text cut) */
static const char *esc(const char *text, char out[128])
{
	size_t o = 0;
	if (!text)
		return "(null)";
	for (size_t i = 0; text[i] && o < 100; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c >= 0x20 && c < 0x7f)
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, 5, "\\x%02x", c);
	}
	if (o >= 100)
		memcpy(out + o, "...", 4);
	else
		out[o] = '\0';
	return out;
}

/* text must be rejected with a non-empty reason and *out untouched. */
static void rejects(const char *text, enum range_kind kind, const char *why)
{
	struct range r, before;
	char err[256] = "unset", e[128];
	int rc;
	memset(&r, 0x33, sizeof(r));
	before = r;
	rc = range_parse(text, kind, &r, err, sizeof(err));
	ok(rc == -1 && err[0] != '\0' && strcmp(err, "unset") != 0 && memcmp(&r, &before, sizeof(r)) == 0,
	   "'%s' rejected (%s): %s", esc(text, e), why, err);
}

static void rejects_with(const char *text, enum range_kind kind, const char *needle)
{
	struct range r;
	char err[256] = "";
	int rc = range_parse(text, kind, &r, err, sizeof(err));
	ok(rc == -1 && strstr(err, needle) != NULL, "'%s' rejected, reason mentions '%s': %s", text, needle, err);
}

static void fmt_is(const char *text, enum range_kind kind, const char *want)
{
	struct range r = R(text, kind), r2;
	char buf[256], buf2[256], err[256];
	int rc = range_format(&r, buf, sizeof(buf));
	is_str(rc == 0 ? buf : "(format failed)", want, "format('%s') = '%s'", text, want);
	/* round trip: parsing the formatted text (plain) gives the same range */
	ok(range_parse(buf, RANGE_PLAIN, &r2, err, sizeof(err)) == 0 && range_format(&r2, buf2, sizeof(buf2)) == 0 &&
	       strcmp(buf, buf2) == 0 && r2.start_infinite == r.start_infinite && r2.end_infinite == r.end_infinite &&
	       r2.alert_inside == r.alert_inside && (r.start_infinite || r2.start == r.start) &&
	       (r.end_infinite || r2.end == r.end) && r2.start_exact == r.start_exact && r2.end_exact == r.end_exact &&
	       (!r.start_exact || r2.start_i64 == r.start_i64) && (!r.end_exact || r2.end_i64 == r.end_i64),
	   "'%s' round-trips through format/parse", buf);
}

static void upstream_cases(void)
{
	struct range r;
	double temp;
	struct thresholds t;

	/* "6" */
	ok(parses("6", RANGE_PLAIN), "'6' is valid range");
	r = R("6", RANGE_PLAIN);
	ok(r.start == 0 && r.start_exact && r.start_i64 == 0, "'6': start correct");
	ok(!r.start_infinite, "'6': not using negative infinity");
	ok(r.end == 6 && r.end_i64 == 6, "'6': end correct");
	ok(!r.end_infinite, "'6': not using infinity");

	/* "1:12%" (upstream: percentage ignored; here: rejected) */
	rejects("1:12%", RANGE_PLAIN, "upstream ignores the %, we reject trailing junk");
	r = R("1:12", RANGE_PLAIN);
	ok(r.start == 1 && !r.start_infinite && r.end == 12 && !r.end_infinite, "'1:12': start/end correct");

	/* "-7:23" */
	ok(parses("-7:23", RANGE_PLAIN), "'-7:23' is valid range");
	r = R("-7:23", RANGE_PLAIN);
	ok(r.start == -7 && r.start_i64 == -7, "'-7:23': start correct");
	ok(!r.start_infinite, "'-7:23': not using negative infinity");
	ok(r.end == 23, "'-7:23': end correct");
	ok(!r.end_infinite, "'-7:23': not using infinity");

	/* ":5.75" */
	ok(parses(":5.75", RANGE_PLAIN), "':5.75' is valid range");
	r = R(":5.75", RANGE_PLAIN);
	ok(r.start == 0 && !r.start_infinite, "':5.75': start correct (0)");
	ok(r.end == 5.75 && !r.end_exact, "':5.75': end correct, not integral");
	ok(!r.end_infinite, "':5.75': not using infinity");

	/* "~:-95.99" */
	ok(parses("~:-95.99", RANGE_PLAIN), "'~:-95.99' is valid range");
	r = R("~:-95.99", RANGE_PLAIN);
	ok(r.start_infinite, "'~:-95.99': using negative infinity");
	ok(r.end == -95.99, "'~:-95.99': end correct");
	ok(!r.end_infinite, "'~:-95.99': not using infinity");

	/* "12345678901234567890:" (beyond int64: kept as a double) */
	ok(parses("12345678901234567890:", RANGE_PLAIN), "'12345678901234567890:' is valid range");
	r = R("12345678901234567890:", RANGE_PLAIN);
	temp = atof("12345678901234567890");
	ok(r.start == temp && !r.start_exact, "'12345678901234567890:': start correct (double)");
	ok(!r.start_infinite, "'12345678901234567890:': not using negative infinity");
	ok(r.end_infinite, "'12345678901234567890:': using infinity");
	ok(range_alerts_double(&r, temp / 1.1) == 1, "12345678901234567890/1.1 - alert");
	ok(range_alerts_double(&r, temp) == 0, "12345678901234567890 - no alert");
	ok(range_alerts_double(&r, temp * 2) == 0, "12345678901234567890*2 - no alert");
	ok(range_alerts_i64(&r, INT64_MAX) == 1, "INT64_MAX is below 12345678901234567890 - alert");

	/* "~:0" */
	ok(parses("~:0", RANGE_PLAIN), "'~:0' is valid range");
	r = R("~:0", RANGE_PLAIN);
	ok(r.start_infinite, "'~:0': using negative infinity");
	ok(r.end == 0 && !r.end_infinite, "'~:0': end correct");
	ok(!r.alert_inside, "'~:0': will alert on outside of this range");
	ok(range_alerts_double(&r, 0.5) == 1, "'~:0': 0.5 - alert");
	ok(range_alerts_double(&r, -10) == 0, "'~:0': -10 - no alert");
	ok(range_alerts_double(&r, 0) == 0, "'~:0': 0 - no alert");

	/* "@0:657.8210567" */
	ok(parses("@0:657.8210567", RANGE_PLAIN), "'@0:657.8210567' is a valid range");
	r = R("@0:657.8210567", RANGE_PLAIN);
	ok(r.start == 0 && !r.start_infinite, "'@0:657.8210567': start correct");
	ok(r.end == 657.8210567 && !r.end_infinite, "'@0:657.8210567': end correct");
	ok(r.alert_inside, "'@0:657.8210567': will alert on inside of this range");
	ok(range_alerts_double(&r, 32.88) == 1, "'@0:657.8210567': 32.88 - alert");
	ok(range_alerts_double(&r, -2) == 0, "'@0:657.8210567': -2 - no alert");
	ok(range_alerts_double(&r, 657.8210567) == 1, "'@0:657.8210567': 657.8210567 - alert");
	ok(range_alerts_double(&r, 0) == 1, "'@0:657.8210567': 0 - alert");

	/* "1:1" */
	ok(parses("1:1", RANGE_PLAIN), "'1:1' is a valid range");
	r = R("1:1", RANGE_PLAIN);
	ok(r.start == 1 && r.end == 1 && !r.start_infinite && !r.end_infinite, "'1:1': start/end correct");
	ok(range_alerts_double(&r, 0.5) == 1, "'1:1': 0.5 - alert");
	ok(range_alerts_double(&r, 1) == 0, "'1:1': 1 - no alert");
	ok(range_alerts_double(&r, 5.2) == 1, "'1:1': 5.2 - alert");

	/* "2:1" */
	rejects("2:1", RANGE_PLAIN, "start > end");

	/* _set_thresholds / get_status */
	memset(&t, 0, sizeof(t));
	ok(thresholds_check_double(&t, 1e9) == STATE_OK && thresholds_check_i64(&t, INT64_MIN) == STATE_OK,
	   "thresholds (NULL, NULL): nothing alerts");
	memset(&t, 0, sizeof(t));
	t.critical = R("80", RANGE_PLAIN);
	t.has_critical = 1;
	ok(t.critical.end == 80, "thresholds (NULL, '80'): critical set correctly");
	ok(thresholds_check_double(&t, 81) == STATE_CRITICAL, "thresholds (NULL, '80'): 81 critical");
	memset(&t, 0, sizeof(t));
	t.warning = R("5:33", RANGE_PLAIN);
	t.has_warning = 1;
	ok(t.warning.start == 5 && t.warning.end == 33, "thresholds ('5:33', NULL): warning start/end set");
	ok(thresholds_check_double(&t, 4) == STATE_WARNING && thresholds_check_double(&t, 20) == STATE_OK,
	   "thresholds ('5:33', NULL): 4 warning, 20 ok");
	memset(&t, 0, sizeof(t));
	t.warning = R("30", RANGE_PLAIN);
	t.critical = R("60", RANGE_PLAIN);
	t.has_warning = t.has_critical = 1;
	ok(t.warning.end == 30 && t.critical.end == 60, "thresholds ('30', '60') set correctly");
	is_int(thresholds_check_double(&t, 15.3), STATE_OK, "15.3 - ok");
	is_int(thresholds_check_double(&t, 30.0001), STATE_WARNING, "30.0001 - warning");
	is_int(thresholds_check_double(&t, 69), STATE_CRITICAL, "69 - critical");
}

static void edge_cases(void)
{
	struct range r;

	r = R("10", RANGE_PLAIN);
	ok(range_alerts_double(&r, -1) == 1, "'10': -1 alerts (bare N is 0..N)");
	ok(range_alerts_i64(&r, -1) == 1, "'10': -1 alerts (i64)");
	ok(range_alerts_double(&r, -0.001) == 1, "'10': -0.001 alerts");
	ok(range_alerts_double(&r, 0) == 0 && range_alerts_double(&r, 10) == 0, "'10': 0 and 10 do not alert");
	ok(range_alerts_double(&r, 10.0001) == 1 && range_alerts_i64(&r, 11) == 1, "'10': 10.0001 and 11 alert");
	ok(range_alerts_i64(&r, 0) == 0 && range_alerts_i64(&r, 10) == 0, "'10': 0 and 10 (i64) do not alert");

	r = R(":5", RANGE_PLAIN);
	ok(!r.start_infinite && r.start == 0 && r.end == 5 && !r.alert_inside, "':5' is 0..5");
	ok(range_alerts_i64(&r, -1) == 1 && range_alerts_i64(&r, 0) == 0 && range_alerts_i64(&r, 6) == 1,
	   "':5': -1 and 6 alert, 0 does not");

	r = R("10:", RANGE_PLAIN);
	ok(r.start == 10 && r.end_infinite && !r.start_infinite, "'10:' is 10..inf");
	ok(range_alerts_i64(&r, 9) == 1 && range_alerts_i64(&r, 10) == 0 && range_alerts_i64(&r, INT64_MAX) == 0,
	   "'10:': 9 alerts, 10 and INT64_MAX do not");
	ok(range_alerts_double(&r, INFINITY) == 0 && range_alerts_double(&r, 9.999) == 1, "'10:': +inf no, 9.999 alerts");

	r = R("~:10", RANGE_PLAIN);
	ok(range_alerts_i64(&r, INT64_MIN) == 0 && range_alerts_i64(&r, 11) == 1 && range_alerts_double(&r, -INFINITY) == 0,
	   "'~:10': INT64_MIN and -inf do not alert, 11 does");

	r = R("10:20", RANGE_PLAIN);
	ok(range_alerts_double(&r, 9.9) == 1 && range_alerts_double(&r, 10) == 0 && range_alerts_double(&r, 20) == 0 &&
	       range_alerts_double(&r, 20.1) == 1,
	   "'10:20': 9.9 and 20.1 alert, 10 and 20 do not");

	r = R("@10:20", RANGE_PLAIN);
	ok(r.alert_inside, "'@10:20' alerts inside");
	ok(range_alerts_double(&r, 10) == 1, "'@10:20': 10 alerts (inclusive)");
	ok(range_alerts_double(&r, 20) == 1, "'@10:20': 20 alerts (inclusive)");
	ok(range_alerts_double(&r, 15) == 1, "'@10:20': 15 alerts");
	ok(range_alerts_double(&r, 9.9) == 0, "'@10:20': 9.9 does not alert");
	ok(range_alerts_double(&r, 20.1) == 0, "'@10:20': 20.1 does not alert");
	ok(range_alerts_i64(&r, 10) == 1 && range_alerts_i64(&r, 20) == 1 && range_alerts_i64(&r, 9) == 0 &&
	       range_alerts_i64(&r, 21) == 0,
	   "'@10:20' (i64): 10, 20 alert; 9, 21 do not");

	r = R("~:", RANGE_PLAIN);
	ok(r.start_infinite && r.end_infinite, "'~:' is -inf..inf");
	ok(range_alerts_double(&r, -1e300) == 0 && range_alerts_double(&r, 1e300) == 0 &&
	       range_alerts_i64(&r, INT64_MIN) == 0 && range_alerts_i64(&r, INT64_MAX) == 0,
	   "'~:' never alerts");
	r = R("@~:", RANGE_PLAIN);
	ok(range_alerts_double(&r, 0) == 1 && range_alerts_i64(&r, INT64_MIN) == 1, "'@~:' always alerts (as upstream)");

	r = R(":", RANGE_PLAIN);
	ok(!r.start_infinite && r.start == 0 && r.end_infinite, "':' is 0..inf (as upstream)");
	ok(range_alerts_i64(&r, -1) == 1 && range_alerts_i64(&r, 0) == 0, "':': -1 alerts, 0 does not");

	r = R("@5", RANGE_PLAIN);
	ok(range_alerts_double(&r, 0) == 1 && range_alerts_double(&r, 5) == 1 && range_alerts_double(&r, 5.5) == 0 &&
	       range_alerts_double(&r, -1) == 0,
	   "'@5' alerts inside 0..5");

	r = R("-10:-5", RANGE_PLAIN);
	ok(range_alerts_i64(&r, -7) == 0 && range_alerts_i64(&r, -11) == 1 && range_alerts_i64(&r, -4) == 1,
	   "'-10:-5': negative ranges");
	r = R("+3:+4.5", RANGE_PLAIN);
	ok(r.start == 3 && r.end == 4.5, "'+3:+4.5': explicit plus signs");
	r = R(".5:5.", RANGE_PLAIN);
	ok(r.start == 0.5 && r.end == 5, "'.5:5.': leading/trailing decimal point");
	r = R("1e3", RANGE_PLAIN);
	ok(r.end == 1000 && r.end_exact && r.end_i64 == 1000, "'1e3' = 1000, exact");
	r = R("-0:0", RANGE_PLAIN);
	ok(r.start == 0 && r.end == 0 && range_alerts_double(&r, 0) == 0 && range_alerts_double(&r, -0.0) == 0,
	   "'-0:0' contains 0 and -0");
	ok(parses("5:5", RANGE_PLAIN) && parses("-1:-1", RANGE_PLAIN), "equal endpoints are valid");
	rejects("-1:-2", RANGE_PLAIN, "start > end, negative");
	rejects("0.2:0.1", RANGE_PLAIN, "start > end, fractions");
	rejects("@2:1", RANGE_PLAIN, "start > end with @");
	rejects("-1", RANGE_PLAIN, "bare negative: 0..-1 is empty");

	/* NaN value: upstream comparisons are all false */
	r = R("10", RANGE_PLAIN);
	ok(range_alerts_double(&r, NAN) == 1, "'10': NaN alerts (outside)");
	r = R("@10", RANGE_PLAIN);
	ok(range_alerts_double(&r, NAN) == 0, "'@10': NaN does not alert (as upstream)");
}

static void unit_cases(void)
{
	struct range r;
	struct thresholds t;

	r = R("30m", RANGE_DURATION);
	ok(r.end == 1800 && r.end_exact && r.end_i64 == 1800 && r.start == 0, "'30m' = 0..1800 s");
	ok(range_alerts_i64(&r, 1800) == 0 && range_alerts_i64(&r, 1801) == 1, "'30m': 1800 ok, 1801 alerts");
	r = R("2h", RANGE_DURATION);
	ok(r.end_i64 == 7200, "'2h' = 7200 s");
	r = R("1d", RANGE_DURATION);
	ok(r.end_i64 == 86400, "'1d' = 86400 s");
	r = R("45s", RANGE_DURATION);
	ok(r.end_i64 == 45, "'45s' = 45 s");
	r = R("90", RANGE_DURATION);
	ok(r.end_i64 == 90, "'90' (no unit) = 90 s");
	r = R("1.5h", RANGE_DURATION);
	ok(r.end_exact && r.end_i64 == 5400 && r.end == 5400, "'1.5h' = 5400 s, exact");
	r = R("0.1h", RANGE_DURATION);
	ok(r.end_exact && r.end_i64 == 360, "'0.1h' = 360 s, exact");
	r = R("0.5s", RANGE_DURATION);
	ok(!r.end_exact && r.end == 0.5, "'0.5s' = 0.5 s");
	r = R("@1h:1d", RANGE_DURATION);
	ok(r.alert_inside && r.start_i64 == 3600 && r.end_i64 == 86400, "'@1h:1d' = @3600:86400");
	ok(range_alerts_i64(&r, 3599) == 0 && range_alerts_i64(&r, 3600) == 1 && range_alerts_i64(&r, 86400) == 1 &&
	       range_alerts_i64(&r, 86401) == 0,
	   "'@1h:1d': 3599 and 86401 do not alert, 3600 and 86400 do");
	r = R("10m:", RANGE_DURATION);
	ok(r.start_i64 == 600 && r.end_infinite, "'10m:' = 600..inf");
	r = R("~:-1m", RANGE_DURATION);
	ok(r.start_infinite && r.end_i64 == -60, "'~:-1m' = ~:-60");
	rejects("1d:1h", RANGE_DURATION, "start > end after units");
	ok(parses("3600s:1h", RANGE_DURATION), "'3600s:1h' (equal after units) is valid");

	memset(&t, 0, sizeof(t));
	t.warning = R("30m", RANGE_DURATION);
	t.critical = R("2h", RANGE_DURATION);
	t.has_warning = t.has_critical = 1;
	is_int(thresholds_check_i64(&t, 1000), STATE_OK, "-w 30m -c 2h: 1000 s ok");
	is_int(thresholds_check_i64(&t, 3600), STATE_WARNING, "-w 30m -c 2h: 3600 s warning");
	is_int(thresholds_check_i64(&t, 7201), STATE_CRITICAL, "-w 30m -c 2h: 7201 s critical");

	r = R("1.5K", RANGE_BYTES);
	ok(r.end_exact && r.end_i64 == 1536, "'1.5K' = 1536 bytes");
	r = R("1K", RANGE_BYTES);
	ok(r.end_i64 == 1024, "'1K' = 1024");
	r = R("1M", RANGE_BYTES);
	ok(r.end_i64 == 1048576, "'1M' = 1048576");
	r = R("2G", RANGE_BYTES);
	ok(r.end_i64 == INT64_C(2147483648), "'2G' = 2147483648");
	r = R("1T", RANGE_BYTES);
	ok(r.end_i64 == INT64_C(1099511627776), "'1T' = 1099511627776");
	r = R("512B", RANGE_BYTES);
	ok(r.end_i64 == 512, "'512B' = 512");
	r = R("100G:1T", RANGE_BYTES);
	ok(r.start_i64 == INT64_C(107374182400) && r.end_i64 == INT64_C(1099511627776), "'100G:1T'");
	ok(range_alerts_i64(&r, INT64_C(107374182399)) == 1 && range_alerts_i64(&r, INT64_C(107374182400)) == 0,
	   "'100G:1T': one byte below 100G alerts, 100G does not");
	r = R("8388607T", RANGE_BYTES);
	ok(r.end_exact && r.end_i64 == INT64_C(8388607) * (INT64_C(1) << 40), "'8388607T' exact (fits int64)");
	r = R("8388608T", RANGE_BYTES);
	ok(!r.end_exact && r.end == 9223372036854775808.0, "'8388608T' = 2^63 kept as a double");
	ok(range_alerts_i64(&r, INT64_MAX) == 0, "'8388608T': INT64_MAX is inside");

	rejects_with("30m", RANGE_PLAIN, "no unit");
	rejects_with("30K", RANGE_DURATION, "duration unit");
	rejects_with("1m", RANGE_BYTES, "byte unit");
	rejects_with("1k", RANGE_BYTES, "byte unit");
	rejects_with("1H", RANGE_DURATION, "duration unit");
	rejects_with("1h", RANGE_BYTES, "byte unit");
	rejects_with("10:1KB", RANGE_BYTES, "byte unit");
	rejects_with("1min", RANGE_DURATION, "duration unit");
	rejects_with("5x:10", RANGE_DURATION, "start");
	rejects("m", RANGE_DURATION, "unit without number");
	rejects("1 m", RANGE_DURATION, "space before unit");
	rejects("1mm", RANGE_DURATION, "two units");
	rejects("~m:1", RANGE_DURATION, "unit on ~");
	rejects("1e400s", RANGE_DURATION, "overflow");
	rejects("1e305T", RANGE_BYTES, "overflow after unit");
}

static void int64_cases(void)
{
	struct range r;
	struct thresholds t;

	r = R("9223372036854775806", RANGE_PLAIN);
	ok(r.end_exact && r.end_i64 == INT64_MAX - 1, "'9223372036854775806' kept exactly");
	ok(range_alerts_i64(&r, INT64_MAX) == 1, "'9223372036854775806': 9223372036854775807 alerts");
	ok(range_alerts_i64(&r, INT64_MAX - 1) == 0, "'9223372036854775806': 9223372036854775806 does not");
	r = R("9223372036854775807:", RANGE_PLAIN);
	ok(r.start_i64 == INT64_MAX, "'9223372036854775807:' start exact");
	ok(range_alerts_i64(&r, INT64_MAX - 1) == 1 && range_alerts_i64(&r, INT64_MAX) == 0,
	   "'9223372036854775807:': INT64_MAX-1 alerts, INT64_MAX does not");
	r = R("@9007199254740993", RANGE_PLAIN); /* 2^53 + 1: not a double */
	ok(range_alerts_i64(&r, INT64_C(9007199254740993)) == 1 && range_alerts_i64(&r, INT64_C(9007199254740994)) == 0,
	   "'@9007199254740993': 2^53+1 inside, 2^53+2 outside");
	r = R("9007199254740992.5", RANGE_PLAIN); /* rounds to the double 2^53 */
	ok(!r.end_exact, "'9007199254740992.5' is not an exact integer");
	ok(range_alerts_i64(&r, INT64_C(9007199254740992)) == 0, "2^53 <= 9007199254740992(.5 as double)");
	r = R("~:9223372036854775808", RANGE_PLAIN); /* 2^63, just beyond int64 */
	ok(!r.end_exact && range_alerts_i64(&r, INT64_MAX) == 0, "'~:2^63': INT64_MAX inside");
	r = R("-9223372036854775808:-9223372036854775807", RANGE_PLAIN);
	ok(r.start_exact && r.start_i64 == INT64_MIN && r.end_i64 == INT64_MIN + 1, "INT64_MIN endpoint exact");
	ok(range_alerts_i64(&r, INT64_MIN) == 0 && range_alerts_i64(&r, INT64_MIN + 2) == 1, "INT64_MIN..INT64_MIN+1");
	r = R("9223372036854775806:9223372036854775807", RANGE_PLAIN);
	ok(parses("9223372036854775806:9223372036854775807", RANGE_PLAIN), "adjacent huge endpoints are ordered");
	rejects("9223372036854775807:9223372036854775806", RANGE_PLAIN, "huge start > end, equal as doubles");
	ok(range_alerts_double(&r, 9223372036854775808.0) == 1, "double 2^63 is above INT64_MAX end: alerts");
	r = R("9223372036854775807", RANGE_PLAIN);
	ok(range_alerts_double(&r, 9223372036854775808.0) == 1, "'INT64_MAX': double 2^63 alerts (exact compare)");
	r = R("10.5", RANGE_PLAIN);
	ok(range_alerts_i64(&r, 10) == 0 && range_alerts_i64(&r, 11) == 1, "'10.5': i64 10 inside, 11 outside");
	r = R("-10.5:", RANGE_PLAIN);
	ok(range_alerts_i64(&r, -10) == 0 && range_alerts_i64(&r, -11) == 1, "'-10.5:': i64 -10 inside, -11 outside");
	r = R("1.5:", RANGE_PLAIN);
	ok(range_alerts_i64(&r, 1) == 1 && range_alerts_i64(&r, 2) == 0, "'1.5:': i64 1 outside, 2 inside");

	memset(&t, 0, sizeof(t));
	t.warning = R("9223372036854775805", RANGE_PLAIN);
	t.critical = R("9223372036854775806", RANGE_PLAIN);
	t.has_warning = t.has_critical = 1;
	is_int(thresholds_check_i64(&t, INT64_MAX - 2), STATE_OK, "huge thresholds: INT64_MAX-2 ok");
	is_int(thresholds_check_i64(&t, INT64_MAX - 1), STATE_WARNING, "huge thresholds: INT64_MAX-1 warning");
	is_int(thresholds_check_i64(&t, INT64_MAX), STATE_CRITICAL, "huge thresholds: INT64_MAX critical");
}

static void threshold_cases(void)
{
	struct thresholds t;

	/* critical checked before warning: both alert -> CRITICAL */
	memset(&t, 0, sizeof(t));
	t.warning = R("@0:100", RANGE_PLAIN);
	t.critical = R("@50:60", RANGE_PLAIN);
	t.has_warning = t.has_critical = 1;
	is_int(thresholds_check_double(&t, 55), STATE_CRITICAL, "both alert: critical wins");
	is_int(thresholds_check_double(&t, 10), STATE_WARNING, "only warning alerts");
	is_int(thresholds_check_double(&t, 200), STATE_OK, "neither alerts");
	is_int(thresholds_check_i64(&t, 55), STATE_CRITICAL, "both alert (i64): critical wins");
	/* a warning range wider than critical still yields CRITICAL outside both */
	memset(&t, 0, sizeof(t));
	t.warning = R("5", RANGE_PLAIN);
	t.critical = R("10", RANGE_PLAIN);
	t.has_warning = t.has_critical = 1;
	is_int(thresholds_check_i64(&t, 11), STATE_CRITICAL, "'-w 5 -c 10': 11 critical");
	is_int(thresholds_check_i64(&t, 6), STATE_WARNING, "'-w 5 -c 10': 6 warning");
	is_int(thresholds_check_i64(&t, -1), STATE_CRITICAL, "'-w 5 -c 10': -1 critical");
	/* only critical */
	memset(&t, 0, sizeof(t));
	t.warning = R("1", RANGE_PLAIN); /* set but not enabled */
	t.critical = R("10", RANGE_PLAIN);
	t.has_critical = 1;
	is_int(thresholds_check_i64(&t, 5), STATE_OK, "has_warning=0: warning range ignored");
}

static void format_cases(void)
{
	struct range r;
	char buf[64];

	fmt_is("10", RANGE_PLAIN, "10");
	fmt_is("0:10", RANGE_PLAIN, "10");
	fmt_is(":10", RANGE_PLAIN, "10");
	fmt_is("10:", RANGE_PLAIN, "10:");
	fmt_is("0:", RANGE_PLAIN, "0:");
	fmt_is("~:10", RANGE_PLAIN, "~:10");
	fmt_is("~:", RANGE_PLAIN, "~:");
	fmt_is("10:20", RANGE_PLAIN, "10:20");
	fmt_is("@10:20", RANGE_PLAIN, "@10:20");
	fmt_is("@10", RANGE_PLAIN, "@10");
	fmt_is("@~:-5", RANGE_PLAIN, "@~:-5");
	fmt_is("-7:23", RANGE_PLAIN, "-7:23");
	fmt_is("~:-95.99", RANGE_PLAIN, "~:-95.99");
	fmt_is("@0:657.8210567", RANGE_PLAIN, "@657.8210567");
	fmt_is("0.1:0.3", RANGE_PLAIN, "0.1:0.3");
	fmt_is("1e3", RANGE_PLAIN, "1000");
	fmt_is("1.5e-3", RANGE_PLAIN, "0.0015");
	fmt_is("1e20:", RANGE_PLAIN, "100000000000000000000:");
	fmt_is("12345678901234567890:", RANGE_PLAIN, "12345678901234567168:");
	fmt_is("9223372036854775807", RANGE_PLAIN, "9223372036854775807");
	fmt_is("-9223372036854775808:", RANGE_PLAIN, "-9223372036854775808:");
	fmt_is("30m", RANGE_DURATION, "1800");
	fmt_is("@1h:1d", RANGE_DURATION, "@3600:86400");
	fmt_is("1.5h:", RANGE_DURATION, "5400:");
	fmt_is("0.5s:1m", RANGE_DURATION, "0.5:60");
	fmt_is("1.5K", RANGE_BYTES, "1536");
	fmt_is("1T", RANGE_BYTES, "1099511627776");
	fmt_is("-0", RANGE_PLAIN, "0");

	r = R("@10:20", RANGE_PLAIN);
	ok(range_format(&r, buf, 7) == 0 && strcmp(buf, "@10:20") == 0, "format fits exactly in 7 bytes");
	ok(range_format(&r, buf, 6) == -1 && buf[0] == '\0', "format into 6 bytes fails with empty buffer");
	ok(range_format(&r, buf, 0) == -1, "format into 0 bytes fails");
}

static void malformed_cases(void)
{
	char err[8];
	struct range r;

	rejects("", RANGE_PLAIN, "empty");
	rejects(NULL, RANGE_PLAIN, "NULL");
	rejects("@", RANGE_PLAIN, "lone @");
	rejects("@@10", RANGE_PLAIN, "double @");
	rejects("10@", RANGE_PLAIN, "trailing @");
	rejects("abc", RANGE_PLAIN, "garbage");
	rejects("10abc", RANGE_PLAIN, "trailing junk");
	rejects("10:20x", RANGE_PLAIN, "trailing junk on end");
	rejects("1:2:3", RANGE_PLAIN, "two colons");
	rejects("::", RANGE_PLAIN, "two colons, empty");
	rejects("~", RANGE_PLAIN, "lone ~");
	rejects("~10:20", RANGE_PLAIN, "~ with a number");
	rejects("10:~", RANGE_PLAIN, "~ as end");
	rejects("-~:5", RANGE_PLAIN, "signed ~");
	rejects("nan", RANGE_PLAIN, "nan");
	rejects("NaN:5", RANGE_PLAIN, "NaN start");
	rejects("inf", RANGE_PLAIN, "inf");
	rejects("5:infinity", RANGE_PLAIN, "infinity end");
	rejects("-inf:5", RANGE_PLAIN, "-inf start");
	rejects("0x10", RANGE_PLAIN, "hex");
	rejects("1e400", RANGE_PLAIN, "overflow");
	rejects("-1e400:", RANGE_PLAIN, "negative overflow");
	rejects("1e-400", RANGE_PLAIN, "underflow");
	rejects(" 10", RANGE_PLAIN, "leading space");
	rejects("10 ", RANGE_PLAIN, "trailing space");
	rejects("1 0", RANGE_PLAIN, "inner space");
	rejects("10\n", RANGE_PLAIN, "newline");
	rejects("-", RANGE_PLAIN, "lone minus");
	rejects("+", RANGE_PLAIN, "lone plus");
	rejects(".", RANGE_PLAIN, "lone dot");
	rejects("1.2.3", RANGE_PLAIN, "two dots");
	rejects("--1", RANGE_PLAIN, "double minus");
	rejects("1e", RANGE_PLAIN, "dangling exponent");
	rejects("1e+", RANGE_PLAIN, "dangling exponent sign");
	rejects("1,5", RANGE_PLAIN, "decimal comma");
	rejects("10%", RANGE_PLAIN, "percent");
	rejects("10", (enum range_kind)42, "unknown kind");
	rejects("99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
	        "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
	        "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
	        "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
	        RANGE_PLAIN, "400 digits: overflow");
	{
		char longnum[2000];
		memset(longnum, '1', sizeof(longnum) - 1);
		longnum[sizeof(longnum) - 1] = '\0';
		rejects(longnum, RANGE_PLAIN, "2000 digits");
		longnum[0] = '0';
		longnum[1] = '.';
		rejects(longnum, RANGE_PLAIN, "long fraction");
	}
	rejects_with("2:1", RANGE_PLAIN, "greater");
	rejects_with("1:2:3", RANGE_PLAIN, "':'");
	rejects_with("@", RANGE_PLAIN, "'@'");
	rejects_with("", RANGE_PLAIN, "empty");
	rejects_with("nan", RANGE_PLAIN, "unbounded");
	rejects_with("10:~", RANGE_PLAIN, "~");
	rejects_with("abc:5", RANGE_PLAIN, "start");
	rejects_with("5:abc", RANGE_PLAIN, "end");
	rejects_with("1e400", RANGE_PLAIN, "out of range");

	/* a tiny error buffer is truncated, still NUL-terminated */
	memset(err, 'x', sizeof(err));
	ok(range_parse("garbage", RANGE_PLAIN, &r, err, sizeof(err)) == -1 && memchr(err, '\0', sizeof(err)) != NULL &&
	       strlen(err) == sizeof(err) - 1,
	   "error truncated to a small buffer: '%s'", err);
	ok(range_parse("garbage", RANGE_PLAIN, &r, NULL, 0) == -1, "NULL error buffer is allowed");
	ok(range_parse("10", RANGE_PLAIN, &r, NULL, 0) == 0, "success with NULL error buffer");
}

int main(void)
{
	upstream_cases();
	edge_cases();
	unit_cases();
	int64_cases();
	threshold_cases();
	format_cases();
	malformed_cases();
	return tap_done();
}
