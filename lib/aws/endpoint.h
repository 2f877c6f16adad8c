/*
 * endpoint.h - resolve the S3 Tables endpoint URL for a region.
 *
 * Contract: pure functions, no allocation, no I/O; a hand-written equivalent of
 * botocore's s3tables endpoint-rule-set-1.json (2018-05-10) plus the aws.partition()
 * table from botocore's partitions.json:
 *   1. endpoint_override set: FIPS -> "Invalid Configuration: FIPS and custom endpoint
 *      are not supported"; dual-stack -> "Invalid Configuration: Dualstack and custom
 *      endpoint are not supported"; else the override is used as given (after the
 *      checks below, with trailing '/' removed).
 *   2. otherwise the region is required: NULL or "" -> "Invalid Configuration: Missing Region".
 *   3. https://s3tables[-fips].{region}.{dnsSuffix | dualStackDnsSuffix of its partition}.
 * Stricter than the rule set, so nothing can be injected into a host name or a
 * signing scope: a region (whenever one is given) must be 1..63 characters of
 * [a-z0-9-] and must not start or end with '-'; an override must be an http:// or
 * https:// URL with a non-empty host, an optional numeric port (1-65535), an optional
 * path, no user info, query or fragment, and no whitespace, control or non-ASCII bytes.
 *
 * Errors: functions returning int give 0 on success and -1 on failure, with a reason in
 * err (always NUL-terminated when errsz > 0; err may be NULL). The rule set's own
 * messages are reproduced exactly.
 */
#ifndef S3T_ENDPOINT_H
#define S3T_ENDPOINT_H

#include <stddef.h>

struct endpoint_params {
	const char *region;            /* e.g. "us-east-1"; NULL or "" = not set */
	int use_fips;                  /* nonzero: s3tables-fips host */
	int use_dualstack;             /* nonzero: dual-stack DNS suffix */
	const char *endpoint_override; /* NULL = not set; e.g. "http://127.0.0.1:8080" */
};

/*
 * Write the endpoint URL (scheme and host[:port][/path], no trailing '/') into url.
 * Fails (url set to "") when the configuration is invalid or urlsz is too small.
 */
int endpoint_resolve(const struct endpoint_params *p, char *url, size_t urlsz, char *err, size_t errsz);

/*
 * The same rules for the services the credential providers call (botocore's
 * sso, sso-oidc and sts endpoint-rule-set-1.json): https://portal.sso[-fips].{region}.{suffix},
 * https://oidc[-fips]..., https://sts[-fips]...; in aws-us-gov FIPS without dual-stack is the
 * plain https://{host}.{region}.amazonaws.com. STS's global endpoint (sts_regional_endpoints =
 * legacy) is the caller's decision: see endpoint_sts_is_legacy_global_region().
 */
enum endpoint_service { ENDPOINT_SSO, ENDPOINT_SSO_OIDC, ENDPOINT_STS };
int endpoint_resolve_service(enum endpoint_service svc, const struct endpoint_params *p, char *url, size_t urlsz,
			     char *err, size_t errsz);

/* 1 for the 16 regions (and "aws-global") that botocore sends to https://sts.amazonaws.com
 * (signing region us-east-1) when sts_regional_endpoints = legacy; else 0. */
int endpoint_sts_is_legacy_global_region(const char *region);

/*
 * The partition of a region: "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
 * "aws-iso-e", "aws-iso-f" or "aws-eusc", by the partitions' region regexes (and the
 * "<partition>-global" pseudo-regions). Anything else, NULL included, is "aws".
 * Returns a static string.
 */
const char *endpoint_partition_of_region(const char *region);

/* Check a region's text (rules above); 0 if usable, else -1 with a reason. */
int endpoint_validate_region(const char *region, char *err, size_t errsz);

/*
 * Check that an ARN's partition is the one its region belongs to (e.g. "aws" with
 * "cn-north-1" fails: that region is in "aws-cn"). Also fails for an invalid region
 * or an empty/NULL partition.
 */
int endpoint_check_arn_partition(const char *arn_partition, const char *region, char *err, size_t errsz);

#endif
