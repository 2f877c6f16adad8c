/*
 * test_creds_imds.c - the EC2 instance metadata (IMDSv2 / IMDSv1) credentials provider.
 *
 * Endpoint resolution against every case of imds-endpoint-tests.json (smithy-rs
 * cross-SDK data), the credentials parser against the default-chain scenario's
 * recorded body, then live requests to tests/fake_metadata.py (python3; skipped
 * when missing). Source dir: $S3T_SRCDIR, else $srcdir, else ".".
 */
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

#include "aws_config.h"
#include "creds_imds.h"
#include "credentials.h"
#include "deadline.h"
#include "http.h"
#include "tap.h"

#define CASES_REL "tests/data/aws-config-cases/smithy-rs/aws-config"

#include "fake_metadata_fixture.h"

static const char *const secrets[] = {"imds-secret-do-not-print", "imds-session-token-do-not-print",
				      "fake-imds-token-Q2hhbmdlTWU", NULL};
static int no_secret(const char *err)
{
	for (size_t i = 0; secrets[i]; i++)
		if (strstr(err, secrets[i]))
			return 0;
	return 1;
}

/* Each run gets a fresh HTTP client, as a plugin run does (no kept-alive connection). */
static enum creds_status run_cfg(const struct aws_config *cfg, struct creds *c, char *err, size_t errsz,
				 double budget, double *elapsed)
{
	struct creds_context ctx;
	struct deadline dl;
	struct http_options o;
	char e2[256];
	memset(&ctx, 0, sizeof ctx);
	memset(&o, 0, sizeof o);
	deadline_start(&dl, budget);
	ctx.getenv_fn = fake_getenv;
	ctx.http = http_client_new(&o, e2, sizeof e2);
	ctx.deadline = &dl;
	ctx.config = cfg;
	double t0 = mono();
	enum creds_status st = creds_from_imds(&ctx, c, err, errsz);
	if (elapsed)
		*elapsed = mono() - t0;
	http_client_free(ctx.http);
	if (st != CREDS_FOUND && err[0])
		printf("# err: %s\n", err);
	return st;
}

static enum creds_status run(struct creds *c, char *err, size_t errsz, double budget, double *elapsed)
{
	return run_cfg(NULL, c, err, errsz, budget, elapsed);
}

/* ---- pure: imds-endpoint-tests.json ---------------------------------------------------- */
static void test_endpoint_cases(const char *srcdir)
{
	char path[1024], base[1024], url[1200], err[512];
	snprintf(path, sizeof path, "%s/%s/imds-config/imds-endpoint-tests.json", srcdir, CASES_REL);
	struct json_object *root = json_object_from_file(path), *tests;
	if (!ok(root && json_object_object_get_ex(root, "tests", &tests), "imds-endpoint-tests.json loads")) {
		json_object_put(root);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		struct json_object *t = json_object_array_get_idx(tests, i), *env, *fs, *result, *v;
		const char *docs = json_object_object_get_ex(t, "docs", &v) ? json_object_get_string(v) : "?";
		const char *cfgname = NULL, *eo = NULL, *mo = NULL, *text = NULL;
		struct aws_config *cfg = NULL;
		int is_default = -1;
		env_clear();
		if (json_object_object_get_ex(t, "env", &env)) {
			json_object_object_foreach(env, k, val) env_set(k, json_object_get_string(val));
		}
		cfgname = fake_getenv("AWS_CONFIG_FILE");
		if (cfgname && json_object_object_get_ex(t, "fs", &fs) && json_object_object_get_ex(fs, cfgname, &v))
			text = json_object_get_string(v);
		if (text) {
			cfg = aws_config_parse(text, strlen(text), NULL, 0, err, sizeof err);
			ok(cfg != NULL, "imds-endpoint-tests: %s: config parses", docs);
		}
		if (json_object_object_get_ex(t, "endpoint_override", &v))
			eo = json_object_get_string(v);
		if (json_object_object_get_ex(t, "mode_override", &v))
			mo = json_object_get_string(v);
		json_object_object_get_ex(t, "result", &result);
		int rc = creds_imds_endpoint(fake_getenv, cfg, "default", eo, mo, base, sizeof base, &is_default, err,
					     sizeof err);
		if (json_object_object_get_ex(result, "Ok", &v)) {
			snprintf(url, sizeof url, "%s/latest/api/token", base);
			is_int(rc, 0, "imds-endpoint-tests: %s: accepted", docs);
			is_str(url, json_object_get_string(v), "imds-endpoint-tests: %s: token URL", docs);
		} else if (json_object_object_get_ex(result, "Err", &v)) {
			is_int(rc, -1, "imds-endpoint-tests: %s: refused", docs);
			ok(strstr(err, json_object_get_string(v)) != NULL, "imds-endpoint-tests: %s: error contains \"%s\"",
			   docs, json_object_get_string(v));
			if (!strstr(err, json_object_get_string(v)))
				printf("# got: %s\n", err);
		}
		aws_config_free(cfg);
	}
	json_object_put(root);
}

static void test_endpoint_extra(void)
{
	char base[1024], err[256];
	int is_default = -1;
	env_clear();
	ok(creds_imds_endpoint(fake_getenv, NULL, NULL, NULL, NULL, base, sizeof base, &is_default, err, sizeof err) == 0 &&
		   is_default == 1,
	   "default endpoint is marked as the default");
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:8080/");
	ok(creds_imds_endpoint(fake_getenv, NULL, NULL, NULL, NULL, base, sizeof base, &is_default, err, sizeof err) == 0 &&
		   is_default == 0 && strcmp(base, "http://127.0.0.1:8080") == 0,
	   "a configured endpoint is not the default; the trailing '/' is dropped (%s)", base);
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://127.0.0.1/");
	is_int(creds_imds_endpoint(fake_getenv, NULL, NULL, NULL, NULL, base, sizeof base, &is_default, err, sizeof err),
	       -1, "ftp endpoint refused");
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://[fd00:ec2::254]");
	is_int(creds_imds_endpoint(fake_getenv, NULL, NULL, NULL, NULL, base, sizeof base, &is_default, err, sizeof err),
	       0, "bracketed IPv6 endpoint accepted");

	static const struct {
		const char *v;
		int disabled;
	} dis[] = {{NULL, 0}, {"", 0}, {"false", 0}, {"FALSE", 0}, {"true", 1}, {"True", 1}, {"1", 1}, {"yes", 1}};
	for (size_t i = 0; i < sizeof dis / sizeof dis[0]; i++) {
		env_clear();
		if (dis[i].v)
			env_set("AWS_EC2_METADATA_DISABLED", dis[i].v);
		is_int(creds_imds_disabled(fake_getenv), dis[i].disabled, "AWS_EC2_METADATA_DISABLED=%s -> %s",
		       dis[i].v ? dis[i].v : "(unset)", dis[i].disabled ? "disabled" : "enabled");
	}
	const char *conf = "[default]\nec2_metadata_v1_disabled = TRUE\n[profile p]\nec2_metadata_v1_disabled = false\n";
	struct aws_config *cfg = aws_config_parse(conf, strlen(conf), NULL, 0, err, sizeof err);
	env_clear();
	is_int(creds_imds_v1_disabled(fake_getenv, NULL, NULL), 0, "IMDSv1 allowed by default");
	is_int(creds_imds_v1_disabled(fake_getenv, cfg, "default"), 1, "profile ec2_metadata_v1_disabled = TRUE");
	is_int(creds_imds_v1_disabled(fake_getenv, cfg, "p"), 0, "profile ec2_metadata_v1_disabled = false");
	env_set("AWS_EC2_METADATA_V1_DISABLED", "false");
	is_int(creds_imds_v1_disabled(fake_getenv, cfg, "default"), 0, "the variable wins over the profile");
	env_set("AWS_EC2_METADATA_V1_DISABLED", "true");
	is_int(creds_imds_v1_disabled(fake_getenv, NULL, NULL), 1, "AWS_EC2_METADATA_V1_DISABLED=true");
	aws_config_free(cfg);
}

/* ---- pure: the recorded credentials document ----------------------------------------- */
static void test_parse(const char *srcdir)
{
	char path[1024], err[256];
	snprintf(path, sizeof path, "%s/%s/default-credential-provider-chain/imds_default_chain_success/http-traffic.json",
		 srcdir, CASES_REL);
	struct json_object *root = json_object_from_file(path), *events;
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
	struct creds c;
	memset(&c, 0, sizeof c);
	ok(body != NULL, "imds_default_chain_success: recorded credentials found");
	if (body) {
		int rc = creds_imds_parse(body, strlen(body), &c, err, sizeof err);
		is_int(rc, 0, "imds_default_chain_success: parses");
		is_str(c.access_key_id, "ASIARTEST", "  access key id");
		is_str(c.secret_access_key, "testsecret", "  secret");
		is_str(c.session_token, "testtoken", "  session token");
		is_int((long long)c.expiration, 1632197813, "  expiry (test-case.json)");
		is_str(c.source, "instance-metadata", "  source");
		creds_free(&c);
	}
	json_object_put(root);
	static const char *const bad[] = {
		"{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"x\",\"AccessKeyId\":\"A\"}",
		"{\"Code\":\"Success\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S-secret\",\"Expiration\":\"2021-09-21T04:16:53Z\"}",
		"{\"Code\":\"Success\",\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S-secret\",\"Token\":\"T\"}",
		"not json",
		"",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = creds_imds_parse(bad[i], strlen(bad[i]), &c, err, sizeof err);
		ok(rc == -1 && err[0] && !strstr(err, "S-secret"), "bad credentials document #%zu refused (%s)", i + 1, err);
		creds_free(&c);
	}
}

/* ---- live ----------------------------------------------------------------------------- */
static void check_found(struct creds *c, const char *what)
{
	is_str(c->access_key_id, "ASIAIMDSFAKE", "%s: access key id", what);
	is_str(c->secret_access_key, "imds-secret-do-not-print", "%s: secret", what);
	is_str(c->session_token, "imds-session-token-do-not-print", "%s: session token", what);
	is_int((long long)c->expiration, 1632197813, "%s: expiration", what);
	is_str(c->source, "instance-metadata", "%s: source", what);
	creds_free(c);
}

static void test_live(void)
{
	char ep[128], err[512];
	struct creds c;
	struct json_object *log;
	enum creds_status st;
	double el;
	const char *roles = "/latest/meta-data/iam/security-credentials/";
	const char *role = "/latest/meta-data/iam/security-credentials/fake-role";
	const char *tok = "fake-imds-token-Q2hhbmdlTWU";

	memset(&c, 0, sizeof c);
	snprintf(ep, sizeof ep, "http://127.0.0.1:%d", port);
	env_clear();
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", ep);

	/* IMDSv2 */
	control("reset=1&imds=v2");
	st = run(&c, err, sizeof err, 5, &el);
	is_int(st, CREDS_FOUND, "IMDSv2: found");
	if (st == CREDS_FOUND)
		check_found(&c, "IMDSv2");
	log = read_log();
	is_int(json_object_array_length(log), 3, "IMDSv2: three requests");
	is_str(log_str(log, 0, "method", NULL), "PUT", "  1: PUT");
	is_str(log_str(log, 0, "path", NULL), "/latest/api/token", "  1: /latest/api/token");
	is_str(log_str(log, 0, NULL, "x-aws-ec2-metadata-token-ttl-seconds"), "21600", "  1: TTL 21600");
	is_str(log_str(log, 1, "method", NULL), "GET", "  2: GET");
	is_str(log_str(log, 1, "path", NULL), roles, "  2: the role list");
	is_str(log_str(log, 1, NULL, "x-aws-ec2-metadata-token"), tok, "  2: with the token");
	is_str(log_str(log, 2, "method", NULL), "GET", "  3: GET");
	is_str(log_str(log, 2, "path", NULL), role, "  3: the role's credentials");
	is_str(log_str(log, 2, NULL, "x-aws-ec2-metadata-token"), tok, "  3: with the token");
	json_object_put(log);

	/* IMDSv1 fallback: 405 and 404 */
	for (int i = 0; i < 2; i++) {
		const char *status = i == 0 ? "405" : "404";
		char q[128];
		snprintf(q, sizeof q, "reset=1&imds=v1only&imds_put_status=%s", status);
		control(q);
		st = run(&c, err, sizeof err, 5, NULL);
		is_int(st, CREDS_FOUND, "token PUT answered %s: IMDSv1 fallback found", status);
		if (st == CREDS_FOUND)
			check_found(&c, "IMDSv1");
		log = read_log();
		is_int(json_object_array_length(log), 3, "  PUT, then two GETs");
		ok(log_str(log, 1, NULL, "x-aws-ec2-metadata-token") == NULL &&
			   log_str(log, 2, NULL, "x-aws-ec2-metadata-token") == NULL,
		   "  the GETs carry no token");
		json_object_put(log);
	}

	/* IMDSv1 disabled */
	control("reset=1&imds=v1only&imds_put_status=405");
	env_set("AWS_EC2_METADATA_V1_DISABLED", "true");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "IMDSv1 needed but AWS_EC2_METADATA_V1_DISABLED=true: broken");
	ok(strstr(err, "IMDSv1") && strstr(err, "405"), "  says why");
	log = read_log();
	is_int(json_object_array_length(log), 1, "  only the PUT was sent");
	json_object_put(log);
	env_clear();
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", ep);

	/* token 403: IMDSv1 is tried, and is forbidden too */
	control("reset=1&imds=token403");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "token 403 and IMDSv1 403: broken");
	ok(strstr(err, "403") && strstr(err, ep), "  names the status and the endpoint");
	log = read_log();
	is_int(json_object_array_length(log), 2, "  PUT, then one IMDSv1 GET");
	json_object_put(log);

	/* disabled: no request */
	control("reset=1&imds=v2");
	env_set("AWS_EC2_METADATA_DISABLED", "true");
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_NOT_CONFIGURED, "AWS_EC2_METADATA_DISABLED=true: not configured");
	env_set("AWS_EC2_METADATA_DISABLED", "false");
	is_int(run(&c, err, sizeof err, 5, NULL), CREDS_FOUND, "AWS_EC2_METADATA_DISABLED=false: used");
	creds_free(&c);
	log = read_log();
	is_int(json_object_array_length(log), 3, "  only the enabled run made requests");
	json_object_put(log);
	env_clear();
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", ep);

	/* no role */
	control("reset=1&imds=norole");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "no IAM role: broken");
	ok(strstr(err, "no IAM role attached to this instance") != NULL, "  says no IAM role attached");
	ok(no_secret(err), "  no token in the message");

	/* 500 everywhere: the PUT is retried once, then broken */
	control("reset=1&imds=500");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "HTTP 500: broken");
	ok(strstr(err, "500") && strstr(err, ep), "  names the status and endpoint");
	log = read_log();
	is_int(json_object_array_length(log), 2, "  the PUT was tried twice");
	json_object_put(log);

	/* flaky: each request 503 once (imds_default_chain_retries) */
	control("reset=1&imds=flaky");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_FOUND, "503 once per request: found after retries");
	if (st == CREDS_FOUND)
		check_found(&c, "retries");
	log = read_log();
	is_int(json_object_array_length(log), 6, "  six requests");
	json_object_put(log);

	/* bad documents */
	control("reset=1&imds=badjson");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "credentials not JSON: broken");
	ok(strstr(err, "JSON") && strstr(err, "fake-role"), "  says so, with the role");
	control("reset=1&imds=code");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "Code not Success: broken");
	ok(strstr(err, "AssumeRoleUnauthorizedAccess") != NULL, "  names the Code");

	/* the token answer never comes (hop limit): IMDSv1 after the 1 s timeout */
	control("reset=1&imds=putslow&delay=3");
	st = run(&c, err, sizeof err, 5, &el);
	is_int(st, CREDS_FOUND, "token PUT times out: IMDSv1 fallback found");
	if (st == CREDS_FOUND)
		check_found(&c, "IMDSv1 after a timeout");
	ok(el > 0.9 && el < 1.6, "  after the %.0f s token timeout (%.2f s)", CREDS_IMDS_TIMEOUT, el);

	/* an invalid mode: broken, no request */
	control("reset=1&imds=v2");
	env_clear();
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv7");
	st = run(&c, err, sizeof err, 5, NULL);
	is_int(st, CREDS_BROKEN, "invalid endpoint mode: broken");
	ok(strstr(err, "`IPv7` is not a valid endpoint mode") != NULL, "  says why");

	/* the profile's endpoint */
	{
		char conf[256];
		snprintf(conf, sizeof conf, "[default]\nec2_metadata_service_endpoint = %s/\n", ep);
		struct aws_config *cfg = aws_config_parse(conf, strlen(conf), NULL, 0, err, sizeof err);
		env_clear();
		is_int(run_cfg(cfg, &c, err, sizeof err, 5, NULL), CREDS_FOUND, "endpoint from the profile: found");
		creds_free(&c);
		aws_config_free(cfg);
	}
	log = read_log();
	is_int(json_object_array_length(log), 3, "  (the invalid mode made no request)");
	json_object_put(log);

	/* unreachable configured endpoint (closed loopback port): broken, quickly */
	{
		char closed[128];
		snprintf(closed, sizeof closed, "http://127.0.0.1:%d", closed_port());
		env_clear();
		env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed);
		st = run(&c, err, sizeof err, 5, &el);
		is_int(st, CREDS_BROKEN, "configured endpoint not listening: broken");
		ok(strstr(err, "did not answer") && strstr(err, closed), "  says it did not answer, with the URL");
		ok(el < 0.5, "  at once (%.2f s)", el);
	}

	/* slow service, 1 s deadline */
	env_clear();
	env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", ep);
	control("reset=1&imds=slow&delay=5");
	st = run(&c, err, sizeof err, 1.0, &el);
	is_int(st, CREDS_BROKEN, "slow service, 1 s deadline: broken");
	ok(el < 1.2, "  returns within 1.2 s (%.2f s)", el);
	ok(strstr(err, "deadline") != NULL, "  says the deadline was reached");
	/* slow service, ample deadline: 1 s token timeout, IMDSv1 1 s, then broken */
	control("reset=1&imds=slow&delay=5");
	st = run(&c, err, sizeof err, 10.0, &el);
	is_int(st, CREDS_BROKEN, "slow service: broken after the short timeouts");
	ok(el < 2.5, "  within 2.5 s (%.2f s)", el);
	ok(strstr(err, "did not answer the role request within 1 s") != NULL, "  says which request did not answer");
	control("imds=v2");
}

int main(void)
{
	const char *srcdir = getenv("S3T_SRCDIR");
	if (!srcdir || !*srcdir)
		srcdir = getenv("srcdir");
	if (!srcdir || !*srcdir)
		srcdir = ".";
	signal(SIGPIPE, SIG_IGN);
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);

	test_endpoint_cases(srcdir);
	test_endpoint_extra();
	test_parse(srcdir);

	int ready = fixture_setup(srcdir);
	if (ready <= 0)
		return ready < 0 ? 1 : tap_done();
	test_live();
	http_client_free(client);
	return tap_done();
}
