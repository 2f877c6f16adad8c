/*
 * eval_replication.h - judge one table's GetTableReplicationStatus answer.
 *
 * Contract: eval_replication() is pure: the parsed answer, the settings and
 * now (the instant AWS answered) in, a result tree out (owned by the caller,
 * result_free()). The root's text is the table's summary, its state the worst
 * of the destinations and the table-level rules, its perfdata destinations,
 * completed, pending, failed, lag_max and lag_<label>; one child per
 * destination in response order, "label: status, last successful update ...
 * (bucket ARN)". Per destination: completed → OK, lag 0; pending → its lag
 * against lag (-w/-c), or no_update_state with no successful update yet;
 * failed → failed_state with the failure message; anything else → UNKNOWN,
 * naming it (compared case-insensitively). Table level: zero destinations →
 * not_found_state, "replication not configured or table not found", and the
 * root's not_applicable says "not replicated"; fewer than min_destinations →
 * CRITICAL; each required destination bucket ARN must be present (CRITICAL);
 * pending ranges on the number of non-completed destinations. Lags are whole
 * seconds; a future update counts as lag 0, with a clock-skew note. Labels
 * are the destination bucket names, disambiguated by @region, then
 * @account.region, then #index.
 */
#ifndef S3T_EVAL_REPLICATION_H
#define S3T_EVAL_REPLICATION_H

#include "range.h"
#include "result.h"
#include "s3tables.h"

#define REPLICATION_MAX_REQUIRED 16

struct replication_settings {
	enum mp_state failed_state, no_update_state, not_found_state;
	int not_found_state_set;  /* given on the command line */
	long min_destinations;
	const char *required[REPLICATION_MAX_REQUIRED]; /* destination bucket ARNs */
	size_t nrequired;
	struct thresholds pending; /* on the number of non-completed destinations */
	struct thresholds lag;     /* -w/-c, seconds */
};

/* The defaults of the spec: failed CRITICAL, no update WARNING, not found CRITICAL, min 1. */
void replication_settings_init(struct replication_settings *s);

struct result *eval_replication(const struct s3t_replication_status *st, const struct replication_settings *s,
				double now);

#endif
