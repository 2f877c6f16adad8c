/*
 * test_limiter.c - the batch run's shared limits (lib/aws/limiter.c) without a network: the
 * standard-mode retry quota (the smithy-kotlin test vectors of the reference, section 7c), the
 * concurrency allowance (halved on throttling once per round, +1 after a run of successes),
 * the shared pause, the rate schedule and the deadline.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "limiter.h"
#include "retry.h"
#include "tap.h"

static double zero01(void) { return 0.0; }
static double one01(void) { return 1.0; }

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct limiter *make(int conc, double rate, int quota, double (*rnd)(void))
{
	char err[128];
	struct limiter_options o = {.max_concurrency = conc, .max_rate = rate, .retry_quota = quota, .random01 = rnd};
	struct limiter *l = limiter_new(&o, err, sizeof err);
	if (!l)
		printf("# limiter_new: %s\n", err);
	return l;
}

static struct limiter_stats stats(struct limiter *l)
{
	struct limiter_stats s;
	limiter_get_stats(l, &s);
	return s;
}

static void test_options(void)
{
	char err[128];
	struct limiter_options o = {.max_concurrency = 0};
	ok(!limiter_new(&o, err, sizeof err) && strstr(err, "1..32"), "concurrency 0 is refused: %s", err);
	o.max_concurrency = 33;
	ok(!limiter_new(&o, err, sizeof err), "concurrency 33 is refused");
	o.max_concurrency = 4;
	o.max_rate = -1;
	ok(!limiter_new(&o, err, sizeof err) && strstr(err, "rate"), "a negative rate is refused: %s", err);
	o.max_rate = INFINITY;
	ok(!limiter_new(&o, err, sizeof err), "an infinite rate is refused");
	o.max_rate = 0;
	o.retry_quota = -1;
	ok(!limiter_new(&o, err, sizeof err) && strstr(err, "quota"), "a negative quota is refused: %s", err);
}

static void test_quota(void)
{
	struct limiter *l = make(4, 0, 0, NULL);
	is_int(stats(l).quota_left, RETRY_QUOTA_INITIAL, "the quota starts at 500");
	/* 500, 500, 200 -> 495, 490, back to 495 */
	ok(limiter_take_retry(l, retry_quota_cost("InternalServerErrorException", RETRY_TRANSPORT_NONE)), "a 500 is retried");
	is_int(stats(l).quota_left, 495, "one retry costs 5");
	ok(limiter_take_retry(l, retry_quota_cost(NULL, RETRY_TRANSPORT_NONE)), "a 502 is retried");
	is_int(stats(l).quota_left, 490, "two retries cost 10");
	limiter_refund(l, RETRY_QUOTA_COST);
	is_int(stats(l).quota_left, 495, "the success refunds the last retry's cost");
	limiter_refund(l, 0);
	is_int(stats(l).quota_left, 496, "a success without retry refunds 1");
	for (int i = 0; i < 10; i++)
		limiter_refund(l, 0);
	is_int(stats(l).quota_left, 500, "never above 500");
	ok(limiter_take_retry(l, retry_quota_cost(NULL, RETRY_TRANSPORT_TRANSIENT)), "a lost connection is retried");
	is_int(stats(l).quota_left, 490, "a retry after no response (a timeout) costs 10");
	ok(limiter_take_retry(l, retry_quota_cost("RequestTimeout", RETRY_TRANSPORT_NONE)), "RequestTimeout is retried");
	is_int(stats(l).quota_left, 480, "a RequestTimeout retry costs 10");
	int paid = 0;
	while (limiter_take_retry(l, RETRY_QUOTA_COST))
		paid++;
	is_int(paid, 96, "the remaining 480 tokens pay 96 more retries");
	struct limiter_stats s = stats(l);
	ok(s.quota_left == 0 && s.retries == 100 && s.retries_refused == 1, "then none: quota 0, 100 paid, 1 refused");
	limiter_free(l);

	/* Initial quota 5: 500 -> retry (quota 0), then 502 -> retry_quota_exceeded */
	l = make(4, 0, 5, NULL);
	ok(limiter_take_retry(l, RETRY_QUOTA_COST), "quota 5: the first retry is paid");
	ok(!limiter_take_retry(l, RETRY_QUOTA_COST), "quota 5: the second is refused");
	ok(!limiter_take_retry(l, RETRY_QUOTA_TIMEOUT_COST) && stats(l).quota_left == 0, "and nothing is spent");
	limiter_free(l);
}

static void test_allowance(void)
{
	struct limiter *l = make(8, 0, 0, zero01);
	struct limiter_ticket t[10];
	for (int i = 0; i < 8; i++)
		limiter_enter(l, NULL, &t[i]);
	struct limiter_stats s = stats(l);
	ok(s.attempts == 8 && s.max_in_flight == 8 && s.allowance == 8, "8 attempts in flight under an allowance of 8");

	struct deadline dl;
	deadline_start(&dl, 0.2);
	double t0 = now_s();
	struct limiter *l2 = make(1, 0, 0, zero01);
	struct limiter_ticket x;
	limiter_enter(l2, NULL, &x);
	ok(limiter_enter(l2, &dl, &t[8]) == -1, "a 2nd attempt under an allowance of 1 waits, then fails at the deadline");
	double waited = now_s() - t0;
	ok(waited >= 0.15 && waited < 1.5, "it waited for the deadline (%.3f s)", waited);
	ok(limiter_out_of_time(l2), "the limiter says the run is out of time");
	limiter_leave(l2, &x, LIMITER_SERVED);
	limiter_free(l2);

	/* all 8 were in flight before any cut: the first throttle halves, the others do not */
	limiter_leave(l, &t[0], LIMITER_THROTTLED);
	is_int(stats(l).allowance, 4, "a throttle halves the allowance: 8 -> 4");
	limiter_leave(l, &t[1], LIMITER_THROTTLED);
	limiter_leave(l, &t[2], LIMITER_THROTTLED);
	is_int(stats(l).allowance, 4, "throttles of the same round do not cut again");
	ok(!limiter_out_of_time(l), "no deadline: never out of time");
	for (int i = 3; i < 8; i++)
		limiter_leave(l, &t[i], LIMITER_FAILED);
	is_int(stats(l).allowance, 4, "a 5xx or transport failure changes nothing");

	limiter_enter(l, NULL, &t[0]);
	limiter_leave(l, &t[0], LIMITER_THROTTLED);
	is_int(stats(l).allowance, 2, "a throttle of the next round: 4 -> 2");
	limiter_enter(l, NULL, &t[0]);
	limiter_leave(l, &t[0], LIMITER_THROTTLED);
	limiter_enter(l, NULL, &t[0]);
	limiter_leave(l, &t[0], LIMITER_THROTTLED);
	is_int(stats(l).allowance, 1, "never below 1");
	for (int i = 0; i < LIMITER_RECOVER_AFTER - 1; i++) {
		limiter_enter(l, NULL, &t[0]);
		limiter_leave(l, &t[0], LIMITER_SERVED);
	}
	is_int(stats(l).allowance, 1, "9 successes in a row: still 1");
	limiter_enter(l, NULL, &t[0]);
	limiter_leave(l, &t[0], LIMITER_SERVED);
	is_int(stats(l).allowance, 2, "the 10th: +1");
	for (int i = 0; i < 10 * LIMITER_RECOVER_AFTER; i++) {
		limiter_enter(l, NULL, &t[0]);
		limiter_leave(l, &t[0], LIMITER_SERVED);
	}
	s = stats(l);
	ok(s.allowance == 8 && s.allowance_min == 1 && s.throttled == 6, "back up to 8, no further (min 1, 6 throttles)");
	limiter_free(l);
}

static void test_pause(void)
{
	/* random01 = 1: the first throttled round pauses every start for min(2^0, 20) = 1 s */
	struct limiter *l = make(4, 0, 0, one01);
	struct limiter_ticket t;
	struct deadline dl;
	limiter_enter(l, NULL, &t);
	limiter_leave(l, &t, LIMITER_THROTTLED);
	deadline_start(&dl, 0.3);
	double t0 = now_s();
	ok(limiter_enter(l, &dl, &t) == -1, "after a throttle, new starts wait out the shared pause (cut by the deadline)");
	double waited = now_s() - t0;
	ok(waited >= 0.25 && waited < 1.0, "it waited until the deadline (%.3f s), not the whole pause", waited);
	limiter_free(l);

	l = make(4, 0, 0, one01);
	limiter_enter(l, NULL, &t);
	limiter_leave(l, &t, LIMITER_THROTTLED);
	deadline_start(&dl, 5);
	t0 = now_s();
	ok(limiter_enter(l, &dl, &t) == 0, "the pause ends");
	waited = now_s() - t0;
	ok(waited >= 0.9 && waited < 2.5, "after about 1 s (%.3f s)", waited);
	limiter_leave(l, &t, LIMITER_SERVED);
	limiter_free(l);
}

static void test_rate(void)
{
	struct limiter *l = make(4, 50, 0, zero01);
	struct limiter_ticket t;
	double t0 = now_s();
	for (int i = 0; i < 11; i++) {
		limiter_enter(l, NULL, &t);
		limiter_leave(l, &t, LIMITER_SERVED);
	}
	double took = now_s() - t0;
	ok(took >= 0.19 && took < 1.5, "11 starts at 50/s take 10 intervals of 20 ms (%.3f s)", took);
	limiter_free(l);

	/* a slot past the deadline fails at once rather than sleeping into it */
	l = make(4, 1, 0, zero01);
	struct deadline dl;
	deadline_start(&dl, 0.5);
	ok(limiter_enter(l, &dl, &t) == 0, "at 1/s the first start is at once");
	t0 = now_s();
	ok(limiter_enter(l, &dl, &t) == -1 && now_s() - t0 < 0.1, "the next slot (1 s) lies past the deadline: -1 at once");
	ok(limiter_out_of_time(l) && stats(l).attempts == 1, "out of time; only one attempt counted");
	limiter_free(l);
}

struct hammer {
	struct limiter *l;
	int rounds;
};

static void *hammer_main(void *p)
{
	struct hammer *h = p;
	struct limiter_ticket t;
	for (int i = 0; i < h->rounds; i++) {
		limiter_enter(h->l, NULL, &t);
		limiter_leave(h->l, &t, i % 7 == 0 ? LIMITER_THROTTLED : LIMITER_SERVED);
		if (limiter_take_retry(h->l, RETRY_QUOTA_COST))
			limiter_refund(h->l, RETRY_QUOTA_COST);
	}
	return NULL;
}

static void test_threads(void)
{
	struct hammer h = {.l = make(3, 0, 0, zero01), .rounds = 2000};
	pthread_t th[6];
	for (int i = 0; i < 6; i++)
		pthread_create(&th[i], NULL, hammer_main, &h);
	for (int i = 0; i < 6; i++)
		pthread_join(th[i], NULL);
	struct limiter_stats s = stats(h.l);
	ok(s.attempts == 12000 && s.max_in_flight <= 3, "6 threads x 2000 attempts: all counted, never more than 3 in flight (%d)",
	   s.max_in_flight);
	ok(s.quota_left == RETRY_QUOTA_INITIAL && s.retries == 12000, "paid and refunded retries balance (%d)",
	   s.quota_left);
	limiter_free(h.l);
}

int main(void)
{
	test_options();
	test_quota();
	test_allowance();
	test_pause();
	test_rate();
	test_threads();
	return tap_done();
}
