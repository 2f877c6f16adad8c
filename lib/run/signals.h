/*
 * signals.h - how a run ends when a signal or the last-resort timer ends it.
 *
 * Contract: signals_install() arms the last-resort timer just past -t (so no run outlives
 * -t by more than a second, whatever blocks) and handles SIGTERM, SIGINT, SIGHUP, SIGQUIT
 * and SIGALRM. Each prints exactly one status line on stdout and exits at once:
 *   our own timer    → "S3TABLES <CHECK> <timeout state> - timed out after N s while <stage>",
 *                      exit with the -t state;
 *   any other signal → "S3TABLES <CHECK> UNKNOWN - ended by SIGTERM (sent by process N)
 *                      while <stage>", exit 3. A SIGALRM that someone else sent is such a
 *                      signal, never reported as a timeout.
 * Everything the handler prints is prepared beforehand; it only calls write() and _exit().
 * Children: the kernel closes the plugin's descriptors on exit, which is what tells a
 * credential_process supervisor to kill its helper (creds_process.h).
 * signals_stage() names what the run is doing (copied; cut at 200 bytes); the handler
 * reads whichever complete copy was published last. signals_block() holds the signals back
 * while the final output is written, so a result is never followed by a second line.
 */
#ifndef S3T_SIGNALS_H
#define S3T_SIGNALS_H

#include "state.h"

void signals_install(const char *check_name, double timeout, enum mp_state timeout_state);
void signals_stage(const char *stage);
void signals_block(void);

/* "SIGTERM" for SIGTERM ..., "signal N" for others (into buf). For messages and tests. */
const char *signals_name(int sig, char *buf, unsigned bufsz);

#endif
