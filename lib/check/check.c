/* check.c - see check.h. */
#include "check.h"

#include <string.h>

#include "output.h"
#include "s3tables.h"

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

int check_is_not_found(int outcome, const struct aws_result *res)
{
	return outcome == AWS_API_ERROR && aws_error_classify(&res->error) == AWS_ERROR_NOT_FOUND;
}

struct result *check_failure(const char *operation, int outcome, const struct aws_result *res,
			     enum mp_state not_found_state, const char *not_found_text, const char *not_found_na,
			     const struct check_env *env)
{
	struct result *r = result_new();
	char desc[1400], secs[64];
	int n = res->attempts;
	switch (outcome) {
	case AWS_API_ERROR:
		aws_error_describe(&res->error, desc, sizeof desc);
		if (check_is_not_found(outcome, res)) {
			result_set_state(r, not_found_state);
			if (r)
				r->not_applicable = not_found_na;
			result_text(r, "%s%s%s: %s", not_found_text ? not_found_text : "", not_found_text ? " - " : "",
				    operation, desc);
		} else if (aws_error_classify(&res->error) == AWS_ERROR_UNKNOWN_OPERATION) {
			/* a 404 that is not AWS's NotFoundException: a wrong endpoint or path */
			result_set_state(r, STATE_UNKNOWN);
			if (strncmp(res->error.code, "HTTP ", 5) == 0) /* no AWS error code: not an AWS answer */
				result_text(r, "%s: the endpoint did not know the operation (%s): HTTP %ld, not an AWS "
					    "error response", operation, res->url, res->http_status);
			else
				result_text(r, "%s: the endpoint did not know the operation (%s): %s", operation,
					    res->url, desc);
		} else {
			result_set_state(r, STATE_UNKNOWN);
			result_text(r, "%s failed: %s after %d attempt%s", operation, desc, n, plural(n));
		}
		break;
	case AWS_TIMEOUT:
		output_format_double(env->timeout, secs, sizeof secs);
		result_set_state(r, env->timeout_state);
		if (r)
			r->timed_out = 1;
		result_text(r, "timed out after %s s during %s (%s; %d attempt%s)", secs, operation, res->message, n,
			    plural(n));
		break;
	case S3T_MALFORMED:
		result_set_state(r, STATE_UNKNOWN);
		result_text(r, "%s returned a %s", operation, res->message);
		break;
	default:
		result_set_state(r, STATE_UNKNOWN);
		result_text(r, "%s failed: %s after %d attempt%s", operation, res->message, n, plural(n));
	}
	return r;
}

double check_now(const struct check_env *env, const struct aws_result *res)
{
	return res->received_at > 0 ? res->received_at : env->started;
}

void check_answered(const struct check_env *env, const char *operation, const struct aws_result *res)
{
	if (env->answered)
		env->answered(env, operation, res);
}
