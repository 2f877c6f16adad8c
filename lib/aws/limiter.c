/* limiter.c - see limiter.h. */
#include "limiter.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backoff.h"
#include "error.h"
#include "retry.h"

struct limiter {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int max_concurrency;
	double interval;       /* 1 / max_rate, 0 = no cap */
	double (*random01)(void);
	/* under mu: */
	int allowance;
	int in_flight;
	int served_in_a_row;
	int throttled_rounds;  /* cuts in a row, for the pause's exponential growth */
	double last_cut;       /* when the allowance was last halved (monotonic s), -inf before */
	double pause_until;    /* no new start before this */
	double next_slot;      /* the rate schedule: the earliest start of the next attempt */
	int quota, quota_max;
	int out_of_time;       /* an attempt could not start before the deadline */
	struct limiter_stats st;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double deadline_end(const struct deadline *dl)
{
	return dl ? (double)dl->end.tv_sec + (double)dl->end.tv_nsec / 1e9 : INFINITY;
}

static struct timespec to_timespec(double t)
{
	struct timespec ts;
	double whole = floor(t);
	ts.tv_sec = (time_t)whole;
	ts.tv_nsec = (long)((t - whole) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

struct limiter *limiter_new(const struct limiter_options *o, char *err, size_t errsz)
{
	if (!o || o->max_concurrency < 1 || o->max_concurrency > LIMITER_MAX_CONCURRENCY) {
		error_set(err, errsz, "concurrency must be 1..%d", LIMITER_MAX_CONCURRENCY);
		return NULL;
	}
	if (o->retry_quota < 0) {
		error_set(err, errsz, "the retry quota must be >= 0");
		return NULL;
	}
	if (!(o->max_rate >= 0) || isinf(o->max_rate)) {
		error_set(err, errsz, "the request rate must be a finite number >= 0");
		return NULL;
	}
	struct limiter *l = calloc(1, sizeof *l);
	if (!l) {
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	pthread_condattr_t ca;
	int cond_ok = 0;
	if (pthread_condattr_init(&ca) == 0) {
		cond_ok = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 && pthread_cond_init(&l->cv, &ca) == 0;
		pthread_condattr_destroy(&ca);
	}
	if (!cond_ok) {
		free(l);
		error_set(err, errsz, "cannot create a condition variable");
		return NULL;
	}
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		pthread_cond_destroy(&l->cv);
		free(l);
		error_set(err, errsz, "cannot create a mutex");
		return NULL;
	}
	l->max_concurrency = l->allowance = o->max_concurrency;
	l->interval = o->max_rate > 0 ? 1.0 / o->max_rate : 0;
	l->random01 = o->random01 ? o->random01 : backoff_jitter01;
	l->last_cut = -INFINITY;
	l->quota = l->quota_max = o->retry_quota > 0 ? o->retry_quota : RETRY_QUOTA_INITIAL;
	l->st.allowance_min = l->allowance;
	return l;
}

void limiter_free(struct limiter *l)
{
	if (!l)
		return;
	pthread_cond_destroy(&l->cv);
	pthread_mutex_destroy(&l->mu);
	free(l);
}

/* Wait on the condition variable until woken or until (monotonic) time t. Called with mu held. */
static void wait_until(struct limiter *l, double t)
{
	if (isinf(t)) {
		pthread_cond_wait(&l->cv, &l->mu);
		return;
	}
	struct timespec ts = to_timespec(t);
	pthread_cond_timedwait(&l->cv, &l->mu, &ts);
}

int limiter_enter(struct limiter *l, const struct deadline *dl, struct limiter_ticket *t)
{
	double end = deadline_end(dl), now, slot;
	pthread_mutex_lock(&l->mu);
	for (;;) {
		now = mono_now();
		if (now >= end) {
			l->out_of_time = 1;
			pthread_mutex_unlock(&l->mu);
			return -1;
		}
		if (now < l->pause_until)
			wait_until(l, l->pause_until < end ? l->pause_until : end);
		else if (l->in_flight >= l->allowance)
			wait_until(l, end);
		else
			break;
	}
	slot = l->next_slot > now ? l->next_slot : now;
	if (slot >= end) {
		l->out_of_time = 1;
		pthread_mutex_unlock(&l->mu);
		return -1;
	}
	if (l->interval > 0)
		l->next_slot = slot + l->interval;
	l->in_flight++;
	l->st.attempts++;
	if (l->in_flight > l->st.max_in_flight)
		l->st.max_in_flight = l->in_flight;
	t->started = slot;
	pthread_mutex_unlock(&l->mu);

	/* Our slot in the rate schedule (holding our place in flight: conservative). */
	if (slot > now) {
		struct timespec ts = to_timespec(slot);
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	return 0;
}

void limiter_leave(struct limiter *l, const struct limiter_ticket *t, enum limiter_outcome o)
{
	pthread_mutex_lock(&l->mu);
	l->in_flight--;
	switch (o) {
	case LIMITER_THROTTLED:
		l->st.throttled++;
		l->served_in_a_row = 0;
		/* One cut per round: the attempts already in flight at the last cut saw the old load. */
		if (t->started >= l->last_cut) {
			double now = mono_now();
			l->allowance = l->allowance > 1 ? l->allowance / 2 : 1;
			if (l->allowance < l->st.allowance_min)
				l->st.allowance_min = l->allowance;
			l->last_cut = now;
			l->throttled_rounds++;
			double pause = retry_backoff_seconds(l->throttled_rounds, l->random01());
			if (now + pause > l->pause_until)
				l->pause_until = now + pause;
		}
		break;
	case LIMITER_SERVED:
		l->throttled_rounds = 0;
		if (++l->served_in_a_row >= LIMITER_RECOVER_AFTER) {
			l->served_in_a_row = 0;
			if (l->allowance < l->max_concurrency)
				l->allowance++;
		}
		break;
	case LIMITER_FAILED:
		break;
	}
	pthread_cond_broadcast(&l->cv);
	pthread_mutex_unlock(&l->mu);
}

int limiter_take_retry(struct limiter *l, int cost)
{
	int ok;
	pthread_mutex_lock(&l->mu);
	ok = l->quota >= cost;
	if (ok) {
		l->quota -= cost;
		l->st.retries++;
	} else {
		l->st.retries_refused++;
	}
	pthread_mutex_unlock(&l->mu);
	return ok;
}

void limiter_refund(struct limiter *l, int last_cost)
{
	pthread_mutex_lock(&l->mu);
	l->quota += last_cost > 0 ? last_cost : RETRY_QUOTA_SUCCESS_REFUND;
	if (l->quota > l->quota_max)
		l->quota = l->quota_max;
	pthread_mutex_unlock(&l->mu);
}

void limiter_get_stats(struct limiter *l, struct limiter_stats *s)
{
	pthread_mutex_lock(&l->mu);
	*s = l->st;
	s->quota_left = l->quota;
	s->allowance = l->allowance;
	pthread_mutex_unlock(&l->mu);
}

int limiter_out_of_time(struct limiter *l)
{
	pthread_mutex_lock(&l->mu);
	int r = l->out_of_time;
	pthread_mutex_unlock(&l->mu);
	return r;
}
