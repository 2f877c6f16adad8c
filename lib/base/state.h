/*
 * state.h - the four monitoring-plugins service states.
 *
 * Contract: the numeric values are the plugin exit codes (0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN). state_worst() combines results by severity,
 * CRITICAL > UNKNOWN > WARNING > OK (Icinga's own severity order): a
 * destination whose status cannot be judged must not hide behind a mere
 * WARNING elsewhere, and nothing outranks a real CRITICAL. Pure functions.
 */
#ifndef S3T_STATE_H
#define S3T_STATE_H

enum mp_state {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *state_name(enum mp_state s);

/* The more severe of a and b (CRITICAL > UNKNOWN > WARNING > OK). */
enum mp_state state_worst(enum mp_state a, enum mp_state b);

/*
 * Parse a state given on the command line: a name (any case, "ok", "warning",
 * "critical", "unknown", also "warn"/"crit") or its number 0-3.
 * Returns 0 and sets *out, or -1 for anything else.
 */
int state_parse(const char *text, enum mp_state *out);

#endif
