/*
 * creds_sso_token.h - the IAM Identity Center (SSO) access token that `aws sso login`
 * leaves in ~/.aws/sso/cache, and its refresh through SSO OIDC CreateToken.
 *
 * Contract (botocore utils.py SSOTokenLoader, tokens.py SSOTokenProvider):
 *  - Cache file: $HOME/.aws/sso/cache/<sha1 hex>.json, the SHA-1 of the sso-session name
 *    (sso_session form) or of the start URL (legacy form). Fields: accessToken and expiresAt
 *    (RFC 3339; botocore's own "...%Z" form "2026-01-01T00:00:00UTC" is read too) are
 *    required; refreshToken, clientId, clientSecret and registrationExpiresAt enable refresh.
 *  - sso_token_get(): a token with SSO_TOKEN_REFRESH_WINDOW (15 min) or less left that has
 *    the four refresh fields and an unexpired registration is refreshed: POST /token on the
 *    SSO OIDC endpoint of sso_region (AWS_ENDPOINT_URL_SSO_OIDC, [services] sso_oidc, else
 *    https://oidc[-fips].REGION.<suffix>), JSON {"clientId","clientSecret","grantType":
 *    "refresh_token","refreshToken"}, unsigned. The answer (accessToken, expiresIn, optional
 *    refreshToken) is merged into the cache file's JSON (other fields kept) and written back
 *    atomically: a 0600 temporary file in the same directory, fsync, rename; an exclusive
 *    flock on the old file serialises concurrent refreshes (the loser re-reads the new file;
 *    it waits at most half of what is left of ctx->deadline, then goes on without the lock).
 *    A refresh that fails while the old token is still valid keeps the old token (botocore).
 *    No file, no usable token, or an expired token that cannot be refreshed: -1 with a
 *    sentence that ends "run `aws sso login --profile NAME`". Errors never hold a token,
 *    a refresh token or the client secret.
 *  - The parse / merge / key helpers are pure, exposed for tests.
 * Memory: strings in struct sso_token and *access_token are malloc'd and wiped by
 * sso_token_free() / the caller (OPENSSL_cleanse + free).
 */
#ifndef S3T_CREDS_SSO_TOKEN_H
#define S3T_CREDS_SSO_TOKEN_H

#include <stddef.h>

#include "credentials.h"

#define SSO_TOKEN_REFRESH_WINDOW 900.0 /* botocore SSOTokenProvider._REFRESH_WINDOW */
#define SSO_TOKEN_MAX_FILE (256u * 1024u)

/* What identifies the SSO session and where its endpoints are. */
struct sso_config {
	const char *profile;      /* the profile with the SSO settings (for messages) */
	const char *session_name; /* [sso-session NAME], or NULL for the legacy form */
	const char *start_url;
	const char *region;       /* sso_region */
	const char *account_id;   /* sso_account_id */
	const char *role_name;    /* sso_role_name */
};

struct sso_token {
	char *access_token;
	double expires_at;
	char *refresh_token, *client_id, *client_secret; /* NULL when absent */
	double registration_expires_at;                  /* 0 when absent */
};

/* The cache key: lower-case SHA-1 hex of session_name, or of start_url when it is NULL. */
void sso_token_cache_key(const char *session_name, const char *start_url, char hex[41]);

/* $HOME/.aws/sso/cache/<key>.json; -1 when HOME is unset or the path does not fit. */
int sso_token_cache_path(const char *(*getenv_fn)(const char *), const char *session_name, const char *start_url,
			 char *path, size_t pathsz, char *err, size_t errsz);

/* Parse a cache file's text. -1 with the reason (naming the field, never its value). */
int sso_token_parse(const char *text, size_t len, struct sso_token *out, char *err, size_t errsz);
void sso_token_free(struct sso_token *t);

/* 1 when the token has the four refresh fields and its registration has not expired. */
int sso_token_can_refresh(const struct sso_token *t, double now);

/* What to do with a cached token at time now (botocore SSOTokenProvider._refresher): */
enum sso_token_action {
	SSO_TOKEN_USE,     /* more than the refresh window left, or inside it but not refreshable */
	SSO_TOKEN_REFRESH, /* inside the window (or expired) and refreshable */
	SSO_TOKEN_EXPIRED  /* expired and not refreshable: log in again */
};
enum sso_token_action sso_token_decide(const struct sso_token *t, double now);

/*
 * The cache text old_text with accessToken, expiresAt (written as "YYYY-MM-DDTHH:MM:SSZ")
 * and, when refresh_token is non-NULL, refreshToken replaced; every other field is kept.
 * Returns a malloc'd NUL-terminated text, or NULL (old_text not a JSON object, no memory).
 */
char *sso_token_merge(const char *old_text, size_t len, const char *access_token, double expires_at,
		      const char *refresh_token);

/* Parse a CreateToken answer: 200 with accessToken and expiresIn -> 0; otherwise -1 with
 * "invalid_grant: description (HTTP 400)" style text. *refresh_token may be NULL. */
int sso_oidc_parse_create_token(long status, const char *body, size_t len, double now, char **access_token,
				double *expires_at, char **refresh_token, char *err, size_t errsz);

/* The access token for cfg (see above), refreshed and written back when needed. */
int sso_token_get(const struct creds_context *ctx, const struct sso_config *cfg, char **access_token, char *err,
		  size_t errsz);

#endif
