/* retry.c - see retry.h. */
#include "retry.h"

#include <stddef.h>
#include <string.h>

/* botocore retries/standard.py ThrottledRetryableChecker._THROTTLED_ERROR_CODES */
static const char *const throttling_codes[] = {
	"Throttling",
	"ThrottlingException",
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	"RequestLimitExceeded",
	"BandwidthLimitExceeded",
	"LimitExceededException",
	"RequestThrottled",
	"SlowDown",
	"PriorRequestNotComplete",
	"EC2ThrottledException",
	NULL,
};

/* botocore retries/standard.py TransientRetryableChecker._TRANSIENT_ERROR_CODES */
static const char *const transient_codes[] = {
	"RequestTimeout",
	"RequestTimeoutException",
	"PriorRequestNotComplete",
	NULL,
};

static int in_list(const char *code, const char *const *list)
{
	if (!code || !*code)
		return 0;
	for (size_t i = 0; list[i]; i++)
		if (strcmp(code, list[i]) == 0)
			return 1;
	return 0;
}

int retry_is_throttling_code(const char *error_code)
{
	return in_list(error_code, throttling_codes);
}

int retry_is_throttling(long http_status, const char *error_code)
{
	return http_status == 429 || http_status == 503 || in_list(error_code, throttling_codes);
}

int retry_quota_cost(const char *error_code, int transport_error_kind)
{
	if (transport_error_kind == RETRY_TRANSPORT_TRANSIENT)
		return RETRY_QUOTA_TIMEOUT_COST;
	if (error_code && (strcmp(error_code, "RequestTimeout") == 0 || strcmp(error_code, "RequestTimeoutException") == 0))
		return RETRY_QUOTA_TIMEOUT_COST;
	return RETRY_QUOTA_COST;
}

int retry_is_retryable(long http_status, const char *error_code, int transport_error_kind)
{
	if (transport_error_kind == RETRY_TRANSPORT_TRANSIENT)
		return 1;
	if (transport_error_kind != RETRY_TRANSPORT_NONE)
		return 0;
	if (in_list(error_code, throttling_codes) || in_list(error_code, transient_codes))
		return 1;
	switch (http_status) {
	case 429:
	case 500:
	case 502:
	case 503:
	case 504:
		return 1;
	default:
		return 0;
	}
}

double retry_backoff_seconds(int attempt, double random01)
{
	double cap = 1.0;
	if (!(random01 >= 0)) /* negative or NaN */
		random01 = 0;
	if (random01 > 1)
		random01 = 1;
	if (attempt < 1)
		attempt = 1;
	for (int i = 1; i < attempt && cap < RETRY_MAX_BACKOFF_SECONDS; i++)
		cap *= 2;
	if (cap > RETRY_MAX_BACKOFF_SECONDS)
		cap = RETRY_MAX_BACKOFF_SECONDS;
	return random01 * cap;
}

double retry_sleep_within(double backoff, double remaining)
{
	if (!(backoff >= 0))
		backoff = 0;
	if (!(remaining > 0))
		return -1.0;
	if (backoff + RETRY_MIN_ATTEMPT_SECONDS > remaining)
		return -1.0;
	return backoff;
}
