/*
 * test_aws_config.c - the shared config / credentials file module (lib/aws/aws_config.c).
 *
 * Data dir: argv[1], else $srcdir/tests/data/aws-config-cases, else
 * tests/data/aws-config-cases. Runs:
 *   - every case of smithy-rs/aws-runtime/profile-parser-tests.json (one TAP line
 *     per case: every expected profile, property value and sso-session, and no extra
 *     ones; error cases must fail with a non-empty message);
 *   - the Linux cases of smithy-rs/aws-runtime/file-location-tests.json (Windows ones
 *     are reported as "# SKIP");
 *   - botocore/configured-endpoint-urls-profile-tests.json: the suite's profiles and
 *     [services] sections written out as a config file, every value looked up, and
 *     all endpointUrlTests resolved with a small precedence function on top of the
 *     lookups (the config-file part is this module's);
 *   - [services] for s3tables, sub-properties, merging, error line numbers,
 *     aws_config_load (missing, directory, unreadable, oversized, /dev/null, parse
 *     errors naming the path), size limits and garbage input.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json.h>
#include <stdint.h>
#include <stdlib.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aws_config.h"
#include "tap.h"

#define DATA_REL "tests/data/aws-config-cases"

static char datadir[2048];

static struct json_object *load_json(const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", datadir, rel);
	struct json_object *j = json_object_from_file(path);
	if (!j)
		printf("# cannot read %s\n", path);
	return j;
}

static int contains(const char *hay, const char *needle)
{
	return hay && needle && strstr(hay, needle) != NULL;
}

/* ------------------------------------------------------------------ mismatch log */

static char mismatch[8192];

static void miss(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void miss(const char *fmt, ...)
{
	size_t o = strlen(mismatch);
	va_list ap;
	if (o + 2 >= sizeof mismatch)
		return;
	va_start(ap, fmt);
	vsnprintf(mismatch + o, sizeof mismatch - o, fmt, ap);
	va_end(ap);
	o = strlen(mismatch);
	if (o + 1 < sizeof mismatch)
		strcat(mismatch, "\n");
}

/* ------------------------------------------------------------------ profile-parser-tests.json */

typedef size_t (*count_fn)(const struct aws_config *);
typedef const char *(*name_fn)(const struct aws_config *, size_t);
typedef size_t (*pcount_fn)(const struct aws_config *, const char *);
typedef const char *(*pname_fn)(const struct aws_config *, const char *, size_t);
typedef const char *(*get_fn)(const struct aws_config *, const char *, const char *);

/* Compare one kind of section (profiles or sso-sessions) with the expected JSON object. */
static void compare_sections(const struct aws_config *cfg, struct json_object *want, const char *what, count_fn count,
			     name_fn name, pcount_fn pcount, pname_fn pname, get_fn get)
{
	size_t nwant = want ? (size_t)json_object_object_length(want) : 0;
	if (count(cfg) != nwant)
		miss("%s: %zu found, %zu expected", what, count(cfg), nwant);
	for (size_t i = 0; i < count(cfg); i++) {
		const char *sec = name(cfg, i);
		struct json_object *props;
		if (!want || !json_object_object_get_ex(want, sec, &props)) {
			miss("%s: unexpected [%s]", what, sec);
			continue;
		}
		size_t np = (size_t)json_object_object_length(props);
		if (pcount(cfg, sec) != np)
			miss("%s [%s]: %zu properties, %zu expected", what, sec, pcount(cfg, sec), np);
		for (size_t j = 0; j < pcount(cfg, sec); j++) {
			const char *k = pname(cfg, sec, j);
			if (!json_object_object_get_ex(props, k, NULL))
				miss("%s [%s]: unexpected property '%s'", what, sec, k);
		}
	}
	if (!want)
		return;
	json_object_object_foreach(want, sec, props)
	{
		json_object_object_foreach(props, k, v)
		{
			const char *got = get(cfg, sec, k);
			const char *exp = json_object_get_string(v);
			if (!got)
				miss("%s [%s]: '%s' missing", what, sec, k);
			else if (strcmp(got, exp) != 0)
				miss("%s [%s]: '%s' = '%s', expected '%s'", what, sec, k, got, exp);
		}
	}
}

static void run_parser_tests(void)
{
	struct json_object *root = load_json("smithy-rs/aws-runtime/profile-parser-tests.json"), *tests;
	int passed = 0, total = 0, msg_match = 0, nerr = 0;
	if (!root || !json_object_object_get_ex(root, "tests", &tests)) {
		ok(0, "profile-parser-tests.json loaded");
		json_object_put(root);
		return;
	}
	size_t n = json_object_array_length(tests);
	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(tests, i), *in, *out, *o, *cf = NULL, *rf = NULL;
		const char *name = json_object_get_string(json_object_object_get(t, "name"));
		char err[512] = "";
		json_object_object_get_ex(t, "input", &in);
		json_object_object_get_ex(t, "output", &out);
		json_object_object_get_ex(in, "configFile", &cf);
		json_object_object_get_ex(in, "credentialsFile", &rf);
		struct aws_config *cfg =
			aws_config_parse(cf ? json_object_get_string(cf) : NULL, cf ? (size_t)json_object_get_string_len(cf) : 0,
					 rf ? json_object_get_string(rf) : NULL, rf ? (size_t)json_object_get_string_len(rf) : 0,
					 err, sizeof err);
		mismatch[0] = '\0';
		total++;
		if (json_object_object_get_ex(out, "errorContaining", &o)) {
			const char *want = json_object_get_string(o);
			int good = !cfg && err[0] != '\0';
			nerr++;
			if (contains(err, want))
				msg_match++;
			if (tap_ok(good, "parser case %zu: %s (error expected)", i + 1, name))
				passed++;
			printf("#   expected fragment: %s\n#   ours: %s\n", want, cfg ? "(parse succeeded)" : err);
		} else {
			struct json_object *conf = NULL, *profiles = NULL, *sso = NULL;
			json_object_object_get_ex(out, "config", &conf);
			json_object_object_get_ex(conf, "profiles", &profiles);
			json_object_object_get_ex(conf, "sso_sessions", &sso);
			if (!cfg) {
				miss("parse failed: %s", err);
			} else {
				compare_sections(cfg, profiles, "profiles", aws_config_profile_count, aws_config_profile_name,
						 aws_config_property_count, aws_config_property_name, aws_config_get);
				compare_sections(cfg, sso, "sso_sessions", aws_config_sso_session_count,
						 aws_config_sso_session_name, aws_config_sso_session_property_count,
						 aws_config_sso_session_property_name, aws_config_sso_session_get);
			}
			if (tap_ok(mismatch[0] == '\0', "parser case %zu: %s", i + 1, name))
				passed++;
			else
				tap_diag_text("mismatches", mismatch);
		}
		aws_config_free(cfg);
	}
	printf("# profile-parser-tests.json: %d/%d cases passed; %d/%d error messages contain the Rust fragment\n",
	       passed, total, msg_match, nerr);
	is_int(total, 65, "profile-parser-tests.json has the 65 cases the README lists");
	json_object_put(root);
}

/* ------------------------------------------------------------------ file-location-tests.json */

static struct json_object *fake_env; /* object of NAME: value, for fake_getenv */

static const char *fake_getenv(const char *name)
{
	struct json_object *v;
	if (fake_env && json_object_object_get_ex(fake_env, name, &v))
		return json_object_get_string(v);
	return NULL;
}

static void run_location_tests(void)
{
	struct json_object *root = load_json("smithy-rs/aws-runtime/file-location-tests.json"), *tests;
	if (!root || !json_object_object_get_ex(root, "tests", &tests)) {
		ok(0, "file-location-tests.json loaded");
		json_object_put(root);
		return;
	}
	size_t n = json_object_array_length(tests);
	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(tests, i), *prof = NULL;
		const char *name = json_object_get_string(json_object_object_get(t, "name"));
		const char *platform = json_object_get_string(json_object_object_get(t, "platform"));
		if (strcmp(platform, "linux") != 0) {
			ok(1, "location case %zu: %s # SKIP Windows-only (USERPROFILE, HOMEDRIVE+HOMEPATH, '\\' paths)", i + 1,
			   name);
			continue;
		}
		char cp[512], rp[512], err[256] = "";
		fake_env = json_object_object_get(t, "environment");
		int rc = aws_config_paths(fake_getenv, cp, sizeof cp, rp, sizeof rp, err, sizeof err);
		mismatch[0] = '\0';
		if (rc != 0)
			miss("aws_config_paths failed: %s", err);
		else {
			const char *wc = json_object_get_string(json_object_object_get(t, "configLocation"));
			const char *wr = json_object_get_string(json_object_object_get(t, "credentialsLocation"));
			if (strcmp(cp, wc) != 0)
				miss("config '%s', expected '%s'", cp, wc);
			if (strcmp(rp, wr) != 0)
				miss("credentials '%s', expected '%s'", rp, wr);
		}
		if (json_object_object_get_ex(t, "profile", &prof)) {
			const char *got = aws_config_profile_name_from(NULL, fake_getenv);
			if (strcmp(got, json_object_get_string(prof)) != 0)
				miss("profile '%s', expected '%s'", got, json_object_get_string(prof));
		}
		if (!tap_ok(mismatch[0] == '\0', "location case %zu: %s", i + 1, name))
			tap_diag_text("mismatches", mismatch);
		fake_env = NULL;
	}
	json_object_put(root);
}

/* ------------------------------------------------------------------ botocore configured endpoints */

static void append(char **buf, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char **buf, size_t *len, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *nb = realloc(*buf, *len + (size_t)n + 1);
	if (!nb)
		abort();
	*buf = nb;
	vsnprintf(*buf + *len, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	*len += (size_t)n;
}

static int is_true(const char *s)
{
	return s && strcasecmp(s, "true") == 0;
}

/*
 * botocore's precedence (configprovider.py ConfiguredEndpointProvider; args.py), with the
 * config-file lookups done by the module: client endpoint_url > (unless ignored by client
 * config, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's ignore_configured_endpoint_urls)
 * AWS_ENDPOINT_URL_<SVC> > AWS_ENDPOINT_URL > [services X] <svc>.endpoint_url > profile
 * endpoint_url > the default https://<svc>.<region>.amazonaws.com.
 */
static const char *resolve_endpoint(const struct aws_config *cfg, const char *profile, struct json_object *client,
				    struct json_object *env, const char *service, char *buf, size_t bufsz)
{
	struct json_object *v;
	if (json_object_object_get_ex(client, "endpoint_url", &v))
		return json_object_get_string(v);
	int ignore = (json_object_object_get_ex(client, "ignore_configured_endpoint_urls", &v) &&
		      json_object_get_boolean(v));
	fake_env = env;
	if (is_true(fake_getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) ||
	    is_true(aws_config_get(cfg, profile, "ignore_configured_endpoint_urls")))
		ignore = 1;
	if (!ignore) {
		char var[64];
		size_t o = (size_t)snprintf(var, sizeof var, "AWS_ENDPOINT_URL_");
		for (const char *p = service; *p && o + 1 < sizeof var; p++)
			var[o++] = (*p == '-' || *p == ' ') ? '_' : (char)toupper((unsigned char)*p);
		var[o] = '\0';
		const char *e = fake_getenv(var);
		if (!e)
			e = fake_getenv("AWS_ENDPOINT_URL");
		fake_env = NULL;
		if (e)
			return e;
		const char *services = aws_config_get(cfg, profile, "services");
		if (services && (e = aws_config_services_get(cfg, services, service, "endpoint_url")))
			return e;
		if ((e = aws_config_get(cfg, profile, "endpoint_url")))
			return e;
	}
	fake_env = NULL;
	snprintf(buf, bufsz, "https://%s.%s.amazonaws.com", service, aws_config_get(cfg, profile, "region"));
	return buf;
}

static void run_endpoint_url_tests(void)
{
	struct json_object *root = load_json("botocore/configured-endpoint-urls-profile-tests.json"), *suites;
	if (!root || !json_object_object_get_ex(root, "testSuites", &suites)) {
		ok(0, "configured-endpoint-urls-profile-tests.json loaded");
		json_object_put(root);
		return;
	}
	for (size_t si = 0; si < json_object_array_length(suites); si++) {
		struct json_object *s = json_object_array_get_idx(suites, si);
		struct json_object *profiles = json_object_object_get(s, "profiles");
		struct json_object *services = json_object_object_get(s, "services");
		struct json_object *clients = json_object_object_get(s, "client_configs");
		struct json_object *envs = json_object_object_get(s, "environments");
		struct json_object *tests = json_object_object_get(s, "endpointUrlTests");
		char *text = NULL, err[512] = "";
		size_t len = 0;
		/* written the way people write it: [default] / [profile x], nested service blocks */
		json_object_object_foreach(profiles, pname, props)
		{
			if (strcmp(pname, "default") == 0)
				append(&text, &len, "[default]\n");
			else
				append(&text, &len, "[profile %s]\n", pname);
			json_object_object_foreach(props, k, v) append(&text, &len, "%s = %s\n", k, json_object_get_string(v));
			append(&text, &len, "\n");
		}
		json_object_object_foreach(services, sname, svcs)
		{
			append(&text, &len, "[services %s]\n", sname);
			json_object_object_foreach(svcs, svc, kv)
			{
				append(&text, &len, "%s =\n", svc);
				json_object_object_foreach(kv, k, v)
					append(&text, &len, "  %s = %s\n", k, json_object_get_string(v));
			}
		}
		struct aws_config *cfg = aws_config_parse(text, len, NULL, 0, err, sizeof err);
		if (!ok(cfg != NULL, "endpoint suite %zu: generated config parses", si + 1)) {
			printf("#   %s\n", err);
			free(text);
			continue;
		}
		mismatch[0] = '\0';
		json_object_object_foreach(profiles, pn, pp)
		{
			json_object_object_foreach(pp, k, v)
			{
				const char *got = aws_config_get(cfg, pn, k);
				if (!got || strcmp(got, json_object_get_string(v)) != 0)
					miss("[%s] %s = %s", pn, k, got ? got : "(null)");
			}
			if (aws_config_property_count(cfg, pn) != (size_t)json_object_object_length(pp))
				miss("[%s] property count %zu", pn, aws_config_property_count(cfg, pn));
		}
		json_object_object_foreach(services, sn, sv)
		{
			json_object_object_foreach(sv, svc, kv)
			{
				json_object_object_foreach(kv, k, v)
				{
					const char *got = aws_config_services_get(cfg, sn, svc, k);
					if (!got || strcmp(got, json_object_get_string(v)) != 0)
						miss("[services %s] %s.%s = %s", sn, svc, k, got ? got : "(null)");
				}
			}
		}
		if (!tap_ok(mismatch[0] == '\0', "endpoint suite %zu: every profile value and [services] endpoint_url",
			    si + 1))
			tap_diag_text("mismatches", mismatch);
		for (size_t ti = 0; ti < json_object_array_length(tests); ti++) {
			struct json_object *t = json_object_array_get_idx(tests, ti);
			const char *name = json_object_get_string(json_object_object_get(t, "name"));
			const char *profile = json_object_get_string(json_object_object_get(t, "profile"));
			const char *service = json_object_get_string(json_object_object_get(t, "service"));
			struct json_object *client = json_object_object_get(
				clients, json_object_get_string(json_object_object_get(t, "client_config")));
			struct json_object *env =
				json_object_object_get(envs, json_object_get_string(json_object_object_get(t, "environment")));
			const char *want = json_object_get_string(
				json_object_object_get(json_object_object_get(t, "output"), "endpointUrl"));
			char buf[256];
			is_str(resolve_endpoint(cfg, profile, client, env, service, buf, sizeof buf), want,
			       "endpoint case %zu.%zu: %s", si + 1, ti + 1, name);
		}
		aws_config_free(cfg);
		free(text);
	}
	json_object_put(root);
}

/* ------------------------------------------------------------------ hand-written cases */

static struct aws_config *P(const char *conf, const char *cred)
{
	char err[512];
	struct aws_config *c =
		aws_config_parse(conf, conf ? strlen(conf) : 0, cred, cred ? strlen(cred) : 0, err, sizeof err);
	if (!c)
		printf("# unexpected parse failure: %s\n", err);
	return c;
}

/* Parse must fail and the message must contain every given fragment. */
static void fails(const char *conf, const char *cred, const char *frag1, const char *frag2, const char *name)
{
	char err[512] = "";
	struct aws_config *c =
		aws_config_parse(conf, conf ? strlen(conf) : 0, cred, cred ? strlen(cred) : 0, err, sizeof err);
	if (!tap_ok(!c && contains(err, frag1) && (!frag2 || contains(err, frag2)), "%s", name))
		printf("#   got: %s\n#   wanted: '%s' and '%s'\n", c ? "(success)" : err, frag1, frag2 ? frag2 : "");
	aws_config_free(c);
}

static void test_services_and_subs(void)
{
	const char *conf = "[default]\n"
			   "region = eu-west-1\n"
			   "[profile mon]\n"
			   "region = us-east-2\n"
			   "services = mysvc\n"
			   "s3 =\n"
			   "  addressing_style = path\n"
			   "  Max_Concurrent_Requests = 20\n"
			   "[services mysvc]\n"
			   "s3tables =\n"
			   "  endpoint_url = https://s3tables.example.test:8443\n"
			   "  # an indented comment is a continuation line\n";
	/* the last line has no '=' and sits in a sub-property block: an error, like the SDK */
	fails(conf, NULL, "line 12", "sub-property", "a '#' line inside a sub-property block is an error (line 12)");

	conf = "[default]\n"
	       "region = eu-west-1\n"
	       "[profile mon]\n"
	       "region = us-east-2 # where the tables live\n"
	       "services = mysvc\n"
	       "s3 =\n"
	       "  addressing_style = path\n"
	       "\n"
	       "  Max_Concurrent_Requests = 20\n"
	       "[services mysvc]\n"
	       "s3tables =\n"
	       "  endpoint_url = https://s3tables.example.test:8443\n"
	       "S3 =\n"
	       "  endpoint_url = https://s3.example.test\n"
	       "[services other]\n"
	       "s3tables = https://not-a-block.example.test\n"
	       "[sso-session corp]\n"
	       "sso_region = us-east-1\n";
	struct aws_config *c = P(conf, "[mon]\nregion = ap-south-1\n[services mysvc]\ns3tables =\n  endpoint_url = x\n");
	ok(c != NULL, "config with profiles, [services] and [sso-session] parses");
	is_str(aws_config_get(c, "mon", "region"), "ap-south-1", "credentials file wins for the same key");
	is_str(aws_config_get(c, "mon", "SERVICES"), "mysvc", "key lookup ignores case");
	is_str(aws_config_get(c, "default", "region"), "eu-west-1", "[default] in the config file");
	is_str(aws_config_services_get(c, "mysvc", "s3tables", "endpoint_url"), "https://s3tables.example.test:8443",
	       "[services mysvc] s3tables.endpoint_url (credentials-file [services] ignored)");
	is_str(aws_config_services_get(c, "mysvc", "s3", "endpoint_url"), "https://s3.example.test",
	       "[services] service key is case-insensitive (S3 = -> s3)");
	is_str(aws_config_services_get(c, "mysvc", "s3tables", "ENDPOINT_URL"), "https://s3tables.example.test:8443",
	       "sub-key lookup ignores case");
	ok(aws_config_services_get(c, "other", "s3tables", "endpoint_url") == NULL,
	   "a one-line value is not a sub-property block");
	ok(aws_config_services_get(c, "nosuch", "s3tables", "endpoint_url") == NULL, "unknown [services] -> NULL");
	ok(aws_config_services_get(c, "mysvc", "dynamodb", "endpoint_url") == NULL, "unknown service -> NULL");
	is_str(aws_config_get(c, "mon", "s3"), "\naddressing_style = path\nMax_Concurrent_Requests = 20",
	       "sub-property block kept as the raw value");
	is_str(aws_config_get_sub(c, "mon", "s3", "addressing_style"), "path", "aws_config_get_sub");
	is_str(aws_config_get_sub(c, "mon", "s3", "max_concurrent_requests"), "20", "aws_config_get_sub, other case");
	ok(aws_config_get_sub(c, "mon", "region", "x") == NULL, "get_sub on a plain value -> NULL");
	ok(aws_config_get_sub(c, "mon", "s3", "nope") == NULL, "get_sub unknown subkey -> NULL");
	is_str(aws_config_sso_session_get(c, "corp", "sso_region"), "us-east-1", "[sso-session corp]");
	ok(aws_config_has_profile(c, "mon") && aws_config_has_profile(c, "default") &&
		   !aws_config_has_profile(c, "mysvc") && !aws_config_has_profile(c, "corp") &&
		   !aws_config_has_profile(c, NULL),
	   "has_profile: profiles yes, [services]/[sso-session] names no");
	ok(aws_config_get(c, "nosuch", "region") == NULL && aws_config_get(c, "mon", "nosuch") == NULL &&
		   aws_config_get(c, "mon", NULL) == NULL && aws_config_get(NULL, "mon", "region") == NULL,
	   "absent profile/key and NULL arguments -> NULL");
	is_int(aws_config_profile_count(c), 2, "two profiles");
	is_str(aws_config_profile_name(c, 0), "default", "profile order: first definition first");
	ok(aws_config_profile_name(c, 2) == NULL && aws_config_property_name(c, "mon", 99) == NULL,
	   "iteration out of range -> NULL");
	aws_config_free(c);

	c = P("[profile a]\nx = 1\n[profile b]\n[profile a]\nX = 2\ny = 3\n", "[a]\ny=4\n[profile a]\ny=5\n");
	is_str(aws_config_get(c, "a", "x"), "2", "duplicate profile: last definition wins");
	is_str(aws_config_get(c, "a", "y"), "4", "credentials [profile a] ignored, [a] wins");
	is_int(aws_config_property_count(c, "a"), 2, "no duplicate property names");
	aws_config_free(c);

	c = P("[default]\nregion=a\n", "[default]\naws_access_key_id = AKID\n");
	is_str(aws_config_get(c, "default", "aws_access_key_id"), "AKID", "credentials merged into default");
	is_str(aws_config_get(c, "default", "region"), "a", "config value kept");
	aws_config_free(c);

	c = P(NULL, NULL);
	ok(c && aws_config_profile_count(c) == 0, "no files: empty config");
	aws_config_free(c);

	/* Unicode whitespace counts before a comment character in a value (Rust char::is_whitespace) */
	c = P("[profile u]\na = x\xc2\xa0# c\nb = x\xc2\xa0\n", NULL);
	is_str(aws_config_get(c, "u", "a"), "x\xc2\xa0", "U+00A0 before '#' starts a comment; only space/tab trimmed");
	aws_config_free(c);
	c = P("[profile\xc2\xa0u]\n[\xe3\x80\x80profile v\xe3\x80\x80]\n", "[\xc2\xa0w]\n");
	ok(c && !aws_config_has_profile(c, "u") && aws_config_has_profile(c, "v") && aws_config_has_profile(c, "w"),
	   "section names: split at space/tab only, then Unicode-trimmed");
	aws_config_free(c);
	c = P("[]\n[ ]\nx=1\n", "[]\n[\t]\n");
	ok(c && aws_config_profile_count(c) == 0, "[] and [ ] (empty names) are ignored in both files");
	aws_config_free(c);
	c = P("[foo]\nk = v\n -continued in an ignored section\n", NULL);
	ok(c && aws_config_profile_count(c) == 0, "properties of an ignored section are parsed and dropped");
	aws_config_free(c);
	c = P("[profile r]\r\nk = v\r\n -more\r\n", NULL);
	is_str(aws_config_get(c, "r", "k"), "v\n-more", "CRLF line endings with a continuation");
	aws_config_free(c);
	c = P("[profile r]\nk = v\r", NULL);
	is_str(aws_config_get(c, "r", "k"), "v\r", "a '\\r' not followed by '\\n' stays (Rust str::lines)");
	aws_config_free(c);
}

static void test_errors(void)
{
	fails("[profile ok]\nk = v\n\n[profile foo\n", NULL, "config file, line 4", "must end with ']'",
	      "unterminated header: message names file and line 4");
	fails("[profile foo] junk\n", NULL, "line 1", "must end with ']'", "text after ']' is an error");
	fails("# c\nname = value\n", NULL, "line 2", "Expected a profile definition", "property before any profile");
	fails(" -continued\n", NULL, "line 1", "Expected a profile definition", "continuation before any profile");
	fails("[profile a]\n\n -c\n", NULL, "line 3", "Expected a property definition",
	      "continuation before any property");
	fails(NULL, "[a]\nk : v\n", "credentials file, line 2", "Expected an '=' sign defining a property",
	      "credentials file error names the credentials file");
	fails("[a]\n= v\n", NULL, "line 2", "Property did not have a name", "empty property name");
	fails("[profile a]\ns3 =\n  = v\n", NULL, "line 3", "Sub-property did not have a name", "empty sub-property name");
	fails("[profile a]\ns3 =\n  nothing\n", NULL, "line 3", "sub-property", "sub-property without '='");
}

/* ------------------------------------------------------------------ limits and garbage */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static void test_limits_and_garbage(void)
{
	char err[512];
	/* a 70 KiB line */
	size_t n = 70 * 1024;
	char *big = malloc(n + 64);
	strcpy(big, "[default]\nk = ");
	size_t o = strlen(big);
	memset(big + o, 'a', n);
	o += n;
	big[o] = '\0';
	struct aws_config *c = aws_config_parse(big, o, NULL, 0, err, sizeof err);
	ok(!c && contains(err, "line 2") && contains(err, "65536"), "a 70 KiB line is refused naming line 2");
	printf("#   %s\n", err);
	aws_config_free(c);
	/* exactly the line limit is fine */
	size_t exact = AWS_CONFIG_MAX_LINE - 4;
	strcpy(big, "[default]\nk = ");
	memset(big + 14, 'b', exact);
	big[14 + exact] = '\0';
	c = aws_config_parse(big, 14 + exact, NULL, 0, err, sizeof err);
	ok(c && aws_config_get(c, "default", "k") && strlen(aws_config_get(c, "default", "k")) == exact,
	   "a line of exactly 64 KiB is accepted");
	aws_config_free(c);
	free(big);

	/* file size limit: parse */
	size_t fsz = AWS_CONFIG_MAX_FILE + 1;
	char *f = malloc(fsz);
	memcpy(f, "[default]\n", 10);
	for (size_t i = 10; i < fsz; i++)
		f[i] = (i % 64 == 63) ? '\n' : '#';
	c = aws_config_parse(NULL, 0, f, fsz, err, sizeof err);
	ok(!c && contains(err, "credentials file") && contains(err, "larger than"), "text over 1 MiB refused");
	printf("#   %s\n", err);
	aws_config_free(c);
	c = aws_config_parse(f, fsz - 1, NULL, 0, err, sizeof err);
	ok(c != NULL, "text of exactly 1 MiB accepted");
	aws_config_free(c);
	free(f);

	/* NUL bytes and invalid UTF-8 */
	c = aws_config_parse("[default]\nk = a\0b\n", 17, NULL, 0, err, sizeof err);
	ok(!c && contains(err, "line 2") && contains(err, "NUL"), "NUL byte refused naming line 2");
	aws_config_free(c);
	c = aws_config_parse("[default]\nk = \xff\xfe\n", 16, NULL, 0, err, sizeof err);
	ok(!c && contains(err, "line 2") && contains(err, "UTF-8"), "invalid UTF-8 refused naming line 2");
	aws_config_free(c);
	c = aws_config_parse("[default]\nk = \xed\xa0\x80\n", 17, NULL, 0, err, sizeof err);
	ok(!c && contains(err, "UTF-8"), "UTF-8 surrogate refused");
	aws_config_free(c);
	c = aws_config_parse("\xef\xbb\xbf[default]\n", 13, NULL, 0, err, sizeof err);
	ok(!c && contains(err, "byte order mark"), "a UTF-8 BOM is an error (as in the SDKs) with a clear message");
	aws_config_free(c);

	/* random bytes */
	int crashed = 0, bad_err = 0;
	char buf[4096];
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = rnd() % sizeof buf;
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)rnd();
		err[0] = '\0';
		c = aws_config_parse(buf, len, buf, len / 2, err, sizeof err);
		if (!c && err[0] == '\0')
			bad_err++;
		aws_config_free(c);
	}
	ok(!crashed && !bad_err, "3000 random byte buffers: no crash, every failure explained");
	/* structured garbage: tokens of the format, ASCII and multi-byte UTF-8 */
	static const char *tok[] = {"[", "]", "profile", " ", "\t", "=", "\n", "\r\n", "#", ";", "default",
				    "sso-session", "services", "s3tables", "endpoint_url", "a", "Z9", "\xc2\xa0",
				    "\xe2\x80\x83", "\xf0\x9f\x98\x82", "\n  ", "\n\t", "x = ", "[profile p]\n",
				    "[services s]\n", "s3tables =\n", "  endpoint_url = u\n", "\0", "\xff"};
	int parsed = 0;
	for (int iter = 0; iter < 20000; iter++) {
		size_t len = 0;
		int ntok = (int)(rnd() % 60);
		for (int k = 0; k < ntok && len + 32 < sizeof buf; k++) {
			const char *t = tok[rnd() % (sizeof tok / sizeof tok[0])];
			size_t tl = t[0] ? strlen(t) : 1;
			memcpy(buf + len, t, tl);
			len += tl;
		}
		err[0] = '\0';
		c = aws_config_parse((rnd() & 1) ? buf : NULL, len, (rnd() & 1) ? buf : NULL, len, err, sizeof err);
		if (c) {
			parsed++;
			for (size_t i = 0; i < aws_config_profile_count(c); i++) {
				const char *p = aws_config_profile_name(c, i);
				for (size_t j = 0; j < aws_config_property_count(c, p); j++)
					(void)strlen(aws_config_get(c, p, aws_config_property_name(c, p, j)));
			}
			(void)aws_config_services_get(c, "s", "s3tables", "endpoint_url");
		} else if (err[0] == '\0') {
			bad_err++;
		}
		aws_config_free(c);
	}
	ok(!bad_err, "20000 token-garbage inputs: no crash, every failure explained (%d parsed)", parsed);

	/* many distinct keys and profiles stay fast (hash indexes) */
	size_t cap = AWS_CONFIG_MAX_FILE, len = 0;
	char *m = malloc(cap);
	len += (size_t)snprintf(m, cap, "[default]\n");
	for (int i = 0; len + 40 < cap; i++)
		len += (size_t)snprintf(m + len, cap - len, (i % 100) ? "k%d = %d\n" : "[profile p%d]\n", i, i);
	c = aws_config_parse(m, len, NULL, 0, err, sizeof err);
	ok(c && aws_config_profile_count(c) > 100, "~1 MiB of distinct keys parses (%zu profiles)",
	   aws_config_profile_count(c));
	aws_config_free(c);
	free(m);
}

/* ------------------------------------------------------------------ locations and loading */

static const char *env_none(const char *name)
{
	(void)name;
	return NULL;
}

static const char *env_tilde(const char *name)
{
	if (!strcmp(name, "HOME"))
		return "/home/u/";
	if (!strcmp(name, "AWS_CONFIG_FILE"))
		return "~";
	if (!strcmp(name, "AWS_SHARED_CREDENTIALS_FILE"))
		return "~other/creds";
	if (!strcmp(name, "AWS_DEFAULT_PROFILE"))
		return "botocore-only";
	if (!strcmp(name, "AWS_PROFILE"))
		return "";
	return NULL;
}

static const char *env_rel(const char *name)
{
	if (!strcmp(name, "HOME"))
		return "/";
	if (!strcmp(name, "AWS_CONFIG_FILE"))
		return "rel/~/config";
	if (!strcmp(name, "AWS_SHARED_CREDENTIALS_FILE"))
		return "~/c";
	return NULL;
}

static void test_locations(void)
{
	char cp[256], rp[256], err[256];
	ok(aws_config_paths(env_none, cp, sizeof cp, rp, sizeof rp, err, sizeof err) == 0 && cp[0] == '\0' &&
		   rp[0] == '\0',
	   "HOME unset: default paths cannot be located (returned as \"\")");
	ok(aws_config_paths(env_tilde, cp, sizeof cp, rp, sizeof rp, err, sizeof err) == 0, "paths with '~'");
	is_str(cp, "/home/u", "\"~\" alone expands to HOME (trailing '/' of HOME dropped)");
	is_str(rp, "~other/creds", "\"~other/...\" is not expanded");
	ok(aws_config_paths(env_rel, cp, sizeof cp, rp, sizeof rp, err, sizeof err) == 0, "paths, HOME=/");
	is_str(cp, "rel/~/config", "'~' in a later segment is not expanded");
	is_str(rp, "/c", "HOME=/ gives \"/c\", not \"//c\"");
	ok(aws_config_paths(env_tilde, cp, 4, rp, sizeof rp, err, sizeof err) == -1 && contains(err, "config file") &&
		   cp[0] == '\0',
	   "too small a buffer is an error");
	setenv("AWS_CONFIG_FILE", "/etc/aws-test-config", 1);
	setenv("HOME", "/root-test", 1);
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	ok(aws_config_paths(NULL, cp, sizeof cp, rp, sizeof rp, err, sizeof err) == 0 &&
		   !strcmp(cp, "/etc/aws-test-config") && !strcmp(rp, "/root-test/.aws/credentials"),
	   "NULL getenv_fn uses the process environment");
	is_str(aws_config_profile_name_from("opt", env_tilde), "opt", "profile: explicit option wins");
	is_str(aws_config_profile_name_from("", env_tilde), "default",
	       "profile: empty AWS_PROFILE, AWS_DEFAULT_PROFILE not consulted -> default");
	setenv("AWS_PROFILE", "from-env", 1);
	is_str(aws_config_profile_name_from(NULL, NULL), "from-env", "profile: AWS_PROFILE from the environment");
}

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *fp = fopen(path, "wb");
	if (!fp)
		return;
	fwrite(text, 1, len, fp);
	fclose(fp);
}

static void test_load(void)
{
	char dir[] = "/tmp/test_aws_config.XXXXXX", p1[256], p2[256], p3[256], p4[256], err[512];
	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(p1, sizeof p1, "%s/config", dir);
	snprintf(p2, sizeof p2, "%s/credentials", dir);
	snprintf(p3, sizeof p3, "%s/missing", dir);
	snprintf(p4, sizeof p4, "%s/big", dir);
	const char *t1 = "[profile x]\nregion = r\n[services s]\ns3tables =\n  endpoint_url = http://127.0.0.1:9\n";
	const char *t2 = "[x]\naws_access_key_id = K\n";
	write_file(p1, t1, strlen(t1));
	write_file(p2, t2, strlen(t2));

	struct aws_config *c = aws_config_load(p1, p2, err, sizeof err);
	ok(c && !strcmp(aws_config_get(c, "x", "region"), "r") && !strcmp(aws_config_get(c, "x", "aws_access_key_id"), "K"),
	   "load both files");
	is_str(aws_config_services_get(c, "s", "s3tables", "endpoint_url"), "http://127.0.0.1:9", "load: [services]");
	aws_config_free(c);

	c = aws_config_load(p3, p3, err, sizeof err);
	ok(c && aws_config_profile_count(c) == 0, "missing files are empty");
	aws_config_free(c);
	c = aws_config_load(NULL, "", err, sizeof err);
	ok(c && aws_config_profile_count(c) == 0, "NULL and \"\" paths are no file");
	aws_config_free(c);
	snprintf(p4, sizeof p4, "%s/config/sub", dir);
	c = aws_config_load(p4, NULL, err, sizeof err);
	ok(c != NULL, "a path through a regular file (ENOTDIR) counts as missing");
	aws_config_free(c);
	c = aws_config_load("/dev/null", "/dev/null", err, sizeof err);
	ok(c && aws_config_profile_count(c) == 0, "/dev/null is an empty file");
	aws_config_free(c);

	c = aws_config_load(dir, NULL, err, sizeof err);
	ok(!c && contains(err, dir) && contains(err, "directory"), "a directory is an error naming the path");
	printf("#   %s\n", err);
	aws_config_free(c);

	snprintf(p4, sizeof p4, "%s/big", dir);
	size_t fsz = AWS_CONFIG_MAX_FILE + 10;
	char *f = malloc(fsz);
	memset(f, '#', fsz);
	write_file(p4, f, fsz);
	free(f);
	c = aws_config_load(NULL, p4, err, sizeof err);
	ok(!c && contains(err, p4) && contains(err, "larger than"), "an oversized file is an error naming the path");
	printf("#   %s\n", err);
	aws_config_free(c);
	unlink(p4);

	write_file(p4, "[default]\nk = v\n[oops\n", 22);
	c = aws_config_load(p4, NULL, err, sizeof err);
	ok(!c && contains(err, p4) && contains(err, "line 3"), "a parse error names the path and line");
	printf("#   %s\n", err);
	aws_config_free(c);

	chmod(p4, 0);
	if (geteuid() == 0) {
		/* root reads anything: run the case as an unprivileged user (nobody) in a child */
		chmod(dir, 0711);
		int pfd[2];
		char got[600] = "";
		if (pipe(pfd) == 0) {
			pid_t pid = fork();
			if (pid == 0) {
				close(pfd[0]);
				if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
					_exit(2);
				struct aws_config *cc = aws_config_load(p4, NULL, err, sizeof err);
				ssize_t w = write(pfd[1], cc ? "loaded" : err, strlen(cc ? "loaded" : err));
				(void)w;
				_exit(cc ? 1 : 0);
			}
			close(pfd[1]);
			ssize_t n = pid > 0 ? read(pfd[0], got, sizeof got - 1) : -1;
			got[n > 0 ? n : 0] = '\0';
			close(pfd[0]);
			int st = 0;
			if (pid > 0)
				waitpid(pid, &st, 0);
			ok(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 && contains(got, p4) &&
				   contains(got, "Permission denied"),
			   "an unreadable file is an error naming the path (as uid 65534)");
			printf("#   %s\n", got);
		}
		chmod(dir, 0700);
	} else if (access(p4, R_OK) == 0) {
		ok(1, "unreadable file is an error # SKIP permissions are not enforced here");
	} else {
		c = aws_config_load(p4, NULL, err, sizeof err);
		ok(!c && contains(err, p4) && contains(err, "Permission denied"), "an unreadable file is an error naming the path");
		printf("#   %s\n", err);
		aws_config_free(c);
	}
	unlink(p4);
	unlink(p1);
	unlink(p2);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	const char *srcdir = getenv("srcdir");
	if (argc > 1)
		snprintf(datadir, sizeof datadir, "%s", argv[1]);
	else if (srcdir && *srcdir)
		snprintf(datadir, sizeof datadir, "%s/%s", srcdir, DATA_REL);
	else
		snprintf(datadir, sizeof datadir, "%s", DATA_REL);

	run_parser_tests();
	run_location_tests();
	run_endpoint_url_tests();
	test_services_and_subs();
	test_errors();
	test_limits_and_garbage();
	test_locations();
	test_load();
	return tap_done();
}
