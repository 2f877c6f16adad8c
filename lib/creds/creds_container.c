/* creds_container.c - see creds_container.h. */
#include "creds_container.h"
#include "env.h"
#include "error.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "deadline.h"
#include "http.h"
#include "timestamp.h"

#define TOKEN_FILE_MAX (64 * 1024)

static int bad_uri_char(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' ||
		    c == '`' || c == '{' || c == '|' || c == '}')
			return 1;
	}
	return 0;
}

int creds_container_split_url(const char *url, char *scheme, size_t schemesz, char *host, size_t hostsz,
			      int *port, const char **rest, char *err, size_t errsz)
{
	const char *p, *auth, *auth_end, *h, *h_end, *colon = NULL;
	size_t n;

	*port = 0;
	if (schemesz)
		scheme[0] = '\0';
	if (hostsz)
		host[0] = '\0';
	*rest = "";
	if (!url || bad_uri_char(url)) {
		error_set(err, errsz, "invalid uri character");
		return -1;
	}
	p = strstr(url, "://");
	if (!p || p == url) {
		error_set(err, errsz, "URI did not specify a host");
		return -1;
	}
	for (const char *s = url; s < p; s++) {
		if (!isalpha((unsigned char)*s) && !(s > url && (isdigit((unsigned char)*s) || strchr("+-.", *s)))) {
			error_set(err, errsz, "invalid uri character");
			return -1;
		}
	}
	n = (size_t)(p - url);
	if (n >= schemesz) {
		error_set(err, errsz, "unsupported URI scheme");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		scheme[i] = (char)tolower((unsigned char)url[i]);
	scheme[n] = '\0';
	if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
		error_set(err, errsz, "unsupported URI scheme \"%s\" (only http and https)", scheme);
		return -1;
	}
	auth = p + 3;
	auth_end = auth + strcspn(auth, "/?#");
	*rest = auth_end;
	if (memchr(auth, '@', (size_t)(auth_end - auth))) {
		error_set(err, errsz, "user information in the URI is not supported");
		return -1;
	}
	if (auth < auth_end && *auth == '[') {
		h = auth + 1;
		h_end = memchr(h, ']', (size_t)(auth_end - h));
		if (!h_end) {
			error_set(err, errsz, "invalid IPv6 address in the URI");
			return -1;
		}
		if (h_end + 1 < auth_end) {
			if (h_end[1] != ':') {
				error_set(err, errsz, "invalid uri character");
				return -1;
			}
			colon = h_end + 1;
		}
	} else {
		h = auth;
		colon = memchr(auth, ':', (size_t)(auth_end - auth));
		h_end = colon ? colon : auth_end;
	}
	if (h_end == h) {
		error_set(err, errsz, "URI did not specify a host");
		return -1;
	}
	n = (size_t)(h_end - h);
	if (n >= hostsz) {
		error_set(err, errsz, "URI host is too long");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[n] = '\0';
	if (auth < auth_end && *auth == '[') {
		struct in6_addr a6;
		if (inet_pton(AF_INET6, host, &a6) != 1) {
			error_set(err, errsz, "invalid IPv6 address in the URI");
			return -1;
		}
	}
	if (colon) {
		long v = 0;
		const char *d = colon + 1;
		if (d == auth_end) {
			error_set(err, errsz, "invalid port in the URI");
			return -1;
		}
		for (; d < auth_end; d++) {
			if (!isdigit((unsigned char)*d) || (v = v * 10 + (*d - '0')) > 65535) {
				error_set(err, errsz, "invalid port in the URI");
				return -1;
			}
		}
		if (v < 1) {
			error_set(err, errsz, "invalid port in the URI");
			return -1;
		}
		*port = (int)v;
	}
	if (err && errsz)
		err[0] = '\0';
	return 0;
}

static int host_is(const char *host, int af, const char *literal)
{
	unsigned char a[16], b[16];
	return inet_pton(af, host, a) == 1 && inet_pton(af, literal, b) == 1 &&
	       memcmp(a, b, af == AF_INET ? 4 : 16) == 0;
}

static int host_is_eks(const char *host)
{
	return host_is(host, AF_INET, "169.254.170.23") || host_is(host, AF_INET6, "fd00:ec2::23");
}

/* botocore ContainerMetadataFetcher._validate_allowed_url: a string check, no DNS. */
static int http_host_allowed(const char *host)
{
	struct in_addr a4;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127 || host_is(host, AF_INET, CREDS_CONTAINER_ECS_HOST) ||
		       host_is(host, AF_INET, "169.254.170.23");
	return host_is(host, AF_INET6, "::1") || host_is(host, AF_INET6, "fd00:ec2::23") ||
	       strcmp(host, "localhost") == 0;
}

int creds_container_is_eks(const char *url)
{
	char scheme[8], host[256], e[8];
	const char *rest;
	int port;
	if (creds_container_split_url(url, scheme, sizeof scheme, host, sizeof host, &port, &rest, e, sizeof e))
		return 0;
	return host_is_eks(host);
}

int creds_container_uri(const char *(*getenv_fn)(const char *), char *url, size_t urlsz, char *err,
			size_t errsz)
{
	const char *rel = env_get(getenv_fn, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env_get(getenv_fn, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
	char scheme[8], host[256], why[160];
	const char *rest;
	int port;

	if (urlsz)
		url[0] = '\0';
	if (err && errsz)
		err[0] = '\0';
	if (rel) {
		if (rel[0] != '/' || bad_uri_char(rel)) {
			error_set(err, errsz, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path: %s",
				rel[0] != '/' ? "it must start with '/'" : "invalid uri character");
			return CREDS_CONTAINER_URI_INVALID;
		}
		if ((size_t)snprintf(url, urlsz, "http://%s%s", CREDS_CONTAINER_ECS_HOST, rel) >= urlsz) {
			url[0] = '\0';
			error_set(err, errsz, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is too long");
			return CREDS_CONTAINER_URI_INVALID;
		}
		return CREDS_CONTAINER_URI_OK;
	}
	if (!full) {
		error_set(err, errsz, "No environment variables were set to configure ECS provider "
				    "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, AWS_CONTAINER_CREDENTIALS_FULL_URI)");
		return CREDS_CONTAINER_URI_UNSET;
	}
	if (creds_container_split_url(full, scheme, sizeof scheme, host, sizeof host, &port, &rest, why,
				      sizeof why)) {
		error_set(err, errsz, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URI: %s", why);
		return CREDS_CONTAINER_URI_INVALID;
	}
	if (strcmp(scheme, "http") == 0 && !http_host_allowed(host)) {
		error_set(err, errsz,
			"AWS_CONTAINER_CREDENTIALS_FULL_URI host %s is not allowed over plain http "
			"(use https, a loopback address, 169.254.170.2, 169.254.170.23 or fd00:ec2::23)",
			host);
		return CREDS_CONTAINER_URI_INVALID;
	}
	if ((size_t)snprintf(url, urlsz, "%s", full) >= urlsz) {
		url[0] = '\0';
		error_set(err, errsz, "AWS_CONTAINER_CREDENTIALS_FULL_URI is too long");
		return CREDS_CONTAINER_URI_INVALID;
	}
	return CREDS_CONTAINER_URI_OK;
}

static const char *json_str(struct json_object *root, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(root, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int creds_container_parse(const char *body, size_t len, const char *source, struct creds *out, char *err,
			  size_t errsz)
{
	struct json_tokener *tok;
	struct json_object *root = NULL;
	const char *id, *secret, *token, *exp;
	double expiration = 0;
	char why[128];
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (!body || len == 0 || len > (size_t)0x7fffffff) {
		error_set(err, errsz, "the response is empty");
		return -1;
	}
	tok = json_tokener_new_ex(16);
	if (!tok) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	root = json_tokener_parse_ex(tok, body, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		root = NULL;
	} else {
		for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
			if (!isspace((unsigned char)body[i])) {
				json_object_put(root);
				root = NULL;
				break;
			}
		}
	}
	json_tokener_free(tok);
	if (!root || !json_object_is_type(root, json_type_object)) {
		error_set(err, errsz, "the response is not a JSON object");
		goto out;
	}
	id = json_str(root, "AccessKeyId");
	secret = json_str(root, "SecretAccessKey");
	token = json_str(root, "Token");
	exp = json_str(root, "Expiration");
	if (!id || !*id || !secret || !*secret || !exp) {
		error_set(err, errsz, "the response has no %s",
			!id || !*id ? "AccessKeyId" : !secret || !*secret ? "SecretAccessKey" : "Expiration");
		goto out;
	}
	if (timestamp_parse(exp, &expiration, why, sizeof why)) {
		error_set(err, errsz, "the response's Expiration is not an ISO 8601 time");
		goto out;
	}
	if (creds_set(out, id, secret, token, expiration, source)) {
		error_set(err, errsz, "out of memory");
		goto out;
	}
	rc = 0;
out:
	json_object_put(root);
	return rc;
}

/* Reads the token file; returns a malloc'd trimmed string or NULL with err set. */
static char *read_token_file(const char *path, char *err, size_t errsz)
{
	FILE *f = fopen(path, "rb");
	char *buf, *s, *e;
	size_t n;

	if (!f) {
		error_set(err, errsz, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", path,
			strerror(errno));
		return NULL;
	}
	buf = malloc(TOKEN_FILE_MAX + 1);
	if (!buf) {
		fclose(f);
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, TOKEN_FILE_MAX + 1, f);
	if (ferror(f) || n > TOKEN_FILE_MAX) {
		int e2 = errno;
		fclose(f);
		OPENSSL_cleanse(buf, TOKEN_FILE_MAX + 1);
		free(buf);
		error_set(err, errsz, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s", path,
			n > TOKEN_FILE_MAX ? "file is larger than 64 KiB" : strerror(e2));
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		OPENSSL_cleanse(buf, TOKEN_FILE_MAX + 1);
		free(buf);
		error_set(err, errsz, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s contains a NUL byte", path);
		return NULL;
	}
	s = buf;
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	if (!*s) {
		OPENSSL_cleanse(buf, TOKEN_FILE_MAX + 1);
		free(buf);
		error_set(err, errsz, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s is empty", path);
		return NULL;
	}
	memmove(buf, s, strlen(s) + 1);
	return buf;
}

/* The run's deadline is (all but) spent: less than a useful request's worth remains. */
static int time_is_up(const struct deadline *dl)
{
	return deadline_remaining(dl) < 0.05;
}

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

/* "localhost" over http: every address it resolves to must be loopback (aws-c-auth). */
static int localhost_is_loopback(char *err, size_t errsz)
{
	struct addrinfo hints, *res = NULL;
	int okay = 1;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo("localhost", NULL, &hints, &res) != 0 || !res) {
		error_set(err, errsz, "container credentials endpoint host localhost does not resolve");
		return 0;
	}
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			const struct sockaddr_in *s4 = (const struct sockaddr_in *)(const void *)ai->ai_addr;
			if ((ntohl(s4->sin_addr.s_addr) >> 24) != 127)
				okay = 0;
		} else if (ai->ai_family == AF_INET6) {
			const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)(const void *)ai->ai_addr;
			if (!IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr))
				okay = 0;
		} else {
			okay = 0;
		}
	}
	freeaddrinfo(res);
	if (!okay)
		error_set(err, errsz, "container credentials endpoint host localhost resolves to a "
				    "non-loopback address; refusing plain http");
	return okay;
}

enum creds_status creds_from_container(const struct creds_context *ctx, struct creds *out, char *err,
				       size_t errsz)
{
	const char *(*ge)(const char *) = ctx ? ctx->getenv_fn : NULL;
	char url[2048], scheme[8], host[256], hostport[300], why[512];
	const char *rest, *source;
	const char *token_file, *token_env;
	char *token = NULL, *auth_header = NULL;
	const char *headers[3];
	struct http_client *own_client = NULL, *client;
	struct deadline own_dl;
	const struct deadline *dl;
	struct http_response resp;
	enum http_result hr = HTTP_ERR_OTHER;
	enum creds_status st = CREDS_BROKEN;
	int port, rc;

	memset(out, 0, sizeof *out);
	memset(&resp, 0, sizeof resp);
	if (err && errsz)
		err[0] = '\0';
	rc = creds_container_uri(ge, url, sizeof url, why, sizeof why);
	if (rc == CREDS_CONTAINER_URI_UNSET)
		return CREDS_NOT_CONFIGURED;
	if (rc != CREDS_CONTAINER_URI_OK) {
		error_set(err, errsz, "%s", why);
		return CREDS_BROKEN;
	}
	if (creds_container_split_url(url, scheme, sizeof scheme, host, sizeof host, &port, &rest, why,
				      sizeof why)) {
		error_set(err, errsz, "container credentials endpoint URI: %s", why);
		return CREDS_BROKEN;
	}
	if (port)
		snprintf(hostport, sizeof hostport, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
	else
		snprintf(hostport, sizeof hostport, strchr(host, ':') ? "[%s]" : "%s", host);
	source = host_is_eks(host) ? "eks-pod-identity" : "container";
	if (strcmp(scheme, "http") == 0 && strcmp(host, "localhost") == 0 && !localhost_is_loopback(err, errsz))
		return CREDS_BROKEN;

	/* The Authorization token: the file (read fresh each time) wins over the variable. */
	token_file = env_get(ge, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	token_env = env_get(ge, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
	if (token_file) {
		token = read_token_file(token_file, err, errsz);
		if (!token)
			return CREDS_BROKEN;
	} else if (token_env) {
		token = strdup(token_env);
		if (!token) {
			error_set(err, errsz, "out of memory");
			return CREDS_BROKEN;
		}
	}
	if (token && strpbrk(token, "\r\n")) {
		error_set(err, errsz, "the container authorization token (%s) contains a line break",
			token_file ? "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" : "AWS_CONTAINER_AUTHORIZATION_TOKEN");
		goto done;
	}
	headers[0] = "Accept: application/json";
	headers[1] = NULL;
	headers[2] = NULL;
	if (token) {
		size_t n = strlen(token) + sizeof "Authorization: ";
		auth_header = malloc(n);
		if (!auth_header) {
			error_set(err, errsz, "out of memory");
			goto done;
		}
		snprintf(auth_header, n, "Authorization: %s", token);
		headers[1] = auth_header;
	}

	client = ctx ? ctx->http : NULL;
	if (!client) {
		struct http_options o;
		memset(&o, 0, sizeof o);
		client = own_client = http_client_new(&o, why, sizeof why);
		if (!client) {
			error_set(err, errsz, "container credentials endpoint %s: %s", hostport, why);
			goto done;
		}
	}
	dl = ctx ? ctx->deadline : NULL;
	if (!dl) {
		deadline_start(&own_dl, CREDS_CONTAINER_FALLBACK_BUDGET);
		dl = &own_dl;
	}

	for (int attempt = 1; attempt <= 2; attempt++) {
		struct http_request_spec spec;
		memset(&spec, 0, sizeof spec);
		spec.method = "GET";
		spec.url = url;
		spec.headers = headers;
		spec.max_seconds = CREDS_CONTAINER_TIMEOUT;
		spec.sensitive = 1;
		http_response_free(&resp);
		hr = http_request(client, &spec, dl, &resp, why, sizeof why);
		int retry = (hr == HTTP_OK && resp.status >= 500) || (hr != HTTP_OK && http_is_retryable_result(hr));
		if (!retry || attempt == 2 || deadline_remaining(dl) < 0.2)
			break;
		struct timespec pause = {0, 100 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
	if (hr != HTTP_OK) {
		if (time_is_up(dl))
			error_set(err, errsz, "deadline reached while waiting for the container credentials endpoint %s",
				hostport);
		else if (hr == HTTP_ERR_TIMEOUT)
			error_set(err, errsz, "container credentials endpoint %s did not answer within %.0f s", hostport,
				CREDS_CONTAINER_TIMEOUT);
		else
			error_set(err, errsz, "container credentials endpoint %s did not answer: %s", hostport, why);
		goto done;
	}
	if (resp.status != 200) {
		error_set(err, errsz, "container credentials endpoint %s answered HTTP %ld%s", hostport, resp.status,
			resp.status == 401 || resp.status == 403 ? " (authorization token refused)" : "");
		goto done;
	}
	if (creds_container_parse(resp.body, resp.body_len, source, out, why, sizeof why)) {
		error_set(err, errsz, "container credentials endpoint %s: %s", hostport, why);
		goto done;
	}
	st = CREDS_FOUND;
done:
	if (resp.body)
		OPENSSL_cleanse(resp.body, resp.body_len);
	http_response_free(&resp);
	wipe_free(auth_header);
	wipe_free(token);
	http_client_free(own_client);
	return st;
}
