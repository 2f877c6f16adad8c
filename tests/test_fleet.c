/*
 * test_fleet.c - folding many tables' results into one (lib/check/fleet.c),
 * with table results made by the real evaluators from the fixtures in
 * tests/data/responses/ at a fixed now: the summary, worst-first long output
 * with nested lines, the not-applicable and not-checked counts, the caps for
 * thousands of tables, the perfdata, and adding from several threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "eval_replication.h"
#include "fleet.h"
#include "render.h"
#include "tap.h"

#define NOW 1796119200.0 /* 2026-12-01T10:00:00Z */

static char datadir[4096];

static int starts(const char *text, const char *prefix)
{
	return strncmp(text, prefix, strlen(prefix)) == 0;
}
static const struct fleet_metric metrics[] = {{"lag_max", 0, "lag_max"}};

static struct s3t_replication_status load(const char *name)
{
	char path[4200], body[1 << 14], err[256];
	struct s3t_replication_status st;
	memset(&st, 0, sizeof st);
	snprintf(path, sizeof path, "%s/%s", datadir, name);
	FILE *f = fopen(path, "rb");
	size_t len = f ? fread(body, 1, sizeof body - 1, f) : 0;
	if (f)
		fclose(f);
	body[len] = 0;
	if (s3t_parse_replication_status(body, len, &st, err, sizeof err))
		printf("# %s: %s\n", name, err);
	return st;
}

static struct s3t_replication_status mixed, completed, none, pending;

static struct result *table(const struct s3t_replication_status *st, const struct replication_settings *s)
{
	return eval_replication(st, s, NOW);
}

static void test_summary(void)
{
	struct replication_settings s;
	replication_settings_init(&s);
	struct fleet_options o = {.metrics = metrics, .nmetrics = 1};
	struct fleet *f = fleet_new(6, &o);
	/* Added out of listing order, as parallel workers do. */
	fleet_add(f, 3, "raw.clicks", table(&pending, &s));
	fleet_add(f, 0, "a.one", table(&completed, &s));
	fleet_add(f, 5, "sales.orders", table(&mixed, &s));
	fleet_add(f, 1, "a.two", table(&none, &s));
	fleet_add(f, 2, "b.three", table(&completed, &s));
	struct aws_result res = {.attempts = 1, .http_status = 403};
	snprintf(res.error.code, sizeof res.error.code, "AccessDeniedException");
	snprintf(res.error.message, sizeof res.error.message, "no");
	res.error.http_status = 403;
	struct check_env env = {.started = NOW, .timeout = 10};
	fleet_add(f, 4, "b.denied", check_failure("GetTableReplicationStatus", AWS_API_ERROR, &res, STATE_CRITICAL, "x",
						  NULL, &env));
	struct result *root = fleet_result(f, 0, 10, STATE_UNKNOWN);
	is_int(result_state(root), STATE_CRITICAL, "fleet: the worst checked table");
	char *text = render_text("REPLICATION", root);
	char desc[512];
	aws_error_describe(&res.error, desc, sizeof desc);
	char want[4096];
	snprintf(want, sizeof want,
		 "S3TABLES REPLICATION CRITICAL - 1 of 6 tables critical (sales.orders: 1 of 3 destinations failed (dr-c: KMS"
		 " key disabled), 1 pending for 10m), 1 unknown, 1 warning, 1 not replicated"
		 " | tables=6;;;0 ok=2;;;0 warning=1;;;0 critical=1;;;0 unknown=1;;;0 not_applicable=1;;;0 not_checked=0;;;0"
		 " lag_max=600s;;;0\n"
		 "[CRITICAL] sales.orders: 1 of 3 destinations failed (dr-c: KMS key disabled), 1 pending for 10m\n"
		 "    \\_ [OK] dr-a: completed, last successful update 30s ago"
		 " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
		 "    \\_ [OK] dr-b: pending, last successful update 10m ago"
		 " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n"
		 "    \\_ [CRITICAL] dr-c: failed, no successful update yet - KMS key disabled"
		 " (arn:aws:s3tables:ap-south-1:444455556666:bucket/dr-c)\n"
		 "[UNKNOWN] b.denied: GetTableReplicationStatus failed: %s after 1 attempt\n"
		 "[WARNING] raw.clicks: 1 of 1 destination pending (1 with no successful update yet)\n"
		 "    \\_ [WARNING] dr-a: pending, no successful update yet (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
		 "2 tables OK\n"
		 "1 table not applicable\n",
		 desc);
	is_str(text, want, "fleet: summary, worst first with nested destinations, counts and perfdata");
	free(text);
	result_free(root);
	fleet_free(f);

	/* An explicit --not-found-state makes a table without replication count. */
	s.not_found_state_set = 1;
	f = fleet_new(2, &o);
	fleet_add(f, 0, "a.one", table(&completed, &s));
	fleet_add(f, 1, "a.two", table(&none, &s));
	root = fleet_result(f, 0, 10, STATE_UNKNOWN);
	text = render_text("REPLICATION", root);
	ok(text && strstr(text, "CRITICAL - 1 of 2 tables critical (a.two: replication not configured") &&
		   strstr(text, "not_applicable=0;"),
	   "fleet: --not-found-state=CRITICAL requires replication on every table");
	free(text);
	result_free(root);
	fleet_free(f);
}

static void test_all_ok_and_detail(void)
{
	struct replication_settings s;
	replication_settings_init(&s);
	struct fleet_options o = {.metrics = metrics, .nmetrics = 1, .detail_all = 1, .perfdata_per_table = 1};
	struct fleet *f = fleet_new(3, &o);
	fleet_add(f, 1, "n.b", table(&completed, &s));
	fleet_add(f, 0, "n.a", table(&completed, &s));
	fleet_add(f, 2, "n.c", table(&none, &s));
	struct result *root = fleet_result(f, 0, 10, STATE_UNKNOWN);
	char *text = render_text("REPLICATION", root);
	is_str(text,
	       "S3TABLES REPLICATION OK - 2 of 3 tables OK, 1 not replicated"
	       " | tables=3;;;0 ok=2;;;0 warning=0;;;0 critical=0;;;0 unknown=0;;;0 not_applicable=1;;;0 not_checked=0;;;0"
	       " lag_max=0s;;;0 'n.a::destinations'=2;;;0 'n.a::completed'=2;;;0 'n.a::pending'=0;;;0 'n.a::failed'=0;;;0"
	       " 'n.a::lag_max'=0s;;;0 'n.a::lag_dr-a'=0s;;;0 'n.a::lag_dr-b'=0s;;;0 'n.b::destinations'=2;;;0"
	       " 'n.b::completed'=2;;;0 'n.b::pending'=0;;;0 'n.b::failed'=0;;;0 'n.b::lag_max'=0s;;;0 'n.b::lag_dr-a'=0s;;;0"
	       " 'n.b::lag_dr-b'=0s;;;0\n"
	       "[OK] n.a: 2 of 2 destinations completed\n"
	       "    \\_ [OK] dr-a: completed, last successful update 1h ago"
	       " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
	       "    \\_ [OK] dr-b: COMPLETED, last successful update 1h 30m ago"
	       " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n"
	       "[OK] n.b: 2 of 2 destinations completed\n"
	       "    \\_ [OK] dr-a: completed, last successful update 1h ago"
	       " (arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a)\n"
	       "    \\_ [OK] dr-b: COMPLETED, last successful update 1h 30m ago"
	       " (arn:aws:s3tables:eu-west-1:111122223333:bucket/dr-b)\n"
	       "[N/A] n.c: replication not configured or table not found (no destinations) (not replicated)\n",
	       "fleet: --detail=all lists every table in order; --perfdata=per-table adds namespace.table::metric");
	free(text);
	result_free(root);
	fleet_free(f);
}

static void test_deadline(void)
{
	struct replication_settings s;
	replication_settings_init(&s);
	struct fleet_options o = {.metrics = metrics, .nmetrics = 1};
	struct fleet *f = fleet_new(5, &o);
	fleet_add(f, 0, "a.one", table(&completed, &s));
	fleet_add(f, 1, "a.two", table(&pending, &s));
	struct aws_result res = {.attempts = 1};
	snprintf(res.message, sizeof res.message, "deadline reached while waiting for the response from 127.0.0.1:9");
	struct check_env env = {.started = NOW, .timeout = 3, .timeout_state = STATE_CRITICAL};
	fleet_add(f, 2, "a.three", check_failure("GetTableReplicationStatus", AWS_TIMEOUT, &res, STATE_CRITICAL, "x", NULL, &env));
	struct result *root = fleet_result(f, 1, 3, STATE_CRITICAL);
	is_int(result_state(root), STATE_CRITICAL, "fleet: a timed-out run is at least the -t state");
	char *text = render_text("REPLICATION", root);
	ok(text && starts(text, "S3TABLES REPLICATION CRITICAL - timed out after 3 s: 2 of 5 tables checked; 1 of 5 tables"
				 " warning (a.two: "),
	   "fleet: the summary says timed out after N s: M of T tables checked");
	ok(text && strstr(text, "not_checked=3;;;0") && strstr(text, "\n3 tables not checked (deadline reached)\n"),
	   "fleet: tables in flight at the deadline and never started count as not_checked");
	free(text);
	result_free(root);
	fleet_free(f);

	f = fleet_new(0, &o);
	root = fleet_result(f, 0, 3, STATE_CRITICAL);
	is_int(result_state(root), STATE_UNKNOWN, "fleet: no table at all is UNKNOWN");
	result_free(root);
	fleet_free(f);
}

/* 10,000 tables from 4 threads: counts exact, output capped, the worst listed first. */
struct worker {
	struct fleet *f;
	size_t from, to;
	const struct replication_settings *s;
};

static void *add_range(void *arg)
{
	struct worker *w = arg;
	char name[64];
	for (size_t i = w->from; i < w->to; i++) {
		snprintf(name, sizeof name, "ns.t%05zu", i);
		const struct s3t_replication_status *st = i % 10 == 7 ? &mixed : i % 10 == 3 ? &pending : &completed;
		fleet_add(w->f, i, name, table(st, w->s));
	}
	return NULL;
}

static void test_many(void)
{
	struct replication_settings s;
	replication_settings_init(&s);
	struct fleet_options o = {.metrics = metrics, .nmetrics = 1, .perfdata_per_table = 1};
	enum { N = 10000, T = 4 };
	struct fleet *f = fleet_new(N, &o);
	pthread_t th[T];
	struct worker w[T];
	for (int i = 0; i < T; i++) {
		w[i] = (struct worker){.f = f, .from = (size_t)i * N / T, .to = (size_t)(i + 1) * N / T, .s = &s};
		pthread_create(&th[i], NULL, add_range, &w[i]);
	}
	for (int i = 0; i < T; i++)
		pthread_join(th[i], NULL);
	struct result *root = fleet_result(f, 0, 10, STATE_UNKNOWN);
	char *text = render_text("REPLICATION", root);
	ok(text && starts(text, "S3TABLES REPLICATION CRITICAL - 1000 of 10000 tables critical (ns.t00007: 1 of 3"),
	   "fleet: 10000 tables, the first critical one by name in the summary");
	ok(text && strstr(text, "tables=10000;;;0 ok=8000;;;0 warning=1000;;;0 critical=1000;;;0"),
	   "fleet: counts exact when added from 4 threads");
	ok(text && strstr(text, "\n[CRITICAL] ns.t00007: ") && strstr(text, "\n... 1976 more tables\n") &&
		   strstr(text, "\n8000 tables OK\n"),
	   "fleet: long output capped with '... N more tables' and the OK count");
	size_t lines = 0, perf = 0;
	for (const char *p = text; p && *p; p++)
		lines += *p == '\n';
	const char *bar = text ? strchr(text, '|') : NULL;
	for (const char *p = bar; p && *p && *p != '\n'; p++)
		perf += *p == '=';
	ok(lines <= 100, "fleet: at most 100 long-output lines (%zu)", lines);
	is_int(perf, 100, "fleet: perfdata capped at 100 items");
	free(text);
	result_free(root);
	fleet_free(f);
}

int main(void)
{
	const char *src = getenv("S3T_SRCDIR");
	if (!src || !*src)
		src = getenv("srcdir");
	snprintf(datadir, sizeof datadir, "%s/tests/data/responses", src && *src ? src : ".");
	mixed = load("replication_mixed.json");
	completed = load("replication_completed.json");
	none = load("replication_none.json");
	pending = load("replication_pending_no_update.json");
	test_summary();
	test_all_ok_and_detail();
	test_deadline();
	test_many();
	s3t_replication_status_free(&mixed);
	s3t_replication_status_free(&completed);
	s3t_replication_status_free(&none);
	s3t_replication_status_free(&pending);
	return tap_done();
}
