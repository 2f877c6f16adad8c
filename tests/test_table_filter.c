/*
 * test_table_filter.c - which tables a fleet run keeps (lib/check/table_filter.c):
 * namespaces exact, POSIX ERE includes/excludes on "namespace.table", errors
 * naming the option and the regex.
 */
#include <stdlib.h>
#include <string.h>

#include "table_filter.h"
#include "tap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static struct table_filter *mk(const char *const *ns, size_t nns, const char *const *inc, size_t ninc,
			       const char *const *exc, size_t nexc)
{
	struct table_filter *f = NULL;
	char err[256] = "";
	if (table_filter_new(ns, nns, inc, ninc, exc, nexc, &f, err, sizeof err))
		printf("# table_filter_new: %s\n", err);
	return f;
}

static void test_empty(void)
{
	struct table_filter *f = mk(NULL, 0, NULL, 0, NULL, 0);
	ok(f != NULL, "no options: a filter");
	ok(table_filter_match(f, "sales", "orders") && table_filter_match(f, "a", "b"), "no options: every table kept");
	size_t n = 99;
	ok(table_filter_namespaces(f, &n) == NULL && n == 0, "no namespaces reported");
	ok(table_filter_match(NULL, "x", "y"), "NULL filter keeps everything");
	table_filter_free(f);
	table_filter_free(NULL);
}

static void test_namespaces(void)
{
	const char *ns[] = { "sales", "raw_1" };
	struct table_filter *f = mk(ns, N(ns), NULL, 0, NULL, 0);
	ok(table_filter_match(f, "sales", "orders"), "namespace sales kept");
	ok(table_filter_match(f, "raw_1", "clicks"), "namespace raw_1 kept");
	ok(!table_filter_match(f, "sales2", "orders"), "namespace match is exact (sales2 dropped)");
	ok(!table_filter_match(f, "sale", "orders"), "namespace match is exact (sale dropped)");
	ok(!table_filter_match(f, "other", "orders"), "other namespace dropped");
	size_t n = 0;
	const char *const *got = table_filter_namespaces(f, &n);
	ok(n == 2 && got && !strcmp(got[0], "sales") && !strcmp(got[1], "raw_1"), "namespaces reported in order");
	table_filter_free(f);

	/* the caller's strings may go */
	char buf[16];
	strcpy(buf, "sales");
	const char *ns2[] = { buf };
	f = mk(ns2, 1, NULL, 0, NULL, 0);
	strcpy(buf, "zzz");
	ok(table_filter_match(f, "sales", "t") && !table_filter_match(f, "zzz", "t"), "namespaces are copied");
	table_filter_free(f);
}

static void test_regexes(void)
{
	const char *inc[] = { "^sales\\.", "\\.clicks$" };
	const char *exc[] = { "_tmp$", "^sales\\.secret" };
	struct table_filter *f = mk(NULL, 0, inc, N(inc), exc, N(exc));
	ok(table_filter_match(f, "sales", "orders"), "include ^sales\\. keeps sales.orders");
	ok(table_filter_match(f, "raw", "clicks"), "include \\.clicks$ keeps raw.clicks");
	ok(!table_filter_match(f, "raw", "views"), "matching no include: dropped");
	ok(!table_filter_match(f, "sales", "orders_tmp"), "exclude _tmp$ wins over include");
	ok(!table_filter_match(f, "sales", "secret_ledger"), "exclude ^sales\\.secret drops sales.secret_ledger");
	ok(!table_filter_match(f, "salesx", "orders"), "the dot is literal when escaped (salesx.orders dropped)");
	table_filter_free(f);

	/* unanchored: a regex matches anywhere in namespace.table */
	const char *inc2[] = { "ord" };
	f = mk(NULL, 0, inc2, 1, NULL, 0);
	ok(table_filter_match(f, "sales", "orders") && table_filter_match(f, "ord", "x") &&
	   !table_filter_match(f, "sales", "items"), "unanchored include matches a substring");
	table_filter_free(f);

	/* the regex sees namespace '.' table: a pattern spanning the dot */
	const char *inc3[] = { "^a\\.b$" };
	f = mk(NULL, 0, inc3, 1, NULL, 0);
	ok(table_filter_match(f, "a", "b") && !table_filter_match(f, "a", "bb") && !table_filter_match(f, "ab", ""),
	   "the text is exactly namespace.table");
	table_filter_free(f);

	/* extended syntax: alternation, +, {n} without backslashes */
	const char *inc4[] = { "^(sales|raw)\\.[a-z]+_[0-9]{2}$" };
	f = mk(NULL, 0, inc4, 1, NULL, 0);
	ok(table_filter_match(f, "raw", "events_07") && !table_filter_match(f, "raw", "events_7") &&
	   !table_filter_match(f, "ops", "events_07"), "POSIX ERE: (a|b), +, {2}");
	table_filter_free(f);

	/* only excludes */
	const char *exc2[] = { "^audit\\." };
	f = mk(NULL, 0, NULL, 0, exc2, 1);
	ok(table_filter_match(f, "sales", "orders") && !table_filter_match(f, "audit", "log"),
	   "only an exclude: everything else kept");
	table_filter_free(f);

	/* namespaces and regexes together */
	const char *ns[] = { "sales" };
	const char *inc5[] = { "orders" };
	f = mk(ns, 1, inc5, 1, NULL, 0);
	ok(table_filter_match(f, "sales", "orders") && !table_filter_match(f, "raw", "orders") &&
	   !table_filter_match(f, "sales", "items"), "namespace and include must both hold");
	table_filter_free(f);

	/* a very long name (longer than valid names) still works */
	char longname[2000];
	memset(longname, 'x', sizeof longname - 1);
	longname[sizeof longname - 1] = 0;
	const char *inc6[] = { "x$" };
	f = mk(NULL, 0, inc6, 1, NULL, 0);
	ok(table_filter_match(f, "ns", longname), "a 2000-byte name is matched");
	table_filter_free(f);
}

static void test_errors(void)
{
	struct table_filter *f = (struct table_filter *)1;
	char err[256] = "";
	const char *bad[] = { "ok", "a(" };
	int rc = table_filter_new(NULL, 0, bad, 2, NULL, 0, &f, err, sizeof err);
	ok(rc == -1 && f == NULL, "bad include: -1, no filter");
	ok(strstr(err, "--include") && strstr(err, "'a('"), "bad include: names the option and the regex: %s", err);
	ok(strlen(err) > strlen("--include: bad regular expression 'a(': "), "and says why");

	const char *good[] = { "x" }, *bad2[] = { "[z-a]" };
	rc = table_filter_new(NULL, 0, good, 1, bad2, 1, &f, err, sizeof err);
	ok(rc == -1 && f == NULL && strstr(err, "--exclude") && strstr(err, "[z-a]"),
	   "bad exclude names --exclude and the regex: %s", err);

	const char *badns[] = { "sales", "Sales" };
	rc = table_filter_new(badns, 2, NULL, 0, NULL, 0, &f, err, sizeof err);
	ok(rc == -1 && f == NULL && strstr(err, "--namespace") && strstr(err, "'Sales'"),
	   "invalid namespace names --namespace and the value: %s", err);
	const char *emptyns[] = { "" };
	rc = table_filter_new(emptyns, 1, NULL, 0, NULL, 0, &f, err, sizeof err);
	ok(rc == -1 && strstr(err, "--namespace"), "empty namespace rejected");
}

int main(void)
{
	test_empty();
	test_namespaces();
	test_regexes();
	test_errors();
	return tap_done();
}
