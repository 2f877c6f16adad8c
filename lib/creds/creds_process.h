/*
 * creds_process.h - credentials from an external command (profile "credential_process").
 *
 * Contract:
 *  - creds_run_process() runs command with /bin/sh -c (as the AWS CLI does on POSIX),
 *    stdin from /dev/null, in its own process group, with every other descriptor closed.
 *    stdout is captured (at most CREDS_PROCESS_MAX_OUTPUT bytes, more is an error);
 *    stderr is drained; its first non-blank line (control characters replaced, cut at
 *    CREDS_PROCESS_STDERR_SHOWN bytes) is shown when the command fails, as botocore does.
 *  - No process outlives the plugin: a small supervisor (a forked child, in a group of its
 *    own) starts the helper in another group and SIGKILLs that whole group when the helper
 *    exits or when its lifeline pipe from the plugin reads end-of-file: the plugin closes
 *    it at the deadline, and the kernel closes it however the plugin ends (SIGTERM, or
 *    SIGKILL to the plugin's whole process group, as a monitoring core does on its own
 *    timeout). The shell also has PR_SET_PDEATHSIG(SIGKILL) should the supervisor vanish.
 *  - The run is bounded by ctx->deadline (30 s when NULL): when it runs out the whole
 *    helper group gets SIGKILL and the result is "credential_process timed out".
 *  - Success needs exit status 0 and a JSON object on stdout with "Version": 1,
 *    non-empty string "AccessKeyId" and "SecretAccessKey", optional string
 *    "SessionToken" and optional "Expiration" (ISO 8601; one at or before ctx->now is an
 *    error). out->source is "credential-process".
 *  - Returns 0 with *out filled, or -1 with a reason in err, prefixed with
 *    "<source_label>: " when a label is given, e.g. "profile 'x': credential_process
 *    exited with status 3: <its stderr's first line>". Reasons never contain the
 *    command's stdout nor any credential value it returned.
 *  - creds_process_parse() is the pure JSON part, exposed for tests.
 */
#ifndef S3T_CREDS_PROCESS_H
#define S3T_CREDS_PROCESS_H

#include <stddef.h>

#include "credentials.h"

#define CREDS_PROCESS_MAX_OUTPUT ((size_t)64 * 1024)
#define CREDS_PROCESS_STDERR_KEPT 4096   /* bytes of stderr kept to find its first line */
#define CREDS_PROCESS_STDERR_SHOWN 200   /* bytes of that line shown at most */

int creds_run_process(const struct creds_context *ctx, const char *command, const char *source_label,
		      struct creds *out, char *err, size_t errsz);

/* The first non-blank line of text (len bytes), sanitized and cut; "" when there is none. */
void creds_process_stderr_line(const char *text, size_t len, char *out, size_t outsz);

int creds_process_parse(const char *json, size_t len, double now, struct creds *out, char *err, size_t errsz);

#endif
