/*
 * check_s3tables_maintenance - are compaction, snapshot management and
 * unreferenced-file removal running and succeeding on an S3 table?
 *
 * Asks GetTableMaintenanceJobStatus, which takes the bucket ARN, namespace
 * and table name: given by name, one request; given a table ARN, GetTable
 * first resolves it to namespace and name. Each judged job: Successful → OK,
 * then -w/-c on the age of its last run; Failed → --failed-state; Disabled →
 * --disabled-state; Not_Yet_Run → --not-yet-run-state; anything else →
 * UNKNOWN. A selected job missing from the answer is UNKNOWN. Job types this
 * plugin does not know are reported and, without --job, judged the same way.
 * The result is the worst of all.
 */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "plugin.h"
#include "timestamp.h"

enum {
	OPT_FAILED_STATE = 1000,
	OPT_DISABLED_STATE,
	OPT_NOT_YET_RUN_STATE,
	OPT_NOT_FOUND_STATE,
	OPT_JOB,
};

/* The job types the service model knows, in report order. */
static const struct known_job {
	const char *type;   /* the map key in the response */
	const char *shortn; /* --job short name */
	const char *label;  /* what the output calls it */
	const char *perf;   /* perfdata label */
} known[] = {
	{"icebergCompaction", "compaction", "compaction", "age_compaction"},
	{"icebergSnapshotManagement", "snapshot-management", "snapshot management", "age_snapshot_management"},
	{"icebergUnreferencedFileRemoval", "unreferenced-file-removal", "unreferenced file removal",
	 "age_unreferenced_file_removal"},
};
#define NKNOWN (sizeof known / sizeof known[0])

struct settings {
	enum mp_state failed_state, disabled_state, not_yet_run_state, not_found_state;
	int selected[NKNOWN]; /* --job given for this job */
	int any_selected;
};

static const struct plugin_option options[] = {
	{"job", 0, "NAME",
	 "Judge only this job (repeatable): icebergCompaction, icebergSnapshotManagement, icebergUnreferencedFileRemoval, "
	 "or compaction, snapshot-management, unreferenced-file-removal; default: every job reported",
	 OPT_JOB},
	{"failed-state", 0, "STATE", "State for a job whose last run failed; default CRITICAL", OPT_FAILED_STATE},
	{"disabled-state", 0, "STATE", "State for a disabled job; default WARNING", OPT_DISABLED_STATE},
	{"not-yet-run-state", 0, "STATE", "State for a job that has not run yet; default OK", OPT_NOT_YET_RUN_STATE},
	{"not-found-state", 0, "STATE", "State when the table is not found (NotFoundException); default CRITICAL",
	 OPT_NOT_FOUND_STATE},
};

static int handle(void *ctx, int key, const char *arg, char *err, size_t errsz)
{
	struct settings *s = ctx;
	switch (key) {
	case OPT_FAILED_STATE: return options_parse_state(arg, &s->failed_state, err, errsz);
	case OPT_DISABLED_STATE: return options_parse_state(arg, &s->disabled_state, err, errsz);
	case OPT_NOT_YET_RUN_STATE: return options_parse_state(arg, &s->not_yet_run_state, err, errsz);
	case OPT_NOT_FOUND_STATE: return options_parse_state(arg, &s->not_found_state, err, errsz);
	case OPT_JOB:
		for (size_t k = 0; k < NKNOWN; k++)
			if (strcasecmp(arg, known[k].type) == 0 || strcasecmp(arg, known[k].shortn) == 0) {
				s->selected[k] = 1;
				s->any_selected = 1;
				return 0;
			}
		snprintf(err, errsz,
			 "'%.60s' is not a job; valid: icebergCompaction (compaction), icebergSnapshotManagement "
			 "(snapshot-management), icebergUnreferencedFileRemoval (unreferenced-file-removal)",
			 arg);
		return -1;
	}
	return -1;
}

static void time_format(double t, char *buf, size_t sz)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	if (!gmtime_r(&tt, &tm) || !strftime(buf, sz, "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(buf, sz, "?");
}

/* One job as reported (or expected and missing). */
struct job_view {
	const struct s3t_maintenance_job *j; /* NULL: expected but not reported */
	const char *type, *label;
	char perf[96];
	int judged;            /* selected (or every job when --job is not given) */
	int has_age, future;
	double age;
	char agetxt[80];
	enum mp_state state;
	char problem[600];     /* summary phrase when state is not OK */
	char kind;             /* 's'uccessful, 'f'ailed, 'd'isabled, 'n'ot yet run, 'u'nknown, 'm'issing */
};

static void judge(struct job_view *v, const struct settings *s, const struct plugin_run *r)
{
	const struct s3t_maintenance_job *j = v->j;
	if (!j) {
		v->kind = 'm';
		v->state = STATE_UNKNOWN;
		snprintf(v->problem, sizeof v->problem, "%s not reported", v->label);
		return;
	}
	if (j->has_last_run) {
		v->has_age = 1;
		v->age = floor(r->now - j->last_run + 0.5);
		if (v->age < 0) {
			v->future = 1;
			v->age = 0;
			snprintf(v->agetxt, sizeof v->agetxt, "age 0 (last run time in the future; clock skew?)");
		} else {
			duration_format(v->age, v->agetxt, sizeof v->agetxt);
		}
	}
	const char *fmsg = j->failure_message ? j->failure_message : "no failure message";
	int limits = r->opts.age.has_warning || r->opts.age.has_critical;
	if (strcasecmp(j->status, "Successful") == 0) {
		v->kind = 's';
		if (v->has_age) {
			v->state = thresholds_check_double(&r->opts.age, v->age);
			snprintf(v->problem, sizeof v->problem, v->future ? "%s last ran, %s" : "%s last ran %s ago",
				 v->label, v->agetxt);
		} else {
			v->state = limits ? STATE_UNKNOWN : STATE_OK;
			snprintf(v->problem, sizeof v->problem, "%s: no last run time reported", v->label);
		}
	} else if (strcasecmp(j->status, "Failed") == 0) {
		v->kind = 'f';
		v->state = s->failed_state;
		if (v->has_age)
			snprintf(v->problem, sizeof v->problem, v->future ? "%s failed, %s: %s" : "%s failed %s ago: %s",
				 v->label, v->agetxt, fmsg);
		else
			snprintf(v->problem, sizeof v->problem, "%s failed: %s", v->label, fmsg);
	} else if (strcasecmp(j->status, "Disabled") == 0) {
		v->kind = 'd';
		v->state = s->disabled_state;
		snprintf(v->problem, sizeof v->problem, "%s disabled", v->label);
	} else if (strcasecmp(j->status, "Not_Yet_Run") == 0) {
		v->kind = 'n';
		v->state = s->not_yet_run_state;
		snprintf(v->problem, sizeof v->problem, "%s not yet run", v->label);
	} else {
		v->kind = 'u';
		v->state = STATE_UNKNOWN;
		snprintf(v->problem, sizeof v->problem, "%s has unknown status '%.40s'", v->label, j->status);
	}
}

int main(int argc, char **argv)
{
	struct settings s = {.failed_state = STATE_CRITICAL, .disabled_state = STATE_WARNING,
			     .not_yet_run_state = STATE_OK, .not_found_state = STATE_CRITICAL};
	const struct plugin_info info = {
		.program = "check_s3tables_maintenance",
		.check_name = "MAINTENANCE",
		.purpose = "Checks the maintenance jobs of an Amazon S3 table (compaction, snapshot\n"
			   "management, unreferenced-file removal): asks S3 Tables GetTableMaintenanceJobStatus\n"
			   "whether each job runs and succeeds.",
		.thresholds = "Warning range on the age of each Successful job's last run (now minus its\n"
			      "    lastRunTimestamp), e.g. 1d",
		.options = options,
		.noptions = sizeof options / sizeof options[0],
		.handle = handle,
		.ctx = &s,
		.notes = "States per job: Successful is OK, then -w/-c on the age of its last run (a\n"
			 "Successful job without a last run time is UNKNOWN, \"no last run time reported\",\n"
			 "when -w or -c is given, else OK); Failed is --failed-state, with AWS's failure\n"
			 "message; Disabled is --disabled-state; Not_Yet_Run is --not-yet-run-state; any\n"
			 "other status is UNKNOWN. A last run time in the future counts as age 0 (clock\n"
			 "skew is noted). Without --job the three known jobs are expected: one missing from\n"
			 "the answer is UNKNOWN (\"<job> not reported\"); with --job only the selected jobs\n"
			 "are judged and expected, the others are listed as not checked. Job types this\n"
			 "plugin does not know are listed too and, without --job, judged by the same rules.\n"
			 "An answer with no job status at all is UNKNOWN. NotFoundException is\n"
			 "--not-found-state. The result is the worst of all.\n\n"
			 "With --table-bucket-arn, --namespace and --table the plugin makes one request;\n"
			 "with --table-arn it first asks GetTable for the table's namespace and name.\n\n"
			 "Perfdata: one age per judged job with a last run (seconds, with the -w/-c\n"
			 "thresholds): age_compaction, age_snapshot_management,\n"
			 "age_unreferenced_file_removal, and age_<type> for job types not known here.\n\n"
			 "IAM permission needed: s3tables:GetTableMaintenanceJobStatus (and\n"
			 "s3tables:GetTable when the table is given by --table-arn).\n\n"
			 "Example:\n"
			 "  check_s3tables_maintenance -b arn:aws:s3tables:us-east-1:111122223333:bucket/b \\\n"
			 "      -n analytics -N events -w 2d -c 4d --job compaction --job snapshot-management",
	};
	struct plugin_run r;
	plugin_start(&r, &info, argc, argv);

	/* The operation takes bucket ARN + namespace + name; from a table ARN, GetTable gives the latter two. */
	struct s3t_table t = {0};
	const char *ns = r.target.namespace_name, *name = r.target.table_name;
	struct aws_result res;
	int rc;
	if (r.target.by_arn) {
		rc = s3t_get_table(&r.client, r.opts.table_arn, NULL, NULL, NULL, &t, &res);
		plugin_answered(&r, "GetTable", &res);
		aws_result_free(&res);
		if (rc != AWS_OK) {
			s3t_table_free(&t);
			plugin_fail(&r, "GetTable", rc, &res, s.not_found_state, "table not found");
		}
		ns = t.namespace_name;
		name = t.name;
		plugin_verbose(&r, 1, "GetTable: namespace %s, name %s", ns, name);
	}

	struct s3t_maintenance_status st;
	rc = s3t_get_maintenance_status(&r.client, r.target.bucket.bucket_arn, ns, name, &st, &res);
	plugin_answered(&r, "GetTableMaintenanceJobStatus", &res);
	aws_result_free(&res);
	s3t_table_free(&t);
	if (rc != AWS_OK) {
		s3t_maintenance_status_free(&st);
		plugin_fail(&r, "GetTableMaintenanceJobStatus", rc, &res, s.not_found_state, "table not found");
	}

	/* Known jobs first, in their usual order (expected ones even when missing), then the rest as reported. */
	struct job_view *v = calloc(NKNOWN + st.njobs, sizeof *v);
	if (!v)
		output_die(info.check_name, STATE_UNKNOWN, "out of memory");
	size_t n = 0;
	for (size_t k = 0; k < NKNOWN; k++) {
		const struct s3t_maintenance_job *found = NULL;
		for (size_t i = 0; i < st.njobs; i++)
			if (strcmp(st.jobs[i].type, known[k].type) == 0)
				found = &st.jobs[i];
		int judged = !s.any_selected || s.selected[k];
		if (!found && (!judged || st.njobs == 0))
			continue;
		struct job_view *x = &v[n++];
		x->j = found;
		x->type = known[k].type;
		x->label = known[k].label;
		snprintf(x->perf, sizeof x->perf, "%s", known[k].perf);
		x->judged = judged;
	}
	for (size_t i = 0; i < st.njobs; i++) {
		int is_known = 0;
		for (size_t k = 0; k < NKNOWN; k++)
			if (strcmp(st.jobs[i].type, known[k].type) == 0)
				is_known = 1;
		if (is_known)
			continue;
		struct job_view *x = &v[n++];
		x->j = &st.jobs[i];
		x->type = x->label = st.jobs[i].type;
		snprintf(x->perf, sizeof x->perf, "age_%.80s", st.jobs[i].type);
		x->judged = !s.any_selected;
	}

	int judged = 0, ok = 0, nyr_ok = 0, disabled_ok = 0, failed_ok = 0, with_age = 0;
	double age_min = 0, age_max = 0;
	for (size_t i = 0; i < n; i++) {
		judge(&v[i], &s, &r);
		if (!v[i].judged)
			continue;
		judged++;
		output_raise(r.out, v[i].state);
		if (v[i].state != STATE_OK)
			continue;
		ok++;
		if (v[i].kind == 'n')
			nyr_ok++;
		else if (v[i].kind == 'd')
			disabled_ok++;
		else if (v[i].kind == 'f')
			failed_ok++;
		if (v[i].kind == 's' && v[i].has_age) {
			if (!with_age++ || v[i].age < age_min)
				age_min = v[i].age;
			if (with_age == 1 || v[i].age > age_max)
				age_max = v[i].age;
		}
	}

	/* Summary: the problems first, most severe first; then what is fine. */
	char summary[2000] = "", a[64], b[64];
	if (st.njobs == 0) {
		output_raise(r.out, STATE_UNKNOWN);
		output_append(summary, sizeof summary, "no maintenance job status reported for this table");
	}
	static const enum mp_state order[] = {STATE_CRITICAL, STATE_UNKNOWN, STATE_WARNING};
	for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
		for (size_t i = 0; i < n; i++)
			if (v[i].judged && v[i].state == order[o])
				output_append(summary, sizeof summary, "%s%s", summary[0] ? ", " : "", v[i].problem);
	if (judged && ok == judged) {
		output_append(summary, sizeof summary, "%d job%s OK", ok, ok == 1 ? "" : "s");
		if (with_age) {
			duration_format(age_min, a, sizeof a);
			duration_format(age_max, b, sizeof b);
			if (with_age == 1 || strcmp(a, b) == 0)
				output_append(summary, sizeof summary, ", last run%s %s ago", with_age == 1 ? "" : "s", a);
			else
				output_append(summary, sizeof summary, ", last runs %s–%s ago", a, b);
		}
	} else if (ok) {
		output_append(summary, sizeof summary, ", %d other job%s OK", ok, ok == 1 ? "" : "s");
	}
	if (ok) {
		if (nyr_ok)
			output_append(summary, sizeof summary, ", %d not yet run", nyr_ok);
		if (disabled_ok)
			output_append(summary, sizeof summary, ", %d disabled", disabled_ok);
		if (failed_ok)
			output_append(summary, sizeof summary, ", %d failed", failed_ok);
	}
	output_summary(r.out, "%s", summary);

	/* Long output: one line per job. */
	char when[64];
	for (size_t i = 0; i < n; i++) {
		struct job_view *x = &v[i];
		char head[64];
		if (x->judged)
			snprintf(head, sizeof head, "[%s]", state_name(x->state));
		else
			snprintf(head, sizeof head, "[not checked]");
		if (!x->j) {
			output_line(r.out, "%s %s (%s): not reported", head, x->label, x->type);
			continue;
		}
		char detail[200] = "";
		if (x->has_age) {
			time_format(x->j->last_run, when, sizeof when);
			snprintf(detail, sizeof detail, x->future ? ", last run %s, %s" : ", last run %s, %s ago", when,
				 x->agetxt);
		} else {
			snprintf(detail, sizeof detail, ", no last run time");
		}
		if (x->type == x->label)
			output_line(r.out, "%s %s: %s%s%s%s", head, x->label, x->j->status, detail,
				    x->j->failure_message ? " - " : "",
				    x->j->failure_message ? x->j->failure_message : "");
		else
			output_line(r.out, "%s %s (%s): %s%s%s%s", head, x->label, x->type, x->j->status, detail,
				    x->j->failure_message ? " - " : "",
				    x->j->failure_message ? x->j->failure_message : "");
	}

	/* Perfdata: whole seconds per judged job with a last run. */
	char w[128], c[128];
	const char *wt = plugin_range_text(&r.opts.age.warning, r.opts.age.has_warning, w, sizeof w);
	const char *ct = plugin_range_text(&r.opts.age.critical, r.opts.age.has_critical, c, sizeof c);
	const int64_t zero = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].judged && v[i].has_age)
			output_perf_i64(r.out, v[i].perf, (int64_t)v[i].age, "s", wt, ct, &zero, NULL);

	free(v);
	s3t_maintenance_status_free(&st);
	plugin_end(&r);
}
