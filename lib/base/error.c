/* error.c - see error.h. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

void error_set(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	if (!err || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}
