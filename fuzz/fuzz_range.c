/*
 * fuzz_range.c - threshold ranges (range.h). Input: one byte for the kind
 * (plain, duration, bytes), then the range text.
 * Properties: a range that parses formats (range_format) into text that parses
 * back, as a plain range, to the same range, and formats to the same text again;
 * its finite endpoints (as integers when exact) alert exactly when the range is an "@" range (endpoints are
 * inclusive); the formatted text is accepted by output_perf_double() as a warning
 * and a critical range and renders as valid perfdata. A rejected text has a
 * message that renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "range.h"

/*
 * Two endpoints are the same value when both exact integers agree, both doubles agree,
 * or (one exact, one not) the double is that very integer: "-9223372036854775809" is
 * kept as the double -2^63, which formats as "-9223372036854775808", which is exact.
 */
static int same_endpoint(double ad, int aexact, int64_t ai, double bd, int bexact, int64_t bi)
{
	if (aexact && bexact)
		return ai == bi;
	if (!aexact && !bexact)
		return ad == bd;
	double d = aexact ? bd : ad;
	int64_t i = aexact ? ai : bi;
	return d >= -9223372036854775808.0 && d < 9223372036854775808.0 && (int64_t)d == i && d == (double)i;
}

static void same_range(const struct range *a, const struct range *b, const char *text, const char *fmt)
{
	FZ_ASSERT(a->alert_inside == b->alert_inside && a->start_infinite == b->start_infinite &&
		  a->end_infinite == b->end_infinite,
		  "range \"%s\" formatted as \"%s\" parses back with other flags", text, fmt);
	if (!a->start_infinite)
		FZ_ASSERT(same_endpoint(a->start, a->start_exact, a->start_i64, b->start, b->start_exact, b->start_i64),
			  "range \"%s\" formatted as \"%s\" parses back with another start", text, fmt);
	if (!a->end_infinite)
		FZ_ASSERT(same_endpoint(a->end, a->end_exact, a->end_i64, b->end, b->end_exact, b->end_i64),
			  "range \"%s\" formatted as \"%s\" parses back with another end", text, fmt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum range_kind kind = (enum range_kind)(data[0] % 3);
	char *text = fz_strndup(data + 1, size - 1);
	struct range r, back;
	char err[256], fmt[1024], fmt2[1024];

	if (range_parse(text, kind, &r, err, sizeof err) != 0) {
		fz_check_message(err, sizeof err, "range_parse");
		free(text);
		return 0;
	}
	FZ_ASSERT(r.start_infinite || isfinite(r.start), "range \"%s\": start not finite", text);
	FZ_ASSERT(r.end_infinite || isfinite(r.end), "range \"%s\": end not finite", text);
	FZ_ASSERT(r.start_infinite || r.end_infinite || r.start <= r.end, "range \"%s\": start after end", text);
	FZ_ASSERT(range_format(&r, fmt, sizeof fmt) == 0, "range \"%s\" does not format", text);
	FZ_ASSERT(range_parse(fmt, RANGE_PLAIN, &back, err, sizeof err) == 0, "range \"%s\" formatted as \"%s\": %s",
		  text, fmt, err);
	same_range(&r, &back, text, fmt);
	FZ_ASSERT(range_format(&back, fmt2, sizeof fmt2) == 0 && strcmp(fmt, fmt2) == 0,
		  "range \"%s\": \"%s\" formats again as \"%s\"", text, fmt, fmt2);

	/* An exact endpoint is probed as an integer: its double may be rounded past it. */
	if (!r.start_infinite)
		FZ_ASSERT((r.start_exact ? range_alerts_i64(&r, r.start_i64) : range_alerts_double(&r, r.start)) ==
			  r.alert_inside, "range \"%s\": its start alerts wrongly", text);
	if (!r.end_infinite)
		FZ_ASSERT((r.end_exact ? range_alerts_i64(&r, r.end_i64) : range_alerts_double(&r, r.end)) ==
			  r.alert_inside, "range \"%s\": its end alerts wrongly", text);

	struct output *o = output_new("RANGE");
	double v = r.start_infinite ? 0 : r.start;
	/*
	 * output.c takes warn/crit ranges of at most 64 bytes and leaves the whole item out
	 * otherwise (so "-w 5e239" drops the metric): longer texts are not required to fit.
	 */
	int added = output_perf_double(o, "value", v, "s", fmt, fmt, NULL, NULL) == 0;
	FZ_ASSERT(added || strlen(fmt) > 64, "output_perf_double refuses the range \"%s\"", fmt);
	char *out = output_render(o);
	fz_check_rendered(out, "RANGE", STATE_OK, added, (size_t)added);
	free(out);
	output_free(o);
	free(text);
	return 0;
}
