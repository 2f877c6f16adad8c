/*
 * result.h - a check result as a tree of subchecks.
 *
 * Contract:
 * - A node has a state, one line of text, perfdata items and children. Its
 *   state is the worst (state_worst: CRITICAL > UNKNOWN > WARNING > OK) of its
 *   counting children and of what result_raise() added, unless it was set
 *   with result_set_state(); a node with none of these is OK. A node that lost facts to a
 *   failed allocation (in it or below it) is at least UNKNOWN, and the
 *   renderer says the output is incomplete: nothing is lost silently.
 * - A child's mark says how the renderer shows it and whether it counts:
 *   RESULT_MARK_STATE   "[STATE] text", counts towards the parent's state;
 *   RESULT_MARK_NONE    "text", informational, does not count;
 *   RESULT_MARK_NOT_CHECKED "[not checked] text", does not count.
 * - Texts are stored as given (cut at RESULT_TEXT_MAX bytes); the renderer
 *   (render.h) sanitizes them and applies output.h's caps. Perfdata values are
 *   stored raw and validated when rendered (output.h's rules: an item that
 *   is not valid there is left out).
 * - Memory: result_new() returns a tree owned by the caller; result_free()
 *   frees the node and everything below it. Children belong to their parent.
 *   Every function accepts a NULL node and then does nothing (result_child
 *   on NULL returns NULL), so a chain of calls needs no checks; an
 *   allocation failure marks the nearest existing node instead.
 * - Pure: no I/O, no globals, no exit.
 */
#ifndef S3T_RESULT_H
#define S3T_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "state.h"

#define RESULT_TEXT_MAX 4096

enum result_mark { RESULT_MARK_STATE, RESULT_MARK_NONE, RESULT_MARK_NOT_CHECKED };

struct result_perf {
	char *label;
	int is_double;
	int64_t value_i64;
	double value_double;
	char uom[4];
	char *warn, *crit;          /* range text or NULL */
	int has_min, has_max;
	int64_t min_i64, max_i64;   /* for integer items */
	double min_double, max_double;
};

struct result {
	char *text;
	enum mp_state state;        /* with state_set: the state, children ignored */
	int state_set;
	enum mp_state raised;       /* the node's own contribution (result_raise), OK by default */
	enum result_mark mark;
	int oom;                    /* an allocation failed here or below */
	const char *not_applicable; /* static reason ("not replicated") when the check does not apply, else NULL */
	int timed_out;              /* the run's deadline cut this check short: it was not done */
	struct result_perf *perf;
	size_t nperf, perf_cap;
	struct result **child;
	size_t nchild, child_cap;
	struct result *parent;
};

struct result *result_new(void);
void result_free(struct result *r);

/* A new last child of parent, with the given mark. NULL (parent marked) if out of memory. */
struct result *result_child(struct result *parent, enum result_mark mark);

/* Move child (a root, e.g. from an evaluator) under parent; on failure child is freed and parent marked. */
void result_adopt(struct result *parent, struct result *child, enum result_mark mark);

/* Replace the text. */
void result_text(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Set the state (it then no longer follows the children). */
void result_set_state(struct result *r, enum mp_state s);
/* Add a state of the node's own (a table-level rule): its state is then the worst of this and its children. */
void result_raise(struct result *r, enum mp_state s);

/* The node's state, per the rules above. */
enum mp_state result_state(const struct result *r);

/* Append a perfdata item (see output.h for labels, UOMs and ranges). min/max may be NULL. */
void result_perf_i64(struct result *r, const char *label, int64_t value, const char *uom, const char *warn,
		     const char *crit, const int64_t *min, const int64_t *max);
void result_perf_double(struct result *r, const char *label, double value, const char *uom, const char *warn,
			const char *crit, const double *min, const double *max);

/* Drop the node's own perfdata items (a fleet keeps a table's lines, not its metrics). */
void result_clear_perf(struct result *r);

#endif
