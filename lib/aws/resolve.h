/*
 * resolve.h - turn the command line and the environment into one target:
 * which table, which region, which endpoint, how many attempts, which trust
 * store.
 *
 * Contract: resolve_target() applies the precedence the spec and the AWS SDKs
 * use and validates everything before any network traffic:
 *   table     --table-arn, or --table-bucket-arn + --namespace + --table
 *             (ARNs, namespace and table names checked against the model);
 *   region    --region, the ARN's region, AWS_REGION, AWS_DEFAULT_REGION
 *             (a --region that contradicts the ARN is an error, and so is an
 *             ARN partition that does not own the region);
 *   endpoint  --endpoint-url, AWS_ENDPOINT_URL_S3TABLES, AWS_ENDPOINT_URL
 *             (both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true),
 *             else the partition's rule (--fips/--dualstack or
 *             AWS_USE_FIPS_ENDPOINT / AWS_USE_DUALSTACK_ENDPOINT);
 *   attempts  --max-attempts, AWS_MAX_ATTEMPTS, else 3;
 *   trust     --ca-file / --ca-path, AWS_CA_BUNDLE, else the system store.
 * resolve_target_with_config() adds the profile of the shared config files
 * as the last source of each setting.
 * On failure it returns -1 with a reason naming the option or variable. The
 * environment is read through getenv_fn (NULL = getenv) so tests can inject
 * one. Strings in struct target either live in it or point into the options.
 */
#ifndef S3T_RESOLVE_H
#define S3T_RESOLVE_H

#include <stddef.h>

#include "arn.h"
#include "options.h"

struct target {
	int by_arn;                 /* 1: --table-arn; 0: bucket + namespace + name */
	struct arn table;           /* valid when by_arn */
	struct arn bucket;          /* always valid */
	const char *namespace_name; /* NULL when by_arn (resolve with GetTable) */
	const char *table_name;
	char table_label[320];      /* what the output calls the table */
	char region[64];
	char endpoint_url[1024];
	char endpoint_source[64];   /* "--endpoint-url", "AWS_ENDPOINT_URL", "partition rules" ... */
	char region_source[64];
	int max_attempts;
	const char *ca_file;
	const char *ca_path;
	const char *ca_file_source;   /* "--ca-file", "AWS_CA_BUNDLE" or "the profile's ca_bundle" */
	const char *proxy;
};

int resolve_target(const struct common_options *opts, const char *(*getenv_fn)(const char *),
		   struct target *out, char *err, size_t errsz);

/*
 * The same, with the shared config files' profile as the last source of each
 * setting: endpoint ([services] s3tables endpoint_url, then endpoint_url,
 * unless ignore_configured_endpoint_urls), use_fips_endpoint,
 * use_dualstack_endpoint, max_attempts, ca_bundle. cfg may be NULL.
 */
struct aws_config;
int resolve_target_with_config(const struct common_options *opts, const char *(*getenv_fn)(const char *),
			       const struct aws_config *cfg, const char *profile,
			       struct target *out, char *err, size_t errsz);

/*
 * The same settings for a region instead of a table (s3tables-discover's
 * --region): endpoint, attempts and trust store as above; by_arn 0 and no
 * bucket. A region that is not [a-z0-9-] is an error naming --region.
 */
int resolve_region_with_config(const struct common_options *opts, const char *(*getenv_fn)(const char *),
			       const struct aws_config *cfg, const char *profile, const char *region,
			       struct target *out, char *err, size_t errsz);

/* Namespace and table names: 1..255 of [0-9a-z_] (the model's pattern). */
int resolve_check_name(const char *what, const char *name, char *err, size_t errsz);

#endif
