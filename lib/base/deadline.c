/* deadline.c - see deadline.h. */
#include "deadline.h"

#include <math.h>

void deadline_start(struct deadline *d, double seconds)
{
	struct timespec now;
	if (!(seconds > 0)) /* also catches NaN */
		seconds = 0;
	if (seconds > 1e9)
		seconds = 1e9;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double whole = floor(seconds);
	long nsec = now.tv_nsec + (long)((seconds - whole) * 1e9);
	d->end.tv_sec = now.tv_sec + (time_t)whole + nsec / 1000000000L;
	d->end.tv_nsec = nsec % 1000000000L;
	d->seconds = seconds;
}

double deadline_remaining(const struct deadline *d)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double left = (double)(d->end.tv_sec - now.tv_sec) + (double)(d->end.tv_nsec - now.tv_nsec) / 1e9;
	return left > 0 ? left : 0;
}

int deadline_expired(const struct deadline *d)
{
	return deadline_remaining(d) <= 0;
}

void deadline_earlier(struct deadline *d, double seconds)
{
	if (!(seconds > 0))
		return;
	double whole = floor(seconds);
	long nsec = d->end.tv_nsec - (long)((seconds - whole) * 1e9);
	d->end.tv_sec -= (time_t)whole;
	if (nsec < 0) {
		nsec += 1000000000L;
		d->end.tv_sec--;
	}
	d->end.tv_nsec = nsec;
}
