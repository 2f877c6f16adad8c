/* output.c - see output.h. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, vasprintf */
#endif
#include "output.h"
#include "strbuf.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct output {
	char *check;		/* sanitized check name */
	enum mp_state state;
	char *summary;		/* sanitized, NULL if none */
	char **lines;		/* sanitized long-output lines */
	size_t nlines, lines_cap, line_bytes;
	size_t dropped_lines;	/* lines beyond the caps */
	char **perf;		/* rendered perfdata items */
	size_t nperf, perf_cap;
	bool oom;		/* an allocation failed while collecting */
};

/* ---------------------------------------------------------------- sanitizer */

/*
 * Decode one UTF-8 character at s (n bytes available, n >= 1).
 * Returns the number of bytes consumed; *cp is the code point, or
 * 0xFFFD for an invalid (maximal) subsequence.
 */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t len;
	uint32_t c;
	unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the 2nd byte */

	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xC2 && b <= 0xDF) {
		len = 2;
		c = b & 0x1F;
	} else if (b >= 0xE0 && b <= 0xEF) {
		len = 3;
		c = b & 0x0F;
		if (b == 0xE0)
			lo = 0xA0; /* no overlong forms */
		else if (b == 0xED)
			hi = 0x9F; /* no surrogates */
	} else if (b >= 0xF0 && b <= 0xF4) {
		len = 4;
		c = b & 0x07;
		if (b == 0xF0)
			lo = 0x90;
		else if (b == 0xF4)
			hi = 0x8F; /* <= U+10FFFF */
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		unsigned char lo_i = i == 1 ? lo : 0x80, hi_i = i == 1 ? hi : 0xBF;
		if (i >= n || s[i] < lo_i || s[i] > hi_i) {
			*cp = 0xFFFD;
			return i;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	*cp = c;
	return len;
}

static size_t utf8_encode(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	} else if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t output_sanitize(const char *in, size_t max_chars, char *out, size_t outsz)
{
	static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026 */
	const size_t ell_len = sizeof ellipsis - 1;
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t n = strlen((const char *)s);
	size_t cap_chars = max_chars ? max_chars : SIZE_MAX;
	size_t cap_bytes, pos = 0, nchars = 0, safe_pos = 0;
	bool pending_space = false;

	if (outsz == 0)
		return 0;
	cap_bytes = outsz - 1;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		char enc[4];
		size_t enc_len, need_bytes, need_chars;

		i += utf8_decode(s + i, n - i, &cp);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		    cp == 0x2029)
			cp = ' ';
		else if (cp == '|')
			cp = 0xA6; /* BROKEN BAR */
		if (cp == ' ') {
			if (nchars > 0)
				pending_space = true;
			continue;
		}
		enc_len = utf8_encode(cp, enc);
		need_bytes = enc_len + (pending_space ? 1 : 0);
		need_chars = 1 + (pending_space ? 1 : 0);
		if (nchars + need_chars > cap_chars || pos + need_bytes > cap_bytes) {
			/* Cut: back to the last point that leaves room for the ellipsis. */
			pos = safe_pos;
			if (pos + ell_len <= cap_bytes && cap_chars >= 1) {
				memcpy(out + pos, ellipsis, ell_len);
				pos += ell_len;
			}
			out[pos] = '\0';
			return pos;
		}
		if (pending_space) {
			out[pos++] = ' ';
			nchars++;
			pending_space = false;
		}
		memcpy(out + pos, enc, enc_len);
		pos += enc_len;
		nchars++;
		if (nchars + 1 <= cap_chars && pos + ell_len <= cap_bytes)
			safe_pos = pos;
	}
	out[pos] = '\0';
	return pos;
}

/* Sanitize into a new malloc'd string; NULL if out of memory. */
static char *sanitize_dup(const char *in, size_t max_chars)
{
	size_t n = strlen(in ? in : "");
	size_t sz;
	char *buf, *shrunk;

	/* Each input byte becomes at most 3 output bytes (U+FFFD, U+00A6 < 3). */
	if (max_chars && n > max_chars * 4)
		n = max_chars * 4;
	sz = n * 3 + 4;
	buf = malloc(sz);
	if (!buf)
		return NULL;
	n = output_sanitize(in, max_chars, buf, sz);
	shrunk = realloc(buf, n + 1);
	return shrunk ? shrunk : buf;
}

/* ------------------------------------------------------------------ numbers */

int output_format_double(double v, char *buf, size_t sz)
{
	char tmp[64], digits[20];
	size_t nd = 0, pos = 0;
	int exp10 = 0;
	bool neg;

	if (sz > 0)
		buf[0] = '\0';
	if (!isfinite(v))
		return -1;
	if (v == 0.0) {
		if (sz < 2)
			return -1;
		strcpy(buf, "0");
		return 0;
	}
	neg = signbit(v);

	/*
	 * Shortest %e form that reads back as v. snprintf() and strtod() use
	 * the same LC_NUMERIC, so the round trip works whatever the locale; the
	 * digits and the exponent are then taken from it ignoring the locale's
	 * decimal point, and the result is built by hand with '.'.
	 */
	for (int prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*e", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	{
		const char *p = tmp;
		const char *e = strchr(tmp, 'e');
		if (!e)
			return -1;
		for (; p < e; p++)
			if (*p >= '0' && *p <= '9' && nd < sizeof digits - 1)
				digits[nd++] = *p;
		exp10 = atoi(e + 1);
	}
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';

	/* value = d0.d1d2... * 10^exp10 */
#define PUT(c)                                                                                     \
	do {                                                                                       \
		if (pos + 1 >= sz) {                                                               \
			if (sz > 0)                                                                \
				buf[0] = '\0';                                                     \
			return -1;                                                                 \
		}                                                                                  \
		buf[pos++] = (c);                                                                  \
	} while (0)
	if (neg)
		PUT('-');
	if (exp10 >= 0) {
		for (int i = 0; i <= exp10; i++)
			PUT((size_t)i < nd ? digits[i] : '0');
		if ((size_t)exp10 + 1 < nd) {
			PUT('.');
			for (size_t i = (size_t)exp10 + 1; i < nd; i++)
				PUT(digits[i]);
		}
	} else {
		PUT('0');
		PUT('.');
		for (int i = 0; i < -exp10 - 1; i++)
			PUT('0');
		for (size_t i = 0; i < nd; i++)
			PUT(digits[i]);
	}
#undef PUT
	buf[pos] = '\0';
	return 0;
}

/* ------------------------------------------------------------------- object */

static bool valid_state(enum mp_state s)
{
	return s == STATE_OK || s == STATE_WARNING || s == STATE_CRITICAL || s == STATE_UNKNOWN;
}

struct output *output_new(const char *check_name)
{
	struct output *o = calloc(1, sizeof *o);
	if (!o)
		return NULL;
	o->state = STATE_OK;
	o->check = sanitize_dup(check_name, OUTPUT_CHECK_MAX_CHARS);
	if (!o->check) {
		free(o);
		return NULL;
	}
	return o;
}

void output_free(struct output *o)
{
	if (!o)
		return;
	free(o->check);
	free(o->summary);
	for (size_t i = 0; i < o->nlines; i++)
		free(o->lines[i]);
	free(o->lines);
	for (size_t i = 0; i < o->nperf; i++)
		free(o->perf[i]);
	free(o->perf);
	free(o);
}

void output_raise(struct output *o, enum mp_state s)
{
	if (!o)
		return;
	o->state = state_worst(o->state, valid_state(s) ? s : STATE_UNKNOWN);
}

enum mp_state output_state(const struct output *o)
{
	if (!o)
		return STATE_UNKNOWN;
	return o->oom ? state_worst(o->state, STATE_UNKNOWN) : o->state;
}

/* Format and sanitize; NULL if out of memory. */
static char *format_sanitized(size_t max_chars, const char *fmt, va_list ap)
{
	char *raw = NULL, *res;
	if (!fmt)
		return sanitize_dup("", max_chars);
	if (vasprintf(&raw, fmt, ap) < 0)
		return NULL;
	res = sanitize_dup(raw, max_chars);
	free(raw);
	return res;
}

void output_summary(struct output *o, const char *fmt, ...)
{
	va_list ap;
	char *s;
	if (!o)
		return;
	va_start(ap, fmt);
	s = format_sanitized(OUTPUT_SUMMARY_MAX_CHARS, fmt, ap);
	va_end(ap);
	if (!s) {
		o->oom = true;
		return;
	}
	free(o->summary);
	o->summary = s;
}

/* Keep one sanitized long-output line (ownership of s passes here). */
static void keep_line(struct output *o, char *s)
{
	size_t len = strlen(s);
	if (o->line_bytes + len + 1 > OUTPUT_MAX_LINE_BYTES) {
		free(s);
		o->dropped_lines++;
		return;
	}
	if (o->nlines == o->lines_cap) {
		size_t cap = o->lines_cap ? o->lines_cap * 2 : 8;
		char **l = realloc(o->lines, cap * sizeof *l);
		if (!l) {
			free(s);
			o->oom = true;
			return;
		}
		o->lines = l;
		o->lines_cap = cap;
	}
	o->lines[o->nlines++] = s;
	o->line_bytes += len + 1;
}

/* Format, sanitize and keep one line, with depth levels of nesting ("    \\_ " per level, 0: none). */
static void add_line(struct output *o, unsigned depth, const char *fmt, va_list ap)
{
	char *s, *line;
	if (!o)
		return;
	if (o->nlines >= OUTPUT_MAX_LINES) {
		o->dropped_lines++;
		return;
	}
	s = format_sanitized(OUTPUT_LINE_MAX_CHARS, fmt, ap);
	if (s && depth) {
		if (asprintf(&line, "%*s\\_ %s", (int)(4 * depth), "", s) < 0)
			line = NULL;
		free(s);
		s = line;
	}
	if (!s) {
		o->oom = true;
		return;
	}
	keep_line(o, s);
}

void output_line(struct output *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_line(o, 0, fmt, ap);
	va_end(ap);
}

void output_line_nested(struct output *o, unsigned depth, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_line(o, depth ? depth : 1, fmt, ap);
	va_end(ap);
}

size_t output_dropped_lines(const struct output *o)
{
	return o ? o->dropped_lines : 0;
}

/* ----------------------------------------------------------------- perfdata */

static bool valid_uom(const char *uom)
{
	static const char *const ok[] = {"", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"};
	if (!uom)
		return true;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(uom, ok[i]) == 0)
			return true;
	return false;
}

static bool valid_range(const char *r)
{
	if (!r)
		return true;
	if (strlen(r) > 64)
		return false;
	return strspn(r, "0123456789.:~@+-") == strlen(r);
}

/* "label=" or "'label'=", sanitized; NULL if the label is unusable or out of memory. */
static char *perf_label(const char *label)
{
	char *s = sanitize_dup(label, OUTPUT_LABEL_MAX_CHARS), *res;
	bool quote = false;
	if (!s)
		return NULL;
	if (!*s) {
		free(s);
		return NULL;
	}
	for (char *p = s; *p; p++) {
		if (*p == '\'' || *p == '=')
			*p = '_';
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
			quote = true;
	}
	if (asprintf(&res, quote ? "'%s'=" : "%s=", s) < 0)
		res = NULL;
	free(s);
	return res;
}

/* Append a finished item, taking ownership. */
static int perf_add(struct output *o, char *label, const char *value, const char *uom,
		    const char *warn, const char *crit, const char *min, const char *max)
{
	char *item;
	if (!label)
		return -1;
	if (asprintf(&item, "%s%s%s;%s;%s;%s%s%s", label, value, uom ? uom : "", warn ? warn : "",
		     crit ? crit : "", min ? min : "", max ? ";" : "", max ? max : "") < 0) {
		free(label);
		o->oom = true;
		return -1;
	}
	free(label);
	if (o->nperf == o->perf_cap) {
		size_t cap = o->perf_cap ? o->perf_cap * 2 : 8;
		char **p = realloc(o->perf, cap * sizeof *p);
		if (!p) {
			free(item);
			o->oom = true;
			return -1;
		}
		o->perf = p;
		o->perf_cap = cap;
	}
	o->perf[o->nperf++] = item;
	return 0;
}

static bool perf_args_ok(const struct output *o, const char *uom, const char *warn,
			 const char *crit)
{
	return o && o->nperf < OUTPUT_MAX_PERF && valid_uom(uom) && valid_range(warn) &&
	       valid_range(crit);
}

int output_perf_i64(struct output *o, const char *label, int64_t value, const char *uom,
		    const char *warn, const char *crit, const int64_t *min, const int64_t *max)
{
	char v[24], mn[24], mx[24];
	if (!perf_args_ok(o, uom, warn, crit))
		return -1;
	snprintf(v, sizeof v, "%" PRId64, value);
	if (min)
		snprintf(mn, sizeof mn, "%" PRId64, *min);
	if (max)
		snprintf(mx, sizeof mx, "%" PRId64, *max);
	return perf_add(o, perf_label(label), v, uom, warn, crit, min ? mn : NULL,
			max ? mx : NULL);
}

int output_perf_double(struct output *o, const char *label, double value, const char *uom,
		       const char *warn, const char *crit, const double *min, const double *max)
{
	char v[OUTPUT_DOUBLE_BUFSZ], mn[OUTPUT_DOUBLE_BUFSZ], mx[OUTPUT_DOUBLE_BUFSZ];
	if (!perf_args_ok(o, uom, warn, crit))
		return -1;
	if (output_format_double(value, v, sizeof v) < 0)
		return -1;
	if (min && output_format_double(*min, mn, sizeof mn) < 0)
		return -1;
	if (max && output_format_double(*max, mx, sizeof mx) < 0)
		return -1;
	return perf_add(o, perf_label(label), v, uom, warn, crit, min ? mn : NULL,
			max ? mx : NULL);
}

/* ---------------------------------------------------------------- rendering */

char *output_render(const struct output *o)
{
	struct strbuf b = {0};
	enum mp_state st = output_state(o);

	strbuf_add(&b, "S3TABLES ");
	if (o && o->check && *o->check) {
		strbuf_add(&b, o->check);
		strbuf_add(&b, " ");
	}
	strbuf_add(&b, state_name(st));
	if (o && o->summary && *o->summary) {
		strbuf_add(&b, " - ");
		strbuf_add(&b, o->summary);
	} else if (!o) {
		strbuf_add(&b, " - out of memory");
	}
	if (o && o->nperf > 0) {
		strbuf_add(&b, " |");
		for (size_t i = 0; i < o->nperf; i++) {
			strbuf_add(&b, " ");
			strbuf_add(&b, o->perf[i]);
		}
	}
	strbuf_add(&b, "\n");
	if (o) {
		for (size_t i = 0; i < o->nlines; i++) {
			strbuf_add(&b, o->lines[i]);
			strbuf_add(&b, "\n");
		}
		if (o->dropped_lines > 0) {
			char more[64];
			snprintf(more, sizeof more, "... %zu more line%s\n", o->dropped_lines,
				 o->dropped_lines == 1 ? "" : "s");
			strbuf_add(&b, more);
		}
		if (o->oom)
			strbuf_add(&b, "(out of memory: output incomplete)\n");
	}
	return strbuf_take(&b);
}

int output_print(const struct output *o, FILE *f)
{
	char *text = output_render(o);
	int rc = 0;
	if (!text)
		return -1;
	if (fputs(text, f) == EOF || fflush(f) == EOF)
		rc = -1;
	free(text);
	return rc;
}

_Noreturn void output_exit(struct output *o)
{
	enum mp_state st = output_state(o);
	if (output_print(o, stdout) < 0) {
		/* Last resort without allocating. */
		fprintf(stdout, "S3TABLES %s - out of memory\n", state_name(STATE_UNKNOWN));
		fflush(stdout);
		st = STATE_UNKNOWN;
	}
	output_free(o);
	exit((int)st);
}

_Noreturn void output_die(const char *check_name, enum mp_state state, const char *fmt, ...)
{
	char check[OUTPUT_CHECK_MAX_CHARS * 4 + 4];
	char msg[OUTPUT_SUMMARY_MAX_CHARS * 4 + 4];
	char *raw = NULL;
	va_list ap;

	if (!valid_state(state))
		state = STATE_UNKNOWN;
	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&raw, fmt, ap) < 0)
			raw = NULL;
		va_end(ap);
	}
	output_sanitize(check_name, OUTPUT_CHECK_MAX_CHARS, check, sizeof check);
	output_sanitize(raw ? raw : fmt, OUTPUT_SUMMARY_MAX_CHARS, msg, sizeof msg);
	free(raw);
	fprintf(stdout, "S3TABLES %s%s%s%s%s\n", check, *check ? " " : "", state_name(state),
		*msg ? " - " : "", msg);
	fflush(stdout);
	exit((int)state);
}

void output_append(char *buf, size_t bufsz, const char *fmt, ...)
{
	size_t used = strnlen(buf, bufsz);
	if (used + 1 >= bufsz)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + used, bufsz - used, fmt, ap);
	va_end(ap);
}
