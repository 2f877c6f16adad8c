/* creds_imds.c - see creds_imds.h. */
#include "creds_imds.h"
#include "env.h"
#include "error.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "aws_config.h"
#include "creds_container.h"
#include "deadline.h"
#include "http.h"

#define IMDS_SOURCE "instance-metadata"
#define TOKEN_PATH "/latest/api/token"
#define ROLES_PATH "/latest/meta-data/iam/security-credentials/"

static const char *cfg_get(const struct aws_config *cfg, const char *profile, const char *key)
{
	const char *v = cfg ? aws_config_get(cfg, profile ? profile : "default", key) : NULL;
	return v && *v ? v : NULL;
}

int creds_imds_disabled(const char *(*getenv_fn)(const char *))
{
	const char *v = env_get(getenv_fn, "AWS_EC2_METADATA_DISABLED");
	return v && strcasecmp(v, "false") != 0;
}

int creds_imds_v1_disabled(const char *(*getenv_fn)(const char *), const struct aws_config *cfg,
			   const char *profile)
{
	const char *v = env_get(getenv_fn, "AWS_EC2_METADATA_V1_DISABLED");
	if (!v)
		v = cfg_get(cfg, profile, "ec2_metadata_v1_disabled");
	return v && strcasecmp(v, "true") == 0;
}

int creds_imds_endpoint(const char *(*getenv_fn)(const char *), const struct aws_config *cfg, const char *profile,
			const char *endpoint_override, const char *mode_override, char *base, size_t basesz,
			int *is_default, char *err, size_t errsz)
{
	const char *ep = NULL, *what = NULL, *mode, *mode_what;
	char scheme[8], host[256], why[128];
	const char *rest;
	int port;
	size_t n;

	if (basesz)
		base[0] = '\0';
	if (err && errsz)
		err[0] = '\0';
	*is_default = 0;
	if (endpoint_override && *endpoint_override) {
		ep = endpoint_override;
		what = "the configured metadata service endpoint";
	} else if ((ep = env_get(getenv_fn, "AWS_EC2_METADATA_SERVICE_ENDPOINT"))) {
		what = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
	} else if ((ep = cfg_get(cfg, profile, "ec2_metadata_service_endpoint"))) {
		what = "ec2_metadata_service_endpoint in the profile";
	}
	if (ep) {
		if (creds_container_split_url(ep, scheme, sizeof scheme, host, sizeof host, &port, &rest, why,
					      sizeof why)) {
			error_set(err, errsz, "%s is not a valid URI: %s", what, why);
			return -1;
		}
		if (strpbrk(rest, "?#")) {
			error_set(err, errsz, "%s is not a valid URI: it must not have a query or fragment", what);
			return -1;
		}
		n = strlen(ep);
		while (n > 0 && ep[n - 1] == '/')
			n--;
		if (n >= basesz) {
			error_set(err, errsz, "%s is too long", what);
			return -1;
		}
		memcpy(base, ep, n);
		base[n] = '\0';
		return 0;
	}
	mode = mode_override && *mode_override ? mode_override : NULL;
	mode_what = "the configured endpoint mode";
	if (!mode && (mode = env_get(getenv_fn, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")))
		mode_what = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
	if (!mode && (mode = cfg_get(cfg, profile, "ec2_metadata_service_endpoint_mode")))
		mode_what = "ec2_metadata_service_endpoint_mode in the profile";
	if (!mode || strcasecmp(mode, "IPv4") == 0) {
		snprintf(base, basesz, "%s", CREDS_IMDS_ENDPOINT_IPV4);
	} else if (strcasecmp(mode, "IPv6") == 0) {
		snprintf(base, basesz, "%s", CREDS_IMDS_ENDPOINT_IPV6);
	} else {
		char shown[40];
		size_t i;
		for (i = 0; mode[i] && i < sizeof shown - 1; i++)
			shown[i] = isprint((unsigned char)mode[i]) ? mode[i] : '?';
		shown[i] = '\0';
		error_set(err, errsz, "%s: `%s` is not a valid endpoint mode (expected IPv4 or IPv6)", mode_what, shown);
		return -1;
	}
	*is_default = 1;
	return 0;
}

int creds_imds_parse(const char *body, size_t len, struct creds *out, char *err, size_t errsz)
{
	struct json_object *root = NULL, *code;
	char why[160];

	memset(out, 0, sizeof *out);
	if (body && len > 0 && len < (size_t)0x7fffffff) {
		struct json_tokener *tok = json_tokener_new_ex(16);
		if (tok) {
			root = json_tokener_parse_ex(tok, body, (int)len);
			json_tokener_free(tok);
		}
	}
	if (root && json_object_is_type(root, json_type_object) && json_object_object_get_ex(root, "Code", &code)) {
		const char *c = json_object_is_type(code, json_type_string) ? json_object_get_string(code) : "";
		if (strcmp(c, "Success") != 0) {
			char shown[64];
			size_t i, j = 0;
			for (i = 0; c[i] && j < sizeof shown - 1; i++)
				if (isalnum((unsigned char)c[i]) || c[i] == '.' || c[i] == '_' || c[i] == '-')
					shown[j++] = c[i];
			shown[j] = '\0';
			json_object_put(root);
			error_set(err, errsz, "the credentials response has Code \"%s\" instead of \"Success\"", shown);
			return -1;
		}
	}
	json_object_put(root);
	if (creds_container_parse(body, len, IMDS_SOURCE, out, why, sizeof why)) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	if (!out->session_token) {
		creds_free(out);
		error_set(err, errsz, "the response has no Token");
		return -1;
	}
	return 0;
}

struct imds_run {
	struct http_client *client;
	const struct deadline *dl;
	const char *base;
};

/*
 * One request with at most one retry (5xx, reset, truncated; a refused connection
 * only when retry_connect). On HTTP_OK *resp holds the response.
 */
static enum http_result imds_call(const struct imds_run *r, const char *method, const char *path,
				  const char *const *headers, int retry_connect, struct http_response *resp,
				  char *why, size_t whysz)
{
	char url[2300];
	enum http_result hr = HTTP_ERR_OTHER;

	snprintf(url, sizeof url, "%s%s", r->base, path);
	for (int attempt = 1; attempt <= 2; attempt++) {
		struct http_request_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.method = method;
		spec.url = url;
		spec.headers = headers;
		spec.max_seconds = CREDS_IMDS_TIMEOUT;
		spec.sensitive = 1;
		http_response_free(resp);
		hr = http_request(r->client, &spec, r->dl, resp, why, whysz);
		int retry = (hr == HTTP_OK && resp->status >= 500) || hr == HTTP_ERR_PROTOCOL ||
			    (hr == HTTP_ERR_CONNECT && retry_connect);
		if (!retry || attempt == 2 || deadline_remaining(r->dl) < 0.2)
			break;
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	return hr;
}

/* The run's deadline is (all but) spent: less than a useful request's worth remains. */
static int time_is_up(const struct deadline *dl)
{
	return deadline_remaining(dl) < 0.05;
}

/* A failed request: say whether the run's deadline or the short per-request timeout ended it. */
static void call_failed(const struct imds_run *r, enum http_result hr, const char *why, const char *what,
			char *err, size_t errsz)
{
	if (time_is_up(r->dl))
		error_set(err, errsz, "deadline reached while waiting for the instance metadata service at %s (%s)",
			r->base, what);
	else if (hr == HTTP_ERR_TIMEOUT)
		error_set(err, errsz, "instance metadata service at %s did not answer the %s within %.0f s", r->base,
			what, CREDS_IMDS_TIMEOUT);
	else
		error_set(err, errsz, "instance metadata service at %s, %s: %s", r->base, what, why);
}

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

static void response_wipe_free(struct http_response *r)
{
	if (r->body)
		OPENSSL_cleanse(r->body, r->body_len);
	http_response_free(r);
}

static int valid_role_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 128)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+=,.@_-", *s))
			return 0;
	return 1;
}

int creds_imds_token_from_body(const char *body, const char **token, size_t *len)
{
	const char *s = body ? body : "", *e;
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	const char *nl = strpbrk(s, "\r\n");
	if (e == s || (nl && nl < e))
		return -1;
	*token = s;
	*len = (size_t)(e - s);
	return 0;
}

int creds_imds_role_from_list(const char *body, char *role, size_t rolesz)
{
	const char *s = body ? body : "";
	size_t n;
	while (*s && isspace((unsigned char)*s))
		s++;
	n = strcspn(s, "\r\n");
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return 1;
	if (n >= rolesz)
		return -1;
	memcpy(role, s, n);
	role[n] = '\0';
	if (!valid_role_name(role)) {
		role[0] = '\0';
		return -1;
	}
	return 0;
}

enum creds_status creds_from_imds(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz)
{
	const char *(*ge)(const char *) = ctx ? ctx->getenv_fn : NULL;
	const struct aws_config *cfg = ctx ? ctx->config : NULL;
	const char *profile = aws_config_profile_name_from(ctx ? ctx->profile : NULL, ge);
	char base[1024], why[512], role[160], path[256];
	char *token = NULL, *token_header = NULL;
	const char *get_headers[2] = {NULL, NULL};
	static const char *const put_headers[] = {"x-aws-ec2-metadata-token-ttl-seconds: " CREDS_IMDS_TOKEN_TTL, NULL};
	struct http_client *own_client = NULL;
	struct deadline own_dl;
	struct imds_run run;
	struct http_response resp;
	enum http_result hr;
	enum creds_status st = CREDS_BROKEN;
	int is_default = 0, v1 = 0;

	memset(out, 0, sizeof *out);
	memset(&resp, 0, sizeof resp);
	if (err && errsz)
		err[0] = '\0';
	if (creds_imds_disabled(ge)) {
		error_set(err, errsz, "instance metadata service disabled by AWS_EC2_METADATA_DISABLED");
		return CREDS_NOT_CONFIGURED;
	}
	if (creds_imds_endpoint(ge, cfg, profile, NULL, NULL, base, sizeof base, &is_default, why, sizeof why)) {
		error_set(err, errsz, "instance metadata service: %s", why);
		return CREDS_BROKEN;
	}
	run.base = base;
	run.client = ctx ? ctx->http : NULL;
	if (!run.client) {
		struct http_options o;
		memset(&o, 0, sizeof o);
		run.client = own_client = http_client_new(&o, why, sizeof why);
		if (!run.client) {
			error_set(err, errsz, "instance metadata service at %s: %s", base, why);
			return CREDS_BROKEN;
		}
	}
	run.dl = ctx ? ctx->deadline : NULL;
	if (!run.dl) {
		deadline_start(&own_dl, CREDS_IMDS_FALLBACK_BUDGET);
		run.dl = &own_dl;
	}

	/* 1. The IMDSv2 session token. */
	hr = imds_call(&run, "PUT", TOKEN_PATH, put_headers, 0, &resp, why, sizeof why);
	if (hr == HTTP_OK && resp.status == 200) {
		const char *s;
		size_t tn;
		if (creds_imds_token_from_body(resp.body, &s, &tn)) {
			error_set(err, errsz, "instance metadata service at %s returned an empty or malformed token", base);
			goto done;
		}
		token = strndup(s, tn);
		size_t n = tn + sizeof "x-aws-ec2-metadata-token: ";
		token_header = token ? malloc(n) : NULL;
		if (!token_header) {
			error_set(err, errsz, "out of memory");
			goto done;
		}
		snprintf(token_header, n, "x-aws-ec2-metadata-token: %s", token);
		get_headers[0] = token_header;
	} else if (hr == HTTP_OK) {
		if (resp.status != 403 && resp.status != 404 && resp.status != 405) {
			error_set(err, errsz, "instance metadata service at %s answered the token request with HTTP %ld",
				base, resp.status);
			goto done;
		}
		v1 = 1;
		snprintf(why, sizeof why, "answered the IMDSv2 token request with HTTP %ld", resp.status);
	} else if (time_is_up(run.dl)) {
		error_set(err, errsz, "deadline reached while waiting for the instance metadata service at %s "
				    "(token request)", base);
		goto done;
	} else if (hr == HTTP_ERR_TIMEOUT && !strstr(why, "connecting to")) {
		/*
		 * Connected, but the token answer never came (e.g. a hop limit of 1 in a container).
		 * http.c tells the phases apart only in its message ("deadline reached while
		 * connecting to" vs "waiting for the response from"); if that wording changes, a
		 * silent service is treated as unreachable rather than tried with IMDSv1.
		 */
		v1 = 1;
		snprintf(why, sizeof why, "did not answer the IMDSv2 token request within %.0f s", CREDS_IMDS_TIMEOUT);
	} else if (hr == HTTP_ERR_TIMEOUT || hr == HTTP_ERR_CONNECT || hr == HTTP_ERR_DNS) {
		if (hr == HTTP_ERR_TIMEOUT)
			snprintf(why, sizeof why, "no connection within %.0f s", CREDS_IMDS_TIMEOUT);
		error_set(err, errsz, "instance metadata service at %s did not answer (%s)", base, why);
		st = is_default ? CREDS_NOT_CONFIGURED : CREDS_BROKEN;
		goto done;
	} else {
		error_set(err, errsz, "instance metadata service at %s, token request: %s", base, why);
		goto done;
	}
	if (v1 && creds_imds_v1_disabled(ge, cfg, profile)) {
		error_set(err, errsz, "instance metadata service at %s %s, and the IMDSv1 fallback is disabled "
				    "(AWS_EC2_METADATA_V1_DISABLED / ec2_metadata_v1_disabled)", base, why);
		goto done;
	}

	/* 2. The role name. */
	response_wipe_free(&resp);
	hr = imds_call(&run, "GET", ROLES_PATH, get_headers, 1, &resp, why, sizeof why);
	if (hr != HTTP_OK) {
		call_failed(&run, hr, why, "role request", err, errsz);
		goto done;
	}
	if (resp.status == 404) {
		error_set(err, errsz, "no IAM role attached to this instance (instance metadata service at %s)", base);
		goto done;
	}
	if (resp.status != 200) {
		error_set(err, errsz, "instance metadata service at %s answered the %srole request with HTTP %ld%s", base,
			v1 ? "IMDSv1 " : "", resp.status,
			resp.status == 401 ? (v1 ? " (the instance requires IMDSv2)" : " (token refused)") :
			resp.status == 403 ? " (forbidden: the metadata service may be turned off for this instance)" : "");
		goto done;
	}
	switch (creds_imds_role_from_list(resp.body, role, sizeof role)) {
	case 0:
		break;
	case 1:
		error_set(err, errsz, "no IAM role attached to this instance (instance metadata service at %s)", base);
		goto done;
	default:
		error_set(err, errsz, "instance metadata service at %s returned an invalid role name", base);
		goto done;
	}

	/* 3. The role's credentials. */
	snprintf(path, sizeof path, "%s%s", ROLES_PATH, role);
	response_wipe_free(&resp);
	hr = imds_call(&run, "GET", path, get_headers, 1, &resp, why, sizeof why);
	if (hr != HTTP_OK) {
		call_failed(&run, hr, why, "credentials request", err, errsz);
		goto done;
	}
	if (resp.status != 200) {
		error_set(err, errsz, "instance metadata service at %s answered the credentials request for role %s "
				    "with HTTP %ld", base, role, resp.status);
		goto done;
	}
	if (creds_imds_parse(resp.body, resp.body_len, out, why, sizeof why)) {
		error_set(err, errsz, "instance metadata service at %s, role %s: %s", base, role, why);
		goto done;
	}
	st = CREDS_FOUND;
done:
	response_wipe_free(&resp);
	wipe_free(token_header);
	wipe_free(token);
	http_client_free(own_client);
	return st;
}
