/*
 * fleet.h - many tables' results folded into one fleet result (--all-tables).
 *
 * Contract:
 * - fleet_new() prepares the fold for ntables tables (the listing after
 *   filtering); fleet_add() hands over table i's result tree (ownership
 *   passes; NULL means out of memory and counts as UNKNOWN). fleet_add() may
 *   be called from several threads at once. A table whose root has
 *   not_applicable set counts as not applicable and does not raise the state;
 *   one whose check timed_out counts as not checked, as does every table
 *   never added.
 * - Memory is bounded whatever ntables is: only the FLEET_KEEP worst tables'
 *   trees are kept (CRITICAL, UNKNOWN, WARNING, then OK, then not applicable;
 *   ties in listing order), the others are freed as they arrive, keeping only
 *   counts and the worst value of each fleet metric; per-table perfdata is
 *   kept for the first tables in listing order, up to output.h's cap.
 * - fleet_result() builds the tree to render:
 *     summary  "[timed out after N s: M of T tables checked; ]C of T tables
 *              critical (ns.t: <its summary>; ...), U unknown, W warning,
 *              K not replicated" (the worst category lists its tables), or
 *              "T of T tables OK" when all are;
 *     lines    one per non-OK table (every table with detail_all), worst
 *              first, "[STATE] ns.table: <summary>" with the table's own
 *              lines nested under it; "... N more tables" when the output
 *              cap is reached; then the counts of OK / not applicable / not
 *              checked tables;
 *     perfdata tables, ok, warning, critical, unknown, not_applicable,
 *              not_checked (min 0), the worst value of each metric of
 *              metrics (with the thresholds it was reported with), and with
 *              perfdata_per_table the tables' own items as ns.table::label.
 *   The state is the worst of the checked tables, and the timeout state when
 *   timed_out. No table at all is UNKNOWN, saying so.
 * - Pure apart from the mutex; fleet_free() releases everything not handed
 *   out.
 */
#ifndef S3T_FLEET_H
#define S3T_FLEET_H

#include <stddef.h>

#include "result.h"
#include "state.h"

#define FLEET_KEEP 100

/* A table metric whose worst (largest) value the fleet reports: "lag_max" → "lag_max"; prefix "age_" → "age_max_". */
struct fleet_metric {
	const char *table_label; /* exact label, or prefix when prefix is set */
	int prefix;
	const char *fleet_label; /* the fleet's label (or its prefix, followed by the rest of the table's label) */
};

struct fleet_options {
	int detail_all;
	int perfdata_per_table;
	const struct fleet_metric *metrics;
	size_t nmetrics;
};

struct fleet;

struct fleet *fleet_new(size_t ntables, const struct fleet_options *o);
void fleet_add(struct fleet *f, size_t index, const char *table_name, struct result *r);
struct result *fleet_result(struct fleet *f, int timed_out, double timeout, enum mp_state timeout_state);
void fleet_free(struct fleet *f);

#endif
