/* fuzz_common.c - see fuzz.h. */
#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credentials.h"
#include "output.h"
#include "range.h"
#include "render.h"
#include "result.h"

void fz_fail(const char *fmt, ...)
{
	va_list ap;
	fputs("fuzz property violated: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void *fz_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		fz_fail("out of memory");
	return p;
}

char *fz_strndup(const void *data, size_t n)
{
	char *s = fz_alloc(n + 1);
	if (n)
		memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

char *fz_expand(const void *data, size_t n, size_t *outlen)
{
	const char *in = data;
	const size_t ml = sizeof FZ_SECRET_MARK - 1, sl = sizeof FZ_SECRET - 1;
	size_t marks = 0, i, o = 0;
	for (i = 0; i + ml <= n; i++)
		if (memcmp(in + i, FZ_SECRET_MARK, ml) == 0)
			marks++, i += ml - 1;
	char *s = fz_alloc(n + marks * sl + 1);
	for (i = 0; i < n;) {
		if (i + ml <= n && memcmp(in + i, FZ_SECRET_MARK, ml) == 0) {
			memcpy(s + o, FZ_SECRET, sl);
			o += sl;
			i += ml;
		} else {
			s[o++] = in[i++];
		}
	}
	s[o] = '\0';
	if (outlen)
		*outlen = o;
	return s;
}

void fz_split(const void *data, size_t n, struct fz_field *fields, size_t nfields)
{
	const char *p = data, *end = p + n;
	for (size_t f = 0; f < nfields; f++) {
		const char *q = p;
		if (f + 1 < nfields)
			while (q < end && *q)
				q++;
		else
			q = end;
		fields[f].n = (size_t)(q - p);
		fields[f].s = fz_strndup(p, fields[f].n);
		p = q < end ? q + 1 : end;
	}
}

void fz_fields_free(struct fz_field *fields, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++) {
		free(fields[f].s);
		fields[f].s = NULL;
	}
}

int fz_same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int fz_contains(const char *hay, const char *needle, size_t needlen)
{
	for (const char *h = hay; *h; h++) {
		size_t k = 0;
		while (k < needlen && h[k] == needle[k])
			k++;
		if (k == needlen)
			return 1;
	}
	return 0;
}

void fz_check_no_secret(const char *text, const char *what)
{
	static const char secret[] = FZ_SECRET;
	if (!text)
		return;
	for (size_t i = 0; i + FZ_SECRET_WINDOW < sizeof secret; i++)
		if (fz_contains(text, secret + i, FZ_SECRET_WINDOW))
			fz_fail("%s contains part of the secret: \"%s\"", what, text);
}

/* Length of the UTF-8 sequence at s (valid, at most n bytes), or 0; *cp gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c = s[0], min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

int fz_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	for (size_t i = 0; i < n;) {
		size_t l = utf8_seq(p + i, n - i, &cp);
		if (!l)
			return 0;
		i += l;
	}
	return 1;
}

static int is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* A plain decimal as output_format_double() writes it: -?digits(.digits)?. */
static const char *number_end(const char *p, const char *end)
{
	const char *q = p;
	if (q < end && *q == '-')
		q++;
	const char *d = q;
	while (q < end && *q >= '0' && *q <= '9')
		q++;
	if (q == d)
		return NULL;
	if (q < end && *q == '.') {
		const char *f = ++q;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q == f)
			return NULL;
	}
	return q;
}

/* A monitoring-plugins range: [@](NUM | (NUM|~):[NUM]); empty means none. */
static int valid_perf_range(const char *p, const char *end)
{
	if (p == end)
		return 1;
	if (*p == '@')
		p++;
	const char *q;
	if (p < end && *p == '~') {
		q = p + 1;
		if (q >= end || *q != ':')
			return 0;
	} else {
		q = number_end(p, end);
		if (!q)
			return 0;
		if (q == end)
			return 1;
		if (*q != ':')
			return 0;
	}
	q++;
	if (q == end)
		return 1;
	q = number_end(q, end);
	return q == end;
}

static int valid_uom(const char *p, const char *end)
{
	static const char *const uoms[] = {"", "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"};
	size_t n = (size_t)(end - p);
	for (size_t i = 0; i < sizeof uoms / sizeof *uoms; i++)
		if (strlen(uoms[i]) == n && memcmp(uoms[i], p, n) == 0)
			return 1;
	return 0;
}

/* One item at p; returns its end, or fails. */
static const char *check_perf_item(const char *p, const char *end, const char *text)
{
	const char *q = p;
	if (*q == '\'') {
		q++;
		while (q < end && *q != '\'')
			q++;
		FZ_ASSERT(q < end, "perfdata label quote not closed: %s", text);
		FZ_ASSERT(q > p + 1, "empty quoted perfdata label: %s", text);
		for (const char *l = p + 1; l < q; l++)
			FZ_ASSERT(*l != '=', "'=' in a perfdata label: %s", text);
		q++;
	} else {
		while (q < end && *q != '=') {
			FZ_ASSERT((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
				  *q == '_' || *q == '.' || *q == '-',
				  "unquoted perfdata label with '%c': %s", *q, text);
			q++;
		}
		FZ_ASSERT(q > p, "empty perfdata label: %s", text);
	}
	FZ_ASSERT(q < end && *q == '=', "perfdata label not followed by '=': %s", text);
	q++;
	const char *v = number_end(q, end);
	FZ_ASSERT(v, "perfdata value is not a plain number: %s", text);
	const char *u = v;
	while (u < end && *u != ';' && *u != ' ')
		u++;
	FZ_ASSERT(valid_uom(v, u), "perfdata unit '%.*s' not allowed: %s", (int)(u - v), v, text);
	/* ;warn;crit;min and an optional ;max */
	const char *fields[4][2];
	size_t nf = 0;
	q = u;
	while (q < end && *q == ';') {
		FZ_ASSERT(nf < 4, "too many ';' in a perfdata item: %s", text);
		const char *b = ++q;
		while (q < end && *q != ';' && *q != ' ')
			q++;
		fields[nf][0] = b;
		fields[nf][1] = q;
		nf++;
	}
	FZ_ASSERT(nf >= 3, "perfdata item without ;warn;crit;min: %s", text);
	FZ_ASSERT(valid_perf_range(fields[0][0], fields[0][1]), "bad perfdata warning range: %s", text);
	FZ_ASSERT(valid_perf_range(fields[1][0], fields[1][1]), "bad perfdata critical range: %s", text);
	for (size_t i = 2; i < nf; i++)
		FZ_ASSERT(fields[i][0] == fields[i][1] || number_end(fields[i][0], fields[i][1]) == fields[i][1],
			  "bad perfdata min/max: %s", text);
	return q;
}

void fz_check_rendered(const char *text, const char *check, enum mp_state state, int has_perf, size_t nperf)
{
	FZ_ASSERT(text, "output_render() returned NULL");
	size_t n = strlen(text);
	FZ_ASSERT(fz_valid_utf8(text, n), "rendered output is not valid UTF-8: %s", text);
	FZ_ASSERT(n > 0 && text[n - 1] == '\n', "rendered output does not end with a newline: %s", text);
	const unsigned char *p = (const unsigned char *)text;
	size_t bars = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = utf8_seq(p + i, n - i, &cp);
		FZ_ASSERT(cp == '\n' || !is_control(cp), "control character U+%04X in rendered output: %s", (unsigned)cp,
			  text);
		if (cp == '|')
			bars++;
		i += l;
	}
	char head[128];
	snprintf(head, sizeof head, "S3TABLES %s %s", check, state_name(state));
	FZ_ASSERT(strncmp(text, head, strlen(head)) == 0, "output does not start with \"%s\": %s", head, text);
	const char *nl = strchr(text, '\n');
	const char *bar = strchr(text, '|');
	FZ_ASSERT(bars == (has_perf ? 1u : 0u), "%zu '|' with%s perfdata: %s", bars, has_perf ? "" : "out", text);
	if (!has_perf)
		return;
	FZ_ASSERT(bar < nl && bar > text && bar[-1] == ' ' && bar[1] == ' ', "'|' not as \" | \" on the first line: %s",
		  text);
	const char *q = bar + 2;
	size_t items = 0;
	for (;;) {
		q = check_perf_item(q, nl, text);
		items++;
		if (q == nl)
			break;
		FZ_ASSERT(*q == ' ' && q + 1 < nl, "perfdata items not separated by one space: %s", text);
		q++;
	}
	FZ_ASSERT(items == nperf, "%zu perfdata items rendered, %zu added: %s", items, nperf, text);
}

void fz_check_message(const char *err, size_t errsz, const char *what)
{
	FZ_ASSERT(memchr(err, '\0', errsz), "%s: message not NUL-terminated", what);
	FZ_ASSERT(err[0], "%s failed with an empty message", what);
	fz_render_message(err);
}

void fz_render_message(const char *msg)
{
	struct output *o = output_new("FUZZ");
	FZ_ASSERT(o, "output_new() failed");
	output_raise(o, STATE_UNKNOWN);
	output_summary(o, "%s", msg);
	output_line(o, "%s", msg);
	char *text = output_render(o);
	fz_check_rendered(text, "FUZZ", STATE_UNKNOWN, 0, 0);
	free(text);
	output_free(o);
}

static struct {
	const char *name, *value;
} fz_env[8];

void fz_env_set(const char *name, const char *value)
{
	size_t i;
	for (i = 0; i < 8 && fz_env[i].name && strcmp(fz_env[i].name, name) != 0; i++)
		;
	FZ_ASSERT(i < 8, "fz_env_set: too many variables");
	fz_env[i].name = name;
	fz_env[i].value = value;
}

void fz_env_clear(void)
{
	memset(fz_env, 0, sizeof fz_env);
}

const char *fz_getenv(const char *name)
{
	for (size_t i = 0; i < 8 && fz_env[i].name; i++)
		if (strcmp(fz_env[i].name, name) == 0)
			return fz_env[i].value;
	return NULL;
}

void fz_check_creds(const struct creds *c, const char *source, const char *what)
{
	FZ_ASSERT(c->access_key_id && c->access_key_id[0], "%s: accepted without an access key id", what);
	FZ_ASSERT(c->secret_access_key && c->secret_access_key[0], "%s: accepted without a secret", what);
	FZ_ASSERT(strcmp(c->source, source) == 0, "%s: source \"%s\", expected \"%s\"", what, c->source, source);
}

/* Items in the tree; fails on a node whose state is not 0..3. */
static size_t tree_perf(const struct result *r)
{
	size_t n = r->nperf;
	FZ_ASSERT((unsigned)result_state(r) <= 3, "a node with state %d", (int)result_state(r));
	for (size_t i = 0; i < r->nchild; i++)
		n += tree_perf(r->child[i]);
	return n;
}

void fz_check_result(const struct result *root, const char *check)
{
	FZ_ASSERT(root, "the evaluator returned no result");
	size_t n = tree_perf(root);
	if (n > OUTPUT_MAX_PERF)
		n = OUTPUT_MAX_PERF;
	char *text = render_text(check, root);
	fz_check_rendered(text, check, result_state(root), n > 0, n);
	free(text);
}

char *fz_check_same_results(const struct result *r, struct result *r2, const char *check)
{
	fz_check_result(r, check);
	char *a = render_text(check, r), *b = render_text(check, r2);
	FZ_ASSERT(a && b && strcmp(a, b) == 0, "two evaluations differ:\n%s---\n%s", a ? a : "", b ? b : "");
	free(b);
	result_free(r2);
	return a;
}

void fz_set_range(struct range *r, int *has, const char *text, enum range_kind kind)
{
	char err[128];
	*has = range_parse(text, kind, r, err, sizeof err) == 0;
	FZ_ASSERT(*has, "range \"%s\": %s", text, err);
}

void fz_parse_twice(const uint8_t *data, size_t size, int nwhich, fz_dump_fn dump, const char *what)
{
	if (size < 1)
		return;
	int which = data[0] % nwhich, ok, ok2;
	char err[512], err2[512];
	char *a = dump(which, (const char *)data + 1, size - 1, &ok, err, sizeof err);
	char *b = dump(which, (const char *)data + 1, size - 1, &ok2, err2, sizeof err2);
	FZ_ASSERT(ok == ok2 && strcmp(a, b) == 0, "%s: two parses differ", what);
	if (!ok) {
		FZ_ASSERT(strcmp(err, err2) == 0, "%s: two parses give two messages: %s / %s", what, err, err2);
		fz_check_message(err, sizeof err, what);
	}
	free(a);
	free(b);
}
