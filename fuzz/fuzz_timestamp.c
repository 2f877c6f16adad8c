/*
 * fuzz_timestamp.c - RFC 3339 timestamps and durations (timestamp.h).
 * Input: the timestamp text.
 * Properties: an accepted timestamp is a finite number of seconds; its whole
 * seconds, printed back as "YYYY-MM-DDTHH:MM:SSZ" (years 1000-9999), parse to the
 * same second; duration_format() of its distance to a fixed "now" is short
 * printable ASCII and never overruns a small buffer. A rejected text has a message
 * that renders.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "timestamp.h"

#define FZ_NOW 1764547200.0 /* 2025-12-01T00:00:00Z */

static void check_duration(double seconds)
{
	char buf[64], tiny[5];
	duration_format(seconds, buf, sizeof buf);
	FZ_ASSERT(memchr(buf, '\0', sizeof buf) && buf[0], "duration_format(%.17g): empty or unterminated", seconds);
	for (const char *p = buf; *p; p++)
		FZ_ASSERT(*p >= 0x20 && *p < 0x7f, "duration_format(%.17g) gives \"%s\"", seconds, buf);
	duration_format(seconds, tiny, sizeof tiny);
	FZ_ASSERT(memchr(tiny, '\0', sizeof tiny), "duration_format(%.17g) overruns a 5-byte buffer", seconds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_strndup(data, size);
	char err[256];
	double t;
	if (timestamp_parse(text, &t, err, sizeof err) != 0) {
		fz_check_message(err, sizeof err, "timestamp_parse");
		free(text);
		return 0;
	}
	FZ_ASSERT(isfinite(t), "\"%s\" parses to %g", text, t);
	check_duration(FZ_NOW - t);
	check_duration(t - FZ_NOW);
	double whole = floor(t);
	FZ_ASSERT(t - whole >= 0 && t - whole < 1, "\"%s\": fraction out of range", text);
	time_t secs = (time_t)whole;
	struct tm tm;
	char back[64];
	if (gmtime_r(&secs, &tm) && tm.tm_year + 1900 >= 1000 && tm.tm_year + 1900 <= 9999) {
		strftime(back, sizeof back, "%Y-%m-%dT%H:%M:%SZ", &tm);
		double t2;
		FZ_ASSERT(timestamp_parse(back, &t2, err, sizeof err) == 0, "\"%s\" printed back as \"%s\": %s", text,
			  back, err);
		FZ_ASSERT(t2 == whole, "\"%s\" is %.17g, printed back as \"%s\" it is %.17g", text, t, back, t2);
	}
	free(text);
	return 0;
}
