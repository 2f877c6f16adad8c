/*
 * fuzz_output.c - the plugin result and its rendering (output.h).
 * Input: a list of operations, each one byte (op % 5: summary, long-output line,
 * integer perfdata, floating-point perfdata, raise the state) followed by its
 * arguments: texts end at a NUL byte; numbers are 8 raw bytes; perfdata takes a
 * label, one byte choosing the unit (some not allowed), warning and critical range
 * texts (parsed with range_parse() and formatted with range_format(), as the plugins
 * do; an unparsable one means none), one byte saying whether min/max are given.
 * Properties: the rendered text passes fz_check_rendered() (valid UTF-8, no control
 * characters, one " | " exactly when an item was added, each item in the
 * monitoring-plugins grammar, as many items as calls that returned 0), states only
 * ever get worse (the header names the worst state raised), an item whose label
 * sanitizes to something, whose number is finite and whose unit is allowed is never
 * refused below OUTPUT_MAX_PERF, and the summary and each line keep to their caps.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "range.h"

struct in {
	const uint8_t *p, *end;
};

static int take_byte(struct in *in)
{
	return in->p < in->end ? *in->p++ : 0;
}

static const char *take_str(struct in *in, char *buf, size_t bufsz)
{
	size_t n = 0;
	while (in->p < in->end && *in->p) {
		if (n + 1 < bufsz)
			buf[n++] = (char)*in->p;
		in->p++;
	}
	if (in->p < in->end)
		in->p++;
	buf[n] = '\0';
	return buf;
}

static uint64_t take_u64(struct in *in)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | (uint64_t)take_byte(in);
	return v;
}

/* A range text the way the plugins make one, or NULL. */
static const char *take_range(struct in *in, char *buf, size_t bufsz)
{
	char text[256], err[256];
	struct range r;
	take_str(in, text, sizeof text);
	if (!text[0] || range_parse(text, RANGE_PLAIN, &r, err, sizeof err) != 0 || range_format(&r, buf, bufsz) != 0 ||
	    strlen(buf) > 64)
		return NULL;
	return buf;
}

static enum mp_state worse(enum mp_state a, enum mp_state b)
{
	static const int rank[] = {0, 1, 3, 2}; /* OK < WARNING < UNKNOWN < CRITICAL */
	if ((unsigned)b > 3)
		b = STATE_UNKNOWN;
	return rank[b] > rank[a] ? b : a;
}

static size_t chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static void check_caps(const char *text, enum mp_state st)
{
	const char *nl = strchr(text, '\n');
	const char *dash = text + strlen("S3TABLES OUTPUT ") + strlen(state_name(st));
	if (strncmp(dash, " - ", 3) == 0) {
		const char *bar = strstr(dash, " | ");
		const char *end = bar && bar < nl ? bar : nl;
		FZ_ASSERT(chars(dash + 3, (size_t)(end - dash - 3)) <= OUTPUT_SUMMARY_MAX_CHARS, "summary too long: %s", text);
	}
	size_t lines = 0;
	for (const char *l = nl + 1; *l; lines++) {
		const char *e = strchr(l, '\n');
		FZ_ASSERT(chars(l, (size_t)(e - l)) <= OUTPUT_LINE_MAX_CHARS, "long-output line too long: %s", text);
		l = e + 1;
	}
	FZ_ASSERT(lines <= OUTPUT_MAX_LINES + 2, "%zu long-output lines", lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const uoms[] = {"", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c", "KiB", "x;y", NULL};
	struct in in = {data, data + size};
	struct output *o = output_new("OUTPUT");
	enum mp_state want = STATE_OK;
	size_t nperf = 0;
	char a[4096], label[1024], w[128], c[128], san[OUTPUT_LABEL_MAX_CHARS * 4 + 4];
	FZ_ASSERT(o, "output_new failed");

	for (int ops = 0; in.p < in.end && ops < 400; ops++) {
		int op = take_byte(&in) % 5;
		if (op == 0) {
			output_summary(o, "%s", take_str(&in, a, sizeof a));
		} else if (op == 1) {
			output_line(o, "%s", take_str(&in, a, sizeof a));
		} else if (op == 2 || op == 3) {
			take_str(&in, label, sizeof label);
			const char *uom = uoms[take_byte(&in) % (sizeof uoms / sizeof *uoms)];
			uint64_t bits = take_u64(&in);
			const char *warn = take_range(&in, w, sizeof w), *crit = take_range(&in, c, sizeof c);
			int mm = take_byte(&in);
			int rc, finite = 1;
			if (op == 2) {
				int64_t v = (int64_t)bits, mn = -(int64_t)(bits >> 40), mx = (int64_t)(bits >> 8);
				rc = output_perf_i64(o, label, v, uom, warn, crit, mm & 1 ? &mn : NULL, mm & 2 ? &mx : NULL);
			} else {
				double v, mn = -1.5, mx = 1e21;
				memcpy(&v, &bits, sizeof v);
				finite = isfinite(v);
				rc = output_perf_double(o, label, v, uom, warn, crit, mm & 1 ? &mn : NULL, mm & 2 ? &mx : NULL);
			}
			int allowed = uom == NULL || (strcmp(uom, "KiB") != 0 && strcmp(uom, "x;y") != 0);
			if (rc == 0) {
				FZ_ASSERT(allowed && finite, "an item with unit \"%s\" or a non-finite value was added",
					  uom ? uom : "(null)");
				nperf++;
			} else {
				FZ_ASSERT(!allowed || !finite || nperf >= OUTPUT_MAX_PERF ||
					  output_sanitize(label, OUTPUT_LABEL_MAX_CHARS, san, sizeof san) == 0,
					  "item \"%s\" refused", label);
			}
		} else {
			int s = take_byte(&in);
			s = s < 8 ? s : s % 4;
			output_raise(o, (enum mp_state)s);
			want = worse(want, (enum mp_state)s);
		}
	}
	FZ_ASSERT(output_state(o) == want, "state %d, expected %d", (int)output_state(o), (int)want);
	char *text = output_render(o);
	fz_check_rendered(text, "OUTPUT", want, nperf > 0, nperf);
	check_caps(text, want);
	free(text);
	output_free(o);
	return 0;
}
