/*
 * judge.h - the pieces every evaluator shares: ages, time and size texts,
 * job statuses and threshold texts.
 *
 * Contract (pure functions: no I/O, no globals):
 * - judge_age(): the age of instant t at now in whole seconds (rounded, as an
 *   operator reads them); a t in the future is clock skew, counts as 0 and
 *   sets *future.
 * - judge_age_text(): "2h 5m", or "age 0 (last run time in the future; clock
 *   skew?)" for a future time.
 * - judge_time_format(): "YYYY-MM-DD HH:MM:SS UTC", "?" when out of range.
 * - judge_bytes_format(): "512 B", "100 MiB", "1.5 GiB" (1024-based, one
 *   decimal, integer arithmetic only).
 * - judge_job_status(): the job statuses of the service model, compared
 *   case-insensitively; not_yet_run is the spelling of the model's enum for
 *   this operation ("NotYetRun" for record expiration, "Not_Yet_Run" for
 *   maintenance); anything else is JOB_UNKNOWN (the API may grow).
 * - judge_job_state(): the state a status maps to with the check's settings;
 *   JOB_SUCCESSFUL is OK here (the age thresholds are the caller's).
 * - judge_range_text(): a range as perfdata text in buf, or NULL when absent.
 */
#ifndef S3T_JUDGE_H
#define S3T_JUDGE_H

#include <stddef.h>
#include <stdint.h>

#include "range.h"
#include "state.h"

double judge_age(double now, double t, int *future);
void judge_age_text(double age, int future, char *buf, size_t sz);
void judge_time_format(double t, char *buf, size_t sz);
void judge_bytes_format(int64_t v, char *buf, size_t sz);

enum job_kind { JOB_SUCCESSFUL, JOB_FAILED, JOB_DISABLED, JOB_NOT_YET_RUN, JOB_UNKNOWN };

struct job_states {
	enum mp_state failed, disabled, not_yet_run;
};

enum job_kind judge_job_status(const char *status, const char *not_yet_run);
enum mp_state judge_job_state(enum job_kind kind, const struct job_states *s);

const char *judge_range_text(const struct range *r, int present, char *buf, size_t bufsz);

#endif
