/*
 * check_s3tables_replication - is every replica of an S3 table caught up?
 *
 * Asks GetTableReplicationStatus (after GetTable when the table is named) and
 * judges each destination: completed → OK; pending → its lag against -w/-c
 * (or --no-update-state when nothing has replicated yet); failed →
 * --failed-state; anything else → UNKNOWN. Then the table-level rules:
 * --min-destinations, required --destination ARNs and ranges on the number
 * of non-completed destinations. The result is the worst of all of these.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arn.h"
#include "plugin.h"
#include "timestamp.h"

enum {
	OPT_FAILED_STATE = 1000,
	OPT_NO_UPDATE_STATE,
	OPT_NOT_FOUND_STATE,
	OPT_MIN_DESTINATIONS,
	OPT_DESTINATION,
	OPT_WARNING_PENDING,
	OPT_CRITICAL_PENDING,
};

#define MAX_REQUIRED 16

struct settings {
	enum mp_state failed_state, no_update_state, not_found_state;
	long min_destinations;
	const char *required[MAX_REQUIRED];
	size_t nrequired;
	struct thresholds pending;
};

static const struct plugin_option options[] = {
	{"failed-state", 0, "STATE", "State for a destination whose replication failed; default CRITICAL", OPT_FAILED_STATE},
	{"no-update-state", 0, "STATE", "State for a pending destination with no successful update yet; default WARNING", OPT_NO_UPDATE_STATE},
	{"not-found-state", 0, "STATE", "State when replication is not configured or the table is not found; default CRITICAL", OPT_NOT_FOUND_STATE},
	{"min-destinations", 0, "N", "Fewer destinations than N is CRITICAL; default 1", OPT_MIN_DESTINATIONS},
	{"destination", 0, "BUCKET-ARN", "This destination table bucket must be present (repeatable)", OPT_DESTINATION},
	{"warning-pending", 0, "RANGE", "Warning range on the number of destinations not completed", OPT_WARNING_PENDING},
	{"critical-pending", 0, "RANGE", "Critical range on the number of destinations not completed", OPT_CRITICAL_PENDING},
};

static int handle(void *ctx, int key, const char *arg, char *err, size_t errsz)
{
	struct settings *s = ctx;
	struct arn a;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->failed_state, err, errsz);
	case OPT_NO_UPDATE_STATE: return options_parse_state(arg, &s->no_update_state, err, errsz);
	case OPT_NOT_FOUND_STATE: return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_MIN_DESTINATIONS: return options_parse_int(arg, 0, 5, &s->min_destinations, err, errsz);
	case OPT_DESTINATION:
		if (s->nrequired >= MAX_REQUIRED) {
			snprintf(err, errsz, "at most %d destinations can be required", MAX_REQUIRED);
			return -1;
		}
		if (arn_parse_bucket(arg, &a, err, errsz))
			return -1;
		s->required[s->nrequired++] = arg;
		return 0;
	case OPT_WARNING_PENDING:
		s->pending.has_warning = 1;
		return range_parse(arg, RANGE_PLAIN, &s->pending.warning, err, errsz);
	case OPT_CRITICAL_PENDING:
		s->pending.has_critical = 1;
		return range_parse(arg, RANGE_PLAIN, &s->pending.critical, err, errsz);
	}
	return -1;
}

/* Per-destination facts, in response order. */
struct dest_view {
	const struct s3t_destination *d;
	struct arn arn;           /* parsed destinationTableBucketArn (zeroed if unparseable) */
	char label[160];          /* perfdata label suffix, unique within the table */
	int has_lag;
	double lag;
	enum mp_state state;
	int future;               /* last update reported in the future */
};

/* Bucket names label the lag metrics; two destinations sharing one get region/account added. */
static void make_labels(struct dest_view *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		snprintf(v[i].label, sizeof v[i].label, "%s", v[i].arn.bucket[0] ? v[i].arn.bucket : "destination");
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < n; i++) {
			int clash = 0;
			for (size_t j = 0; j < n; j++)
				if (j != i && strcmp(v[i].label, v[j].label) == 0)
					clash = 1;
			if (!clash)
				continue;
			const char *b = v[i].arn.bucket[0] ? v[i].arn.bucket : "destination";
			if (round == 0)
				snprintf(v[i].label, sizeof v[i].label, "%s@%s", b, v[i].arn.region);
			else if (round == 1)
				snprintf(v[i].label, sizeof v[i].label, "%s@%s.%s", b, v[i].arn.account, v[i].arn.region);
			else
				snprintf(v[i].label, sizeof v[i].label, "%s#%zu", b, i + 1);
		}
	}
}

int main(int argc, char **argv)
{
	struct settings s = {.failed_state = STATE_CRITICAL, .no_update_state = STATE_WARNING,
			     .not_found_state = STATE_CRITICAL, .min_destinations = 1};
	const struct plugin_info info = {
		.program = "check_s3tables_replication",
		.check_name = "REPLICATION",
		.purpose = "Checks that every replica of an Amazon S3 table is caught up: asks S3 Tables\n"
			   "GetTableReplicationStatus and judges each destination's status and lag.",
		.thresholds = "Warning range on the replication lag of a pending destination (now minus its\n"
			      "    last successful replicated update), e.g. 30m",
		.options = options,
		.noptions = sizeof options / sizeof options[0],
		.handle = handle,
		.ctx = &s,
		.notes = "States per destination: completed is OK (lag 0); pending is judged by its lag\n"
			 "against -w/-c, or --no-update-state when nothing has replicated yet; failed is\n"
			 "--failed-state, with AWS's failure message; any other status is UNKNOWN.\n"
			 "Zero destinations or NotFoundException mean replication is not configured or the\n"
			 "table is not found (--not-found-state). The result is the worst of all.\n\n"
			 "Perfdata: destinations, completed, pending, failed (counts), lag_max and\n"
			 "lag_<destination-bucket> (seconds, with the -w/-c thresholds).\n\n"
			 "IAM permission needed: s3tables:GetTableReplicationStatus (and s3tables:GetTable\n"
			 "when the table is given by bucket, namespace and name).\n\n"
			 "Example:\n"
			 "  check_s3tables_replication -a arn:aws:s3tables:us-east-1:111122223333:bucket/b/table/ID \\\n"
			 "      -w 30m -c 2h --min-destinations 2",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);
	char *table_arn = plugin_table_arn(&r, s.not_found_state);

	struct s3t_replication_status st;
	struct aws_result res;
	int rc = s3t_get_replication_status(&r.client, table_arn, &st, &res);
	plugin_answered(&r, "GetTableReplicationStatus", &res);
	free(table_arn);
	aws_result_free(&res);
	if (rc != AWS_OK) {
		s3t_replication_status_free(&st);
		plugin_fail(&r, "GetTableReplicationStatus", rc, &res, s.not_found_state,
			    "replication not configured or table not found");
	}

	size_t n = st.ndestinations;
	struct dest_view *v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		output_die(info.check_name, STATE_UNKNOWN, "out of memory");
	int completed = 0, pending = 0, failed = 0, unknown = 0, pending_no_update = 0;
	double max_pending_lag = -1, lag_max = -1;
	char failures[600] = "", unknowns[300] = "", why[256];

	for (size_t i = 0; i < n; i++) {
		struct dest_view *x = &v[i];
		x->d = &st.destinations[i];
		if (arn_parse_bucket(x->d->bucket_arn, &x->arn, why, sizeof why))
			memset(&x->arn, 0, sizeof x->arn);
		if (x->d->has_last_update) {
			x->has_lag = 1;
			x->lag = floor(r.now - x->d->last_update + 0.5); /* whole seconds, as reported */
			if (x->lag < 0) {
				x->future = 1;
				x->lag = 0; /* clock skew: a future update is as fresh as it gets */
			}
		}
	}
	make_labels(v, n);

	for (size_t i = 0; i < n; i++) {
		struct dest_view *x = &v[i];
		const char *status = x->d->status;
		if (strcasecmp(status, "completed") == 0) {
			completed++;
			x->state = STATE_OK;
			x->has_lag = 1;
			x->lag = 0;
		} else if (strcasecmp(status, "pending") == 0) {
			pending++;
			if (x->has_lag) {
				x->state = thresholds_check_double(&r.opts.age, x->lag);
				if (x->lag > max_pending_lag)
					max_pending_lag = x->lag;
			} else {
				pending_no_update++;
				x->state = s.no_update_state;
			}
		} else if (strcasecmp(status, "failed") == 0) {
			failed++;
			x->state = s.failed_state;
			output_append(failures, sizeof failures, "%s%s: %s", failures[0] ? "; " : "", x->label,
			       x->d->failure_message ? x->d->failure_message : "no failure message");
		} else {
			unknown++;
			x->state = STATE_UNKNOWN;
			output_append(unknowns, sizeof unknowns, "%s%s: '%.40s'", unknowns[0] ? ", " : "", x->label, status);
		}
		output_raise(r.out, x->state);
		if (x->has_lag && x->lag > lag_max)
			lag_max = x->lag;
	}

	/* Summary: the problems first, most severe kind first. */
	char summary[1600] = "", lagtxt[64];
	if (n == 0) {
		output_raise(r.out, s.not_found_state);
		output_append(summary, sizeof summary, "replication not configured or table not found (no destinations)");
	}
	if (failed)
		output_append(summary, sizeof summary, "%d of %zu destination%s failed (%s)", failed, n, n == 1 ? "" : "s", failures);
	if (pending) {
		int timed = pending - pending_no_update;
		if (failed)
			output_append(summary, sizeof summary, ", %d pending", pending);
		else
			output_append(summary, sizeof summary, "%s%d of %zu destination%s pending", summary[0] ? ", " : "",
			       pending, n, n == 1 ? "" : "s");
		if (timed > 0) {
			duration_format(max_pending_lag, lagtxt, sizeof lagtxt);
			output_append(summary, sizeof summary, " for %s", lagtxt);
		}
		if (pending_no_update)
			output_append(summary, sizeof summary, timed ? ", %d with no successful update yet"
							      : " (%d with no successful update yet)", pending_no_update);
	}
	if (unknown)
		output_append(summary, sizeof summary, "%s%d with unknown replication status (%s)", summary[0] ? ", " : "", unknown, unknowns);
	if (n > 0 && (long)n < s.min_destinations) {
		output_raise(r.out, STATE_CRITICAL);
		output_append(summary, sizeof summary, "%sonly %zu destination%s, at least %ld expected", summary[0] ? ", " : "", n,
		       n == 1 ? "" : "s", s.min_destinations);
	}
	for (size_t k = 0; k < s.nrequired; k++) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].d->bucket_arn, s.required[k]) == 0)
				found = 1;
		if (!found) {
			struct arn a;
			arn_parse_bucket(s.required[k], &a, why, sizeof why);
			output_raise(r.out, STATE_CRITICAL);
			output_append(summary, sizeof summary, "%sdestination %s missing", summary[0] ? ", " : "", a.bucket);
		}
	}
	int not_completed = (int)n - completed;
	enum mp_state ps = thresholds_check_i64(&s.pending, not_completed);
	if (ps != STATE_OK) {
		output_raise(r.out, ps);
		output_append(summary, sizeof summary, "%s%d destination%s not completed", summary[0] ? ", " : "", not_completed,
		       not_completed == 1 ? "" : "s");
	}
	if (!summary[0])
		output_append(summary, sizeof summary, "%zu of %zu destination%s completed", n, n, n == 1 ? "" : "s");
	output_summary(r.out, "%s", summary);

	/* Long output: one line per destination. */
	for (size_t i = 0; i < n; i++) {
		struct dest_view *x = &v[i];
		char detail[512] = "";
		if (x->d->has_last_update) {
			duration_format(x->future ? 0 : r.now - x->d->last_update, lagtxt, sizeof lagtxt);
			snprintf(detail, sizeof detail, ", last successful update %s ago%s", lagtxt,
				 x->future ? " (timestamp in the future; clock skew?)" : "");
		} else {
			snprintf(detail, sizeof detail, ", no successful update yet");
		}
		output_line(r.out, "[%s] %s: %s%s%s%s (%s)", state_name(x->state), x->label, x->d->status, detail,
			    x->d->failure_message ? " - " : "", x->d->failure_message ? x->d->failure_message : "",
			    x->d->bucket_arn);
	}

	/* Perfdata. */
	char w[128], c[128], label[200];
	const char *wt = plugin_range_text(&r.opts.age.warning, r.opts.age.has_warning, w, sizeof w);
	const char *ct = plugin_range_text(&r.opts.age.critical, r.opts.age.has_critical, c, sizeof c);
	const int64_t zero = 0;
	output_perf_i64(r.out, "destinations", (int64_t)n, "", NULL, NULL, &zero, NULL);
	output_perf_i64(r.out, "completed", completed, "", NULL, NULL, &zero, NULL);
	output_perf_i64(r.out, "pending", pending, "", NULL, NULL, &zero, NULL);
	output_perf_i64(r.out, "failed", failed, "", NULL, NULL, &zero, NULL);
	/* Whole seconds: sub-second precision would only be noise in a graph. */
	if (lag_max >= 0)
		output_perf_i64(r.out, "lag_max", (int64_t)lag_max, "s", wt, ct, &zero, NULL);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].has_lag)
			continue;
		snprintf(label, sizeof label, "lag_%s", v[i].label);
		output_perf_i64(r.out, label, (int64_t)v[i].lag, "s", wt, ct, &zero, NULL);
	}

	free(v);
	s3t_replication_status_free(&st);
	plugin_end(&r);
}
