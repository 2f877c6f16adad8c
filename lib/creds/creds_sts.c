/* creds_sts.c - see creds_sts.h. */
#define _GNU_SOURCE
#include "creds_sts.h"
#include "error.h"
#include "trace.h"
#include "backoff.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "aws_config.h"
#include "deadline.h"
#include "endpoint.h"
#include "http.h"
#include "retry.h"
#include "sigv4.h"
#include "timestamp.h"

#define STS_MAX_ATTEMPTS 3
#define STS_MAX_BODY ((size_t)256 * 1024)
#define STS_MAX_SESSION_NAME 64

static double ctx_now(const struct creds_context *ctx)
{
	return ctx && ctx->now > 0 ? ctx->now : (double)time(NULL);
}

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}


/* ------------------------------------------------------------------ endpoint */

static const char *sts_region(const struct creds_context *ctx)
{
	return ctx && ctx->region && *ctx->region ? ctx->region : STS_DEFAULT_REGION;
}

int sts_endpoint(const struct creds_context *ctx, char *url, size_t urlsz, char *signing_region, size_t srsz,
		 char *err, size_t errsz)
{
	const struct aws_config *cfg = ctx ? ctx->config : NULL;
	const char *(*getenv_fn)(const char *) = ctx ? ctx->getenv_fn : NULL;
	const char *profile = aws_config_profile_name_from(ctx ? ctx->profile : NULL, getenv_fn);
	const char *region = sts_region(ctx);
	char why[256], where[64];
	struct endpoint_params p = {.region = region};
	snprintf(signing_region, srsz, "%s", region);
	if (aws_config_endpoint_url(cfg, profile, getenv_fn, "sts", &p.endpoint_override, where, sizeof where, why,
				    sizeof why) != 0 ||
	    aws_config_setting_bool(cfg, profile, getenv_fn, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", &p.use_fips,
				    why, sizeof why) != 0 ||
	    aws_config_setting_bool(cfg, profile, getenv_fn, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint",
				    &p.use_dualstack, why, sizeof why) != 0) {
		error_set(err, errsz, "cannot build the STS endpoint: %s", why);
		return -1;
	}
	const char *mode = aws_config_setting(cfg, profile, getenv_fn, "AWS_STS_REGIONAL_ENDPOINTS",
					      "sts_regional_endpoints", NULL);
	if (mode && strcasecmp(mode, "legacy") != 0 && strcasecmp(mode, "regional") != 0) {
		error_set(err, errsz, "cannot build the STS endpoint: sts_regional_endpoints / AWS_STS_REGIONAL_ENDPOINTS "
				     "must be legacy or regional");
		return -1;
	}
	if (p.endpoint_override) {
		/* a configured endpoint is used as given (FIPS / dual-stack with one is an error) */
		if (endpoint_resolve_service(ENDPOINT_STS, &p, url, urlsz, why, sizeof why) != 0) {
			error_set(err, errsz, "%s is not usable: %s", where, why);
			return -1;
		}
		return 0;
	}
	if (mode && strcasecmp(mode, "legacy") == 0 && !p.use_fips && !p.use_dualstack &&
	    endpoint_sts_is_legacy_global_region(region)) {
		snprintf(url, urlsz, "https://sts.amazonaws.com");
		snprintf(signing_region, srsz, "us-east-1");
		return 0;
	}
	if (endpoint_resolve_service(ENDPOINT_STS, &p, url, urlsz, why, sizeof why) != 0) {
		error_set(err, errsz, "cannot build the STS endpoint: %s", why);
		return -1;
	}
	return 0;
}

int sts_endpoint_url(const struct creds_context *ctx, char *url, size_t urlsz, char *err, size_t errsz)
{
	char signing_region[64];
	return sts_endpoint(ctx, url, urlsz, signing_region, sizeof signing_region, err, errsz);
}

/* Split "scheme://host[:port][/path]" into host[:port] and path ("/" when none). */
static int split_url(const char *url, char *host, size_t hostsz, char *path, size_t pathsz)
{
	const char *p = strstr(url, "://");
	if (!p)
		return -1;
	p += 3;
	size_t hl = strcspn(p, "/");
	if (hl == 0 || hl >= hostsz)
		return -1;
	memcpy(host, p, hl);
	host[hl] = '\0';
	const char *rest = p + hl;
	int n = snprintf(path, pathsz, "%s", *rest ? rest : "/");
	return n < 0 || (size_t)n >= pathsz ? -1 : 0;
}

/* ------------------------------------------------------------------ XML */

/* Inner range of the first <tag> or <tag ...> element within [b, e). */
static int xml_find(const char *b, const char *e, const char *tag, const char **ib, const char **ie)
{
	size_t tl = strlen(tag);
	const char *p = b;
	while (p < e) {
		const char *lt = memchr(p, '<', (size_t)(e - p));
		if (!lt)
			return -1;
		p = lt + 1;
		if ((size_t)(e - p) < tl + 1 || memcmp(p, tag, tl) != 0)
			continue;
		char c = p[tl];
		if (c != '>' && c != ' ' && c != '\t' && c != '\r' && c != '\n')
			continue;
		const char *gt = memchr(p + tl, '>', (size_t)(e - (p + tl)));
		if (!gt)
			return -1;
		if (gt[-1] == '/') { /* <tag/> : empty */
			*ib = *ie = gt + 1;
			return 0;
		}
		const char *start = gt + 1, *q = start;
		while (q < e) {
			const char *cl = memchr(q, '<', (size_t)(e - q));
			if (!cl)
				return -1;
			if ((size_t)(e - cl) >= tl + 3 && cl[1] == '/' && memcmp(cl + 2, tag, tl) == 0 &&
			    (cl[2 + tl] == '>' || cl[2 + tl] == ' ')) {
				*ib = start;
				*ie = cl;
				return 0;
			}
			q = cl + 1;
		}
		return -1;
	}
	return -1;
}

/* Decode the five predefined entities and numeric ASCII references; malloc'd. */
static char *xml_unescape(const char *b, const char *e)
{
	char *out = malloc((size_t)(e - b) + 1), *o = out;
	if (!out)
		return NULL;
	while (b < e) {
		if (*b != '&') {
			*o++ = *b++;
			continue;
		}
		static const struct {
			const char *ent;
			char c;
		} ents[] = {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
		int done = 0;
		for (size_t i = 0; i < sizeof ents / sizeof ents[0] && !done; i++) {
			size_t l = strlen(ents[i].ent);
			if ((size_t)(e - b) >= l && memcmp(b, ents[i].ent, l) == 0) {
				*o++ = ents[i].c;
				b += l;
				done = 1;
			}
		}
		if (!done && (size_t)(e - b) >= 4 && b[1] == '#') {
			const char *semi = memchr(b, ';', (size_t)(e - b) < 12 ? (size_t)(e - b) : 12);
			if (semi) {
				char num[12];
				size_t nl = (size_t)(semi - (b + 2));
				if (nl > 0 && nl < sizeof num) {
					memcpy(num, b + 2, nl);
					num[nl] = '\0';
					char *end;
					long v = (num[0] == 'x' || num[0] == 'X') ? strtol(num + 1, &end, 16) : strtol(num, &end, 10);
					if (*end == '\0' && v > 0 && v < 128) {
						*o++ = (char)v;
						b = semi + 1;
						done = 1;
					}
				}
			}
		}
		if (!done)
			*o++ = *b++;
	}
	*o = '\0';
	return out;
}

static char *xml_get(const char *b, const char *e, const char *tag)
{
	const char *ib, *ie;
	if (xml_find(b, e, tag, &ib, &ie) != 0)
		return NULL;
	/* trim surrounding whitespace */
	while (ib < ie && (*ib == ' ' || *ib == '\n' || *ib == '\r' || *ib == '\t'))
		ib++;
	while (ie > ib && (ie[-1] == ' ' || ie[-1] == '\n' || ie[-1] == '\r' || ie[-1] == '\t'))
		ie--;
	return xml_unescape(ib, ie);
}

/* Copy untrusted text for an error message: control characters become spaces, cut. */
static void sanitize(const char *in, char *out, size_t outsz, size_t maxlen)
{
	size_t n = 0;
	if (!outsz)
		return;
	for (; in && *in && n + 1 < outsz && n < maxlen; in++)
		out[n++] = ((unsigned char)*in < 0x20 || *in == 0x7f) ? ' ' : *in;
	out[n] = '\0';
}

int sts_parse_response(long http_status, const char *body, size_t body_len, double now, const char *source,
		       struct creds *out, char *code, size_t codesz, char *err, size_t errsz)
{
	const char *b = body ? body : "", *e = b + (body ? body_len : 0);
	memset(out, 0, sizeof *out);
	if (code && codesz)
		code[0] = '\0';
	if (http_status == 200) {
		const char *cb, *ce;
		if (xml_find(b, e, "Credentials", &cb, &ce) != 0) {
			error_set(err, errsz, "the response (HTTP 200) has no <Credentials> element");
			return -1;
		}
		char *akid = xml_get(cb, ce, "AccessKeyId");
		char *secret = xml_get(cb, ce, "SecretAccessKey");
		char *token = xml_get(cb, ce, "SessionToken");
		char *exp = xml_get(cb, ce, "Expiration");
		int rc = -1;
		double expiration = now + STS_DEFAULT_EXPIRY_SECONDS;
		char why[128];
		if (!akid || !*akid || !secret || !*secret)
			error_set(err, errsz, "the response lacks %s", !akid || !*akid ? "AccessKeyId" : "SecretAccessKey");
		else if (exp && *exp && timestamp_parse(exp, &expiration, why, sizeof why) != 0)
			error_set(err, errsz, "the response has an invalid Expiration: %s", why);
		else if (creds_set(out, akid, secret, token, expiration, source) != 0)
			error_set(err, errsz, "out of memory");
		else
			rc = 0;
		free(akid);
		free(exp);
		wipe_free(secret);
		wipe_free(token);
		return rc;
	}
	const char *eb = b, *ee = e;
	const char *xb, *xe;
	if (xml_find(b, e, "Error", &xb, &xe) == 0) {
		eb = xb;
		ee = xe;
	}
	char *c = xml_get(eb, ee, "Code");
	char *m = xml_get(eb, ee, "Message");
	char cs[128], ms[400];
	sanitize(c, cs, sizeof cs, 100);
	sanitize(m, ms, sizeof ms, 300);
	if (code && codesz)
		snprintf(code, codesz, "%s", cs);
	if (*cs && *ms)
		error_set(err, errsz, "%s: %s (HTTP %ld)", cs, ms, http_status);
	else if (*cs)
		error_set(err, errsz, "%s (HTTP %ld)", cs, http_status);
	else
		error_set(err, errsz, "HTTP %ld", http_status);
	free(c);
	free(m);
	return -1;
}

/* ------------------------------------------------------------------ request */

static void buf_param(struct strbuf *b, const char *name, const char *value)
{
	char *enc = sigv4_uri_encode(value, 1);
	if (!enc) {
		b->oom = 1;
		return;
	}
	strbuf_add(b, "&");
	strbuf_add(b, name);
	strbuf_add(b, "=");
	strbuf_add(b, enc);
	OPENSSL_cleanse(enc, strlen(enc));
	free(enc);
}

static void default_session_name(const struct creds_context *ctx, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "monitoring-plugins-s3tables-%lld", (long long)ctx_now(ctx));
}

/*
 * POST body to STS, signed with signer (NULL: unsigned), with retries. what is
 * "STS AssumeRole for role <arn>" for messages.
 */
static int sts_call(const struct creds_context *ctx, const struct creds *signer, const struct strbuf *body,
		    int web_identity, const char *what, const char *source_label, const char *source, struct creds *out,
		    char *err, size_t errsz)
{
	char url[1024], hostport[512], path[512], why[512], signing_region[64];
	if (!ctx || !ctx->http) {
		error_set(err, errsz, "%s%s%s: no HTTP client available", CREDS_LABEL(source_label), what);
		return -1;
	}
	if (sts_endpoint(ctx, url, sizeof url, signing_region, sizeof signing_region, why, sizeof why) != 0) {
		error_set(err, errsz, "%s%s%s: %s", CREDS_LABEL(source_label), what, why);
		return -1;
	}
	if (split_url(url, hostport, sizeof hostport, path, sizeof path) != 0) {
		error_set(err, errsz, "%s%s%s: the STS endpoint URL cannot be used",
			  CREDS_LABEL(source_label), what);
		return -1;
	}
	char full[1600];
	snprintf(full, sizeof full, "%s%s", url, strchr(url + 8, '/') ? "" : "/");

	struct deadline fallback;
	const struct deadline *dl = ctx->deadline;
	if (!dl) {
		deadline_start(&fallback, 30.0);
		dl = &fallback;
	}
	static const char ctype[] = "application/x-www-form-urlencoded; charset=utf-8";
	for (int attempt = 1;; attempt++) {
		struct sigv4_result sr;
		memset(&sr, 0, sizeof sr);
		char h_host[600], h_date[64], *h_token = NULL, *h_auth = NULL;
		const char *headers[8];
		size_t nh = 0;
		snprintf(h_host, sizeof h_host, "Host: %s", hostport);
		headers[nh++] = h_host;
		headers[nh++] = "Content-Type: application/x-www-form-urlencoded; charset=utf-8";
		headers[nh++] = "Accept: */*";
		headers[nh++] = "Expect:";
		if (signer) {
			struct sigv4_header sh[2] = {{"Host", hostport}, {"Content-Type", ctype}};
			struct sigv4_request rq = {.method = "POST", .path = path, .query = NULL, .headers = sh,
						   .nheaders = 2, .body = body->p, .body_len = body->len};
			struct sigv4_credentials sc = {signer->access_key_id, signer->secret_access_key,
						       signer->session_token};
			struct sigv4_params sp = {.region = signing_region, .service = "sts",
						  .now = (time_t)ctx_now(ctx), .normalize_path = 1,
						  .double_encode_path = 1, .sign_content_sha256 = 0};
			if (sigv4_sign(&rq, &sc, &sp, &sr, why, sizeof why) != 0) {
				error_set(err, errsz, "%s%s%s: cannot sign the request: %s",
					  CREDS_LABEL(source_label), what, why);
				return -1;
			}
			snprintf(h_date, sizeof h_date, "X-Amz-Date: %s", sr.amz_date);
			headers[nh++] = h_date;
			if (signer->session_token) {
				if (asprintf(&h_token, "X-Amz-Security-Token: %s", signer->session_token) < 0)
					h_token = NULL;
				if (!h_token) {
					sigv4_result_free(&sr);
					error_set(err, errsz, "%s%s%s: out of memory",
						  CREDS_LABEL(source_label), what);
					return -1;
				}
				headers[nh++] = h_token;
			}
			if (asprintf(&h_auth, "Authorization: %s", sr.authorization) < 0 || !h_auth) {
				h_auth = NULL;
				wipe_free(h_token);
				sigv4_result_free(&sr);
				error_set(err, errsz, "%s%s%s: out of memory", CREDS_LABEL(source_label), what);
				return -1;
			}
			headers[nh++] = h_auth;
		}
		headers[nh] = NULL;
		struct http_request_spec spec = {.method = "POST", .url = full, .headers = headers,
						 .body = body->p, .body_len = body->len, .max_seconds = 0,
						 .sensitive = 1};
		struct http_response resp;
		memset(&resp, 0, sizeof resp);
		enum http_result hr = http_request(ctx->http, &spec, dl, &resp, why, sizeof why);
		wipe_free(h_token);
		free(h_auth);
		sigv4_result_free(&sr);

		int retryable;
		char code[128] = "";
		char reason[600];
		if (hr != HTTP_OK) {
			snprintf(reason, sizeof reason, "%s", why);
			retryable = http_is_retryable_result(hr);
		} else {
			int rc = sts_parse_response(resp.status, resp.body, resp.body_len, ctx_now(ctx), source, out,
						    code, sizeof code, reason, sizeof reason);
			long status = resp.status;
			http_response_free(&resp);
			if (rc == 0)
				return 0;
			if (status == 200) { /* malformed success: not retried */
				error_set(err, errsz, "%s%s%s: %s", CREDS_LABEL(source_label), what, reason);
				return -1;
			}
			retryable = retry_is_retryable(status, code, RETRY_TRANSPORT_NONE) ||
				    (web_identity && strcmp(code, "IDPCommunicationError") == 0);
		}
		double pause = -1.0;
		if (retryable && attempt < STS_MAX_ATTEMPTS)
			pause = retry_sleep_within(retry_backoff_seconds(attempt, backoff_jitter01()), deadline_remaining(dl));
		if (pause < 0) {
			if (attempt > 1)
				error_set(err, errsz, "%s%s%s: %s (after %d attempts)",
					  CREDS_LABEL(source_label), what, reason, attempt);
			else
				error_set(err, errsz, "%s%s%s: %s", CREDS_LABEL(source_label), what, reason);
			return -1;
		}
		trace_printf(ctx->trace, 2, "%s: attempt %d failed (%s), retrying in %.2f s", what, attempt, reason, pause);
		backoff_sleep(pause);
	}
}

int sts_assume_role(const struct creds_context *ctx, const struct creds *source, const char *role_arn,
		    const char *session_name, const char *external_id, int duration_seconds,
		    const char *source_label, struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!role_arn || !*role_arn) {
		error_set(err, errsz, "%s%sSTS AssumeRole: no role ARN", CREDS_LABEL(source_label));
		return -1;
	}
	char what[400];
	char arn[300];
	sanitize(role_arn, arn, sizeof arn, 256);
	snprintf(what, sizeof what, "STS AssumeRole for role %s", arn);
	if (!source || !source->access_key_id || !source->secret_access_key) {
		error_set(err, errsz, "%s%s%s: no source credentials", CREDS_LABEL(source_label), what);
		return -1;
	}
	char gen[80], sess[STS_MAX_SESSION_NAME + 1], dur[24];
	if (!session_name || !*session_name) {
		default_session_name(ctx, gen, sizeof gen);
		session_name = gen;
	}
	snprintf(sess, sizeof sess, "%.*s", STS_MAX_SESSION_NAME, session_name); /* STS limit */
	struct strbuf b = {0};
	strbuf_add(&b, "Action=AssumeRole&Version=2011-06-15");
	buf_param(&b, "RoleArn", role_arn);
	buf_param(&b, "RoleSessionName", sess);
	if (external_id && *external_id)
		buf_param(&b, "ExternalId", external_id);
	if (duration_seconds > 0) {
		snprintf(dur, sizeof dur, "%d", duration_seconds);
		buf_param(&b, "DurationSeconds", dur);
	}
	if (b.oom) {
		strbuf_free(&b);
		error_set(err, errsz, "%s%s%s: out of memory", CREDS_LABEL(source_label), what);
		return -1;
	}
	int rc = sts_call(ctx, source, &b, 0, what, source_label, "assume-role", out, err, errsz);
	strbuf_free(&b);
	return rc;
}

int sts_assume_role_with_web_identity(const struct creds_context *ctx, const char *role_arn, const char *token,
				      const char *session_name, const char *source_label, struct creds *out,
				      char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!role_arn || !*role_arn) {
		error_set(err, errsz, "%s%sSTS AssumeRoleWithWebIdentity: no role ARN",
			  CREDS_LABEL(source_label));
		return -1;
	}
	char what[400], arn[300];
	sanitize(role_arn, arn, sizeof arn, 256);
	snprintf(what, sizeof what, "STS AssumeRoleWithWebIdentity for role %s", arn);
	if (!token || !*token) {
		error_set(err, errsz, "%s%s%s: empty web identity token", CREDS_LABEL(source_label), what);
		return -1;
	}
	char gen[80], sess[STS_MAX_SESSION_NAME + 1];
	if (!session_name || !*session_name) {
		default_session_name(ctx, gen, sizeof gen);
		session_name = gen;
	}
	snprintf(sess, sizeof sess, "%.*s", STS_MAX_SESSION_NAME, session_name);
	struct strbuf b = {0};
	strbuf_add(&b, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15");
	buf_param(&b, "RoleArn", role_arn);
	buf_param(&b, "RoleSessionName", sess);
	buf_param(&b, "WebIdentityToken", token);
	if (b.oom) {
		strbuf_free(&b);
		error_set(err, errsz, "%s%s%s: out of memory", CREDS_LABEL(source_label), what);
		return -1;
	}
	int rc = sts_call(ctx, NULL, &b, 1, what, source_label, "web-identity", out, err, errsz);
	strbuf_free(&b);
	return rc;
}

/* Read a small file; -1 with a reason naming the path. */
static int read_token_file(const char *path, char **out, char *err, size_t errsz)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		error_set(err, errsz, "cannot read the web identity token file %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		error_set(err, errsz, "the web identity token file %s is not a regular file", path);
		return -1;
	}
	size_t cap = STS_MAX_WEB_IDENTITY_TOKEN + 1, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		error_set(err, errsz, "out of memory");
		return -1;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_set(err, errsz, "cannot read the web identity token file %s: %s", path, strerror(errno));
			close(fd);
			OPENSSL_cleanse(buf, cap + 1);
			free(buf);
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len >= cap)
			break;
	}
	close(fd);
	buf[len] = '\0';
	if (len > STS_MAX_WEB_IDENTITY_TOKEN || memchr(buf, '\0', len)) {
		error_set(err, errsz, "the web identity token file %s is %s", path,
			  len > STS_MAX_WEB_IDENTITY_TOKEN ? "larger than 64 KiB" : "binary");
		OPENSSL_cleanse(buf, cap + 1);
		free(buf);
		return -1;
	}
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len) {
		error_set(err, errsz, "the web identity token file %s is empty", path);
		free(buf);
		return -1;
	}
	*out = buf;
	return 0;
}

int sts_web_identity_from_file(const struct creds_context *ctx, const char *role_arn, const char *token_file,
			       const char *session_name, const char *source_label, struct creds *out, char *err,
			       size_t errsz)
{
	char why[600];
	char *token;
	memset(out, 0, sizeof *out);
	if (!token_file || !*token_file) {
		error_set(err, errsz, "%s%sno web identity token file given", CREDS_LABEL(source_label));
		return -1;
	}
	if (read_token_file(token_file, &token, why, sizeof why) != 0) {
		error_set(err, errsz, "%s%s%s", CREDS_LABEL(source_label), why);
		return -1;
	}
	int rc = sts_assume_role_with_web_identity(ctx, role_arn, token, session_name, source_label, out, err, errsz);
	wipe_free(token);
	return rc;
}

enum creds_status creds_from_web_identity_env(const struct creds_context *ctx, struct creds *out, char *err,
					      size_t errsz)
{
	const char *file = creds_getenv(ctx, "AWS_WEB_IDENTITY_TOKEN_FILE");
	const char *arn = creds_getenv(ctx, "AWS_ROLE_ARN");
	const char *sess = creds_getenv(ctx, "AWS_ROLE_SESSION_NAME");
	memset(out, 0, sizeof *out);
	if (!file && !arn)
		return CREDS_NOT_CONFIGURED;
	if (!file || !arn) {
		error_set(err, errsz, "web identity: %s is set but %s is not", file ? "AWS_WEB_IDENTITY_TOKEN_FILE" : "AWS_ROLE_ARN",
			  file ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE");
		return CREDS_BROKEN;
	}
	if (sts_web_identity_from_file(ctx, arn, file, sess, "web identity (AWS_WEB_IDENTITY_TOKEN_FILE)", out, err,
				       errsz) != 0)
		return CREDS_BROKEN;
	return CREDS_FOUND;
}
