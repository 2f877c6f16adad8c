/* creds_process.c - see creds_process.h. */
#define _GNU_SOURCE
#include "creds_process.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "deadline.h"
#include "timestamp.h"


static const char *json_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int creds_process_parse(const char *json, size_t len, double now, struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (len > CREDS_PROCESS_MAX_OUTPUT || len > (size_t)INT32_MAX) {
		error_set(err, errsz, "output is larger than 64 KiB");
		return -1;
	}
	struct json_tokener *tok = json_tokener_new();
	if (!tok) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	struct json_object *o = json_tokener_parse_ex(tok, json ? json : "", (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t used = (size_t)json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	int rc = -1;
	if (!o || jerr != json_tokener_success) {
		error_set(err, errsz, "output is not valid JSON%s", len == 0 ? " (it is empty)" : "");
		goto done;
	}
	for (size_t i = used; i < len; i++)
		if (json[i] != ' ' && json[i] != '\n' && json[i] != '\r' && json[i] != '\t') {
			error_set(err, errsz, "output is not valid JSON (trailing data)");
			goto done;
		}
	if (!json_object_is_type(o, json_type_object)) {
		error_set(err, errsz, "output is not a JSON object");
		goto done;
	}
	struct json_object *v;
	if (!json_object_object_get_ex(o, "Version", &v)) {
		error_set(err, errsz, "output has no \"Version\" (expected 1)");
		goto done;
	}
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) != 1) {
		error_set(err, errsz, "unsupported Version (expected 1)");
		goto done;
	}
	const char *akid = json_str(o, "AccessKeyId");
	const char *secret = json_str(o, "SecretAccessKey");
	if (!akid || !*akid || !secret || !*secret) {
		error_set(err, errsz, "output lacks a non-empty string \"%s\"", !akid || !*akid ? "AccessKeyId" : "SecretAccessKey");
		goto done;
	}
	const char *token = NULL;
	if (json_object_object_get_ex(o, "SessionToken", &v) && !json_object_is_type(v, json_type_null)) {
		if (!(token = json_str(o, "SessionToken"))) {
			error_set(err, errsz, "\"SessionToken\" is not a string");
			goto done;
		}
	}
	double expiration = 0;
	if (json_object_object_get_ex(o, "Expiration", &v) && !json_object_is_type(v, json_type_null)) {
		const char *exp = json_str(o, "Expiration");
		char why[160];
		if (!exp) {
			error_set(err, errsz, "\"Expiration\" is not a string");
			goto done;
		}
		if (timestamp_parse(exp, &expiration, why, sizeof why) != 0) {
			error_set(err, errsz, "\"Expiration\" is not an ISO 8601 time: %s", why);
			goto done;
		}
		if (expiration <= now) {
			char ts[64];
			time_t t = (time_t)expiration;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
			error_set(err, errsz, "the credentials it returned expired at %s", ts);
			goto done;
		}
	}
	if (creds_set(out, akid, secret, token, expiration, "credential-process") != 0) {
		error_set(err, errsz, "out of memory");
		goto done;
	}
	rc = 0;
done:
	if (o)
		json_object_put(o);
	return rc;
}

static void close_other_fds(void)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3u, ~0u, 0u) == 0)
		return;
#endif
	struct rlimit rl;
	long max = sysconf(_SC_OPEN_MAX);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur > max)
		max = (long)rl.rlim_cur;
	if (max < 0 || max > 65536)
		max = 65536;
	for (long fd = 3; fd < max; fd++)
		close((int)fd);
}

static long ms_left(const struct deadline *dl)
{
	double r = deadline_remaining(dl);
	return r <= 0 ? 0 : (long)(r * 1000.0) + 1;
}

/* ---- the supervisor (runs in the forked child; async-signal-safe calls only) ----------- */

static int sigchld_pipe = -1;

static void on_sigchld(int sig)
{
	int saved = errno;
	(void)sig;
	char b = 0;
	ssize_t w = write(sigchld_pipe, &b, 1);
	(void)w;
	errno = saved;
}

static void default_signals(void)
{
	/* the plugin's handlers (one status line on stdout) are not the child's */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* The helper itself: /bin/sh -c command, in its own process group. */
static _Noreturn void exec_helper(const char *command, pid_t supervisor, int out_fd, int err_fd)
{
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the supervisor gone: the shell goes too */
	if (getppid() != supervisor)
		_exit(125); /* it went before the line above could take effect */
	int in = open("/dev/null", O_RDONLY);
	if (in < 0 || dup2(in, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
		_exit(126);
	close_other_fds();
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

/*
 * Between the plugin and the helper: starts the helper in a process group of its own and
 * kills that whole group (the helper and anything it started) as soon as either the helper
 * exits or the lifeline reads end-of-file, which happens when the plugin closes it (deadline,
 * too much output) or ends in any way at all, SIGKILL included: the kernel closes the
 * plugin's descriptors. It then ends the way the helper ended (same status or signal).
 */
static _Noreturn void supervise(const char *command, int lifeline, int out_fd, int err_fd)
{
	default_signals();
	setpgid(0, 0); /* not in the plugin's group: killing that group must not kill us first */
	int sp[2];
	if (pipe2(sp, O_CLOEXEC | O_NONBLOCK) != 0)
		_exit(126);
	sigchld_pipe = sp[1];
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigchld;
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	pid_t me = getpid();
	pid_t helper = fork();
	if (helper < 0)
		_exit(126);
	if (helper == 0) {
		close(sp[0]);
		close(sp[1]);
		close(lifeline);
		exec_helper(command, me, out_fd, err_fd);
	}
	setpgid(helper, helper); /* also here, so kill(-helper) works at once */
	close(out_fd);
	close(err_fd);
	struct pollfd pfd[2] = {{.fd = lifeline, .events = POLLIN}, {.fd = sp[0], .events = POLLIN}};
	int status = 0, done = 0;
	while (!done) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		/* exited? (not reaped yet: its group id stays ours to kill) */
		if (waitid(P_PID, (id_t)helper, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == helper)
			break;
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents) {
			char b;
			if (read(lifeline, &b, 1) <= 0)
				done = 1; /* the plugin is gone or gave up */
		}
		if (pfd[1].revents) {
			char b[64];
			while (read(sp[0], b, sizeof b) > 0)
				;
		}
	}
	kill(-helper, SIGKILL); /* whatever the helper left behind */
	while (waitpid(helper, &status, 0) < 0 && errno == EINTR)
		;
	if (done || !WIFSIGNALED(status))
		_exit(done ? 125 : WIFEXITED(status) ? WEXITSTATUS(status) : 126);
	/* end as the helper ended: by its signal, with no core file */
	struct rlimit none = {0, 0};
	setrlimit(RLIMIT_CORE, &none);
	signal(WTERMSIG(status), SIG_DFL);
	raise(WTERMSIG(status));
	_exit(128 + WTERMSIG(status));
}

/* The first non-blank line of what the helper wrote to stderr: control characters replaced,
 * cut at CREDS_PROCESS_STDERR_SHOWN bytes (on a UTF-8 boundary, with "..."). */
void creds_process_stderr_line(const char *text, size_t len, char *out, size_t outsz)
{
	size_t i = 0, n = 0;
	if (!outsz)
		return;
	out[0] = '\0';
	while (i < len && (text[i] == '\n' || text[i] == '\r' || text[i] == ' ' || text[i] == '\t'))
		i++;
	size_t end = i;
	while (end < len && text[end] != '\n' && text[end] != '\r')
		end++;
	while (end > i && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	size_t cap = outsz - 1 < CREDS_PROCESS_STDERR_SHOWN ? outsz - 1 : CREDS_PROCESS_STDERR_SHOWN;
	int cut = end - i > cap;
	if (cut) {
		end = i + (cap > 3 ? cap - 3 : 0);
		while (end > i && ((unsigned char)text[end] & 0xC0) == 0x80)
			end--;
	}
	for (; i < end; i++) {
		unsigned char ch = (unsigned char)text[i];
		out[n++] = (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch;
	}
	if (cut)
		for (int k = 0; k < 3 && n + 1 < outsz; k++)
			out[n++] = '.';
	out[n] = '\0';
}

int creds_run_process(const struct creds_context *ctx, const char *command, const char *source_label,
		      struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!command || !*command) {
		error_set(err, errsz, "%s%scredential_process is empty", CREDS_LABEL(source_label));
		return -1;
	}
	struct deadline fallback;
	const struct deadline *dl = ctx ? ctx->deadline : NULL;
	if (!dl) {
		deadline_start(&fallback, 30.0);
		dl = &fallback;
	}
	if (deadline_expired(dl)) {
		error_set(err, errsz, "%s%scredential_process timed out (no time left before it could start)",
			  CREDS_LABEL(source_label));
		return -1;
	}
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, lf[2] = {-1, -1};
	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0 || pipe2(lf, O_CLOEXEC) != 0) {
		int e = errno;
		for (int i = 0; i < 2; i++) {
			if (po[i] >= 0)
				close(po[i]);
			if (pe[i] >= 0)
				close(pe[i]);
		}
		error_set(err, errsz, "%s%scredential_process: cannot create a pipe: %s",
			  CREDS_LABEL(source_label), strerror(e));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		int fds[] = {po[0], po[1], pe[0], pe[1], lf[0], lf[1]};
		for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
			close(fds[i]);
		error_set(err, errsz, "%s%scredential_process: cannot fork: %s",
			  CREDS_LABEL(source_label), strerror(e));
		return -1;
	}
	if (pid == 0) {
		/* child: only async-signal-safe calls */
		close(lf[1]);
		close(po[0]);
		close(pe[0]);
		supervise(command, lf[0], po[1], pe[1]);
	}
	setpgid(pid, pid);
	close(lf[0]);
	close(po[1]);
	close(pe[1]);
	int lifeline = lf[1]; /* closing it tells the supervisor to kill the helper's group */

	size_t cap = CREDS_PROCESS_MAX_OUTPUT + 1, len = 0;
	char *buf = malloc(cap + 1);
	int too_big = 0, timed_out = 0, status = 0, reaped = 0, oom = !buf;
	int fds_open = 2;
	struct pollfd pfd[2] = {{.fd = po[0], .events = POLLIN}, {.fd = pe[0], .events = POLLIN}};
	char sink[4096], errtext[CREDS_PROCESS_STDERR_KEPT];
	size_t errlen = 0;
	while (fds_open > 0 && !too_big && !oom) {
		long ms = ms_left(dl);
		if (ms <= 0) {
			timed_out = 1;
			break;
		}
		int n = poll(pfd, 2, ms > 1000000 ? 1000000 : (int)ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		if (n == 0)
			continue; /* re-check the deadline */
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t r;
			if (i == 0)
				r = read(pfd[i].fd, buf + len, cap - len);
			else if (errlen < sizeof errtext)
				r = read(pfd[i].fd, errtext + errlen, sizeof errtext - errlen);
			else
				r = read(pfd[i].fd, sink, sizeof sink);
			if (r < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (r <= 0) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				fds_open--;
				continue;
			}
			if (i == 0) {
				len += (size_t)r;
				if (len > CREDS_PROCESS_MAX_OUTPUT)
					too_big = 1;
			} else if (errlen < sizeof errtext) {
				errlen += (size_t)r;
			}
		}
	}
	OPENSSL_cleanse(sink, sizeof sink);
	for (int i = 0; i < 2; i++)
		if (pfd[i].fd >= 0)
			close(pfd[i].fd);
	if (too_big || oom || timed_out) {
		close(lifeline); /* the supervisor kills the helper's whole group and exits */
		lifeline = -1;
	}
	/* wait for the exit, still within the deadline */
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			reaped = 1;
			break;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			reaped = -1;
			break;
		}
		if (!timed_out && ms_left(dl) <= 0) {
			timed_out = 1;
			close(lifeline);
			lifeline = -1;
		}
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}

	if (lifeline >= 0)
		close(lifeline);
	char shown[CREDS_PROCESS_STDERR_SHOWN + 8], said[CREDS_PROCESS_STDERR_SHOWN + 16];
	creds_process_stderr_line(errtext, errlen, shown, sizeof shown);
	snprintf(said, sizeof said, shown[0] ? ": %s" : " (it wrote nothing to stderr)", shown);
	OPENSSL_cleanse(errtext, sizeof errtext);
	int rc = -1;
	if (oom) {
		error_set(err, errsz, "%s%scredential_process: out of memory", CREDS_LABEL(source_label));
	} else if (timed_out) {
		error_set(err, errsz, "%s%scredential_process timed out after %.1f s (killed)",
			  CREDS_LABEL(source_label), dl->seconds);
	} else if (too_big) {
		error_set(err, errsz, "%s%scredential_process wrote more than 64 KiB to stdout",
			  CREDS_LABEL(source_label));
	} else if (reaped != 1) {
		error_set(err, errsz, "%s%scredential_process: cannot wait for the command",
			  CREDS_LABEL(source_label));
	} else if (WIFSIGNALED(status)) {
		error_set(err, errsz, "%s%scredential_process was killed by signal %d%s",
			  CREDS_LABEL(source_label), WTERMSIG(status), said);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		error_set(err, errsz, "%s%scredential_process exited with status %d%s%s",
			  CREDS_LABEL(source_label), WEXITSTATUS(status),
			  WEXITSTATUS(status) == 127 ? ", command not found" : "", said);
	} else {
		char why[256];
		buf[len] = '\0';
		double now = ctx && ctx->now > 0 ? ctx->now : (double)time(NULL);
		if (creds_process_parse(buf, len, now, out, why, sizeof why) != 0)
			error_set(err, errsz, "%s%scredential_process: %s", CREDS_LABEL(source_label), why);
		else
			rc = 0;
	}
	if (buf) {
		OPENSSL_cleanse(buf, cap + 1);
		free(buf);
	}
	return rc;
}
