/*
 * test_creds_profile.c - profile credential resolution: the cross-SDK assume-role corpus
 * through the pure planner, then live resolution against tests/fake_sts.py.
 */
#define _GNU_SOURCE
#include <errno.h>
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

#include "aws_config.h"
#include "credentials.h"
#include "creds_profile.h"
#include "creds_sts.h"
#include "deadline.h"
#include "http.h"
#include "fixture.h"
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

static const char *srcdir(void)
{
	const char *s = getenv("S3T_SRCDIR");
	if (!s || !*s)
		s = getenv("srcdir");
	return s && *s ? s : ".";
}

/* ------------------------------------------------------------------ corpus */

static void append(char **buf, size_t *len, const char *s)
{
	size_t l = strlen(s);
	*buf = realloc(*buf, *len + l + 1);
	memcpy(*buf + *len, s, l + 1);
	*len += l;
}

static void add_section(char **buf, size_t *len, const char *header, struct json_object *props)
{
	append(buf, len, header);
	append(buf, len, "\n");
	json_object_object_foreach(props, k, v)
	{
		append(buf, len, k);
		append(buf, len, " = ");
		append(buf, len, json_object_get_string(v));
		append(buf, len, "\n");
	}
}

static void put(struct json_object *o, const char *k, const char *v)
{
	if (v)
		json_object_object_add(o, k, json_object_new_string(v));
}

static struct json_object *render_plan(const struct creds_plan *plan)
{
	struct json_object *arr = json_object_new_array();
	for (size_t i = 0; i < plan->nsteps; i++) {
		const struct creds_plan_step *s = &plan->step[i];
		struct json_object *step = json_object_new_object(), *in;
		if (s->kind == CREDS_PLAN_NAMED_SOURCE) {
			in = json_object_new_string(s->named_source);
		} else {
			in = json_object_new_object();
			put(in, "access_key_id", s->access_key_id);
			put(in, "secret_access_key", s->secret_access_key);
			put(in, "session_token", s->session_token);
			put(in, "account_id", s->account_id);
			put(in, "role_arn", s->role_arn);
			put(in, "web_identity_token_file", s->web_identity_token_file);
			put(in, "role_session_name", s->role_session_name);
			put(in, "external_id", s->external_id);
			put(in, "command", s->credential_process);
			put(in, "sso_session", s->sso_session);
			put(in, "sso_account_id", s->sso_account_id);
			put(in, "sso_region", s->sso_region);
			put(in, "sso_role_name", s->sso_role_name);
			put(in, "sso_start_url", s->sso_start_url);
		}
		json_object_object_add(step, creds_plan_kind_name(s->kind), in);
		json_object_array_add(arr, step);
	}
	return arr;
}

static void corpus(void)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/data/aws-config-cases/smithy-rs/aws-config/assume-role-tests.json",
		 srcdir());
	struct json_object *cases = json_object_from_file(path);
	if (!ok(cases && json_object_is_type(cases, json_type_array), "corpus loaded from %s", path))
		return;
	size_t n = json_object_array_length(cases);
	ok(n >= 28, "corpus has %zu cases", n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(cases, i), *input, *output, *profiles, *sessions, *v;
		json_object_object_get_ex(c, "input", &input);
		json_object_object_get_ex(c, "output", &output);
		json_object_object_get_ex(input, "profiles", &profiles);
		const char *docs = json_object_object_get_ex(c, "docs", &v) ? json_object_get_string(v) : "?";
		const char *selected = json_object_object_get_ex(input, "selected_profile", &v) ? json_object_get_string(v)
											      : "default";
		char *text = NULL;
		size_t len = 0;
		append(&text, &len, "");
		json_object_object_foreach(profiles, name, props)
		{
			char hdr[300];
			snprintf(hdr, sizeof hdr, strcmp(name, "default") ? "[profile %s]" : "[%s]", name);
			add_section(&text, &len, hdr, props);
		}
		if (json_object_object_get_ex(input, "sso_sessions", &sessions)) {
			json_object_object_foreach(sessions, sname, sprops)
			{
				char hdr[300];
				snprintf(hdr, sizeof hdr, "[sso-session %s]", sname);
				add_section(&text, &len, hdr, sprops);
			}
		}
		char err[512] = "";
		struct aws_config *cfg = aws_config_parse(text, len, NULL, 0, err, sizeof err);
		free(text);
		if (!ok(cfg != NULL, "case %zu (%s): config parses", i, docs)) {
			printf("#   %s\n", err);
			continue;
		}
		struct creds_plan plan;
		err[0] = '\0';
		enum creds_status st = creds_profile_plan(cfg, selected, &plan, err, sizeof err);
		struct json_object *want_chain, *want_err;
		if (json_object_object_get_ex(output, "ProfileChain", &want_chain)) {
			struct json_object *got = st == CREDS_FOUND ? render_plan(&plan) : NULL;
			int same = got && json_object_equal(got, want_chain);
			if (!ok(same, "case %zu (%s): chain", i, docs)) {
				printf("#   status %d, err %s\n#   got      %s\n#   expected %s\n", (int)st, err,
				       got ? json_object_to_json_string(got) : "-", json_object_to_json_string(want_chain));
			}
			json_object_put(got);
		} else if (json_object_object_get_ex(output, "Error", &want_err)) {
			const char *w = json_object_get_string(want_err);
			if (!ok(st != CREDS_FOUND && strstr(err, w), "case %zu (%s): error", i, docs))
				printf("#   status %d\n#   got      %s\n#   expected ...%s...\n", (int)st, err, w);
		} else {
			ok(0, "case %zu: unknown expected output", i);
		}
		aws_config_free(cfg);
	}
	json_object_put(cases);
}

/* ------------------------------------------------------------------ environment hook */

#define MAXENV 32
static struct {
	const char *name;
	char value[512];
} env_tab[MAXENV];
static size_t env_n;

static const char *test_getenv(const char *name)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_tab[i].name, name) == 0)
			return env_tab[i].value;
	return NULL;
}

static void env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_tab[i].name, name) == 0) {
			if (!value) {
				env_tab[i] = env_tab[--env_n];
				return;
			}
			snprintf(env_tab[i].value, sizeof env_tab[i].value, "%s", value);
			return;
		}
	if (value && env_n < MAXENV) {
		env_tab[env_n].name = name;
		snprintf(env_tab[env_n].value, sizeof env_tab[env_n].value, "%s", value);
		env_n++;
	}
}

/* ------------------------------------------------------------------ fake STS */

static char tmpdir[] = "/tmp/test_creds_profile_XXXXXX";
static char log_path[600];
static pid_t sts_pid = -1;

#define SRC_AKID "AKIDSOURCEEXAMPLE"
#define SRC_SECRET "SourceSecretKeyEXAMPLE/1234567890abcdefgh"

static int start_fake_sts(char *url, size_t urlsz)
{
	char script[1024], port_file[600];
	snprintf(script, sizeof script, "%s/tests/fake_sts.py", srcdir());
	snprintf(port_file, sizeof port_file, "%s/port", tmpdir);
	snprintf(log_path, sizeof log_path, "%s/sts.log", tmpdir);
	char *argv[] = {"python3", script, "--port-file", port_file, "--log", log_path, "--key",
			SRC_AKID ":" SRC_SECRET, "--fail", "Denied=AccessDenied", "--fail", "Expired=ExpiredToken",
			"--fail", "Flaky=500once", "--fail", "Broken=500", NULL};
	int port = fixture_spawn(argv, port_file, 10, &sts_pid);
	if (port < 0)
		return -1;
	snprintf(url, urlsz, "http://127.0.0.1:%d", port);
	return 0;
}

static void stop_fake_sts(void)
{
	if (sts_pid > 0) {
		kill(sts_pid, SIGTERM);
		waitpid(sts_pid, NULL, 0);
		sts_pid = -1;
	}
}

/* Log entries from index `from` on, as a json array (caller puts). */
static struct json_object *log_since(size_t from, size_t *total)
{
	struct json_object *arr = json_object_new_array();
	FILE *f = fopen(log_path, "r");
	char line[65536];
	size_t i = 0;
	while (f && fgets(line, sizeof line, f)) {
		if (i++ >= from) {
			struct json_object *o = json_tokener_parse(line);
			if (o)
				json_object_array_add(arr, o);
		}
	}
	if (f)
		fclose(f);
	if (total)
		*total = i;
	return arr;
}

static size_t log_count(void)
{
	size_t n = 0;
	json_object_put(log_since((size_t)-1, &n));
	return n;
}

static const char *jget(struct json_object *o, const char *a, const char *b)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return json_object_is_type(v, json_type_null) ? NULL : json_object_get_string(v);
}

static int jbool(struct json_object *o, const char *a)
{
	struct json_object *v;
	return o && json_object_object_get_ex(o, a, &v) && json_object_get_boolean(v);
}

/* ------------------------------------------------------------------ live tests */

static struct http_client *http;
static struct deadline dl;
static char all_errors[32768];
static char *secrets_seen[64];
static size_t nsecrets;

static void remember_secret(const char *s)
{
	if (s && *s && nsecrets < 64)
		secrets_seen[nsecrets++] = strdup(s);
}

/* Resolve profile `name` (NULL = default) from config text. */
static enum creds_status resolve(const char *config_text, const char *name, struct creds *out, char *err,
				 size_t errsz)
{
	char perr[256];
	struct aws_config *cfg = config_text ? aws_config_parse(config_text, strlen(config_text), NULL, 0, perr,
							       sizeof perr)
					     : NULL;
	if (config_text && !cfg) {
		snprintf(err, errsz, "test config does not parse: %s", perr);
		return CREDS_BROKEN;
	}
	deadline_start(&dl, 10);
	struct creds_context ctx = {.getenv_fn = test_getenv, .profile = name, .config = cfg, .http = http,
				    .deadline = &dl, .region = "us-east-1", .now = (double)time(NULL)};
	err[0] = '\0';
	memset(out, 0, sizeof *out);
	enum creds_status st = creds_from_profile(&ctx, out, err, errsz);
	aws_config_free(cfg);
	if (st == CREDS_FOUND) {
		remember_secret(out->secret_access_key);
		remember_secret(out->session_token);
	}
	strncat(all_errors, err, sizeof all_errors - strlen(all_errors) - 2);
	strcat(all_errors, "\n");
	return st;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static const char *CONFIG_FMT =
	"[profile static]\n"
	"aws_access_key_id = " SRC_AKID "\n"
	"aws_secret_access_key = " SRC_SECRET "\n"
	"[profile role]\n"
	"role_arn = arn:aws:iam::123456789012:role/Reader\n"
	"source_profile = static\n"
	"[profile role-opts]\n"
	"role_arn = arn:aws:iam::123456789012:role/Reader\n"
	"source_profile = static\n"
	"external_id = ext-42\n"
	"role_session_name = nagios-check\n"
	"duration_seconds = 1800\n"
	"[profile chain]\n"
	"role_arn = arn:aws:iam::123456789012:role/Outer\n"
	"source_profile = role\n"
	"[profile wi]\n"
	"role_arn = arn:aws:iam::123456789012:role/WebRole\n"
	"web_identity_token_file = %s/token.jwt\n"
	"role_session_name = wi-session\n"
	"[profile wi-chain]\n"
	"role_arn = arn:aws:iam::123456789012:role/AfterWeb\n"
	"source_profile = wi\n"
	"[profile wi-missing]\n"
	"role_arn = arn:aws:iam::123456789012:role/WebRole\n"
	"web_identity_token_file = %s/no-such-token.jwt\n"
	"[profile denied]\n"
	"role_arn = arn:aws:iam::123456789012:role/Denied\n"
	"source_profile = static\n"
	"[profile expired]\n"
	"role_arn = arn:aws:iam::123456789012:role/Expired\n"
	"source_profile = static\n"
	"[profile flaky]\n"
	"role_arn = arn:aws:iam::123456789012:role/Flaky\n"
	"source_profile = static\n"
	"[profile broken]\n"
	"role_arn = arn:aws:iam::123456789012:role/Broken\n"
	"source_profile = static\n"
	"[profile env-source]\n"
	"role_arn = arn:aws:iam::123456789012:role/FromEnv\n"
	"credential_source = environment\n"
	"[profile imds-source]\n"
	"role_arn = arn:aws:iam::123456789012:role/FromImds\n"
	"credential_source = Ec2InstanceMetadata\n"
	"[profile bogus-source]\n"
	"role_arn = arn:aws:iam::123456789012:role/X\n"
	"credential_source = Lambda\n"
	"[profile proc]\n"
	"credential_process = printf '{\"Version\":1,\"AccessKeyId\":\"" SRC_AKID "\",\"SecretAccessKey\":\"" SRC_SECRET
	"\"}'\n"
	"[profile proc-role]\n"
	"role_arn = arn:aws:iam::123456789012:role/FromProcess\n"
	"source_profile = proc\n"
	"[profile proc-fail]\n"
	"credential_process = echo 'token refresh failed' >&2; exit 4\n"
	"[profile sso]\n"
	"sso_account_id = 123456789012\n"
	"sso_role_name = ReadOnly\n"
	"sso_region = us-east-1\n"
	"sso_start_url = https://example.awsapps.com/start\n"
	"[profile mfa-role]\n"
	"role_arn = arn:aws:iam::123456789012:role/NeedsMfa\n"
	"source_profile = static\n"
	"mfa_serial = arn:aws:iam::123456789012:mfa/oncall\n"
	"[profile partial]\n"
	"aws_access_key_id = " SRC_AKID "\n"
	"[profile badsig]\n"
	"role_arn = arn:aws:iam::123456789012:role/Reader\n"
	"source_profile = wrongkey\n"
	"[profile wrongkey]\n"
	"aws_access_key_id = " SRC_AKID "\n"
	"aws_secret_access_key = NotTheRightSecretEXAMPLE\n"
	"[profile baddur]\n"
	"role_arn = arn:aws:iam::123456789012:role/Reader\n"
	"source_profile = static\n"
	"duration_seconds = 1h\n"
	"[profile region-only]\n"
	"region = eu-west-1\n";

static void live(void)
{
	char url[128];
	if (!ok(mkdtemp(tmpdir) != NULL, "temp dir"))
		return;
	if (!ok(start_fake_sts(url, sizeof url) == 0, "fake STS started (%s)", url))
		return;
	char herr[256];
	struct http_options hopts = {0};
	http = http_client_new(&hopts, herr, sizeof herr);
	if (!ok(http != NULL, "http client"))
		return;
	env_set("AWS_ENDPOINT_URL_STS", url);
	env_set("AWS_CONFIG_FILE", "/nonexistent/aws/config");
	env_set("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws/credentials");

	char token_path[700], config[8192];
	snprintf(token_path, sizeof token_path, "%s/token.jwt", tmpdir);
	write_file(token_path, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln\n");
	snprintf(config, sizeof config, CONFIG_FMT, tmpdir, tmpdir);

	struct creds c;
	char err[1024];
	double now = (double)time(NULL);
	size_t before;
	struct json_object *lg, *e;

	/* static keys: no network */
	before = log_count();
	ok(resolve(config, "static", &c, err, sizeof err) == CREDS_FOUND, "static keys: found");
	is_str(c.access_key_id, SRC_AKID, "static keys: key id");
	is_str(c.source, "profile", "static keys: source");
	ok(c.session_token == NULL && c.expiration == 0, "static keys: no token, no expiry");
	is_int(log_count(), before, "static keys: no STS request");
	creds_free(&c);

	/* role_arn + source_profile */
	before = log_count();
	ok(resolve(config, "role", &c, err, sizeof err) == CREDS_FOUND, "assume role: found (%s)", err);
	ok(c.access_key_id && strncmp(c.access_key_id, "ASIA", 4) == 0, "assume role: temporary key id");
	ok(c.session_token && *c.session_token, "assume role: session token");
	ok(c.expiration > now + 3000 && c.expiration < now + 3700, "assume role: expiration from the response");
	is_str(c.source, "assume-role", "assume role: source");
	creds_free(&c);
	lg = log_since(before, NULL);
	is_int(json_object_array_length(lg), 1, "assume role: one STS request");
	e = json_object_array_get_idx(lg, 0);
	is_str(jget(e, "action", NULL), "AssumeRole", "assume role: Action");
	ok(jbool(e, "signature_valid"), "assume role: SigV4 signature verified by the fake");
	is_str(jget(e, "access_key_id", NULL), SRC_AKID, "assume role: signed with the source keys");
	ok(!jbool(e, "has_security_token"), "assume role: no security token for long-term keys");
	is_str(jget(e, "params", "RoleArn"), "arn:aws:iam::123456789012:role/Reader", "assume role: RoleArn");
	ok(jget(e, "params", "RoleSessionName") &&
		   strncmp(jget(e, "params", "RoleSessionName"), "monitoring-plugins-s3tables-", 28) == 0,
	   "assume role: generated session name");
	ok(!jget(e, "params", "ExternalId") && !jget(e, "params", "DurationSeconds"), "assume role: no optional params");
	is_str(jget(e, "content_type", NULL), "application/x-www-form-urlencoded; charset=utf-8", "content type");
	json_object_put(lg);

	/* external_id, role_session_name, duration_seconds forwarded */
	before = log_count();
	ok(resolve(config, "role-opts", &c, err, sizeof err) == CREDS_FOUND, "options: found (%s)", err);
	ok(c.expiration > now + 1700 && c.expiration < now + 1900, "options: DurationSeconds honoured");
	creds_free(&c);
	lg = log_since(before, NULL);
	e = json_object_array_get_idx(lg, 0);
	is_str(jget(e, "params", "ExternalId"), "ext-42", "options: ExternalId forwarded");
	is_str(jget(e, "params", "RoleSessionName"), "nagios-check", "options: RoleSessionName forwarded");
	is_str(jget(e, "params", "DurationSeconds"), "1800", "options: DurationSeconds forwarded");
	json_object_put(lg);

	/* chained roles: second call signed with the first role's temporary credentials */
	before = log_count();
	ok(resolve(config, "chain", &c, err, sizeof err) == CREDS_FOUND, "chain: found (%s)", err);
	creds_free(&c);
	lg = log_since(before, NULL);
	is_int(json_object_array_length(lg), 2, "chain: two AssumeRole calls");
	e = json_object_array_get_idx(lg, 0);
	is_str(jget(e, "params", "RoleArn"), "arn:aws:iam::123456789012:role/Reader", "chain: inner role first");
	e = json_object_array_get_idx(lg, 1);
	is_str(jget(e, "params", "RoleArn"), "arn:aws:iam::123456789012:role/Outer", "chain: outer role second");
	ok(jbool(e, "signature_valid") && jbool(e, "has_security_token") && jget(e, "access_key_id", NULL) &&
		   strncmp(jget(e, "access_key_id", NULL), "ASIA", 4) == 0,
	   "chain: signed with temporary credentials and their token");
	json_object_put(lg);

	/* web identity from a profile */
	before = log_count();
	ok(resolve(config, "wi", &c, err, sizeof err) == CREDS_FOUND, "web identity profile: found (%s)", err);
	is_str(c.source, "web-identity", "web identity: source");
	ok(c.expiration > now, "web identity: expiration");
	creds_free(&c);
	lg = log_since(before, NULL);
	e = json_object_array_get_idx(lg, 0);
	is_str(jget(e, "action", NULL), "AssumeRoleWithWebIdentity", "web identity: Action");
	ok(e && !jbool(e, "has_authorization"), "web identity: request is unsigned");
	is_str(jget(e, "params", "WebIdentityToken"), "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln\n",
	       "web identity: token file contents sent");
	is_str(jget(e, "params", "RoleSessionName"), "wi-session", "web identity: role_session_name");
	json_object_put(lg);

	before = log_count();
	ok(resolve(config, "wi-chain", &c, err, sizeof err) == CREDS_FOUND, "web identity as source: found (%s)", err);
	creds_free(&c);
	lg = log_since(before, NULL);
	ok(json_object_array_length(lg) == 2 &&
		   strcmp(jget(json_object_array_get_idx(lg, 1), "action", NULL), "AssumeRole") == 0 &&
		   jbool(json_object_array_get_idx(lg, 1), "signature_valid"),
	   "web identity as source: then AssumeRole signed with its credentials");
	json_object_put(lg);

	ok(resolve(config, "wi-missing", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "no-such-token.jwt") &&
		   strstr(err, "profile 'wi-missing'"),
	   "missing token file: broken, names the file (%s)", err);

	/* failures from STS */
	ok(resolve(config, "denied", &c, err, sizeof err) == CREDS_BROKEN, "AccessDenied: broken");
	ok(strstr(err, "profile 'denied': STS AssumeRole for role arn:aws:iam::123456789012:role/Denied: AccessDenied: "
		       "User: arn:aws:iam::123456789012:user/monitor is not authorized") != NULL &&
		   strstr(err, "(HTTP 403)"),
	   "AccessDenied: code and message (%s)", err);
	ok(resolve(config, "expired", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "ExpiredToken"),
	   "ExpiredToken: broken (%s)", err);
	before = log_count();
	ok(resolve(config, "flaky", &c, err, sizeof err) == CREDS_FOUND, "HTTP 500 once: retried, found (%s)", err);
	creds_free(&c);
	is_int(log_count() - before, 2, "HTTP 500 once: two requests");
	before = log_count();
	ok(resolve(config, "broken", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "InternalFailure") &&
		   strstr(err, "after 3 attempts"),
	   "HTTP 500 always: broken after 3 attempts (%s)", err);
	is_int(log_count() - before, 3, "HTTP 500 always: three requests");
	ok(resolve(config, "badsig", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "SignatureDoesNotMatch"),
	   "wrong source secret: SignatureDoesNotMatch (%s)", err);

	/* credential_source */
	before = log_count();
	env_set("AWS_ACCESS_KEY_ID", SRC_AKID);
	env_set("AWS_SECRET_ACCESS_KEY", SRC_SECRET);
	ok(resolve(config, "env-source", &c, err, sizeof err) == CREDS_FOUND, "credential_source environment: found (%s)",
	   err);
	creds_free(&c);
	lg = log_since(before, NULL);
	e = json_object_array_get_idx(lg, 0);
	ok(jbool(e, "signature_valid") && jget(e, "access_key_id", NULL) &&
		   strcmp(jget(e, "access_key_id", NULL), SRC_AKID) == 0,
	   "credential_source environment: signed with the environment keys");
	json_object_put(lg);
	env_set("AWS_ACCESS_KEY_ID", NULL);
	env_set("AWS_SECRET_ACCESS_KEY", NULL);
	ok(resolve(config, "env-source", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "credential_source Environment"),
	   "credential_source environment without keys: broken (%s)", err);
	ok(resolve(config, "imds-source", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "Ec2InstanceMetadata"),
	   "credential_source Ec2InstanceMetadata not available: broken (%s)", err);
	ok(resolve(config, "bogus-source", &c, err, sizeof err) == CREDS_BROKEN &&
		   strstr(err, "unsupported credential_source 'Lambda'"),
	   "unknown credential_source: broken (%s)", err);

	/* credential_process */
	ok(resolve(config, "proc", &c, err, sizeof err) == CREDS_FOUND && strcmp(c.source, "credential-process") == 0,
	   "credential_process: found (%s)", err);
	creds_free(&c);
	before = log_count();
	ok(resolve(config, "proc-role", &c, err, sizeof err) == CREDS_FOUND, "credential_process as source: found (%s)",
	   err);
	creds_free(&c);
	lg = log_since(before, NULL);
	ok(jbool(json_object_array_get_idx(lg, 0), "signature_valid"), "credential_process as source: signed");
	json_object_put(lg);
	ok(resolve(config, "proc-fail", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "exited with status 4: token refresh failed"),
	   "credential_process failing: broken (%s)", err);

	/* configuration problems */
	ok(resolve(config, "sso", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "profile 'sso'") &&
		   strstr(err, "run `aws sso login --profile sso`"),
	   "SSO profile without a token cache: broken, says to log in (%s)", err);
	before = log_count();
	ok(resolve(config, "mfa-role", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "profile 'mfa-role'") &&
		   strstr(err, "MFA") && strstr(err, "cannot prompt"),
	   "mfa_serial: broken, naming the profile (%s)", err);
	is_int(log_count() - before, 0, "mfa_serial: no STS request made");
	ok(resolve(config, "partial", &c, err, sizeof err) == CREDS_BROKEN &&
		   strstr(err, "profile missing aws_secret_access_key"),
	   "partial static keys: broken (%s)", err);
	ok(resolve(config, "baddur", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "duration_seconds"),
	   "invalid duration_seconds: broken (%s)", err);
	ok(resolve(config, "nope", &c, err, sizeof err) == CREDS_BROKEN &&
		   strstr(err, "profile 'nope' (from --profile) not found in /nonexistent/aws/config, "
			       "/nonexistent/aws/credentials"),
	   "--profile missing: broken (%s)", err);
	env_set("AWS_PROFILE", "nope2");
	ok(resolve(config, NULL, &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "'nope2' (from AWS_PROFILE)"),
	   "AWS_PROFILE missing: broken (%s)", err);
	env_set("AWS_PROFILE", "static");
	ok(resolve(config, NULL, &c, err, sizeof err) == CREDS_FOUND, "AWS_PROFILE selects the profile");
	creds_free(&c);
	env_set("AWS_PROFILE", NULL);
	ok(resolve(config, NULL, &c, err, sizeof err) == CREDS_NOT_CONFIGURED, "no default profile: not configured");
	ok(resolve(NULL, NULL, &c, err, sizeof err) == CREDS_NOT_CONFIGURED, "no config: not configured");
	ok(resolve("[default]\nregion = eu-west-1\n", NULL, &c, err, sizeof err) == CREDS_NOT_CONFIGURED,
	   "default profile with only a region: not configured");
	ok(resolve(config, "region-only", &c, err, sizeof err) == CREDS_NOT_CONFIGURED,
	   "named profile without credentials: not configured (other sources may apply)");

	/* environment web identity provider */
	struct creds_context ctx = {.getenv_fn = test_getenv, .http = http, .deadline = &dl, .region = "us-east-1",
				    .now = (double)time(NULL)};
	deadline_start(&dl, 10);
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_NOT_CONFIGURED, "env web identity: not set");
	env_set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/EnvWeb");
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "AWS_WEB_IDENTITY_TOKEN_FILE"),
	   "env web identity: only AWS_ROLE_ARN: broken (%s)", err);
	env_set("AWS_WEB_IDENTITY_TOKEN_FILE", token_path);
	env_set("AWS_ROLE_SESSION_NAME", "env-sess");
	before = log_count();
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_FOUND && strcmp(c.source, "web-identity") == 0,
	   "env web identity: found (%s)", err);
	remember_secret(c.secret_access_key);
	creds_free(&c);
	lg = log_since(before, NULL);
	is_str(jget(json_object_array_get_idx(lg, 0), "params", "RoleSessionName"), "env-sess",
	       "env web identity: AWS_ROLE_SESSION_NAME");
	json_object_put(lg);
	char empty_path[700];
	snprintf(empty_path, sizeof empty_path, "%s/empty.jwt", tmpdir);
	write_file(empty_path, "\n");
	env_set("AWS_WEB_IDENTITY_TOKEN_FILE", empty_path);
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "is empty"),
	   "env web identity: empty token file: broken (%s)", err);
	env_set("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token");
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "/nonexistent/token"),
	   "env web identity: unreadable token file: broken (%s)", err);
	env_set("AWS_ROLE_ARN", NULL);
	ok(creds_from_web_identity_env(&ctx, &c, err, sizeof err) == CREDS_BROKEN, "env web identity: only the file: broken");
	env_set("AWS_WEB_IDENTITY_TOKEN_FILE", NULL);
	env_set("AWS_ROLE_SESSION_NAME", NULL);

	/* unreachable endpoint */
	env_set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1");
	double t0 = (double)time(NULL);
	ok(resolve(config, "role", &c, err, sizeof err) == CREDS_BROKEN && strstr(err, "127.0.0.1:1"),
	   "unreachable STS: broken, names the endpoint (%s)", err);
	ok((double)time(NULL) - t0 < 8, "unreachable STS: within the deadline");
	env_set("AWS_ENDPOINT_URL_STS", url);

	/* no secret ever appears in a message */
	int leaked = strstr(all_errors, SRC_SECRET) != NULL || strstr(all_errors, "NotTheRightSecret") != NULL ||
		     strstr(all_errors, "eyJhbGci") != NULL;
	for (size_t i = 0; i < nsecrets; i++)
		if (strstr(all_errors, secrets_seen[i]))
			leaked = 1;
	ok(!leaked, "no secret, session token or web identity token in any error message");

	http_client_free(http);
	stop_fake_sts();
	char cmd[700];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	for (size_t i = 0; i < nsecrets; i++)
		free(secrets_seen[i]);
}

/* ------------------------------------------------------------------ pure STS helpers */

static void sts_units(void)
{
	char url[256], err[512], code[64];
	struct creds c;
	env_n = 0;
	struct creds_context ctx = {.getenv_fn = test_getenv, .region = "cn-north-1"};
	ok(sts_endpoint_url(&ctx, url, sizeof url, err, sizeof err) == 0 &&
		   strcmp(url, "https://sts.cn-north-1.amazonaws.com.cn") == 0,
	   "endpoint: aws-cn suffix (%s)", url);
	ctx.region = NULL;
	ok(sts_endpoint_url(&ctx, url, sizeof url, err, sizeof err) == 0 &&
		   strcmp(url, "https://sts.us-east-1.amazonaws.com") == 0,
	   "endpoint: default region us-east-1");
	env_set("AWS_ENDPOINT_URL", "http://localhost:4566/");
	ok(sts_endpoint_url(&ctx, url, sizeof url, err, sizeof err) == 0 && strcmp(url, "http://localhost:4566") == 0,
	   "endpoint: AWS_ENDPOINT_URL (%s)", url);
	env_set("AWS_ENDPOINT_URL_STS", "https://sts.example.test");
	ok(sts_endpoint_url(&ctx, url, sizeof url, err, sizeof err) == 0 && strcmp(url, "https://sts.example.test") == 0,
	   "endpoint: AWS_ENDPOINT_URL_STS wins");
	env_set("AWS_ENDPOINT_URL_STS", "ftp://x");
	ok(sts_endpoint_url(&ctx, url, sizeof url, err, sizeof err) == -1 && strstr(err, "AWS_ENDPOINT_URL_STS"),
	   "endpoint: bad override refused (%s)", err);
	env_n = 0;

	const char *e1 = "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>"
			 "<Message>not &quot;allowed&quot; &amp; no\nway</Message></Error></ErrorResponse>";
	ok(sts_parse_response(403, e1, strlen(e1), 0, "x", &c, code, sizeof code, err, sizeof err) == -1 &&
		   strcmp(err, "AccessDenied: not \"allowed\" & no way (HTTP 403)") == 0 &&
		   strcmp(code, "AccessDenied") == 0,
	   "parse: error XML (%s)", err);
	ok(sts_parse_response(503, "", 0, 0, "x", &c, code, sizeof code, err, sizeof err) == -1 &&
		   strcmp(err, "HTTP 503") == 0 && code[0] == '\0',
	   "parse: empty error body");
	const char *ok1 = "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA1</AccessKeyId>"
			  "<SecretAccessKey>s&#x2F;k</SecretAccessKey><SessionToken>t+k=</SessionToken>"
			  "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
	ok(sts_parse_response(200, ok1, strlen(ok1), 1000, "assume-role", &c, code, sizeof code, err, sizeof err) == 0 &&
		   strcmp(c.secret_access_key, "s/k") == 0 && strcmp(c.session_token, "t+k=") == 0 &&
		   c.expiration == 1000 + STS_DEFAULT_EXPIRY_SECONDS,
	   "parse: success without Expiration: now + 900 s");
	creds_free(&c);
	ok(sts_parse_response(200, ok1, 60, 0, "x", &c, code, sizeof code, err, sizeof err) == -1,
	   "parse: truncated body refused");
	const char *ok2 = "<R><Credentials><AccessKeyId>A</AccessKeyId></Credentials></R>";
	ok(sts_parse_response(200, ok2, strlen(ok2), 0, "x", &c, code, sizeof code, err, sizeof err) == -1 &&
		   strstr(err, "SecretAccessKey"),
	   "parse: missing secret refused");
}

int main(void)
{
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	signal(SIGPIPE, SIG_IGN);
	corpus();
	sts_units();
	live();
	stop_fake_sts();
	return tap_done();
}
