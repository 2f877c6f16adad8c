/* aws_client.c - see aws_client.h. */
#include "aws_client.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "retry.h"
#include "sigv4.h"

/* Split "https://host:port/base" into the Host header value and the base path. */
static int split_endpoint(const char *url, char *host, size_t hostsz, char *base, size_t basesz)
{
	const char *p = strstr(url, "://");
	if (!p)
		return -1;
	p += 3;
	size_t n = strcspn(p, "/?#");
	if (n == 0 || n >= hostsz)
		return -1;
	memcpy(host, p, n);
	host[n] = 0;
	snprintf(base, basesz, "%s", p[n] == '/' ? p + n : "");
	size_t bl = strlen(base);
	while (bl > 0 && base[bl - 1] == '/')
		base[--bl] = 0;
	return 0;
}

void aws_result_free(struct aws_result *res)
{
	if (!res)
		return;
	free(res->body);
	res->body = NULL;
	res->body_len = 0;
}

/* One signed attempt. Returns the http result; *resp is filled on HTTP_OK. */
static enum http_result attempt(const struct aws_client *c, const char *host, const char *path,
				const char *query, const char *url, struct http_response *resp,
				char *err, size_t errsz)
{
	struct sigv4_header hdr[] = {{"Host", host}};
	struct sigv4_request req = {.method = "GET", .path = path, .query = query,
				    .headers = hdr, .nheaders = 1};
	struct sigv4_credentials sc = {c->creds->access_key_id, c->creds->secret_access_key,
				       c->creds->session_token};
	struct sigv4_params sp = {.region = c->region, .service = c->service, .now = time(NULL),
				  .normalize_path = 1, .double_encode_path = 1, .key_cache = c->key_cache};
	struct sigv4_result sig;
	if (sigv4_sign(&req, &sc, &sp, &sig, err, errsz) != 0)
		return HTTP_ERR_OTHER;

	char date_h[64], auth_h[1024], token_h[4096 + 64], accept_h[] = "Accept: application/json";
	const char *headers[5];
	size_t nh = 0;
	snprintf(date_h, sizeof date_h, "X-Amz-Date: %s", sig.amz_date);
	snprintf(auth_h, sizeof auth_h, "Authorization: %s", sig.authorization);
	headers[nh++] = date_h;
	headers[nh++] = auth_h;
	headers[nh++] = accept_h;
	if (sc.session_token) {
		snprintf(token_h, sizeof token_h, "X-Amz-Security-Token: %s", sc.session_token);
		headers[nh++] = token_h;
	}
	headers[nh] = NULL;
	sigv4_result_free(&sig);

	enum http_result r = http_get(c->http, url, headers, c->deadline, resp, err, errsz);
	/* The signed headers held secrets-derived material; do not leave it on the stack. */
	memset(auth_h, 0, sizeof auth_h);
	memset(token_h, 0, sizeof token_h);
	return r;
}

/* Tell the batch limiter (if any) how an attempt ended. */
static void limiter_report(const struct aws_client *c, const struct limiter_ticket *t, enum limiter_outcome o)
{
	if (c->limiter)
		limiter_leave(c->limiter, t, o);
}

enum aws_outcome aws_client_get(const struct aws_client *c, const char *path, const char *query,
				struct aws_result *res)
{
	char host[512], base[512], fullpath[4096], url[8192], err[512];
	double (*rnd)(void) = c->random01 ? c->random01 : backoff_jitter01;
	void (*zzz)(double) = c->sleep_fn ? c->sleep_fn : backoff_sleep;

	memset(res, 0, sizeof *res);
	if (split_endpoint(c->endpoint_url, host, sizeof host, base, sizeof base) != 0) {
		snprintf(res->message, sizeof res->message, "bad endpoint URL");
		return res->outcome = AWS_TRANSPORT;
	}
	snprintf(fullpath, sizeof fullpath, "%s%s", base, path);
	snprintf(url, sizeof url, "%.*s%s%s%s", (int)(strstr(c->endpoint_url, "://") + 3 - c->endpoint_url),
		 c->endpoint_url, host, fullpath, query && *query ? "?" : "");
	if (query && *query)
		strncat(url, query, sizeof url - strlen(url) - 1);
	snprintf(res->url, sizeof res->url, "%.*s", (int)strcspn(url, "?"), url);

	int last_cost = 0; /* what the last retry cost the run's quota (limiter only) */
	for (int n = 1;; n++) {
		struct http_response resp;
		struct limiter_ticket ticket;
		memset(&resp, 0, sizeof resp);
		err[0] = 0;
		res->attempts = n;
		if (deadline_expired(c->deadline)) {
			snprintf(res->message, sizeof res->message, "before attempt %d to %.200s", n, host);
			return res->outcome = AWS_TIMEOUT;
		}
		if (c->limiter && limiter_enter(c->limiter, c->deadline, &ticket) != 0) {
			snprintf(res->message, sizeof res->message, "deadline reached while waiting to send attempt %d to %.200s",
				 n, host);
			return res->outcome = AWS_TIMEOUT;
		}
		enum http_result hr = attempt(c, host, fullpath, query, url, &resp, err, sizeof err);
		int retryable, transport = RETRY_TRANSPORT_NONE;
		if (hr == HTTP_OK) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			res->received_at = (double)now.tv_sec + now.tv_nsec / 1e9;
			res->http_status = resp.status;
			snprintf(res->request_id, sizeof res->request_id, "%s", resp.request_id);
			trace_printf(c->trace, 1, "attempt %d: HTTP %ld from %s (request id %s)", n, resp.status, host,
				     resp.request_id[0] ? resp.request_id : "none");
			if (resp.status >= 200 && resp.status < 300) {
				res->body = resp.body;
				res->body_len = resp.body_len;
				resp.body = NULL;
				http_response_free(&resp);
				limiter_report(c, &ticket, LIMITER_SERVED);
				if (c->limiter)
					limiter_refund(c->limiter, last_cost);
				return res->outcome = AWS_OK;
			}
			aws_error_parse(resp.status, resp.error_type[0] ? resp.error_type : NULL,
					resp.request_id[0] ? resp.request_id : NULL, resp.body, resp.body_len,
					&res->error);
			http_response_free(&resp);
			res->outcome = AWS_API_ERROR;
			retryable = retry_is_retryable(res->http_status, res->error.code, RETRY_TRANSPORT_NONE);
			limiter_report(c, &ticket, retry_is_throttling(res->http_status, res->error.code) ? LIMITER_THROTTLED
						   : retryable ? LIMITER_FAILED : LIMITER_SERVED);
		} else {
			http_response_free(&resp);
			limiter_report(c, &ticket, LIMITER_FAILED);
			trace_printf(c->trace, 1, "attempt %d: %s", n, err);
			/* An attempt's time limit is what was left of the run's deadline. */
			if (hr == HTTP_ERR_TIMEOUT) {
				snprintf(res->message, sizeof res->message, "%s", err);
				return res->outcome = AWS_TIMEOUT;
			}
			snprintf(res->message, sizeof res->message, "%s", err);
			res->outcome = AWS_TRANSPORT;
			transport = http_is_retryable_result(hr) ? RETRY_TRANSPORT_TRANSIENT : RETRY_TRANSPORT_FATAL;
			retryable = retry_is_retryable(0, NULL, transport);
		}
		if (!retryable || n >= c->max_attempts) {
			trace_printf(c->trace, 1, "not retrying: %s",
				     !retryable ? "the error is not one that a retry can cure"
						: "that was the last of --max-attempts");
			return res->outcome;
		}
		/* Never sleep past the deadline: report the last real error instead. */
		double wanted = retry_backoff_seconds(n, rnd()), left = deadline_remaining(c->deadline);
		double backoff = retry_sleep_within(wanted, left);
		if (backoff < 0) {
			trace_printf(c->trace, 1,
				     "not retrying: the backoff of %.3f s before attempt %d would leave less than "
				     "%.2f s of the -t deadline (%.3f s left)",
				     wanted, n + 1, RETRY_MIN_ATTEMPT_SECONDS, left);
			return res->outcome;
		}
		if (c->limiter) {
			int cost = retry_quota_cost(transport == RETRY_TRANSPORT_NONE ? res->error.code : NULL, transport);
			if (!limiter_take_retry(c->limiter, cost)) {
				trace_printf(c->trace, 1, "not retrying: the run's retry quota is used up");
				return res->outcome;
			}
			last_cost = cost;
		}
		trace_printf(c->trace, 1, "retrying in %.3f s", backoff);
		zzz(backoff);
	}
}
