/*
 * test_http.c - one HTTPS attempt over libcurl (lib/aws/http.c) against tests/http_fixture.py,
 * a local HTTPS server with its own throw-away CA.
 *
 * Needs python3 and the openssl CLI; without them the whole test is skipped ("1..0 # SKIP").
 * The fixture is started here and always killed at the end (also on SIGINT/SIGTERM; it exits
 * by itself when this process goes away).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "aws_error.h"
#include "deadline.h"
#include "http.h"
#include "trace.h"
#include "tls_fixture.h"
#include "tap.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int contains(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

static int closed_port(void)
{
	struct sockaddr_in sa = { 0 };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0), port = 9;
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static struct http_client *client(const char *ca_file, const char *ca_path, int verbose, size_t max_body)
{
	static struct trace tr; /* outlives the client */
	tr = (struct trace){ .level = verbose, .f = stderr };
	struct http_options o = { .ca_file = ca_file, .ca_path = ca_path, .trace = &tr, .max_body = max_body };
	char err[256];
	struct http_client *c = http_client_new(&o, err, sizeof(err));
	if (!c)
		printf("# http_client_new: %s\n", err);
	return c;
}

static enum http_result get(struct http_client *c, const char *url, const char *const *hdrs, double secs,
			    struct http_response *r, char *err, size_t errsz, double *elapsed)
{
	struct deadline dl;
	double t0 = now_s();
	deadline_start(&dl, secs);
	enum http_result res = http_get(c, url, hdrs, &dl, r, err, errsz);
	if (elapsed)
		*elapsed = now_s() - t0;
	if (res != HTTP_OK)
		printf("# %s: %s (%s)\n", url, http_result_name(res), err);
	return res;
}

int main(void)
{
	const char *srcdir = getenv("srcdir");
	char script[1024], ca[300], capath[300], base[128], url[512], err[512], hostport[64];
	struct http_response r;
	struct http_client *c;
	enum http_result res;
	double el;
	int port;

	if (!srcdir)
		srcdir = ".";
	snprintf(script, sizeof(script), "%s/tests/http_fixture.py", srcdir);
	if (access(script, R_OK) != 0)
		snprintf(script, sizeof(script), "%s/http_fixture.py", srcdir);
	if (!fixture_in_path("python3") || !fixture_in_path("openssl")) {
		printf("1..0 # SKIP python3 or openssl not found\n");
		return 0;
	}
	port = tls_fixture_start(script);
	if (port < 0)
		return 1;
	snprintf(ca, sizeof(ca), "%s/ca.pem", tls_fixture_dir);
	snprintf(capath, sizeof(capath), "%s/capath", tls_fixture_dir);
	snprintf(base, sizeof(base), "https://127.0.0.1:%d", port);
	snprintf(hostport, sizeof(hostport), "127.0.0.1:%d", port);
	unsetenv("AWS_CA_BUNDLE");
	/* keep the environment's proxies away from 127.0.0.1 */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);

	/* --- ca_file, /ok, keep-alive ------------------------------------------------------ */
	c = client(ca, NULL, 0, 0);
	ok(c != NULL, "client with ca_file");
	snprintf(url, sizeof(url), "%s/ok", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_OK, "/ok via ca_file");
	is_int(r.status, 200, "/ok status");
	is_str(r.request_id, "req-ok-1", "/ok x-amzn-RequestId");
	is_str(r.content_type, "application/json", "/ok Content-Type");
	is_str(r.error_type, "", "/ok has no error type");
	ok(contains(r.body, "\"ok\": true") && r.body_len == strlen(r.body ? r.body : ""), "/ok body");
	char conn1[64] = "";
	if (r.body && strstr(r.body, "\"conn\": "))
		sscanf(strstr(r.body, "\"conn\": ") + 8, "%63[0-9]", conn1);
	http_response_free(&r);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	char conn2[64] = "";
	if (r.body && strstr(r.body, "\"conn\": "))
		sscanf(strstr(r.body, "\"conn\": ") + 8, "%63[0-9]", conn2);
	ok(res == HTTP_OK && conn1[0] && strcmp(conn1, conn2) == 0, "second attempt reuses the connection (%s, %s)",
	   conn1, conn2);
	http_response_free(&r);

	/* --- /err ------------------------------------------------------------------------- */
	snprintf(url, sizeof(url), "%s/err", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_OK, "/err is a complete response");
	is_int(r.status, 404, "/err status");
	is_str(r.error_type, "NotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
	       "/err X-Amzn-ErrorType captured case-insensitively");
	is_str(r.request_id, "req-err-2", "/err lower-case x-amzn-requestid");
	is_str(r.content_type, "application/x-amz-json-1.1", "/err Content-Type");
	{
		struct aws_error e;
		aws_error_parse(r.status, r.error_type, r.request_id, r.body, r.body_len, &e);
		is_str(e.code, "NotFoundException", "/err parsed code");
		is_str(e.message, "The specified table does not exist.", "/err parsed message");
	}
	http_response_free(&r);

	/* --- size cap ----------------------------------------------------------------------- */
	snprintf(url, sizeof(url), "%s/big", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_TOO_LARGE, "/big (2 MiB, Content-Length) is too large");
	ok(r.body == NULL && r.body_len == 0 && r.status == 0, "/big leaves no body");
	ok(contains(err, hostport) && contains(err, "1048576"), "/big error names host and limit: %s", err);
	snprintf(url, sizeof(url), "%s/bigchunked", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_TOO_LARGE, "/bigchunked (2 MiB, no Content-Length) is too large");
	ok(!http_is_retryable_result(res), "too large is not retryable");
	snprintf(url, sizeof(url), "%s/ok", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_OK, "the client still works after aborted transfers");
	http_response_free(&r);
	{
		struct http_client *small = client(ca, NULL, 0, 10);
		res = get(small, url, NULL, 10, &r, err, sizeof(err), NULL);
		is_int(res, HTTP_ERR_TOO_LARGE, "max_body 10 rejects /ok");
		http_client_free(small);
	}

	/* --- broken responses --------------------------------------------------------------- */
	snprintf(url, sizeof(url), "%s/trunc", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_PROTOCOL, "/trunc (closed mid-body) is a protocol error");
	ok(http_is_retryable_result(res), "truncated is retryable");
	ok(contains(err, hostport), "/trunc error names the host: %s", err);
	snprintf(url, sizeof(url), "%s/reset", base);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_CONNECT, "/reset (no response) is a connection error");
	ok(http_is_retryable_result(res), "reset is retryable");
	ok(contains(err, hostport), "/reset error names the host: %s", err);

	/* --- deadline ----------------------------------------------------------------------- */
	snprintf(url, sizeof(url), "%s/slow", base);
	res = get(c, url, NULL, 2.0, &r, err, sizeof(err), &el);
	is_int(res, HTTP_ERR_TIMEOUT, "/slow with a 2 s deadline times out");
	ok(el >= 1.5 && el < 3.0, "/slow returned after %.2f s", el);
	ok(contains(err, "waiting for the response from") && contains(err, hostport), "/slow error: %s", err);
	ok(!http_is_retryable_result(res), "deadline expiry is not retryable");
	snprintf(url, sizeof(url), "%s/stall", base);
	res = get(c, url, NULL, 2.0, &r, err, sizeof(err), &el);
	is_int(res, HTTP_ERR_TIMEOUT, "/stall with a 2 s deadline times out");
	ok(el >= 1.5 && el < 3.0, "/stall returned after %.2f s", el);
	ok(contains(err, "reading the response body from") && contains(err, hostport), "/stall error: %s", err);
	ok(r.body == NULL, "/stall leaves no partial body");
	snprintf(url, sizeof(url), "%s/ok", base);
	res = get(c, url, NULL, 0, &r, err, sizeof(err), &el);
	is_int(res, HTTP_ERR_TIMEOUT, "expired deadline fails at once");
	ok(el < 0.1 && contains(err, "before the request to"), "without touching the network: %s", err);
	res = http_get(c, url, NULL, NULL, &r, err, sizeof(err));
	is_int(res, HTTP_ERR_TIMEOUT, "no deadline means no time");
	http_client_free(c);

	/* --- trust stores ------------------------------------------------------------------- */
	c = client(NULL, capath, 0, 0);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_OK, "/ok via ca_path (hashed directory)");
	http_response_free(&r);
	http_client_free(c);

	c = client(NULL, NULL, 0, 0);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_TLS, "system store does not trust the test CA");
	ok(contains(err, "TLS handshake with ") && contains(err, hostport), "TLS error names the host: %s", err);
	ok(!http_is_retryable_result(res), "TLS failure is not retryable");
	http_client_free(c);

	setenv("AWS_CA_BUNDLE", ca, 1);
	c = client(NULL, NULL, 0, 0);
	res = get(c, url, NULL, 10, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_OK, "AWS_CA_BUNDLE is the default trust store");
	http_response_free(&r);
	http_client_free(c);
	c = client(NULL, capath, 0, 0);
	unsetenv("AWS_CA_BUNDLE");
	http_client_free(c);

	/* --- connection and name failures ---------------------------------------------------- */
	c = client(ca, NULL, 0, 0);
	{
		int cp = closed_port();
		char hp[64];
		snprintf(url, sizeof(url), "https://127.0.0.1:%d/ok", cp);
		snprintf(hp, sizeof(hp), "connection refused by 127.0.0.1:%d", cp);
		res = get(c, url, NULL, 5, &r, err, sizeof(err), NULL);
		is_int(res, HTTP_ERR_CONNECT, "closed port is a connection error");
		is_str(err, hp, "refusal names the host");
		ok(http_is_retryable_result(res), "refused connection is retryable");
	}
	res = get(c, "https://nohost.invalid/ok", NULL, 5, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_DNS, "unknown host is a DNS error");
	is_str(err, "could not resolve host nohost.invalid", "DNS error names the host");
	ok(!http_is_retryable_result(res), "DNS failure is not retryable");
	res = get(c, "ftp://127.0.0.1/x", NULL, 5, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_OTHER, "ftp:// is refused");
	res = get(c, "file:///etc/passwd", NULL, 5, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_OTHER, "file:// is refused");
	res = get(c, "not a url", NULL, 5, &r, err, sizeof(err), NULL);
	is_int(res, HTTP_ERR_OTHER, "garbage URL is refused");
	{
		const char *bad[] = { "X-Test: a\r\nInjected: b", NULL };
		snprintf(url, sizeof(url), "%s/ok", base);
		res = get(c, url, bad, 5, &r, err, sizeof(err), NULL);
		is_int(res, HTTP_ERR_OTHER, "header with CR/LF is refused");
	}
	http_client_free(c);

	/* --- -vvv trace redaction ------------------------------------------------------------ */
	{
		const char *sig = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789fedcba";
		const char *tok = "FAKEsessionTOKEN/with+chars==";
		char auth[512], tokh[128], tracefile[300];
		snprintf(auth, sizeof(auth),
			 "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3tables/aws4_request, "
			 "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=%s",
			 sig);
		snprintf(tokh, sizeof(tokh), "X-Amz-Security-Token: %s", tok);
		const char *hdrs[] = { auth, tokh, "X-Amz-Date: 20260101T000000Z", NULL };
		snprintf(tracefile, sizeof(tracefile), "%s/trace.txt", tls_fixture_dir);
		snprintf(url, sizeof(url), "%s/ok?X-Amz-Signature=cafebabe1234&a=b", base);

		c = client(ca, NULL, 3, 0);
		fflush(stderr);
		int saved = dup(2);
		int fd = open(tracefile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 2);
		close(fd);
		res = get(c, url, hdrs, 10, &r, err, sizeof(err), NULL);
		fflush(stderr);
		dup2(saved, 2);
		close(saved);
		http_client_free(c);

		is_int(res, HTTP_OK, "-vvv request succeeds");
		ok(contains(r.body, "\"token_seen\": true") && contains(r.body, "\"auth_seen\": true"),
		   "the real headers reached the server");
		http_response_free(&r);
		char *trace = read_file(tracefile);
		ok(trace && contains(trace, "> GET /ok?"), "trace shows the request line");
		ok(contains(trace, "x-amzn-RequestId: req-ok-1"), "trace shows response headers");
		ok(contains(trace, "Credential=AKIDEXAMPLE/20260101/us-east-1/s3tables/aws4_request"),
		   "trace keeps the (non-secret) credential scope");
		ok(contains(trace, "Signature=<redacted>"), "trace redacts the signature");
		ok(!contains(trace, sig) && !contains(trace, "0123456789abcdef"), "the signature never appears");
		ok(contains(trace, "X-Amz-Security-Token: <redacted>"), "trace redacts the token header");
		ok(!contains(trace, tok) && !contains(trace, "FAKEsession"), "the token never appears");
		ok(!contains(trace, "cafebabe1234") && contains(trace, "X-Amz-Signature=<redacted>&a=b"),
		   "a signature in the query string is redacted");
		ok(contains(trace, "< [body] {\"ok\": true"), "trace shows a body prefix");
		if (!trace || contains(trace, sig) || contains(trace, tok))
			tap_diag_text("trace", trace);
		free(trace);
	}

	/* --- result helpers ----------------------------------------------------------------- */
	{
		static const int want[] = { 0, 0, 1, 0, 0, 0, 1, 0 };
		int all = 1;
		for (int i = HTTP_OK; i <= HTTP_ERR_OTHER; i++)
			if (http_is_retryable_result((enum http_result)i) != want[i] || !http_result_name((enum http_result)i))
				all = 0;
		ok(all, "http_is_retryable_result: only CONNECT and PROTOCOL");
	}

	tls_fixture_cleanup();
	ok(tls_fixture_pid == -1, "fixture stopped");
	return tap_done();
}
