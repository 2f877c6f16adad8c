/*
 * plugin.h - the run every plugin shares: options → resolve → credentials →
 * client, the check, the final print and exit.
 *
 * Contract: plugin_start() parses the command line (options.h), starts the
 * run's single deadline (-t), arms a last-resort timer just past it (so no
 * run can outlive -t by more than a second, whatever blocks) and the signal
 * handlers (signals.h: one UNKNOWN line naming the signal and the stage), resolves the
 * target (resolve.h), finds credentials (credentials.h) and prepares the
 * signed client. Any failure there prints one UNKNOWN line and exits 3.
 * plugin_check() runs a check (check.h) on the table the options name
 * (asking GetTable first when the check needs what the options lack),
 * renders its result tree (render.h), prints it and exits with its state:
 * this is the run layer, the one place that exits after start-up. Failed
 * requests arrive as results (check_failure), never as exits.
 * plugin_verbose(r, level, ...) writes one -v line through r->trace (trace.h).
 */
#ifndef S3T_PLUGIN_H
#define S3T_PLUGIN_H

#include "aws_client.h"
#include "check.h"
#include "aws_config.h"
#include "credentials.h"
#include "deadline.h"
#include "http.h"
#include "options.h"
#include "output.h"
#include "resolve.h"
#include "result.h"
#include "s3tables.h"
#include "trace.h"

struct plugin_run {
	const struct plugin_info *info;
	struct common_options opts;
	struct target target;
	struct creds creds;
	struct deadline deadline;
	struct http_client *http;
	struct http_options http_opts; /* how http was made (a fleet run makes one per worker) */
	struct aws_client client;
	struct aws_config *config;  /* the shared config files (possibly empty) */
	const char *profile;        /* the profile in use */
	double now;                 /* wall clock at the start, for ages */
	struct trace trace;         /* the -v sink (stderr), handed to everything that traces */
	int out_fd;                 /* the real stdout (options_divert_stdout) */
};

void plugin_start(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv);

/*
 * plugin_start() in two pieces, for a program that resolves its own targets
 * (s3tables-discover): plugin_begin() parses the options, starts the deadline
 * and the last-resort timer and loads the shared config files;
 * plugin_connect() then makes the HTTP client (r->target's trust store and
 * proxy), finds credentials and prepares r->client for r->target. Both exit
 * with one UNKNOWN line on failure. plugin_release() frees what they made.
 */
void plugin_begin(struct plugin_run *r, const struct plugin_info *info, int argc, char **argv);
void plugin_connect(struct plugin_run *r);
void plugin_release(struct plugin_run *r);

/* The deadline for the requests of a run that still has to fold, print or write its answer
 * after them: 5% of -t, at most 0.25 s, before the run's deadline. */
struct deadline plugin_work_deadline(const struct plugin_run *r);

/* The answer is ready: stop the last-resort timer so it cannot cut the printing (or a
 * discovery's write of its file) short. */
void plugin_answer_ready(void);

/* Check the table the options name with def (GetTable first when needed), render, exit. */
_Noreturn void plugin_check(struct plugin_run *r, const struct check_def *def);

/* The evaluation environment of this run (start time, -t, the -v hook). */
void plugin_check_env(const struct plugin_run *r, struct check_env *env);

/* Render root (which may be NULL: out of memory), free everything, print, exit with its state. */
_Noreturn void plugin_finish(struct plugin_run *r, struct result *root);

void plugin_verbose(const struct plugin_run *r, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
