/*
 * fleet_run.h - every table of a bucket in one run (--all-tables).
 *
 * Contract: fleet_run() lists the table bucket the options name (ListTables,
 * every page, the --namespace filter and the --include/--exclude regexes),
 * then runs the check's check_table() on each table through batch_run()
 * (--parallel requests in flight on kept-alive connections, --max-rate, the
 * run's one deadline, throttling that slows the whole run, one retry quota),
 * and folds the tables' results (fleet.h). It returns the tree to render; it
 * never exits. A failed listing is the result a failed single-table request
 * gives (404: --not-found-state); no table left after filtering is UNKNOWN,
 * saying so; a bad regex is UNKNOWN naming the option.
 */
#ifndef S3T_FLEET_RUN_H
#define S3T_FLEET_RUN_H

#include "check.h"
#include "result.h"

struct plugin_run;

struct result *fleet_run(struct plugin_run *r, const struct check_def *def, const struct check_env *env);

#endif
