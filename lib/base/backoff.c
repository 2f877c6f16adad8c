/* backoff.c - see backoff.h. */
#include "backoff.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

double backoff_jitter01(void)
{
	/* One state per thread (the batch engine's workers back off concurrently), seeded apart by
	   the state's own address, which differs per thread. */
	static _Thread_local unsigned long long state;
	if (!state) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		state = ((unsigned long long)ts.tv_nsec << 20) ^ (unsigned long long)ts.tv_sec ^
			((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)&state ^
			0x9E3779B97F4A7C15ULL;
		if (!state)
			state = 0x9E3779B97F4A7C15ULL;
	}
	/* xorshift64*: jitter only needs to be spread, not secret. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

void backoff_sleep(double seconds)
{
	if (!(seconds > 0))
		return;
	struct timespec ts = {.tv_sec = (time_t)seconds,
			      .tv_nsec = (long)((seconds - floor(seconds)) * 1e9)};
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
