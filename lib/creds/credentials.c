/* credentials.c - see credentials.h. */
#include "credentials.h"
#include "error.h"
#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "aws_config.h"
#include "creds_cache.h"
#include "creds_profile.h"
#include "trace.h"

const char *creds_getenv(const struct creds_context *ctx, const char *name)
{
	return env_get(ctx ? ctx->getenv_fn : NULL, name);
}

static void wipe_free(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void creds_free(struct creds *c)
{
	if (!c)
		return;
	free(c->access_key_id);
	wipe_free(c->secret_access_key);
	wipe_free(c->session_token);
	memset(c, 0, sizeof *c);
}

int creds_set(struct creds *out, const char *access_key_id, const char *secret_access_key,
	      const char *session_token, double expiration, const char *source)
{
	memset(out, 0, sizeof *out);
	out->access_key_id = strdup(access_key_id ? access_key_id : "");
	out->secret_access_key = strdup(secret_access_key ? secret_access_key : "");
	out->session_token = session_token && *session_token ? strdup(session_token) : NULL;
	if (!out->access_key_id || !out->secret_access_key || (session_token && *session_token && !out->session_token)) {
		creds_free(out);
		return -1;
	}
	out->expiration = expiration;
	snprintf(out->source, sizeof out->source, "%s", source ? source : "");
	return 0;
}

int creds_copy(struct creds *dst, const struct creds *src)
{
	return creds_set(dst, src->access_key_id, src->secret_access_key, src->session_token,
			 src->expiration, src->source);
}

enum creds_status creds_from_environment(const struct creds_context *ctx, struct creds *out,
					 char *err, size_t errsz)
{
	const char *id = creds_getenv(ctx, "AWS_ACCESS_KEY_ID");
	const char *secret = creds_getenv(ctx, "AWS_SECRET_ACCESS_KEY");
	/* botocore reads the legacy AWS_SECURITY_TOKEN too; the first set one wins. */
	const char *token = creds_getenv(ctx, "AWS_SESSION_TOKEN");
	if (!token)
		token = creds_getenv(ctx, "AWS_SECURITY_TOKEN");

	if (!id && !secret)
		return CREDS_NOT_CONFIGURED;
	if (!id || !secret) {
		error_set(err, errsz, "environment credentials are incomplete: %s is set but %s is not",
			  id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
			  id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return CREDS_BROKEN;
	}
	/* A pasted value with a stray newline or blank would only fail later, in signing. */
	const char *names[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
			       creds_getenv(ctx, "AWS_SESSION_TOKEN") ? "AWS_SESSION_TOKEN" : "AWS_SECURITY_TOKEN"};
	const char *values[] = {id, secret, token};
	for (size_t i = 0; i < 3; i++) {
		for (const char *p = values[i]; p && *p; p++) {
			unsigned char ch = (unsigned char)*p;
			if (ch < 0x21 || ch == 0x7f) {
				error_set(err, errsz, "%s holds %s (at character %zu): check how it is set", names[i],
					  ch == '\n' || ch == '\r' ? "a line break" : ch == ' ' || ch == '\t' ? "a blank"
												    : "a control character",
					  (size_t)(p - values[i]) + 1);
				return CREDS_BROKEN;
			}
		}
	}
	out->access_key_id = strdup(id);
	out->secret_access_key = strdup(secret);
	out->session_token = token ? strdup(token) : NULL;
	if (!out->access_key_id || !out->secret_access_key || (token && !out->session_token)) {
		creds_free(out);
		error_set(err, errsz, "out of memory");
		return CREDS_BROKEN;
	}
	snprintf(out->source, sizeof out->source, "environment");
	return CREDS_FOUND;
}

typedef enum creds_status (*creds_provider_fn)(const struct creds_context *, struct creds *,
					       char *, size_t);

/*
 * The chain, in the AWS SDKs' order. Temporary credentials from the later
 * sources are cached on disk between runs (creds_cache.h); `network` sources
 * need the context's HTTP client and are skipped without one (the profile
 * source needs it only for roles, and says so itself).
 */
static const struct {
	const char *name;
	creds_provider_fn fn;
	int cached;
	int network;  /* always needs the HTTP client */
} providers[] = {
	{"environment", creds_from_environment, 0, 0},
	{"profile", creds_from_profile, 1, 0},
	{"web identity", creds_from_web_identity_env, 1, 1},
	{"container", creds_from_container, 1, 1},
	{"instance metadata", creds_from_imds, 1, 1},
};

/* Append "[<prefix>section]name=value\n" for every property of every section of one kind. */
static void append_sections(const struct aws_config *cfg, const char *prefix,
			    size_t (*count)(const struct aws_config *), const char *(*name_of)(const struct aws_config *, size_t),
			    size_t (*nprops)(const struct aws_config *, const char *),
			    const char *(*prop_name)(const struct aws_config *, const char *, size_t),
			    const char *(*get)(const struct aws_config *, const char *, const char *), char *key,
			    size_t keysz, size_t *used)
{
	for (size_t p = 0; cfg && p < count(cfg) && *used < keysz; p++) {
		const char *sec = name_of(cfg, p);
		for (size_t k = 0; k < nprops(cfg, sec) && *used < keysz; k++) {
			const char *name = prop_name(cfg, sec, k);
			const char *val = get(cfg, sec, name);
			int n = snprintf(key + *used, keysz - *used, "[%s%s]%s=%s\n", prefix, sec, name, val ? val : "");
			*used += n > 0 ? (size_t)n : 0;
		}
	}
}

/* Everything that decides what a cached source would return, hashed into the cache key. */
static void cache_key(const struct creds_context *ctx, const char *provider, char *key, size_t keysz)
{
	static const char *const vars[] = {
		"AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ROLE_ARN",
		"AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
		"AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_V1_DISABLED",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC",
		"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_STS_REGIONAL_ENDPOINTS",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "HOME",
	};
	size_t used = 0;
	int n = snprintf(key, keysz, "v1\n%s\nprofile=%s\nregion=%s\n", provider, ctx->profile ? ctx->profile : "",
			 ctx->region ? ctx->region : "");
	used = n > 0 ? (size_t)n : 0;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0] && used < keysz; i++) {
		const char *v = creds_getenv(ctx, vars[i]);
		n = snprintf(key + used, keysz - used, "%s=%s\n", vars[i], v ? v : "");
		used += n > 0 ? (size_t)n : 0;
	}
	/* The whole shared configuration: any change to it means a fresh lookup. */
	append_sections(ctx->config, "", aws_config_profile_count, aws_config_profile_name, aws_config_property_count,
			aws_config_property_name, aws_config_get, key, keysz, &used);
	/* and the [sso-session] sections an SSO profile draws on */
	append_sections(ctx->config, "sso-session ", aws_config_sso_session_count, aws_config_sso_session_name,
			aws_config_sso_session_property_count, aws_config_sso_session_property_name,
			aws_config_sso_session_get, key, keysz, &used);
}

int creds_resolve(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz)
{
	static const struct creds_context defaults; /* NULL context: environment only, no network */
	if (!ctx)
		ctx = &defaults;
	char dir[4096] = "", why[512], said[512] = "";
	size_t keysz = 65536;
	char *key = malloc(keysz);
	int use_cache = !ctx->no_cache &&
			(ctx->cache_dir ? snprintf(dir, sizeof dir, "%s", ctx->cache_dir) > 0
					: creds_cache_default_dir(ctx->getenv_fn, dir, sizeof dir) == 0);

	memset(out, 0, sizeof *out);
	if (!key)
		use_cache = 0;
	int rc = -1;
	/* An explicitly named profile that does not exist stops the run, even before the
	 * environment's keys are considered. */
	if (creds_profile_check_named(ctx, err, errsz) != 0)
		goto done;
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		if (providers[i].network && !ctx->http)
			continue; /* no network available to this caller */
		if (providers[i].cached && use_cache) {
			cache_key(ctx, providers[i].name, key, keysz);
			if (creds_cache_get(dir, key, ctx->now, out, why, sizeof why) == 0) {
				rc = 0;
				goto done;
			}
			/* the same reason (e.g. the directory's mode) holds for every source: say it once */
			if (why[0] && strcmp(why, said) != 0) {
				trace_printf(ctx->trace, 1, "not using the credential cache: %s", why);
				snprintf(said, sizeof said, "%s", why);
			}
		}
		why[0] = 0;
		switch (providers[i].fn(ctx, out, why, sizeof why)) {
		case CREDS_FOUND:
			if (providers[i].cached && use_cache && out->expiration > 0 &&
			    creds_cache_put(dir, key, out, why, sizeof why) != 0 && why[0])
				trace_printf(ctx->trace, 1, "not writing the credential cache: %s", why);
			rc = 0;
			goto done;
		case CREDS_BROKEN:
			error_set(err, errsz, "credential source '%s' failed: %s", providers[i].name, why);
			goto done;
		case CREDS_NOT_CONFIGURED:
			trace_printf(ctx->trace, 2, "credential source '%s': not configured%s%s", providers[i].name,
				     why[0] ? ": " : "", why);
			break;
		}
	}
	error_set(err, errsz, "no AWS credentials found (looked in: environment AWS_ACCESS_KEY_ID/"
			     "AWS_SECRET_ACCESS_KEY, shared config profile, web identity, container, instance metadata)");
done:
	free(key);
	return rc;
}
