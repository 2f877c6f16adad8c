/* http.c - see http.h. */
#include "http.h"
#include "env.h"
#include "error.h"
#include "strbuf.h"
#include "trace.h"

#include <ctype.h>
#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>

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
	int headers_done; /* the blank line after the headers arrived */
	char last_header[64]; /* the name of the last complete header line, for messages */
	int sensitive; /* the body carries credentials: never trace it */
	char proxy_var[32];    /* "HTTPS_PROXY" when libcurl took the proxy from the environment */
	char proxy_where[280]; /* that proxy's host:port (never its user or password) */
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

static void header_line_redacted(struct strbuf *b, const char *prefix, const char *line, size_t n);

/*
 * Copy line (n bytes) into out with the password of every "scheme://user:password@" replaced
 * by "<redacted>" (the whole user part when it has no ':', since it may be a token).
 * out must hold 2 * n + 16 bytes. Returns the length written.
 */
static size_t redact_url_userinfo(const char *line, size_t n, char *out)
{
	size_t o = 0, i = 0;
	while (i < n) {
		if (i + 3 <= n && memcmp(line + i, "://", 3) == 0) {
			memcpy(out + o, "://", 3);
			o += 3;
			i += 3;
			size_t j = i;
			while (j < n && !strchr("/?#@ \t'\"<>", line[j]))
				j++;
			if (j < n && line[j] == '@') {
				const char *colon = memchr(line + i, ':', j - i);
				if (colon) {
					size_t user = (size_t)(colon - (line + i));
					memcpy(out + o, line + i, user);
					o += user;
					memcpy(out + o, ":<redacted>", 11);
					o += 11;
				} else {
					memcpy(out + o, "<redacted>", 10);
					o += 10;
				}
				i = j; /* the '@' is copied next */
			}
			continue;
		}
		out[o++] = line[i++];
	}
	return o;
}

/* Build one header line (without its line ending), secrets replaced: URL credentials first. */
static void header_line(struct strbuf *b, const char *prefix, const char *raw, size_t rawlen)
{
	char small[1024];
	char *line = 2 * rawlen + 16 <= sizeof small ? small : malloc(2 * rawlen + 16);
	if (!line) {
		strbuf_add(b, prefix);
		strbuf_add(b, "[line not shown: out of memory]");
		return;
	}
	size_t n = redact_url_userinfo(raw, rawlen, line);
	header_line_redacted(b, prefix, line, n);
	OPENSSL_cleanse(line, 2 * rawlen + 16 <= sizeof small ? sizeof small : 2 * rawlen + 16);
	if (line != small)
		free(line);
}

/* The rest of header_line(), once URL credentials are gone. */
static void header_line_redacted(struct strbuf *b, const char *prefix, const char *line, size_t n)
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

static int url_hostport(const char *url, char *buf, size_t bufsz, char *scheme, size_t schemesz);

/* A proxy URL's host:port, never its user or password ("?" when it does not parse); a proxy
 * given as "host:port" is an http:// one, as for libcurl. */
static void proxy_hostport(const char *proxy, char *buf, size_t bufsz)
{
	char url[1100], scheme[16];
	snprintf(url, sizeof url, "%s%s", strstr(proxy, "://") ? "" : "http://", proxy);
	if (url_hostport(url, buf, bufsz, scheme, sizeof scheme) != 0)
		snprintf(buf, bufsz, "?");
	OPENSSL_cleanse(url, sizeof url);
}

/* libcurl's "Uses proxy env variable HTTPS_PROXY == 'http://u:p@host:port'": which variable,
 * and the proxy's host:port, for messages that must say a proxy was involved. */
static void note_env_proxy(struct transfer *t, const char *data, size_t size)
{
	static const char lead[] = "Uses proxy env variable ";
	size_t ll = sizeof lead - 1;
	if (size <= ll || memcmp(data, lead, ll) != 0)
		return;
	const char *name = data + ll, *end = data + size;
	size_t nl = 0;
	if ((size_t)(end - name) >= 3 && strncasecmp(name, "no_", 3) == 0)
		return; /* no_proxy is read first: it names no proxy */
	while (name + nl < end && name[nl] != ' ' && nl + 1 < sizeof t->proxy_var)
		nl++;
	memcpy(t->proxy_var, name, nl);
	t->proxy_var[nl] = '\0';
	const char *q = memchr(name, '\'', (size_t)(end - name));
	const char *q2 = q ? memchr(q + 1, '\'', (size_t)(end - q - 1)) : NULL;
	char url[1024];
	t->proxy_where[0] = '\0';
	if (q && q2 && (size_t)(q2 - q - 1) < sizeof url) {
		memcpy(url, q + 1, (size_t)(q2 - q - 1));
		url[q2 - q - 1] = '\0';
		proxy_hostport(url, t->proxy_where, sizeof t->proxy_where);
		OPENSSL_cleanse(url, sizeof url);
	}
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
	struct transfer *t = userp;
	const struct trace *tr = t && t->c ? t->c->trace : NULL;
	(void)h;
	if (type == CURLINFO_TEXT && t && t->c && t != &t->c->idle) /* a transfer's own state only */
		note_env_proxy(t, data, size);
	if (!trace_on(tr, TRACE_HTTP))
		return 0;
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
		t->headers_done = 0;
		return n;
	}
	if (n <= 2 && (n == 0 || data[0] == '\r' || data[0] == '\n')) {
		t->headers_done = 1;
		return n;
	}
	size_t name_len = 0;
	while (name_len < n && data[name_len] != ':' && data[name_len] != '\r' && data[name_len] != '\n')
		name_len++;
	if (name_len < n && data[name_len] == ':')
		copy_field(t->last_header, sizeof t->last_header, data, name_len);
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
	const char *ca_source = opts->ca_file_source ? opts->ca_file_source : "--ca-file";
	if (!c->ca_file && !c->ca_path) {
		c->ca_file = dup_opt(env_get(opts->getenv_fn, "AWS_CA_BUNDLE"), &oom);
		ca_source = "AWS_CA_BUNDLE";
	}
	if (oom) {
		http_client_free(c);
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	/* A trust store that cannot be read: say so now, not as a failed TLS handshake later. */
	struct stat st;
	int fd = c->ca_file ? open(c->ca_file, O_RDONLY | O_CLOEXEC) : -1;
	if (c->ca_file && (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		int e = fd < 0 ? errno : EISDIR;
		error_set(err, errsz, "%s: cannot read the CA bundle %s: %s", ca_source, c->ca_file,
			  fd >= 0 && !S_ISREG(st.st_mode) ? "not a regular file" : strerror(e));
		if (fd >= 0)
			close(fd);
		http_client_free(c);
		return NULL;
	}
	if (fd >= 0)
		close(fd);
	if (c->ca_path && (stat(c->ca_path, &st) != 0 || !S_ISDIR(st.st_mode) || access(c->ca_path, R_OK | X_OK) != 0)) {
		int e = errno;
		error_set(err, errsz, "--ca-path: cannot use the CA directory %s: %s", c->ca_path,
			  stat(c->ca_path, &st) == 0 && !S_ISDIR(st.st_mode) ? "not a directory" : strerror(e));
		http_client_free(c);
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
	/* libcurl says only through its debug lines which proxy variable it used: with a proxy
	 * variable set, the callback runs for the messages' sake too (it traces only at -vvv). */
	static const char *const proxy_vars[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy",
						 "ALL_PROXY"};
	int env_proxy = 0;
	for (size_t i = 0; i < sizeof proxy_vars / sizeof proxy_vars[0]; i++)
		if (env_get(opts->getenv_fn, proxy_vars[i]))
			env_proxy = 1;
	if (trace_on(c->trace, TRACE_HTTP) || (env_proxy && !c->proxy)) {
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
	/* Which proxy was involved, if any: --proxy, or the variable libcurl took it from. */
	char proxy_desc[360] = "";
	if (c->proxy) {
		char ph[280];
		proxy_hostport(c->proxy, ph, sizeof ph);
		snprintf(proxy_desc, sizeof proxy_desc, "%s (--proxy)", ph);
	} else if (t.proxy_var[0]) {
		snprintf(proxy_desc, sizeof proxy_desc, "%s (from %s)", t.proxy_where[0] ? t.proxy_where : "?", t.proxy_var);
	}
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
	} else if (!t.oom && rc == CURLE_OUT_OF_MEMORY && t.got_headers && !t.headers_done) {
		/* libcurl refuses a header line over its limit (CURL_MAX_HTTP_HEADER, 100 KiB) with a
		 * bare "out of memory" while the headers are still coming: say what it was. */
		res = HTTP_ERR_TOO_LARGE;
		error_set(err, errsz, "a response header line from %s is larger than libcurl's limit (%d KiB)%s%s",
			  hostport, CURL_MAX_HTTP_HEADER / 1024, t.last_header[0] ? "; it came after the header " : "",
			  t.last_header);
	} else if (t.oom || rc == CURLE_OUT_OF_MEMORY) {
		res = HTTP_ERR_OTHER;
		error_set(err, errsz, "out of memory while reading the response from %s", hostport);
	} else {
		switch (rc) {
		case CURLE_OPERATION_TIMEDOUT: {
			curl_off_t connect_us = 0, appconnect_us = 0, pretransfer_us = 0;
			curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
			curl_easy_getinfo(h, CURLINFO_APPCONNECT_TIME_T, &appconnect_us);
			curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
			/* a reused connection has no connect time but is ready to send: pretransfer */
			int https = strcasecmp(scheme, "https") == 0;
			res = HTTP_ERR_TIMEOUT;
			error_set(err, errsz, "deadline reached while %s %s",
				  pretransfer_us == 0 && connect_us == 0 ? "connecting to" :
				  pretransfer_us == 0 && https && appconnect_us == 0 ? "in the TLS handshake with" :
				  !t.got_headers ? "waiting for the response from" :
				  !t.headers_done ? "reading the response headers from" :
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
			error_set(err, errsz, "could not resolve the proxy %s for %s", proxy_desc, hostport);
			break;
		case CURLE_COULDNT_CONNECT: {
			long oserr = 0;
			curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
			res = HTTP_ERR_CONNECT;
			if (proxy_desc[0] && oserr == ECONNREFUSED)
				error_set(err, errsz, "connection refused by the proxy %s (for %s)", proxy_desc, hostport);
			else if (proxy_desc[0])
				error_set(err, errsz, "could not connect to the proxy %s (for %s): %s", proxy_desc, hostport,
					  oserr ? strerror((int)oserr) : reason);
			else if (oserr == ECONNREFUSED)
				error_set(err, errsz, "connection refused by %s", hostport);
			else if (oserr)
				error_set(err, errsz, "could not connect to %s: %s", hostport, strerror((int)oserr));
			else
				error_set(err, errsz, "could not connect to %s: %s", hostport, reason);
			break;
		}
		case CURLE_PROXY:
			res = HTTP_ERR_CONNECT;
			error_set(err, errsz, "the proxy %s failed the connection to %s: %s", proxy_desc, hostport, reason);
			break;
		case CURLE_RECV_ERROR:
		case CURLE_SEND_ERROR:
			res = HTTP_ERR_CONNECT;
			error_set(err, errsz, "connection to %s%s%s failed: %s", hostport, proxy_desc[0] ? " through the proxy " : "",
				  proxy_desc, reason);
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
