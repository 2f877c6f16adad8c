/*
 * test_trace.c - the -v trace sink (lib/base/trace.c): level gating, silence
 * without a sink, one whole line per call (long lines too), and lines from
 * concurrent threads that never interleave.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "trace.h"

/* Everything written to f so far, malloc'd. */
static char *slurp(FILE *f)
{
	long n;
	fflush(f);
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		return NULL;
	rewind(f);
	char *buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		return NULL;
	}
	return buf;
}

#define THREADS 4
#define LINES 400
#define LONG_LEN 3000 /* over the sink's stack buffer: the allocated path */

struct worker {
	const struct trace *t;
	int id;
};

static void *work(void *arg)
{
	const struct worker *w = arg;
	char body[LONG_LEN + 1];
	memset(body, 'a' + w->id, LONG_LEN);
	body[LONG_LEN] = 0;
	for (int i = 0; i < LINES; i++) {
		/* alternate long and short lines, each tagged with its thread */
		int len = i % 2 ? LONG_LEN : 10 + i % 50;
		trace_printf(w->t, 1, "thread %d line %d: %.*s", w->id, i, len, body);
	}
	return NULL;
}

int main(void)
{
	/* gating and silence */
	{
		FILE *f = tmpfile();
		struct trace t = {.level = 2, .f = f};
		trace_printf(&t, 1, "level %d", 1);
		trace_printf(&t, 2, "level %d", 2);
		trace_printf(&t, 3, "level %d (not shown)", 3);
		trace_printf(NULL, 0, "no sink");
		struct trace nofile = {.level = 9, .f = NULL};
		trace_printf(&nofile, 1, "no file");
		trace_printf(&t, 1, "already ends in a newline\n");
		trace_line(&t, 2, "raw bytes, no newline", strlen("raw bytes, no newline"));
		char *got = slurp(f);
		is_str(got, "level 1\nlevel 2\nalready ends in a newline\nraw bytes, no newline\n",
		       "levels up to the sink's are written, one line each, newline not doubled");
		ok(trace_on(&t, 2) && !trace_on(&t, 3) && !trace_on(NULL, 0) && !trace_on(&nofile, 1),
		   "trace_on: level, no sink, no file");
		free(got);
		fclose(f);
	}

	/* a line longer than any fixed buffer arrives whole */
	{
		FILE *f = tmpfile();
		struct trace t = {.level = 1, .f = f};
		char *big = malloc(100001);
		memset(big, 'x', 100000);
		big[100000] = 0;
		trace_printf(&t, 1, "<%s>", big);
		char *got = slurp(f);
		ok(got && strlen(got) == 100003 && got[0] == '<' && got[100001] == '>' && got[100002] == '\n',
		   "a 100002-byte line is written whole");
		free(got);
		free(big);
		fclose(f);
	}

	/* concurrent writers: every line is one call's line, complete */
	{
		FILE *f = tmpfile();
		struct trace t = {.level = 1, .f = f};
		pthread_t th[THREADS];
		struct worker w[THREADS];
		for (int i = 0; i < THREADS; i++) {
			w[i] = (struct worker){.t = &t, .id = i};
			pthread_create(&th[i], NULL, work, &w[i]);
		}
		for (int i = 0; i < THREADS; i++)
			pthread_join(th[i], NULL);
		char *got = slurp(f);
		int lines = 0, bad = 0, seen[THREADS] = {0};
		for (char *s = got, *nl; s && *s; s = nl + 1) {
			nl = strchr(s, '\n');
			if (!nl)
				break;
			*nl = 0;
			int id, n, off = 0;
			if (sscanf(s, "thread %d line %d: %n", &id, &n, &off) != 2 || off == 0 || id < 0 || id >= THREADS ||
			    n != seen[id]) {
				bad++;
			} else {
				size_t want = n % 2 ? LONG_LEN : (size_t)(10 + n % 50);
				size_t len = strlen(s + off);
				if (len != want || strspn(s + off, (char[]){(char)('a' + id), 0}) != want)
					bad++;
				seen[id]++;
			}
			lines++;
		}
		is_int(lines, THREADS * LINES, "every line of every thread arrived");
		is_int(bad, 0, "no line was interleaved with another or cut");
		free(got);
		fclose(f);
	}
	return tap_done();
}
