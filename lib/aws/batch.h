/*
 * batch.h - run one function per item (e.g. one status request per table of a bucket) on a
 * small pool of worker threads, within the run's limits: --parallel requests in flight,
 * --max-rate requests per second, one deadline, and throttling / retry quota shared by the run
 * (limiter.h).
 *
 * Contract:
 *  - batch_run() calls fn(c, i, arg) once for each i = 0..n-1 that is started, in index order of
 *    starting, at most o->parallel at once, from min(parallel, n) worker threads. Each worker
 *    has its own copy of *proto whose `http` is the worker's own http_client (made from
 *    http_opts, one libcurl handle: its keep-alive connection is reused for every item, so a
 *    run opens at most `parallel` connections to one endpoint) and whose `limiter` is the run's.
 *    The first worker uses proto->http itself when it is set (the caller must not use it until
 *    batch_run returns), so the connection of an earlier request (the listing) is reused too.
 *    creds, region, endpoint and deadline are shared and only read; proto->limiter is not
 *    used. fn may make several requests; it must write only to item i's part of arg (and its
 *    own locals): items run concurrently.
 *  - Deadline (proto->deadline, may be NULL): workers take no new item once less than
 *    BATCH_MIN_START_SECONDS of it remain (no request could complete in that), nor once the
 *    limiter found that the next --max-rate slot lies past it; items not started are not run
 *    (fn is never called for them: the caller's "not checked" mark stays). A request in flight
 *    ends at the deadline as in single-table mode (AWS_TIMEOUT), as does an item's attempt that
 *    was still waiting for the limiter.
 *  - The engine's memory is O(parallel), not O(n). The workers block every asynchronous
 *    signal, so the plugin's last-resort SIGALRM (and SIGINT/SIGTERM) reach the calling
 *    thread; the calling thread's mask is left as it was. libcurl's global state is set up in
 *    the calling thread before any worker starts (all handles are made before, and freed after,
 *    the workers run).
 *  - Returns 0 once every started item has finished (also when items failed), -1 with err
 *    (nothing run) on bad options (parallel outside 1..BATCH_MAX_PARALLEL, max_rate negative or
 *    not finite, no proto/fn) or when the pool cannot start (no handle, no thread).
 *  - o->stats (may be NULL) receives counts for the caller and the tests; at -v
 *    (proto->trace level >= 1) they are also traced as one "batch: ..." line at the end.
 */
#ifndef S3T_BATCH_H
#define S3T_BATCH_H

#include <stddef.h>

#include "aws_client.h"
#include "http.h"
#include "limiter.h"

#define BATCH_MAX_PARALLEL LIMITER_MAX_CONCURRENCY
#define BATCH_DEFAULT_PARALLEL 4
#define BATCH_MIN_START_SECONDS 0.01

struct batch_stats {
	size_t started;        /* items fn was called for */
	int workers;           /* threads that ran */
	struct limiter_stats limits; /* attempts, throttling, retry quota, concurrency */
};

struct batch_options {
	int parallel;      /* 1..32 workers, each with its own keep-alive HTTP handle */
	double max_rate;   /* requests (attempts) per second across the whole run; 0 = no cap */
	int retry_quota;   /* initial tokens of the shared quota; 0 = RETRY_QUOTA_INITIAL (500) */
	struct batch_stats *stats; /* out, may be NULL */
};

/* Called on a worker thread for item i with that worker's client. */
typedef void (*batch_item_fn)(const struct aws_client *c, size_t i, void *arg);

int batch_run(const struct aws_client *proto, const struct http_options *http_opts,
	      const struct batch_options *o, size_t n, batch_item_fn fn, void *arg,
	      char *err, size_t errsz);

#endif
