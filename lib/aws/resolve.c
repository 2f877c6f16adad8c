/* resolve.c - see resolve.h. */
#include "resolve.h"
#include "error.h"
#include "env.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_config.h"
#include "endpoint.h"

/* AWS's boolean settings: "true"/"false", any case. */
static int env_bool(const char *(*getenv_fn)(const char *), const char *name, int *out,
		    char *err, size_t errsz)
{
	const char *v = env_get(getenv_fn, name);
	*out = 0;
	if (!v)
		return 0;
	if (strcasecmp(v, "true") == 0) {
		*out = 1;
		return 0;
	}
	if (strcasecmp(v, "false") == 0)
		return 0;
	error_set(err, errsz, "%s='%s' is neither true nor false", name, v);
	return -1;
}

int resolve_check_name(const char *what, const char *name, char *err, size_t errsz)
{
	size_t n = strlen(name);
	if (n < 1 || n > 255) {
		error_set(err, errsz, "%s must be 1 to 255 characters long", what);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
			error_set(err, errsz, "%s '%.64s' may only hold lowercase letters, digits and '_'", what, name);
			return -1;
		}
	}
	return 0;
}

int resolve_target(const struct common_options *o, const char *(*getenv_fn)(const char *),
		   struct target *t, char *err, size_t errsz)
{
	return resolve_target_with_config(o, getenv_fn, NULL, NULL, t, err, errsz);
}

/* A profile setting, or NULL (no config, no such key, or empty). */
static const char *prof(const struct aws_config *cfg, const char *profile, const char *key)
{
	const char *v = cfg && profile ? aws_config_get(cfg, profile, key) : NULL;
	return v && *v ? v : NULL;
}

/* A boolean profile setting ("true"/"false"); -1 with err on anything else. */
static int prof_bool(const struct aws_config *cfg, const char *profile, const char *key, int *out,
		     char *err, size_t errsz)
{
	const char *v = prof(cfg, profile, key);
	if (!v)
		return 0;
	if (strcasecmp(v, "true") == 0)
		*out = 1;
	else if (strcasecmp(v, "false") == 0)
		*out = 0;
	else {
		error_set(err, errsz, "profile '%s': %s = '%.32s' is neither true nor false", profile, key, v);
		return -1;
	}
	return 0;
}

static int resolve_service(const struct common_options *o, const char *(*getenv_fn)(const char *),
			   const struct aws_config *cfg, const char *profile, struct target *t, char *err,
			   size_t errsz);

int resolve_region_with_config(const struct common_options *o, const char *(*getenv_fn)(const char *),
			       const struct aws_config *cfg, const char *profile, const char *region,
			       struct target *t, char *err, size_t errsz)
{
	char why[256];
	memset(t, 0, sizeof *t);
	if (endpoint_validate_region(region, why, sizeof why)) {
		error_set(err, errsz, "--region: %s", why);
		return -1;
	}
	snprintf(t->region, sizeof t->region, "%s", region);
	snprintf(t->region_source, sizeof t->region_source, "--region");
	snprintf(t->table_label, sizeof t->table_label, "every table bucket in %s", region);
	return resolve_service(o, getenv_fn, cfg, profile, t, err, errsz);
}

int resolve_target_with_config(const struct common_options *o, const char *(*getenv_fn)(const char *),
			       const struct aws_config *cfg, const char *profile,
			       struct target *t, char *err, size_t errsz)
{
	char why[384];
	const struct arn *arn;
	memset(t, 0, sizeof *t);

	/* The table. */
	if (o->table_arn) {
		t->by_arn = 1;
		if (arn_parse_table(o->table_arn, &t->table, why, sizeof why)) {
			error_set(err, errsz, "--table-arn: %s", why);
			return -1;
		}
		if (arn_parse_bucket(t->table.bucket_arn, &t->bucket, why, sizeof why)) {
			error_set(err, errsz, "--table-arn: %s", why);
			return -1;
		}
		arn = &t->table;
		snprintf(t->table_label, sizeof t->table_label, "%s/%s", t->table.bucket, t->table.table_id);
	} else if (o->all_tables) {
		if (arn_parse_bucket(o->bucket_arn, &t->bucket, why, sizeof why)) {
			error_set(err, errsz, "--table-bucket-arn: %s", why);
			return -1;
		}
		for (size_t i = 0; i < o->nnamespaces; i++)
			if (resolve_check_name("--namespace", o->namespaces[i], err, errsz))
				return -1;
		arn = &t->bucket;
		snprintf(t->table_label, sizeof t->table_label, "%s (every table)", t->bucket.bucket);
	} else {
		if (arn_parse_bucket(o->bucket_arn, &t->bucket, why, sizeof why)) {
			error_set(err, errsz, "--table-bucket-arn: %s", why);
			return -1;
		}
		if (resolve_check_name("--namespace", o->namespace_name, err, errsz) ||
		    resolve_check_name("--table", o->table_name, err, errsz))
			return -1;
		t->namespace_name = o->namespace_name;
		t->table_name = o->table_name;
		arn = &t->bucket;
		snprintf(t->table_label, sizeof t->table_label, "%s/%s.%s", t->bucket.bucket,
			 o->namespace_name, o->table_name);
	}

	/* The region: the table lives in its ARN's region. */
	const char *region = arn->region, *rsrc = "the ARN";
	if (o->region) {
		if (strcmp(o->region, arn->region) != 0) {
			error_set(err, errsz, "--region %s contradicts the ARN's region %s", o->region, arn->region);
			return -1;
		}
		region = o->region;
		rsrc = "--region";
	}
	snprintf(t->region, sizeof t->region, "%s", region);
	snprintf(t->region_source, sizeof t->region_source, "%s", rsrc);
	if (endpoint_check_arn_partition(arn->partition, t->region, why, sizeof why)) {
		error_set(err, errsz, "%s", why);
		return -1;
	}
	return resolve_service(o, getenv_fn, cfg, profile, t, err, errsz);
}

/* Endpoint, attempts and trust store for t->region. */
static int resolve_service(const struct common_options *o, const char *(*getenv_fn)(const char *),
			   const struct aws_config *cfg, const char *profile, struct target *t, char *err,
			   size_t errsz)
{
	char why[384];

	/* The endpoint. */
	struct endpoint_params ep = {.region = t->region};
	int ignore_configured = 0;
	if (prof_bool(cfg, profile, "ignore_configured_endpoint_urls", &ignore_configured, err, errsz))
		return -1;
	if (env_get(getenv_fn, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") &&
	    env_bool(getenv_fn, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", &ignore_configured, err, errsz))
		return -1;
	/* The profile's [services NAME] section, s3tables = / endpoint_url = ... */
	const char *services = prof(cfg, profile, "services");
	const char *svc_url = services && cfg ? aws_config_services_get(cfg, services, "s3tables", "endpoint_url") : NULL;
	const char *esrc = "partition rules";
	if (o->endpoint_url) {
		ep.endpoint_override = o->endpoint_url;
		esrc = "--endpoint-url";
	} else if (!ignore_configured && (ep.endpoint_override = env_get(getenv_fn, "AWS_ENDPOINT_URL_S3TABLES"))) {
		esrc = "AWS_ENDPOINT_URL_S3TABLES";
	} else if (!ignore_configured && (ep.endpoint_override = env_get(getenv_fn, "AWS_ENDPOINT_URL"))) {
		esrc = "AWS_ENDPOINT_URL";
	} else if (!ignore_configured && svc_url && *svc_url) {
		ep.endpoint_override = svc_url;
		esrc = "the profile's services section";
	} else if (!ignore_configured && (ep.endpoint_override = prof(cfg, profile, "endpoint_url"))) {
		esrc = "the profile's endpoint_url";
	}
	/* Option, then environment, then profile. */
	if (o->fips > 0)
		ep.use_fips = 1;
	else if (env_get(getenv_fn, "AWS_USE_FIPS_ENDPOINT")) {
		if (env_bool(getenv_fn, "AWS_USE_FIPS_ENDPOINT", &ep.use_fips, err, errsz))
			return -1;
	} else if (prof_bool(cfg, profile, "use_fips_endpoint", &ep.use_fips, err, errsz))
		return -1;
	if (o->dualstack > 0)
		ep.use_dualstack = 1;
	else if (env_get(getenv_fn, "AWS_USE_DUALSTACK_ENDPOINT")) {
		if (env_bool(getenv_fn, "AWS_USE_DUALSTACK_ENDPOINT", &ep.use_dualstack, err, errsz))
			return -1;
	} else if (prof_bool(cfg, profile, "use_dualstack_endpoint", &ep.use_dualstack, err, errsz))
		return -1;
	if (endpoint_resolve(&ep, t->endpoint_url, sizeof t->endpoint_url, why, sizeof why)) {
		error_set(err, errsz, "endpoint (%s): %s", esrc, why);
		return -1;
	}
	snprintf(t->endpoint_source, sizeof t->endpoint_source, "%s", esrc);

	/* Attempts per request. */
	t->max_attempts = 3;
	if (o->max_attempts > 0) {
		t->max_attempts = o->max_attempts;
	} else {
		const char *v = env_get(getenv_fn, "AWS_MAX_ATTEMPTS"), *what = "AWS_MAX_ATTEMPTS";
		if (!v && (v = prof(cfg, profile, "max_attempts")))
			what = "the profile's max_attempts";
		long n;
		if (v && options_parse_int(v, 1, 20, &n, why, sizeof why)) {
			error_set(err, errsz, "%s: %s", what, why);
			return -1;
		}
		if (v)
			t->max_attempts = (int)n;
	}

	/* Trust store. */
	t->ca_file = o->ca_file;
	t->ca_path = o->ca_path;
	t->ca_file_source = "--ca-file";
	if (!t->ca_file && !t->ca_path) {
		t->ca_file = env_get(getenv_fn, "AWS_CA_BUNDLE");
		t->ca_file_source = "AWS_CA_BUNDLE";
	}
	if (!t->ca_file && !t->ca_path) {
		t->ca_file = prof(cfg, profile, "ca_bundle");
		t->ca_file_source = "the profile's ca_bundle";
	}
	t->proxy = o->proxy;
	return 0;
}
