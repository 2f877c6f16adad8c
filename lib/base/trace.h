/*
 * trace.h - the one sink for -v / -vv / -vvv diagnostics.
 *
 * Contract: a struct trace is created by the run layer (level = the number of
 * -v, f = stderr) and handed down as a pointer to whoever traces; NULL, a NULL
 * f or a level below the one asked for means silence. No hidden globals.
 * trace_printf() writes ONE whole line per call (the newline is added; a
 * trailing newline in the text is not doubled) with a single locked write,
 * so lines from concurrent threads never interleave. trace_line() does the
 * same for a ready-made text of n bytes. The text is written as given:
 * callers never pass a secret (key, token, signature, proxy password).
 * Levels: 1 request facts, 2 configuration resolution, 3 HTTP trace.
 */
#ifndef S3T_TRACE_H
#define S3T_TRACE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct trace {
	int level; /* how many -v */
	FILE *f;   /* where lines go (stderr), NULL = silent */
};

/* Does t trace at this level? */
int trace_on(const struct trace *t, int level);
void trace_printf(const struct trace *t, int level, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void trace_vprintf(const struct trace *t, int level, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
void trace_line(const struct trace *t, int level, const char *s, size_t n);

#endif
