/* fleet_run.c - see fleet_run.h. */
#include "fleet_run.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "batch.h"
#include "fleet.h"
#include "plugin.h"
#include "s3tables.h"
#include "table_filter.h"


/* What every worker reads; each item writes only through fleet_add(). */
struct fleet_job {
	const struct check_def *def;
	const struct check_env *env;
	const struct s3t_table_list *list;
	const char *bucket_arn;
	struct fleet *fleet;
};

static void check_one(const struct aws_client *c, size_t i, void *arg)
{
	const struct fleet_job *job = arg;
	const struct s3t_table_summary *t = &job->list->tables[i];
	const struct table_ref ref = {.table_arn = t->table_arn, .bucket_arn = job->bucket_arn,
				      .namespace_name = t->namespace_name, .name = t->name};
	char name[600];
	snprintf(name, sizeof name, "%s.%s", t->namespace_name, t->name);
	fleet_add(job->fleet, i, name, job->def->check_table(c, &ref, job->def->settings, job->env));
}

static struct result *unknown(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static struct result *unknown(const char *fmt, ...)
{
	char text[RESULT_TEXT_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	struct result *r = result_new();
	result_set_state(r, STATE_UNKNOWN);
	result_text(r, "%s", text);
	return r;
}

static struct result *check_all(struct plugin_run *r, const struct check_def *def, const struct check_env *env,
				const struct s3t_table_list *list)
{
	const struct fleet_options fo = {.detail_all = r->opts.detail_all, .perfdata_per_table = r->opts.perfdata_per_table,
					 .metrics = def->fleet_metrics, .nmetrics = def->nfleet_metrics};
	struct fleet *f = fleet_new(list->ntables, &fo);
	if (!f)
		return NULL;
	struct fleet_job job = {.def = def, .env = env, .list = list, .bucket_arn = r->target.bucket.bucket_arn,
				.fleet = f};
	const struct batch_options bo = {.parallel = r->opts.parallel, .max_rate = r->opts.max_rate};
	/* The checks stop a little before the run's deadline, so that folding the results and
	 * printing the answer fit in it too (the last-resort timer fires half a second after it). */
	struct deadline work = plugin_work_deadline(r);
	struct aws_client proto = r->client;
	proto.deadline = &work;
	char err[512];
	struct result *root;
	if (batch_run(&proto, &r->http_opts, &bo, list->ntables, check_one, &job, err, sizeof err))
		root = unknown("could not start the checks: %s", err);
	else
		root = fleet_result(f, deadline_expired(&work), r->opts.timeout, r->opts.timeout_state);
	fleet_free(f);
	return root;
}

struct result *fleet_run(struct plugin_run *r, const struct check_def *def, const struct check_env *env)
{
	const struct common_options *o = &r->opts;
	struct table_filter *filter = NULL;
	char err[768];
	if (table_filter_new(o->namespaces, o->nnamespaces, o->includes, o->nincludes, o->excludes, o->nexcludes, &filter,
			     err, sizeof err))
		return unknown("%s", err);

	struct s3t_table_list list;
	struct aws_result res;
	int rc = table_filter_list_tables(&r->client, r->target.bucket.bucket_arn, filter, &list, &res);
	check_answered(env, "ListTables", &res);
	table_filter_free(filter);
	struct result *root;
	if (rc != AWS_OK)
		root = check_failure("ListTables", rc, &res, *def->not_found_state, "table bucket not found", NULL, env);
	else if (list.ntables == 0 && (o->nnamespaces || o->nincludes || o->nexcludes))
		root = unknown("no table of table bucket %s is left after filtering", r->target.bucket.bucket);
	else if (list.ntables == 0)
		root = unknown("table bucket %s has no tables", r->target.bucket.bucket);
	else {
		plugin_verbose(r, 1, "ListTables: %zu table%s to check", list.ntables, list.ntables == 1 ? "" : "s");
		root = check_all(r, def, env, &list);
	}
	s3t_table_list_free(&list);
	aws_result_free(&res);
	return root;
}
