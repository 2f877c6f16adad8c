/* http.c - see http.h. */
#include "http.h"
#include "env.h"
#include "error.h"
#include "strbuf.h"
#include "trace.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TRACE_BODY_PREFIX 256

struct http_client;

/* Per-attempt transfer state, handed to the callbacks. */
struct transfer {
	struct http_client *c;
	struct http_response *out;
	size_t cap;
	int too_large;
	int oom;
	int got_headers;
	int sensitive; /* the body carries credentials: never trace it */
};

struct http_client {
	CURL *curl;
	char *ca_file;
	char *ca_path;
	char *proxy;
	const struct trace *trace; /* the caller's -v sink (outlives the client), or NULL */
	size_t max_body;
	char errbuf[CURL_ERROR_SIZE];
	struct transfer idle; /* what the trace callback sees between requests (connection notes) */
};

/* Copy n bytes into a fixed field: trim blanks, control characters -> ' ', cut on a UTF-8
 * boundary. */
static void copy_field(char *dst, size_t dstsz, const char *src, size_t n)
{
	size_t len;
	while (n > 0 && (*src == ' ' || *src == '\t')) {
		src++;
		n--;
	}
	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == '\t' || src[n - 1] == '\r' || src[n - 1] == '\n'))
		n--;
	len = n < dstsz - 1 ? n : dstsz - 1;
	if (len < n)
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)src[i];
		dst[i] = (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch;
	}
	dst[len] = '\0';
}

/* Does the header line start with "name:" (case-insensitive)? Returns the value start. */
static const char *header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
	size_t nl = strlen(name);
	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	*vlen = len - nl - 1;
	return line + nl + 1;
}

/* ---- tracing (-vvv: trace level >= 3) ---------------------------------------------------- */

#define TRACE_HTTP 3

/* Append s, control characters (but tab) as \xNN. */
static void add_escaped(struct strbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\t' || (ch >= 0x20 && ch != 0x7f)) {
			strbuf_addc(b, (char)ch);
		} else {
			char x[8];
			snprintf(x, sizeof x, "\\x%02x", ch);
			strbuf_add(b, x);
		}
	}
}

/* Hand one built line to the sink and release the buffer (wiped). */
static void emit(const struct trace *tr, struct strbuf *b)
{
	if (!b->oom && b->p)
		trace_line(tr, TRACE_HTTP, b->p, b->len);
	strbuf_free(b);
}

/* Length of a token value that ends at ',', '&', ';', blank or the end of the line. */
static size_t token_len(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] != ',' && s[i] != '&' && s[i] != ';' && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
	       s[i] != '\n')
		i++;
	return i;
}

static const char *memcasemem(const char *hay, size_t n, const char *needle)
{
	size_t nl = strlen(needle);
	for (size_t i = 0; i + nl <= n; i++)
		if (strncasecmp(hay + i, needle, nl) == 0)
			return hay + i;
	return NULL;
}

/* Build one header line (without its line ending), secrets replaced. */
static void header_line(struct strbuf *b, const char *prefix, const char *line, size_t n)
{
	static const char *const whole[] = { "x-amz-security-token", "proxy-authorization",
					     "x-aws-ec2-metadata-token", "x-amz-sso_bearer_token", NULL };
	static const char *const params[] = { "Signature=", "X-Amz-Signature=", "X-Amz-Security-Token=",
					      "X-Amz-Credential-Token=", NULL };
	size_t vlen;
	strbuf_add(b, prefix);
	for (size_t i = 0; whole[i]; i++) {
		const char *v = header_value(line, n, whole[i], &vlen);
		if (v) {
			add_escaped(b, line, (size_t)(v - line));
			strbuf_add(b, " <redacted>");
			return;
		}
	}
	const char *v = header_value(line, n, "authorization", &vlen);
	if (v && !memcasemem(v, vlen, "Signature=")) {
		/* not SigV4: nothing in it is safe to show */
		add_escaped(b, line, (size_t)(v - line));
		strbuf_add(b, " <redacted>");
		return;
	}
	/* walk the line, replacing the value of every secret-bearing parameter */
	size_t i = 0;
	while (i < n) {
		const char *best = NULL;
		size_t best_nl = 0;
		for (size_t k = 0; params[k]; k++) {
			const char *m = memcasemem(line + i, n - i, params[k]);
			if (m && (!best || m < best)) {
				best = m;
				best_nl = strlen(params[k]);
			}
		}
		if (!best) {
			add_escaped(b, line + i, n - i);
			break;
		}
		size_t upto = (size_t)(best - line) + best_nl;
		add_escaped(b, line + i, upto - i);
		strbuf_add(b, "<redacted>");
		i = upto + token_len(line + upto, n - upto);
	}
}

/* One trace line per line of data. */
static void trace_block(const struct trace *tr, const char *prefix, const char *data, size_t size)
{
	size_t start = 0;
	while (start < size) {
		size_t end = start;
		while (end < size && data[end] != '\n')
			end++;
		size_t len = end - start;
		if (len > 0 && data[start + len - 1] == '\r')
			len--;
		if (len > 0 || end < size) {
			struct strbuf b = { 0 };
			header_line(&b, prefix, data + start, len);
			emit(tr, &b);
		}
		start = end + 1;
	}
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	struct transfer *t = userp;
	const struct trace *tr = t && t->c ? t->c->trace : NULL;
	(void)h;
	switch (type) {
	case CURLINFO_TEXT:
		trace_block(tr, "* ", data, size);
		break;
	case CURLINFO_HEADER_OUT:
		trace_block(tr, "> ", data, size);
		break;
	case CURLINFO_HEADER_IN:
		trace_block(tr, "< ", data, size);
		break;
	case CURLINFO_DATA_IN:
		if (t && t->sensitive) {
			trace_printf(tr, TRACE_HTTP, "< [body not shown: it carries credentials]");
		} else if (t && t->out && t->out->body_len < TRACE_BODY_PREFIX) {
			/* body_len is what the write callback has stored so far, i.e. before this chunk */
			size_t room = TRACE_BODY_PREFIX - t->out->body_len;
			size_t n = size < room ? size : room;
			struct strbuf b = { 0 };
			strbuf_add(&b, "< [body] ");
			add_escaped(&b, data, n);
			if (n < size)
				strbuf_add(&b, " [...]");
			emit(tr, &b);
		}
		break;
	default: /* request bodies (none for GET) and raw TLS records are never traced */
		break;
	}
	return 0;
}

/* ---- callbacks -------------------------------------------------------------------------- */

static size_t header_cb(char *data, size_t size, size_t nitems, void *userp)
{
	struct transfer *t = userp;
	struct http_response *r = t->out;
	size_t n = size * nitems, vlen;
	const char *v;

	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		/* a new response (e.g. after 100-continue or a proxy CONNECT): forget the previous one */
		r->error_type[0] = r->request_id[0] = r->content_type[0] = '\0';
		t->got_headers = 1;
		return n;
	}
	if ((v = header_value(data, n, "x-amzn-errortype", &vlen)))
		copy_field(r->error_type, sizeof(r->error_type), v, vlen);
	else if ((v = header_value(data, n, "x-amzn-requestid", &vlen)))
		copy_field(r->request_id, sizeof(r->request_id), v, vlen);
	else if ((v = header_value(data, n, "content-type", &vlen)))
		copy_field(r->content_type, sizeof(r->content_type), v, vlen);
	else if ((v = header_value(data, n, "content-length", &vlen))) {
		char num[32];
		copy_field(num, sizeof(num), v, vlen);
		char *endp;
		errno = 0;
		unsigned long long cl = strtoull(num, &endp, 10);
		if (num[0] && (errno == ERANGE || cl > t->c->max_body)) {
			t->too_large = 1;
			return 0; /* abort the transfer */
		}
	}
	return n;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
	struct transfer *t = userp;
	struct http_response *r = t->out;
	size_t n = size * nmemb;

	if (n > t->c->max_body - r->body_len) {
		t->too_large = 1;
		return 0;
	}
	if (r->body_len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		while (cap < r->body_len + n + 1)
			cap *= 2;
		char *nb = realloc(r->body, cap);
		if (!nb) {
			t->oom = 1;
			return 0;
		}
		r->body = nb;
		t->cap = cap;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

/* ---- client ----------------------------------------------------------------------------- */

/* Is dir an OpenSSL hashed certificate directory (has at least one "xxxxxxxx.N" entry)? */
static int is_hashed_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;
	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		const char *s = e->d_name;
		size_t i;
		for (i = 0; i < 8 && isxdigit((unsigned char)s[i]); i++)
			;
		if (i == 8 && s[8] == '.' && isdigit((unsigned char)s[9]))
			found = 1;
	}
	closedir(d);
	return found;
}

static char *dup_opt(const char *s, int *oom)
{
	char *d;
	if (!s || !*s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = 1;
	return d;
}

struct http_client *http_client_new(const struct http_options *opts, char *err, size_t errsz)
{
	struct http_options none = { 0 };
	struct http_client *c;
	CURLcode rc;
	int oom = 0;

	if (!opts)
		opts = &none;
	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		error_set(err, errsz, "cannot initialise libcurl: %s", curl_easy_strerror(rc));
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		curl_global_cleanup();
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	c->trace = opts->trace;
	c->max_body = opts->max_body ? opts->max_body : HTTP_DEFAULT_MAX_BODY;
	c->ca_file = dup_opt(opts->ca_file, &oom);
	c->ca_path = dup_opt(opts->ca_path, &oom);
	c->proxy = dup_opt(opts->proxy, &oom);
	if (!c->ca_file && !c->ca_path)
		c->ca_file = dup_opt(env_get(opts->getenv_fn, "AWS_CA_BUNDLE"), &oom);
	if (oom) {
		http_client_free(c);
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	c->curl = curl_easy_init();
	if (!c->curl) {
		http_client_free(c);
		error_set(err, errsz, "cannot create a libcurl handle");
		return NULL;
	}

	CURL *h = c->curl;
	rc = CURLE_OK;
#define SET(opt, val)                                           \
	do {                                                        \
		if (rc == CURLE_OK)                                     \
			rc = curl_easy_setopt(h, opt, val);                 \
	} while (0)
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, c->errbuf);
	/* configure.ac accepts libcurl >= 7.74.0 (Debian 11); the string form of the protocol
	 * allow-list only exists from 7.85.0, which also deprecates the bitmask form. Every other
	 * libcurl symbol used here is older than 7.74.0 (the newest: CURLE_PROXY, 7.73.0). */
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SET(CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
	SET(CURLOPT_HEADERFUNCTION, header_cb);
	SET(CURLOPT_WRITEFUNCTION, write_cb);
	if (c->ca_file || c->ca_path) {
		SET(CURLOPT_CAINFO, c->ca_file); /* NULL: not the built-in bundle either */
		SET(CURLOPT_CAPATH, c->ca_path);
	} else if (is_hashed_dir(HTTP_SYSTEM_CA_DIR)) {
		SET(CURLOPT_CAINFO, (char *)NULL);
		SET(CURLOPT_CAPATH, HTTP_SYSTEM_CA_DIR);
	} /* else: libcurl's built-in default bundle */
	if (c->proxy)
		SET(CURLOPT_PROXY, c->proxy);
	if (trace_on(c->trace, TRACE_HTTP)) {
		c->idle.c = c;
		SET(CURLOPT_DEBUGFUNCTION, debug_cb);
		SET(CURLOPT_DEBUGDATA, &c->idle);
		SET(CURLOPT_VERBOSE, 1L);
	}
#undef SET
	if (rc != CURLE_OK) {
		error_set(err, errsz, "cannot configure libcurl: %s", curl_easy_strerror(rc));
		http_client_free(c);
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	free(c->ca_file);
	free(c->ca_path);
	free(c->proxy);
	free(c);
	curl_global_cleanup();
}

void http_response_free(struct http_response *r)
{
	if (!r)
		return;
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

int http_is_retryable_result(enum http_result r)
{
	return r == HTTP_ERR_CONNECT || r == HTTP_ERR_PROTOCOL;
}

const char *http_result_name(enum http_result r)
{
	switch (r) {
	case HTTP_OK: return "ok";
	case HTTP_ERR_TIMEOUT: return "timeout";
	case HTTP_ERR_CONNECT: return "connection error";
	case HTTP_ERR_DNS: return "DNS error";
	case HTTP_ERR_TLS: return "TLS error";
	case HTTP_ERR_TOO_LARGE: return "response too large";
	case HTTP_ERR_PROTOCOL: return "protocol error";
	case HTTP_ERR_OTHER: return "error";
	}
	return "error";
}

/* "host:port" of url into buf, or "" when the URL does not parse. Returns 0 / -1. */
static int url_hostport(const char *url, char *buf, size_t bufsz, char *scheme, size_t schemesz)
{
	CURLU *u = curl_url();
	char *host = NULL, *port = NULL, *sch = NULL;
	int ret = -1;
	buf[0] = scheme[0] = '\0';
	if (!u)
		return -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &sch, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
		char tmp[300];
		snprintf(tmp, sizeof(tmp), "%s:%s", host, port);
		copy_field(buf, bufsz, tmp, strlen(tmp));
		copy_field(scheme, schemesz, sch, strlen(sch));
		ret = 0;
	}
	curl_free(sch);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ret;
}

/* The curl error buffer (or strerror of rc) as a clean one-line string. */
static void curl_reason(struct http_client *c, CURLcode rc, char *buf, size_t bufsz)
{
	const char *src = c->errbuf[0] ? c->errbuf : curl_easy_strerror(rc);
	copy_field(buf, bufsz, src, strlen(src));
}

enum http_result http_get(struct http_client *c, const char *url, const char *const *headers,
			  const struct deadline *dl, struct http_response *out, char *err, size_t errsz)
{
	struct http_request_spec spec = {.method = "GET", .url = url, .headers = headers};
	return http_request(c, &spec, dl, out, err, errsz);
}

enum http_result http_request(struct http_client *c, const struct http_request_spec *spec,
			      const struct deadline *dl, struct http_response *out, char *err, size_t errsz)
{
	const char *url = spec ? spec->url : NULL;
	const char *const *headers = spec ? spec->headers : NULL;
	const char *method = spec && spec->method ? spec->method : "GET";
	char hostport[280], scheme[16], reason[CURL_ERROR_SIZE];
	struct curl_slist *list = NULL;
	struct transfer t = { 0 };
	enum http_result res;
	CURLcode rc;
	CURL *h;

	memset(out, 0, sizeof(*out));
	if (err && errsz)
		err[0] = '\0';
	if (!c || !url) {
		error_set(err, errsz, "internal error: no HTTP client or URL");
		return HTTP_ERR_OTHER;
	}
	h = c->curl;
	if (url_hostport(url, hostport, sizeof(hostport), scheme, sizeof(scheme)) != 0) {
		error_set(err, errsz, "malformed or unsupported URL");
		return HTTP_ERR_OTHER;
	}
	if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
		error_set(err, errsz, "unsupported URL scheme \"%s\" for %s (only https and http)", scheme, hostport);
		return HTTP_ERR_OTHER;
	}
	for (size_t i = 0; headers && headers[i]; i++) {
		if (strpbrk(headers[i], "\r\n") || !strchr(headers[i], ':')) {
			curl_slist_free_all(list);
			error_set(err, errsz, "internal error: malformed request header #%zu", i + 1);
			return HTTP_ERR_OTHER;
		}
		struct curl_slist *nl = curl_slist_append(list, headers[i]);
		if (!nl) {
			curl_slist_free_all(list);
			error_set(err, errsz, "out of memory");
			return HTTP_ERR_OTHER;
		}
		list = nl;
	}

	double remaining = dl ? deadline_remaining(dl) : 0;
	long ms = (long)(remaining * 1000.0); /* rounds down: never past the deadline */
	if (remaining > 86400.0)
		ms = 86400L * 1000L;
	/* A caller may want a shorter limit (e.g. the metadata service), never a longer one. */
	if (spec->max_seconds > 0 && spec->max_seconds * 1000.0 < (double)ms)
		ms = (long)(spec->max_seconds * 1000.0);
	if (ms < 1) {
		curl_slist_free_all(list);
		error_set(err, errsz, "deadline reached before the request to %s could start", hostport);
		return HTTP_ERR_TIMEOUT;
	}

	t.c = c;
	t.out = out;
	t.sensitive = spec->sensitive;
	c->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else {
		/* POST and PUT carry a (possibly empty) in-memory body. */
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)spec->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, spec->body ? spec->body : "");
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &t);

	rc = curl_easy_perform(h);

	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, (char *)NULL);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, (char *)NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, (void *)NULL);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, (void *)NULL);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &c->idle);
	curl_slist_free_all(list);

	curl_reason(c, rc, reason, sizeof(reason));
	if (rc == CURLE_OK) {
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
		if (!out->body) {
			out->body = calloc(1, 1);
			if (!out->body) {
				error_set(err, errsz, "out of memory");
				return HTTP_ERR_OTHER;
			}
		}
		return HTTP_OK;
	}

	if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		res = HTTP_ERR_TOO_LARGE;
		error_set(err, errsz, "response from %s is larger than %zu bytes", hostport, c->max_body);
	} else if (t.oom || rc == CURLE_OUT_OF_MEMORY) {
		res = HTTP_ERR_OTHER;
		error_set(err, errsz, "out of memory while reading the response from %s", hostport);
	} else {
		switch (rc) {
		case CURLE_OPERATION_TIMEDOUT: {
			curl_off_t connect_us = 0;
			curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
			res = HTTP_ERR_TIMEOUT;
			error_set(err, errsz, "deadline reached while %s %s",
			       connect_us == 0 ? "connecting to" :
			       !t.got_headers  ? "waiting for the response from" :
						 "reading the response body from",
			       hostport);
			break;
		}
		case CURLE_COULDNT_RESOLVE_HOST: {
			res = HTTP_ERR_DNS;
			char host[280];
			copy_field(host, sizeof(host), hostport, strlen(hostport));
			char *colon = strrchr(host, ':');
			if (colon)
				*colon = '\0';
			error_set(err, errsz, "could not resolve host %s", host);
			break;
		}
		case CURLE_COULDNT_RESOLVE_PROXY:
			res = HTTP_ERR_DNS;
			error_set(err, errsz, "could not resolve the proxy for %s: %s", hostport, reason);
			break;
		case CURLE_COULDNT_CONNECT: {
			long oserr = 0;
			curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
			res = HTTP_ERR_CONNECT;
			if (c->proxy || memcasemem(reason, strlen(reason), "proxy"))
				error_set(err, errsz, "could not connect to the proxy for %s: %s", hostport, reason);
			else if (oserr == ECONNREFUSED)
				error_set(err, errsz, "connection refused by %s", hostport);
			else if (oserr)
				error_set(err, errsz, "could not connect to %s: %s", hostport, strerror((int)oserr));
			else
				error_set(err, errsz, "could not connect to %s: %s", hostport, reason);
			break;
		}
		case CURLE_PROXY:
		case CURLE_RECV_ERROR:
		case CURLE_SEND_ERROR:
			res = HTTP_ERR_CONNECT;
			error_set(err, errsz, "connection to %s failed: %s", hostport, reason);
			break;
		case CURLE_GOT_NOTHING:
			res = HTTP_ERR_CONNECT;
			error_set(err, errsz, "%s closed the connection without a response", hostport);
			break;
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_PEER_FAILED_VERIFICATION:
		case CURLE_SSL_CACERT_BADFILE:
		case CURLE_SSL_CERTPROBLEM:
		case CURLE_SSL_CIPHER:
		case CURLE_SSL_ISSUER_ERROR:
		case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		case CURLE_SSL_INVALIDCERTSTATUS:
		case CURLE_SSL_CRL_BADFILE:
		case CURLE_SSL_ENGINE_NOTFOUND:
		case CURLE_SSL_ENGINE_SETFAILED:
		case CURLE_SSL_ENGINE_INITFAILED:
		case CURLE_USE_SSL_FAILED:
			res = HTTP_ERR_TLS;
			error_set(err, errsz, "TLS handshake with %s failed: %s", hostport, reason);
			break;
		case CURLE_PARTIAL_FILE:
			res = HTTP_ERR_PROTOCOL;
			error_set(err, errsz, "truncated response from %s: %s", hostport, reason);
			break;
		case CURLE_WEIRD_SERVER_REPLY:
		case CURLE_HTTP2:
		case CURLE_HTTP2_STREAM:
		case CURLE_BAD_CONTENT_ENCODING:
		case CURLE_HTTP_RETURNED_ERROR:
			res = HTTP_ERR_PROTOCOL;
			error_set(err, errsz, "bad HTTP response from %s: %s", hostport, reason);
			break;
		default:
			res = HTTP_ERR_OTHER;
			error_set(err, errsz, "request to %s failed: %s", hostport, reason);
			break;
		}
	}
	http_response_free(out);
	memset(out, 0, sizeof(*out));
	return res;
}
