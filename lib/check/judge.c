/* judge.c - see judge.h. */
#include "judge.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include "timestamp.h"

double judge_age(double now, double t, int *future)
{
	double age = floor(now - t + 0.5);
	*future = age < 0;
	return *future ? 0 : age;
}

void judge_age_text(double age, int future, char *buf, size_t sz)
{
	if (future)
		snprintf(buf, sz, "age 0 (last run time in the future; clock skew?)");
	else
		duration_format(age, buf, sz);
}

void judge_time_format(double t, char *buf, size_t sz)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, sz, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, sz, "?");
}

void judge_bytes_format(int64_t v, char *buf, size_t sz)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (v < 1024) {
		snprintf(buf, sz, "%" PRId64 " B", v);
		return;
	}
	uint64_t u = (uint64_t)v, div = 1024;
	size_t i = 0;
	while (i + 1 < sizeof unit / sizeof unit[0] && u / div >= 1024) {
		div *= 1024;
		i++;
	}
	uint64_t whole = u / div, tenth = (u % div) * 10 / div; /* (u % div) * 10 < 2^64 */
	if (tenth)
		snprintf(buf, sz, "%" PRIu64 ".%" PRIu64 " %s", whole, tenth, unit[i]);
	else
		snprintf(buf, sz, "%" PRIu64 " %s", whole, unit[i]);
}

enum job_kind judge_job_status(const char *status, const char *not_yet_run)
{
	if (!status)
		return JOB_UNKNOWN;
	if (strcasecmp(status, "Successful") == 0)
		return JOB_SUCCESSFUL;
	if (strcasecmp(status, "Failed") == 0)
		return JOB_FAILED;
	if (strcasecmp(status, "Disabled") == 0)
		return JOB_DISABLED;
	if (strcasecmp(status, not_yet_run) == 0)
		return JOB_NOT_YET_RUN;
	return JOB_UNKNOWN;
}

enum mp_state judge_job_state(enum job_kind kind, const struct job_states *s)
{
	switch (kind) {
	case JOB_SUCCESSFUL: return STATE_OK;
	case JOB_FAILED: return s->failed;
	case JOB_DISABLED: return s->disabled;
	case JOB_NOT_YET_RUN: return s->not_yet_run;
	default: return STATE_UNKNOWN;
	}
}

const char *judge_range_text(const struct range *r, int present, char *buf, size_t bufsz)
{
	if (!present || range_format(r, buf, bufsz) != 0)
		return NULL;
	return buf;
}
