/* signals.c - see signals.h. */
#define _GNU_SOURCE
#include "signals.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

static const int handled[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGALRM};
#define NHANDLED (sizeof handled / sizeof handled[0])

static char prefix[96];        /* "S3TABLES REPLICATION " */
static char timeout_text[160]; /* "WARNING - timed out after 10 s" */
static int timeout_exit;
static struct timespec fires_at; /* CLOCK_MONOTONIC time of our own timer */
static char stage_buf[2][208];
static const char *volatile stage_now = "starting";
static int stage_next;

const char *signals_name(int sig, char *buf, unsigned bufsz)
{
	switch (sig) {
	case SIGTERM: return "SIGTERM";
	case SIGINT: return "SIGINT";
	case SIGHUP: return "SIGHUP";
	case SIGQUIT: return "SIGQUIT";
	case SIGALRM: return "SIGALRM";
	}
	snprintf(buf, bufsz, "signal %d", sig);
	return buf;
}

/* Async-signal-safe string building. */
static void put(char *line, size_t *n, size_t cap, const char *s)
{
	while (*s && *n + 1 < cap)
		line[(*n)++] = *s++;
}

static void put_uint(char *line, size_t *n, size_t cap, unsigned long v)
{
	char digits[24];
	int k = 0;
	do {
		digits[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k < (int)sizeof digits);
	while (k > 0 && *n + 1 < cap)
		line[(*n)++] = digits[--k];
}

/* Our own timer: the kernel sent it (not kill(2)/sigqueue), and its time has come. */
static int is_our_timer(const siginfo_t *si)
{
	struct timespec now;
	if (si && si->si_code != SI_KERNEL)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > fires_at.tv_sec ||
	       (now.tv_sec == fires_at.tv_sec && now.tv_nsec + 50 * 1000 * 1000L >= fires_at.tv_nsec);
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	char line[512], nb[32];
	size_t n = 0;
	int code = STATE_UNKNOWN;
	(void)uc;
	put(line, &n, sizeof line, prefix);
	if (sig == SIGALRM && is_our_timer(si)) {
		put(line, &n, sizeof line, timeout_text);
		code = timeout_exit;
	} else {
		put(line, &n, sizeof line, "UNKNOWN - ended by ");
		put(line, &n, sizeof line, signals_name(sig, nb, sizeof nb));
		if (si && (si->si_code == SI_USER || si->si_code == SI_QUEUE) && si->si_pid > 0) {
			put(line, &n, sizeof line, " (sent by process ");
			put_uint(line, &n, sizeof line, (unsigned long)si->si_pid);
			put(line, &n, sizeof line, ")");
		}
	}
	put(line, &n, sizeof line, " while ");
	put(line, &n, sizeof line, stage_now);
	line[n++] = '\n';
	ssize_t w = write(STDOUT_FILENO, line, n);
	(void)w;
	_exit(code);
}

void signals_stage(const char *stage)
{
	char *b = stage_buf[stage_next];
	stage_next ^= 1;
	snprintf(b, sizeof stage_buf[0], "%s", stage ? stage : "");
	/* control characters would break the one-line answer */
	for (char *p = b; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '|')
			*p = ' ';
	stage_now = b;
}

void signals_install(const char *check_name, double timeout, enum mp_state timeout_state)
{
	char secs[64];
	output_format_double(timeout, secs, sizeof secs);
	snprintf(prefix, sizeof prefix, "S3TABLES %s ", check_name);
	snprintf(timeout_text, sizeof timeout_text, "%s - timed out after %s s", state_name(timeout_state), secs);
	timeout_exit = timeout_state;

	double t = timeout + 0.5;
	clock_gettime(CLOCK_MONOTONIC, &fires_at);
	fires_at.tv_sec += (time_t)t;
	fires_at.tv_nsec += (long)((t - floor(t)) * 1e9);
	if (fires_at.tv_nsec >= 1000000000L) {
		fires_at.tv_sec++;
		fires_at.tv_nsec -= 1000000000L;
	}

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NHANDLED; i++)
		sigaddset(&sa.sa_mask, handled[i]); /* one handler at a time: one line */
	for (size_t i = 0; i < NHANDLED; i++)
		sigaction(handled[i], &sa, NULL);
	struct itimerval it = {.it_value = {.tv_sec = (time_t)t, .tv_usec = (suseconds_t)((t - floor(t)) * 1e6)}};
	setitimer(ITIMER_REAL, &it, NULL);
}

void signals_block(void)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NHANDLED; i++)
		sigaddset(&set, handled[i]);
	sigprocmask(SIG_BLOCK, &set, NULL);
}
