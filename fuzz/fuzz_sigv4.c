/*
 * fuzz_sigv4.c - SigV4 canonicalisation and signing (sigv4.h).
 * Input, split at NUL bytes: flags (first byte: bit 0 session token, bit 1 S3 mode
 * = no path normalisation or double encoding, bit 2 sign x-amz-content-sha256),
 * method, path, query, headers ("Name: value" lines), region, body.
 * The secret key is FZ_SECRET, the session token FZ_TOKEN.
 * Properties: signing is deterministic (a second signing gives the same canonical
 * request, string to sign and Authorization); the canonical request is
 *   METHOD \n URI \n QUERY \n (name:value \n)* \n SIGNED-HEADERS \n PAYLOAD-HASH
 * with a URI of unreserved characters, '/' and %XX (s3tables mode), a query of
 * name=value pairs in that alphabet sorted by name then value, header names lower
 * case, unique, sorted and all listed in SIGNED-HEADERS, trimmed values with single
 * spaces, host and x-amz-date (and x-amz-security-token, x-amz-content-sha256 when
 * asked) present, the payload hash the SHA-256 of the body; the string to sign and
 * the Authorization header are built from exactly those parts; the secret appears
 * nowhere, the token only as the signed x-amz-security-token value; a refused
 * request has a message that renders and holds neither. sigv4_uri_encode() output
 * is unreserved characters and %XX only and decodes back to its input.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "sigv4.h"

#define FZ_TOKEN "IQoJb3JpZ2luX2VjEFuzzTok3nZXhhbXBsZQ"
#define FZ_NOW ((time_t)1764547200) /* 2025-12-01T00:00:00Z */
#define MAXH 16

static int unreserved(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* 1 when s[0..n) is unreserved characters, %XX (upper-case hex) and, if slash, '/'. */
static int encoded(const char *s, size_t n, int slash)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
				return 0;
			i += 2;
		} else if (!unreserved(c) && !(slash && c == '/')) {
			return 0;
		}
	}
	return 1;
}

static void check_uri_encode(const char *in, int slash)
{
	char *e = sigv4_uri_encode(in, slash);
	FZ_ASSERT(e, "sigv4_uri_encode returned NULL");
	FZ_ASSERT(encoded(e, strlen(e), !slash), "sigv4_uri_encode(\"%s\", %d) = \"%s\"", in, slash, e);
	size_t o = 0, n = strlen(e);
	char *d = malloc(n + 1);
	FZ_ASSERT(d, "out of memory");
	for (size_t i = 0; i < n; i++) {
		if (e[i] == '%') {
			d[o++] = (char)(hexval(e[i + 1]) * 16 + hexval(e[i + 2]));
			i += 2;
		} else {
			d[o++] = e[i];
		}
	}
	d[o] = '\0';
	FZ_ASSERT(strcmp(d, in) == 0, "sigv4_uri_encode(\"%s\") does not decode back", in);
	free(d);
	free(e);
}

static char *next_line(char **p)
{
	char *s = *p, *nl;
	if (!s)
		return NULL;
	nl = strchr(s, '\n');
	if (nl) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static void check_canonical(const struct sigv4_result *r, const char *method, int s3, int token, int sha,
			    const char *body, size_t body_len)
{
	char *copy = fz_strndup(r->canonical_request, strlen(r->canonical_request)), *p = copy, *l;
	const char *cr = r->canonical_request;
	char names[8192] = "", prev[1024] = "";
	int host = 0, date = 0, tok = 0, csha = 0;

	l = next_line(&p);
	FZ_ASSERT(l && strcmp(l, method) == 0, "canonical request does not start with the method: %s", cr);
	l = next_line(&p);
	FZ_ASSERT(l && l[0] == '/', "canonical URI does not start with '/': %s", cr);
	if (!s3)
		FZ_ASSERT(encoded(l, strlen(l), 1), "canonical URI \"%s\" not fully encoded", l);
	for (const char *c = l; *c; c++)
		FZ_ASSERT((unsigned char)*c > 0x20 && *c != 0x7f, "canonical URI with a blank or control byte: %s", cr);
	l = next_line(&p);
	FZ_ASSERT(l, "no canonical query line: %s", cr);
	if (*l) {
		char *q = l, *amp;
		char pname[4096] = "", pval[4096] = "";
		for (;;) {
			amp = strchr(q, '&');
			size_t n = amp ? (size_t)(amp - q) : strlen(q);
			const char *eq = memchr(q, '=', n);
			FZ_ASSERT(eq, "query pair without '=': %s", cr);
			size_t nl = (size_t)(eq - q), vl = n - nl - 1;
			FZ_ASSERT(encoded(q, nl, 0) && encoded(eq + 1, vl, 0), "query pair not encoded: %s", cr);
			FZ_ASSERT(nl < sizeof pname && vl < sizeof pval, "query pair too long");
			char name[4096], val[4096];
			memcpy(name, q, nl);
			name[nl] = '\0';
			memcpy(val, eq + 1, vl);
			val[vl] = '\0';
			int c = strcmp(pname, name);
			FZ_ASSERT(q == l || c < 0 || (c == 0 && strcmp(pval, val) <= 0), "query not sorted: %s", cr);
			strcpy(pname, name);
			strcpy(pval, val);
			if (!amp)
				break;
			q = amp + 1;
		}
	}
	for (;;) {
		l = next_line(&p);
		FZ_ASSERT(l, "canonical headers not ended by an empty line: %s", cr);
		if (!*l)
			break;
		char *colon = strchr(l, ':');
		FZ_ASSERT(colon && colon > l, "header line without a name: %s", cr);
		*colon = '\0';
		const char *v = colon + 1;
		for (const char *c = l; *c; c++)
			FZ_ASSERT((unsigned char)*c > 0x20 && *c != 0x7f && !(*c >= 'A' && *c <= 'Z'),
				  "header name \"%s\" not lower case or with a blank: %s", l, cr);
		FZ_ASSERT(strcmp(prev, l) < 0, "header names not unique and sorted: %s", cr);
		snprintf(prev, sizeof prev, "%s", l);
		FZ_ASSERT(v[0] != ' ' && (!*v || v[strlen(v) - 1] != ' ') && !strstr(v, "  "),
			  "header value \"%s\" not trimmed: %s", v, cr);
		for (const char *c = v; *c; c++)
			FZ_ASSERT((unsigned char)*c >= 0x20 && *c != 0x7f, "header value with a control byte: %s", cr);
		host |= strcmp(l, "host") == 0;
		date |= strcmp(l, "x-amz-date") == 0 && strcmp(v, r->amz_date) == 0;
		tok |= strcmp(l, "x-amz-security-token") == 0 && strcmp(v, FZ_TOKEN) == 0;
		csha |= strcmp(l, "x-amz-content-sha256") == 0 && strcmp(v, r->payload_hash) == 0;
		size_t nn = strlen(names);
		snprintf(names + nn, sizeof names - nn, "%s%s", nn ? ";" : "", l);
	}
	FZ_ASSERT(host && date && tok == token && csha == sha, "host/x-amz-date/token/sha256 headers wrong: %s", cr);
	l = next_line(&p);
	FZ_ASSERT(l && strcmp(l, names) == 0, "signed headers \"%s\", headers \"%s\": %s", l ? l : "", names, cr);
	l = next_line(&p);
	char hash[65];
	sigv4_hex_sha256(body, body_len, hash);
	FZ_ASSERT(l && strcmp(l, hash) == 0 && strcmp(r->payload_hash, hash) == 0, "payload hash wrong: %s", cr);
	FZ_ASSERT(!p, "text after the payload hash: %s", cr);
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[7];
	fz_split(data, size, f, 7);
	unsigned flags = f[0].n ? (unsigned char)f[0].s[0] : 0;
	int token = flags & 1, s3 = (flags >> 1) & 1, sha = (flags >> 2) & 1;

	check_uri_encode(f[2].s, 0);
	check_uri_encode(f[3].s, 1);

	struct sigv4_header h[MAXH];
	size_t nh = 0;
	char *hp = f[4].s, *line;
	while (nh < MAXH && (line = next_line(&hp))) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		h[nh].name = line;
		h[nh].value = colon + 1;
		nh++;
	}
	struct sigv4_request req = {
		.method = f[1].s, .path = f[2].s, .query = f[3].s, .headers = h, .nheaders = nh,
		.body = f[6].n ? f[6].s : NULL, .body_len = f[6].n,
	};
	struct sigv4_credentials cr = {"AKIDEXAMPLE", FZ_SECRET, token ? FZ_TOKEN : NULL};
	struct sigv4_params par = {
		.region = f[5].s, .service = "s3tables", .now = FZ_NOW,
		.normalize_path = !s3, .double_encode_path = !s3, .sign_content_sha256 = sha,
	};
	struct sigv4_result r, r2;
	char err[512], err2[512];
	int rc = sigv4_sign(&req, &cr, &par, &r, err, sizeof err);
	int rc2 = sigv4_sign(&req, &cr, &par, &r2, err2, sizeof err2);
	FZ_ASSERT(rc == rc2, "two signings of one request disagree");
	if (rc) {
		fz_check_message(err, sizeof err, "sigv4_sign");
		fz_check_no_secret(err, "sigv4_sign's message");
		FZ_ASSERT(!fz_contains(err, FZ_TOKEN, sizeof FZ_TOKEN - 1), "sigv4_sign's message holds the token");
		fz_fields_free(f, 7);
		return 0;
	}
	FZ_ASSERT(strcmp(r.canonical_request, r2.canonical_request) == 0 && strcmp(r.string_to_sign, r2.string_to_sign) == 0 &&
		  strcmp(r.authorization, r2.authorization) == 0 && strcmp(r.signature, r2.signature) == 0,
		  "signing is not deterministic");
	FZ_ASSERT(strcmp(r.amz_date, "20251201T000000Z") == 0, "amz_date \"%s\"", r.amz_date);
	check_canonical(&r, f[1].s, s3, token, sha, f[6].s, f[6].n);

	char scope[512], hash[65], want[2048];
	snprintf(scope, sizeof scope, "20251201/%s/s3tables/aws4_request", f[5].s);
	sigv4_hex_sha256(r.canonical_request, strlen(r.canonical_request), hash);
	snprintf(want, sizeof want, "AWS4-HMAC-SHA256\n%s\n%s\n%s", r.amz_date, scope, hash);
	FZ_ASSERT(strcmp(r.string_to_sign, want) == 0, "string to sign \"%s\", expected \"%s\"", r.string_to_sign, want);
	FZ_ASSERT(strlen(r.signature) == 64 && strspn(r.signature, "0123456789abcdef") == 64, "signature \"%s\"",
		  r.signature);
	/* The signed headers are the canonical request's last line but one. */
	const char *end = strrchr(r.canonical_request, '\n'), *sh = end;
	while (sh > r.canonical_request && sh[-1] != '\n')
		sh--;
	snprintf(want, sizeof want, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/%s, SignedHeaders=%.*s, Signature=%s", scope,
		 (int)(end - sh), sh, r.signature);
	FZ_ASSERT(strcmp(r.authorization, want) == 0, "Authorization \"%s\", expected \"%s\"", r.authorization, want);
	fz_check_no_secret(r.canonical_request, "the canonical request");
	fz_check_no_secret(r.string_to_sign, "the string to sign");
	fz_check_no_secret(r.authorization, "the Authorization header");
	FZ_ASSERT(!fz_contains(r.authorization, FZ_TOKEN, sizeof FZ_TOKEN - 1), "the Authorization holds the token");
	sigv4_result_free(&r);
	sigv4_result_free(&r2);
	fz_fields_free(f, 7);
	return 0;
}
