/*
 * render.h - a result tree (result.h) as plugin output (output.h).
 *
 * Contract: render_output() builds the output of one run from a tree:
 * - first line: the root's state and text (the summary) and the perfdata of
 *   every node, root first, depth first (the fleet puts per-table items on
 *   the tables);
 * - long output: each child of the root on a line of its own, "[STATE] text"
 *   (RESULT_MARK_STATE), "text" (RESULT_MARK_NONE) or "[not checked] text";
 *   their children nested one level deeper in monitoring-plugins' multi-line
 *   style, "    \_ [STATE] text", and so on.
 * All of output.h's guarantees hold (sanitizing, caps with "... N more
 * lines", perfdata grammar, C-locale numbers). A tree that lost facts to an
 * allocation failure renders as at least UNKNOWN with a note. Pure: returns
 * a new struct output owned by the caller (NULL if out of memory); printing is
 * the run layer's (output_exit).
 */
#ifndef S3T_RENDER_H
#define S3T_RENDER_H

#include "output.h"
#include "result.h"

struct output *render_output(const char *check_name, const struct result *root);

/* The same as text (malloc'd, caller frees); NULL if out of memory. For tests and fuzzing. */
char *render_text(const char *check_name, const struct result *root);

#endif
