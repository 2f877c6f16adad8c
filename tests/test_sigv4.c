/*
 * test_sigv4.c - SigV4 header signing against the official aws-c-auth v4 suite
 * (tests/data/sigv4/v4/<case>/), the botocore-derived s3tables vectors
 * (tests/data/sigv4/derived/) and a few targeted checks.
 *
 * Data dir: argv[1], else "$srcdir/tests/data/sigv4", else "tests/data/sigv4".
 */
#include "sigv4.h"
#include "tap.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#define EX_AKID "AKIDEXAMPLE"
#define EX_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EX_TOKEN "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define EX_NOW ((time_t)1440938160) /* 2015-08-30T12:36:00Z */

/* Read a whole file, drop '\r' (as the aws-c-auth harness does). NULL if unreadable. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int c;
	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		if (c == '\r')
			continue;
		if (len + 2 > cap) {
			cap = cap ? cap * 2 : 1024;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		buf[len++] = (char)c;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	else
		buf[len] = '\0';
	return buf;
}

static char *path_join(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + (c ? strlen(c) : 0) + 3;
	char *p = malloc(n);
	if (!p)
		abort();
	snprintf(p, n, "%s/%s%s%s", a, b, c ? "/" : "", c ? c : "");
	return p;
}

static time_t parse_iso8601(const char *s)
{
	struct tm tm = { 0 };
	if (!s || sscanf(s, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			 &tm.tm_min, &tm.tm_sec) != 6)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

/* ---- request.txt ------------------------------------------------------- */

struct parsed_req {
	char *text;                 /* owns all strings below (modified in place) */
	char *method, *path, *query;
	struct sigv4_header *headers;
	size_t nheaders;
	char **owned;               /* continuation-joined values */
	size_t nowned;
	const char *body;
	size_t body_len;
};

static void parsed_req_free(struct parsed_req *r)
{
	for (size_t i = 0; i < r->nowned; i++)
		free(r->owned[i]);
	free(r->owned);
	free(r->headers);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* Parse per aws-c-auth s_parse_request (see tests/data/sigv4 README rules). */
static int parse_request(const char *file, struct parsed_req *r)
{
	memset(r, 0, sizeof(*r));
	r->text = slurp(file);
	if (!r->text)
		return -1;
	char *t = r->text;
	char *body = strstr(t, "\n\n");
	if (body) {
		*body = '\0';
		r->body = body + 2;
		r->body_len = strlen(r->body);
	} else {
		r->body = "";
	}
	size_t maxh = 1;
	for (char *p = t; *p; p++)
		if (*p == '\n')
			maxh++;
	r->headers = calloc(maxh, sizeof(*r->headers));
	r->owned = calloc(maxh, sizeof(*r->owned));
	if (!r->headers || !r->owned)
		return -1;

	char *save = NULL;
	char *line = strtok_r(t, "\n", &save);
	if (!line)
		return -1;
	size_t ll = strlen(line);
	if (ll < 9 || strcmp(line + ll - 9, " HTTP/1.1"))
		return -1;
	line[ll - 9] = '\0';
	char *sp = strchr(line, ' ');
	if (!sp)
		return -1;
	*sp = '\0';
	r->method = line;
	r->path = sp + 1;
	char *q = strchr(r->path, '?');
	if (q) {
		*q = '\0';
		r->query = q + 1;
	}
	while ((line = strtok_r(NULL, "\n", &save))) {
		if ((line[0] == ' ' || line[0] == '\t') && r->nheaders) {
			/* continuation: append "\n" + line to the previous value */
			const char *prev = r->headers[r->nheaders - 1].value;
			size_t n = strlen(prev) + strlen(line) + 2;
			char *v = malloc(n);
			if (!v)
				return -1;
			snprintf(v, n, "%s\n%s", prev, line);
			r->owned[r->nowned++] = v;
			r->headers[r->nheaders - 1].value = v;
			continue;
		}
		char *colon = strchr(line, ':');
		if (!colon)
			return -1;
		*colon = '\0';
		r->headers[r->nheaders].name = line;
		r->headers[r->nheaders].value = colon + 1;
		r->nheaders++;
	}
	return 0;
}

/* ---- v4 suite ---------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int jbool(struct json_object *o, const char *key)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static void check_file(const char *casedir, const char *fname, const char *got, const char *casename)
{
	char *p = path_join(casedir, fname, NULL);
	char *want = slurp(p);
	free(p);
	is_str(got, want ? want : "(missing expected file)", "v4/%s %s", casename, fname);
	free(want);
}

static void run_v4_case(const char *v4dir, const char *name)
{
	char *casedir = path_join(v4dir, name, NULL);
	char *reqf = path_join(casedir, "request.txt", NULL);
	char *ctxf = path_join(casedir, "context.json", NULL);
	struct parsed_req r;
	struct json_object *ctx = json_object_from_file(ctxf);
	struct sigv4_result res;
	char err[256] = "";
	int rc = -1;

	if (parse_request(reqf, &r) == 0 && ctx) {
		struct json_object *jc = NULL;
		json_object_object_get_ex(ctx, "credentials", &jc);
		int sign_body = jbool(ctx, "sign_body");
		struct sigv4_request req = {
			.method = r.method, .path = r.path, .query = r.query,
			.headers = r.headers, .nheaders = r.nheaders,
			/* sign_body=false: the harness hashes "" whatever the body */
			.body = sign_body ? r.body : NULL, .body_len = sign_body ? r.body_len : 0,
		};
		struct sigv4_credentials cr = {
			.access_key_id = jstr(jc, "access_key_id"),
			.secret_access_key = jstr(jc, "secret_access_key"),
			/* omit_session_token: the token is attached after signing */
			.session_token = jbool(ctx, "omit_session_token") ? NULL : jstr(jc, "token"),
		};
		struct sigv4_params pa = {
			.region = jstr(ctx, "region"), .service = jstr(ctx, "service"),
			.now = parse_iso8601(jstr(ctx, "timestamp")),
			.normalize_path = jbool(ctx, "normalize"),
			.double_encode_path = 1, /* the harness sets use_double_uri_encode for every case */
			.sign_content_sha256 = sign_body,
		};
		rc = sigv4_sign(&req, &cr, &pa, &res, err, sizeof(err));
	} else {
		snprintf(err, sizeof(err), "cannot parse %s or %s", reqf, ctxf);
	}
	if (rc != 0) {
		printf("# v4/%s: %s\n", name, err);
		memset(&res, 0, sizeof(res));
	}
	check_file(casedir, "header-canonical-request.txt", res.canonical_request, name);
	check_file(casedir, "header-string-to-sign.txt", res.string_to_sign, name);
	check_file(casedir, "header-signature.txt", rc == 0 ? res.signature : NULL, name);
	sigv4_result_free(&res);
	json_object_put(ctx);
	parsed_req_free(&r);
	free(casedir);
	free(reqf);
	free(ctxf);
}

static void run_v4_suite(const char *datadir)
{
	char *v4dir = path_join(datadir, "v4", NULL);
	DIR *d = opendir(v4dir);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (d) {
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			char *rq = path_join(v4dir, de->d_name, "request.txt");
			FILE *f = fopen(rq, "rb");
			free(rq);
			if (!f)
				continue;
			fclose(f);
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				names = realloc(names, cap * sizeof(*names));
				if (!names)
					abort();
			}
			names[n++] = strdup(de->d_name);
		}
		closedir(d);
	}
	ok(n >= 38, "found %zu v4 cases in %s (expect 38)", n, v4dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		run_v4_case(v4dir, names[i]);
		free(names[i]);
	}
	free(names);
	free(v4dir);
}

/* ---- botocore-derived s3tables vectors --------------------------------- */

static void run_derived(const char *datadir)
{
	char *f = path_join(datadir, "derived", "s3tables-botocore-derived.json");
	struct json_object *arr = json_object_from_file(f);
	size_t n = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	ok(n == 12, "derived: %zu vectors in %s (expect 12)", n, f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i), *jc = NULL, *jh = NULL;
		json_object_object_get_ex(v, "credentials", &jc);
		json_object_object_get_ex(v, "signed_request_headers", &jh);
		const char *op = jstr(v, "operation");
		const char *url = jstr(v, "url");
		const char *token = jstr(jc, "session_token");
		char label[128];
		snprintf(label, sizeof(label), "derived[%zu] %s%s", i, op ? op : "?", token ? " +token" : "");

		/* split https://host/path?query */
		char *u = strdup(url && !strncmp(url, "https://", 8) ? url + 8 : "");
		char *slash = strchr(u, '/');
		char *host = u, *path = NULL, *query = NULL;
		char pathbuf[1024];
		if (slash) {
			snprintf(pathbuf, sizeof(pathbuf), "%s", slash);
			*slash = '\0';
			path = pathbuf;
			char *qm = strchr(path, '?');
			if (qm) {
				*qm = '\0';
				query = qm + 1;
			}
		}
		struct sigv4_header hdr[] = { { "Host", host } };
		struct sigv4_request req = { .method = jstr(v, "method"), .path = path, .query = query,
					     .headers = hdr, .nheaders = 1 };
		struct sigv4_credentials cr = { jstr(jc, "access_key_id"), jstr(jc, "secret_access_key"), token };
		struct sigv4_params pa = { .region = jstr(v, "region"), .service = jstr(v, "service"),
					   .now = parse_iso8601(jstr(v, "timestamp")),
					   .normalize_path = 1, .double_encode_path = 1 };
		struct sigv4_result res;
		char err[256];
		if (sigv4_sign(&req, &cr, &pa, &res, err, sizeof(err)) != 0) {
			printf("# %s: %s\n", label, err);
			memset(&res, 0, sizeof(res));
		}
		is_str(res.canonical_request, jstr(v, "canonical_request"), "%s canonical request", label);
		is_str(res.string_to_sign, jstr(v, "string_to_sign"), "%s string to sign", label);
		is_str(res.authorization ? res.signature : NULL, jstr(v, "signature"), "%s signature", label);
		is_str(res.authorization, jstr(jh, "Authorization"), "%s Authorization", label);
		is_str(res.authorization ? res.amz_date : NULL, jstr(jh, "X-Amz-Date"), "%s X-Amz-Date", label);
		if (token)
			is_str(token, jstr(jh, "X-Amz-Security-Token"), "%s X-Amz-Security-Token", label);
		sigv4_result_free(&res);
		free(u);
	}
	json_object_put(arr);
	free(f);
}

/* ---- targeted checks ---------------------------------------------------- */

static const char *line_n(const char *s, int n, char *buf, size_t bufsz)
{
	for (int i = 0; s && i < n; i++) {
		s = strchr(s, '\n');
		if (s)
			s++;
	}
	if (!s)
		return NULL;
	size_t len = strcspn(s, "\n");
	snprintf(buf, bufsz, "%.*s", (int)len, s);
	return buf;
}

static const struct sigv4_header host_hdr[] = { { "Host", "s3tables.us-east-1.amazonaws.com" } };

static int sign_simple(const char *path, const char *query, const char *token, int s3style,
		       struct sigv4_result *res, char *err, size_t errsz)
{
	struct sigv4_request req = { "GET", path, query, host_hdr, 1, NULL, 0 };
	struct sigv4_credentials cr = { EX_AKID, EX_SECRET, token };
	struct sigv4_params pa = { "us-east-1", "s3tables", EX_NOW, !s3style, !s3style, 0 };
	return sigv4_sign(&req, &cr, &pa, res, err, errsz);
}

static void test_targeted(void)
{
	struct sigv4_result res;
	char err[256], buf[512];
	const char *arn = "arn:aws:s3tables:us-east-1:111122223333:bucket/my-bucket";

	/* helpers */
	char hash[65];
	sigv4_hex_sha256(NULL, 0, hash);
	is_str(hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "sha256(\"\")");
	sigv4_hex_sha256("abc", 3, hash);
	is_str(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256(\"abc\")");
	char *e = sigv4_uri_encode("a b/c~-_.+:\xe1\x88\xb4%", 0);
	is_str(e, "a%20b/c~-_.%2B%3A%E1%88%B4%25", "uri_encode keeps '/' when encode_slash=0");
	free(e);
	e = sigv4_uri_encode(arn, 1);
	is_str(e, "arn%3Aaws%3As3tables%3Aus-east-1%3A111122223333%3Abucket%2Fmy-bucket",
	       "uri_encode of an ARN label (encode_slash=1)");

	/* reference doc, section 1: maintenance-job-status label double-encoding */
	char wire[512];
	snprintf(wire, sizeof(wire), "/tables/%s/ns1/tbl1/maintenance-job-status", e ? e : "");
	free(e);
	is_str(wire,
	       "/tables/arn%3Aaws%3As3tables%3Aus-east-1%3A111122223333%3Abucket%2Fmy-bucket/ns1/tbl1/maintenance-job-status",
	       "maintenance-job-status wire path");
	if (sign_simple(wire, NULL, NULL, 0, &res, err, sizeof(err)) == 0) {
		is_str(line_n(res.canonical_request, 1, buf, sizeof(buf)),
		       "/tables/arn%253Aaws%253As3tables%253Aus-east-1%253A111122223333%253Abucket%252Fmy-bucket/ns1/tbl1/maintenance-job-status",
		       "maintenance-job-status canonical URI is double-encoded");
		is_str(res.amz_date, "20150830T123600Z", "amz_date from time_t");
		sigv4_result_free(&res);
	} else {
		ok(0, "maintenance-job-status signs: %s", err);
		ok(0, "amz_date from time_t");
	}
	/* S3-style: no normalisation, no second encoding */
	if (sign_simple("/a//b/%3A", NULL, NULL, 1, &res, err, sizeof(err)) == 0) {
		is_str(line_n(res.canonical_request, 1, buf, sizeof(buf)), "/a//b/%3A", "S3-style path kept verbatim");
		sigv4_result_free(&res);
	} else {
		ok(0, "S3-style signs: %s", err);
	}
	/* normalisation edge cases (botocore remove_dot_segments) */
	{
		static const char *const cases[][2] = {
			{ "/", "/" }, { "//", "/" }, { "/a/./b/../c/", "/a/c/" },
			{ "/a/..", "/" }, { "/../../a", "/a" }, { "/a//b", "/a/b" },
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (sign_simple(cases[i][0], NULL, NULL, 0, &res, err, sizeof(err)) == 0) {
				is_str(line_n(res.canonical_request, 1, buf, sizeof(buf)), cases[i][1],
				       "normalize %s -> %s", cases[i][0], cases[i][1]);
				sigv4_result_free(&res);
			} else {
				ok(0, "normalize %s: %s", cases[i][0], err);
			}
		}
	}
	/* query canonicalisation beyond the official suite */
	{
		static const char *const cases[][3] = {
			{ "b=2&a=1&a=0", "a=0&a=1&b=2", "sorted by key then value" },
			{ "k=&j", "j=&k=", "empty value and key without '='" },
			{ "x=a+b&y=a b", "x=a%2Bb&y=a%20b", "'+' literal, space %20" },
			{ "arn=arn:aws/x", "arn=arn%3Aaws%2Fx", "reserved chars re-encoded" },
			{ "arn=arn%3aaws%2Fx", "arn=arn%3Aaws%2Fx", "lowercase escapes normalised" },
			{ "p=100%&&q=%zz", "p=100%25&q=%25zz", "bad escapes stay literal, empty pair skipped" },
		};
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (sign_simple("/", cases[i][0], NULL, 0, &res, err, sizeof(err)) == 0) {
				is_str(line_n(res.canonical_request, 2, buf, sizeof(buf)), cases[i][1],
				       "query %s: %s", cases[i][0], cases[i][2]);
				sigv4_result_free(&res);
			} else {
				ok(0, "query %s: %s", cases[i][0], err);
			}
		}
	}

	/* session token is a signed header */
	if (sign_simple("/buckets", "maxBuckets=10", EX_TOKEN, 0, &res, err, sizeof(err)) == 0) {
		ok(strstr(res.canonical_request, "\nx-amz-security-token:" EX_TOKEN "\n") != NULL,
		   "session token in canonical headers");
		ok(strstr(res.canonical_request, "\nhost;x-amz-date;x-amz-security-token\n") != NULL,
		   "session token in canonical SignedHeaders");
		ok(strstr(res.authorization, "SignedHeaders=host;x-amz-date;x-amz-security-token,") != NULL,
		   "session token in Authorization SignedHeaders");
		sigv4_result_free(&res);
	} else {
		ok(0, "sign with token: %s", err);
	}

	/* the secret never appears in any output or error text */
	{
		int leaked = 0, runs = 0;
		struct sigv4_header bad_hosts[][1] = { { { "Host", NULL } }, { { "Host", "  " } },
						       { { "X-Amz-Date", EX_SECRET } } };
		for (int t = 0; t < 2; t++) {
			memset(err, 0, sizeof(err));
			if (sign_simple("/buckets", "prefix=amzn", t ? EX_TOKEN : NULL, 0, &res, err,
					sizeof(err)) == 0) {
				runs++;
				leaked |= strstr(res.canonical_request, EX_SECRET) || strstr(res.string_to_sign, EX_SECRET) ||
					  strstr(res.authorization, EX_SECRET) != NULL;
				sigv4_result_free(&res);
			}
			leaked |= strstr(err, EX_SECRET) != NULL || strstr(err, "K7MDENG") != NULL;
		}
		for (size_t t = 0; t < sizeof(bad_hosts) / sizeof(bad_hosts[0]); t++) {
			struct sigv4_request req = { "GET", "/", NULL, bad_hosts[t], 1, NULL, 0 };
			struct sigv4_credentials cr = { EX_AKID, EX_SECRET, EX_TOKEN };
			struct sigv4_params pa = { "us-east-1", "s3tables", EX_NOW, 1, 1, 0 };
			memset(err, 0, sizeof(err));
			if (sigv4_sign(&req, &cr, &pa, &res, err, sizeof(err)) == 0)
				leaked = 1;
			leaked |= strstr(err, "K7MDENG") != NULL || strstr(err, EX_TOKEN) != NULL;
		}
		ok(runs == 2 && !leaked, "secret key and token never appear in outputs or errors");
	}

	/* bad input */
	{
		struct sigv4_header nullhost[] = { { "Host", NULL } };
		struct sigv4_header nohost[] = { { "Accept", "application/json" } };
		struct sigv4_header dated[] = { { "Host", "h" }, { "X-Amz-Date", "20150830T123600Z" } };
		struct sigv4_header badname[] = { { "Host", "h" }, { "Bad Name", "v" } };
		struct sigv4_credentials cr = { EX_AKID, EX_SECRET, NULL };
		struct sigv4_credentials nosecret = { EX_AKID, NULL, NULL };
		struct sigv4_params pa = { "us-east-1", "s3tables", EX_NOW, 1, 1, 0 };
		struct sigv4_params noregion = { NULL, "s3tables", EX_NOW, 1, 1, 0 };
		struct {
			struct sigv4_request req;
			const struct sigv4_credentials *cr;
			const struct sigv4_params *pa;
			const char *want; /* substring of err */
			const char *name;
		} bad[] = {
			{ { "GET", "/", NULL, nullhost, 1, NULL, 0 }, &cr, &pa, "Host", "NULL Host value" },
			{ { "GET", "/", NULL, nohost, 1, NULL, 0 }, &cr, &pa, "Host", "no Host header" },
			{ { "GET", "/", NULL, dated, 2, NULL, 0 }, &cr, &pa, "X-Amz-Date", "caller-supplied X-Amz-Date" },
			{ { "GET", "/", NULL, badname, 2, NULL, 0 }, &cr, &pa, "name", "invalid header name" },
			{ { "GET", "noslash", NULL, host_hdr, 1, NULL, 0 }, &cr, &pa, "path", "relative path" },
			{ { "GET", "/a?b=1", NULL, host_hdr, 1, NULL, 0 }, &cr, &pa, "path", "query in path" },
			{ { NULL, "/", NULL, host_hdr, 1, NULL, 0 }, &cr, &pa, "method", "NULL method" },
			{ { "GET", "/", NULL, host_hdr, 1, NULL, 0 }, &nosecret, &pa, "secret", "NULL secret" },
			{ { "GET", "/", NULL, host_hdr, 1, NULL, 0 }, &cr, &noregion, "region", "NULL region" },
		};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			memset(&res, 0x5a, sizeof(res));
			err[0] = '\0';
			int rc = sigv4_sign(&bad[i].req, bad[i].cr, bad[i].pa, &res, err, sizeof(err));
			ok(rc == -1 && strstr(err, bad[i].want) && !res.authorization && !res.canonical_request,
			   "bad input (%s) -> -1: %s", bad[i].name, err);
			sigv4_result_free(&res); /* safe on a failed result */
		}
		ok(sigv4_sign(NULL, &cr, &pa, &res, err, sizeof(err)) == -1, "NULL request -> -1");
		ok(sigv4_sign(&bad[0].req, &cr, &pa, NULL, err, sizeof(err)) == -1, "NULL result -> -1");
		char tiny[8];
		ok(sigv4_sign(&bad[0].req, &cr, &pa, &res, tiny, sizeof(tiny)) == -1 && strlen(tiny) == 7,
		   "err is truncated and NUL-terminated");
		ok(sigv4_sign(&bad[0].req, &cr, &pa, &res, NULL, 0) == -1, "err may be NULL");
	}
}

/* The signing-key cache changes nothing but the work: every signature equals an uncached one. */
static void test_key_cache(void)
{
	struct sigv4_key_cache cache = {0};
	struct sigv4_request req = { "GET", "/replication-status", "tableArn=x", host_hdr, 1, NULL, 0 };
	static const struct { const char *akid, *secret, *region; time_t now; } steps[] = {
		{EX_AKID, EX_SECRET, "us-east-1", EX_NOW},
		{EX_AKID, EX_SECRET, "us-east-1", EX_NOW + 60},          /* same day: the cached key */
		{EX_AKID, EX_SECRET, "eu-west-1", EX_NOW + 60},          /* another region: derived again */
		{EX_AKID, EX_SECRET, "eu-west-1", EX_NOW + 86400},       /* the next day: derived again */
		{"AKIDOTHER", "othersecret", "eu-west-1", EX_NOW + 86400}, /* other credentials: derived again */
	};
	char err[256];
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		struct sigv4_credentials cr = { steps[i].akid, steps[i].secret, NULL };
		struct sigv4_params plain = { steps[i].region, "s3tables", steps[i].now, 1, 1, 0, NULL };
		struct sigv4_params cached = plain;
		cached.key_cache = &cache;
		struct sigv4_result a, b;
		int ra = sigv4_sign(&req, &cr, &plain, &a, err, sizeof(err));
		int rb = sigv4_sign(&req, &cr, &cached, &b, err, sizeof(err));
		ok(ra == 0 && rb == 0 && strcmp(a.authorization, b.authorization) == 0,
		   "key cache: step %zu signs exactly as without the cache", i + 1);
		sigv4_result_free(&a);
		sigv4_result_free(&b);
	}
	ok(cache.valid && strcmp(cache.access_key_id, "AKIDOTHER") == 0, "key cache: holds the last credentials' key");
	sigv4_key_cache_clear(&cache);
	ok(!cache.valid && cache.access_key_id[0] == 0, "key cache: cleared (wiped)");
}

int main(int argc, char **argv)
{
	char buf[4096];
	const char *datadir = "tests/data/sigv4";
	const char *srcdir = getenv("srcdir");

	if (argc > 1) {
		datadir = argv[1];
	} else if (srcdir && *srcdir) {
		snprintf(buf, sizeof(buf), "%s/tests/data/sigv4", srcdir);
		datadir = buf;
	}
	run_v4_suite(datadir);
	run_derived(datadir);
	test_targeted();
	test_key_cache();
	return tap_done();
}
