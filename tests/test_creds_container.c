/*
 * test_creds_container.c - the ECS / EKS Pod Identity container credentials provider.
 *
 * URI selection against every case of ecs-tests.json (smithy-rs cross-SDK data),
 * the response parser against the default-chain scenarios' recorded bodies, then
 * live requests to tests/fake_metadata.py (python3; the live part is skipped when
 * python3 is missing). Source dir: $S3T_SRCDIR, else $srcdir, else ".".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "creds_container.h"
#include "credentials.h"
#include "deadline.h"
#include "http.h"
#include "tap.h"

#define CASES_REL "tests/data/aws-config-cases/smithy-rs/aws-config"

#include "fake_metadata_fixture.h"

static const char *const secrets[] = {"container-secret-do-not-print", "container-session-token-do-not-print",
				      "Bearer-env-token", "file-token-1", "file-token-2", "evil", NULL};
static int no_secret(const char *err)
{
	for (size_t i = 0; secrets[i]; i++)
		if (strstr(err, secrets[i]))
			return 0;
	return 1;
}

static enum creds_status run(struct creds *c, char *err, size_t errsz, double budget, double *elapsed)
{
	struct creds_context ctx;
	struct deadline dl;
	memset(&ctx, 0, sizeof ctx);
	deadline_start(&dl, budget);
	ctx.getenv_fn = fake_getenv;
	ctx.http = client;
	ctx.deadline = &dl;
	double t0 = mono();
	enum creds_status st = creds_from_container(&ctx, c, err, errsz);
	if (elapsed)
		*elapsed = mono() - t0;
	if (st != CREDS_FOUND && err[0])
		printf("# err: %s\n", err);
	return st;
}

/* ---- pure: ecs-tests.json -------------------------------------------------------------- */
static void test_ecs_cases(const char *srcdir)
{
	char path[1024], url[2048], err[512];
	snprintf(path, sizeof path, "%s/%s/ecs-tests.json", srcdir, CASES_REL);
	struct json_object *root = json_object_from_file(path), *tests;
	if (!ok(root && json_object_object_get_ex(root, "tests", &tests), "ecs-tests.json loads")) {
		json_object_put(root);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		struct json_object *t = json_object_array_get_idx(tests, i), *env, *result, *v;
		const char *docs = json_object_object_get_ex(t, "docs", &v) ? json_object_get_string(v) : "?";
		env_clear();
		if (json_object_object_get_ex(t, "env", &env)) {
			json_object_object_foreach(env, k, val) env_set(k, json_object_get_string(val));
		}
		json_object_object_get_ex(t, "result", &result);
		int rc = creds_container_uri(fake_getenv, url, sizeof url, err, sizeof err);
		if (json_object_object_get_ex(result, "Ok", &v)) {
			is_int(rc, CREDS_CONTAINER_URI_OK, "ecs-tests: %s: accepted", docs);
			is_str(url, json_object_get_string(v), "ecs-tests: %s: URL", docs);
		} else if (json_object_object_get_ex(result, "ErrorContains", &v)) {
			ok(rc != CREDS_CONTAINER_URI_OK, "ecs-tests: %s: refused", docs);
			ok(strstr(err, json_object_get_string(v)) != NULL, "ecs-tests: %s: error contains \"%s\"", docs,
			   json_object_get_string(v));
			if (json_object_array_length(tests) && env_n == 0)
				is_int(rc, CREDS_CONTAINER_URI_UNSET, "ecs-tests: %s: not configured", docs);
		}
	}
	json_object_put(root);
}

static void test_uri_extra(void)
{
	static const struct {
		const char *full;
		int want;
	} cases[] = {
		{"http://example.com/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://169.254.169.254/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://127.0.0.1:8080/creds", CREDS_CONTAINER_URI_OK},
		{"http://127.255.1.2/creds", CREDS_CONTAINER_URI_OK},
		{"http://[::1]:8080/creds", CREDS_CONTAINER_URI_OK},
		{"http://LOCALHOST/creds", CREDS_CONTAINER_URI_OK},
		{"HTTP://169.254.170.23/v1/credentials", CREDS_CONTAINER_URI_OK},
		{"http://[FD00:EC2:0::23]/v1/credentials", CREDS_CONTAINER_URI_OK},
		{"http://[::ffff:127.0.0.1]/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://127.0.0.1@example.com/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://localhost.example.com/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://128.0.0.1/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://0x7f.1/creds", CREDS_CONTAINER_URI_INVALID},
		{"https://example.com:99999/creds", CREDS_CONTAINER_URI_INVALID},
		{"https://example.com:/creds", CREDS_CONTAINER_URI_INVALID},
		{"ftp://127.0.0.1/creds", CREDS_CONTAINER_URI_INVALID},
		{"https://exa mple.com/creds", CREDS_CONTAINER_URI_INVALID},
		{"http://[::1/creds", CREDS_CONTAINER_URI_INVALID},
		{"https://example.com", CREDS_CONTAINER_URI_OK},
	};
	char url[2048], err[512];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		env_clear();
		env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", cases[i].full);
		int rc = creds_container_uri(fake_getenv, url, sizeof url, err, sizeof err);
		is_int(rc, cases[i].want, "full URI %s -> %s", cases[i].full, cases[i].want ? "refused" : "accepted");
		if (rc)
			ok(err[0] != '\0', "  ... with a reason (%s)", err);
	}
	env_clear();
	env_set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "credentials");
	is_int(creds_container_uri(fake_getenv, url, sizeof url, err, sizeof err), CREDS_CONTAINER_URI_INVALID,
	       "relative URI without a leading '/' is refused");
	env_clear();
	env_set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "");
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "");
	is_int(creds_container_uri(fake_getenv, url, sizeof url, err, sizeof err), CREDS_CONTAINER_URI_UNSET,
	       "empty variables count as unset");
	ok(creds_container_is_eks("http://169.254.170.23/v1/credentials"), "169.254.170.23 is EKS Pod Identity");
	ok(creds_container_is_eks("http://[fd00:ec2::23]/v1/credentials"), "fd00:ec2::23 is EKS Pod Identity");
	ok(!creds_container_is_eks("http://169.254.170.2/v2/x"), "169.254.170.2 is ECS");
}

/* ---- pure: the recorded responses of the default-chain scenarios ------------------------ */
static void test_parse_scenario(const char *srcdir, const char *scenario)
{
	char path[1024], err[256];
	snprintf(path, sizeof path, "%s/%s/default-credential-provider-chain/%s/http-traffic.json", srcdir, CASES_REL,
		 scenario);
	struct json_object *root = json_object_from_file(path), *events, *v;
	const char *body = NULL;
	if (root && json_object_object_get_ex(root, "events", &events)) {
		for (size_t i = 0; i < json_object_array_length(events); i++) {
			struct json_object *a, *d, *dir, *data, *utf8;
			if (json_object_object_get_ex(json_object_array_get_idx(events, i), "action", &a) &&
			    json_object_object_get_ex(a, "Data", &d) && json_object_object_get_ex(d, "direction", &dir) &&
			    strcmp(json_object_get_string(dir), "Response") == 0 &&
			    json_object_object_get_ex(d, "data", &data) && json_object_object_get_ex(data, "Utf8", &utf8))
				body = json_object_get_string(utf8);
		}
	}
	if (!ok(body != NULL, "%s: recorded response found", scenario)) {
		json_object_put(root);
		return;
	}
	snprintf(path, sizeof path, "%s/%s/default-credential-provider-chain/%s/test-case.json", srcdir, CASES_REL,
		 scenario);
	struct json_object *tc = json_object_from_file(path), *res = NULL, *okv = NULL;
	if (tc && json_object_object_get_ex(tc, "result", &res))
		json_object_object_get_ex(res, "Ok", &okv);
	struct creds c;
	int rc = creds_container_parse(body, strlen(body), "container", &c, err, sizeof err);
	is_int(rc, 0, "%s: response parses", scenario);
	if (rc == 0 && okv) {
		json_object_object_get_ex(okv, "access_key_id", &v);
		is_str(c.access_key_id, json_object_get_string(v), "%s: access key id", scenario);
		json_object_object_get_ex(okv, "secret_access_key", &v);
		is_str(c.secret_access_key, json_object_get_string(v), "%s: secret", scenario);
		json_object_object_get_ex(okv, "session_token", &v);
		is_str(c.session_token, json_object_get_string(v), "%s: session token", scenario);
		json_object_object_get_ex(okv, "expiry", &v);
		is_int((long long)c.expiration, json_object_get_int64(v), "%s: expiry", scenario);
	}
	creds_free(&c);
	json_object_put(tc);
	json_object_put(root);
}

static void test_parse_errors(void)
{
	static const char *const bad[] = {
		"", "{", "[]", "{\"AccessKeyId\":\"A\"}",
		"{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S-secret\",\"Token\":\"T\"}",
		"{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S-secret\",\"Expiration\":\"tomorrow\"}",
		"{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S-secret\",\"Expiration\":\"2009-02-13T23:31:30Z\"} x",
		"{\"AccessKeyId\":1,\"SecretAccessKey\":\"S-secret\",\"Expiration\":\"2009-02-13T23:31:30Z\"}",
	};
	char err[256];
	struct creds c;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = creds_container_parse(bad[i], strlen(bad[i]), "container", &c, err, sizeof err);
		ok(rc == -1 && err[0] && !strstr(err, "S-secret"), "bad response #%zu refused (%s)", i + 1, err);
		creds_free(&c);
	}
	const char *no_token = "{\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\",\"Expiration\":\"2009-02-13T23:31:30Z\"}";
	ok(creds_container_parse(no_token, strlen(no_token), "container", &c, err, sizeof err) == 0 &&
		   c.session_token == NULL,
	   "Token is optional (aws-c-auth)");
	creds_free(&c);
}

/* ---- live ----------------------------------------------------------------------------- */
static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_live(void)
{
	char full[256], err[512], tokfile[300], hostport[64];
	struct creds c;
	struct json_object *log;
	enum creds_status st;
	double el;

	snprintf(full, sizeof full, "http://127.0.0.1:%d/container/v2/credentials/abc", port);
	snprintf(hostport, sizeof hostport, "127.0.0.1:%d", port);
	snprintf(tokfile, sizeof tokfile, "%s/token", tmpdir);

	/* not configured */
	env_clear();
	memset(&c, 0, sizeof c);
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_NOT_CONFIGURED, "no variables: not configured");

	/* token from the environment */
	control("reset=1&container=ok&container_token=Bearer-env-token");
	env_clear();
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer-env-token");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_FOUND, "token from AWS_CONTAINER_AUTHORIZATION_TOKEN: found");
	is_str(c.access_key_id, "ASIACONTAINERFAKE", "  access key id");
	is_str(c.secret_access_key, "container-secret-do-not-print", "  secret");
	is_str(c.session_token, "container-session-token-do-not-print", "  session token");
	is_int((long long)c.expiration, 1234567890, "  expiration");
	is_str(c.source, "container", "  source");
	creds_free(&c);
	log = read_log();
	is_int(json_object_array_length(log), 1, "  one request");
	is_str(log_str(log, 0, "method", NULL), "GET", "  GET");
	is_str(log_str(log, 0, "path", NULL), "/container/v2/credentials/abc", "  path");
	is_str(log_str(log, 0, NULL, "authorization"), "Bearer-env-token", "  Authorization header");
	is_str(log_str(log, 0, NULL, "accept"), "application/json", "  Accept header");
	json_object_put(log);

	/* token from a file: trimmed, read fresh on every call, wins over the variable */
	write_file(tokfile, "  file-token-1\n");
	control("reset=1&container_token=file-token-1");
	env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile);
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_FOUND, "token from the file (trimmed, wins over the variable)");
	creds_free(&c);
	write_file(tokfile, "file-token-2\r\n");
	control("container_token=file-token-2");
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_FOUND, "token file is read again on each call");
	creds_free(&c);
	log = read_log();
	is_str(log_str(log, 1, NULL, "authorization"), "file-token-2", "  second call sent the new token");
	json_object_put(log);

	/* token file missing: broken, no request */
	control("reset=1");
	unlink(tokfile);
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "token file missing: broken");
	ok(strstr(err, tokfile) && strstr(err, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"), "  names the file");
	ok(no_secret(err), "  no secret in the message");
	log = read_log();
	is_int(json_object_array_length(log), 0, "  no request made");
	json_object_put(log);

	/* empty token file */
	write_file(tokfile, " \n");
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_BROKEN, "empty token file: broken");

	/* CR/LF in the token */
	env_clear();
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "evil\r\nX-Injected: 1");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "token with CR/LF: broken");
	ok(no_secret(err) && strstr(err, "line break"), "  says why, without the token");
	write_file(tokfile, "evil\nsecond-line\n");
	env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile);
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_BROKEN, "token file with an inner line break: broken");
	log = read_log();
	is_int(json_object_array_length(log), 0, "  no request made");
	json_object_put(log);

	/* wrong token -> 401 */
	env_clear();
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer-env-token");
	control("reset=1&container_token=file-token-1");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "token refused (401): broken");
	ok(strstr(err, "container credentials endpoint") && strstr(err, hostport) && strstr(err, "401"),
	   "  names the endpoint, host and status");
	ok(no_secret(err) && !strstr(err, "/v2/credentials"), "  no token and no path in the message");

	/* 403 */
	control("reset=1&container_token=&container=403");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "403: broken");
	ok(strstr(err, "container credentials endpoint") && strstr(err, hostport) && strstr(err, "403"),
	   "  names the endpoint, host and status");
	ok(no_secret(err), "  no secret in the message");
	log = read_log();
	is_int(json_object_array_length(log), 1, "  a 4xx is not retried");
	json_object_put(log);

	/* 500: retried once */
	control("reset=1&container=500");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "500: broken");
	ok(strstr(err, "500") != NULL, "  says HTTP 500");
	log = read_log();
	is_int(json_object_array_length(log), 2, "  retried once");
	json_object_put(log);

	/* flaky: 500 then 200 */
	control("reset=1&container=flaky");
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_FOUND, "500 then 200: found on the retry");
	creds_free(&c);

	/* bad JSON */
	control("reset=1&container=badjson");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "bad JSON: broken");
	ok(strstr(err, "container credentials endpoint") && strstr(err, hostport) && strstr(err, "JSON"),
	   "  names the endpoint and the problem");

	/* disallowed host: no request at all */
	control("reset=1&container=ok");
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/container/creds");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "http://example.com: broken");
	ok(strstr(err, "example.com") && strstr(err, "not allowed"), "  says the host is not allowed");
	ok(no_secret(err), "  no secret in the message");
	log = read_log();
	is_int(json_object_array_length(log), 0, "  no request made");
	json_object_put(log);

	/* localhost over http (resolves to loopback) */
	snprintf(full, sizeof full, "http://localhost:%d/container/creds", port);
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_FOUND, "http://localhost: found");
	creds_free(&c);

	/* nothing listening: broken, quickly */
	{
		int s = closed_port();
		char closed[128];
		snprintf(closed, sizeof closed, "http://127.0.0.1:%d/container/creds", s);
		env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", closed);
		st = run(&c, err, sizeof err, 5, &el);
		is_int(st, CREDS_BROKEN, "nothing listening: broken");
		ok(strstr(err, "container credentials endpoint") && strstr(err, "did not answer"), "  says so");
		ok(el < 1.0, "  quickly (%.2f s)", el);
	}

	/* slow endpoint: cut by the run's deadline */
	snprintf(full, sizeof full, "http://127.0.0.1:%d/container/creds", port);
	env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	control("reset=1&container=slow&delay=5");
	st = run(&c, err, sizeof err, 1.0, &el);
	is_int(st, CREDS_BROKEN, "slow endpoint with a 1 s deadline: broken");
	ok(el < 1.2, "  returns within 1.2 s (%.2f s)", el);
	ok(strstr(err, "deadline reached") && strstr(err, "container credentials endpoint"), "  says the deadline ended it");
	control("container=slow&delay=3");
	st = run(&c, err, sizeof err, 10.0, &el);
	is_int(st, CREDS_BROKEN, "slow endpoint: the per-attempt timeout applies");
	ok(el > 1.9 && el < 2.5, "  after about %.0f s (%.2f s)", CREDS_CONTAINER_TIMEOUT, el);
	ok(strstr(err, "did not answer within 2 s") != NULL, "  says it did not answer within 2 s");
	control("container=ok");

	/* no client and no deadline in the context: private ones are used */
	{
		struct creds_context ctx;
		memset(&ctx, 0, sizeof ctx);
		ctx.getenv_fn = fake_getenv;
		is_int(creds_from_container(&ctx, &c, err, sizeof err), CREDS_FOUND,
		       "context without client or deadline: found");
		creds_free(&c);
	}
}

int main(void)
{
	const char *srcdir = getenv("S3T_SRCDIR");
	if (!srcdir || !*srcdir)
		srcdir = getenv("srcdir");
	if (!srcdir || !*srcdir)
		srcdir = ".";
	signal(SIGPIPE, SIG_IGN);
	/* keep any proxy of the environment away from the loopback fixture */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);

	test_ecs_cases(srcdir);
	test_uri_extra();
	test_parse_scenario(srcdir, "ecs_credentials");
	test_parse_scenario(srcdir, "eks_pod_identity_credentials");
	test_parse_errors();

	int ready = fixture_setup(srcdir);
	if (ready <= 0)
		return ready < 0 ? 1 : tap_done();
	test_live();
	http_client_free(client);
	return tap_done();
}
