/*
 * fixture.h - start a test fixture (a loopback server, usually Python) and
 * wait for it to announce its port.
 *
 * fixture_spawn() runs argv (execvp; stdout to /dev/null so it never mixes
 * with TAP) and waits up to wait_seconds for a positive port number in
 * port_file. It returns the port and leaves the child's pid in *pid, or -1
 * when the child exits first or never answers (the child, if still running,
 * is the caller's to stop: *pid stays set). fixture_stop() ends it (SIGTERM,
 * then waits) and sets *pid to -1. fixture_rmtree() removes a temporary
 * folder and everything in it. fixture_in_path() says whether a program is on
 * $PATH. Header-only, static functions.
 */
#ifndef S3T_FIXTURE_H
#define S3T_FIXTURE_H

#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <string.h>
#include <unistd.h>

static int fixture_spawn(char *const argv[], const char *port_file, double wait_seconds, pid_t *pid)
	__attribute__((unused));
static int fixture_spawn(char *const argv[], const char *port_file, double wait_seconds, pid_t *pid)
{
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		int devnull = open("/dev/null", O_WRONLY);
		if (devnull >= 0)
			dup2(devnull, 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	for (int i = 0; i < (int)(wait_seconds * 20); i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int port = -1;
			if (fscanf(f, "%d", &port) != 1)
				port = -1;
			fclose(f);
			if (port > 0)
				return port;
		}
		if (waitpid(*pid, NULL, WNOHANG) == *pid) {
			*pid = -1;
			return -1;
		}
		usleep(50000);
	}
	return -1;
}

static void fixture_stop(pid_t *pid) __attribute__((unused));
static void fixture_stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
		*pid = -1;
	}
}

static void fixture_rmtree(const char *dir) __attribute__((unused));
static void fixture_rmtree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0)
			fixture_rmtree(path); /* a folder */
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int fixture_in_path(const char *prog) __attribute__((unused));
static int fixture_in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];
	if (!path)
		return 0;
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		path += n;
		if (*path == ':')
			path++;
	}
	return 0;
}

#endif
