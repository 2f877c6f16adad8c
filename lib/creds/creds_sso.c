/* creds_sso.c - see creds_sso.h. */
#define _GNU_SOURCE
#include "creds_sso.h"
#include "backoff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "aws_config.h"
#include "aws_error.h"
#include "deadline.h"
#include "error.h"
#include "http.h"
#include "trace.h"
#include "retry.h"
#include "sigv4.h"

#define SSO_MAX_ATTEMPTS 3

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

int sso_endpoint(const struct creds_context *ctx, enum endpoint_service svc, const char *region, char *url,
		 size_t urlsz, char *err, size_t errsz)
{
	const struct aws_config *cfg = ctx ? ctx->config : NULL;
	const char *(*getenv_fn)(const char *) = ctx ? ctx->getenv_fn : NULL;
	const char *profile = aws_config_profile_name_from(ctx ? ctx->profile : NULL, getenv_fn);
	const char *what = svc == ENDPOINT_SSO ? "SSO portal" : "SSO OIDC";
	char why[256], where[64];
	struct endpoint_params p = {.region = region};
	if (aws_config_endpoint_url(cfg, profile, getenv_fn, svc == ENDPOINT_SSO ? "sso" : "sso_oidc",
				    &p.endpoint_override, where, sizeof where, why, sizeof why) != 0 ||
	    aws_config_setting_bool(cfg, profile, getenv_fn, "AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint", &p.use_fips,
				    why, sizeof why) != 0 ||
	    aws_config_setting_bool(cfg, profile, getenv_fn, "AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint",
				    &p.use_dualstack, why, sizeof why) != 0) {
		error_set(err, errsz, "cannot build the %s endpoint: %s", what, why);
		return -1;
	}
	if (endpoint_resolve_service(svc, &p, url, urlsz, why, sizeof why) != 0) {
		if (p.endpoint_override)
			error_set(err, errsz, "%s endpoint (%s) is not usable: %s", what, where, why);
		else
			error_set(err, errsz, "cannot build the %s endpoint for sso_region: %s", what, why);
		return -1;
	}
	return 0;
}

int sso_request(const struct creds_context *ctx, const char *method, const char *url, const char *const *headers,
		const char *body, size_t body_len, const char *what, struct http_response *resp, int *attempts,
		char *err, size_t errsz)
{
	int dummy;
	if (!attempts)
		attempts = &dummy;
	char why[600];
	memset(resp, 0, sizeof *resp);
	if (!ctx || !ctx->http) {
		error_set(err, errsz, "%s: no HTTP client available", what);
		return -1;
	}
	struct deadline fallback;
	const struct deadline *dl = ctx->deadline;
	if (!dl) {
		deadline_start(&fallback, 30.0);
		dl = &fallback;
	}
	for (int attempt = 1;; attempt++) {
		*attempts = attempt;
		struct http_request_spec spec = {.method = method, .url = url, .headers = headers, .body = body,
						 .body_len = body_len, .max_seconds = 0, .sensitive = 1};
		enum http_result hr = http_request(ctx->http, &spec, dl, resp, why, sizeof why);
		int retryable;
		char reason[700];
		if (hr == HTTP_OK) {
			struct aws_error ae;
			if (resp->status < 300)
				return 0;
			aws_error_parse(resp->status, resp->error_type, resp->request_id, resp->body, resp->body_len, &ae);
			retryable = retry_is_retryable(resp->status, ae.code, RETRY_TRANSPORT_NONE);
			if (!retryable || attempt >= SSO_MAX_ATTEMPTS)
				return 0; /* the caller reads the error answer */
			snprintf(reason, sizeof reason, "HTTP %ld", resp->status);
		} else {
			snprintf(reason, sizeof reason, "%s", why);
			retryable = http_is_retryable_result(hr);
		}
		double pause = -1.0;
		if (retryable && attempt < SSO_MAX_ATTEMPTS)
			pause = retry_sleep_within(retry_backoff_seconds(attempt, backoff_jitter01()), deadline_remaining(dl));
		if (pause < 0) {
			if (hr == HTTP_OK)
				return 0; /* out of time: report the answer we have */
			if (attempt > 1)
				error_set(err, errsz, "%s: %s (after %d attempts)", what, reason, attempt);
			else
				error_set(err, errsz, "%s: %s", what, reason);
			return -1;
		}
		if (resp->body)
			OPENSSL_cleanse(resp->body, resp->body_len);
		http_response_free(resp);
		trace_printf(ctx->trace, 2, "%s: attempt %d failed (%s), retrying in %.2f s", what, attempt, reason, pause);
		backoff_sleep(pause);
	}
}

int sso_parse_role_credentials(long status, const char *error_type, const char *body, size_t len,
			       struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (status != 200) {
		struct aws_error ae;
		aws_error_parse(status, error_type, NULL, body, len, &ae);
		if (ae.message[0])
			error_set(err, errsz, "%s: %.300s (HTTP %ld)", ae.code, ae.message, status);
		else if (strncmp(ae.code, "HTTP ", 5) == 0)
			error_set(err, errsz, "HTTP %ld", status);
		else
			error_set(err, errsz, "%s (HTTP %ld)", ae.code, status);
		return -1;
	}
	struct json_tokener *tok = json_tokener_new_ex(16);
	json_object *root = tok && body && len < (1u << 20) ? json_tokener_parse_ex(tok, body, (int)len) : NULL, *rc, *v;
	if (tok && root && json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	const char *id = NULL, *secret = NULL, *token = NULL;
	double expiration = 0;
	int have_exp = 0;
	if (root && json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "roleCredentials", &rc) &&
	    json_object_is_type(rc, json_type_object)) {
		if (json_object_object_get_ex(rc, "accessKeyId", &v) && json_object_is_type(v, json_type_string))
			id = json_object_get_string(v);
		if (json_object_object_get_ex(rc, "secretAccessKey", &v) && json_object_is_type(v, json_type_string))
			secret = json_object_get_string(v);
		if (json_object_object_get_ex(rc, "sessionToken", &v) && json_object_is_type(v, json_type_string))
			token = json_object_get_string(v);
		if (json_object_object_get_ex(rc, "expiration", &v) &&
		    (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))) {
			expiration = json_object_get_double(v) / 1000.0;
			have_exp = expiration > 0;
		}
	}
	int ret = -1;
	if (!root || !json_object_is_type(root, json_type_object))
		error_set(err, errsz, "the answer (HTTP 200) is not a JSON object");
	else if (!id || !*id || !secret || !*secret || !token || !*token || !have_exp)
		error_set(err, errsz, "the answer (HTTP 200) lacks roleCredentials.%s",
			  !id || !*id		? "accessKeyId"
			  : !secret || !*secret	? "secretAccessKey"
			  : !token || !*token	? "sessionToken"
						: "expiration");
	else if (creds_set(out, id, secret, token, expiration, "sso") != 0)
		error_set(err, errsz, "out of memory");
	else
		ret = 0;
	json_object_put(root); /* json-c does not wipe; the strings were short-lived */
	return ret;
}

static void sanitize(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	for (; in && *in && n + 1 < outsz; in++)
		out[n++] = ((unsigned char)*in < 0x20 || *in == 0x7f) ? ' ' : *in;
	out[n] = '\0';
}

int creds_sso_fetch(const struct creds_context *ctx, const struct sso_config *cfg, struct creds *out, char *err,
		    size_t errsz)
{
	char what[400], acct[80], role[140], why[1200], url[1100];
	memset(out, 0, sizeof *out);
	sanitize(cfg->account_id, acct, sizeof acct);
	sanitize(cfg->role_name, role, sizeof role);
	snprintf(what, sizeof what, "IAM Identity Center GetRoleCredentials for role %s in account %s", role, acct);
	if (!cfg->account_id || !cfg->role_name) {
		error_set(err, errsz,
			  "the SSO settings have no sso_account_id / sso_role_name, so they name no role to use");
		return -1;
	}
	if (!cfg->start_url) {
		if (cfg->session_name)
			error_set(err, errsz, "the [sso-session %s] section has no sso_start_url", cfg->session_name);
		else
			error_set(err, errsz, "the SSO settings have no sso_start_url");
		return -1;
	}
	if (sso_endpoint(ctx, ENDPOINT_SSO, cfg->region, url, sizeof url, why, sizeof why) != 0) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	char *token = NULL;
	if (sso_token_get(ctx, cfg, &token, why, sizeof why) != 0) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	char *ea = sigv4_uri_encode(cfg->account_id, 1), *er = sigv4_uri_encode(cfg->role_name, 1);
	char *full = NULL, *h_token = NULL;
	int rc = -1;
	if (!ea || !er || asprintf(&full, "%s/federation/credentials?account_id=%s&role_name=%s", url, ea, er) < 0 ||
	    asprintf(&h_token, "x-amz-sso_bearer_token: %s", token) < 0) {
		full = h_token = NULL;
		error_set(err, errsz, "%s: out of memory", what);
		goto done;
	}
	const char *headers[] = {h_token, "Accept: application/json", NULL};
	struct http_response resp;
	int attempts = 1;
	if (sso_request(ctx, "GET", full, headers, NULL, 0, what, &resp, &attempts, why, sizeof why) != 0) {
		error_set(err, errsz, "%s", why);
		goto done;
	}
	rc = sso_parse_role_credentials(resp.status, resp.error_type, resp.body, resp.body_len, out, why, sizeof why);
	if (rc != 0 && attempts > 1) {
		size_t l = strlen(why);
		snprintf(why + l, sizeof why - l, " (after %d attempts)", attempts);
	}
	if (rc != 0) {
		if (resp.status == 401 || resp.status == 403)
			error_set(err, errsz,
				  "%s: %s; the SSO session has expired or is otherwise invalid: run `aws sso login "
				  "--profile %s`",
				  what, why, cfg->profile);
		else
			error_set(err, errsz, "%s: %s", what, why);
	}
	if (resp.body)
		OPENSSL_cleanse(resp.body, resp.body_len);
	http_response_free(&resp);
done:
	free(ea);
	free(er);
	free(full);
	wipe_free(h_token);
	wipe_free(token);
	return rc;
}
