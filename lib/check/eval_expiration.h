/*
 * eval_expiration.h - judge one table's GetTableRecordExpirationJobStatus answer.
 *
 * Contract: eval_expiration() is pure: parsed answer + settings + now (when
 * AWS answered) → a result tree owned by the caller. Status: Successful → OK,
 * then the age thresholds on the last run (without a last run time: UNKNOWN
 * when an age threshold is set, else OK); Failed → failed_state, with the
 * failure message; Disabled → disabled_state (root not_applicable
 * "expiration disabled"); NotYetRun → not_yet_run_state; anything else →
 * UNKNOWN. The metric ranges judge deletedRecords, deletedDataFiles and
 * removedFilesSize whatever the status; a metric AWS does not report is not
 * judged. The root's text is the summary, its perfdata age (s),
 * deleted_records, deleted_data_files, removed_bytes (B), exact 64-bit; its
 * children are the informational long-output lines (status, last run, each
 * metric, failure message).
 * eval_expiration_unsupported(): the answer for MethodNotAllowedException
 * (record expiration is not offered for this kind of table):
 * not_supported_state, root not_applicable "expiration not supported", with
 * AWS's error described on a line of its own.
 */
#ifndef S3T_EVAL_EXPIRATION_H
#define S3T_EVAL_EXPIRATION_H

#include "judge.h"
#include "range.h"
#include "result.h"
#include "s3tables.h"

/* The last run's metrics, in the order they are reported. */
enum { EXP_RECORDS, EXP_FILES, EXP_BYTES, EXP_NMETRICS };

struct expiration_settings {
	struct job_states jobs;   /* failed, disabled, not yet run */
	enum mp_state not_supported_state, not_found_state;
	int disabled_state_set, not_supported_state_set, not_found_state_set; /* given on the command line */
	struct thresholds metric[EXP_NMETRICS];
	struct thresholds age;    /* -w/-c, seconds */
};

/* failed CRITICAL, disabled WARNING, not yet run OK, not supported UNKNOWN, not found CRITICAL. */
void expiration_settings_init(struct expiration_settings *s);

struct result *eval_expiration(const struct s3t_expiration_status *st, const struct expiration_settings *s,
			       double now);
struct result *eval_expiration_unsupported(const char *error_description, const struct expiration_settings *s);

#endif
