/* creds_sso_token.c - see creds_sso_token.h. */
#define _GNU_SOURCE
#include "creds_sso_token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "aws_error.h"
#include "backoff.h"
#include "deadline.h"
#include "creds_sso.h"
#include "error.h"
#include "http.h"
#include "trace.h"
#include "timestamp.h"

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static void wipe_buf(char *s, size_t n)
{
	if (s) {
		OPENSSL_cleanse(s, n);
		free(s);
	}
}

void sso_token_cache_key(const char *session_name, const char *start_url, char hex[41])
{
	const char *in = session_name ? session_name : start_url ? start_url : "";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	hex[0] = '\0';
	if (EVP_Digest(in, strlen(in), md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		return;
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

int sso_token_cache_path(const char *(*getenv_fn)(const char *), const char *session_name, const char *start_url,
			 char *path, size_t pathsz, char *err, size_t errsz)
{
	const char *home = creds_getenv(&(struct creds_context){.getenv_fn = getenv_fn}, "HOME");
	char key[41];
	if (!home) {
		error_set(err, errsz, "cannot locate the SSO token cache: HOME is not set");
		return -1;
	}
	sso_token_cache_key(session_name, start_url, key);
	size_t hl = strlen(home);
	while (hl > 1 && home[hl - 1] == '/')
		hl--;
	int n = snprintf(path, pathsz, "%.*s/.aws/sso/cache/%s.json", (int)hl, home, key);
	if (n < 0 || (size_t)n >= pathsz || !key[0]) {
		error_set(err, errsz, "cannot locate the SSO token cache: the path is too long");
		return -1;
	}
	return 0;
}

void sso_token_free(struct sso_token *t)
{
	if (!t)
		return;
	wipe_free(t->access_token);
	wipe_free(t->refresh_token);
	free(t->client_id);
	wipe_free(t->client_secret);
	memset(t, 0, sizeof *t);
}

/* A JSON object's string member, or NULL. */
static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	const char *s = json_object_get_string(v);
	return s && *s ? s : NULL;
}

/* RFC 3339, or botocore's strftime('%Y-%m-%dT%H:%M:%S%Z') form ending in "UTC". */
static int parse_time(const char *s, double *out, char *err, size_t errsz)
{
	char buf[64];
	size_t n = strlen(s);
	if (n > 3 && n < sizeof buf && strcmp(s + n - 3, "UTC") == 0) {
		snprintf(buf, sizeof buf, "%.*sZ", (int)(n - 3), s);
		s = buf;
	}
	return timestamp_parse(s, out, err, errsz);
}

static json_object *parse_object(const char *text, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(32);
	if (!tok)
		return NULL;
	json_object *root = len <= SSO_TOKEN_MAX_FILE ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
#if JSON_C_VERSION_NUM >= ((0 << 16) | (15 << 8))
	size_t end = root ? json_tokener_get_parse_end(tok) : 0;
#else
	size_t end = root ? (size_t)tok->char_offset : 0;
#endif
	while (root && end < len && (text[end] == ' ' || text[end] == '\t' || text[end] == '\r' || text[end] == '\n'))
		end++;
	if (root && (json_tokener_get_error(tok) != json_tokener_success || !json_object_is_type(root, json_type_object) ||
		     end != len)) {
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

int sso_token_parse(const char *text, size_t len, struct sso_token *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	json_object *root = text ? parse_object(text, len) : NULL;
	if (!root) {
		error_set(err, errsz, "it is not a JSON object");
		return -1;
	}
	const char *access = jstr(root, "accessToken"), *expires = jstr(root, "expiresAt");
	const char *reg = jstr(root, "registrationExpiresAt");
	char why[128];
	int rc = -1;
	if (!access || !expires) {
		error_set(err, errsz, "it has no %s", !access ? "accessToken" : "expiresAt");
	} else if (parse_time(expires, &out->expires_at, why, sizeof why) != 0) {
		error_set(err, errsz, "its expiresAt is not a date and time: %s", why);
	} else if (reg && parse_time(reg, &out->registration_expires_at, why, sizeof why) != 0) {
		error_set(err, errsz, "its registrationExpiresAt is not a date and time: %s", why);
	} else {
		const char *r = jstr(root, "refreshToken"), *id = jstr(root, "clientId"), *sec = jstr(root, "clientSecret");
		out->access_token = strdup(access);
		out->refresh_token = r ? strdup(r) : NULL;
		out->client_id = id ? strdup(id) : NULL;
		out->client_secret = sec ? strdup(sec) : NULL;
		if (!out->access_token || (r && !out->refresh_token) || (id && !out->client_id) ||
		    (sec && !out->client_secret))
			error_set(err, errsz, "out of memory");
		else
			rc = 0;
	}
	json_object_put(root);
	if (rc != 0)
		sso_token_free(out);
	return rc;
}

int sso_token_can_refresh(const struct sso_token *t, double now)
{
	return t->refresh_token && t->client_id && t->client_secret && t->registration_expires_at > now;
}

enum sso_token_action sso_token_decide(const struct sso_token *t, double now)
{
	if (t->expires_at - now >= SSO_TOKEN_REFRESH_WINDOW)
		return SSO_TOKEN_USE;
	if (sso_token_can_refresh(t, now))
		return SSO_TOKEN_REFRESH;
	return t->expires_at > now ? SSO_TOKEN_USE : SSO_TOKEN_EXPIRED;
}

static void format_time(double t, char *buf, size_t bufsz)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, bufsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *sso_token_merge(const char *old_text, size_t len, const char *access_token, double expires_at,
		      const char *refresh_token)
{
	json_object *root = parse_object(old_text, len);
	if (!root)
		return NULL;
	char when[40];
	format_time(expires_at, when, sizeof when);
	json_object_object_add(root, "accessToken", json_object_new_string(access_token));
	json_object_object_add(root, "expiresAt", json_object_new_string(when));
	if (refresh_token)
		json_object_object_add(root, "refreshToken", json_object_new_string(refresh_token));
	const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = text ? strdup(text) : NULL;
	if (text)
		OPENSSL_cleanse((void *)text, strlen(text));
	json_object_put(root); /* json-c does not wipe its own copies; they are short-lived */
	return out;
}

int sso_oidc_parse_create_token(long status, const char *body, size_t len, double now, char **access_token,
				double *expires_at, char **refresh_token, char *err, size_t errsz)
{
	*access_token = *refresh_token = NULL;
	json_object *root = body ? parse_object(body, len) : NULL;
	if (status != 200) {
		/* OAuth-style {"error":"invalid_grant","error_description":"..."} or a restJson1 error */
		char code[128] = "", msg[300] = "";
		const char *e = root ? jstr(root, "error") : NULL, *d = root ? jstr(root, "error_description") : NULL;
		if (e || d) {
			aws_error_sanitise_code(e ? e : "", code, sizeof code);
			snprintf(msg, sizeof msg, "%.250s", d ? d : "");
			for (char *p = msg; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = ' ';
		} else {
			struct aws_error ae;
			aws_error_parse(status, NULL, NULL, body, len, &ae);
			if (strncmp(ae.code, "HTTP ", 5) != 0)
				snprintf(code, sizeof code, "%s", ae.code);
			snprintf(msg, sizeof msg, "%.250s", ae.message);
		}
		if (*code && *msg)
			error_set(err, errsz, "%s: %s (HTTP %ld)", code, msg, status);
		else if (*code || *msg)
			error_set(err, errsz, "%s (HTTP %ld)", *code ? code : msg, status);
		else
			error_set(err, errsz, "HTTP %ld", status);
		json_object_put(root);
		return -1;
	}
	json_object *v;
	const char *a = root ? jstr(root, "accessToken") : NULL;
	int has_exp = root && json_object_object_get_ex(root, "expiresIn", &v) &&
		      (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double));
	double in = has_exp ? json_object_get_double(v) : 0;
	if (!a || !has_exp || in <= 0) {
		error_set(err, errsz, "the CreateToken answer (HTTP 200) has no %s",
			  !root ? "JSON object" : !a ? "accessToken" : "positive expiresIn");
		json_object_put(root);
		return -1;
	}
	const char *r = jstr(root, "refreshToken");
	*access_token = strdup(a);
	*refresh_token = r ? strdup(r) : NULL;
	*expires_at = now + in;
	json_object_put(root);
	if (!*access_token || (r && !*refresh_token)) {
		wipe_free(*access_token);
		wipe_free(*refresh_token);
		*access_token = *refresh_token = NULL;
		error_set(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ file I/O */

/* Read a whole file (fd) into a malloc'd buffer; -1 on error (errno set). */
static int read_fd(int fd, char **out, size_t *outlen)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return -1;
	for (;;) {
		if (len == cap) {
			if (cap > SSO_TOKEN_MAX_FILE) {
				wipe_buf(buf, cap + 1);
				errno = EFBIG;
				return -1;
			}
			char *nb = malloc(cap * 2 + 1);
			if (!nb) {
				wipe_buf(buf, cap + 1);
				return -1;
			}
			memcpy(nb, buf, len);
			wipe_buf(buf, cap + 1);
			buf = nb;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			wipe_buf(buf, cap + 1);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	return 0;
}

/* Write text to path atomically, mode 0600: temp file in the same directory, fsync, rename. */
static int write_atomic(const char *path, const char *text, char *err, size_t errsz)
{
	char tmp[4200];
	int n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		error_set(err, errsz, "the path is too long");
		return -1;
	}
	mode_t old = umask(077);
	int fd = mkostemp(tmp, O_CLOEXEC);
	umask(old);
	if (fd < 0) {
		error_set(err, errsz, "cannot create a file next to it: %s", strerror(errno));
		return -1;
	}
	size_t len = strlen(text), done = 0;
	int ok = fchmod(fd, 0600) == 0;
	while (ok && done < len) {
		ssize_t w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			ok = 0;
		else
			done += (size_t)w;
	}
	if (ok && fsync(fd) != 0)
		ok = 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (!ok || rename(tmp, path) != 0) {
		if (ok)
			e = errno;
		unlink(tmp);
		error_set(err, errsz, "cannot write it: %s", strerror(e));
		return -1;
	}
	return 0;
}

/* Load and parse path; *fd_out (if non-NULL) keeps the file open. -1 with a reason. */
static int load(const char *path, struct sso_token *tok, char **text, size_t *len, int *fd_out, char *err,
		size_t errsz)
{
	char why[200];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		error_set(err, errsz, "there is no SSO token in %s (%s)", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		error_set(err, errsz, "the SSO token cache %s is not a regular file", path);
		return -1;
	}
	if (read_fd(fd, text, len) != 0) {
		error_set(err, errsz, "cannot read the SSO token cache %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (sso_token_parse(*text, *len, tok, why, sizeof why) != 0) {
		error_set(err, errsz, "the SSO token cache %s is not usable: %s", path, why);
		wipe_buf(*text, *len + 1);
		*text = NULL;
		close(fd);
		return -1;
	}
	if (fd_out)
		*fd_out = fd;
	else
		close(fd);
	return 0;
}

static double ctx_now(const struct creds_context *ctx)
{
	return ctx && ctx->now > 0 ? ctx->now : (double)time(NULL);
}

/* CreateToken with the refresh grant. 0 and the new token's parts, or -1 with a reason. */
static int refresh(const struct creds_context *ctx, const struct sso_config *cfg, const struct sso_token *tok,
		   char **access, double *expires_at, char **new_refresh, char *err, size_t errsz)
{
	char url[1100], why[600];
	if (sso_endpoint(ctx, ENDPOINT_SSO_OIDC, cfg->region, url, sizeof url - 8, why, sizeof why) != 0) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	strcat(url, "/token");
	json_object *req = json_object_new_object();
	json_object_object_add(req, "clientId", json_object_new_string(tok->client_id));
	json_object_object_add(req, "clientSecret", json_object_new_string(tok->client_secret));
	json_object_object_add(req, "grantType", json_object_new_string("refresh_token"));
	json_object_object_add(req, "refreshToken", json_object_new_string(tok->refresh_token));
	const char *body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	static const char *const headers[] = {"Content-Type: application/json", "Accept: application/json", "Expect:",
					      NULL};
	struct http_response resp;
	int rc = sso_request(ctx, "POST", url, headers, body, body ? strlen(body) : 0, "SSO OIDC CreateToken", &resp,
			     NULL, why, sizeof why);
	if (body)
		OPENSSL_cleanse((void *)body, strlen(body));
	json_object_put(req);
	if (rc != 0) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	rc = sso_oidc_parse_create_token(resp.status, resp.body, resp.body_len, ctx_now(ctx), access, expires_at,
					 new_refresh, why, sizeof why);
	if (resp.body)
		OPENSSL_cleanse(resp.body, resp.body_len);
	http_response_free(&resp);
	if (rc != 0)
		error_set(err, errsz, "SSO OIDC CreateToken: %s", why);
	return rc;
}

/* flock(LOCK_EX), waiting at most half of what is left of the run's deadline: a stopped
 * process holding the lock must not hang this check, and the rest of the run needs time too
 * (without the lock the worst case is one more CreateToken). */
static void lock_within_deadline(const struct creds_context *ctx, int fd)
{
	struct deadline wait;
	deadline_start(&wait, (ctx && ctx->deadline ? deadline_remaining(ctx->deadline) : 10.0) / 2);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || deadline_expired(&wait)) {
			trace_printf(ctx ? ctx->trace : NULL, 1, "the SSO token cache is locked by another run; going on");
			return;
		}
		backoff_sleep(0.05);
	}
}

static void login_hint(const struct sso_config *cfg, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "run `aws sso login --profile %s`", cfg->profile ? cfg->profile : "NAME");
}

int sso_token_get(const struct creds_context *ctx, const struct sso_config *cfg, char **access_token, char *err,
		  size_t errsz)
{
	char path[4096], why[1024], hint[300];
	*access_token = NULL;
	login_hint(cfg, hint, sizeof hint);
	if (sso_token_cache_path(ctx ? ctx->getenv_fn : NULL, cfg->session_name, cfg->start_url, path, sizeof path, why,
				 sizeof why) != 0) {
		error_set(err, errsz, "%s; %s", why, hint);
		return -1;
	}
	struct sso_token tok;
	char *text = NULL;
	size_t len = 0;
	int fd = -1;
	double now = ctx_now(ctx);
	if (load(path, &tok, &text, &len, NULL, why, sizeof why) != 0) {
		error_set(err, errsz, "%s; %s", why, hint);
		return -1;
	}
	trace_printf(ctx ? ctx->trace : NULL, 2, "profile '%s': SSO token from %s, %.0f s left", cfg->profile, path,
		     tok.expires_at - now);
	enum sso_token_action act = sso_token_decide(&tok, now);
	if (act != SSO_TOKEN_REFRESH) {
		wipe_buf(text, len + 1);
		if (act == SSO_TOKEN_EXPIRED) {
			char when[40];
			format_time(tok.expires_at, when, sizeof when);
			int fields = tok.refresh_token && tok.client_id && tok.client_secret && tok.registration_expires_at > 0;
			error_set(err, errsz, "the SSO token in %s expired at %s and %s; %s", path, when,
				  fields ? "its client registration has expired too" : "it has no refresh data", hint);
			sso_token_free(&tok);
			return -1;
		}
		*access_token = tok.access_token;
		tok.access_token = NULL;
		sso_token_free(&tok);
		return 0;
	}
	/* Refresh, one process at a time: lock, then re-read (another run may have done it). */
	wipe_buf(text, len + 1);
	text = NULL;
	sso_token_free(&tok);
	int lfd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (lfd >= 0)
		lock_within_deadline(ctx, lfd);
	int rc = -1;
	if (load(path, &tok, &text, &len, &fd, why, sizeof why) != 0) {
		error_set(err, errsz, "%s; %s", why, hint);
		goto out;
	}
	close(fd);
	act = sso_token_decide(&tok, now);
	if (act != SSO_TOKEN_REFRESH) {
		if (act == SSO_TOKEN_USE) { /* someone else refreshed it */
			*access_token = tok.access_token;
			tok.access_token = NULL;
			rc = 0;
		} else {
			error_set(err, errsz, "the SSO token in %s expired and cannot be refreshed; %s", path, hint);
		}
		goto out_tok;
	}
	char *access = NULL, *new_refresh = NULL;
	double exp = 0;
	if (refresh(ctx, cfg, &tok, &access, &exp, &new_refresh, why, sizeof why) != 0) {
		if (tok.expires_at > now) { /* still valid: use it (botocore does the same) */
			trace_printf(ctx ? ctx->trace : NULL, 1,
				     "profile '%s': refreshing the SSO token failed (%s); using the current one",
				     cfg->profile, why);
			*access_token = tok.access_token;
			tok.access_token = NULL;
			rc = 0;
		} else {
			error_set(err, errsz, "the SSO token in %s expired and refreshing it failed: %s; %s", path, why, hint);
		}
		goto out_tok;
	}
	char *merged = sso_token_merge(text, len, access, exp, new_refresh);
	char wwhy[300] = "";
	if (!merged || write_atomic(path, merged, wwhy, sizeof wwhy) != 0) {
		/* the new token works for this run; the next run refreshes again */
		trace_printf(ctx ? ctx->trace : NULL, 1, "profile '%s': cannot write the refreshed SSO token to %s: %s",
			     cfg->profile, path, merged ? wwhy : "out of memory");
	} else {
		trace_printf(ctx ? ctx->trace : NULL, 2, "profile '%s': SSO token refreshed and written back to %s",
			     cfg->profile, path);
	}
	wipe_free(merged);
	wipe_free(new_refresh);
	*access_token = access;
	rc = 0;
out_tok:
	sso_token_free(&tok);
	wipe_buf(text, len + 1);
out:
	if (lfd >= 0)
		close(lfd);
	return rc;
}
