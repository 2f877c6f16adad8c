/*
 * output.h - the plugin result object: state, summary, long output, perfdata.
 *
 * Contract:
 * - A struct output collects one plugin run's result and renders it exactly as
 *     S3TABLES <CHECK> <STATE> - <summary> | <perf1> <perf2> ...
 *     <long-output line 1>
 *     <long-output line 2>
 *   Perfdata, if any, sits on the first line after a single " | "; without
 *   perfdata there is no '|' at all. No second '|' ever appears: every text
 *   that reaches the output (check name, summary, long-output lines, labels)
 *   goes through output_sanitize(), which turns '|' into U+00A6 BROKEN BAR
 *   ("¦"). Without a summary the first line is just "S3TABLES <CHECK> <STATE>".
 * - The state only ever gets worse: output_raise() combines with state_worst()
 *   (CRITICAL > UNKNOWN > WARNING > OK). Values outside 0..3 count as UNKNOWN,
 *   so the exit code is always 0..3. A failed allocation while collecting
 *   raises the state to UNKNOWN and adds a note, rather than losing facts
 *   silently.
 * - Size caps, so hostile input cannot produce megabytes: the summary is cut
 *   at OUTPUT_SUMMARY_MAX_CHARS characters, each long-output line at
 *   OUTPUT_LINE_MAX_CHARS, at most OUTPUT_MAX_LINES lines / OUTPUT_MAX_LINE_BYTES
 *   bytes of long output are kept (the rest is summarised by a final
 *   "... N more lines" line), at most OUTPUT_MAX_PERF perfdata items.
 * - Perfdata items follow monitoring-plugins' perfdata()/fperfdata():
 *     label=value[UOM];[warn];[crit];[min][;max]
 *   i.e. "x=5;;;" with nothing optional, "x=5;;;0" with min, "x=5;;;;9"
 *   with only max. Every such item is accepted by Icinga 2's
 *   PerfdataValue::Parse. Labels are sanitized; a "'" or "=" in a label
 *   becomes '_' (Icinga cannot parse them, even quoted); the label is put in
 *   single quotes when it contains anything but [A-Za-z0-9_.-].
 *   Numbers are plain decimals in the C locale whatever LC_NUMERIC says: no
 *   exponent, no ',', never inf/nan (such values are refused: leave the
 *   metric out). warn/crit are range strings made by the caller (NULL or ""
 *   for none) and may only contain "0123456789.:~@+-".
 * - Memory: output_new() returns an object owned by the caller, released by
 *   output_free() (or output_exit(), which frees it). output_render()
 *   returns a malloc'd string the caller frees. All functions accept a NULL
 *   object and then do nothing (output_exit(NULL) reports UNKNOWN).
 * - Printing happens only in output_print(), output_exit() and output_die().
 *
 * Text arguments given with printf-style formats are formatted first and the
 * result is sanitized. Do not format floating-point numbers with %f/%g in
 * those formats (they follow LC_NUMERIC); use output_format_double().
 */
#ifndef S3T_OUTPUT_H
#define S3T_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "state.h"

#define OUTPUT_SUMMARY_MAX_CHARS 400
#define OUTPUT_LINE_MAX_CHARS 400
#define OUTPUT_MAX_LINES 100
#define OUTPUT_MAX_LINE_BYTES 32768
#define OUTPUT_MAX_PERF 100
#define OUTPUT_LABEL_MAX_CHARS 100
#define OUTPUT_CHECK_MAX_CHARS 40

/* A buffer of this size holds any output_format_double() result. */
#define OUTPUT_DOUBLE_BUFSZ 400

struct output;

/* A new result for check_name (e.g. "REPLICATION"), state OK. NULL if out of memory. */
struct output *output_new(const char *check_name);
void output_free(struct output *o);

/* state = state_worst(state, s). */
void output_raise(struct output *o, enum mp_state s);
enum mp_state output_state(const struct output *o);

/* Set (replace) the summary, i.e. the text after "<STATE> - " on the first line. */
void output_summary(struct output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append one long-output line. */
void output_line(struct output *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Append one nested long-output line in monitoring-plugins' multi-line style:
 * 4 * depth spaces, "\_ ", then the sanitized text (depth 0 counts as 1).
 */
void output_line_nested(struct output *o, unsigned depth, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* How many long-output lines the caps have dropped so far. */
size_t output_dropped_lines(const struct output *o);

/*
 * Append a perfdata item. uom: NULL/"" (count), "s", "ms", "us", "%", "B",
 * "KB", "MB", "GB", "TB" or "c". warn/crit: range text or NULL. min/max:
 * NULL for none. Returns 0, or -1 (item left out) when the label is empty
 * after sanitizing, a number is NaN/infinite, the UOM or a range is not
 * accepted, OUTPUT_MAX_PERF is reached, or memory runs out.
 */
int output_perf_i64(struct output *o, const char *label, int64_t value, const char *uom,
		    const char *warn, const char *crit, const int64_t *min, const int64_t *max);
int output_perf_double(struct output *o, const char *label, double value, const char *uom,
		       const char *warn, const char *crit, const double *min, const double *max);

/* The full text, ending with '\n'; malloc'd, caller frees. NULL if out of memory. */
char *output_render(const struct output *o);

/* Write output_render() to f. 0 on success, -1 on failure. */
int output_print(const struct output *o, FILE *f);

/* Print to stdout, free o, exit with its state (0..3). */
_Noreturn void output_exit(struct output *o);

/*
 * For early fatal errors: print "S3TABLES <CHECK> <STATE> - <sanitized message>"
 * to stdout and exit with state (UNKNOWN if outside 0..3).
 */
_Noreturn void output_die(const char *check_name, enum mp_state state, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Make untrusted text safe for a single plugin-output line. Pure function.
 * - '|' becomes U+00A6 "¦" (perfdata separator must stay unique);
 * - control characters (C0 incl. CR, LF, TAB, ESC; DEL; C1 U+0080-U+009F)
 *   and U+2028/U+2029 become a space;
 * - invalid UTF-8 (bad bytes, overlong forms, surrogates, > U+10FFFF)
 *   becomes U+FFFD, one per maximal invalid subsequence;
 * - runs of spaces collapse to one; leading/trailing spaces are dropped;
 * - at most max_chars characters (code points, 0 = no limit) and at most
 *   outsz - 1 bytes are kept; text that does not fit is cut at a character
 *   boundary and ends with "…" (U+2026, counted as one of the max_chars).
 * in may be NULL (treated as ""). out is always NUL-terminated when
 * outsz > 0 (if outsz < 4 a cut text may end without "…").
 * Returns the length of out in bytes.
 */
/* Append printf-style text to the NUL-terminated buf, cutting what does not fit. */
void output_append(char *buf, size_t bufsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

size_t output_sanitize(const char *in, size_t max_chars, char *out, size_t outsz);

/*
 * Format v as a plain decimal with '.' whatever the locale: the shortest
 * digits that read back as exactly v, no exponent, no trailing zeros
 * (1800, 0.5, -2.25, 0.0000001, 100000000000000000000); -0 prints as "0".
 * Returns 0, or -1 (buf set to "" if sz > 0) for NaN/infinity or when buf
 * is too small (OUTPUT_DOUBLE_BUFSZ always suffices).
 */
int output_format_double(double v, char *buf, size_t sz);

#endif
