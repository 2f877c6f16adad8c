/*
 * http.h - ONE attempt of an HTTP(S) GET over libcurl. The retry loop lives in the caller,
 * because every attempt is signed again (see retry.h).
 *
 * Contract:
 *  - http_client_new() makes one CURL handle that is reused by every http_get() on it, so a
 *    keep-alive connection survives across attempts. It takes a reference on libcurl's global
 *    state (curl_global_init) and http_client_free() drops it (curl_global_cleanup). Option
 *    strings are copied; the options struct may be freed afterwards. Returns NULL and fills
 *    err on failure.
 *  - Trust: TLS peer and host verification are always on; there is no way to turn them off.
 *    ca_file -> CURLOPT_CAINFO (only that file), ca_path -> CURLOPT_CAPATH (OpenSSL hashed
 *    directory); with neither, $AWS_CA_BUNDLE (read with env_get()
 *    through options.getenv_fn) -> CAINFO; else the system store read lazily from
 *    the hashed directory /etc/ssl/certs (CAINFO unset, so the big bundle is not parsed on
 *    every run), or libcurl's built-in default when that directory has no hash links.
 *    A ca_file that is not a readable regular file, or a ca_path that is not a readable
 *    directory, fails here, before any connection, naming where it came from
 *    ("AWS_CA_BUNDLE: cannot read the CA bundle /x: No such file or directory").
 *  - Proxies: libcurl's environment conventions (https_proxy, no_proxy...); options.proxy
 *    overrides them. Only http/https are allowed; redirects are not followed.
 *  - http_get(): connect and total timeouts are taken from deadline_remaining() at the call
 *    and never exceed it; when nothing remains it fails at once with HTTP_ERR_TIMEOUT. The body
 *    is capped at max_body (0 = 1 MiB): a larger Content-Length or body aborts the transfer with
 *    HTTP_ERR_TOO_LARGE. headers are "Name: value" strings (NULL-terminated array, may be NULL);
 *    a header containing CR or LF is refused (HTTP_ERR_OTHER).
 *    On HTTP_OK (a complete response, any status) *out holds the status, the body (malloc'd,
 *    NUL-terminated, body_len excludes the NUL; "" when empty) and the x-amzn-ErrorType,
 *    x-amzn-RequestId and Content-Type headers (trimmed, control characters replaced, cut to
 *    fit; "" when absent). The caller frees it with http_response_free(). On any other result
 *    *out holds no allocation (freeing it is still safe) and err says what failed and on which
 *    host:port, e.g. "connection refused by 127.0.0.1:9",
 *    "TLS handshake with 127.0.0.1:8443 failed: SSL certificate problem: ...",
 *    "could not resolve host nohost.invalid", "deadline reached while waiting for the
 *    response from 127.0.0.1:8443" (the stage: connecting, the TLS handshake, waiting for the
 *    response, reading its headers, reading its body; a reused connection is not
 *    "connecting"), "connection refused by the proxy 127.0.0.1:9 (from HTTPS_PROXY) (for
 *    host:443)", "response header line from host:443 is larger than libcurl's limit". err
 *    never contains a header value, nor a proxy's user or password.
 *  - options.trace at level >= 3 (-vvv): request/response headers, curl's connection notes and
 *    a short prefix of the response body go to the trace sink (trace.h), one line per call.
 *    The sink must outlive the client.
 *    The password (or user part without ':') of any "scheme://user:password@" in any traced
 *    line is replaced by "<redacted>": libcurl's "Uses proxy env variable" line included.
 *    The Authorization header's Signature, the whole X-Amz-Security-Token and
 *    x-amz-sso_bearer_token values, any other
 *    Authorization / Proxy-Authorization value and X-Amz-Signature/X-Amz-Security-Token query
 *    parameters are replaced by "<redacted>".
 *  - http_is_retryable_result(): 1 for HTTP_ERR_CONNECT (refused/reset/closed) and
 *    HTTP_ERR_PROTOCOL (truncated), which one more attempt may cure; 0 for everything else. A
 *    timeout is 0: an attempt's timeout is the run's deadline, so nothing is left to retry in.
 *    Map to retry_is_retryable() with RETRY_TRANSPORT_TRANSIENT / RETRY_TRANSPORT_FATAL.
 */
#ifndef S3T_HTTP_H
#define S3T_HTTP_H

#include <stddef.h>

#include "deadline.h"

struct trace;

#define HTTP_DEFAULT_MAX_BODY ((size_t)1024 * 1024)
#define HTTP_SYSTEM_CA_DIR "/etc/ssl/certs"

struct http_options {
	const char *ca_file;
	const char *ca_path;
	const char *ca_file_source; /* where ca_file came from, for messages; NULL: "--ca-file" */
	const char *proxy;
	const struct trace *trace;                  /* -vvv sink (level >= 3), or NULL */
	const char *(*getenv_fn)(const char *name); /* AWS_CA_BUNDLE lookup; NULL = getenv(3) */
	size_t max_body; /* 0 means HTTP_DEFAULT_MAX_BODY */
};

struct http_response {
	long status;
	char *body;
	size_t body_len;
	char error_type[256];
	char request_id[128];
	char content_type[128];
};

enum http_result {
	HTTP_OK = 0,       /* got a complete response, any status */
	HTTP_ERR_TIMEOUT,  /* the deadline ran out (connecting, waiting or reading) */
	HTTP_ERR_CONNECT,  /* refused/unreachable/reset/closed without a response, proxy failure */
	HTTP_ERR_DNS,      /* host or proxy name did not resolve */
	HTTP_ERR_TLS,      /* handshake or certificate verification failed */
	HTTP_ERR_TOO_LARGE,/* body or Content-Length over max_body */
	HTTP_ERR_PROTOCOL, /* truncated body, bad framing, not HTTP */
	HTTP_ERR_OTHER     /* bad URL/scheme/header, out of memory, anything else */
};

struct http_client;

struct http_client *http_client_new(const struct http_options *opts, char *err, size_t errsz);
enum http_result http_get(struct http_client *c, const char *url, const char *const *headers,
			  const struct deadline *dl, struct http_response *out, char *err, size_t errsz);
/*
 * The general form: method "GET", "POST" or "PUT" (a body, possibly empty, is sent for the
 * latter two), and max_seconds > 0 to cap this request below what is left of the deadline
 * (e.g. short metadata-service timeouts). Everything else is as for http_get().
 */
struct http_request_spec {
	const char *method;
	const char *url;
	const char *const *headers;
	const void *body;
	size_t body_len;
	double max_seconds;
	int sensitive;   /* the response body carries secrets: -vvv never shows it */
};
enum http_result http_request(struct http_client *c, const struct http_request_spec *spec,
			      const struct deadline *dl, struct http_response *out, char *err, size_t errsz);
void http_response_free(struct http_response *r);
void http_client_free(struct http_client *c);
int http_is_retryable_result(enum http_result r);
const char *http_result_name(enum http_result r);

#endif
