/*
 * backoff.h - the impure half of retrying (retry.h holds the pure rules):
 * a jitter source and a sleep.
 *
 * Contract: backoff_jitter01() returns a value in [0, 1), well spread across
 * calls, threads and processes (seeded from the clock, pid and thread; not a
 * secret); it is safe to call from several threads at once (per-thread state).
 * backoff_sleep() sleeps that many seconds, resuming after signals;
 * zero or negative returns at once. Callers clamp the time to the deadline
 * first (retry_sleep_within()).
 */
#ifndef S3T_BACKOFF_H
#define S3T_BACKOFF_H

double backoff_jitter01(void);
void backoff_sleep(double seconds);

#endif
