/*
 * credentials.h - where AWS credentials come from.
 *
 * Contract: creds_resolve() walks the provider chain in the AWS SDKs' order
 * and fills *out from the first provider that is configured. Each provider
 * answers one of three ways:
 *   CREDS_FOUND           - credentials supplied (source name recorded);
 *   CREDS_NOT_CONFIGURED  - nothing set up for it: try the next provider;
 *   CREDS_BROKEN          - it is configured but fails (e.g. a key id with no
 *                           secret): the chain stops and the error names the
 *                           provider and the reason, never a secret.
 * Sources are added by appending to the provider table in credentials.c; the
 * plugins only see creds_resolve(). The environment is read through the
 * context's getenv hook so tests can inject one. struct creds owns its
 * strings; creds_free() wipes the secret parts before freeing them.
 */
#ifndef S3T_CREDENTIALS_H
#define S3T_CREDENTIALS_H

#include <stddef.h>

struct creds {
	char *access_key_id;
	char *secret_access_key;
	char *session_token;   /* NULL when the credentials are long-term */
	double expiration;     /* Unix time, 0 when they do not expire */
	char source[64];       /* e.g. "environment" */
};

enum creds_status { CREDS_FOUND, CREDS_NOT_CONFIGURED, CREDS_BROKEN };

struct creds_context {
	/* Environment lookup; NULL means getenv(3). */
	const char *(*getenv_fn)(const char *name);
	const char *profile;   /* --profile, or NULL */
};

/* 0 and *out filled, or -1 with the reason (no credentials, or a broken source). */
int creds_resolve(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz);

void creds_free(struct creds *c);

/* The individual providers, exposed for the unit tests. */
enum creds_status creds_from_environment(const struct creds_context *ctx, struct creds *out,
					 char *err, size_t errsz);

#endif
