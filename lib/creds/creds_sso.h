/*
 * creds_sso.h - IAM Identity Center (SSO) role credentials: GetRoleCredentials on the SSO
 * portal with the access token `aws sso login` cached (creds_sso_token.h).
 *
 * Contract (botocore credentials.py SSOProvider / SSOCredentialFetcher):
 *  - creds_sso_fetch(): token = sso_token_get() (refreshed when needed), then
 *    GET <portal>/federation/credentials?account_id=<enc>&role_name=<enc> with the header
 *    x-amz-sso_bearer_token: <token>, unsigned. The portal is the configured SSO endpoint
 *    (AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL, the selected profile's [services] sso
 *    endpoint_url, its endpoint_url; see aws_config_endpoint_url()), else
 *    https://portal.sso[-fips].<sso_region>.<suffix> (AWS_USE_FIPS_ENDPOINT /
 *    use_fips_endpoint, AWS_USE_DUALSTACK_ENDPOINT / use_dualstack_endpoint).
 *    The answer {"roleCredentials":{"accessKeyId","secretAccessKey","sessionToken",
 *    "expiration" (Unix milliseconds)}} gives credentials with source "sso".
 *    A 401/403 (UnauthorizedException, ForbiddenException) means the session is no longer
 *    valid: the message says to run `aws sso login --profile NAME`.
 *  - sso_request(): one request to an SSO service, retried like STS (connection errors,
 *    HTTP 500/502/503/504, throttling codes; 3 attempts in all, jittered backoff, never past
 *    ctx->deadline). 0 with *resp (any status; caller frees) and *attempts (if non-NULL)
 *    the number of attempts made, or -1 with a transport error.
 *    Request and response bodies are never traced (they carry tokens).
 *  - Errors never hold the access token, the role credentials or any other secret.
 *  - sso_parse_role_credentials() is the pure part, exposed for tests.
 */
#ifndef S3T_CREDS_SSO_H
#define S3T_CREDS_SSO_H

#include <stddef.h>

#include "credentials.h"
#include "creds_sso_token.h"
#include "endpoint.h"

struct http_response;

/* The SSO portal (ENDPOINT_SSO) or OIDC (ENDPOINT_SSO_OIDC) endpoint URL for region. */
int sso_endpoint(const struct creds_context *ctx, enum endpoint_service svc, const char *region, char *url,
		 size_t urlsz, char *err, size_t errsz);

int sso_request(const struct creds_context *ctx, const char *method, const char *url, const char *const *headers,
		const char *body, size_t body_len, const char *what, struct http_response *resp, int *attempts,
		char *err, size_t errsz);

/* 200 with roleCredentials -> 0 and *out; else -1 with "Code: message (HTTP n)". */
int sso_parse_role_credentials(long status, const char *error_type, const char *body, size_t len,
			       struct creds *out, char *err, size_t errsz);

/* Role credentials for cfg (account_id and role_name required). 0, or -1 with a reason. */
int creds_sso_fetch(const struct creds_context *ctx, const struct sso_config *cfg, struct creds *out, char *err,
		    size_t errsz);

#endif
