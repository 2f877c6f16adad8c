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

const char *error_describe_char(char *buf, size_t bufsz, char c)
{
	unsigned char u = (unsigned char)c;
	if (u > 0x20 && u < 0x7f && u != '\'')
		snprintf(buf, bufsz, "'%c'", c);
	else
		snprintf(buf, bufsz, "byte 0x%02x", u);
	return buf;
}
