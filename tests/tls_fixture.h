/*
 * tls_fixture.h - what test_http.c and test_batch.c share: a Python HTTPS fixture
 * (http_fixture.py, batch_fixture.py: `--dir DIR --port-file FILE`, its own throw-away CA in
 * DIR/ca.pem and DIR/capath) started in a fresh temporary folder, stopped and removed at exit
 * and on SIGINT/SIGTERM.
 *
 * tls_fixture_start(script) makes the folder (tls_fixture_dir), starts the fixture and returns
 * its port, or -1 after printing "Bail out! ..."; SIGPIPE is ignored from then on.
 * tls_fixture_cleanup() stops it at once (tls_fixture_pid becomes -1). Header-only, for one
 * test program at a time (its state is file-static).
 */
#ifndef S3T_TLS_FIXTURE_H
#define S3T_TLS_FIXTURE_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

static pid_t tls_fixture_pid = -1;
static char tls_fixture_dir[] = "/tmp/s3t-tls-fixture-XXXXXX";
static int tls_fixture_have_dir;

static void tls_fixture_cleanup(void)
{
	fixture_stop(&tls_fixture_pid);
	if (tls_fixture_have_dir) {
		fixture_rmtree(tls_fixture_dir);
		tls_fixture_have_dir = 0;
	}
}

static void tls_fixture_on_signal(int sig)
{
	if (tls_fixture_pid > 0)
		kill(tls_fixture_pid, SIGTERM);
	signal(sig, SIG_DFL);
	raise(sig);
}

static int tls_fixture_start(const char *script)
{
	char portfile[sizeof tls_fixture_dir + 16];
	if (!mkdtemp(tls_fixture_dir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	tls_fixture_have_dir = 1;
	atexit(tls_fixture_cleanup);
	signal(SIGINT, tls_fixture_on_signal);
	signal(SIGTERM, tls_fixture_on_signal);
	signal(SIGPIPE, SIG_IGN);
	snprintf(portfile, sizeof portfile, "%s/port", tls_fixture_dir);
	/* up to 30 s: key generation can be slow on busy CI */
	char *argv[] = {"python3", (char *)script, "--dir", tls_fixture_dir, "--port-file", portfile, NULL};
	int port = fixture_spawn(argv, portfile, 30, &tls_fixture_pid);
	if (port < 0)
		printf("Bail out! could not start %s\n", script);
	return port;
}

#endif
