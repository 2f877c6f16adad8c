/*
 * creds_sts.h - AWS STS AssumeRole / AssumeRoleWithWebIdentity (Query API, XML
 * responses) and the environment web-identity credential provider.
 *
 * Contract:
 *  - Endpoint: the configured one (aws_config_endpoint_url() with service key "sts":
 *    $AWS_ENDPOINT_URL_STS, $AWS_ENDPOINT_URL, the selected profile's [services] sts
 *    endpoint_url, its endpoint_url; must be an http(s) URL), else botocore's sts rule set:
 *    https://sts[-fips].REGION.<partition DNS suffix or dual-stack suffix>
 *    (AWS_USE_FIPS_ENDPOINT / use_fips_endpoint, AWS_USE_DUALSTACK_ENDPOINT /
 *    use_dualstack_endpoint), or, with AWS_STS_REGIONAL_ENDPOINTS / sts_regional_endpoints
 *    = legacy (default regional) and one of the 16 legacy regions, the global
 *    https://sts.amazonaws.com signed for us-east-1. REGION is ctx->region, else
 *    "us-east-1"; it is also the SigV4 signing region.
 *  - Request: POST "/" with an application/x-www-form-urlencoded body
 *    ("Action=...&Version=2011-06-15&..." values percent-encoded with the RFC 3986
 *    unreserved set). AssumeRole is SigV4-signed (service "sts") with the source
 *    credentials; AssumeRoleWithWebIdentity is sent unsigned.
 *  - Every HTTP attempt stays inside ctx->deadline. Connection errors, HTTP
 *    500/502/503/504/429 and throttling codes (and IDPCommunicationError for web
 *    identity) are retried up to 3 attempts in all, with jittered backoff, only while
 *    the deadline leaves room (retry.h).
 *  - Results: 0 with *out filled (source "assume-role" / "web-identity"; expiration
 *    from <Expiration>, now + 900 s when absent), or -1 with a reason in err such as
 *    "STS AssumeRole for role arn:aws:iam::1:role/x: AccessDenied: User ... (HTTP 403)".
 *    When source_label is non-empty the reason starts with "<source_label>: ".
 *    err never holds a secret, a session token or a web identity token; the STS
 *    error message is included with control characters replaced and cut to length.
 *  - sts_parse_response() is the pure part (no I/O), exposed for tests.
 * Memory: *out is owned by the caller (creds_free()); it holds no allocation on error.
 */
#ifndef S3T_CREDS_STS_H
#define S3T_CREDS_STS_H

#include <stddef.h>

#include "credentials.h"

#define STS_DEFAULT_REGION "us-east-1"
#define STS_DEFAULT_EXPIRY_SECONDS 900.0
#define STS_MAX_WEB_IDENTITY_TOKEN (64u * 1024u)

/* The STS endpoint URL (no trailing '/') and its signing region for ctx (see above).
 * 0, or -1 with a reason. sts_endpoint_url() is the same without the region. */
int sts_endpoint(const struct creds_context *ctx, char *url, size_t urlsz, char *signing_region, size_t srsz,
		 char *err, size_t errsz);
int sts_endpoint_url(const struct creds_context *ctx, char *url, size_t urlsz, char *err, size_t errsz);

/* duration_seconds <= 0: not sent (STS default, 1 h). external_id NULL/"": not sent.
 * session_name NULL/"": a generated "monitoring-plugins-s3tables-<unix time>". */
int sts_assume_role(const struct creds_context *ctx, const struct creds *source, const char *role_arn,
		    const char *session_name, const char *external_id, int duration_seconds,
		    const char *source_label, struct creds *out, char *err, size_t errsz);

/* token: the web identity token itself (not a file name). */
int sts_assume_role_with_web_identity(const struct creds_context *ctx, const char *role_arn, const char *token,
				      const char *session_name, const char *source_label, struct creds *out,
				      char *err, size_t errsz);

/* Read token_file (at most STS_MAX_WEB_IDENTITY_TOKEN bytes, not empty/blank) and call
 * sts_assume_role_with_web_identity(). The token is wiped from memory afterwards. */
int sts_web_identity_from_file(const struct creds_context *ctx, const char *role_arn, const char *token_file,
			       const char *session_name, const char *source_label, struct creds *out, char *err,
			       size_t errsz);

/*
 * Parse an STS response for action ("AssumeRole", "AssumeRoleWithWebIdentity").
 * HTTP 200 with <Credentials> -> 0 and *out (source as given). Otherwise -1; err gets
 * "Code: Message" from <Error> (or "HTTP <status>"), and *code (if non-NULL, size
 * codesz) gets the bare error code ("" when none) for retry decisions.
 */
int sts_parse_response(long http_status, const char *body, size_t body_len, double now, const char *source,
		       struct creds *out, char *code, size_t codesz, char *err, size_t errsz);

/* AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME). Neither set:
 * NOT_CONFIGURED; only one, or an unreadable/empty token file, or STS failing: BROKEN. */
enum creds_status creds_from_web_identity_env(const struct creds_context *ctx, struct creds *out, char *err,
					      size_t errsz);

#endif
