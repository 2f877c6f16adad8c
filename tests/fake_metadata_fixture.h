/*
 * fake_metadata_fixture.h - what the container and instance-metadata provider
 * tests share: an injectable environment, tests/fake_metadata.py started on an
 * ephemeral loopback port (killed at exit and on signals), its control
 * endpoint and request log, a closed port, and a monotonic clock.
 * Header-only, for one test program at a time (its state is file-static).
 */
#ifndef S3T_FAKE_METADATA_FIXTURE_H
#define S3T_FAKE_METADATA_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "deadline.h"
#include "fixture.h"
#include "http.h"
#include "tap.h"

/* ---- a tiny injectable environment ---------------------------------------------------- */
static struct {
	char name[64];
	char value[512];
} env_tab[16];
static size_t env_n;

static void env_clear(void) { env_n = 0; }
static void env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_tab[i].name, name) == 0) {
			snprintf(env_tab[i].value, sizeof env_tab[i].value, "%s", value);
			return;
		}
	if (env_n < sizeof env_tab / sizeof env_tab[0]) {
		snprintf(env_tab[env_n].name, sizeof env_tab[env_n].name, "%s", name);
		snprintf(env_tab[env_n].value, sizeof env_tab[env_n].value, "%s", value);
		env_n++;
	}
}
static const char *fake_getenv(const char *name)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_tab[i].name, name) == 0)
			return env_tab[i].value;
	return NULL;
}

/* ---- the fixture ---------------------------------------------------------------------- */
static char tmpdir[] = "/tmp/s3t-creds-fixture-XXXXXX";
static int have_tmpdir;
static pid_t fixture_pid = -1;
static char logpath[300], portpath[300];

static void cleanup(void)
{
	if (fixture_pid > 0) {
		kill(fixture_pid, SIGTERM);
		waitpid(fixture_pid, NULL, 0);
		fixture_pid = -1;
	}
	if (have_tmpdir) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "# could not remove %s\n", tmpdir);
		have_tmpdir = 0;
	}
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int start_fixture(const char *script)
{
	snprintf(portpath, sizeof portpath, "%s/port", tmpdir);
	snprintf(logpath, sizeof logpath, "%s/log.jsonl", tmpdir);
	char *argv[] = {"python3", (char *)script, "--port-file", portpath, "--log", logpath, NULL};
	return fixture_spawn(argv, portpath, 10, &fixture_pid);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t r = fread(buf + n, 1, 4096, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static int port;
static struct http_client *client;

static void control(const char *query)
{
	char url[512], err[256];
	struct http_response r;
	struct deadline dl;
	deadline_start(&dl, 5);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/_control?%s", port, query);
	if (http_get(client, url, NULL, &dl, &r, err, sizeof err) != HTTP_OK || r.status != 200)
		printf("# control %s failed: %s\n", query, err);
	http_response_free(&r);
}

/* The logged requests: a json array (caller puts it). */
static struct json_object *read_log(void)
{
	struct json_object *arr = json_object_new_array();
	char *text = slurp(logpath, NULL);
	for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n")) {
		struct json_object *o = json_tokener_parse(line);
		if (o)
			json_object_array_add(arr, o);
	}
	free(text);
	return arr;
}

static const char *log_str(struct json_object *arr, size_t i, const char *key, const char *header)
{
	struct json_object *e = json_object_array_get_idx(arr, i), *v, *h;
	if (!e)
		return NULL;
	if (header) {
		if (!json_object_object_get_ex(e, "headers", &h) || !json_object_object_get_ex(h, header, &v))
			return NULL;
		return json_object_get_string(v);
	}
	return json_object_object_get_ex(e, key, &v) ? json_object_get_string(v) : NULL;
}

static int closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int s = socket(AF_INET, SOCK_STREAM, 0), p = 9;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof sa) == 0 &&
	    getsockname(s, (struct sockaddr *)&sa, &len) == 0)
		p = ntohs(sa.sin_port);
	if (s >= 0)
		close(s);
	return p;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Start tests/fake_metadata.py from srcdir (port in `port`, killed at exit and
 * on SIGINT/SIGTERM) and the shared HTTP client. 1 when ready; 0 when python3
 * or the script is missing (said as a TAP comment: skip the live tests); -1
 * on a failure (said as "Bail out!").
 */
static int fixture_setup(const char *srcdir)
{
	char script[1024], err[256];
	struct http_options o;
	snprintf(script, sizeof script, "%s/tests/fake_metadata.py", srcdir);
	if (access(script, R_OK) != 0 || system("python3 -c pass >/dev/null 2>&1") != 0) {
		printf("# SKIP live tests: python3 or %s not available\n", script);
		return 0;
	}
	if (!mkdtemp(tmpdir)) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return -1;
	}
	have_tmpdir = 1;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	port = start_fixture(script);
	if (port < 0) {
		printf("Bail out! could not start %s\n", script);
		return -1;
	}
	memset(&o, 0, sizeof o);
	client = http_client_new(&o, err, sizeof err);
	if (!client) {
		printf("Bail out! http_client_new: %s\n", err);
		return -1;
	}
	return 1;
}

#endif
