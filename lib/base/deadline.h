/*
 * deadline.h - one monotonic deadline for the whole plugin run (-t/--timeout).
 *
 * Contract: deadline_start() records CLOCK_MONOTONIC "now + seconds" (a negative or NaN
 * budget counts as 0). deadline_remaining() returns the seconds left, never negative (0 once
 * expired). deadline_expired() is true once nothing remains. No allocation, no I/O; the
 * struct is a plain value owned by the caller and may be copied freely.
 */
#ifndef S3T_DEADLINE_H
#define S3T_DEADLINE_H

#include <time.h>

struct deadline {
	struct timespec end; /* CLOCK_MONOTONIC */
	double seconds;      /* the budget it was started with, for "timed out after N s" */
};

void deadline_start(struct deadline *d, double seconds);
double deadline_remaining(const struct deadline *d);
int deadline_expired(const struct deadline *d);

/* Move the end seconds earlier (a copy for work that must leave time for what follows it). */
void deadline_earlier(struct deadline *d, double seconds);

#endif
