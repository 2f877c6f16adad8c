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
 * The chain: environment, the shared config profile (static keys,
 * credential_process, assumed roles, web identity), web identity from the
 * environment, the container endpoint (ECS / EKS Pod Identity), and EC2
 * instance metadata. Temporary credentials from all but the first are cached
 * on disk between runs (creds_cache.h) unless ctx->no_cache. Sources live in
 * their own files and are listed in the table in credentials.c; the plugins
 * only see creds_resolve(). The environment is read through the context's
 * getenv hook so tests can inject one. struct creds owns its strings;
 * creds_free() wipes the secret parts before freeing them.
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

struct aws_config;
struct deadline;
struct http_client;
struct trace;

struct creds_context {
	/* Environment lookup; NULL means getenv(3). */
	const char *(*getenv_fn)(const char *name);
	const char *profile;              /* --profile, or NULL (then AWS_PROFILE, else "default") */
	const struct aws_config *config;  /* the parsed shared config/credentials files, or NULL */
	struct http_client *http;         /* for STS, container and instance metadata requests */
	const struct deadline *deadline;  /* the run's single deadline; every source stays inside it */
	const char *region;               /* the run's region (STS regional endpoint) */
	double now;                       /* wall clock, Unix seconds (expiry decisions) */
	const struct trace *trace;        /* -v sink: 1 cache notes, 2 which sources were considered */
	int no_cache;                     /* --no-credential-cache */
	const char *cache_dir;            /* NULL: the default per-user cache directory */
};

/* An environment variable through ctx's getenv hook; NULL when unset or blank (env.h). */
const char *creds_getenv(const struct creds_context *ctx, const char *name);

/*
 * A source's error is "label: reason" (just "reason" when label is NULL or ""), written with
 * error_set(): error_set(err, errsz, "%s%sreason...", CREDS_LABEL(label), ...).
 */
#define CREDS_LABEL(label) ((label) && *(label) ? (label) : ""), ((label) && *(label) ? ": " : "")

/* Copy src's strings into *dst (all or nothing). 0, or -1 when out of memory. */
int creds_copy(struct creds *dst, const struct creds *src);

/* Set *out from three strings (token and source may be NULL/""). 0, or -1 when out of memory. */
int creds_set(struct creds *out, const char *access_key_id, const char *secret_access_key,
	      const char *session_token, double expiration, const char *source);

/* 0 and *out filled, or -1 with the reason (no credentials, or a broken source). */
int creds_resolve(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz);

void creds_free(struct creds *c);

/*
 * The individual providers, in chain order, each in its own file. They all
 * take the same arguments and answer FOUND / NOT_CONFIGURED / BROKEN.
 */
enum creds_status creds_from_environment(const struct creds_context *ctx, struct creds *out,
					 char *err, size_t errsz);           /* credentials.c */
enum creds_status creds_from_profile(const struct creds_context *ctx, struct creds *out,
				     char *err, size_t errsz);               /* creds_profile.c */
enum creds_status creds_from_web_identity_env(const struct creds_context *ctx, struct creds *out,
					      char *err, size_t errsz);      /* creds_sts.c */
enum creds_status creds_from_container(const struct creds_context *ctx, struct creds *out,
				       char *err, size_t errsz);             /* creds_container.c */
enum creds_status creds_from_imds(const struct creds_context *ctx, struct creds *out,
				  char *err, size_t errsz);                  /* creds_imds.c */

#endif
