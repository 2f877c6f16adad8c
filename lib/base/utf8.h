/*
 * utf8.h - strict UTF-8 decoding.
 *
 * Contract: utf8_len() looks at the n >= 1 bytes at s and returns the length
 * (1..4) of the valid UTF-8 sequence there, with its code point in *cp, or 0
 * when the bytes are not valid UTF-8 (overlong forms, surrogates, code points
 * above U+10FFFF, a truncated or malformed sequence). Pure, no allocation.
 */
#ifndef S3T_UTF8_H
#define S3T_UTF8_H

#include <stddef.h>
#include <stdint.h>

size_t utf8_len(const unsigned char *s, size_t n, uint32_t *cp);

#endif
