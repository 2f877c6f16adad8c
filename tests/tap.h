/*
 * tap.h - a minimal TAP producer for the C unit tests.
 *
 * Contract: each check prints one "ok N - name" / "not ok N - name" line;
 * tap_done() prints the plan "1..N" and returns the process exit status
 * (0 when every check passed, 1 otherwise). Header-only, no globals outside
 * this translation unit. Failing string/int comparisons print the expected
 * and actual values as TAP diagnostics ("# ...") so a failure explains itself.
 */
#ifndef S3T_TAP_H
#define S3T_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count_;
static int tap_failed_;

static int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3), unused));
static int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	tap_count_++;
	if (!cond)
		tap_failed_++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count_);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	return cond;
}

/* Print text as TAP diagnostics, one "# " line per input line. */
static void tap_diag_text(const char *label, const char *text) __attribute__((unused));
static void tap_diag_text(const char *label, const char *text)
{
	printf("#   %s:\n", label);
	if (!text) {
		printf("#     (null)\n");
		return;
	}
	printf("#     ");
	for (const char *p = text; *p; p++) {
		if (*p == '\n')
			printf("\\n\n#     ");
		else
			putchar(*p);
	}
	putchar('\n');
}

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __VA_ARGS__)

#define is_str(got, want, ...)                                                      \
	do {                                                                            \
		const char *g_ = (got), *w_ = (want);                                       \
		int same_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;                    \
		if (!tap_ok(same_, __VA_ARGS__)) {                                          \
			tap_diag_text("got", g_);                                               \
			tap_diag_text("expected", w_);                                          \
		}                                                                           \
	} while (0)

#define is_int(got, want, ...)                                                      \
	do {                                                                            \
		long long g_ = (long long)(got), w_ = (long long)(want);                    \
		if (!tap_ok(g_ == w_, __VA_ARGS__))                                         \
			printf("#   got %lld, expected %lld\n", g_, w_);                        \
	} while (0)

static int tap_done(void) __attribute__((unused));
static int tap_done(void)
{
	printf("1..%d\n", tap_count_);
	if (tap_count_ == 0) {
		printf("# no checks ran\n");
		return 1;
	}
	return tap_failed_ ? 1 : 0;
}

#endif
