/*
 * test_credentials.c - the environment credential provider and the chain
 * (lib/creds/credentials.c), with an injected environment.
 *
 * The variables and their precedence follow botocore's EnvProvider:
 * AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, and AWS_SESSION_TOKEN with the
 * legacy AWS_SECURITY_TOKEN as fallback. No error may ever contain a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "credentials.h"
#include "http.h"
#include "trace.h"
#include "tap.h"

#define KEY_ID "AKIDEXAMPLE1234567890"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN//////////wEaCXVzLWVhc3QtMSJHMEUCIQ=="
#define LEGACY "LEGACYSECURITYTOKENEXAMPLE"

static const char *fake_env[16][2];

static void env_clear(void)
{
	memset(fake_env, 0, sizeof fake_env);
}

static void env_set(const char *name, const char *value)
{
	for (size_t i = 0; i < 16; i++) {
		if (!fake_env[i][0] || strcmp(fake_env[i][0], name) == 0) {
			fake_env[i][0] = name;
			fake_env[i][1] = value;
			return;
		}
	}
	abort();
}

static int lookups;

static const char *fake_getenv(const char *name)
{
	lookups++;
	for (size_t i = 0; i < 16 && fake_env[i][0]; i++)
		if (strcmp(fake_env[i][0], name) == 0)
			return fake_env[i][1];
	return NULL;
}

static const struct creds_context ctx = {.getenv_fn = fake_getenv};

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

/* No secret material anywhere in text. */
static int no_secret(const char *text)
{
	return !strstr(text, SECRET) && !strstr(text, TOKEN) && !strstr(text, LEGACY) && !strstr(text, "wJalr");
}

static void provider_found(const char *name, const char *want_token)
{
	struct creds c;
	char err[512] = "";
	memset(&c, 0, sizeof c);
	enum creds_status st = creds_from_environment(&ctx, &c, err, sizeof err);
	ok(st == CREDS_FOUND, "%s: found", name);
	is_str(c.access_key_id, KEY_ID, "%s: access key id", name);
	is_str(c.secret_access_key, SECRET, "%s: secret", name);
	is_str(c.session_token, want_token, "%s: session token", name);
	is_str(c.source, "environment", "%s: source 'environment'", name);
	ok(c.expiration == 0, "%s: long-lived (expiration 0)", name);
	ok(c.access_key_id != fake_getenv("AWS_ACCESS_KEY_ID") && c.secret_access_key != fake_getenv("AWS_SECRET_ACCESS_KEY"),
	   "%s: strings are copies owned by struct creds", name);
	creds_free(&c);
	ok(all_zero(&c, sizeof c), "%s: creds_free zeroes the struct", name);
}

static void provider_not_configured(const char *name)
{
	struct creds c;
	char err[512] = "untouched";
	memset(&c, 0, sizeof c);
	enum creds_status st = creds_from_environment(&ctx, &c, err, sizeof err);
	ok(st == CREDS_NOT_CONFIGURED && all_zero(&c, sizeof c), "%s: not configured, nothing filled in", name);
}

static void provider_broken(const char *name, const char *set_var, const char *missing_var)
{
	struct creds c;
	char err[512] = "";
	memset(&c, 0, sizeof c);
	enum creds_status st = creds_from_environment(&ctx, &c, err, sizeof err);
	ok(st == CREDS_BROKEN, "%s: broken", name);
	ok(strstr(err, set_var) && strstr(err, missing_var), "%s: reason names %s and %s: %s", name, set_var, missing_var, err);
	ok(no_secret(err), "%s: reason holds no secret", name);
	ok(all_zero(&c, sizeof c), "%s: nothing allocated", name);
}

int main(void)
{
	/* Found. */
	env_clear();
	env_set("AWS_ACCESS_KEY_ID", KEY_ID);
	env_set("AWS_SECRET_ACCESS_KEY", SECRET);
	provider_found("id + secret", NULL);
	env_set("AWS_SESSION_TOKEN", TOKEN);
	provider_found("id + secret + AWS_SESSION_TOKEN", TOKEN);
	env_set("AWS_SECURITY_TOKEN", LEGACY);
	provider_found("AWS_SESSION_TOKEN beats AWS_SECURITY_TOKEN", TOKEN);
	env_set("AWS_SESSION_TOKEN", "");
	provider_found("empty AWS_SESSION_TOKEN falls back to AWS_SECURITY_TOKEN", LEGACY);
	env_clear();
	env_set("AWS_ACCESS_KEY_ID", KEY_ID);
	env_set("AWS_SECRET_ACCESS_KEY", SECRET);
	env_set("AWS_SECURITY_TOKEN", LEGACY);
	provider_found("AWS_SECURITY_TOKEN alone (legacy)", LEGACY);
	env_set("AWS_SECURITY_TOKEN", "");
	provider_found("empty AWS_SECURITY_TOKEN: no token", NULL);

	/* Not configured. */
	env_clear();
	lookups = 0;
	provider_not_configured("nothing set");
	ok(lookups > 0, "the injected getenv is the one consulted (%d lookups)", lookups);
	env_set("AWS_ACCESS_KEY_ID", "");
	env_set("AWS_SECRET_ACCESS_KEY", "");
	provider_not_configured("both empty strings");
	env_clear();
	env_set("AWS_SESSION_TOKEN", TOKEN);
	provider_not_configured("a session token alone");

	/* Broken. */
	env_clear();
	env_set("AWS_ACCESS_KEY_ID", KEY_ID);
	provider_broken("only the key id", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
	env_set("AWS_SECRET_ACCESS_KEY", "");
	provider_broken("key id + empty secret", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
	env_set("AWS_SESSION_TOKEN", TOKEN);
	provider_broken("key id + token, no secret", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
	env_clear();
	env_set("AWS_SECRET_ACCESS_KEY", SECRET);
	provider_broken("only the secret", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID");
	{
		char err[512] = "";
		struct creds c;
		memset(&c, 0, sizeof c);
		creds_from_environment(&ctx, &c, err, sizeof err);
		/* "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not": the set one comes first */
		ok(strstr(err, "AWS_SECRET_ACCESS_KEY") && strstr(err, "AWS_ACCESS_KEY_ID") &&
		   strstr(err, "AWS_SECRET_ACCESS_KEY") < strstr(err, "AWS_ACCESS_KEY_ID"),
		   "only the secret: says which one is set and which is missing: %s", err);
	}
	env_set("AWS_ACCESS_KEY_ID", "");
	provider_broken("empty key id + secret", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID");

	/* The chain. */
	{
		struct creds c;
		char err[512] = "";
		env_clear();
		env_set("AWS_ACCESS_KEY_ID", KEY_ID);
		env_set("AWS_SECRET_ACCESS_KEY", SECRET);
		env_set("AWS_SESSION_TOKEN", TOKEN);
		memset(&c, 0x5a, sizeof c);
		int rc = creds_resolve(&ctx, &c, err, sizeof err);
		ok(rc == 0 && c.access_key_id && strcmp(c.access_key_id, KEY_ID) == 0 && c.session_token &&
		   strcmp(c.session_token, TOKEN) == 0 && strcmp(c.source, "environment") == 0 && c.expiration == 0,
		   "creds_resolve: environment credentials found (garbage in *out beforehand is ignored)");
		creds_free(&c);
		ok(all_zero(&c, sizeof c), "creds_free after creds_resolve zeroes the struct");
		creds_free(&c); /* twice is harmless */
		creds_free(NULL);

		env_clear();
		memset(&c, 0x5a, sizeof c);
		rc = creds_resolve(&ctx, &c, err, sizeof err);
		ok(rc == -1 && strstr(err, "no AWS credentials found") && strstr(err, "AWS_ACCESS_KEY_ID") &&
		   strstr(err, "AWS_SECRET_ACCESS_KEY"),
		   "creds_resolve with nothing configured: %s", err);
		ok(all_zero(&c, sizeof c), "creds_resolve failure leaves *out zeroed");
		creds_free(&c);

		env_set("AWS_SECRET_ACCESS_KEY", SECRET);
		env_set("AWS_SESSION_TOKEN", TOKEN);
		rc = creds_resolve(&ctx, &c, err, sizeof err);
		ok(rc == -1 && strstr(err, "environment") && strstr(err, "AWS_ACCESS_KEY_ID"),
		   "creds_resolve with a broken environment names the source and the variable: %s", err);
		ok(no_secret(err), "creds_resolve's reason holds neither the secret nor the token");
		ok(all_zero(&c, sizeof c), "broken source leaves *out zeroed");

		char small[16];
		memset(small, 'x', sizeof small);
		rc = creds_resolve(&ctx, &c, small, sizeof small);
		ok(rc == -1 && memchr(small, 0, sizeof small), "a 16-byte error buffer is terminated: '%s'", small);
	}

	/* NULL context and NULL getenv_fn: the process environment. */
	{
		struct creds c;
		char err[512] = "";
		const struct creds_context real = {.getenv_fn = NULL};
		setenv("AWS_ACCESS_KEY_ID", "AKIDREALENV", 1);
		setenv("AWS_SECRET_ACCESS_KEY", "realsecret", 1);
		unsetenv("AWS_SESSION_TOKEN");
		unsetenv("AWS_SECURITY_TOKEN");
		int rc = creds_resolve(&real, &c, err, sizeof err);
		ok(rc == 0 && strcmp(c.access_key_id, "AKIDREALENV") == 0 && !c.session_token,
		   "getenv_fn NULL reads the process environment");
		creds_free(&c);
		rc = creds_resolve(NULL, &c, err, sizeof err);
		ok(rc == 0 && strcmp(c.secret_access_key, "realsecret") == 0, "NULL context reads the process environment");
		creds_free(&c);
		unsetenv("AWS_SECRET_ACCESS_KEY");
		rc = creds_resolve(NULL, &c, err, sizeof err);
		ok(rc == -1 && strstr(err, "AWS_SECRET_ACCESS_KEY") && !strstr(err, "AKIDREALENV"),
		   "process environment with only a key id is broken: %s", err);
		unsetenv("AWS_ACCESS_KEY_ID");
	}

	/* A large secret is copied whole and released (ASan/valgrind check the wipe-and-free path). */
	{
		struct creds c;
		char err[64];
		char *big = malloc(100001);
		memset(big, 'S', 100000);
		big[100000] = 0;
		env_clear();
		env_set("AWS_ACCESS_KEY_ID", KEY_ID);
		env_set("AWS_SECRET_ACCESS_KEY", big);
		env_set("AWS_SESSION_TOKEN", big);
		int rc = creds_resolve(&ctx, &c, err, sizeof err);
		ok(rc == 0 && strlen(c.secret_access_key) == 100000 && strlen(c.session_token) == 100000,
		   "100000-byte secret and token copied whole");
		creds_free(&c);
		free(big);
	}
	/* -v: a cache directory that is refused is reported once, not once per cached source. */
	{
		char dir[] = "/tmp/test_credentials.XXXXXX";
		char err[512], *line = NULL;
		size_t cap = 0;
		struct creds c;
		int said = 0;
		ok(mkdtemp(dir) != NULL && chmod(dir, 0755) == 0, "a 0755 cache directory");
		env_clear();
		env_set("AWS_EC2_METADATA_DISABLED", "true");
		FILE *f = tmpfile();
		struct trace tr = {.level = 1, .f = f};
		struct http_client *http = http_client_new(NULL, err, sizeof err);
		struct creds_context cc = {.getenv_fn = fake_getenv, .http = http, .cache_dir = dir, .trace = &tr};
		int rc = creds_resolve(&cc, &c, err, sizeof err);
		ok(rc == -1 && strstr(err, "no AWS credentials found"), "nothing configured: no credentials");
		rewind(f);
		while (getline(&line, &cap, f) > 0)
			if (strstr(line, "not using the credential cache: ") && strstr(line, "mode 755"))
				said++;
		is_int(said, 1, "the refused cache directory is reported once for the four cached sources");
		free(line);
		fclose(f);
		http_client_free(http);
		rmdir(dir);
	}
	return tap_done();
}
