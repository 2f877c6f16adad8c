/*
 * retry.h - the AWS SDK "standard" retry mode, as pure functions (no sleeping, no clock,
 * no randomness of its own: the caller passes rand(0,1) in).
 *
 * Contract (see shared/reference/aws-credentials-endpoints-retries.md section 7):
 *  - retry_is_retryable(): 1 if an attempt that ended like this should be retried (subject to
 *    --max-attempts and the deadline, which the caller checks), else 0. Retryable are
 *      * the throttling codes of botocore's ThrottledRetryableChecker (TooManyRequestsException,
 *        Throttling, SlowDown, ...) and the transient codes RequestTimeout,
 *        RequestTimeoutException, PriorRequestNotComplete (compared exactly, case-sensitive,
 *        after aws_error sanitising);
 *      * HTTP 500, 502, 503, 504;
 *      * HTTP 429 even without a code: botocore standard mode only looks at the code, but the
 *        plugin spec says "429 / 5xx / connection reset: retried" (aws-c-auth agrees);
 *      * transport_error_kind == RETRY_TRANSPORT_TRANSIENT (connection refused/reset/closed,
 *        truncated response of one attempt).
 *    Everything else is not: other 4xx, 2xx/3xx, RETRY_TRANSPORT_FATAL (DNS, TLS, oversized
 *    body, deadline expiry). A transport error wins over status/code.
 *  - retry_backoff_seconds(attempt, r): classic standard-mode full jitter,
 *    r * min(2^(attempt-1), 20) seconds, attempt = the 1-based number of the attempt that
 *    failed (1 -> delay before the 2nd attempt). r is clamped to [0,1]; attempt < 1 counts as 1.
 *  - retry_sleep_within(backoff, remaining): the caller never sleeps past the deadline. Returns
 *    the seconds to sleep (= backoff) when a further attempt still has at least
 *    RETRY_MIN_ATTEMPT_SECONDS after the sleep, otherwise -1.0 meaning "do not retry: report
 *    the last error now" (better than turning a real error into a timeout).
 *  - retry_is_throttling(): 1 when a complete response says "slow down": HTTP 429 or 503, or a
 *    throttling code (retry_is_throttling_code()). The batch engine (limiter.h) lowers the whole
 *    run's concurrency on it.
 *  - The retry quota of standard mode (section 7c, aws-c-io standard_retry_strategy.c): a bucket
 *    of RETRY_QUOTA_INITIAL tokens; retry_quota_cost() is what one retry of an attempt that ended
 *    like this costs: RETRY_QUOTA_TIMEOUT_COST for a timeout (the server's RequestTimeout /
 *    RequestTimeoutException codes, or a transient transport failure: no response at all, what
 *    the SDKs' read/connect timeouts are; our own deadline expiry is never retried), otherwise
 *    RETRY_QUOTA_COST. A success refunds the last retry's cost, or RETRY_QUOTA_SUCCESS_REFUND
 *    when it needed no retry, never above the initial size. Single-table runs make one request,
 *    so only the batch engine keeps a quota (see limiter.h).
 */
#ifndef S3T_RETRY_H
#define S3T_RETRY_H

#define RETRY_MAX_BACKOFF_SECONDS 20.0
#define RETRY_MIN_ATTEMPT_SECONDS 0.25
#define RETRY_DEFAULT_MAX_ATTEMPTS 3
#define RETRY_QUOTA_INITIAL 500
#define RETRY_QUOTA_COST 5
#define RETRY_QUOTA_TIMEOUT_COST 10
#define RETRY_QUOTA_SUCCESS_REFUND 1

enum retry_transport {
	RETRY_TRANSPORT_NONE = 0,  /* the attempt got a complete HTTP response */
	RETRY_TRANSPORT_TRANSIENT, /* connection refused/reset/closed, truncated response */
	RETRY_TRANSPORT_FATAL      /* DNS, TLS, oversized, deadline expired, other */
};

int retry_is_retryable(long http_status, const char *error_code, int transport_error_kind);
int retry_is_throttling_code(const char *error_code);
int retry_is_throttling(long http_status, const char *error_code);
int retry_quota_cost(const char *error_code, int transport_error_kind);
double retry_backoff_seconds(int attempt, double random01);
double retry_sleep_within(double backoff, double remaining);

#endif
