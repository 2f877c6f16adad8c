/*
 * range.h - monitoring-plugins threshold ranges ("-w 10", "-c @1h:1d").
 *
 * Contract: the classic semantics of monitoring-plugins' lib/utils_base.c
 * (parse_range_string / check_range / get_status):
 *   "10"      0..10, alert when the value is outside (so -1 and 11 alert)
 *   "10:"     10..+inf             "~:10"   -inf..10
 *   "10:20"   10..20               ":5"     0..5 (an empty start means 0)
 *   "~:"      -inf..+inf (never alerts)    ":" 0..+inf
 *   "@10:20"  alert when INSIDE 10..20
 * Endpoints are inclusive; a start greater than the end ("2:1") is an error.
 *
 * Project extensions: each endpoint may carry one unit letter, depending on
 * the range's kind: RANGE_DURATION accepts s, m, h, d (converted to seconds:
 * "30m" = 1800, "1.5h" = 5400); RANGE_BYTES accepts B, K, M, G, T (powers of
 * 1024: "1.5K" = 1536); RANGE_PLAIN accepts none. Numbers are decimal
 * (optional sign, optional fraction, optional exponent, e.g. "1e3").
 * Deliberately stricter than upstream's strtod(): empty text, a lone "@",
 * trailing junk (including upstream's ignored "%"), "1:2:3", "nan"/"inf",
 * hex, whitespace, a unit not allowed for the kind, and numbers that are not
 * finite doubles are errors.
 *
 * Exactness: an endpoint whose value is an integer that fits in int64_t is
 * also kept as an exact int64_t, and every comparison (int64 value against
 * double endpoint, double value against int64 endpoint, start against end)
 * is exact, so counts up to 2^63-1 compare correctly. A NaN value behaves as
 * in upstream's check_range (every comparison false).
 *
 * Errors: functions that can fail return 0 on success and -1 on failure,
 * writing a human-readable reason into err (always NUL-terminated when
 * errsz > 0); *out is left untouched on failure. Pure functions: no I/O, no
 * globals, no allocation.
 */
#ifndef S3T_RANGE_H
#define S3T_RANGE_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

enum range_kind {
	RANGE_PLAIN,    /* plain numbers, no unit */
	RANGE_DURATION, /* s, m, h, d; base unit seconds */
	RANGE_BYTES,    /* B, K, M, G, T (1024^n); base unit bytes */
};

struct range {
	double start, end;          /* base units; ignored when the *_infinite flag is set */
	int64_t start_i64, end_i64; /* exact values, valid when start_exact / end_exact */
	int start_exact, end_exact; /* endpoint is an integer that fits in int64_t */
	int start_infinite;         /* start is -inf ("~:") */
	int end_infinite;           /* end is +inf ("10:") */
	int alert_inside;           /* "@": alert inside the range instead of outside */
};

/* Parse text as a range of the given kind. 0 on success, -1 with a reason. */
int range_parse(const char *text, enum range_kind kind, struct range *out, char *err, size_t errsz);

/* 1 when value raises an alert per the range, else 0. */
int range_alerts_double(const struct range *r, double value);
int range_alerts_i64(const struct range *r, int64_t value);

/*
 * Format the range for perfdata, in base units (seconds, bytes),
 * monitoring-plugins style: "10" for 0..10, "10:", "~:10", "~:", "10:20",
 * "@10:20". Plain decimals, never exponents; integral values have no
 * decimals; fractions use the shortest text that parses back to the same
 * double. Returns 0, or -1 when bufsz is too small (buf then holds "" when
 * bufsz > 0).
 */
int range_format(const struct range *r, char *buf, size_t bufsz);

/* Warning and critical ranges; an unset range never alerts. Zero-initialise. */
struct thresholds {
	struct range warning, critical;
	int has_warning, has_critical;
};

/* CRITICAL if the critical range alerts, else WARNING if the warning range alerts, else OK. */
enum mp_state thresholds_check_double(const struct thresholds *t, double value);
enum mp_state thresholds_check_i64(const struct thresholds *t, int64_t value);

#endif
