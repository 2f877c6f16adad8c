/* plugin.c - see plugin.h. */
#include "plugin.h"

#include "arn.h"
#include "aws_config.h"
#include "fleet_run.h"
#include "render.h"
#include "signals.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

void plugin_verbose(const struct plugin_run *r, int level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	trace_vprintf(&r->trace, level, fmt, ap);
	va_end(ap);
}

static void release(struct plugin_run *r)
{
	creds_free(&r->creds);
	http_client_free(r->http);
	r->http = NULL;
	aws_config_free(r->config);
	r->config = NULL;
}

void plugin_begin(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv)
{
	char err[768];
	struct timespec ts;

	memset(r, 0, sizeof *r);
	r->info = info;
	options_parse(info, argc, argv, &r->opts);
	r->out_fd = options_divert_stdout(info);
	if (info->discovery)
		r->opts.timeout_state = STATE_UNKNOWN; /* a discovery cut short wrote nothing: a failure */
	r->trace = (struct trace){.level = r->opts.verbose, .f = stderr};
	deadline_start(&r->deadline, r->opts.timeout);
	signals_install(info->check_name, r->opts.timeout, r->opts.timeout_state);
	signals_stage("reading the AWS config files");
	clock_gettime(CLOCK_REALTIME, &ts);
	r->now = (double)ts.tv_sec + ts.tv_nsec / 1e9;

	/* The shared config files: a file that exists but cannot be read or parsed stops the run. */
	char config_path[4096], credentials_path[4096];
	if (aws_config_paths(NULL, config_path, sizeof config_path, credentials_path, sizeof credentials_path,
			     err, sizeof err) == 0) {
		r->config = aws_config_load(config_path, credentials_path, err, sizeof err);
		if (!r->config)
			output_die(info->check_name, STATE_UNKNOWN, "AWS config: %s", err);
	}
	r->profile = aws_config_profile_name_from(r->opts.profile, NULL);
}

void plugin_connect(struct plugin_run *r)
{
	const struct plugin_info *info = r->info;
	char err[768];

	if (strncasecmp(r->target.endpoint_url, "http://", 7) == 0)
		plugin_verbose(r, 1, "warning: the endpoint is plain http://: requests, with their session tokens, "
			       "go unencrypted (in clear text)");

	r->http_opts = (struct http_options){.ca_file = r->target.ca_file, .ca_path = r->target.ca_path,
					     .ca_file_source = r->target.ca_file_source,
					     .proxy = r->target.proxy, .trace = &r->trace};
	if (!(r->http = http_client_new(&r->http_opts, err, sizeof err))) {
		aws_config_free(r->config);
		output_die(info->check_name, STATE_UNKNOWN, "%s", err);
	}

	struct creds_context cc = {.profile = r->opts.profile, .config = r->config, .http = r->http,
				   .deadline = &r->deadline, .region = r->target.region, .now = r->now,
				   .trace = &r->trace, .no_cache = r->opts.no_credential_cache};
	signals_stage("finding credentials");
	if (creds_resolve(&cc, &r->creds, err, sizeof err)) {
		release(r);
		/* A source cut short by the deadline (or by its own limit just before it) timed out. */
		if (deadline_remaining(&r->deadline) < 0.25) {
			char secs[64];
			output_format_double(r->opts.timeout, secs, sizeof secs);
			output_die(info->check_name, r->opts.timeout_state, "timed out after %s s while finding credentials: %s",
				   secs, err);
		}
		output_die(info->check_name, STATE_UNKNOWN, "%s", err);
	}
	plugin_verbose(r, 1, "credentials from %s", r->creds.source);
	r->client = (struct aws_client){
		.http = r->http, .creds = &r->creds, .region = r->target.region, .service = "s3tables",
		.endpoint_url = r->target.endpoint_url, .deadline = &r->deadline,
		.max_attempts = r->target.max_attempts, .trace = &r->trace,
	};
	char stage[300];
	snprintf(stage, sizeof stage, "waiting for S3 Tables at %.200s", r->target.endpoint_url);
	signals_stage(stage);
}

void plugin_start(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv)
{
	char err[768];

	plugin_begin(r, info, argc, argv);
	signals_stage("resolving the table and endpoint");
	if (resolve_target_with_config(&r->opts, NULL, r->config, r->profile, &r->target, err, sizeof err)) {
		aws_config_free(r->config);
		output_die(info->check_name, STATE_UNKNOWN, "%s", err);
	}
	plugin_verbose(r, 1, "endpoint %s; region %s", r->target.endpoint_url, r->target.region);
	plugin_verbose(r, 2, "table %s; region %s (from %s); endpoint %s (from %s); max attempts %d",
		       r->target.table_label, r->target.region, r->target.region_source,
		       r->target.endpoint_url, r->target.endpoint_source, r->target.max_attempts);
	plugin_connect(r);
}

void plugin_release(struct plugin_run *r)
{
	release(r);
}

/* At most this much of -t (and at most 5% of it) is kept for what follows the requests. */
#define PLUGIN_RESERVE_SECONDS 0.25

struct deadline plugin_work_deadline(const struct plugin_run *r)
{
	struct deadline work = r->deadline;
	double reserve = r->opts.timeout * 0.05;
	deadline_earlier(&work, reserve < PLUGIN_RESERVE_SECONDS ? reserve : PLUGIN_RESERVE_SECONDS);
	return work;
}

void plugin_answer_ready(void)
{
	signals_block();
	struct itimerval off = {{0, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &off, NULL);
}

_Noreturn void plugin_finish(struct plugin_run *r, struct result *root)
{
	/* The answer is ready: neither the last-resort timer nor a signal may cut its printing short
	 * or follow it with a second line. */
	plugin_answer_ready();
	struct output *o = render_output(r->info->check_name, root);
	result_free(root);
	release(r);
	output_exit(o);
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/* -v: how many attempts each request took (called from worker threads too: one whole line). */
static void trace_answered(const struct check_env *env, const char *operation, const struct aws_result *res)
{
	const struct plugin_run *r = env->hook_ctx;
	plugin_verbose(r, 1, "%s: %d attempt%s", operation, res->attempts, plural(res->attempts));
}

void plugin_check_env(const struct plugin_run *r, struct check_env *env)
{
	*env = (struct check_env){.started = r->now, .timeout = r->opts.timeout,
				  .timeout_state = r->opts.timeout_state, .answered = trace_answered,
				  .hook_ctx = (void *)r};
}

/*
 * The table as the check needs it: GetTable turns a name into an ARN, or an ARN into
 * namespace and name. NULL, or a failure result in *failure.
 */
static int resolve_table(struct plugin_run *r, const struct check_def *def, const struct check_env *env,
			 struct table_ref *ref, struct s3t_table *t, struct result **failure)
{
	*ref = (struct table_ref){.table_arn = r->opts.table_arn, .bucket_arn = r->target.bucket.bucket_arn,
				  .namespace_name = r->target.namespace_name, .name = r->target.table_name};
	memset(t, 0, sizeof *t);
	int have = def->needs == CHECK_NEEDS_ARN ? r->target.by_arn : !r->target.by_arn;
	if (have)
		return 0;
	struct aws_result res;
	int rc = r->target.by_arn ? s3t_get_table(&r->client, r->opts.table_arn, NULL, NULL, NULL, t, &res)
				  : s3t_get_table(&r->client, NULL, ref->bucket_arn, ref->namespace_name, ref->name, t, &res);
	check_answered(env, "GetTable", &res);
	if (rc != AWS_OK) {
		*failure = check_failure("GetTable", rc, &res, *def->not_found_state, "table not found", NULL, env);
		aws_result_free(&res);
		return -1;
	}
	aws_result_free(&res);
	if (def->needs == CHECK_NEEDS_NAME) {
		ref->namespace_name = t->namespace_name;
		ref->name = t->name;
		plugin_verbose(r, 1, "GetTable: namespace %s, name %s", t->namespace_name, t->name);
		return 0;
	}
	struct arn check;
	char why[256];
	if (arn_parse_table(t->table_arn, &check, why, sizeof why)) {
		*failure = result_new();
		result_set_state(*failure, STATE_UNKNOWN);
		result_text(*failure, "GetTable returned a malformed response: tableARN: %s", why);
		return -1;
	}
	ref->table_arn = t->table_arn;
	return 0;
}

_Noreturn void plugin_check(struct plugin_run *r, const struct check_def *def)
{
	struct check_env env;
	plugin_check_env(r, &env);
	if (r->opts.all_tables)
		plugin_finish(r, fleet_run(r, def, &env));
	struct table_ref ref;
	struct s3t_table t;
	struct result *root = NULL;
	if (resolve_table(r, def, &env, &ref, &t, &root) == 0)
		root = def->check_table(&r->client, &ref, def->settings, &env);
	s3t_table_free(&t);
	plugin_finish(r, root);
}
