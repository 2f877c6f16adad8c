/* test_retry.c - AWS standard retry mode decisions and backoff (lib/aws/retry.c). */
#include <math.h>

#include "retry.h"
#include "tap.h"

static int near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int main(void)
{
	static const char *const throttling[] = {
		"Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
		"TooManyRequestsException", "ProvisionedThroughputExceededException",
		"TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
		"LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
		"EC2ThrottledException",
	};
	static const char *const transient[] = { "RequestTimeout", "RequestTimeoutException",
						 "PriorRequestNotComplete" };
	static const char *const not_retryable[] = {
		"NotFoundException", "ForbiddenException", "AccessDeniedException", "BadRequestException",
		"ConflictException", "MethodNotAllowedException", "InvalidSignatureException",
		"ExpiredTokenException", "UnrecognizedClientException", "throttling", "SLOWDOWN",
		"Throttling ", "TooManyRequests", "",
	};

	for (size_t i = 0; i < sizeof(throttling) / sizeof(*throttling); i++) {
		ok(retry_is_retryable(400, throttling[i], RETRY_TRANSPORT_NONE) == 1, "throttling code %s on 400 is retried",
		   throttling[i]);
		ok(retry_is_throttling_code(throttling[i]), "%s is a throttling code", throttling[i]);
	}
	for (size_t i = 0; i < sizeof(transient) / sizeof(*transient); i++)
		ok(retry_is_retryable(408, transient[i], RETRY_TRANSPORT_NONE) == 1, "transient code %s is retried",
		   transient[i]);
	ok(!retry_is_throttling_code("RequestTimeout"), "RequestTimeout is transient, not throttling");
	for (size_t i = 0; i < sizeof(not_retryable) / sizeof(*not_retryable); i++)
		ok(retry_is_retryable(400, not_retryable[i], RETRY_TRANSPORT_NONE) == 0, "code \"%s\" on 400 is not retried",
		   not_retryable[i]);
	ok(retry_is_retryable(403, NULL, RETRY_TRANSPORT_NONE) == 0, "403 without a code is not retried");

	/* statuses */
	static const long yes[] = { 500, 502, 503, 504, 429 };
	static const long no[] = { 200, 204, 301, 400, 401, 403, 404, 405, 408, 409, 413, 501, 505, 509, 599, 0 };
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++)
		ok(retry_is_retryable(yes[i], NULL, RETRY_TRANSPORT_NONE) == 1, "HTTP %ld is retried", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(*no); i++)
		ok(retry_is_retryable(no[i], NULL, RETRY_TRANSPORT_NONE) == 0, "HTTP %ld is not retried", no[i]);
	ok(retry_is_retryable(500, "InternalServerErrorException", RETRY_TRANSPORT_NONE),
	   "500 InternalServerErrorException is retried");
	ok(retry_is_retryable(503, "NotFoundException", RETRY_TRANSPORT_NONE), "a 503 is retried whatever its code");
	ok(retry_is_retryable(429, "TooManyRequestsException", RETRY_TRANSPORT_NONE), "429 TooManyRequestsException");

	/* transport */
	ok(retry_is_retryable(0, NULL, RETRY_TRANSPORT_TRANSIENT) == 1, "connection reset/refused is retried");
	ok(retry_is_retryable(0, NULL, RETRY_TRANSPORT_FATAL) == 0, "DNS/TLS/deadline is not retried");
	ok(retry_is_retryable(503, "SlowDown", RETRY_TRANSPORT_FATAL) == 0, "a fatal transport error wins");
	ok(retry_is_retryable(0, NULL, 42) == 0, "an unknown transport kind is not retried");

	/* backoff: r * min(2^(attempt-1), 20) */
	static const double caps[] = { 1, 2, 4, 8, 16, 20, 20, 20 };
	for (int a = 1; a <= 8; a++) {
		ok(near(retry_backoff_seconds(a, 1.0), caps[a - 1]), "attempt %d: max backoff %.0f s", a, caps[a - 1]);
		ok(near(retry_backoff_seconds(a, 0.5), caps[a - 1] / 2), "attempt %d: r=0.5 gives half", a);
		ok(near(retry_backoff_seconds(a, 0.0), 0.0), "attempt %d: r=0 gives 0", a);
	}
	ok(near(retry_backoff_seconds(1000000, 1.0), 20.0), "huge attempt number is capped at 20 s");
	ok(near(retry_backoff_seconds(0x7fffffff, 0.25), 5.0), "INT_MAX attempt: 0.25 * 20");
	ok(near(retry_backoff_seconds(0, 1.0), 1.0), "attempt 0 counts as 1");
	ok(near(retry_backoff_seconds(-5, 1.0), 1.0), "negative attempt counts as 1");
	ok(near(retry_backoff_seconds(3, 7.0), 4.0), "random > 1 clamps to 1");
	ok(near(retry_backoff_seconds(3, -1.0), 0.0), "random < 0 clamps to 0");
	ok(near(retry_backoff_seconds(3, NAN), 0.0), "random NaN gives 0");
	/* the smithy test-case sequence with jitter fixed at 1: 1, 2, 4, 8 */
	ok(near(retry_backoff_seconds(1, 1) + retry_backoff_seconds(2, 1) + retry_backoff_seconds(3, 1) +
			retry_backoff_seconds(4, 1),
		15.0),
	   "max_attempts 5 delays 1+2+4+8");
	int bounded = 1;
	for (int a = 1; a <= 40; a++)
		for (int k = 0; k <= 100; k++) {
			double b = retry_backoff_seconds(a, k / 100.0);
			if (b < 0 || b > 20.0)
				bounded = 0;
		}
	ok(bounded, "every backoff is within [0, 20] s");

	/* never sleep past the deadline */
	ok(near(retry_sleep_within(1.5, 8.0), 1.5), "enough time left: sleep the full backoff");
	ok(retry_sleep_within(5.0, 5.0) < 0, "backoff equal to the remaining time: give up");
	ok(retry_sleep_within(4.9, 5.0) < 0, "no time for another attempt after sleeping: give up");
	ok(near(retry_sleep_within(4.0, 5.0), 4.0), "4 s sleep with 5 s left is fine");
	ok(retry_sleep_within(0.0, 0.0) < 0, "deadline expired: give up");
	ok(retry_sleep_within(0.0, -1.0) < 0, "negative remaining: give up");
	ok(near(retry_sleep_within(-3.0, 2.0), 0.0), "negative backoff sleeps 0");
	ok(retry_sleep_within(NAN, 2.0) == 0.0, "NaN backoff sleeps 0");
	ok(retry_sleep_within(1.0, NAN) < 0, "NaN remaining: give up");

	/* what slows a whole batch run down: 429, 503 and the throttling codes, nothing else */
	ok(retry_is_throttling(429, NULL) && retry_is_throttling(503, NULL), "429 and 503 are throttling");
	ok(retry_is_throttling(400, "SlowDown") && retry_is_throttling(500, "TooManyRequestsException"),
	   "a throttling code is throttling whatever the status");
	ok(!retry_is_throttling(500, "InternalServerErrorException") && !retry_is_throttling(502, NULL) &&
		   !retry_is_throttling(504, NULL) && !retry_is_throttling(200, NULL),
	   "500, 502, 504 and 200 are not");
	ok(!retry_is_throttling(408, "RequestTimeout"), "RequestTimeout is transient, not throttling");

	/* the standard-mode retry quota: 5 per retry, 10 after a timeout */
	is_int(retry_quota_cost("InternalServerErrorException", RETRY_TRANSPORT_NONE), 5, "a retried 500 costs 5");
	is_int(retry_quota_cost("TooManyRequestsException", RETRY_TRANSPORT_NONE), 5, "a retried throttle costs 5");
	is_int(retry_quota_cost(NULL, RETRY_TRANSPORT_NONE), 5, "a retried bare 503 costs 5");
	is_int(retry_quota_cost("RequestTimeout", RETRY_TRANSPORT_NONE), 10, "a retried RequestTimeout costs 10");
	is_int(retry_quota_cost("RequestTimeoutException", RETRY_TRANSPORT_NONE), 10,
	       "a retried RequestTimeoutException costs 10");
	is_int(retry_quota_cost(NULL, RETRY_TRANSPORT_TRANSIENT), 10, "a retry after no response at all costs 10");
	return tap_done();
}
