/* test_creds_sso.c - the pure parts of the SSO provider and of the STS / SSO endpoint rules:
 * token cache key and path, token-file parsing, expiry and refresh decisions, the write-back
 * merge, CreateToken and GetRoleCredentials answers, host names per partition. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "creds_sso.h"
#include "creds_sso_token.h"
#include "creds_sts.h"
#include "endpoint.h"
#include "tap.h"

static const char *env_names[16], *env_values[16];
static size_t env_n;

static const char *test_getenv(const char *name)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_names[i], name) == 0)
			return env_values[i];
	return NULL;
}

static void env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < env_n; i++)
		if (strcmp(env_names[i], name) == 0) {
			env_values[i] = value;
			return;
		}
	env_names[env_n] = name;
	env_values[env_n++] = value;
}

static void cache_key(void)
{
	char hex[41] = "", path[512] = "", err[256] = "";
	/* the smithy-rs corpus names its token files this way (sso_assume_role) */
	sso_token_cache_key(NULL, "https://ssotest.awsapps.com/start", hex);
	is_str(hex, "dace00cba5f8355ec9d274ceb2bcebdfbeed0e12", "legacy form: SHA-1 of the start URL");
	sso_token_cache_key("corp", "https://ssotest.awsapps.com/start", hex);
	is_str(hex, "ee0bfd2552fbd840c02cc48b6e823320543c450f", "sso-session form: SHA-1 of the session name");
	sso_token_cache_key("admin", NULL, hex); /* the well-known SHA-1 of "admin" */
	is_str(hex, "d033e22ae348aeb5660fc2140aec35850c4da997", "SHA-1 of 'admin'");

	env_n = 0;
	env_set("HOME", "/home/oncall/");
	ok(sso_token_cache_path(test_getenv, "corp", NULL, path, sizeof path, err, sizeof err) == 0 &&
		   strcmp(path, "/home/oncall/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json") == 0,
	   "cache path under $HOME/.aws/sso/cache (%s)", path);
	env_set("HOME", "  ");
	ok(sso_token_cache_path(test_getenv, "corp", NULL, path, sizeof path, err, sizeof err) == -1 &&
		   strstr(err, "HOME is not set"),
	   "blank HOME: no path (%s)", err);
	env_set("HOME", "/h");
	ok(sso_token_cache_path(test_getenv, "corp", NULL, path, 20, err, sizeof err) == -1, "path too long: refused");
	env_n = 0;
}

static void parse(void)
{
	struct sso_token t;
	char err[256] = "";
	const char *full = "{\"startUrl\":\"https://x\",\"region\":\"us-east-1\",\"accessToken\":\"AT\","
			   "\"expiresAt\":\"2030-01-02T03:04:05Z\",\"refreshToken\":\"RT\",\"clientId\":\"CID\","
			   "\"clientSecret\":\"CS\",\"registrationExpiresAt\":\"2030-06-01T00:00:00Z\"}";
	ok(sso_token_parse(full, strlen(full), &t, err, sizeof err) == 0, "full token parses (%s)", err);
	is_str(t.access_token, "AT", "accessToken");
	ok(t.expires_at == 1893553445.0, "expiresAt 2030-01-02T03:04:05Z (%.0f)", t.expires_at);
	is_str(t.refresh_token, "RT", "refreshToken");
	is_str(t.client_id, "CID", "clientId");
	is_str(t.client_secret, "CS", "clientSecret");
	ok(t.registration_expires_at == 1906502400.0, "registrationExpiresAt");
	ok(sso_token_can_refresh(&t, 1893553445.0), "refresh fields and a live registration: can refresh");
	ok(!sso_token_can_refresh(&t, 1906502400.0), "registration expired: cannot refresh");
	sso_token_free(&t);

	const char *bare = "{\"accessToken\":\"AT\",\"expiresAt\":\"2030-01-02T03:04:05UTC\"}";
	ok(sso_token_parse(bare, strlen(bare), &t, err, sizeof err) == 0 && t.expires_at == 1893553445.0,
	   "botocore's \"...UTC\" expiresAt form (%s)", err);
	ok(!t.refresh_token && !sso_token_can_refresh(&t, 0), "no refresh fields: cannot refresh");
	sso_token_free(&t);
	const char *partial = "{\"accessToken\":\"AT\",\"expiresAt\":\"2030-01-02T03:04:05Z\",\"refreshToken\":\"R\","
			      "\"clientId\":\"C\",\"registrationExpiresAt\":\"2030-06-01T00:00:00Z\"}";
	ok(sso_token_parse(partial, strlen(partial), &t, err, sizeof err) == 0 && !sso_token_can_refresh(&t, 0),
	   "clientSecret missing: cannot refresh");
	sso_token_free(&t);

	static const struct {
		const char *text, *want;
	} bad[] = {
		{"{\"expiresAt\":\"2030-01-02T03:04:05Z\"}", "no accessToken"},
		{"{\"accessToken\":\"SECRETVALUE\"}", "no expiresAt"},
		{"{\"accessToken\":\"SECRETVALUE\",\"expiresAt\":\"tomorrow\"}", "expiresAt is not a date"},
		{"{\"accessToken\":\"SECRETVALUE\",\"expiresAt\":\"2030-01-02T03:04:05Z\",\"registrationExpiresAt\":\"x\"}",
		 "registrationExpiresAt is not a date"},
		{"{\"accessToken\":\"\",\"expiresAt\":\"2030-01-02T03:04:05Z\"}", "no accessToken"},
		{"{\"accessToken\":7,\"expiresAt\":\"2030-01-02T03:04:05Z\"}", "no accessToken"},
		{"[\"SECRETVALUE\"]", "not a JSON object"},
		{"{\"accessToken\":\"SECRETVALUE\",", "not a JSON object"},
		{"", "not a JSON object"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc = sso_token_parse(bad[i].text, strlen(bad[i].text), &t, err, sizeof err);
		ok(rc == -1 && strstr(err, bad[i].want) && !strstr(err, "SECRETVALUE") && !t.access_token,
		   "bad token file %zu: '%s' (%s)", i, bad[i].want, err);
	}
	/* a NUL inside: the length is what counts */
	ok(sso_token_parse("{\"accessToken\":\"A\",\"expiresAt\":\"2030-01-02T03:04:05Z\"}\0junk", 60, &t, err,
			   sizeof err) == -1,
	   "trailing bytes after the object: refused");
}

static void decide(void)
{
	struct sso_token t = {.expires_at = 10000.0};
	double now = 10000.0 - SSO_TOKEN_REFRESH_WINDOW - 1;
	is_int(sso_token_decide(&t, now), SSO_TOKEN_USE, "15 min + 1 s left: use it");
	is_int(sso_token_decide(&t, 10000.0 - 60), SSO_TOKEN_USE, "1 min left, no refresh data: use it");
	is_int(sso_token_decide(&t, 10000.0), SSO_TOKEN_EXPIRED, "at expiresAt, no refresh data: expired");
	char r[] = "R", c[] = "C", sec[] = "S";
	t.refresh_token = r;
	t.client_id = c;
	t.client_secret = sec;
	t.registration_expires_at = 20000.0;
	is_int(sso_token_decide(&t, now), SSO_TOKEN_USE, "refreshable, 15 min + 1 s left: use it");
	is_int(sso_token_decide(&t, 10000.0 - SSO_TOKEN_REFRESH_WINDOW + 1), SSO_TOKEN_REFRESH,
	       "refreshable, inside the 15-minute window: refresh");
	is_int(sso_token_decide(&t, 15000.0), SSO_TOKEN_REFRESH, "refreshable, expired: refresh");
	is_int(sso_token_decide(&t, 20000.0), SSO_TOKEN_EXPIRED, "expired and the registration too: expired");
	t.registration_expires_at = 9990.0;
	is_int(sso_token_decide(&t, 9995.0), SSO_TOKEN_USE, "inside the window, registration expired, still valid: use");
	t.client_secret = NULL;
	t.registration_expires_at = 20000.0;
	is_int(sso_token_decide(&t, 15000.0), SSO_TOKEN_EXPIRED, "expired, clientSecret missing: expired");
}

static void merge(void)
{
	const char *old = "{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":\"us-east-1\",\"accessToken\":\"OLD\","
			  "\"expiresAt\":\"2020-01-01T00:00:00Z\",\"refreshToken\":\"R1\",\"clientId\":\"C\","
			  "\"clientSecret\":\"S\",\"registrationExpiresAt\":\"2030-06-01T00:00:00Z\",\"extra\":[1,2]}";
	char *m = sso_token_merge(old, strlen(old), "NEW", 1893553445.0, "R2");
	ok(m != NULL, "merge: done");
	struct sso_token t;
	char err[256] = "";
	ok(m && sso_token_parse(m, strlen(m), &t, err, sizeof err) == 0, "merge: the result parses (%s)", err);
	is_str(t.access_token, "NEW", "merge: new accessToken");
	ok(t.expires_at == 1893553445.0, "merge: new expiresAt");
	is_str(t.refresh_token, "R2", "merge: rotated refreshToken");
	is_str(t.client_id, "C", "merge: clientId kept");
	sso_token_free(&t);
	ok(m && strstr(m, "\"expiresAt\":\"2030-01-02T03:04:05Z\"") && strstr(m, "\"extra\":[1,2]") &&
		   strstr(m, "\"startUrl\":\"https://corp.awsapps.com/start\""),
	   "merge: expiresAt in the CLI's form, other fields (and unescaped '/') kept: %s", m ? m : "");
	free(m);
	m = sso_token_merge(old, strlen(old), "NEW", 1893553445.0, NULL);
	ok(m && strstr(m, "\"refreshToken\":\"R1\""), "merge: no new refresh token: the old one stays");
	free(m);
	ok(sso_token_merge("[1]", 3, "N", 1, NULL) == NULL, "merge: not an object: NULL");
}

static void oidc(void)
{
	char *a, *r, err[256] = "";
	double exp;
	const char *okb = "{\"accessToken\":\"NEWAT\",\"tokenType\":\"Bearer\",\"expiresIn\":28800,\"refreshToken\":\"NR\"}";
	ok(sso_oidc_parse_create_token(200, okb, strlen(okb), 1000.0, &a, &exp, &r, err, sizeof err) == 0 &&
		   strcmp(a, "NEWAT") == 0 && strcmp(r, "NR") == 0 && exp == 29800.0,
	   "CreateToken 200: token, refresh token, now + expiresIn");
	free(a);
	free(r);
	const char *noref = "{\"accessToken\":\"NEWAT\",\"expiresIn\":60}";
	ok(sso_oidc_parse_create_token(200, noref, strlen(noref), 0, &a, &exp, &r, err, sizeof err) == 0 && !r,
	   "CreateToken 200 without refreshToken");
	free(a);
	const char *noexp = "{\"accessToken\":\"SECRETAT\"}";
	ok(sso_oidc_parse_create_token(200, noexp, strlen(noexp), 0, &a, &exp, &r, err, sizeof err) == -1 &&
		   strstr(err, "expiresIn") && !strstr(err, "SECRETAT") && !a,
	   "CreateToken 200 without expiresIn: refused (%s)", err);
	const char *grant = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid refresh\\ntoken\"}";
	ok(sso_oidc_parse_create_token(400, grant, strlen(grant), 0, &a, &exp, &r, err, sizeof err) == -1 &&
		   strcmp(err, "invalid_grant: Invalid refresh token (HTTP 400)") == 0,
	   "CreateToken 400 invalid_grant (%s)", err);
	const char *rj = "{\"__type\":\"com.amazonaws.ssooidc#ExpiredTokenException\",\"message\":\"expired\"}";
	ok(sso_oidc_parse_create_token(400, rj, strlen(rj), 0, &a, &exp, &r, err, sizeof err) == -1 &&
		   strcmp(err, "ExpiredTokenException: expired (HTTP 400)") == 0,
	   "CreateToken restJson1 error (%s)", err);
	ok(sso_oidc_parse_create_token(502, "<html>", 6, 0, &a, &exp, &r, err, sizeof err) == -1 &&
		   strcmp(err, "HTTP 502") == 0,
	   "CreateToken non-JSON error (%s)", err);
}

static void role_credentials(void)
{
	struct creds c;
	char err[256] = "";
	const char *body = "{\"roleCredentials\":{\"accessKeyId\":\"ASIARCORRECT\",\"secretAccessKey\":\"secretkeycorrect\","
			   "\"sessionToken\":\"tokencorrect\",\"expiration\":1234567890000}}";
	ok(sso_parse_role_credentials(200, "", body, strlen(body), &c, err, sizeof err) == 0, "GetRoleCredentials 200");
	is_str(c.access_key_id, "ASIARCORRECT", "access key id");
	is_str(c.session_token, "tokencorrect", "session token");
	ok(c.expiration == 1234567890.0, "expiration: Unix milliseconds -> seconds");
	is_str(c.source, "sso", "source is sso");
	creds_free(&c);
	const char *nosecret = "{\"roleCredentials\":{\"accessKeyId\":\"A\",\"sessionToken\":\"SECRETTOK\","
			       "\"expiration\":1}}";
	ok(sso_parse_role_credentials(200, "", nosecret, strlen(nosecret), &c, err, sizeof err) == -1 &&
		   strstr(err, "secretAccessKey") && !strstr(err, "SECRETTOK"),
	   "no secretAccessKey: refused (%s)", err);
	const char *noexp = "{\"roleCredentials\":{\"accessKeyId\":\"A\",\"secretAccessKey\":\"B\",\"sessionToken\":\"C\"}}";
	ok(sso_parse_role_credentials(200, "", noexp, strlen(noexp), &c, err, sizeof err) == -1 &&
		   strstr(err, "expiration"),
	   "no expiration: refused (%s)", err);
	ok(sso_parse_role_credentials(200, "", "{}", 2, &c, err, sizeof err) == -1 && strstr(err, "accessKeyId"),
	   "no roleCredentials: refused (%s)", err);
	const char *unauth = "{\"message\":\"Session token not found or invalid\"}";
	ok(sso_parse_role_credentials(401, "UnauthorizedException", unauth, strlen(unauth), &c, err, sizeof err) == -1 &&
		   strcmp(err, "UnauthorizedException: Session token not found or invalid (HTTP 401)") == 0,
	   "401 UnauthorizedException (%s)", err);
	ok(sso_parse_role_credentials(503, "", "", 0, &c, err, sizeof err) == -1 && strcmp(err, "HTTP 503") == 0,
	   "503 with no body (%s)", err);
}

static void hosts(void)
{
	static const struct {
		enum endpoint_service svc;
		const char *region;
		int fips, dual;
		const char *want;
	} t[] = {
		{ENDPOINT_SSO, "us-east-2", 0, 0, "https://portal.sso.us-east-2.amazonaws.com"},
		{ENDPOINT_SSO, "us-east-2", 1, 1, "https://portal.sso-fips.us-east-2.api.aws"},
		{ENDPOINT_SSO, "us-east-2", 1, 0, "https://portal.sso-fips.us-east-2.amazonaws.com"},
		{ENDPOINT_SSO, "us-east-2", 0, 1, "https://portal.sso.us-east-2.api.aws"},
		{ENDPOINT_SSO, "us-gov-west-1", 1, 0, "https://portal.sso.us-gov-west-1.amazonaws.com"},
		{ENDPOINT_SSO, "us-gov-west-1", 1, 1, "https://portal.sso-fips.us-gov-west-1.api.aws"},
		{ENDPOINT_SSO, "cn-north-1", 0, 0, "https://portal.sso.cn-north-1.amazonaws.com.cn"},
		{ENDPOINT_SSO_OIDC, "eu-west-1", 0, 0, "https://oidc.eu-west-1.amazonaws.com"},
		{ENDPOINT_SSO_OIDC, "eu-west-1", 1, 0, "https://oidc-fips.eu-west-1.amazonaws.com"},
		{ENDPOINT_SSO_OIDC, "us-gov-east-1", 1, 0, "https://oidc.us-gov-east-1.amazonaws.com"},
		{ENDPOINT_SSO_OIDC, "us-iso-east-1", 0, 0, "https://oidc.us-iso-east-1.c2s.ic.gov"},
		{ENDPOINT_STS, "ap-east-1", 0, 0, "https://sts.ap-east-1.amazonaws.com"},
		{ENDPOINT_STS, "us-east-1", 1, 0, "https://sts-fips.us-east-1.amazonaws.com"},
		{ENDPOINT_STS, "us-gov-west-1", 1, 0, "https://sts.us-gov-west-1.amazonaws.com"},
		{ENDPOINT_STS, "cn-northwest-1", 0, 1, "https://sts.cn-northwest-1.api.amazonwebservices.com.cn"},
	};
	char url[256] = "", err[256] = "";
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct endpoint_params p = {.region = t[i].region, .use_fips = t[i].fips, .use_dualstack = t[i].dual};
		int rc = endpoint_resolve_service(t[i].svc, &p, url, sizeof url, err, sizeof err);
		ok(rc == 0 && strcmp(url, t[i].want) == 0, "%s fips=%d dual=%d -> %s (%s)", t[i].region, t[i].fips,
		   t[i].dual, t[i].want, rc ? err : url);
	}
	struct endpoint_params p = {.region = "us-east-1", .use_fips = 1, .endpoint_override = "http://127.0.0.1:1"};
	ok(endpoint_resolve_service(ENDPOINT_SSO, &p, url, sizeof url, err, sizeof err) == -1 &&
		   strstr(err, "FIPS and custom endpoint"),
	   "override + FIPS: the rule set's error (%s)", err);
	p = (struct endpoint_params){.region = NULL};
	ok(endpoint_resolve_service(ENDPOINT_SSO, &p, url, sizeof url, err, sizeof err) == -1 &&
		   strstr(err, "Missing Region"),
	   "no sso_region: Missing Region");
	ok(endpoint_sts_is_legacy_global_region("eu-west-1") && endpoint_sts_is_legacy_global_region("aws-global") &&
		   !endpoint_sts_is_legacy_global_region("ap-east-1") && !endpoint_sts_is_legacy_global_region(NULL),
	   "the 16 legacy STS regions");
}

static int sts(const char *config, const char *region, char *url, size_t urlsz, char *sr, char *err)
{
	char perr[256];
	struct aws_config *cfg = config ? aws_config_parse(config, strlen(config), NULL, 0, perr, sizeof perr) : NULL;
	struct creds_context ctx = {.getenv_fn = test_getenv, .config = cfg, .region = region};
	int rc = sts_endpoint(&ctx, url, urlsz, sr, 64, err, 256);
	aws_config_free(cfg);
	return rc;
}

static void sts_endpoints(void)
{
	char url[256] = "", sr[64] = "", err[256] = "";
	env_n = 0;
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == 0 && strcmp(url, "https://sts.eu-west-1.amazonaws.com") == 0 &&
		   strcmp(sr, "eu-west-1") == 0,
	   "STS default: regional (%s, %s)", url, sr);
	env_set("AWS_STS_REGIONAL_ENDPOINTS", "legacy");
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == 0 && strcmp(url, "https://sts.amazonaws.com") == 0 &&
		   strcmp(sr, "us-east-1") == 0,
	   "legacy, eu-west-1: global endpoint signed for us-east-1 (%s, %s)", url, sr);
	ok(sts(NULL, "ap-east-1", url, sizeof url, sr, err) == 0 && strcmp(url, "https://sts.ap-east-1.amazonaws.com") == 0 &&
		   strcmp(sr, "ap-east-1") == 0,
	   "legacy, ap-east-1 (not a legacy region): regional (%s)", url);
	env_set("AWS_USE_DUALSTACK_ENDPOINT", "true");
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == 0 && strcmp(url, "https://sts.eu-west-1.api.aws") == 0,
	   "legacy + dual-stack: the dual-stack regional endpoint (%s)", url);
	env_set("AWS_USE_DUALSTACK_ENDPOINT", NULL);
	env_set("AWS_STS_REGIONAL_ENDPOINTS", "Regional");
	ok(sts("[default]\nsts_regional_endpoints = legacy\n", "eu-west-1", url, sizeof url, sr, err) == 0 &&
		   strcmp(url, "https://sts.eu-west-1.amazonaws.com") == 0,
	   "AWS_STS_REGIONAL_ENDPOINTS beats the profile (%s)", url);
	env_set("AWS_STS_REGIONAL_ENDPOINTS", NULL);
	ok(sts("[default]\nsts_regional_endpoints = legacy\n", "eu-west-1", url, sizeof url, sr, err) == 0 &&
		   strcmp(url, "https://sts.amazonaws.com") == 0,
	   "sts_regional_endpoints = legacy in the profile (%s)", url);
	ok(sts("[default]\nsts_regional_endpoints = global\n", "eu-west-1", url, sizeof url, sr, err) == -1 &&
		   strstr(err, "legacy or regional"),
	   "sts_regional_endpoints = global: refused (%s)", err);
	ok(sts("[default]\nservices = s\n[services s]\nsts =\n  endpoint_url = http://127.0.0.1:4566/\n", "eu-west-1", url,
	       sizeof url, sr, err) == 0 &&
		   strcmp(url, "http://127.0.0.1:4566") == 0 && strcmp(sr, "eu-west-1") == 0,
	   "[services] sts endpoint_url (%s)", url);
	ok(sts("[default]\nendpoint_url = http://127.0.0.1:9000\n", "eu-west-1", url, sizeof url, sr, err) == 0 &&
		   strcmp(url, "http://127.0.0.1:9000") == 0,
	   "the profile's endpoint_url (%s)", url);
	env_set("AWS_ENDPOINT_URL", "http://127.0.0.1:1");
	ok(sts("[default]\nservices = s\n[services s]\nsts =\n  endpoint_url = http://127.0.0.1:4566/\n", "eu-west-1", url,
	       sizeof url, sr, err) == 0 &&
		   strcmp(url, "http://127.0.0.1:1") == 0,
	   "AWS_ENDPOINT_URL beats [services] (botocore's lookup order) (%s)", url);
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == 0 && strcmp(url, "https://sts.eu-west-1.amazonaws.com") == 0,
	   "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (%s)", url);
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "maybe");
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == -1 && strstr(err, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
	   "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=maybe: refused (%s)", err);
	env_set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", NULL);
	env_set("AWS_USE_FIPS_ENDPOINT", "true");
	ok(sts(NULL, "eu-west-1", url, sizeof url, sr, err) == -1 && strstr(err, "FIPS and custom endpoint"),
	   "FIPS with a configured endpoint: the rule set's error (%s)", err);
	env_n = 0;

	/* SSO: AWS_ENDPOINT_URL_SSO_OIDC / [services] sso_oidc */
	char perr[256];
	const char *cfgtext = "[default]\nservices = s\n[services s]\nsso_oidc =\n  endpoint_url = http://127.0.0.1:7\n";
	struct aws_config *cfg = aws_config_parse(cfgtext, strlen(cfgtext), NULL, 0, perr, sizeof perr);
	struct creds_context ctx = {.getenv_fn = test_getenv, .config = cfg};
	ok(sso_endpoint(&ctx, ENDPOINT_SSO_OIDC, "us-east-1", url, sizeof url, err, sizeof err) == 0 &&
		   strcmp(url, "http://127.0.0.1:7") == 0,
	   "[services] sso_oidc (%s)", url);
	ok(sso_endpoint(&ctx, ENDPOINT_SSO, "us-east-1", url, sizeof url, err, sizeof err) == 0 &&
		   strcmp(url, "https://portal.sso.us-east-1.amazonaws.com") == 0,
	   "the sso_oidc entry is not the portal's (%s)", url);
	env_set("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:8");
	ok(sso_endpoint(&ctx, ENDPOINT_SSO_OIDC, "us-east-1", url, sizeof url, err, sizeof err) == 0 &&
		   strcmp(url, "http://127.0.0.1:8") == 0,
	   "AWS_ENDPOINT_URL_SSO_OIDC (%s)", url);
	env_set("AWS_ENDPOINT_URL_SSO", "nope");
	ok(sso_endpoint(&ctx, ENDPOINT_SSO, "us-east-1", url, sizeof url, err, sizeof err) == -1 &&
		   strstr(err, "AWS_ENDPOINT_URL_SSO"),
	   "a bad AWS_ENDPOINT_URL_SSO is named (%s)", err);
	aws_config_free(cfg);
	env_n = 0;
}

int main(void)
{
	cache_key();
	parse();
	decide();
	merge();
	oidc();
	role_credentials();
	hosts();
	sts_endpoints();
	return tap_done();
}
