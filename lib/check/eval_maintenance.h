/*
 * eval_maintenance.h - judge one table's GetTableMaintenanceJobStatus answer.
 *
 * Contract: eval_maintenance() is pure: parsed answer + settings + now (when
 * AWS answered) → a result tree owned by the caller. The three jobs of the
 * service model come first in their usual order, then job types this code
 * does not know, as reported. Without a selection every job is judged and the
 * three known ones are expected (one missing is UNKNOWN, "<job> not
 * reported"); with a selection (maintenance_select_job) only those are judged
 * and expected, the others are listed as not checked. Per job: Successful →
 * OK, then the age thresholds on its last run (without a last run time:
 * UNKNOWN when an age threshold is set, else OK); Failed → failed state with
 * the failure message; Disabled → disabled state; Not_Yet_Run → not-yet-run
 * state; anything else → UNKNOWN. No job status at all is UNKNOWN. The root's
 * text is the summary (problems first, most severe first, then what is fine),
 * its perfdata age_<job> (s) per judged job with a last run, one child per
 * job. In a fleet run (fleet set) without an explicit disabled state, a
 * Disabled job does not apply: it is OK and shown as "(not applicable)", and
 * when every judged job that was reported is Disabled the root's
 * not_applicable says "maintenance disabled".
 */
#ifndef S3T_EVAL_MAINTENANCE_H
#define S3T_EVAL_MAINTENANCE_H

#include "judge.h"
#include "range.h"
#include "result.h"
#include "s3tables.h"

#define MAINTENANCE_NKNOWN 3

struct maintenance_settings {
	struct job_states jobs;
	enum mp_state not_found_state;
	int disabled_state_set, not_found_state_set; /* given on the command line */
	int fleet;                                    /* --all-tables: Disabled jobs do not apply */
	int selected[MAINTENANCE_NKNOWN];             /* --job given for this known job */
	int any_selected;
	struct thresholds age;                        /* -w/-c, seconds */
};

/* failed CRITICAL, disabled WARNING, not yet run OK, not found CRITICAL, every job. */
void maintenance_settings_init(struct maintenance_settings *s);

/* Select a job by its type (icebergCompaction ...) or short name (compaction ...), any case. 0, or -1. */
int maintenance_select_job(struct maintenance_settings *s, const char *name);

struct result *eval_maintenance(const struct s3t_maintenance_status *st, const struct maintenance_settings *s,
				double now);

#endif
