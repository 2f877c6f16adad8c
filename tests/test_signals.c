/*
 * test_signals.c - how a signal or the last-resort timer ends a run (lib/run/signals.c).
 *
 * Each case runs in a child whose stdout is captured: the one status line it prints, and its
 * exit status, are what Nagios or Icinga would get.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "signals.h"
#include "tap.h"

enum how { OWN_TIMER, OUTSIDE_ALRM, TERM_FROM_PARENT, BLOCKED };

/* Run one case in a child; returns its stdout (static buffer) and *status. */
static const char *run_case(enum how how, int *status)
{
	static char out[1024];
	int fds[2];
	out[0] = '\0';
	fflush(stdout);
	if (pipe(fds) != 0)
		return out;
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[1]);
		signals_install("TEST", how == OWN_TIMER ? 0.2 : 30, STATE_WARNING);
		signals_stage("finding\ncredentials|now"); /* control characters and '|' are cleaned */
		if (how == BLOCKED) {
			signals_block();
			kill(getppid(), SIGUSR1); /* ready: the parent sends SIGTERM now */
			sleep(1);
			printf("S3TABLES TEST OK - the result\n");
			fflush(stdout);
			_exit(0);
		}
		kill(getppid(), SIGUSR1);
		for (int i = 0; i < 50; i++)
			sleep(1); /* the timer or a signal ends this */
		_exit(99);
	}
	close(fds[1]);
	/* wait until the child has installed its handlers */
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	int sig;
	sigwait(&usr1, &sig);
	if (how == OUTSIDE_ALRM)
		kill(pid, SIGALRM);
	else if (how == TERM_FROM_PARENT || how == BLOCKED)
		kill(pid, SIGTERM);
	size_t len = 0;
	ssize_t n;
	while (len + 1 < sizeof out && (n = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fds[0]);
	waitpid(pid, status, 0);
	return out;
}

int main(void)
{
	char expect[256], nb[32];
	int st = 0;
	sigset_t usr1;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);

	const char *out = run_case(OWN_TIMER, &st);
	is_str(out, "S3TABLES TEST WARNING - timed out after 0.2 s while finding credentials now\n",
	       "own timer: the -t state, 'timed out' and the stage");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == STATE_WARNING, "own timer: exits with the -t state (1)");

	out = run_case(OUTSIDE_ALRM, &st);
	snprintf(expect, sizeof expect, "S3TABLES TEST UNKNOWN - ended by SIGALRM (sent by process %d) while finding "
		 "credentials now\n", (int)getpid());
	is_str(out, expect, "a SIGALRM from another process: UNKNOWN naming it and its sender, not a timeout");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 3, "outside SIGALRM: exit 3");

	out = run_case(TERM_FROM_PARENT, &st);
	snprintf(expect, sizeof expect, "S3TABLES TEST UNKNOWN - ended by SIGTERM (sent by process %d) while finding "
		 "credentials now\n", (int)getpid());
	is_str(out, expect, "SIGTERM: one UNKNOWN line naming the signal, the sender and the stage");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 3, "SIGTERM: exit 3");

	out = run_case(BLOCKED, &st);
	is_str(out, "S3TABLES TEST OK - the result\n", "after signals_block(): the result is printed whole, alone");
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "after signals_block(): the result's exit status");

	is_str(signals_name(SIGHUP, nb, sizeof nb), "SIGHUP", "signals_name SIGHUP");
	snprintf(expect, sizeof expect, "signal %d", SIGUSR2);
	is_str(signals_name(SIGUSR2, nb, sizeof nb), expect, "signals_name of another signal: its number");
	return tap_done();
}
