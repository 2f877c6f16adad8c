/*
 * limiter.h - the load limits one batch run (batch.h) shares between its worker threads:
 * how many requests are in flight, how many start per second, a shared pause after throttling
 * and the standard-mode retry quota. aws_client_get() consults it around every attempt when
 * struct aws_client's `limiter` is set; single-table runs leave it NULL and never get here.
 *
 * Contract (every function is thread-safe; one mutex, one condition variable on
 * CLOCK_MONOTONIC):
 *  - limiter_new(): max_concurrency 1..LIMITER_MAX_CONCURRENCY, max_rate >= 0 (0 = no cap),
 *    retry_quota 0 = RETRY_QUOTA_INITIAL (500), else that many tokens (> 0; tests use 5);
 *    random01 = the jitter for the shared pause (NULL: backoff_jitter01). NULL + err on bad
 *    options or when the mutex cannot be made.
 *  - limiter_enter(): blocks until this attempt may start: no shared pause is running, fewer
 *    attempts are in flight than the current allowance, and (with max_rate) the attempt's slot
 *    in a strict schedule of one start every 1/max_rate s has come. Returns 0 (the attempt now
 *    counts as in flight; call limiter_leave() exactly once) or -1 when the deadline (may be
 *    NULL: none) is reached first or the slot lies past it (nothing counted; from then on
 *    limiter_out_of_time() is 1: the batch takes no new item).
 *  - limiter_leave(): the attempt ended. LIMITER_THROTTLED (429, 503, a throttling code:
 *    retry_is_throttling()) halves the allowance (at least 1; once per round: attempts that
 *    started before the last cut do not cut again) and pauses every new start for
 *    retry_backoff_seconds(k, random01()), k = throttles in a row; LIMITER_SERVED (any other
 *    complete response a retry would not change: 2xx, 4xx) ends the row and, after
 *    LIMITER_RECOVER_AFTER in a row, raises the allowance by 1 up to max_concurrency;
 *    LIMITER_FAILED (5xx that is not throttling, transport errors, timeouts) changes neither.
 *  - limiter_take_retry(cost): 1 and the tokens are spent when the quota can pay cost,
 *    else 0 (do not retry; counted as refused). limiter_refund(last_cost): after a success,
 *    returns last_cost (0 = the request needed no retry: RETRY_QUOTA_SUCCESS_REFUND), capped at
 *    the initial size.
 *  - limiter_get_stats(): a consistent snapshot.
 */
#ifndef S3T_LIMITER_H
#define S3T_LIMITER_H

#include <stddef.h>

#include "deadline.h"

#define LIMITER_MAX_CONCURRENCY 32
#define LIMITER_RECOVER_AFTER 10

struct limiter_options {
	int max_concurrency;
	double max_rate;
	int retry_quota;
	double (*random01)(void);
};

enum limiter_outcome { LIMITER_SERVED, LIMITER_THROTTLED, LIMITER_FAILED };

/* Filled by limiter_enter(), handed back to limiter_leave(). */
struct limiter_ticket {
	double started; /* CLOCK_MONOTONIC seconds when the attempt was let through */
};

struct limiter_stats {
	size_t attempts;         /* attempts let through */
	size_t throttled;        /* LIMITER_THROTTLED outcomes */
	size_t retries;          /* retries the quota paid for */
	size_t retries_refused;  /* retries the quota could not pay */
	int quota_left;
	int allowance;           /* attempts allowed in flight now */
	int allowance_min;       /* the lowest it went */
	int max_in_flight;       /* the most attempts that were in flight at once */
};

struct limiter;

struct limiter *limiter_new(const struct limiter_options *o, char *err, size_t errsz);
void limiter_free(struct limiter *l);
int limiter_enter(struct limiter *l, const struct deadline *dl, struct limiter_ticket *t);
void limiter_leave(struct limiter *l, const struct limiter_ticket *t, enum limiter_outcome o);
int limiter_take_retry(struct limiter *l, int cost);
void limiter_refund(struct limiter *l, int last_cost);
void limiter_get_stats(struct limiter *l, struct limiter_stats *s);
int limiter_out_of_time(struct limiter *l);

#endif
