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

#include <stdio.h>

#include "arn.h"
#include "eval_replication.h"
#include "plugin.h"

enum {
	OPT_FAILED_STATE = 1000,
	OPT_NO_UPDATE_STATE,
	OPT_NOT_FOUND_STATE,
	OPT_MIN_DESTINATIONS,
	OPT_DESTINATION,
	OPT_WARNING_PENDING,
	OPT_CRITICAL_PENDING,
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
	struct replication_settings *s = ctx;
	struct arn a;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->failed_state, err, errsz);
	case OPT_NO_UPDATE_STATE: return options_parse_state(arg, &s->no_update_state, err, errsz);
	case OPT_NOT_FOUND_STATE:
		s->not_found_state_set = 1;
		return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_MIN_DESTINATIONS: return options_parse_int(arg, 0, 5, &s->min_destinations, err, errsz);
	case OPT_DESTINATION:
		if (s->nrequired >= REPLICATION_MAX_REQUIRED) {
			snprintf(err, errsz, "at most %d destinations can be required", REPLICATION_MAX_REQUIRED);
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

/* One table: GetTableReplicationStatus, then the evaluator. */
static struct result *check_table(const struct aws_client *c, const struct table_ref *t, const void *settings,
				  const struct check_env *env)
{
	const struct replication_settings *s = settings;
	struct s3t_replication_status st;
	struct aws_result res;
	int rc = s3t_get_replication_status(c, t->table_arn, &st, &res);
	check_answered(env, "GetTableReplicationStatus", &res);
	struct result *out = rc == AWS_OK ? eval_replication(&st, s, check_now(env, &res))
					  : check_failure("GetTableReplicationStatus", rc, &res, s->not_found_state,
							  "replication not configured or table not found",
							  s->not_found_state_set ? NULL : "not replicated", env);
	s3t_replication_status_free(&st);
	aws_result_free(&res);
	return out;
}

/* In a fleet run (--all-tables), the worst of these over all tables. */
static const struct fleet_metric fleet_metrics[] = {{"lag_max", 0, "lag_max"}};

int main(int argc, char **argv)
{
	struct replication_settings s;
	replication_settings_init(&s);
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
			 "With --all-tables, a table without replication (NotFoundException or no\n"
			 "destinations) counts as not replicated unless --not-found-state is given; the\n"
			 "fleet's worst lag is lag_max.\n\n"
			 "IAM permission needed: s3tables:GetTableReplicationStatus (and s3tables:GetTable\n"
			 "when the table is given by bucket, namespace and name).\n\n"
			 "Example:\n"
			 "  check_s3tables_replication -a arn:aws:s3tables:us-east-1:111122223333:bucket/b/table/ID \\\n"
			 "      -w 30m -c 2h --min-destinations 2",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);
	s.lag = r.opts.age;
	const struct check_def check = {.check_name = info.check_name, .needs = CHECK_NEEDS_ARN,
					.check_table = check_table, .settings = &s,
					.not_found_state = &s.not_found_state,
					.fleet_metrics = fleet_metrics, .nfleet_metrics = 1};
	plugin_check(&r, &check);
}
