/*
 * error.h - the project's error convention in one place.
 *
 * Contract: functions that can fail take a caller-supplied buffer
 * (char *err, size_t errsz) for a human-readable reason. error_set() formats
 * into it, always NUL-terminated and cut to fit; a NULL buffer or a zero size
 * is allowed and ignored. Pure: no I/O, no globals.
 */
#ifndef S3T_ERROR_H
#define S3T_ERROR_H

#include <stddef.h>

void error_set(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A rejected character for a message: 'x', or "byte 0xNN" for anything not printable. Returns buf. */
const char *error_describe_char(char *buf, size_t bufsz, char c);

#endif
