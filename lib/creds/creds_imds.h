/*
 * creds_imds.h - credentials of the EC2 instance's IAM role from the instance
 * metadata service (creds_from_imds() in credentials.h), IMDSv2 with the IMDSv1
 * fallback of the reference's recommendations (section 11.4).
 *
 * Contract:
 *  - Disabled (NOT_CONFIGURED, no request) when AWS_EC2_METADATA_DISABLED is set,
 *    non-empty and not "false" (ASCII case-insensitive; aws-c-auth's rule, which
 *    agrees with botocore for "true"/"false").
 *  - Endpoint (creds_imds_endpoint(), pure; the cases of imds-endpoint-tests.json):
 *    an explicit override, else AWS_EC2_METADATA_SERVICE_ENDPOINT, else the
 *    profile's ec2_metadata_service_endpoint, else by mode (override, else
 *    AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE, else the profile's
 *    ec2_metadata_service_endpoint_mode): "IPv4" (default) -> http://169.254.169.254,
 *    "IPv6" -> http://[fd00:ec2::254], case-insensitive; another mode or an invalid
 *    URI is an error (BROKEN). Trailing '/' is dropped.
 *  - Flow: PUT <base>/latest/api/token (x-aws-ec2-metadata-token-ttl-seconds: 21600);
 *    GET <base>/latest/meta-data/iam/security-credentials/ (role = first line);
 *    GET .../security-credentials/<role>, both with x-aws-ec2-metadata-token. The
 *    JSON must have Code "Success" (when present), AccessKeyId, SecretAccessKey,
 *    Token and Expiration. Source "instance-metadata".
 *  - IMDSv1 fallback (no token header) when the token PUT is answered 403, 404 or
 *    405, or connects but gets no answer in time (e.g. hop limit 1 in a container),
 *    unless AWS_EC2_METADATA_V1_DISABLED / profile ec2_metadata_v1_disabled is
 *    "true" (then BROKEN). A token 400 or any other status is BROKEN.
 *  - Time: each request is capped at CREDS_IMDS_TIMEOUT (1 s, connect and answer,
 *    the SDKs' default) and at the run's deadline; a 5xx, a reset or a truncated
 *    answer is retried once when time remains (a refused first connection is not).
 *  - Unreachable (refused, no route, DNS, no connection within the timeout): with
 *    the DEFAULT endpoint this is NOT_CONFIGURED - we are simply not on EC2, and as
 *    the last source the chain then says "no credentials found (looked in: ...)";
 *    err still holds "instance metadata service at http://169.254.169.254 did not
 *    answer (...)" for the chain to append. With an explicitly configured endpoint
 *    it is BROKEN (the operator asked for it). A reachable service that errors is
 *    BROKEN: e.g. "no IAM role attached to this instance", "HTTP 500", bad JSON.
 *    When the run's deadline runs out it is BROKEN ("deadline reached ...").
 *  - Messages name the service and its base URL; never a token or credential.
 *  - ctx->http NULL: a private client with default options; ctx->deadline NULL: a
 *    private CREDS_IMDS_FALLBACK_BUDGET s deadline.
 */
#ifndef S3T_CREDS_IMDS_H
#define S3T_CREDS_IMDS_H

#include <stddef.h>

#include "credentials.h"

#define CREDS_IMDS_ENDPOINT_IPV4 "http://169.254.169.254"
#define CREDS_IMDS_ENDPOINT_IPV6 "http://[fd00:ec2::254]"
#define CREDS_IMDS_TOKEN_TTL "21600"
#define CREDS_IMDS_TIMEOUT 1.0          /* seconds per request */
#define CREDS_IMDS_FALLBACK_BUDGET 5.0  /* seconds, only when ctx->deadline is NULL */

struct aws_config;

/*
 * Resolve the base URL (no trailing '/'). cfg may be NULL; profile NULL means
 * "default". endpoint_override / mode_override (NULL or "" = none) are for a
 * caller's explicit setting. *is_default is 1 when the URL came from the mode
 * (nothing configured an endpoint), else 0. 0, or -1 with a reason such as
 * "`IPv7` is not a valid endpoint mode" or "... invalid uri character".
 */
int creds_imds_endpoint(const char *(*getenv_fn)(const char *), const struct aws_config *cfg, const char *profile,
			const char *endpoint_override, const char *mode_override, char *base, size_t basesz,
			int *is_default, char *err, size_t errsz);

/* 1 when AWS_EC2_METADATA_DISABLED turns the provider off, else 0. */
int creds_imds_disabled(const char *(*getenv_fn)(const char *));

/* 1 when AWS_EC2_METADATA_V1_DISABLED or the profile's ec2_metadata_v1_disabled is "true". */
int creds_imds_v1_disabled(const char *(*getenv_fn)(const char *), const struct aws_config *cfg,
			   const char *profile);

/* Parse the role's credentials JSON (see above) into *out. 0, or -1 with a reason (no values quoted). */
int creds_imds_parse(const char *body, size_t len, struct creds *out, char *err, size_t errsz);

/*
 * The two plain-text answers, pure (exposed for tests and fuzz/); body is NUL-terminated
 * (what follows an embedded NUL is not seen).
 * creds_imds_token_from_body(): the token PUT's body, trimmed; 0 with *token and *len set
 * to the token's place in body, or -1 when it is empty or spans lines.
 * creds_imds_role_from_list(): the role list's first line, trimmed, into role; 0, or 1 when
 * the list is empty (no role attached), or -1 when the name is longer than rolesz - 1 or
 * not an IAM role name (1-128 of [A-Za-z0-9+=,.@_-]).
 */
int creds_imds_token_from_body(const char *body, const char **token, size_t *len);
int creds_imds_role_from_list(const char *body, char *role, size_t rolesz);

#endif
