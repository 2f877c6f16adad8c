/* trace.c - see trace.h. */
#include "trace.h"

#include <stdlib.h>

int trace_on(const struct trace *t, int level)
{
	return t && t->f && t->level >= level;
}

void trace_line(const struct trace *t, int level, const char *s, size_t n)
{
	if (!trace_on(t, level))
		return;
	if (n > 0 && s[n - 1] == '\n')
		n--;
	flockfile(t->f);
	fwrite(s, 1, n, t->f);
	putc_unlocked('\n', t->f);
	fflush(t->f);
	funlockfile(t->f);
}

void trace_vprintf(const struct trace *t, int level, const char *fmt, va_list ap)
{
	char small[1024];
	va_list ap2;
	if (!trace_on(t, level))
		return;
	va_copy(ap2, ap);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n < sizeof small) {
		trace_line(t, level, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (big && vsnprintf(big, (size_t)n + 1, fmt, ap2) >= 0)
			trace_line(t, level, big, (size_t)n);
		else
			trace_line(t, level, small, sizeof small - 1); /* out of memory: the line, cut */
		free(big);
	}
	va_end(ap2);
}

void trace_printf(const struct trace *t, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	trace_vprintf(t, level, fmt, ap);
	va_end(ap);
}
