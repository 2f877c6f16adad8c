/*
 * strbuf.h - a growable NUL-terminated string buffer.
 *
 * Contract: start from a zeroed struct strbuf. The add functions append;
 * an allocation failure is sticky (oom) and later adds do nothing, so callers
 * check once at the end. When the buffer grows, and when it is freed, the old
 * bytes are wiped first: buffers may hold signed requests or form bodies with
 * tokens. strbuf_take() hands the string to the caller (NULL after a failure)
 * and resets the buffer; strbuf_free() wipes and releases it.
 */
#ifndef S3T_STRBUF_H
#define S3T_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p;
	size_t len, cap;
	int oom;
};

void strbuf_addn(struct strbuf *b, const char *s, size_t n);
void strbuf_add(struct strbuf *b, const char *s);
void strbuf_addc(struct strbuf *b, char c);
char *strbuf_take(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
