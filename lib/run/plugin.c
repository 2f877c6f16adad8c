/* plugin.c - see plugin.h. */
#include "plugin.h"

#include "aws_config.h"
#include "signals.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

void plugin_verbose(const struct plugin_run *r, int level, const char *fmt, ...)
{
	if (r->opts.verbose < level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void release(struct plugin_run *r)
{
	creds_free(&r->creds);
	http_client_free(r->http);
	r->http = NULL;
	aws_config_free(r->config);
	r->config = NULL;
}

void plugin_start(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv)
{
	char err[768];
	struct timespec ts;

	memset(r, 0, sizeof *r);
	r->info = info;
	options_parse(info, argc, argv, &r->opts);
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
	signals_stage("resolving the table and endpoint");
	if (resolve_target_with_config(&r->opts, NULL, r->config, r->profile, &r->target, err, sizeof err)) {
		aws_config_free(r->config);
		output_die(info->check_name, STATE_UNKNOWN, "%s", err);
	}
	plugin_verbose(r, 1, "endpoint %s; region %s", r->target.endpoint_url, r->target.region);
	plugin_verbose(r, 2, "table %s; region %s (from %s); endpoint %s (from %s); max attempts %d",
		       r->target.table_label, r->target.region, r->target.region_source,
		       r->target.endpoint_url, r->target.endpoint_source, r->target.max_attempts);
	if (strncasecmp(r->target.endpoint_url, "http://", 7) == 0)
		plugin_verbose(r, 1, "warning: the endpoint is plain http://: requests, with their session tokens, "
			       "go unencrypted (in clear text)");

	struct http_options ho = {.ca_file = r->target.ca_file, .ca_path = r->target.ca_path,
				  .ca_file_source = r->target.ca_file_source,
				  .proxy = r->target.proxy, .verbose = r->opts.verbose};
	if (!(r->http = http_client_new(&ho, err, sizeof err))) {
		aws_config_free(r->config);
		output_die(info->check_name, STATE_UNKNOWN, "%s", err);
	}

	struct creds_context cc = {.profile = r->opts.profile, .config = r->config, .http = r->http,
				   .deadline = &r->deadline, .region = r->target.region, .now = r->now,
				   .verbose = r->opts.verbose, .no_cache = r->opts.no_credential_cache};
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
		.max_attempts = r->target.max_attempts, .verbose = r->opts.verbose,
	};
	if (!(r->out = output_new(info->check_name))) {
		release(r);
		output_die(info->check_name, STATE_UNKNOWN, "out of memory");
	}
	char stage[300];
	snprintf(stage, sizeof stage, "waiting for S3 Tables at %.200s", r->target.endpoint_url);
	signals_stage(stage);
}


_Noreturn void plugin_end(struct plugin_run *r)
{
	signals_block(); /* the result is written whole, never followed by a signal's line */
	release(r);
	output_exit(r->out);
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

_Noreturn void plugin_fail(struct plugin_run *r, const char *operation, int outcome,
			   const struct aws_result *res, enum mp_state not_found_state,
			   const char *not_found_text)
{
	const char *name = r->info->check_name;
	char desc[1400], secs[64];
	int n = res->attempts;

	signals_block();
	release(r);
	output_free(r->out);
	switch (outcome) {
	case AWS_API_ERROR:
		aws_error_describe(&res->error, desc, sizeof desc);
		switch (aws_error_classify(&res->error)) {
		case AWS_ERROR_NOT_FOUND:
			output_die(name, not_found_state, "%s%s%s: %s", not_found_text ? not_found_text : "",
				   not_found_text ? " - " : "", operation, desc);
		case AWS_ERROR_UNKNOWN_OPERATION: /* a wrong endpoint or path, not S3 Tables answering */
			output_die(name, STATE_UNKNOWN, "%s: the endpoint did not know the operation (%s): %s", operation,
				   res->url, desc);
		case AWS_ERROR_OTHER:
			break;
		}
		output_die(name, STATE_UNKNOWN, "%s failed: %s after %d attempt%s", operation, desc, n, plural(n));
	case AWS_TIMEOUT:
		output_format_double(r->opts.timeout, secs, sizeof secs);
		output_die(name, r->opts.timeout_state, "timed out after %s s during %s (%s; %d attempt%s)",
			   secs, operation, res->message, n, plural(n));
	case S3T_MALFORMED:
		output_die(name, STATE_UNKNOWN, "%s returned a %s", operation, res->message);
	default:
		output_die(name, STATE_UNKNOWN, "%s failed: %s after %d attempt%s", operation, res->message, n,
			   plural(n));
	}
}

void plugin_answered(struct plugin_run *r, const char *operation, const struct aws_result *res)
{
	if (res->received_at > 0)
		r->now = res->received_at;
	plugin_verbose(r, 1, "%s: %d attempt%s", operation, res->attempts, plural(res->attempts));
	char stage[128];
	snprintf(stage, sizeof stage, "evaluating the answer to %s", operation);
	signals_stage(stage);
}

char *plugin_table_arn(struct plugin_run *r, enum mp_state not_found_state)
{
	if (r->target.by_arn) {
		char *arn = strdup(r->opts.table_arn);
		if (!arn)
			output_die(r->info->check_name, STATE_UNKNOWN, "out of memory");
		return arn;
	}
	struct s3t_table t;
	struct aws_result res;
	int rc = s3t_get_table(&r->client, NULL, r->target.bucket.bucket_arn, r->target.namespace_name,
			       r->target.table_name, &t, &res);
	plugin_answered(r, "GetTable", &res);
	if (rc != AWS_OK) {
		s3t_table_free(&t);
		aws_result_free(&res);
		plugin_fail(r, "GetTable", rc, &res, not_found_state, "table not found");
	}
	aws_result_free(&res);
	struct arn check;
	char why[256];
	if (arn_parse_table(t.table_arn, &check, why, sizeof why)) {
		s3t_table_free(&t);
		release(r);
		output_die(r->info->check_name, STATE_UNKNOWN, "GetTable returned a malformed response: tableARN: %s", why);
	}
	char *arn = t.table_arn;
	t.table_arn = NULL;
	s3t_table_free(&t);
	return arn;
}

const char *plugin_range_text(const struct range *rg, int present, char *buf, size_t bufsz)
{
	if (!present || range_format(rg, buf, bufsz) != 0)
		return NULL;
	return buf;
}
