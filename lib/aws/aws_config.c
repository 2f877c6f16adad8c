/* aws_config.c - see aws_config.h. */
#include "aws_config.h"
#include "env.h"
#include "error.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- containers */

/* Open-addressing index over an array of named entries: slot holds index+1. */
struct hindex {
	size_t *slot;
	size_t cap; /* 0 or a power of two */
};

struct proptab;

struct prop {
	char *name;
	char *value;
	size_t vlen, vcap;
	struct proptab *subs; /* parsed sub-properties, or NULL */
};

struct proptab {
	struct prop *v;
	size_t n, cap;
	struct hindex h; /* names compared ignoring ASCII case */
};

struct section {
	char *name;
	struct proptab props;
};

struct seclist {
	struct section *v;
	size_t n, cap;
	struct hindex h; /* names compared exactly; unused for raw lists */
};

struct aws_config {
	struct seclist profiles, sso, services;
};

enum file_kind { KIND_CONFIG, KIND_CREDENTIALS };

static char *dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static size_t hash_str(const char *s, int ci)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++) {
		h ^= ci ? lower((unsigned char)*s) : (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return (size_t)(h ^ (h >> 29));
}

/* Find name among names[0..n) through the index; returns the index or (size_t)-1. */
static size_t hfind(const struct hindex *h, const char *name, int ci, const char *(*name_at)(const void *, size_t),
		    const void *base)
{
	if (h->cap == 0)
		return (size_t)-1;
	size_t mask = h->cap - 1;
	for (size_t i = hash_str(name, ci) & mask;; i = (i + 1) & mask) {
		size_t s = h->slot[i];
		if (s == 0)
			return (size_t)-1;
		const char *other = name_at(base, s - 1);
		if (ci ? strcasecmp(other, name) == 0 : strcmp(other, name) == 0)
			return s - 1;
	}
}

/* Make room for n+1 entries (load <= 1/2) and record entry n; -1 on allocation failure. */
static int hinsert(struct hindex *h, size_t n, int ci, const char *(*name_at)(const void *, size_t), const void *base)
{
	if ((n + 1) * 2 > h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;
		size_t *ns = calloc(ncap, sizeof(*ns));
		if (!ns)
			return -1;
		free(h->slot);
		h->slot = ns;
		h->cap = ncap;
		for (size_t j = 0; j < n; j++) {
			size_t i = hash_str(name_at(base, j), ci) & (ncap - 1);
			while (ns[i])
				i = (i + 1) & (ncap - 1);
			ns[i] = j + 1;
		}
	}
	size_t i = hash_str(name_at(base, n), ci) & (h->cap - 1);
	while (h->slot[i])
		i = (i + 1) & (h->cap - 1);
	h->slot[i] = n + 1;
	return 0;
}

static const char *prop_name_at(const void *base, size_t i)
{
	return ((const struct prop *)base)[i].name;
}

static const char *sec_name_at(const void *base, size_t i)
{
	return ((const struct section *)base)[i].name;
}

static void proptab_free(struct proptab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].name);
		free(t->v[i].value);
		if (t->v[i].subs) {
			proptab_free(t->v[i].subs);
			free(t->v[i].subs);
		}
	}
	free(t->v);
	free(t->h.slot);
	memset(t, 0, sizeof(*t));
}

static const struct prop *proptab_find(const struct proptab *t, const char *name)
{
	size_t i = hfind(&t->h, name, 1, prop_name_at, t->v);
	return i == (size_t)-1 ? NULL : &t->v[i];
}

/* Set name = value[0..vlen) (name taken as given); returns the property or NULL on ENOMEM. */
static struct prop *proptab_set(struct proptab *t, const char *name, size_t nlen, const char *value, size_t vlen)
{
	char *nm = dupn(name, nlen);
	char *val = dupn(value, vlen);
	if (!nm || !val) {
		free(nm);
		free(val);
		return NULL;
	}
	size_t i = hfind(&t->h, nm, 1, prop_name_at, t->v);
	if (i != (size_t)-1) {
		struct prop *p = &t->v[i];
		free(nm);
		free(p->value);
		p->value = val;
		p->vlen = p->vcap = vlen;
		if (p->subs) {
			proptab_free(p->subs);
			free(p->subs);
			p->subs = NULL;
		}
		return p;
	}
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 8;
		struct prop *nv = realloc(t->v, ncap * sizeof(*nv));
		if (!nv) {
			free(nm);
			free(val);
			return NULL;
		}
		t->v = nv;
		t->cap = ncap;
	}
	struct prop *p = &t->v[t->n];
	memset(p, 0, sizeof(*p));
	p->name = nm;
	p->value = val;
	p->vlen = p->vcap = vlen;
	if (hinsert(&t->h, t->n, 1, prop_name_at, t->v) != 0) {
		free(nm);
		free(val);
		return NULL;
	}
	t->n++;
	return p;
}

/* Append "\n" + text[0..n) to a property's value. */
static int prop_append_line(struct prop *p, const char *text, size_t n)
{
	size_t need = p->vlen + 1 + n + 1;
	if (need > p->vcap + 1) {
		size_t ncap = p->vcap ? p->vcap : 16;
		while (ncap + 1 < need)
			ncap *= 2;
		char *nv = realloc(p->value, ncap + 1);
		if (!nv)
			return -1;
		p->value = nv;
		p->vcap = ncap;
	}
	p->value[p->vlen++] = '\n';
	memcpy(p->value + p->vlen, text, n);
	p->vlen += n;
	p->value[p->vlen] = '\0';
	return 0;
}

static void seclist_free(struct seclist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		proptab_free(&l->v[i].props);
	}
	free(l->v);
	free(l->h.slot);
	memset(l, 0, sizeof(*l));
}

static const struct section *seclist_find(const struct seclist *l, const char *name)
{
	if (!name)
		return NULL;
	size_t i = hfind(&l->h, name, 0, sec_name_at, l->v);
	return i == (size_t)-1 ? NULL : &l->v[i];
}

/* Append a section (indexed when index is set); returns its position or -1. */
static long seclist_add(struct seclist *l, const char *name, size_t nlen, int index)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		struct section *nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = ncap;
	}
	struct section *s = &l->v[l->n];
	memset(s, 0, sizeof(*s));
	s->name = dupn(name, nlen);
	if (!s->name)
		return -1;
	if (index && hinsert(&l->h, l->n, 0, sec_name_at, l->v) != 0) {
		free(s->name);
		return -1;
	}
	return (long)l->n++;
}

static struct section *seclist_get_or_add(struct seclist *l, const char *name)
{
	size_t i = hfind(&l->h, name, 0, sec_name_at, l->v);
	if (i != (size_t)-1)
		return &l->v[i];
	long k = seclist_add(l, name, strlen(name), 1);
	return k < 0 ? NULL : &l->v[k];
}

/* ---------------------------------------------------------------- text helpers */

static int is_ws(char c) /* the profile format's whitespace */
{
	return c == ' ' || c == '\t';
}

/* Rust's char::is_whitespace (Unicode White_Space). */
static int is_unicode_ws(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
	       c == 0x3000;
}

/* A span of the (already validated) input. */
struct span {
	const char *s;
	size_t n;
};

static struct span trim_ws(struct span x)
{
	while (x.n && is_ws(x.s[0]))
		x.s++, x.n--;
	while (x.n && is_ws(x.s[x.n - 1]))
		x.n--;
	return x;
}

/* Rust's str::trim(): strip Unicode whitespace from both ends (x is valid UTF-8). */
static struct span trim_unicode(struct span x)
{
	uint32_t cp;
	for (;;) {
		size_t l = x.n ? utf8_len((const unsigned char *)x.s, x.n, &cp) : 0;
		if (!l || !is_unicode_ws(cp))
			break;
		x.s += l, x.n -= l;
	}
	while (x.n) {
		size_t st = x.n - 1;
		while (st > 0 && ((unsigned char)x.s[st] & 0xc0) == 0x80)
			st--;
		size_t l = utf8_len((const unsigned char *)x.s + st, x.n - st, &cp);
		if (!l || !is_unicode_ws(cp))
			break;
		x.n = st;
	}
	return x;
}

/* parse.rs prepare_line: trim, cut a '#'/';' comment (optionally only after whitespace), trim. */
static struct span prepare_line(struct span line, int comments_need_whitespace)
{
	struct span x = trim_ws(line);
	int prev_ws = 0;
	for (size_t i = 0; i < x.n;) {
		char c = x.s[i];
		if ((c == '#' || c == ';') && (prev_ws || !comments_need_whitespace)) {
			x.n = i;
			break;
		}
		uint32_t cp;
		size_t l = utf8_len((const unsigned char *)x.s + i, x.n - i, &cp);
		if (!l) /* cannot happen: input was validated */
			l = 1, cp = 0xfffd;
		prev_ws = is_unicode_ws(cp);
		i += l;
	}
	return trim_ws(x);
}

enum prop_err { PROP_OK, PROP_NO_EQUALS, PROP_NO_NAME };

/* parse.rs parse_property_line (the key is NOT lower-cased here). */
static enum prop_err parse_property_line(struct span line, struct span *k, struct span *v)
{
	struct span x = prepare_line(line, 1);
	const char *eq = x.n ? memchr(x.s, '=', x.n) : NULL;
	if (!eq)
		return PROP_NO_EQUALS;
	*k = trim_ws((struct span){x.s, (size_t)(eq - x.s)});
	*v = trim_ws((struct span){eq + 1, x.n - (size_t)(eq - x.s) - 1});
	if (k->n == 0)
		return PROP_NO_NAME;
	return PROP_OK;
}

static int is_identifier(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (c != '\0' && strchr("_-/.%@:+", c) != NULL)))
			return 0;
	}
	return 1;
}

/* ---------------------------------------------------------------- raw parsing */

/*
 * Parse one file into raw sections, one per header line in file order (name = the
 * text between the brackets). Mirrors parse.rs; see the header for the rules.
 */
static int parse_raw(const char *text, size_t len, const char *label, struct seclist *raw, char *err, size_t errsz)
{
	if (len > AWS_CONFIG_MAX_FILE) {
		error_set(err, errsz, "%s: larger than %u bytes (%zu bytes); refusing to parse it", label,
			AWS_CONFIG_MAX_FILE, len);
		return -1;
	}
	long cur = -1;          /* current raw section */
	struct prop *prop = NULL; /* current property (for continuations) */
	size_t prop_idx = 0;
	int is_sub = 0;
	size_t lineno = 0;
	size_t pos = 0;
	char *lowkey = NULL;
	size_t lowcap = 0;
	int rc = -1;

	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		pos += n + (nl ? 1 : 0);
		lineno++;
		if (nl && n && s[n - 1] == '\r') /* Rust str::lines(): only "\r\n" ends a line */
			n--;
		if (n > AWS_CONFIG_MAX_LINE) {
			error_set(err, errsz, "%s, line %zu: line longer than %u bytes (%zu bytes)", label, lineno,
				AWS_CONFIG_MAX_LINE, n);
			goto out;
		}
		for (size_t i = 0; i < n;) {
			uint32_t cp;
			size_t l = utf8_len((const unsigned char *)s + i, n - i, &cp);
			if (!l) {
				error_set(err, errsz, "%s, line %zu: not valid UTF-8 (byte %zu of the line)", label, lineno,
					i + 1);
				goto out;
			}
			if (cp == 0) {
				error_set(err, errsz, "%s, line %zu: contains a NUL byte (byte %zu of the line)", label,
					lineno, i + 1);
				goto out;
			}
			if (cp == 0xfeff && lineno == 1 && i == 0) {
				error_set(err, errsz,
					"%s, line 1: starts with a UTF-8 byte order mark; Expected a profile definition", label);
				goto out;
			}
			i += l;
		}
		struct span line = {s, n};

		if (trim_ws(line).n == 0 || s[0] == '#' || s[0] == ';')
			continue;
		if (s[0] == '[') {
			struct span x = prepare_line(line, 0);
			if (x.n < 2 || x.s[x.n - 1] != ']') {
				error_set(err, errsz, "%s, line %zu: Profile definition must end with ']'", label, lineno);
				goto out;
			}
			cur = seclist_add(raw, x.s + 1, x.n - 2, 0);
			if (cur < 0)
				goto nomem;
			prop = NULL;
			is_sub = 0;
		} else if (is_ws(s[0])) {
			if (cur < 0) {
				error_set(err, errsz, "%s, line %zu: Expected a profile definition, found a continuation line",
					label, lineno);
				goto out;
			}
			if (!prop) {
				error_set(err, errsz, "%s, line %zu: Expected a property definition, found continuation", label,
					lineno);
				goto out;
			}
			if (is_sub) {
				struct span k, v;
				switch (parse_property_line(line, &k, &v)) {
				case PROP_NO_EQUALS:
					error_set(err, errsz, "%s, line %zu: Expected an '=' sign defining a sub-property", label,
						lineno);
					goto out;
				case PROP_NO_NAME:
					error_set(err, errsz, "%s, line %zu: Sub-property did not have a name", label, lineno);
					goto out;
				case PROP_OK:
					break;
				}
			}
			struct span t = trim_ws(line);
			/* the property may have moved if its table grew since: re-fetch it */
			prop = &raw->v[cur].props.v[prop_idx];
			if (prop_append_line(prop, t.s, t.n) != 0)
				goto nomem;
		} else {
			if (cur < 0) {
				error_set(err, errsz, "%s, line %zu: Expected a profile definition before this property", label,
					lineno);
				goto out;
			}
			struct span k, v;
			switch (parse_property_line(line, &k, &v)) {
			case PROP_NO_EQUALS:
				error_set(err, errsz, "%s, line %zu: Expected an '=' sign defining a property", label, lineno);
				goto out;
			case PROP_NO_NAME:
				error_set(err, errsz, "%s, line %zu: Property did not have a name", label, lineno);
				goto out;
			case PROP_OK:
				break;
			}
			if (k.n + 1 > lowcap) {
				char *nl2 = realloc(lowkey, k.n + 1);
				if (!nl2)
					goto nomem;
				lowkey = nl2;
				lowcap = k.n + 1;
			}
			for (size_t i = 0; i < k.n; i++)
				lowkey[i] = (char)lower((unsigned char)k.s[i]);
			struct proptab *t = &raw->v[cur].props;
			prop = proptab_set(t, lowkey, k.n, v.s, v.n);
			if (!prop)
				goto nomem;
			prop_idx = (size_t)(prop - t->v);
			is_sub = v.n == 0;
		}
	}
	rc = 0;
	goto out;
nomem:
	error_set(err, errsz, "%s, line %zu: out of memory", label, lineno);
out:
	free(lowkey);
	return rc;
}

/* ---------------------------------------------------------------- normalising */

enum sec_type { SEC_IGNORED, SEC_PROFILE, SEC_SSO, SEC_SERVICES };

struct sec_key {
	enum sec_type type;
	int prefixed_default;   /* [profile default] */
	int unprefixed_default; /* [default] */
	struct span name;
};

static int span_is(struct span x, const char *lit)
{
	return x.n == strlen(lit) && memcmp(x.s, lit, x.n) == 0;
}

/* normalize.rs SectionPair::parse + valid_for. */
static struct sec_key section_key(const char *raw, enum file_kind kind)
{
	struct sec_key k = {SEC_IGNORED, 0, 0, {NULL, 0}};
	struct span in = trim_ws((struct span){raw, strlen(raw)});
	size_t i = 0;
	while (i < in.n && !is_ws(in.s[i]))
		i++;
	int has_prefix = i < in.n;
	struct span prefix = {in.s, i}, suffix;
	if (has_prefix) {
		prefix = trim_unicode(prefix);
		suffix = trim_unicode((struct span){in.s + i + 1, in.n - i - 1});
	} else {
		suffix = trim_unicode(in);
	}
	k.name = suffix;
	if (!is_identifier(suffix.s, suffix.n))
		return k;
	if (kind == KIND_CONFIG) {
		if (has_prefix) {
			if (span_is(prefix, "profile")) {
				k.type = SEC_PROFILE;
				k.prefixed_default = span_is(suffix, "default");
			} else if (span_is(prefix, "sso-session")) {
				k.type = SEC_SSO;
			} else if (span_is(prefix, "services")) {
				k.type = SEC_SERVICES;
			}
		} else if (span_is(suffix, "default")) {
			k.type = SEC_PROFILE;
			k.unprefixed_default = 1;
		}
	} else if (!has_prefix) {
		k.type = SEC_PROFILE;
		k.unprefixed_default = span_is(suffix, "default");
	}
	return k;
}

static int merge_in(struct aws_config *cfg, const struct seclist *raw, enum file_kind kind)
{
	int ignore_unprefixed_default = 0;
	for (size_t i = 0; i < raw->n; i++)
		if (section_key(raw->v[i].name, kind).prefixed_default)
			ignore_unprefixed_default = 1;
	for (size_t i = 0; i < raw->n; i++) {
		struct sec_key k = section_key(raw->v[i].name, kind);
		struct seclist *dst;
		if (k.type == SEC_IGNORED || (k.unprefixed_default && ignore_unprefixed_default))
			continue;
		dst = k.type == SEC_PROFILE ? &cfg->profiles : k.type == SEC_SSO ? &cfg->sso : &cfg->services;
		char *name = dupn(k.name.s, k.name.n);
		if (!name)
			return -1;
		struct section *sec = seclist_get_or_add(dst, name);
		free(name);
		if (!sec)
			return -1;
		const struct proptab *src = &raw->v[i].props;
		for (size_t j = 0; j < src->n; j++) {
			const struct prop *p = &src->v[j];
			if (!is_identifier(p->name, strlen(p->name)))
				continue;
			if (!proptab_set(&sec->props, p->name, strlen(p->name), p->value, p->vlen))
				return -1;
		}
	}
	return 0;
}

/* Parse a value that starts with "\n" into sub-properties (botocore _parse_nested / normalize.rs). */
static int build_subs(struct prop *p)
{
	if (p->vlen == 0 || p->value[0] != '\n')
		return 0;
	p->subs = calloc(1, sizeof(*p->subs));
	if (!p->subs)
		return -1;
	const char *s = p->value, *end = p->value + p->vlen;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		struct span line = {s, (size_t)(le - s)};
		s = nl ? nl + 1 : end;
		const char *eq = line.n ? memchr(line.s, '=', line.n) : NULL;
		if (!eq)
			continue;
		struct span k = trim_ws((struct span){line.s, (size_t)(eq - line.s)});
		struct span v = trim_ws((struct span){eq + 1, (size_t)(le - eq - 1)});
		if (!proptab_set(p->subs, k.s, k.n, v.s, v.n))
			return -1;
	}
	return 0;
}

static int build_all_subs(struct seclist *l)
{
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < l->v[i].props.n; j++)
			if (build_subs(&l->v[i].props.v[j]) != 0)
				return -1;
	return 0;
}

static struct aws_config *parse_labelled(const char *ctext, size_t clen, const char *clabel, const char *rtext,
					 size_t rlen, const char *rlabel, char *err, size_t errsz)
{
	struct aws_config *cfg = calloc(1, sizeof(*cfg));
	struct seclist raw = {0};
	if (!cfg)
		goto nomem;
	if (ctext) {
		if (parse_raw(ctext, clen, clabel, &raw, err, errsz) != 0)
			goto fail;
		if (merge_in(cfg, &raw, KIND_CONFIG) != 0)
			goto nomem;
		seclist_free(&raw);
	}
	if (rtext) {
		if (parse_raw(rtext, rlen, rlabel, &raw, err, errsz) != 0)
			goto fail;
		if (merge_in(cfg, &raw, KIND_CREDENTIALS) != 0)
			goto nomem;
		seclist_free(&raw);
	}
	if (build_all_subs(&cfg->profiles) != 0 || build_all_subs(&cfg->sso) != 0 ||
	    build_all_subs(&cfg->services) != 0)
		goto nomem;
	return cfg;
nomem:
	error_set(err, errsz, "out of memory while parsing the AWS config files");
fail:
	seclist_free(&raw);
	aws_config_free(cfg);
	return NULL;
}

struct aws_config *aws_config_parse(const char *config_text, size_t config_len, const char *credentials_text,
				    size_t credentials_len, char *err, size_t errsz)
{
	return parse_labelled(config_text, config_len, "config file", credentials_text, credentials_len,
			      "credentials file", err, errsz);
}

void aws_config_free(struct aws_config *cfg)
{
	if (!cfg)
		return;
	seclist_free(&cfg->profiles);
	seclist_free(&cfg->sso);
	seclist_free(&cfg->services);
	free(cfg);
}

/* ---------------------------------------------------------------- file I/O */

/* Read path into *buf (NULL when absent). 0 ok, -1 error (message names the path). */
static int read_limited(const char *path, char **buf, size_t *len, char *err, size_t errsz)
{
	*buf = NULL;
	*len = 0;
	if (!path || !*path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		error_set(err, errsz, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		error_set(err, errsz, "%s: cannot stat: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		error_set(err, errsz, "%s: is a directory, not a file", path);
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > AWS_CONFIG_MAX_FILE) {
		error_set(err, errsz, "%s: larger than %u bytes (%jd bytes); refusing to read it", path,
			AWS_CONFIG_MAX_FILE, (intmax_t)st.st_size);
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	size_t cap = AWS_CONFIG_MAX_FILE + 1, n = 0;
	char *b = malloc(cap);
	if (!b) {
		error_set(err, errsz, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	while (n < cap) {
		ssize_t r = read(fd, b + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error_set(err, errsz, "%s: cannot read: %s", path, strerror(errno));
			free(b);
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > AWS_CONFIG_MAX_FILE) {
		error_set(err, errsz, "%s: larger than %u bytes; refusing to read it", path, AWS_CONFIG_MAX_FILE);
		free(b);
		return -1;
	}
	*buf = b;
	*len = n;
	return 0;
}

struct aws_config *aws_config_load(const char *config_path, const char *credentials_path, char *err, size_t errsz)
{
	char *c = NULL, *r = NULL;
	size_t clen = 0, rlen = 0;
	struct aws_config *cfg = NULL;
	if (read_limited(config_path, &c, &clen, err, errsz) == 0 &&
	    read_limited(credentials_path, &r, &rlen, err, errsz) == 0)
		cfg = parse_labelled(c, clen, config_path, r, rlen, credentials_path, err, errsz);
	free(c);
	free(r);
	return cfg;
}

/* ---------------------------------------------------------------- lookups */

static const struct prop *find_prop(const struct seclist *l, const char *section, const char *key)
{
	const struct section *s = seclist_find(l, section);
	if (!s || !key)
		return NULL;
	return proptab_find(&s->props, key);
}

const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	const struct prop *p = cfg ? find_prop(&cfg->profiles, profile, key) : NULL;
	return p ? p->value : NULL;
}

const char *aws_config_get_sub(const struct aws_config *cfg, const char *profile, const char *key,
			       const char *subkey)
{
	const struct prop *p = cfg ? find_prop(&cfg->profiles, profile, key) : NULL;
	const struct prop *sp = (p && p->subs && subkey) ? proptab_find(p->subs, subkey) : NULL;
	return sp ? sp->value : NULL;
}

int aws_config_has_profile(const struct aws_config *cfg, const char *profile)
{
	return cfg && seclist_find(&cfg->profiles, profile) != NULL;
}

const char *aws_config_services_get(const struct aws_config *cfg, const char *services_name, const char *service,
				    const char *key)
{
	const struct prop *p = cfg ? find_prop(&cfg->services, services_name, service) : NULL;
	const struct prop *sp = (p && p->subs && key) ? proptab_find(p->subs, key) : NULL;
	return sp ? sp->value : NULL;
}

const char *aws_config_sso_session_get(const struct aws_config *cfg, const char *session, const char *key)
{
	const struct prop *p = cfg ? find_prop(&cfg->sso, session, key) : NULL;
	return p ? p->value : NULL;
}

size_t aws_config_profile_count(const struct aws_config *cfg)
{
	return cfg ? cfg->profiles.n : 0;
}

const char *aws_config_profile_name(const struct aws_config *cfg, size_t i)
{
	return (cfg && i < cfg->profiles.n) ? cfg->profiles.v[i].name : NULL;
}

size_t aws_config_property_count(const struct aws_config *cfg, const char *profile)
{
	const struct section *s = cfg ? seclist_find(&cfg->profiles, profile) : NULL;
	return s ? s->props.n : 0;
}

const char *aws_config_property_name(const struct aws_config *cfg, const char *profile, size_t i)
{
	const struct section *s = cfg ? seclist_find(&cfg->profiles, profile) : NULL;
	return (s && i < s->props.n) ? s->props.v[i].name : NULL;
}

size_t aws_config_sso_session_count(const struct aws_config *cfg)
{
	return cfg ? cfg->sso.n : 0;
}

const char *aws_config_sso_session_name(const struct aws_config *cfg, size_t i)
{
	return (cfg && i < cfg->sso.n) ? cfg->sso.v[i].name : NULL;
}

size_t aws_config_sso_session_property_count(const struct aws_config *cfg, const char *session)
{
	const struct section *s = cfg ? seclist_find(&cfg->sso, session) : NULL;
	return s ? s->props.n : 0;
}

const char *aws_config_sso_session_property_name(const struct aws_config *cfg, const char *session, size_t i)
{
	const struct section *s = cfg ? seclist_find(&cfg->sso, session) : NULL;
	return (s && i < s->props.n) ? s->props.v[i].name : NULL;
}

/* ---------------------------------------------------------------- locations */

static const char *real_getenv(const char *name)
{
	return getenv(name);
}

static int locate(const char *(*getenv_fn)(const char *), const char *var, const char *fallback, char *out,
		  size_t outsz, const char *what, char *err, size_t errsz)
{
	const char *path = getenv_fn(var);
	const char *home = "", *rest = NULL;
	size_t hlen = 0;
	int n;
	if (!path || !*path)
		path = fallback;
	if (path[0] == '~' && (path[1] == '\0' || path[1] == '/')) {
		home = getenv_fn("HOME");
		if (!home || !*home) {
			if (out && outsz)
				out[0] = '\0';
			if (!out || outsz == 0) {
				error_set(err, errsz, "no buffer for the %s path", what);
				return -1;
			}
			return 0;
		}
		hlen = strlen(home);
		while (hlen > 1 && home[hlen - 1] == '/')
			hlen--;
		rest = path + 1;
		if (hlen == 1 && home[0] == '/' && rest[0] == '/')
			hlen = 0; /* HOME=/ : "/.aws/config", not "//.aws/config" */
		n = out ? snprintf(out, outsz, "%.*s%s", (int)hlen, home, rest) : -1;
	} else {
		n = out ? snprintf(out, outsz, "%s", path) : -1;
	}
	if (n < 0 || (size_t)n >= outsz) {
		if (out && outsz)
			out[0] = '\0';
		error_set(err, errsz, "the %s path is too long (%d bytes; room for %zu)", what, n, outsz ? outsz - 1 : 0);
		return -1;
	}
	return 0;
}

int aws_config_paths(const char *(*getenv_fn)(const char *), char *config_path, size_t cpsz,
		     char *credentials_path, size_t crsz, char *err, size_t errsz)
{
	if (!getenv_fn)
		getenv_fn = real_getenv;
	if (locate(getenv_fn, "AWS_CONFIG_FILE", "~/.aws/config", config_path, cpsz, "config file", err, errsz) != 0)
		return -1;
	return locate(getenv_fn, "AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", credentials_path, crsz,
		      "credentials file", err, errsz);
}

const char *aws_config_profile_name_from(const char *option, const char *(*getenv_fn)(const char *))
{
	const char *env;
	if (option && *option)
		return option;
	if (!getenv_fn)
		getenv_fn = real_getenv;
	env = getenv_fn("AWS_PROFILE");
	if (env && *env)
		return env;
	return "default";
}

/* ---------------------------------------------------------------- settings */

const char *aws_config_setting(const struct aws_config *cfg, const char *profile,
			       const char *(*getenv_fn)(const char *), const char *env_name, const char *key,
			       const char **where)
{
	const char *v = env_name ? env_get(getenv_fn, env_name) : NULL;
	if (v) {
		if (where)
			*where = env_name;
		return v;
	}
	v = cfg && profile && key ? aws_config_get(cfg, profile, key) : NULL;
	if (v && *v) {
		if (where)
			*where = key;
		return v;
	}
	return NULL;
}

int aws_config_setting_bool(const struct aws_config *cfg, const char *profile,
			    const char *(*getenv_fn)(const char *), const char *env_name, const char *key, int *out,
			    char *err, size_t errsz)
{
	const char *where = NULL;
	const char *v = aws_config_setting(cfg, profile, getenv_fn, env_name, key, &where);
	*out = 0;
	if (!v || strcasecmp(v, "false") == 0)
		return 0;
	if (strcasecmp(v, "true") == 0) {
		*out = 1;
		return 0;
	}
	if (where == env_name)
		error_set(err, errsz, "%s='%.32s' is neither true nor false", env_name, v);
	else
		error_set(err, errsz, "profile '%s': %s = '%.32s' is neither true nor false", profile, key, v);
	return -1;
}

int aws_config_endpoint_url(const struct aws_config *cfg, const char *profile,
			    const char *(*getenv_fn)(const char *), const char *service_key, const char **url,
			    char *where, size_t wheresz, char *err, size_t errsz)
{
	char var[96];
	int ignore;
	*url = NULL;
	if (where && wheresz)
		where[0] = '\0';
	if (aws_config_setting_bool(cfg, profile, getenv_fn, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
				    "ignore_configured_endpoint_urls", &ignore, err, errsz) != 0)
		return -1;
	if (ignore)
		return 0;
	size_t n = (size_t)snprintf(var, sizeof var, "AWS_ENDPOINT_URL_%s", service_key);
	for (size_t i = strlen("AWS_ENDPOINT_URL_"); i < n && i < sizeof var; i++)
		var[i] = var[i] == '-' || var[i] == ' ' ? '_' : (char)toupper((unsigned char)var[i]);
	const char *v = env_get(getenv_fn, var), *w = var;
	if (!v) {
		v = env_get(getenv_fn, "AWS_ENDPOINT_URL");
		w = "AWS_ENDPOINT_URL";
	}
	const char *services = v || !cfg || !profile ? NULL : aws_config_get(cfg, profile, "services");
	if (!v && services && *services) {
		v = aws_config_services_get(cfg, services, service_key, "endpoint_url");
		w = "the profile's services section";
	}
	if (!v || !*v) {
		v = cfg && profile ? aws_config_get(cfg, profile, "endpoint_url") : NULL;
		w = "the profile's endpoint_url";
	}
	if (v && *v) {
		*url = v;
		if (where && wheresz)
			snprintf(where, wheresz, "%s", w);
	}
	return 0;
}
