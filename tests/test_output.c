/* test_output.c - the plugin result object, perfdata, sanitizer, exit paths. */
#include "output.h"
#include "tap.h"

#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------ helpers */

static char *last_render;

/* The rendered text; valid until the next call. */
static char *render(struct output *o)
{
	free(last_render);
	last_render = output_render(o);
	return last_render;
}

static const char *san(const char *in, size_t max_chars)
{
	static char buf[4096];
	output_sanitize(in, max_chars, buf, sizeof buf);
	return buf;
}

static const char *fmtd(double v)
{
	static char buf[OUTPUT_DOUBLE_BUFSZ];
	if (output_format_double(v, buf, sizeof buf) < 0)
		return "(refused)";
	return buf;
}

/* Number of UTF-8 code points in s. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

/*
 * Accept a perfdata item the way Icinga 2's PerfdataValue::Parse does,
 * strictly: the label is what precedes the last '=', the value is a prefix of
 * "+-0123456789.e" characters followed by a known unit (case-insensitive), and
 * warn/crit/min/max are empty or purely numeric (ranges such as "10:" are
 * only logged at debug level, so they are allowed for warn/crit). We further
 * demand no exponent, no ',' and no spaces outside a quoted label.
 */
static bool icinga_accepts(const char *item)
{
	static const char *const units[] = {"", "us", "ms", "s", "tb", "gb", "mb", "kb", "b", "%", "c"};
	const char *eq = strrchr(item, '='), *p;
	char unit[8];
	size_t ul = 0, field = 0;
	bool unit_ok = false;

	if (!eq || eq == item)
		return false;
	if (item[0] == '\'') {
		if (eq - item < 3 || eq[-1] != '\'')
			return false;
		for (p = item + 1; p < eq - 1; p++)
			if (*p == '\'' || *p == '=')
				return false;
	} else {
		for (p = item; p < eq; p++)
			if (*p == ' ' || *p == '\'')
				return false;
	}
	p = eq + 1;
	if (!strchr("+-0123456789", *p) || !*p)
		return false;
	while (*p && strchr("+-0123456789.", *p))
		p++;
	while (*p && *p != ';') {
		if (ul >= sizeof unit - 1)
			return false;
		unit[ul++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		p++;
	}
	unit[ul] = '\0';
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		unit_ok |= strcmp(unit, units[i]) == 0;
	if (!unit_ok)
		return false;
	while (*p == ';') {
		p++;
		field++;
		if (field > 4)
			return false;
		while (*p && *p != ';') {
			const char *allowed = field <= 2 ? "+-0123456789.:~@" : "+-0123456789.";
			if (!strchr(allowed, *p))
				return false;
			p++;
		}
	}
	return *p == '\0';
}

/* Run fn in a child with stdout on a pipe; return its output, set *status. */
static char *run_child(void (*fn)(void), int *status)
{
	int fds[2];
	pid_t pid;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	fflush(stdout);
	if (pipe(fds) < 0)
		return NULL;
	pid = fork();
	if (pid < 0)
		return NULL;
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		free(last_render); /* the child's copy; keeps valgrind's leak check exact */
		last_render = NULL;
		fn();
		_exit(99); /* fn must not return */
	}
	close(fds[1]);
	for (;;) {
		ssize_t r;
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
		}
		r = read(fds[0], buf + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(fds[0]);
	waitpid(pid, status, 0);
	return buf;
}

static void child_exit_critical(void)
{
	struct output *o = output_new("REPLICATION");
	int64_t zero = 0;
	output_raise(o, STATE_CRITICAL);
	output_summary(o, "1 of 3 destinations failed (%s)", "dr-c: KMS | key\ndisabled");
	output_perf_i64(o, "destinations", 3, NULL, NULL, NULL, &zero, NULL);
	output_line(o, "dr-c: %s", "FAILED");
	output_exit(o);
}

static void child_exit_ok(void)
{
	struct output *o = output_new("MAINTENANCE");
	output_summary(o, "all jobs succeeded");
	output_exit(o);
}

static void child_die_unknown(void)
{
	output_die("REPLICATION", STATE_UNKNOWN, "cannot read credentials: %s", "bad\r\nfile | x");
}

static void child_die_invalid_state(void)
{
	output_die("TABLE", (enum mp_state)42, "boom");
}

static void child_exit_null(void)
{
	output_exit(NULL);
}

/* -------------------------------------------------------------------- tests */

static void test_render(void)
{
	struct output *o;
	int64_t zero = 0, three = 3;

	o = output_new("REPLICATION");
	output_summary(o, "%d destinations replicating", 3);
	is_str(render(o), "S3TABLES REPLICATION OK - 3 destinations replicating\n", "OK, no perfdata");
	is_int(output_state(o), STATE_OK, "state OK");
	output_free(o);

	o = output_new("REPLICATION");
	output_raise(o, STATE_WARNING);
	output_summary(o, "1 pending for 10m");
	output_perf_i64(o, "destinations", 3, NULL, NULL, NULL, &zero, NULL);
	output_perf_i64(o, "pending", 1, NULL, "0", "2", &zero, &three);
	is_str(render(o),
	       "S3TABLES REPLICATION WARNING - 1 pending for 10m | destinations=3;;;0 pending=1;0;2;0;3\n",
	       "WARNING with perfdata");
	output_free(o);

	o = output_new("REPLICATION");
	output_raise(o, STATE_WARNING);
	output_raise(o, STATE_CRITICAL);
	output_raise(o, STATE_OK);
	output_summary(o, "first");
	output_summary(o, "1 of 3 destinations failed (dr-c: KMS key disabled)");
	output_perf_i64(o, "destinations", 3, NULL, NULL, NULL, &zero, NULL);
	output_perf_double(o, "lag", 1800.0, "s", "900", "1800", NULL, NULL);
	output_line(o, "dr-a: COMPLETED, lag %s", "5m");
	output_line(o, "dr-c: FAILED: %s", "KMS key disabled");
	is_str(render(o),
	       "S3TABLES REPLICATION CRITICAL - 1 of 3 destinations failed (dr-c: KMS key disabled)"
	       " | destinations=3;;;0 lag=1800s;900;1800;\n"
	       "dr-a: COMPLETED, lag 5m\n"
	       "dr-c: FAILED: KMS key disabled\n",
	       "CRITICAL with perfdata and long output, summary replaced");
	is_int(output_state(o), STATE_CRITICAL, "CRITICAL not lowered by WARNING/OK");
	output_free(o);

	o = output_new("MAINTENANCE");
	output_raise(o, STATE_WARNING);
	output_raise(o, STATE_UNKNOWN);
	output_summary(o, "cannot judge 1 job");
	output_line(o, "compaction: status unknown");
	is_str(render(o),
	       "S3TABLES MAINTENANCE UNKNOWN - cannot judge 1 job\ncompaction: status unknown\n",
	       "UNKNOWN with long output, no perfdata, no '|'");
	output_raise(o, STATE_CRITICAL);
	is_int(output_state(o), STATE_CRITICAL, "CRITICAL outranks UNKNOWN");
	output_free(o);

	o = output_new("TABLE");
	output_raise(o, (enum mp_state)7);
	is_int(output_state(o), STATE_UNKNOWN, "out-of-range state counts as UNKNOWN");
	is_str(render(o), "S3TABLES TABLE UNKNOWN\n", "no summary: no ' - '");
	output_free(o);

	o = output_new("TABLE");
	output_perf_i64(o, "tables", 0, NULL, NULL, NULL, NULL, NULL);
	is_str(render(o), "S3TABLES TABLE OK | tables=0;;;\n", "no summary, perfdata");
	output_free(o);

	is_int(output_state(NULL), STATE_UNKNOWN, "NULL object is UNKNOWN");
	is_str(render(NULL), "S3TABLES UNKNOWN - out of memory\n", "NULL object renders");
	output_free(NULL);
}

static void test_perf_i64(void)
{
	struct output *o = output_new("T");
	int64_t mn = INT64_MIN, mx = INT64_MAX;

	is_int(output_perf_i64(o, "max", INT64_MAX, "B", NULL, NULL, NULL, NULL), 0, "int64 max accepted");
	is_int(output_perf_i64(o, "min", INT64_MIN, NULL, NULL, NULL, &mn, &mx), 0, "int64 min accepted");
	is_int(output_perf_i64(o, "onlymax", 5, NULL, NULL, NULL, NULL, &mx), 0, "only max");
	is_int(output_perf_i64(o, "warnonly", 5, NULL, "10:", NULL, NULL, NULL), 0, "only warn");
	is_str(render(o),
	       "S3TABLES T OK | max=9223372036854775807B;;; "
	       "min=-9223372036854775808;;;-9223372036854775808;9223372036854775807 "
	       "onlymax=5;;;;9223372036854775807 warnonly=5;10:;;\n",
	       "int64 extremes exact, empty fields like monitoring-plugins");
	output_free(o);
}

static void test_doubles(void)
{
	char small[4];
	struct output *o;
	double zero = 0.0, hundred = 100.0;

	is_str(fmtd(0.5), "0.5", "0.5");
	is_str(fmtd(1800.0), "1800", "1800 without .000000");
	is_str(fmtd(1e20), "100000000000000000000", "1e20 without exponent");
	is_str(fmtd(1e-7), "0.0000001", "1e-7 as 0.0000001");
	is_str(fmtd(-2.25), "-2.25", "negative");
	is_str(fmtd(-0.0), "0", "-0 as 0");
	is_str(fmtd(0.0), "0", "0");
	is_str(fmtd(0.1), "0.1", "0.1 shortest round trip");
	is_str(fmtd(123.456), "123.456", "123.456");
	is_str(fmtd(1.0 / 3.0), "0.3333333333333333", "1/3 round-trips");
	is_str(fmtd(9007199254740993.0), "9007199254740992", "2^53+1 rounds to double");
	{
		const char *big = fmtd(1.7976931348623157e308);
		ok(strlen(big) == 309 && strspn(big, "0123456789") == 309, "DBL_MAX: 309 plain digits");
		const char *tiny = fmtd(4.9406564584124654e-324);
		ok(strncmp(tiny, "0.000", 5) == 0 && strchr(tiny, 'e') == NULL &&
			   strcmp(tiny + strlen(tiny) - 2, "05") == 0,
		   "smallest subnormal plain (%zu chars)", strlen(tiny));
	}
	is_str(fmtd(NAN), "(refused)", "NaN refused");
	is_str(fmtd(INFINITY), "(refused)", "inf refused");
	is_str(fmtd(-INFINITY), "(refused)", "-inf refused");
	is_int(output_format_double(1800.0, small, sizeof small), -1, "too small buffer refused");
	is_str(small, "", "too small buffer left empty");
	is_int(output_format_double(180.0, small, sizeof small), 0, "exact fit");
	is_str(small, "180", "exact fit text");

	o = output_new("T");
	is_int(output_perf_double(o, "nan", NAN, NULL, NULL, NULL, NULL, NULL), -1, "perf NaN refused");
	is_int(output_perf_double(o, "inf", INFINITY, "s", NULL, NULL, NULL, NULL), -1, "perf inf refused");
	{
		double bad = NAN;
		is_int(output_perf_double(o, "badmin", 1, NULL, NULL, NULL, &bad, NULL), -1, "perf NaN min refused");
	}
	is_int(output_perf_double(o, "ratio", 0.5, "%", NULL, NULL, &zero, &hundred), 0, "perf double");
	is_int(output_perf_double(o, "big", 1e20, "B", NULL, NULL, NULL, NULL), 0, "perf 1e20");
	is_str(render(o), "S3TABLES T OK | ratio=0.5%;;;0;100 big=100000000000000000000B;;;\n",
	       "refused items left out, others plain");
	output_free(o);
}

static void test_labels_and_validation(void)
{
	struct output *o = output_new("T");

	output_perf_i64(o, "dr-c.lag_s", 1, NULL, NULL, NULL, NULL, NULL);
	output_perf_i64(o, "dest 1", 1, NULL, NULL, NULL, NULL, NULL);
	output_perf_i64(o, "it's=x", 1, NULL, NULL, NULL, NULL, NULL);
	output_perf_i64(o, "a|b", 1, NULL, NULL, NULL, NULL, NULL);
	output_perf_i64(o, "ünï", 1, NULL, NULL, NULL, NULL, NULL);
	output_perf_i64(o, "  tab\there\n", 1, NULL, NULL, NULL, NULL, NULL);
	is_str(render(o),
	       "S3TABLES T OK | dr-c.lag_s=1;;; 'dest 1'=1;;; it_s_x=1;;; 'a\xC2\xA6" "b'=1;;; "
	       "'\xC3\xBCn\xC3\xAF'=1;;; 'tab here'=1;;;\n",
	       "labels: plain, quoted, ' and = replaced by _, sanitized");
	output_free(o);

	o = output_new("T");
	is_int(output_perf_i64(o, "", 1, NULL, NULL, NULL, NULL, NULL), -1, "empty label refused");
	is_int(output_perf_i64(o, NULL, 1, NULL, NULL, NULL, NULL, NULL), -1, "NULL label refused");
	is_int(output_perf_i64(o, "\n\t ", 1, NULL, NULL, NULL, NULL, NULL), -1, "blank label refused");
	is_int(output_perf_i64(o, "x", 1, "bytes", NULL, NULL, NULL, NULL), -1, "unknown UOM refused");
	is_int(output_perf_i64(o, "x", 1, NULL, "1;2", NULL, NULL, NULL), -1, "warn with ';' refused");
	is_int(output_perf_i64(o, "x", 1, NULL, NULL, "5 | x=1", NULL, NULL), -1, "crit with '|' refused");
	is_int(output_perf_i64(o, "x", 1, NULL, "1e3", NULL, NULL, NULL), -1, "warn with exponent refused");
	is_int(output_perf_i64(o, "x", 1, NULL, "@10:20", "~:30", NULL, NULL), 0, "ranges accepted");
	is_int(output_perf_i64(o, "x", 1, "", "", "", NULL, NULL), 0, "empty strings = none");
	is_str(render(o), "S3TABLES T OK | x=1;@10:20;~:30; x=1;;;\n", "only valid items rendered");
	output_free(o);

	is_int(output_perf_i64(NULL, "x", 1, NULL, NULL, NULL, NULL, NULL), -1, "NULL object refused");

	/* Everything we print passes an Icinga-2-like parser. */
	{
		int64_t i0 = 0, imax = INT64_MAX, imin = INT64_MIN;
		double d0 = 0, d1 = 1e-7, d2 = 1e20;
		const char *uoms[] = {NULL, "s", "B", "%", "c", "ms", "KB"};
		char *text, *perf;
		size_t n = 0, good = 0;
		bool inq = false;

		o = output_new("T");
		for (size_t u = 0; u < sizeof uoms / sizeof uoms[0]; u++) {
			output_perf_i64(o, "int label", INT64_MIN, uoms[u], "10", "@5:", &imin, &imax);
			output_perf_i64(o, "i", 42, uoms[u], NULL, "~:7", NULL, &i0);
			output_perf_double(o, "d'=x", -1e-7, uoms[u], "0.5", NULL, &d0, NULL);
			output_perf_double(o, "d|2", 1e20, uoms[u], NULL, NULL, &d1, &d2);
		}
		text = render(o);
		perf = strstr(text, " | ");
		perf = perf ? strdup(perf + 3) : strdup("");
		perf[strcspn(perf, "\n")] = '\0';
		/* Split like Icinga (spaces outside single quotes). */
		for (char *p = perf, *start = perf; ; p++) {
			if (*p == '\'')
				inq = !inq;
			if ((*p == ' ' && !inq) || *p == '\0') {
				char c = *p;
				*p = '\0';
				n++;
				if (icinga_accepts(start))
					good++;
				else
					printf("# rejected: %s\n", start);
				if (!c)
					break;
				start = p + 1;
			}
		}
		is_int(n, 28, "28 perfdata items rendered");
		is_int(good, n, "every item accepted by an Icinga-2-style parser");
		free(perf);
		output_free(o);
	}
}

static void test_sanitize(void)
{
	char buf[16];
	size_t n;

	is_str(san("plain text", 0), "plain text", "plain text unchanged");
	is_str(san("a|b||c", 0), "a\xC2\xA6" "b\xC2\xA6\xC2\xA6" "c", "'|' becomes U+00A6");
	is_str(san("line1\nline2", 0), "line1 line2", "LF to space");
	is_str(san("line1\r\nline2", 0), "line1 line2", "CRLF to one space");
	is_str(san("a\tb", 0), "a b", "tab to space");
	is_str(san("\x1b[31mred\x1b[0m", 0), "[31mred [0m", "ESC removed");
	is_str(san("del\x7fhere", 0), "del here", "DEL to space");
	is_str(san("c1\xC2\x85here\xC2\x9b" "x", 0), "c1 here x", "C1 controls (NEL, CSI) to space");
	is_str(san("ls\xE2\x80\xA8ps\xE2\x80\xA9x", 0), "ls ps x", "U+2028/U+2029 to space");
	is_str(san("bad\xFFhere", 0), "bad\xEF\xBF\xBDhere", "invalid byte to U+FFFD");
	is_str(san("\xC0\xAF", 0), "\xEF\xBF\xBD\xEF\xBF\xBD", "overlong '/' rejected");
	is_str(san("\xED\xA0\x80x", 0), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx", "surrogate rejected");
	is_str(san("\xF4\x90\x80\x80", 0), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	       "above U+10FFFF rejected");
	is_str(san("cut\xE2\x82", 0), "cut\xEF\xBF\xBD", "truncated sequence: one U+FFFD");
	is_str(san("a\xE2\x82" "b", 0), "a\xEF\xBF\xBD" "b", "broken sequence then ASCII");
	is_str(san("\xF0\x9F\x98\x80 ok \xC3\xA9", 0), "\xF0\x9F\x98\x80 ok \xC3\xA9", "valid UTF-8 kept");
	is_str(san("  many    spaces \t\n here  ", 0), "many spaces here", "collapse and trim");
	is_str(san("\n\n", 0), "", "only whitespace becomes empty");
	is_str(san(NULL, 0), "", "NULL is empty");
	is_str(san("abcdefghij", 10), "abcdefghij", "exactly max_chars: no cut");
	is_str(san("abcdefghijk", 10), "abcdefghi\xE2\x80\xA6", "cut to 10 chars with ellipsis");
	is_str(san("abcd efghijk", 5), "abcd\xE2\x80\xA6", "cut before a space");
	is_str(san("abcd  e", 6), "abcd e", "collapsed space makes it fit");
	is_str(san("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 4),
	       "\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6", "multi-byte chars count as one");
	is_int(utf8_chars(san("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC", 5)), 5,
	       "CJK: 5 chars kept (all fit)");
	is_str(san("\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80", 2), "\xF0\x9F\x98\x80\xE2\x80\xA6",
	       "4-byte chars cut at boundary");
	is_str(san("ab|cd", 3), "ab\xE2\x80\xA6", "cut counts U+00A6 as one char");

	n = output_sanitize("0123456789abcdefghij", 0, buf, sizeof buf);
	is_str(buf, "0123456789ab\xE2\x80\xA6", "byte limit: cut with ellipsis");
	is_int(n, 15, "returned length");
	n = output_sanitize("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 0, buf, sizeof buf);
	is_str(buf, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xE2\x80\xA6",
	       "byte limit never splits a character");
	n = output_sanitize("abc", 0, buf, 4);
	is_str(buf, "abc", "fits exactly in outsz");
	n = output_sanitize("abcd", 0, buf, 4);
	is_str(buf, "\xE2\x80\xA6", "outsz 4: only the ellipsis fits");
	n = output_sanitize("abcd", 0, buf, 3);
	is_str(buf, "", "outsz 3: no room for text + ellipsis");
	n = output_sanitize("abcd", 0, buf, 1);
	is_int(n, 0, "outsz 1 gives empty string");
	is_int(output_sanitize("abc", 0, NULL, 0), 0, "outsz 0 writes nothing");
}

static void test_hostile(void)
{
	struct output *o = output_new("REPLI|CATION\n");
	const char *hostile = "evil | x=1;2;3 \r\nS3TABLES REPLICATION OK - fake\n\x1b]0;title\x07 \xFF";
	char *text, *bar;
	int64_t one = 1;

	output_raise(o, STATE_CRITICAL);
	output_summary(o, "failed: %s", hostile);
	output_line(o, "dr: %s", hostile);
	output_perf_i64(o, hostile, 1, NULL, NULL, NULL, &one, NULL);
	text = render(o);
	bar = strstr(text, " | ");
	ok(bar != NULL, "perfdata separator present");
	is_int(count_char(text, '|'), 1, "exactly one '|' in the whole output");
	ok(bar && memchr(text, '\n', (size_t)(bar - text)) == NULL, "no newline before the separator");
	ok(strchr(text, '\r') == NULL && strchr(text, '\x1b') == NULL && strchr(text, '\x07') == NULL,
	   "no CR, ESC or BEL anywhere");
	is_int(count_char(text, '\n'), 2, "first line + one long-output line");
	ok(strncmp(text, "S3TABLES REPLI\xC2\xA6" "CATION CRITICAL - failed: evil \xC2\xA6 x=1;2;3 S3TABLES", 60) == 0,
	   "hostile summary neutralised on the first line");
	output_free(o);

	o = output_new("T");
	output_summary(o, "%s", "");
	is_str(render(o), "S3TABLES T OK\n", "empty summary: no ' - '");
	output_summary(o, "100%% done %s", "%s%n");
	is_str(render(o), "S3TABLES T OK - 100% done %s%n\n", "format args are not re-interpreted");
	output_free(o);
}

static void test_caps(void)
{
	struct output *o = output_new("T");
	char *big = malloc(1000001);
	char *text;
	size_t lines;

	memset(big, 'x', 1000000);
	big[1000000] = '\0';
	output_summary(o, "%s", big);
	output_line(o, "%s", big);
	for (int i = 1; i < 1000; i++)
		output_line(o, "line %d", i);
	text = render(o);
	lines = count_char(text, '\n');
	is_int(lines, 1 + OUTPUT_MAX_LINES + 1, "summary + %d lines + 'more' line", OUTPUT_MAX_LINES);
	ok(strstr(text, "\nline 99\n... 900 more lines\n") != NULL, "'... 900 more lines' at the end");
	ok(strlen(text) < 8 * 1024, "total output bounded (%zu bytes)", strlen(text));
	{
		const char *second = strchr(text, '\n') + 1;
		size_t l = strcspn(second, "\n");
		char *line2 = strndup(second, l);
		is_int(utf8_chars(line2), OUTPUT_LINE_MAX_CHARS, "1 MB long-output line cut to %d chars",
		       OUTPUT_LINE_MAX_CHARS);
		free(line2);
	}
	{
		size_t l = strcspn(text, "\n");
		char *first = strndup(text, l);
		is_int(utf8_chars(first), strlen("S3TABLES T OK - ") + OUTPUT_SUMMARY_MAX_CHARS,
		       "summary cut to %d chars", OUTPUT_SUMMARY_MAX_CHARS);
		ok(strcmp(first + strlen(first) - 3, "\xE2\x80\xA6") == 0, "cut summary ends with ellipsis");
		free(first);
	}
	output_free(o);

	o = output_new("T");
	for (int i = 0; i < OUTPUT_MAX_LINES + 1; i++)
		output_line(o, "l%d", i);
	ok(strstr(render(o), "\nl99\n... 1 more line\n") != NULL, "singular '1 more line'");
	output_free(o);

	/* Byte cap: lines of 400 3-byte chars. */
	o = output_new("T");
	{
		char *wide = malloc(3 * 500 + 1);
		for (int i = 0; i < 500; i++)
			memcpy(wide + 3 * i, "\xE2\x82\xAC", 3);
		wide[1500] = '\0';
		for (int i = 0; i < OUTPUT_MAX_LINES; i++)
			output_line(o, "%s", wide);
		free(wide);
	}
	text = render(o);
	ok(strlen(text) <= OUTPUT_MAX_LINE_BYTES + 200, "long output bytes capped (%zu)", strlen(text));
	ok(strstr(text, " more lines\n") != NULL, "byte cap reported as more lines");
	output_free(o);

	o = output_new("T");
	{
		int fails = 0;
		for (int i = 0; i < OUTPUT_MAX_PERF + 5; i++)
			if (output_perf_i64(o, "p", i, NULL, NULL, NULL, NULL, NULL) < 0)
				fails++;
		is_int(fails, 5, "perfdata items capped at %d", OUTPUT_MAX_PERF);
	}
	output_free(o);
	free(big);
}

/*
 * No comma locale installed (a bare CI machine): make de_DE's LC_NUMERIC with localedef
 * into a temporary directory and point LOCPATH at it. Returns setlocale()'s answer, or NULL;
 * dir gets the directory to remove ("" when none was made).
 */
static const char *make_comma_locale(char *dir, size_t dirsz)
{
	char src[128], cmd[512];
	snprintf(dir, dirsz, "/tmp/s3t-locale-XXXXXX");
	if (!mkdtemp(dir)) {
		dir[0] = '\0';
		return NULL;
	}
	snprintf(src, sizeof src, "%s/src", dir);
	FILE *f = fopen(src, "w");
	if (!f)
		return NULL;
	fputs("LC_NUMERIC\ncopy \"de_DE\"\nEND LC_NUMERIC\n", f);
	fclose(f);
	/* -c: only LC_NUMERIC is defined; localedef warns about the others and exits 1 */
	snprintf(cmd, sizeof cmd, "localedef -c -i '%s' -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1", src, dir);
	if (system(cmd) == -1)
		return NULL;
	setenv("LOCPATH", dir, 1);
	return setlocale(LC_NUMERIC, "de_DE.UTF-8");
}

static void test_locale(void)
{
	static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "de_DE@euro", "fr_FR.UTF-8",
					    "fr_FR.utf8", "fr_FR"};
	const char *got = NULL;
	char probe[32];

	for (size_t i = 0; i < sizeof names / sizeof names[0] && !got; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	char made[64] = "";
	if (!got)
		got = make_comma_locale(made, sizeof made);
	if (got) {
		snprintf(probe, sizeof probe, "%.1f", 0.5);
		if (strcmp(probe, "0,5") != 0)
			got = NULL;
	}
	if (!got) {
		setlocale(LC_NUMERIC, "C");
		/* CI must run these: there, a missing locale (no localedef, no locales package) fails */
		int ci = getenv("CI") && strcmp(getenv("CI"), "true") == 0;
		ok(!ci, "decimal point under a comma locale%s", ci ? " (no de_DE locale could be made: install the locales package)"
								   : " # SKIP no de_DE/fr_FR locale installed or made");
		ok(!ci, "perfdata under a comma locale%s", ci ? "" : " # SKIP no de_DE/fr_FR locale installed or made");
		return;
	}
	is_str(fmtd(1234.5), "1234.5", "decimal point '.' under %s", got);
	{
		struct output *o = output_new("T");
		double mx = 0.25;
		output_perf_double(o, "r", 0.75, NULL, NULL, NULL, NULL, &mx);
		is_str(render(o), "S3TABLES T OK | r=0.75;;;;0.25\n", "perfdata '.' under %s", got);
		output_free(o);
	}
	setlocale(LC_NUMERIC, "C");
	if (made[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", made);
		ok(system(cmd) == 0, "generated locale removed");
		unsetenv("LOCPATH");
	}
}

static void test_exit_paths(void)
{
	int status = 0;
	char *out;

	out = run_child(child_exit_critical, &status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 2, "output_exit CRITICAL exits 2");
	is_str(out,
	       "S3TABLES REPLICATION CRITICAL - 1 of 3 destinations failed (dr-c: KMS \xC2\xA6 key disabled)"
	       " | destinations=3;;;0\ndr-c: FAILED\n",
	       "output_exit prints the rendered text");
	free(out);

	out = run_child(child_exit_ok, &status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "output_exit OK exits 0");
	is_str(out, "S3TABLES MAINTENANCE OK - all jobs succeeded\n", "output_exit OK text");
	free(out);

	out = run_child(child_die_unknown, &status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "output_die UNKNOWN exits 3");
	is_str(out, "S3TABLES REPLICATION UNKNOWN - cannot read credentials: bad file \xC2\xA6 x\n",
	       "output_die sanitizes the message");
	free(out);

	out = run_child(child_die_invalid_state, &status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "output_die with state 42 exits 3");
	is_str(out, "S3TABLES TABLE UNKNOWN - boom\n", "output_die invalid state printed UNKNOWN");
	free(out);

	out = run_child(child_exit_null, &status);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 3, "output_exit(NULL) exits 3");
	is_str(out, "S3TABLES UNKNOWN - out of memory\n", "output_exit(NULL) text");
	free(out);
}

int main(void)
{
	test_render();
	test_perf_i64();
	test_doubles();
	test_labels_and_validation();
	test_sanitize();
	test_hostile();
	test_caps();
	test_locale();
	test_exit_paths();
	free(last_render);
	return tap_done();
}
