/*
 * plugin.h - the run every plugin shares: options → resolve → credentials →
 * client, and what each failure of a request becomes.
 *
 * Contract: plugin_start() parses the command line (options.h), starts the
 * run's single deadline (-t), arms a last-resort timer just past it (so no
 * run can outlive -t by more than a second, whatever blocks) and the signal
 * handlers (signals.h: one UNKNOWN line naming the signal and the stage), resolves the
 * target (resolve.h), finds credentials (credentials.h) and prepares the
 * signed client. Any failure there prints one UNKNOWN line and exits 3.
 * plugin_fail() turns a failed request into the spec's answer and exits:
 *   NotFoundException            → not_found_state, with not_found_text;
 *   any other 404                → UNKNOWN: the endpoint did not know the
 *                                  operation (wrong path, not S3 Tables),
 *                                  naming the URL (aws_error_classify());
 *   other API errors (403 ...)   → UNKNOWN with code, message, HTTP status,
 *                                  request id and the number of attempts;
 *   transport failures           → UNKNOWN naming what failed and the host;
 *   deadline                     → the -t state, "timed out after N s" + stage;
 *   malformed responses          → UNKNOWN saying what was wrong.
 * plugin_table_arn() returns the table ARN, asking GetTable when the table
 * was named by bucket, namespace and name. plugin_end() frees everything and
 * exits with the output's state. verbose(r, level, ...) writes to stderr.
 */
#ifndef S3T_PLUGIN_H
#define S3T_PLUGIN_H

#include "aws_client.h"
#include "aws_config.h"
#include "credentials.h"
#include "deadline.h"
#include "http.h"
#include "options.h"
#include "output.h"
#include "resolve.h"
#include "s3tables.h"

struct plugin_run {
	const struct plugin_info *info;
	struct common_options opts;
	struct target target;
	struct creds creds;
	struct deadline deadline;
	struct http_client *http;
	struct aws_client client;
	struct output *out;
	struct aws_config *config;  /* the shared config files (possibly empty) */
	const char *profile;        /* the profile in use */
	double now;                 /* wall clock at the start, for ages */
};

void plugin_start(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv);

_Noreturn void plugin_fail(struct plugin_run *r, const char *operation, int outcome,
			   const struct aws_result *res, enum mp_state not_found_state,
			   const char *not_found_text);

/* After a request: ages are measured from when AWS answered; -v counts the attempts. */
void plugin_answered(struct plugin_run *r, const char *operation, const struct aws_result *res);

/* The table's ARN (GetTable when named); owned by r's caller: free() it. Exits on failure. */
char *plugin_table_arn(struct plugin_run *r, enum mp_state not_found_state);

_Noreturn void plugin_end(struct plugin_run *r);

void plugin_verbose(const struct plugin_run *r, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Perfdata threshold text for a duration range in seconds, or NULL when absent. */
const char *plugin_range_text(const struct range *r, int present, char *buf, size_t bufsz);

#endif
