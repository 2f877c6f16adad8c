/* batch.c - see batch.h. */
#include "batch.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "trace.h"

struct batch_shared {
	pthread_mutex_t mu;
	size_t next;                /* the next item to start (under mu) */
	size_t started;             /* under mu */
	size_t n;
	batch_item_fn fn;
	void *arg;
	const struct deadline *deadline;
	struct limiter *limiter;
};

struct worker {
	pthread_t thread;
	struct aws_client client;   /* the prototype with this worker's http handle */
	struct sigv4_key_cache key_cache; /* this worker's signing key, derived once a day */
	struct batch_shared *shared;
};

/* The next item index, or 0 with nothing when the run is done or out of time: the deadline is
 * (all but) reached, or the limiter found that no attempt fits before it any more. */
static int take_item(struct batch_shared *sh, size_t *i)
{
	int got = 0;
	pthread_mutex_lock(&sh->mu);
	if (sh->next < sh->n && !(sh->deadline && deadline_remaining(sh->deadline) < BATCH_MIN_START_SECONDS) &&
	    !limiter_out_of_time(sh->limiter)) {
		*i = sh->next++;
		sh->started++;
		got = 1;
	}
	pthread_mutex_unlock(&sh->mu);
	return got;
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	size_t i;
	while (take_item(w->shared, &i))
		w->shared->fn(&w->client, i, w->shared->arg);
	return NULL;
}

/* Every signal a worker must leave to the calling thread: all but the synchronous ones, which
 * the kernel sends to the faulting thread and which must not be blocked. */
static void worker_sigmask(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGTRAP);
}

static int check_options(const struct aws_client *proto, const struct batch_options *o, batch_item_fn fn,
			 char *err, size_t errsz)
{
	if (!proto || !o || !fn) {
		error_set(err, errsz, "internal error: batch run without a client, options or item function");
		return -1;
	}
	if (o->parallel < 1 || o->parallel > BATCH_MAX_PARALLEL) {
		error_set(err, errsz, "--parallel must be 1..%d, not %d", BATCH_MAX_PARALLEL, o->parallel);
		return -1;
	}
	if (!(o->max_rate >= 0) || isinf(o->max_rate)) {
		error_set(err, errsz, "--max-rate must be a finite number >= 0");
		return -1;
	}
	if (o->retry_quota < 0) {
		error_set(err, errsz, "internal error: negative retry quota");
		return -1;
	}
	return 0;
}

int batch_run(const struct aws_client *proto, const struct http_options *http_opts,
	      const struct batch_options *o, size_t n, batch_item_fn fn, void *arg,
	      char *err, size_t errsz)
{
	if (o && o->stats)
		memset(o->stats, 0, sizeof *o->stats);
	if (check_options(proto, o, fn, err, errsz) != 0)
		return -1;
	if (n == 0)
		return 0;

	int nworkers = (size_t)o->parallel < n ? o->parallel : (int)n;
	struct limiter_options lo = {.max_concurrency = nworkers, .max_rate = o->max_rate,
				     .retry_quota = o->retry_quota, .random01 = proto->random01};
	struct limiter *lim = limiter_new(&lo, err, errsz);
	if (!lim)
		return -1;
	struct worker *w = calloc((size_t)nworkers, sizeof *w);
	struct batch_shared sh = {.n = n, .fn = fn, .arg = arg, .deadline = proto->deadline, .limiter = lim};
	int ret = -1, made = 0, running = 0;
	if (!w) {
		error_set(err, errsz, "out of memory");
		goto out;
	}
	if (pthread_mutex_init(&sh.mu, NULL) != 0) {
		error_set(err, errsz, "cannot create a mutex");
		goto out;
	}
	/* Every handle before any thread: curl_global_init() runs here, once, in this thread. */
	for (made = 0; made < nworkers; made++) {
		w[made].client = *proto;
		w[made].client.limiter = lim;
		w[made].client.key_cache = &w[made].key_cache;
		w[made].shared = &sh;
		/* The first worker goes on with the caller's handle: the connection that listed the
		 * tables is reused, so a run opens at most `parallel` connections in all. */
		if (made == 0 && proto->http)
			continue;
		if (!(w[made].client.http = http_client_new(http_opts, err, errsz)))
			goto out_mu;
	}

	sigset_t block, old;
	worker_sigmask(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (running = 0; running < nworkers; running++)
		if (pthread_create(&w[running].thread, NULL, worker_main, &w[running]) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* Fewer threads than asked still run every item; none at all cannot. */
	if (running == 0)
		error_set(err, errsz, "cannot start a worker thread");
	for (int k = 0; k < running; k++)
		pthread_join(w[k].thread, NULL);
	if (running > 0)
		ret = 0;
	struct batch_stats st = {.started = sh.started, .workers = running};
	limiter_get_stats(lim, &st.limits);
	if (o->stats)
		*o->stats = st;
	trace_printf(proto->trace, 1,
			"batch: %zu of %zu items started on %d workers; %zu attempts, %zu throttled, %zu retries "
			"(%zu refused by the retry quota, %d tokens left), at most %d in flight, allowance down to %d",
			st.started, n, running, st.limits.attempts, st.limits.throttled, st.limits.retries,
			st.limits.retries_refused, st.limits.quota_left, st.limits.max_in_flight, st.limits.allowance_min);

out_mu:
	for (int k = proto->http ? 1 : 0; k < made; k++)
		http_client_free(w[k].client.http);
	for (int k = 0; k < made; k++)
		sigv4_key_cache_clear(&w[k].key_cache);
	pthread_mutex_destroy(&sh.mu);
out:
	free(w);
	limiter_free(lim);
	return ret;
}
