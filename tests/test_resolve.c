/*
 * test_resolve.c - table, region, endpoint, attempts and trust-store
 * resolution (lib/aws/resolve.c), with an injected environment; plus a few
 * command lines run through options_parse() in a child process (it exits on
 * usage errors) and on into resolve_target().
 *
 * Expected endpoint hosts are the vectors of botocore's s3tables
 * endpoint-tests-1.json and partitions.json (shared/reference/s3tables-api.md §4).
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aws_config.h"
#include "options.h"
#include "resolve.h"
#include "tap.h"

#define ACCT "111122223333"
#define TID "55511111-7a03-4513-b921-e372b0030daf"
#define T_USE1 "arn:aws:s3tables:us-east-1:" ACCT ":bucket/src/table/" TID
#define B_USE1 "arn:aws:s3tables:us-east-1:" ACCT ":bucket/src"

/* ---- the fake environment ------------------------------------------------ */

static const char *fake_env[32][2];

static void env_clear(void)
{
	memset(fake_env, 0, sizeof fake_env);
}

static void env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < 32; i++) {
		if (!fake_env[i][0] || strcmp(fake_env[i][0], name) == 0) {
			fake_env[i][0] = name;
			fake_env[i][1] = value;
			return;
		}
	}
	abort();
}

static const char *fake_getenv(const char *name)
{
	for (size_t i = 0; i < 32 && fake_env[i][0]; i++)
		if (strcmp(fake_env[i][0], name) == 0)
			return fake_env[i][1];
	return NULL;
}

/* ---- helpers ------------------------------------------------------------- */

static struct common_options by_arn(const char *arn)
{
	struct common_options o;
	memset(&o, 0, sizeof o);
	o.table_arn = arn;
	o.fips = o.dualstack = -1;
	o.timeout = 10;
	return o;
}

static struct common_options by_name(const char *bucket, const char *ns, const char *table)
{
	struct common_options o = by_arn(NULL);
	o.bucket_arn = bucket;
	o.namespace_name = ns;
	o.table_name = table;
	return o;
}

/* Resolves; on success checks the endpoint URL and its source. */
static void endpoint_is(const struct common_options *o, const char *want_url, const char *want_src, const char *name)
{
	struct target t;
	char err[512] = "";
	int rc = resolve_target(o, fake_getenv, &t, err, sizeof err);
	if (rc != 0) {
		ok(0, "%s: resolves", name);
		printf("#   error: %s\n", err);
		return;
	}
	int good = strcmp(t.endpoint_url, want_url) == 0 && (!want_src || strcmp(t.endpoint_source, want_src) == 0);
	if (!ok(good, "%s: %s (%s)", name, want_url, want_src ? want_src : "any source"))
		printf("#   got %s from %s\n", t.endpoint_url, t.endpoint_source);
}

/* Resolution fails with a reason containing every needle given (up to two). */
static void fails(const struct common_options *o, const char *needle, const char *needle2, const char *name)
{
	struct target t;
	char err[512] = "";
	int rc = resolve_target(o, fake_getenv, &t, err, sizeof err);
	int good = rc == -1 && strstr(err, needle) && (!needle2 || strstr(err, needle2));
	if (!ok(good, "%s: rejected: %s", name, err))
		printf("#   rc %d, wanted '%s'%s%s\n", rc, needle, needle2 ? " and " : "", needle2 ? needle2 : "");
}

static int resolve(const struct common_options *o, struct target *t)
{
	char err[512] = "";
	int rc = resolve_target(o, fake_getenv, t, err, sizeof err);
	if (rc)
		printf("# unexpected failure: %s\n", err);
	return rc;
}

/* ---- tests --------------------------------------------------------------- */

static void test_defaults(void)
{
	struct common_options o = by_arn(T_USE1);
	struct target t;
	env_clear();
	ok(resolve(&o, &t) == 0, "table ARN alone resolves");
	ok(t.by_arn == 1 && t.table.is_table, "by ARN");
	is_str(t.region, "us-east-1", "region from the ARN");
	is_str(t.region_source, "the ARN", "region source: the ARN");
	is_str(t.endpoint_url, "https://s3tables.us-east-1.amazonaws.com", "default endpoint us-east-1");
	is_str(t.endpoint_source, "partition rules", "endpoint source: partition rules");
	is_int(t.max_attempts, 3, "default max attempts 3");
	ok(t.ca_file == NULL && t.ca_path == NULL && t.proxy == NULL, "system trust store, no proxy");
	is_str(t.bucket.bucket_arn, B_USE1, "bucket ARN derived from the table ARN");
	is_str(t.table.table_id, TID, "table id");
	ok(t.namespace_name == NULL && t.table_name == NULL, "no namespace/name when by ARN");
	is_str(t.table_label, "src/" TID, "label bucket/table-id");

	/* AWS_REGION / AWS_DEFAULT_REGION cannot move a table out of its ARN's region. */
	env_set("AWS_REGION", "eu-west-1");
	env_set("AWS_DEFAULT_REGION", "ap-south-1");
	ok(resolve(&o, &t) == 0 && strcmp(t.region, "us-east-1") == 0 &&
	   strcmp(t.endpoint_url, "https://s3tables.us-east-1.amazonaws.com") == 0,
	   "AWS_REGION/AWS_DEFAULT_REGION do not override the ARN's region");
	env_clear();
}

static void test_partitions(void)
{
	struct common_options o;
	env_clear();
	o = by_arn("arn:aws-cn:s3tables:cn-north-1:" ACCT ":bucket/src/table/t1");
	endpoint_is(&o, "https://s3tables.cn-north-1.amazonaws.com.cn", "partition rules", "cn-north-1");
	o.dualstack = 1;
	endpoint_is(&o, "https://s3tables.cn-north-1.api.amazonwebservices.com.cn", NULL, "cn-north-1 dual-stack");
	o.fips = 1;
	endpoint_is(&o, "https://s3tables-fips.cn-north-1.api.amazonwebservices.com.cn", NULL, "cn-north-1 FIPS dual-stack");

	o = by_arn("arn:aws-us-gov:s3tables:us-gov-west-1:" ACCT ":bucket/src/table/t1");
	endpoint_is(&o, "https://s3tables.us-gov-west-1.amazonaws.com", NULL, "us-gov-west-1");
	o.fips = 1;
	endpoint_is(&o, "https://s3tables-fips.us-gov-west-1.amazonaws.com", NULL, "us-gov-west-1 FIPS");
	o.dualstack = 1;
	endpoint_is(&o, "https://s3tables-fips.us-gov-west-1.api.aws", NULL, "us-gov-west-1 FIPS dual-stack");

	o = by_arn(T_USE1);
	o.fips = 1;
	endpoint_is(&o, "https://s3tables-fips.us-east-1.amazonaws.com", "partition rules", "--fips");
	o = by_arn(T_USE1);
	o.dualstack = 1;
	endpoint_is(&o, "https://s3tables.us-east-1.api.aws", NULL, "--dualstack");
	o.fips = 1;
	endpoint_is(&o, "https://s3tables-fips.us-east-1.api.aws", NULL, "--fips --dualstack");

	o = by_arn("arn:aws:s3tables:eu-central-1:" ACCT ":bucket/src/table/t1");
	endpoint_is(&o, "https://s3tables.eu-central-1.amazonaws.com", NULL, "eu-central-1");

	/* Partition and region must agree. */
	o = by_arn("arn:aws-cn:s3tables:us-east-1:" ACCT ":bucket/src/table/t1");
	fails(&o, "aws-cn", "us-east-1", "aws-cn ARN with region us-east-1");
	o = by_arn("arn:aws:s3tables:cn-north-1:" ACCT ":bucket/src/table/t1");
	fails(&o, "partition", "aws-cn", "aws ARN with region cn-north-1");
	o = by_arn("arn:aws-us-gov:s3tables:us-east-1:" ACCT ":bucket/src/table/t1");
	fails(&o, "partition", NULL, "aws-us-gov ARN with region us-east-1");
	o = by_arn("arn:aws:s3tables:us-gov-west-1:" ACCT ":bucket/src/table/t1");
	fails(&o, "partition", "aws-us-gov", "aws ARN with region us-gov-west-1");
}

static void test_region_option(void)
{
	struct common_options o = by_arn(T_USE1);
	struct target t;
	env_clear();
	o.region = "us-east-1";
	ok(resolve(&o, &t) == 0 && strcmp(t.region, "us-east-1") == 0 && strcmp(t.region_source, "--region") == 0,
	   "--region equal to the ARN's region is fine (source --region)");
	o.region = "us-west-2";
	fails(&o, "--region us-west-2", "us-east-1", "--region contradicting the ARN");
	o.region = "US-EAST-1";
	fails(&o, "--region", NULL, "--region differing only in case");
	o = by_name(B_USE1, "sales", "orders");
	o.region = "eu-west-1";
	fails(&o, "--region eu-west-1", "us-east-1", "--region contradicting the bucket ARN");
}

static void test_bad_arns(void)
{
	struct common_options o;
	env_clear();
	o = by_arn(B_USE1);
	fails(&o, "--table-arn", NULL, "bucket ARN given as --table-arn");
	o = by_arn("arn:aws:s3:us-east-1:" ACCT ":bucket/src/table/t1");
	fails(&o, "--table-arn", "s3tables", "wrong service");
	o = by_arn("arn:aws:s3tables::" ACCT ":bucket/src/table/t1");
	fails(&o, "--table-arn", "region", "empty region in the ARN");
	o = by_arn("");
	fails(&o, "--table-arn", NULL, "empty --table-arn");
	o = by_name(T_USE1, "sales", "orders");
	fails(&o, "--table-bucket-arn", NULL, "table ARN given as --table-bucket-arn");
	o = by_name("arn:aws:s3tables:us-east-1:12345:bucket/src", "sales", "orders");
	fails(&o, "--table-bucket-arn", "account", "short account id in the bucket ARN");
}

static void test_by_name(void)
{
	struct common_options o;
	struct target t;
	char n255[256], n256[257];
	env_clear();
	o = by_name("arn:aws:s3tables:eu-west-1:" ACCT ":bucket/analytics", "sales", "orders_2024");
	ok(resolve(&o, &t) == 0, "bucket ARN + namespace + table resolves");
	ok(t.by_arn == 0, "not by ARN");
	ok(t.namespace_name == o.namespace_name && t.table_name == o.table_name, "namespace and table point into the options");
	is_str(t.bucket.bucket, "analytics", "bucket name");
	is_str(t.bucket.bucket_arn, "arn:aws:s3tables:eu-west-1:" ACCT ":bucket/analytics", "bucket ARN");
	is_str(t.region, "eu-west-1", "region from the bucket ARN");
	is_str(t.endpoint_url, "https://s3tables.eu-west-1.amazonaws.com", "endpoint from the bucket ARN's region");
	is_str(t.table_label, "analytics/sales.orders_2024", "label bucket/namespace.table");

	memset(n255, 'a', 255);
	n255[255] = 0;
	memset(n256, 'a', 256);
	n256[256] = 0;
	o = by_name(B_USE1, n255, n255);
	ok(resolve(&o, &t) == 0, "255-character namespace and table names are accepted");
	o = by_name(B_USE1, "0_9az", "_");
	ok(resolve(&o, &t) == 0, "digits, '_' and single-character names are accepted");

	o = by_name(B_USE1, "Sales", "orders");
	fails(&o, "--namespace", "lowercase", "uppercase namespace");
	o = by_name(B_USE1, "sales", "Orders");
	fails(&o, "--table", "lowercase", "uppercase table");
	o = by_name(B_USE1, "sales", "my-table");
	fails(&o, "--table 'my-table'", NULL, "'-' in the table name");
	o = by_name(B_USE1, "sales.eu", "orders");
	fails(&o, "--namespace", NULL, "'.' in the namespace");
	o = by_name(B_USE1, "", "orders");
	fails(&o, "--namespace", "1 to 255", "empty namespace");
	o = by_name(B_USE1, "sales", "");
	fails(&o, "--table", "1 to 255", "empty table");
	o = by_name(B_USE1, n256, "orders");
	fails(&o, "--namespace", "1 to 255", "256-character namespace");
	o = by_name(B_USE1, "sales", n256);
	fails(&o, "--table", "1 to 255", "256-character table name");
	o = by_name(B_USE1, "sales", "ord ers");
	fails(&o, "--table", NULL, "space in the table name");
	o = by_name(B_USE1, "sales", "t\xc3\xa9");
	fails(&o, "--table", NULL, "non-ASCII table name");

	char err[256] = "";
	ok(resolve_check_name("--namespace", "abc_123", err, sizeof err) == 0, "resolve_check_name accepts abc_123");
	ok(resolve_check_name("--namespace", "abc/def", err, sizeof err) == -1 && strstr(err, "--namespace"),
	   "resolve_check_name rejects '/': %s", err);
}

static void test_endpoint_precedence(void)
{
	struct common_options o = by_arn(T_USE1);
	env_clear();
	env_set("AWS_ENDPOINT_URL", "http://generic.example:8080");
	endpoint_is(&o, "http://generic.example:8080", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL alone");
	env_set("AWS_ENDPOINT_URL_S3TABLES", "https://s3tables.example/base/");
	endpoint_is(&o, "https://s3tables.example/base", "AWS_ENDPOINT_URL_S3TABLES",
		    "AWS_ENDPOINT_URL_S3TABLES beats AWS_ENDPOINT_URL (trailing '/' removed)");
	o.endpoint_url = "http://127.0.0.1:9000";
	endpoint_is(&o, "http://127.0.0.1:9000", "--endpoint-url", "--endpoint-url beats both variables");

	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
	endpoint_is(&o, "http://127.0.0.1:9000", "--endpoint-url",
		    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true does not ignore --endpoint-url");
	o.endpoint_url = NULL;
	endpoint_is(&o, "https://s3tables.us-east-1.amazonaws.com", "partition rules",
		    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true ignores both variables");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
	endpoint_is(&o, "https://s3tables.us-east-1.amazonaws.com", "partition rules",
		    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=TRUE (any case)");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
	endpoint_is(&o, "https://s3tables.example/base", "AWS_ENDPOINT_URL_S3TABLES",
		    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false keeps the variables");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "");
	endpoint_is(&o, "https://s3tables.example/base", "AWS_ENDPOINT_URL_S3TABLES",
		    "empty AWS_IGNORE_CONFIGURED_ENDPOINT_URLS counts as unset");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "1");
	fails(&o, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "'1'", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=1");

	env_clear();
	env_set("AWS_ENDPOINT_URL_S3TABLES", "");
	env_set("AWS_ENDPOINT_URL", "http://generic.example");
	endpoint_is(&o, "http://generic.example", "AWS_ENDPOINT_URL", "empty AWS_ENDPOINT_URL_S3TABLES falls through");

	env_clear();
	env_set("AWS_ENDPOINT_URL", "ftp://generic.example");
	fails(&o, "AWS_ENDPOINT_URL", "http", "invalid AWS_ENDPOINT_URL names the variable");
	env_clear();
	o.endpoint_url = "http://user:pw@host.example";
	fails(&o, "--endpoint-url", "user information", "--endpoint-url with user info");
	o.endpoint_url = "http://host.example/?x=1";
	fails(&o, "--endpoint-url", "query", "--endpoint-url with a query");
}

static void test_fips_dualstack_env(void)
{
	struct common_options o = by_arn(T_USE1);
	static const struct {
		const char *fips, *dual, *url;
	} cases[] = {
		{"true", NULL, "https://s3tables-fips.us-east-1.amazonaws.com"},
		{"TRUE", NULL, "https://s3tables-fips.us-east-1.amazonaws.com"},
		{"True", NULL, "https://s3tables-fips.us-east-1.amazonaws.com"},
		{"false", NULL, "https://s3tables.us-east-1.amazonaws.com"},
		{"FALSE", "false", "https://s3tables.us-east-1.amazonaws.com"},
		{"", "", "https://s3tables.us-east-1.amazonaws.com"},
		{NULL, "true", "https://s3tables.us-east-1.api.aws"},
		{NULL, "TRUE", "https://s3tables.us-east-1.api.aws"},
		{"true", "true", "https://s3tables-fips.us-east-1.api.aws"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[128];
		env_clear();
		if (cases[i].fips)
			env_set("AWS_USE_FIPS_ENDPOINT", cases[i].fips);
		if (cases[i].dual)
			env_set("AWS_USE_DUALSTACK_ENDPOINT", cases[i].dual);
		snprintf(name, sizeof name, "AWS_USE_FIPS_ENDPOINT=%s AWS_USE_DUALSTACK_ENDPOINT=%s",
			 cases[i].fips ? cases[i].fips : "(unset)", cases[i].dual ? cases[i].dual : "(unset)");
		endpoint_is(&o, cases[i].url, "partition rules", name);
	}

	env_clear();
	env_set("AWS_USE_FIPS_ENDPOINT", "false");
	o.fips = 1;
	endpoint_is(&o, "https://s3tables-fips.us-east-1.amazonaws.com", NULL, "--fips beats AWS_USE_FIPS_ENDPOINT=false");
	o.fips = -1;

	env_clear();
	env_set("AWS_USE_FIPS_ENDPOINT", "yes");
	fails(&o, "AWS_USE_FIPS_ENDPOINT", "'yes'", "AWS_USE_FIPS_ENDPOINT=yes");
	env_clear();
	env_set("AWS_USE_FIPS_ENDPOINT", "1");
	fails(&o, "AWS_USE_FIPS_ENDPOINT", NULL, "AWS_USE_FIPS_ENDPOINT=1");
	env_clear();
	env_set("AWS_USE_DUALSTACK_ENDPOINT", "truee");
	fails(&o, "AWS_USE_DUALSTACK_ENDPOINT", "'truee'", "AWS_USE_DUALSTACK_ENDPOINT=truee");
	env_clear();
	env_set("AWS_USE_DUALSTACK_ENDPOINT", " true");
	fails(&o, "AWS_USE_DUALSTACK_ENDPOINT", NULL, "AWS_USE_DUALSTACK_ENDPOINT=' true'");

	/* FIPS / dual-stack with a custom endpoint: the rule set's errors. */
	env_clear();
	o = by_arn(T_USE1);
	o.fips = 1;
	o.endpoint_url = "http://127.0.0.1:9000";
	fails(&o, "FIPS and custom endpoint are not supported", "--endpoint-url", "--fips with --endpoint-url");
	o.fips = -1;
	o.dualstack = 1;
	fails(&o, "Dualstack and custom endpoint are not supported", NULL, "--dualstack with --endpoint-url");
	o = by_arn(T_USE1);
	env_set("AWS_USE_FIPS_ENDPOINT", "true");
	env_set("AWS_ENDPOINT_URL_S3TABLES", "http://127.0.0.1:9000");
	fails(&o, "FIPS and custom endpoint are not supported", "AWS_ENDPOINT_URL_S3TABLES",
	      "AWS_USE_FIPS_ENDPOINT=true with AWS_ENDPOINT_URL_S3TABLES");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
	endpoint_is(&o, "https://s3tables-fips.us-east-1.amazonaws.com", "partition rules",
		    "FIPS with an ignored configured endpoint uses the FIPS host");
	env_clear();
}

static void test_attempts(void)
{
	struct common_options o = by_arn(T_USE1);
	struct target t;
	env_clear();
	env_set("AWS_MAX_ATTEMPTS", "7");
	ok(resolve(&o, &t) == 0 && t.max_attempts == 7, "AWS_MAX_ATTEMPTS=7 used");
	o.max_attempts = 5;
	ok(resolve(&o, &t) == 0 && t.max_attempts == 5, "--max-attempts 5 beats AWS_MAX_ATTEMPTS=7");
	env_set("AWS_MAX_ATTEMPTS", "abc");
	ok(resolve(&o, &t) == 0 && t.max_attempts == 5, "--max-attempts given: an invalid AWS_MAX_ATTEMPTS is not consulted");
	o.max_attempts = 0;
	static const char *bad[] = {"0", "abc", "99", "21", "-1", "3x", "2.5", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[96];
		env_set("AWS_MAX_ATTEMPTS", bad[i]);
		snprintf(name, sizeof name, "AWS_MAX_ATTEMPTS=%s", bad[i]);
		fails(&o, "AWS_MAX_ATTEMPTS", bad[i], name);
	}
	env_set("AWS_MAX_ATTEMPTS", "1");
	ok(resolve(&o, &t) == 0 && t.max_attempts == 1, "AWS_MAX_ATTEMPTS=1 (no retries)");
	env_set("AWS_MAX_ATTEMPTS", "20");
	ok(resolve(&o, &t) == 0 && t.max_attempts == 20, "AWS_MAX_ATTEMPTS=20 (upper bound)");
	env_set("AWS_MAX_ATTEMPTS", "");
	ok(resolve(&o, &t) == 0 && t.max_attempts == 3, "empty AWS_MAX_ATTEMPTS: default 3");
	env_clear();
}

static void test_trust(void)
{
	struct common_options o = by_arn(T_USE1);
	struct target t;
	env_clear();
	env_set("AWS_CA_BUNDLE", "/etc/bundle.pem");
	ok(resolve(&o, &t) == 0 && t.ca_file && strcmp(t.ca_file, "/etc/bundle.pem") == 0 && !t.ca_path,
	   "AWS_CA_BUNDLE used when no --ca-file/--ca-path");
	o.ca_file = "/opt/ca.pem";
	ok(resolve(&o, &t) == 0 && t.ca_file == o.ca_file && !t.ca_path, "--ca-file beats AWS_CA_BUNDLE");
	o.ca_file = NULL;
	o.ca_path = "/opt/certs";
	ok(resolve(&o, &t) == 0 && t.ca_file == NULL && t.ca_path == o.ca_path,
	   "--ca-path alone: AWS_CA_BUNDLE not added");
	o.ca_file = "/opt/ca.pem";
	ok(resolve(&o, &t) == 0 && t.ca_file == o.ca_file && t.ca_path == o.ca_path, "--ca-file and --ca-path together");
	o.ca_file = o.ca_path = NULL;
	env_set("AWS_CA_BUNDLE", "");
	ok(resolve(&o, &t) == 0 && t.ca_file == NULL, "empty AWS_CA_BUNDLE: system store");
	o.proxy = "http://proxy.example:3128";
	ok(resolve(&o, &t) == 0 && t.proxy == o.proxy, "--proxy passed through");
	env_clear();
}

static void test_real_getenv(void)
{
	struct common_options o = by_arn(T_USE1);
	struct target t;
	char err[256];
	setenv("AWS_MAX_ATTEMPTS", "4", 1);
	setenv("AWS_CA_BUNDLE", "/real/env.pem", 1);
	int rc = resolve_target(&o, NULL, &t, err, sizeof err);
	ok(rc == 0 && t.max_attempts == 4 && t.ca_file && strcmp(t.ca_file, "/real/env.pem") == 0,
	   "getenv_fn NULL reads the process environment");
	unsetenv("AWS_MAX_ATTEMPTS");
	unsetenv("AWS_CA_BUNDLE");
}

/* ---- command lines through options_parse() (in a child: it exits on errors) ---- */

static const struct plugin_info info = {
	.program = "check_test",
	.check_name = "TEST",
	.purpose = "Test.",
	.thresholds = "age",
};

/* Runs argv through options_parse + resolve_target in a child; captures its stdout. */
static int run_cli(char **argv, char *out, size_t outsz)
{
	int pfd[2];
	fflush(stdout);
	if (pipe(pfd) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int argc = 0;
		struct common_options o;
		struct target t;
		char err[512];
		close(pfd[0]);
		dup2(pfd[1], 1);
		while (argv[argc])
			argc++;
		options_parse(&info, argc, argv, &o);
		if (resolve_target(&o, fake_getenv, &t, err, sizeof err))
			printf("RESOLVE-ERROR %s\n", err);
		else
			printf("RESOLVED %s %s %d\n", t.region, t.endpoint_url, t.max_attempts);
		fflush(stdout);
		_exit(0);
	}
	close(pfd[1]);
	size_t used = 0;
	ssize_t n;
	while (used + 1 < outsz && (n = read(pfd[0], out + used, outsz - 1 - used)) > 0)
		used += (size_t)n;
	out[used] = 0;
	char drain[4096]; /* read to EOF: a child still writing (a long --help) must not get SIGPIPE */
	while (read(pfd[0], drain, sizeof drain) > 0)
		;
	close(pfd[0]);
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void cli(const char *name, int want_rc, const char *needle, char **argv)
{
	char out[16384];
	int rc = run_cli(argv, out, sizeof out);
	char *nl = strchr(out, '\n');
	if (nl && nl[1] == 0)
		*nl = 0;
	if (!ok(rc == want_rc && strstr(out, needle), "cli %s: exit %d, '%s'", name, want_rc, needle))
		printf("#   exit %d, output '%s'\n", rc, out);
}

static void test_cli(void)
{
	env_clear();
	cli("table ARN", 0, "RESOLVED us-east-1 https://s3tables.us-east-1.amazonaws.com 3",
	    (char *[]){"check_test", "-a", T_USE1, NULL});
	cli("--fips --max-attempts 2", 0, "RESOLVED us-east-1 https://s3tables-fips.us-east-1.amazonaws.com 2",
	    (char *[]){"check_test", "--table-arn=" T_USE1, "--fips", "--max-attempts", "2", NULL});
	cli("by name with -R", 0, "RESOLVED us-east-1 https://s3tables.us-east-1.amazonaws.com 3",
	    (char *[]){"check_test", "-b", B_USE1, "-n", "sales", "-N", "orders", "-R", "us-east-1", NULL});
	cli("-E", 0, "RESOLVED us-east-1 http://127.0.0.1:1 3",
	    (char *[]){"check_test", "-a", T_USE1, "-E", "http://127.0.0.1:1", NULL});
	cli("--fips with -E", 0, "RESOLVE-ERROR endpoint (--endpoint-url): Invalid Configuration: FIPS",
	    (char *[]){"check_test", "-a", T_USE1, "-E", "http://127.0.0.1:1", "--fips", NULL});
	cli("contradicting -R", 0, "RESOLVE-ERROR --region eu-west-1 contradicts",
	    (char *[]){"check_test", "-a", T_USE1, "-R", "eu-west-1", NULL});
	cli("uppercase -N", 0, "RESOLVE-ERROR --table",
	    (char *[]){"check_test", "-b", B_USE1, "-n", "sales", "-N", "Orders", NULL});
	cli("--max-attempts 0", 3, "S3TABLES TEST UNKNOWN - --max-attempts:",
	    (char *[]){"check_test", "-a", T_USE1, "--max-attempts", "0", NULL});
	cli("--max-attempts 99", 3, "'99'", (char *[]){"check_test", "-a", T_USE1, "--max-attempts=99", NULL});
	cli("no table", 3, "S3TABLES TEST UNKNOWN - no table given", (char *[]){"check_test", NULL});
	cli("ARN and name", 3, "not both", (char *[]){"check_test", "-a", T_USE1, "-b", B_USE1, "-n", "s", "-N", "t", NULL});
	cli("name without -N", 3, "missing --table", (char *[]){"check_test", "-b", B_USE1, "-n", "s", NULL});
	cli("unknown option", 3, "unknown option --bogus", (char *[]){"check_test", "-a", T_USE1, "--bogus", NULL});
	cli("missing value", 3, "option -a needs a value", (char *[]){"check_test", "-a", NULL});
	cli("stray argument", 3, "unexpected argument 'extra'", (char *[]){"check_test", "-a", T_USE1, "extra", NULL});
	cli("--help", 0, "--endpoint-url", (char *[]){"check_test", "--help", NULL});
}

/* ---- the shared config files' profile as the last source ------------------ */

static const char CONFIG[] =
	"[default]\n"
	"endpoint_url = https://profile-default.example\n"
	"max_attempts = 7\n"
	"ca_bundle = /etc/profile-ca.pem\n"
	"[profile svc]\n"
	"services = mine\n"
	"endpoint_url = https://profile-generic.example\n"
	"[services mine]\n"
	"s3tables =\n"
	"  endpoint_url = https://services-s3tables.example\n"
	"[profile fips]\n"
	"use_fips_endpoint = true\n"
	"use_dualstack_endpoint = true\n"
	"[profile ignore]\n"
	"endpoint_url = https://ignored.example\n"
	"ignore_configured_endpoint_urls = true\n"
	"[profile badbool]\n"
	"use_fips_endpoint = maybe\n"
	"[profile badattempts]\n"
	"max_attempts = 0\n";

static void config_cases(void)
{
	char err[512];
	struct target t;
	struct aws_config *cfg = aws_config_parse(CONFIG, sizeof CONFIG - 1, NULL, 0, err, sizeof err);
	ok(cfg != NULL, "config text parses (%s)", cfg ? "ok" : err);
	if (!cfg)
		return;
	struct common_options o = by_arn(T_USE1);

	env_clear();
	is_int(resolve_target_with_config(&o, fake_getenv, cfg, "default", &t, err, sizeof err), 0, "profile default resolves");
	is_str(t.endpoint_url, "https://profile-default.example", "profile endpoint_url is the endpoint");
	is_str(t.endpoint_source, "the profile's endpoint_url", "and its source is named");
	is_int(t.max_attempts, 7, "profile max_attempts");
	is_str(t.ca_file, "/etc/profile-ca.pem", "profile ca_bundle");

	env_set("AWS_ENDPOINT_URL", "https://env-generic.example");
	env_set("AWS_MAX_ATTEMPTS", "4");
	env_set("AWS_CA_BUNDLE", "/etc/env-ca.pem");
	resolve_target_with_config(&o, fake_getenv, cfg, "default", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://env-generic.example", "AWS_ENDPOINT_URL beats the profile");
	is_int(t.max_attempts, 4, "AWS_MAX_ATTEMPTS beats the profile");
	is_str(t.ca_file, "/etc/env-ca.pem", "AWS_CA_BUNDLE beats the profile");
	env_clear();

	resolve_target_with_config(&o, fake_getenv, cfg, "svc", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://services-s3tables.example", "[services] s3tables endpoint_url beats the profile's endpoint_url");
	env_set("AWS_ENDPOINT_URL_S3TABLES", "https://env-s3tables.example");
	resolve_target_with_config(&o, fake_getenv, cfg, "svc", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://env-s3tables.example", "AWS_ENDPOINT_URL_S3TABLES beats [services]");
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
	resolve_target_with_config(&o, fake_getenv, cfg, "svc", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://s3tables.us-east-1.amazonaws.com", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ignores env and profile");
	env_clear();

	resolve_target_with_config(&o, fake_getenv, cfg, "ignore", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://s3tables.us-east-1.amazonaws.com", "profile ignore_configured_endpoint_urls = true");
	o.endpoint_url = "https://option.example";
	resolve_target_with_config(&o, fake_getenv, cfg, "ignore", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://option.example", "--endpoint-url is never ignored");
	o.endpoint_url = NULL;

	resolve_target_with_config(&o, fake_getenv, cfg, "fips", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://s3tables-fips.us-east-1.api.aws", "profile use_fips_endpoint and use_dualstack_endpoint");
	env_set("AWS_USE_FIPS_ENDPOINT", "false");
	resolve_target_with_config(&o, fake_getenv, cfg, "fips", &t, err, sizeof err);
	is_str(t.endpoint_url, "https://s3tables.us-east-1.api.aws", "AWS_USE_FIPS_ENDPOINT=false beats the profile");
	env_clear();

	is_int(resolve_target_with_config(&o, fake_getenv, cfg, "badbool", &t, err, sizeof err), -1, "a bad profile boolean is an error");
	ok(strstr(err, "use_fips_endpoint") && strstr(err, "badbool"), "naming the profile and key: %s", err);
	is_int(resolve_target_with_config(&o, fake_getenv, cfg, "badattempts", &t, err, sizeof err), -1, "profile max_attempts = 0 is an error");
	ok(strstr(err, "max_attempts") != NULL, "naming the setting: %s", err);
	is_int(resolve_target_with_config(&o, fake_getenv, cfg, "nosuchprofile", &t, err, sizeof err), 0, "a profile without settings changes nothing");
	is_str(t.endpoint_url, "https://s3tables.us-east-1.amazonaws.com", "default endpoint then");
	is_int(t.max_attempts, 3, "default attempts then");
	aws_config_free(cfg);
}

int main(void)
{
	test_defaults();
	test_partitions();
	test_region_option();
	test_bad_arns();
	test_by_name();
	test_endpoint_precedence();
	test_fips_dualstack_env();
	test_attempts();
	test_trust();
	test_real_getenv();
	test_cli();
	config_cases();
	return tap_done();
}
