/*
 * check.h - what a check is to the run layer, and failed requests as results.
 *
 * Contract:
 * - A check (struct check_def) checks one table: its check_table() fetches
 *   what it needs through the given client and returns a result tree (the
 *   table's summary at the root); it never exits and never prints. The same
 *   function serves a single-table run and every table of a fleet run, on
 *   any worker thread: it must only read the settings and the environment.
 * - struct table_ref names the table: its ARN, and its bucket ARN, namespace
 *   and name when known (a fleet run knows all four from ListTables).
 * - check_failure() turns a failed request into the result the spec's
 *   failure table prescribes:
 *     AWS NotFoundException (404)  → not_found_state, "<not_found_text> - <op>: <error>";
 *                                   root not_applicable = not_found_na (may be NULL);
 *     any other 404                → UNKNOWN, "<op>: the endpoint did not know the operation
 *                                   (<URL>): <error>" (aws_error_classify(): a wrong path or
 *                                   not S3 Tables at all; nothing is known about the table);
 *     other API errors (403 ...)   → UNKNOWN, "<op> failed: <code, message, HTTP status,
 *                                   request id> after N attempts";
 *     deadline                     → the -t state, "timed out after N s during <op> (...)";
 *     malformed responses          → UNKNOWN, "<op> returned a <what was wrong>";
 *     transport failures           → UNKNOWN, "<op> failed: <what, on which host> after N attempts".
 *   Nothing secret is in any of these texts (aws_client.h promises it of its messages).
 * - check_now(): the instant ages are measured against: when AWS answered,
 *   else the start of the run.
 * Pure: no I/O, no globals (env->answered is the run layer's hook for -v).
 */
#ifndef S3T_CHECK_H
#define S3T_CHECK_H

#include "aws_client.h"
#include "fleet.h"
#include "result.h"
#include "state.h"

struct table_ref {
	const char *table_arn;      /* NULL when only named */
	const char *bucket_arn;
	const char *namespace_name; /* NULL when only the ARN is known */
	const char *name;
};

struct check_env {
	double started;             /* wall clock at the start of the run */
	double timeout;             /* -t seconds */
	enum mp_state timeout_state;
	/* Called after every request (for -v); may be NULL. Must be thread-safe. */
	void (*answered)(const struct check_env *env, const char *operation, const struct aws_result *res);
	void *hook_ctx;             /* for answered() */
};

enum check_needs { CHECK_NEEDS_ARN, CHECK_NEEDS_NAME };

struct check_def {
	const char *check_name;     /* "REPLICATION" */
	enum check_needs needs;     /* what check_table() uses from table_ref */
	struct result *(*check_table)(const struct aws_client *c, const struct table_ref *t, const void *settings,
				      const struct check_env *env);
	const void *settings;
	const enum mp_state *not_found_state; /* for a GetTable that finds no table */
	const struct fleet_metric *fleet_metrics; /* the table metrics whose worst value a fleet run reports */
	size_t nfleet_metrics;
};

struct result *check_failure(const char *operation, int outcome, const struct aws_result *res,
			     enum mp_state not_found_state, const char *not_found_text, const char *not_found_na,
			     const struct check_env *env);

/* 1 when res is AWS's NotFoundException (the resource or configuration does not exist). */
int check_is_not_found(int outcome, const struct aws_result *res);

double check_now(const struct check_env *env, const struct aws_result *res);

/* Report a request to env->answered, if set. */
void check_answered(const struct check_env *env, const char *operation, const struct aws_result *res);

#endif
