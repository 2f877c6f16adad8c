/* test_creds_process.c - credential_process: JSON contract, exit status, deadline, limits. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "credentials.h"
#include "creds_process.h"
#include "deadline.h"
#include "tap.h"

/* Providers owned by other modules; weak stand-ins so this test links on its own. */
__attribute__((weak)) enum creds_status creds_from_container(const struct creds_context *ctx, struct creds *out,
							     char *err, size_t errsz)
{
	(void)ctx, (void)out, (void)err, (void)errsz;
	return CREDS_NOT_CONFIGURED;
}
__attribute__((weak)) enum creds_status creds_from_imds(const struct creds_context *ctx, struct creds *out,
							char *err, size_t errsz)
{
	(void)ctx, (void)out, (void)err, (void)errsz;
	return CREDS_NOT_CONFIGURED;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(const char *cmd, double budget, struct creds *out, char *err, size_t errsz, double *took)
{
	struct deadline dl;
	deadline_start(&dl, budget);
	struct creds_context ctx = {.deadline = &dl, .now = (double)time(NULL)};
	double t0 = mono();
	err[0] = '\0';
	int rc = creds_run_process(&ctx, cmd, "profile 'p'", out, err, errsz);
	if (took)
		*took = mono() - t0;
	return rc;
}

#define GOOD "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"SECRETPROC\""

int main(void)
{
	struct creds c;
	char err[512];
	double took;

	/* good JSON, with and without the optional fields */
	int rc = run("printf '%s' '" GOOD ", \"SessionToken\": \"TOKENPROC\", \"Expiration\": \"2999-01-01T00:00:00Z\"}'",
		     5, &c, err, sizeof err, NULL);
	is_int(rc, 0, "good JSON accepted");
	if (rc == 0) {
		is_str(c.access_key_id, "AKIDPROC", "access key id");
		is_str(c.secret_access_key, "SECRETPROC", "secret");
		is_str(c.session_token, "TOKENPROC", "session token");
		ok(c.expiration > 32000000000.0, "expiration parsed");
		is_str(c.source, "credential-process", "source name");
		creds_free(&c);
	}
	rc = run("echo '" GOOD "}'", 5, &c, err, sizeof err, NULL);
	is_int(rc, 0, "minimal JSON (no token, no expiration) accepted");
	if (rc == 0) {
		ok(c.session_token == NULL && c.expiration == 0, "no token, no expiry");
		creds_free(&c);
	}

	struct {
		const char *cmd, *want, *name;
	} bad[] = {
		{"echo '{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETPROC\"}'",
		 "unsupported Version", "Version 2 refused"},
		{"echo '{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETPROC\"}'",
		 "unsupported Version", "string Version refused"},
		{"echo '{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SECRETPROC\"}'", "no \"Version\"",
		 "missing Version refused"},
		{"echo '{\"Version\": 1, \"SecretAccessKey\": \"SECRETPROC\"}'", "AccessKeyId", "missing AccessKeyId"},
		{"echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'", "SecretAccessKey", "missing SecretAccessKey"},
		{"echo '{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"\"}'", "SecretAccessKey",
		 "empty SecretAccessKey"},
		{"echo '" GOOD ", \"SessionToken\": 5}'", "SessionToken", "non-string SessionToken"},
		{"echo '" GOOD ", \"Expiration\": \"soon\"}'", "Expiration", "bad Expiration"},
		{"echo '" GOOD ", \"Expiration\": \"2020-01-01T00:00:00Z\"}'", "expired at 2020-01-01T00:00:00Z",
		 "already expired"},
		{"echo '" GOOD "'", "not valid JSON", "truncated JSON"},
		{"echo 'SECRETPROC not json'", "not valid JSON", "not JSON"},
		{"echo '" GOOD "} trailing'", "not valid JSON", "trailing garbage"},
		{"echo '[1,2]'", "not a JSON object", "JSON array"},
		{"true", "not valid JSON (it is empty)", "empty output"},
		{"echo '" GOOD "}'; printf '\\n  helper: session expired\\nsecond line\\n' >&2; exit 3",
		 "exited with status 3: helper: session expired", "non-zero exit, with stderr's first line"},
		{"exit 4", "exited with status 4 (it wrote nothing to stderr)", "non-zero exit, silent"},
		{"/nonexistent/helper", "status 127, command not found", "missing command"},
		{"kill -TERM $$", "killed by signal 15", "killed by a signal"},
		{"echo 'dying' >&2; kill -KILL $$", "killed by signal 9: dying", "killed by SIGKILL, with stderr"},
		{"head -c 200000 /dev/zero | tr '\\0' a", "more than 64 KiB", "huge output refused"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		rc = run(bad[i].cmd, 5, &c, err, sizeof err, NULL);
		ok(rc == -1 && strstr(err, bad[i].want) && strncmp(err, "profile 'p': ", 13) == 0, "%s", bad[i].name);
		if (rc != -1 || !strstr(err, bad[i].want))
			printf("#   err: %s\n", err);
		ok(!strstr(err, "SECRET") && !strstr(err, "\"A\""), "%s: no output or secret in the message", bad[i].name);
		ok(c.access_key_id == NULL, "%s: nothing returned", bad[i].name);
	}

	/* stderr's first line: shown only on failure, sanitized and cut */
	{
		char line[CREDS_PROCESS_STDERR_SHOWN + 8];
		creds_process_stderr_line("\n\n  first\tline \r\nsecond", 26, line, sizeof line);
		is_str(line, "first line", "stderr line: first non-blank line, trimmed, tab replaced");
		creds_process_stderr_line("a\033[31mred\x7f", 10, line, sizeof line);
		is_str(line, "a [31mred ", "stderr line: control characters replaced");
		creds_process_stderr_line("", 0, line, sizeof line);
		is_str(line, "", "stderr line: none");
		char longer[600];
		memset(longer, 'x', sizeof longer);
		memcpy(longer + 195, "\xc3\xa9\xc3\xa9", 4);
		creds_process_stderr_line(longer, sizeof longer, line, sizeof line);
		ok(strlen(line) <= CREDS_PROCESS_STDERR_SHOWN && strcmp(line + strlen(line) - 3, "...") == 0,
		   "stderr line: cut at %d bytes with '...' (%zu)", CREDS_PROCESS_STDERR_SHOWN, strlen(line));
		ok(strstr(line, "\xc3\xa9") || !strchr(line, '\xc3'), "stderr line: cut on a UTF-8 boundary");
		rc = run("head -c 100000 /dev/zero | tr '\\0' e >&2; exit 2", 5, &c, err, sizeof err, NULL);
		ok(rc == -1 && strstr(err, "status 2: eee") && strlen(err) < 300, "a 100 KB stderr line is cut (%zu)",
		   strlen(err));
	}

	/* stderr: large stderr does not block, and is not shown on success */
	rc = run("head -c 300000 /dev/zero | tr '\\0' S >&2; echo SECRETSTDERR >&2; echo '" GOOD "}'", 5, &c, err,
		 sizeof err, NULL);
	is_int(rc, 0, "300 KB on stderr is drained and ignored");
	creds_free(&c);

	/* deadline: a sleeping process is killed (with its group) */
	char pidfile[] = "/tmp/test_creds_process_XXXXXX";
	int pfd = mkstemp(pidfile);
	ok(pfd >= 0, "temp file");
	close(pfd);
	char cmd[512];
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ > %s; exec sleep 30' & sleep 30", pidfile);
	rc = run(cmd, 1.0, &c, err, sizeof err, &took);
	ok(rc == -1 && strstr(err, "credential_process timed out"), "sleeping process: timed out (%s)", err);
	ok(took >= 0.9 && took < 1.3, "returned after %.2f s (deadline 1 s)", took);
	usleep(200 * 1000);
	FILE *f = fopen(pidfile, "r");
	int gpid = 0;
	if (f) {
		if (fscanf(f, "%d", &gpid) != 1)
			gpid = 0;
		fclose(f);
	}
	int gone = 0;
	if (gpid > 0) {
		char path[64], state = '?';
		snprintf(path, sizeof path, "/proc/%d/stat", gpid);
		FILE *s = fopen(path, "r");
		if (!s)
			gone = 1;
		else {
			if (fscanf(s, "%*d %*s %c", &state) == 1 && (state == 'Z' || state == 'X'))
				gone = 1;
			fclose(s);
		}
	}
	ok(gpid > 0 && gone, "the background grandchild (pid %d) was killed with the group", gpid);
	unlink(pidfile);

	/* a process that closes stdout but keeps running is still bounded */
	rc = run("exec >/dev/null 2>&1; sleep 30", 0.5, &c, err, sizeof err, &took);
	ok(rc == -1 && strstr(err, "timed out") && took < 0.8, "stdout closed early, still killed at the deadline (%.2f s)",
	   took);

	/* descriptors of the parent are not inherited */
	int leak = open("/dev/null", O_RDONLY); /* no O_CLOEXEC on purpose */
	snprintf(cmd, sizeof cmd, "if [ -e /proc/$$/fd/%d ]; then exit 9; fi; echo '" GOOD "}'", leak);
	rc = run(cmd, 5, &c, err, sizeof err, NULL);
	ok(rc == 0, "other descriptors are closed in the child (%s)", rc ? err : "ok");
	creds_free(&c);
	close(leak);

	/* stdin is /dev/null: a command reading stdin gets EOF at once */
	rc = run("cat; echo '" GOOD "}'", 5, &c, err, sizeof err, &took);
	ok(rc == 0 && took < 2, "stdin is /dev/null");
	creds_free(&c);

	/* the pure parser */
	const char j[] = GOOD ", \"Expiration\": \"2030-01-01T00:00:00Z\"}";
	ok(creds_process_parse(j, strlen(j), 1900000000.0, &c, err, sizeof err) == -1 && strstr(err, "expired"),
	   "parse: expiry compared with the given now");
	ok(creds_process_parse(j, strlen(j), 1800000000.0, &c, err, sizeof err) == 0, "parse: not yet expired");
	creds_free(&c);
	ok(creds_process_parse(j, 5, 0, &c, err, sizeof err) == -1, "parse: honours the length");
	ok(run("", 5, &c, err, sizeof err, NULL) == -1 && strstr(err, "empty"), "empty command refused");

	/* no time left */
	struct deadline dl;
	deadline_start(&dl, 0);
	struct creds_context ctx = {.deadline = &dl};
	ok(creds_run_process(&ctx, "echo hi", NULL, &c, err, sizeof err) == -1 && strstr(err, "timed out"),
	   "expired deadline: not started");
	return tap_done();
}
