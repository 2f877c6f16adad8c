/*
 * creds_process.h - credentials from an external command (profile "credential_process").
 *
 * Contract:
 *  - creds_run_process() runs command with /bin/sh -c (as the AWS CLI does on POSIX),
 *    stdin from /dev/null, in its own process group, with every other descriptor closed.
 *    stdout is captured (at most CREDS_PROCESS_MAX_OUTPUT bytes, more is an error);
 *    stderr is drained and discarded: it is never shown, since it may hold secrets.
 *  - The run is bounded by ctx->deadline (30 s when NULL): when it runs out the whole
 *    process group gets SIGKILL and the result is "credential_process timed out".
 *  - Success needs exit status 0 and a JSON object on stdout with "Version": 1,
 *    non-empty string "AccessKeyId" and "SecretAccessKey", optional string
 *    "SessionToken" and optional "Expiration" (ISO 8601; one at or before ctx->now is an
 *    error). out->source is "credential-process".
 *  - Returns 0 with *out filled, or -1 with a reason in err, prefixed with
 *    "<source_label>: " when a label is given, e.g. "profile 'x': credential_process
 *    exited with status 3". Reasons never contain the output or stderr of the command,
 *    nor any credential value.
 *  - creds_process_parse() is the pure JSON part, exposed for tests.
 */
#ifndef S3T_CREDS_PROCESS_H
#define S3T_CREDS_PROCESS_H

#include <stddef.h>

#include "credentials.h"

#define CREDS_PROCESS_MAX_OUTPUT ((size_t)64 * 1024)

int creds_run_process(const struct creds_context *ctx, const char *command, const char *source_label,
		      struct creds *out, char *err, size_t errsz);

int creds_process_parse(const char *json, size_t len, double now, struct creds *out, char *err, size_t errsz);

#endif
