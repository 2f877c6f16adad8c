/* credentials.c - see credentials.h. */
#include "credentials.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static const char *ctx_getenv(const struct creds_context *ctx, const char *name)
{
	const char *v = ctx && ctx->getenv_fn ? ctx->getenv_fn(name) : getenv(name);
	return v && *v ? v : NULL; /* an empty variable counts as unset */
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
	const char *id = ctx_getenv(ctx, "AWS_ACCESS_KEY_ID");
	const char *secret = ctx_getenv(ctx, "AWS_SECRET_ACCESS_KEY");
	/* botocore reads the legacy AWS_SECURITY_TOKEN too; the first set one wins. */
	const char *token = ctx_getenv(ctx, "AWS_SESSION_TOKEN");
	if (!token)
		token = ctx_getenv(ctx, "AWS_SECURITY_TOKEN");

	if (!id && !secret)
		return CREDS_NOT_CONFIGURED;
	if (!id || !secret) {
		snprintf(err, errsz, "environment credentials are incomplete: %s is set but %s is not",
			 id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
			 id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
		return CREDS_BROKEN;
	}
	out->access_key_id = strdup(id);
	out->secret_access_key = strdup(secret);
	out->session_token = token ? strdup(token) : NULL;
	if (!out->access_key_id || !out->secret_access_key || (token && !out->session_token)) {
		creds_free(out);
		snprintf(err, errsz, "out of memory");
		return CREDS_BROKEN;
	}
	snprintf(out->source, sizeof out->source, "environment");
	return CREDS_FOUND;
}

typedef enum creds_status (*creds_provider_fn)(const struct creds_context *, struct creds *,
					       char *, size_t);

/* The chain, in the AWS SDKs' order. Later sources append here. */
static const struct {
	const char *name;
	creds_provider_fn fn;
} providers[] = {
	{"environment", creds_from_environment},
};

int creds_resolve(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof providers / sizeof providers[0]; i++) {
		char why[512] = "";
		switch (providers[i].fn(ctx, out, why, sizeof why)) {
		case CREDS_FOUND:
			return 0;
		case CREDS_BROKEN:
			snprintf(err, errsz, "credential source '%s' failed: %s", providers[i].name, why);
			return -1;
		case CREDS_NOT_CONFIGURED:
			break;
		}
	}
	snprintf(err, errsz, "no AWS credentials found (looked in: the environment "
			     "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)");
	return -1;
}
