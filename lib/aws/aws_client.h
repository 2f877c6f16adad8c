/*
 * aws_client.h - one signed AWS GET with the standard retry mode, inside the
 * run's deadline.
 *
 * Contract: aws_client_get() sends GET <endpoint><path>?<query>, signing every
 * attempt afresh with SigV4 (so a retried request is never stale), and
 * retries what the AWS "standard" mode retries (throttling codes, 500/502/
 * 503/504, connection failures) up to max_attempts, sleeping a full-jitter
 * backoff that never reaches past the deadline. It returns one of:
 *   AWS_OK         - a 2xx response; body in res->body (owned by res);
 *   AWS_API_ERROR  - an error response (res->error holds code, message,
 *                    HTTP status and request id);
 *   AWS_TRANSPORT  - no usable response (DNS, connect, TLS, reset,
 *                    truncated, oversized); res->message says what and where;
 *   AWS_TIMEOUT    - the run's deadline was reached; res->message says where.
 * res->attempts counts the attempts made; res->received_at is when the final
 * response arrived, the "now" against which ages in it are measured. Nothing secret is ever written to
 * res->message or to the trace. aws_result_free() releases res.
 *
 * With `limiter` set (the batch engine, batch.h) every attempt first waits in limiter_enter()
 * (AWS_TIMEOUT "deadline reached while waiting to send attempt N to HOST" when the deadline
 * comes first), reports how it ended to limiter_leave(), and a retry is made only when the
 * run's shared retry quota pays for it (limiter_take_retry(); refused: the last error is
 * returned); a success refunds. With `limiter` NULL (single-table runs) none of this happens.
 * The client may be used by one thread at a time (its http handle is not shared); distinct
 * copies with distinct http handles may run concurrently: creds, region, endpoint and deadline
 * are only read.
 */
#ifndef S3T_AWS_CLIENT_H
#define S3T_AWS_CLIENT_H

#include <stddef.h>

#include "aws_error.h"
#include "credentials.h"
#include "deadline.h"
#include "http.h"
#include "limiter.h"
#include "sigv4.h"
#include "trace.h"

struct aws_client {
	struct http_client *http;
	const struct creds *creds;
	const char *region;
	const char *service;        /* signing name, "s3tables" */
	const char *endpoint_url;   /* "https://host[:port][/base]" without trailing '/' */
	const struct deadline *deadline;
	int max_attempts;
	const struct trace *trace;  /* -v (level >= 1): one line per attempt; NULL = silent */
	double (*random01)(void);   /* jitter source; NULL = backoff_jitter01 */
	void (*sleep_fn)(double seconds); /* NULL = backoff_sleep */
	struct limiter *limiter;    /* the batch run's shared limits; NULL = single request */
	struct sigv4_key_cache *key_cache; /* the derived signing key between requests (this thread's); NULL = none */
};

enum aws_outcome { AWS_OK, AWS_API_ERROR, AWS_TRANSPORT, AWS_TIMEOUT };

struct aws_result {
	enum aws_outcome outcome;
	int attempts;
	double received_at;         /* wall clock (Unix seconds) when the final response arrived */
	long http_status;
	char *body;
	size_t body_len;
	char request_id[128];
	struct aws_error error;     /* AWS_API_ERROR */
	char message[512];          /* AWS_TRANSPORT / AWS_TIMEOUT */
	char url[768];              /* the request's URL without its query, for messages */
};

/* path: already percent-encoded for the wire; query: encoded pairs or NULL. */
enum aws_outcome aws_client_get(const struct aws_client *c, const char *path, const char *query,
				struct aws_result *res);

void aws_result_free(struct aws_result *res);

#endif
