/* state.c - see state.h. */
#include "state.h"

#include <string.h>
#include <strings.h>

const char *state_name(enum mp_state s)
{
	switch (s) {
	case STATE_OK: return "OK";
	case STATE_WARNING: return "WARNING";
	case STATE_CRITICAL: return "CRITICAL";
	default: return "UNKNOWN";
	}
}

static int severity(enum mp_state s)
{
	switch (s) {
	case STATE_OK: return 0;
	case STATE_WARNING: return 1;
	case STATE_UNKNOWN: return 2;
	default: return 3; /* CRITICAL */
	}
}

enum mp_state state_worst(enum mp_state a, enum mp_state b)
{
	return severity(a) >= severity(b) ? a : b;
}

int state_parse(const char *text, enum mp_state *out)
{
	static const struct { const char *name; enum mp_state state; } names[] = {
		{"ok", STATE_OK}, {"0", STATE_OK},
		{"warning", STATE_WARNING}, {"warn", STATE_WARNING}, {"1", STATE_WARNING},
		{"critical", STATE_CRITICAL}, {"crit", STATE_CRITICAL}, {"2", STATE_CRITICAL},
		{"unknown", STATE_UNKNOWN}, {"3", STATE_UNKNOWN},
	};
	if (!text)
		return -1;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcasecmp(text, names[i].name) == 0) {
			*out = names[i].state;
			return 0;
		}
	}
	return -1;
}
