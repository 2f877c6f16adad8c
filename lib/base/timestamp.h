/*
 * timestamp.h - RFC 3339 / ISO 8601 date-time parsing and age formatting.
 *
 * Contract: timestamp_parse() accepts what S3 Tables sends for the model's
 * iso8601 timestamps: "YYYY-MM-DDTHH:MM:SS" with optional fractional seconds
 * (any number of digits), then "Z"/"z" or a "+hh:mm" / "-hh:mm" offset
 * ("+hhmm" too). The date-time separator may be 'T', 't' or a space. Every
 * field is range-checked (month 1-12, day valid for the month and leap year,
 * hour 0-23, minute 0-59, second 0-60). It returns the instant as seconds
 * since the Unix epoch (UTC) with the fraction kept, or -1 with a reason.
 * duration_format() renders a non-negative number of seconds the way an
 * operator reads it ("45s", "10m", "2h 5m", "3d 4h"). Pure: no I/O, no
 * globals, no dependence on TZ or locale.
 */
#ifndef S3T_TIMESTAMP_H
#define S3T_TIMESTAMP_H

#include <stddef.h>

int timestamp_parse(const char *text, double *epoch_seconds, char *err, size_t errsz);

/* Writes e.g. "2h 5m" into buf; negative values are rendered with a leading '-'. */
void duration_format(double seconds, char *buf, size_t bufsz);

#endif
