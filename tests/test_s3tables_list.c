/*
 * test_s3tables_list.c - the listing and configuration requests of
 * lib/aws/s3tables.c against the simulator (tests/sim/s3tables_sim.py) over
 * TLS: every page followed, sorting, namespace filter, keep function, the
 * first failing page, paths and query names as the model says, one kept-alive
 * connection for a whole listing (the simulator's counters).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "aws_client.h"
#include "deadline.h"
#include "fixture.h"
#include "http.h"
#include "s3tables.h"
#include "table_filter.h"
#include "tap.h"

#define ACCOUNT_ARN "arn:aws:s3tables:us-east-1:111122223333:bucket/"

static char tmpdir[] = "/tmp/s3t-list-XXXXXX";
static pid_t sim_pid = -1;
static char counters_path[300];

static const char *srcdir(void)
{
	const char *s = getenv("S3T_SRCDIR");
	if (!s || !*s)
		s = getenv("srcdir");
	return s && *s ? s : ".";
}

static int start_sim(char *url, size_t urlsz)
{
	char cmd[1200], script[600], cert[400], key[400], port_file[400], log_path[400];
	snprintf(cmd, sizeof cmd, "sh '%s/tests/sim/gen-test-ca.sh' '%s'", srcdir(), tmpdir);
	if (system(cmd) != 0)
		return -1;
	snprintf(script, sizeof script, "%s/tests/sim/s3tables_sim.py", srcdir());
	snprintf(cert, sizeof cert, "%s/server.pem", tmpdir);
	snprintf(key, sizeof key, "%s/server.key", tmpdir);
	snprintf(port_file, sizeof port_file, "%s/port", tmpdir);
	snprintf(log_path, sizeof log_path, "%s/requests.log", tmpdir);
	snprintf(counters_path, sizeof counters_path, "%s/counters.json", tmpdir);
	char *argv[] = { "python3", script, "--cert", cert, "--key", key, "--port", "0", "--port-file", port_file,
			 "--log", log_path, "--counters", counters_path, "--lifetime", "120", NULL };
	int port = fixture_spawn(argv, port_file, 20, &sim_pid);
	if (port < 0)
		return -1;
	snprintf(url, urlsz, "https://127.0.0.1:%d", port);
	return 0;
}

static void stop_sim(void)
{
	if (sim_pid > 0) {
		kill(sim_pid, SIGTERM);
		waitpid(sim_pid, NULL, 0);
		sim_pid = -1;
	}
}

/* counters.json: name's value, or operations.<op> with op set; -1 when unreadable. */
static long counter(const char *name, const char *op)
{
	json_object *root = json_object_from_file(counters_path), *v = NULL;
	long n = -1;
	if (root && json_object_object_get_ex(root, op ? "operations" : name, &v)) {
		if (op && !json_object_object_get_ex(v, op, &v))
			v = NULL, n = 0;
		if (v)
			n = (long)json_object_get_int64(v);
	}
	json_object_put(root);
	return n;
}

static int keep_no_tmp(const void *arg, const char *ns, const char *name)
{
	(void)ns;
	return strstr(name, (const char *)arg) == NULL;
}

static int sorted(const struct s3t_table_list *l)
{
	for (size_t i = 1; i < l->ntables; i++) {
		int d = strcmp(l->tables[i - 1].namespace_name, l->tables[i].namespace_name);
		if (d > 0 || (d == 0 && strcmp(l->tables[i - 1].name, l->tables[i].name) >= 0))
			return 0;
	}
	return 1;
}

static void test_list_tables(struct aws_client *c)
{
	struct s3t_table_list l;
	struct aws_result res;
	long req0 = counter("requests", NULL), hs0 = counter("tls_handshakes", NULL);
	int o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-mixed", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_OK, "fleet-mixed: listed (%d: %s)", o, res.message);
	is_int(l.ntables, 20, "fleet-mixed: all 20 tables over its pages of 7");
	ok(res.attempts == 3, "three pages, one attempt each (%d)", res.attempts);
	ok(counter("requests", NULL) - req0 == 3 && counter("tls_handshakes", NULL) - hs0 <= 1,
	   "the simulator saw 3 requests on at most one new TLS connection");
	ok(sorted(&l) && !l.continuation_token, "sorted by namespace then name; no token left");
	if (l.ntables == 20) {
		is_str(l.tables[0].namespace_name, "ops", "first: ops...");
		is_str(l.tables[0].name, "audit", "...audit");
		is_str(l.tables[19].name, "returns", "last: sales.returns");
		is_str(l.tables[0].table_arn, ACCOUNT_ARN "fleet-mixed/table/ops-audit", "tableARN as listed");
		is_str(l.tables[0].type, "aws", "type as listed");
		ok(l.tables[0].has_created_at && l.tables[0].has_modified_at && l.tables[0].namespace_id,
		   "timestamps and namespaceId parsed");
	}
	s3t_table_list_free(&l);
	aws_result_free(&res);

	/* namespaces: one listing each, duplicates ignored; keep() applied */
	const char *ns[] = { "sales", "raw", "sales" };
	req0 = counter("operations", "ListTables");
	o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-mixed", ns, 3, keep_no_tmp, "_tmp", &l, &res);
	ok(o == AWS_OK && l.ntables == 12 && sorted(&l), "namespaces sales+raw minus *_tmp: 6 + 6 tables (%zu)",
	   l.ntables);
	ok(counter("operations", "ListTables") - req0 == 2, "one listing per distinct namespace (7 and 6 tables: "
	   "one page each): %ld", counter("operations", "ListTables") - req0);
	int bad = 0;
	for (size_t i = 0; i < l.ntables; i++)
		bad += strcmp(l.tables[i].namespace_name, "ops") == 0 || strstr(l.tables[i].name, "_tmp") != NULL;
	ok(!bad, "no ops table, no staging_tmp");
	s3t_table_list_free(&l);
	aws_result_free(&res);

	/* through the table filter */
	struct table_filter *f;
	char err[256];
	const char *inc[] = { "^raw\\.(orders|clicks)$", "^ops\\.a" };
	if (table_filter_new(NULL, 0, inc, 2, NULL, 0, &f, err, sizeof err) == 0) {
		o = table_filter_list_tables(c, ACCOUNT_ARN "fleet-mixed", f, &l, &res);
		ok(o == AWS_OK && l.ntables == 3 && !strcmp(l.tables[0].name, "audit") &&
		   !strcmp(l.tables[1].name, "clicks") && !strcmp(l.tables[2].name, "orders"),
		   "table_filter_list_tables: ops.audit, raw.clicks, raw.orders");
		s3t_table_list_free(&l);
		aws_result_free(&res);
		table_filter_free(f);
	}

	/* 1200 tables: maxTables 1000 -> two pages */
	req0 = counter("operations", "ListTables");
	o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-large", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_OK && l.ntables == 1200 && sorted(&l), "fleet-large: 1200 tables, sorted (%zu)", l.ntables);
	ok(counter("operations", "ListTables") - req0 == 2, "fleet-large: 2 pages (maxTables=1000)");
	if (l.ntables == 1200)
		ok(!strcmp(l.tables[0].name, "tbl_0000") && !strcmp(l.tables[599].namespace_name, "ns_a") &&
		   !strcmp(l.tables[600].namespace_name, "ns_b") && !strcmp(l.tables[1199].name, "tbl_1199"),
		   "fleet-large: ns_a tbl_0000..0599, ns_b tbl_0600..1199");
	s3t_table_list_free(&l);
	aws_result_free(&res);

	/* one page by hand */
	o = s3t_list_tables_page(c, ACCOUNT_ARN "fleet-mixed", "ops", NULL, 2, &l, &res);
	ok(o == AWS_OK && l.ntables == 2 && l.continuation_token, "one page: maxTables=2, namespace=ops, a token");
	char *tok = l.continuation_token ? strdup(l.continuation_token) : NULL;
	s3t_table_list_free(&l);
	aws_result_free(&res);
	o = s3t_list_tables_page(c, ACCOUNT_ARN "fleet-mixed", "ops", tok, 5, &l, &res);
	ok(o == AWS_OK && l.ntables == 5 && !l.continuation_token, "the next page with the token: the other 5 ops");
	s3t_table_list_free(&l);
	aws_result_free(&res);
	o = s3t_list_tables_page(c, ACCOUNT_ARN "fleet-mixed", "raw", tok, 5, &l, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 400, "the token with another namespace: 400");
	aws_result_free(&res);
	free(tok);

	o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-empty", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_OK && l.ntables == 0 && res.attempts == 1, "fleet-empty: 0 tables");
	s3t_table_list_free(&l);
	aws_result_free(&res);

	/* failures */
	o = s3t_list_all_tables(c, ACCOUNT_ARN "no-such-bucket", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 404 && !strcmp(res.error.code, "NotFoundException") &&
	   l.ntables == 0 && !l.tables, "unknown bucket: the 404 NotFoundException, nothing listed");
	aws_result_free(&res);
	o = s3t_list_all_tables(c, ACCOUNT_ARN "list-forbidden", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 403, "list-forbidden: 403");
	aws_result_free(&res);
	o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-badpage", NULL, 0, NULL, NULL, &l, &res);
	ok(o == S3T_MALFORMED && l.ntables == 0 && strstr(res.message, "malformed response: page 2: ") &&
	   strstr(res.message, "not valid JSON") && res.attempts == 2,
	   "fleet-badpage: page 2 malformed -> S3T_MALFORMED, page 1 released (%s)",
	   res.message);
	aws_result_free(&res);
	o = s3t_list_all_tables(c, ACCOUNT_ARN "fleet-loop", NULL, 0, NULL, NULL, &l, &res);
	ok(o == S3T_MALFORMED && l.ntables == 0 && res.attempts == 2 &&
	   strstr(res.message, "page 2: the same continuationToken came back twice"),
	   "fleet-loop: a repeated token ends the listing after 2 pages (%s)", res.message);
	aws_result_free(&res);
	o = s3t_list_all_tables(c, ACCOUNT_ARN "list-throttle-then-ok", NULL, 0, NULL, NULL, &l, &res);
	ok(o == AWS_OK && l.ntables == 2 && res.attempts == 3, "list-throttle-then-ok: retried to 2 tables");
	s3t_table_list_free(&l);
	aws_result_free(&res);
}

static void test_other_listings(struct aws_client *c)
{
	struct s3t_bucket_list b;
	struct s3t_namespace_list n;
	struct aws_result res;
	long req0 = counter("operations", "ListTableBuckets");
	int o = s3t_list_all_table_buckets(c, &b, &res);
	ok(o == AWS_OK && b.nbuckets == 4, "ListTableBuckets: 4 buckets (%zu)", b.nbuckets);
	ok(counter("operations", "ListTableBuckets") - req0 == 2, "over 2 pages (at most 3 a page)");
	if (b.nbuckets == 4) {
		is_str(b.buckets[0].arn, ACCOUNT_ARN "fleet-empty", "sorted by ARN: fleet-empty first");
		is_str(b.buckets[3].name, "sim-bucket", "sim-bucket last");
		is_str(b.buckets[0].owner_account_id, "111122223333", "ownerAccountId");
	}
	s3t_bucket_list_free(&b);
	aws_result_free(&res);

	o = s3t_list_all_namespaces(c, ACCOUNT_ARN "fleet-mixed", &n, &res);
	ok(o == AWS_OK && n.nnamespaces == 3 && !strcmp(n.namespaces[0].name, "ops") &&
	   !strcmp(n.namespaces[2].name, "sales"), "ListNamespaces fleet-mixed: ops, raw, sales");
	s3t_namespace_list_free(&n);
	aws_result_free(&res);
}

#define MIXED_T ACCOUNT_ARN "fleet-mixed/table/"

static void test_configurations(struct aws_client *c)
{
	struct s3t_replication_config r;
	struct s3t_expiration_config e;
	struct s3t_maintenance_config m;
	struct aws_result res;
	int o = s3t_get_table_replication(c, MIXED_T "sales-orders", &r, &res);
	ok(o == AWS_OK && r.ndestinations == 3 && r.nrules == 1 && r.role && r.version_token &&
	   strstr(r.destination_bucket_arns[2], "bucket/dr-c"), "GetTableReplication sales.orders: dr-a, dr-b, dr-c");
	s3t_replication_config_free(&r);
	aws_result_free(&res);
	o = s3t_get_table_replication(c, MIXED_T "raw-views", &r, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 404, "GetTableReplication raw.views: 404 (not configured)");
	aws_result_free(&res);
	o = s3t_get_table_replication(c, MIXED_T "ops-garbled", &r, &res);
	ok(o == S3T_MALFORMED && r.ndestinations == 0, "GetTableReplication ops.garbled: malformed");
	aws_result_free(&res);

	o = s3t_get_record_expiration_configuration(c, MIXED_T "raw-events_01", &e, &res);
	ok(o == AWS_OK && e.status && !strcmp(e.status, "enabled") && e.has_days && e.days == 30,
	   "GetTableRecordExpirationConfiguration raw.events_01: enabled, 30 days");
	s3t_expiration_config_free(&e);
	aws_result_free(&res);
	o = s3t_get_record_expiration_configuration(c, MIXED_T "ops-inventory", &e, &res);
	ok(o == AWS_OK && e.status && !strcmp(e.status, "disabled"), "ops.inventory: disabled");
	s3t_expiration_config_free(&e);
	aws_result_free(&res);
	o = s3t_get_record_expiration_configuration(c, MIXED_T "sales-orders", &e, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 405, "sales.orders: 405 MethodNotAllowed");
	aws_result_free(&res);

	o = s3t_get_maintenance_configuration(c, ACCOUNT_ARN "fleet-mixed", "raw", "clicks", &m, &res);
	ok(o == AWS_OK && m.nsettings == 2 && m.table_arn && !strcmp(m.table_arn, MIXED_T "raw-clicks"),
	   "GetTableMaintenanceConfiguration raw.clicks: 2 entries");
	for (size_t i = 0; o == AWS_OK && i < m.nsettings; i++)
		if (!strcmp(m.settings[i].type, "icebergSnapshotManagement"))
			ok(m.settings[i].status && !strcmp(m.settings[i].status, "disabled") &&
			   m.settings[i].max_snapshot_age_hours == 120, "snapshot management disabled, 120 h");
	s3t_maintenance_config_free(&m);
	aws_result_free(&res);
	o = s3t_get_maintenance_configuration(c, ACCOUNT_ARN "fleet-mixed", "ops", "locked", &m, &res);
	ok(o == AWS_API_ERROR && res.error.http_status == 403, "ops.locked: 403");
	aws_result_free(&res);
}

/* Worker threads list at once, each with its own client (as the batch engine runs them). */
struct worker {
	const struct aws_client *proto;
	const char *ca;
	int rc;
	size_t ntables;
	int is_sorted;
};

static void *list_in_thread(void *arg)
{
	struct worker *w = arg;
	char err[256];
	struct http_options ho = { .ca_file = w->ca };
	struct aws_client c = *w->proto;
	c.http = http_client_new(&ho, err, sizeof err);
	w->rc = -1;
	if (!c.http)
		return NULL;
	struct s3t_table_list l;
	struct aws_result res;
	const char *ns[] = { "sales", "raw" };
	w->rc = s3t_list_all_tables(&c, ACCOUNT_ARN "fleet-mixed", ns, 2, keep_no_tmp, "_tmp", &l, &res);
	w->ntables = l.ntables;
	w->is_sorted = sorted(&l);
	s3t_table_list_free(&l);
	aws_result_free(&res);
	http_client_free(c.http);
	return NULL;
}

static void test_threads(const struct aws_client *proto, const char *ca)
{
	struct worker w[4];
	pthread_t t[4];
	int started = 0;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .proto = proto, .ca = ca };
		if (pthread_create(&t[i], NULL, list_in_thread, &w[i]) == 0)
			started++;
		else
			break;
	}
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
	int good = started == 4;
	for (int i = 0; i < started; i++)
		good = good && w[i].rc == AWS_OK && w[i].ntables == 12 && w[i].is_sorted;
	ok(good, "4 threads list at once, each with its own client: 12 sorted tables each");
}

int main(void)
{
	char url[128], err[256], ca[400];
	if (!mkdtemp(tmpdir) || start_sim(url, sizeof url) != 0) {
		ok(0, "simulator started");
		stop_sim();
		return tap_done();
	}
	snprintf(ca, sizeof ca, "%s/ca.pem", tmpdir);
	struct http_options ho = { .ca_file = ca };
	struct http_client *h = http_client_new(&ho, err, sizeof err);
	struct creds cr = { .access_key_id = "AKIDEXAMPLE",
			    .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
	struct deadline dl;
	deadline_start(&dl, 60);
	struct aws_client c = { .http = h, .creds = &cr, .region = "us-east-1", .service = "s3tables",
				.endpoint_url = url, .deadline = &dl, .max_attempts = 3 };
	if (ok(h != NULL, "http client (%s)", h ? "" : err)) {
		test_list_tables(&c);
		test_other_listings(&c);
		test_configurations(&c);
		test_threads(&c, ca);
	}
	http_client_free(h);
	stop_sim();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	return tap_done();
}
