/*
 * sigv4.c - AWS Signature Version 4, Authorization-header mode.
 * See sigv4.h for the contract. Rules follow botocore's SigV4Auth and
 * aws-c-auth (checked against the aws-c-auth v4 suite in tests/data/sigv4).
 */
#include "sigv4.h"
#include "error.h"
#include "strbuf.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

/* ---- small helpers ------------------------------------------------------ */

static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

static void uri_encode_into(struct strbuf *b, const char *s, size_t n, int encode_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (c == '/' && !encode_slash)) {
			strbuf_addc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 0xf] };
			strbuf_addn(b, e, 3);
		}
	}
}

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out (at least n bytes). A '%' not followed by two
 * hex digits stays literal. '+' stays '+'. Returns the decoded length. */
static size_t uri_decode(const char *s, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	return o;
}

static int has_ctl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 1;
	return 0;
}

/* printable ASCII, no space, none of the bytes in `bad` */
static int is_simple_token(const char *s, const char *bad)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || strchr(bad, c))
			return 0;
	}
	return 1;
}

/* RFC 7230 token characters, for header names and the method. */
static int is_http_token(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", c)))
			return 0;
	}
	return 1;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* ---- public helpers ----------------------------------------------------- */

char *sigv4_uri_encode(const char *in, int encode_slash)
{
	struct strbuf b = { 0 };
	if (!in)
		return NULL;
	uri_encode_into(&b, in, strlen(in), encode_slash);
	return strbuf_take(&b);
}

void sigv4_hex_sha256(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	static const unsigned char empty = 0;
	if (!data)
		data = &empty; /* only valid with len == 0 */
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32) {
		out[0] = '\0';
		return;
	}
	hex_encode(md, 32, out);
}

void sigv4_result_free(struct sigv4_result *res)
{
	if (!res)
		return;
	free(res->canonical_request);
	free(res->string_to_sign);
	free(res->authorization);
	res->canonical_request = res->string_to_sign = res->authorization = NULL;
}

/* ---- canonical URI ------------------------------------------------------ */

/* botocore normalize_url_path/remove_dot_segments. path starts with '/'. */
static char *normalize_path(const char *path)
{
	size_t n = strlen(path), nseg = 0;
	struct seg { const char *p; size_t len; } *segs;
	struct strbuf b = { 0 };

	segs = calloc(n / 2 + 2, sizeof(*segs));
	if (!segs)
		return NULL;
	for (const char *p = path; *p;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* skip */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg)
				nseg--;
		} else {
			segs[nseg].p = p;
			segs[nseg].len = len;
			nseg++;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	strbuf_addc(&b, '/');
	for (size_t i = 0; i < nseg; i++) {
		if (i)
			strbuf_addc(&b, '/');
		strbuf_addn(&b, segs[i].p, segs[i].len);
	}
	if (nseg && n && path[n - 1] == '/')
		strbuf_addc(&b, '/');
	free(segs);
	return strbuf_take(&b);
}

/* ---- canonical query ---------------------------------------------------- */

struct qpair {
	char *key;  /* encoded */
	char *val;  /* encoded */
};

static int qpair_cmp(const void *a, const void *b)
{
	const struct qpair *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->val, y->val);
}

static char *encode_component(const char *s, size_t n)
{
	struct strbuf b = { 0 };
	char *dec = malloc(n + 1);
	if (!dec)
		return NULL;
	size_t dn = uri_decode(s, n, dec);
	uri_encode_into(&b, dec, dn, 1);
	free(dec);
	if (!b.p && !b.oom)
		strbuf_addn(&b, "", 0);
	return strbuf_take(&b);
}

/* Returns the canonical query string (possibly ""), NULL on OOM. */
static char *canonical_query(const char *query)
{
	struct qpair *pairs = NULL;
	size_t npairs = 0, maxpairs = 1;
	struct strbuf b = { 0 };
	char *res = NULL;

	if (!query)
		query = "";
	for (const char *p = query; *p; p++)
		if (*p == '&')
			maxpairs++;
	pairs = calloc(maxpairs, sizeof(*pairs));
	if (!pairs)
		return NULL;

	for (const char *p = query; *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		if (len) {
			const char *eq = memchr(p, '=', len);
			size_t klen = eq ? (size_t)(eq - p) : len;
			pairs[npairs].key = encode_component(p, klen);
			pairs[npairs].val = eq ? encode_component(eq + 1, len - klen - 1) : strdup("");
			npairs++;
			if (!pairs[npairs - 1].key || !pairs[npairs - 1].val)
				goto out;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	qsort(pairs, npairs, sizeof(*pairs), qpair_cmp);
	strbuf_addn(&b, "", 0);
	for (size_t i = 0; i < npairs; i++) {
		if (i)
			strbuf_addc(&b, '&');
		strbuf_add(&b, pairs[i].key);
		strbuf_addc(&b, '=');
		strbuf_add(&b, pairs[i].val);
	}
	res = strbuf_take(&b);
out:
	for (size_t i = 0; i < npairs; i++) {
		free(pairs[i].key);
		free(pairs[i].val);
	}
	free(pairs);
	strbuf_free(&b);
	return res;
}

/* ---- canonical headers -------------------------------------------------- */

struct hdr {
	char *name;  /* lowercase */
	char *value; /* trimmed, whitespace collapsed */
	size_t idx;  /* input order, for a stable sort */
};

static int hdr_cmp(const void *a, const void *b)
{
	const struct hdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static char *lower_dup(const char *s)
{
	char *d = strdup(s);
	if (d)
		for (char *p = d; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	return d;
}

static char *canon_value(const char *v)
{
	size_t n = strlen(v), o = 0;
	char *d = malloc(n + 1);
	int pending_space = 0;
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (is_ws(v[i])) {
			pending_space = o > 0;
			continue;
		}
		if (pending_space)
			d[o++] = ' ';
		pending_space = 0;
		d[o++] = v[i];
	}
	d[o] = '\0';
	return d;
}

static int add_hdr(struct hdr *h, size_t *n, const char *name, const char *value)
{
	h[*n].idx = *n;
	h[*n].name = lower_dup(name);
	h[*n].value = canon_value(value);
	(*n)++;
	return h[*n - 1].name && h[*n - 1].value ? 0 : -1;
}

/* ---- signing ------------------------------------------------------------ */

static int hmac256(const void *key, size_t keylen, const void *data, size_t len, unsigned char out[32])
{
	unsigned int outlen = 0;
	if (keylen > INT_MAX)
		return -1;
	if (!HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &outlen) || outlen != 32)
		return -1;
	return 0;
}

static int validate(const struct sigv4_request *req, const struct sigv4_credentials *creds,
		    const struct sigv4_params *params, char *err, size_t errsz)
{
	if (!req || !creds || !params) {
		error_set(err, errsz, "sigv4: missing request, credentials or parameters");
		return -1;
	}
	if (!is_http_token(req->method)) {
		error_set(err, errsz, "sigv4: missing or invalid HTTP method");
		return -1;
	}
	if (!req->path || req->path[0] != '/' || has_ctl(req->path) || strpbrk(req->path, "?#")) {
		error_set(err, errsz, "sigv4: request path must start with '/' and contain no query, "
				    "fragment or control characters");
		return -1;
	}
	if (req->query && has_ctl(req->query)) {
		error_set(err, errsz, "sigv4: query string contains control characters");
		return -1;
	}
	if (req->nheaders && !req->headers) {
		error_set(err, errsz, "sigv4: headers array is NULL");
		return -1;
	}
	if (!req->body && req->body_len) {
		error_set(err, errsz, "sigv4: body is NULL but body_len is not 0");
		return -1;
	}
	if (!is_simple_token(creds->access_key_id, "/,=")) {
		error_set(err, errsz, "sigv4: missing or invalid access key id");
		return -1;
	}
	if (!creds->secret_access_key || !*creds->secret_access_key) {
		error_set(err, errsz, "sigv4: missing secret access key");
		return -1;
	}
	if (creds->session_token && (!*creds->session_token || has_ctl(creds->session_token))) {
		error_set(err, errsz, "sigv4: session token is empty or contains control characters");
		return -1;
	}
	if (!is_simple_token(params->region, "/,=")) {
		error_set(err, errsz, "sigv4: missing or invalid region");
		return -1;
	}
	if (!is_simple_token(params->service, "/,=")) {
		error_set(err, errsz, "sigv4: missing or invalid service name");
		return -1;
	}
	int have_host = 0;
	for (size_t i = 0; i < req->nheaders; i++) {
		const char *name = req->headers[i].name, *value = req->headers[i].value;
		if (!is_http_token(name)) {
			error_set(err, errsz, "sigv4: header %zu has a missing or invalid name", i);
			return -1;
		}
		if (!value) {
			error_set(err, errsz, "sigv4: header '%s' has no value (NULL)", name);
			return -1;
		}
		for (const char *p = value; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if ((c < 0x20 && !is_ws(*p)) || c == 0x7f) {
				error_set(err, errsz, "sigv4: header '%s' value contains control characters", name);
				return -1;
			}
		}
		if (!strcasecmp(name, "host")) {
			const char *p = value;
			while (is_ws(*p))
				p++;
			if (!*p) {
				error_set(err, errsz, "sigv4: Host header is empty");
				return -1;
			}
			have_host = 1;
		} else if (!strcasecmp(name, "x-amz-date") || !strcasecmp(name, "authorization") ||
			   (creds->session_token && !strcasecmp(name, "x-amz-security-token")) ||
			   (params->sign_content_sha256 && !strcasecmp(name, "x-amz-content-sha256"))) {
			error_set(err, errsz, "sigv4: header '%s' is added by the signer; do not pass it", name);
			return -1;
		}
	}
	if (!have_host) {
		error_set(err, errsz, "sigv4: a Host header is required");
		return -1;
	}
	return 0;
}

/* x-amz-date ("YYYYMMDDTHHMMSSZ") in out->amz_date and the date ("YYYYMMDD") in date8. */
static int signing_date(time_t now, struct sigv4_result *out, char date8[9], char *err, size_t errsz)
{
	struct tm tm;
	if (!gmtime_r(&now, &tm) || tm.tm_year + 1900 < 1000 || tm.tm_year + 1900 > 9999 ||
	    strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm) != 16) {
		memset(out->amz_date, 0, sizeof(out->amz_date));
		error_set(err, errsz, "sigv4: signing time out of range");
		return -1;
	}
	memcpy(date8, out->amz_date, 8);
	date8[8] = '\0';
	return 0;
}

/* The canonical URI: normalized and/or encoded once more as params ask. NULL if out of memory. */
static char *canonical_uri(const struct sigv4_request *req, const struct sigv4_params *params)
{
	char *path = params->normalize_path ? normalize_path(req->path) : strdup(req->path);
	if (!path || !params->double_encode_path)
		return path;
	char *uri = sigv4_uri_encode(path, 0);
	free(path);
	return uri;
}

/* The request's headers plus x-amz-date, the session token and the payload hash, sorted. */
static int collect_headers(const struct sigv4_request *req, const struct sigv4_credentials *creds,
			   const struct sigv4_params *params, const struct sigv4_result *out, struct hdr **hdrsp,
			   size_t *nhp)
{
	struct hdr *hdrs = calloc(req->nheaders + 3, sizeof(*hdrs));
	size_t nh = 0;
	*hdrsp = hdrs;
	*nhp = 0;
	if (!hdrs)
		return -1;
	for (size_t i = 0; i < req->nheaders; i++)
		if (add_hdr(hdrs, &nh, req->headers[i].name, req->headers[i].value) < 0)
			goto out;
	if (add_hdr(hdrs, &nh, "x-amz-date", out->amz_date) < 0)
		goto out;
	if (creds->session_token && add_hdr(hdrs, &nh, "x-amz-security-token", creds->session_token) < 0)
		goto out;
	if (params->sign_content_sha256 && add_hdr(hdrs, &nh, "x-amz-content-sha256", out->payload_hash) < 0)
		goto out;
	qsort(hdrs, nh, sizeof(*hdrs), hdr_cmp);
	*nhp = nh;
	return 0;
out:
	*nhp = nh;
	return -1;
}

/* METHOD \n URI \n QUERY \n headers \n\n signed-headers \n payload-hash; *signed_headers set too. */
static char *canonical_request(const char *method, const char *uri, const char *query, const struct hdr *hdrs,
			       size_t nh, const char *payload_hash, char **signed_headers)
{
	struct strbuf b = {0}, sh = {0};
	strbuf_add(&b, method);
	strbuf_addc(&b, '\n');
	strbuf_add(&b, uri);
	strbuf_addc(&b, '\n');
	strbuf_add(&b, query);
	strbuf_addc(&b, '\n');
	for (size_t i = 0; i < nh; i++) {
		if (i && !strcmp(hdrs[i].name, hdrs[i - 1].name)) {
			strbuf_addc(&b, ',');
			strbuf_add(&b, hdrs[i].value);
			continue;
		}
		if (i) {
			strbuf_addc(&b, '\n');
			strbuf_addc(&sh, ';');
		}
		strbuf_add(&b, hdrs[i].name);
		strbuf_addc(&b, ':');
		strbuf_add(&b, hdrs[i].value);
		strbuf_add(&sh, hdrs[i].name);
	}
	strbuf_add(&b, "\n\n");
	*signed_headers = strbuf_take(&sh);
	if (!*signed_headers) {
		strbuf_free(&b);
		return NULL;
	}
	strbuf_add(&b, *signed_headers);
	strbuf_addc(&b, '\n');
	strbuf_add(&b, payload_hash);
	return strbuf_take(&b);
}

/* date8/region/service/aws4_request, the credential scope. */
static void add_scope(struct strbuf *b, const char *date8, const struct sigv4_params *params)
{
	strbuf_add(b, date8);
	strbuf_addc(b, '/');
	strbuf_add(b, params->region);
	strbuf_addc(b, '/');
	strbuf_add(b, params->service);
	strbuf_add(b, "/aws4_request");
}

/* The signing key: HMAC chain over "AWS4" + secret, date, region, service, "aws4_request". */
static int derive_key(const char *secret, const char *date8, const struct sigv4_params *params, unsigned char key[32])
{
	unsigned char k1[32], k2[32];
	size_t slen = strlen(secret);
	char *kbuf = malloc(slen + 5);
	int rc = -1;
	if (!kbuf)
		return -1;
	memcpy(kbuf, "AWS4", 4);
	memcpy(kbuf + 4, secret, slen + 1);
	if (hmac256(kbuf, slen + 4, date8, 8, k1) == 0 &&
	    hmac256(k1, 32, params->region, strlen(params->region), k2) == 0 &&
	    hmac256(k2, 32, params->service, strlen(params->service), k1) == 0 &&
	    hmac256(k1, 32, "aws4_request", 12, key) == 0)
		rc = 0;
	OPENSSL_cleanse(k1, sizeof(k1));
	OPENSSL_cleanse(k2, sizeof(k2));
	OPENSSL_cleanse(kbuf, slen + 4);
	free(kbuf);
	return rc;
}

void sigv4_key_cache_clear(struct sigv4_key_cache *c)
{
	if (c)
		OPENSSL_cleanse(c, sizeof(*c));
}

/* The signature of sts, with the key from params->key_cache when it fits. */
static int derive_signature(const struct sigv4_credentials *creds, const char *date8, const struct sigv4_params *params,
			    const char *sts, char signature[65])
{
	unsigned char key[32], md[32];
	char scope[160];
	struct sigv4_key_cache *c = params->key_cache;
	int n = snprintf(scope, sizeof(scope), "%s/%s/%s", date8, params->region, params->service);
	int cacheable = c && n > 0 && (size_t)n < sizeof(scope) && strlen(creds->access_key_id) < sizeof(c->access_key_id);
	int rc = -1;
	if (cacheable && c->valid && strcmp(c->scope, scope) == 0 && strcmp(c->access_key_id, creds->access_key_id) == 0) {
		memcpy(key, c->key, sizeof(key));
	} else if (derive_key(creds->secret_access_key, date8, params, key) < 0) {
		return -1;
	} else if (cacheable) {
		memcpy(c->key, key, sizeof(key));
		snprintf(c->scope, sizeof(c->scope), "%s", scope);
		snprintf(c->access_key_id, sizeof(c->access_key_id), "%s", creds->access_key_id);
		c->valid = 1;
	}
	if (hmac256(key, 32, sts, strlen(sts), md) == 0) {
		hex_encode(md, 32, signature);
		rc = 0;
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(md, sizeof(md));
	return rc;
}

int sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *creds,
	       const struct sigv4_params *params, struct sigv4_result *out,
	       char *err, size_t errsz)
{
	char date8[9], creq_hash[65];
	char *uri = NULL, *query = NULL, *signed_headers = NULL, *canonical = NULL, *sts = NULL, *auth = NULL;
	struct hdr *hdrs = NULL;
	size_t nh = 0;
	struct strbuf b = {0};
	int rc = -1;

	error_set(err, errsz, "sigv4: ok");
	if (!out) {
		error_set(err, errsz, "sigv4: missing result");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if (validate(req, creds, params, err, errsz) < 0 || signing_date(params->now, out, date8, err, errsz) < 0)
		return -1;

	sigv4_hex_sha256(req->body, req->body_len, out->payload_hash);
	if (strlen(out->payload_hash) != 64) {
		error_set(err, errsz, "sigv4: SHA-256 failed");
		goto fail;
	}
	if (!(uri = canonical_uri(req, params)) || !(query = canonical_query(req->query)) ||
	    collect_headers(req, creds, params, out, &hdrs, &nh) < 0 ||
	    !(canonical = canonical_request(req->method, uri, query, hdrs, nh, out->payload_hash, &signed_headers)))
		goto oom;

	sigv4_hex_sha256(canonical, strlen(canonical), creq_hash);
	if (strlen(creq_hash) != 64) {
		error_set(err, errsz, "sigv4: SHA-256 failed");
		goto fail;
	}
	strbuf_add(&b, SIGV4_ALGORITHM "\n");
	strbuf_add(&b, out->amz_date);
	strbuf_addc(&b, '\n');
	add_scope(&b, date8, params);
	strbuf_addc(&b, '\n');
	strbuf_add(&b, creq_hash);
	if (!(sts = strbuf_take(&b)))
		goto oom;
	if (derive_signature(creds, date8, params, sts, out->signature) < 0) {
		error_set(err, errsz, "sigv4: HMAC-SHA256 failed");
		goto fail;
	}

	strbuf_add(&b, SIGV4_ALGORITHM " Credential=");
	strbuf_add(&b, creds->access_key_id);
	strbuf_addc(&b, '/');
	add_scope(&b, date8, params);
	strbuf_add(&b, ", SignedHeaders=");
	strbuf_add(&b, signed_headers);
	strbuf_add(&b, ", Signature=");
	strbuf_add(&b, out->signature);
	if (!(auth = strbuf_take(&b)))
		goto oom;

	out->canonical_request = canonical;
	out->string_to_sign = sts;
	out->authorization = auth;
	canonical = sts = auth = NULL;
	error_set(err, errsz, "sigv4: ok");
	rc = 0;
	goto done;

oom:
	error_set(err, errsz, "sigv4: out of memory");
fail:
	memset(out, 0, sizeof(*out));
done:
	for (size_t i = 0; i < nh; i++) {
		/* the security token is a secret too: wipe the canonical copy */
		if (hdrs[i].value)
			OPENSSL_cleanse(hdrs[i].value, strlen(hdrs[i].value));
		free(hdrs[i].name);
		free(hdrs[i].value);
	}
	free(hdrs);
	strbuf_free(&b);
	free(uri);
	free(query);
	free(signed_headers);
	free(canonical);
	free(sts);
	free(auth);
	return rc;
}
