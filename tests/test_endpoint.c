/*
 * test_endpoint.c - endpoint resolution (lib/aws/endpoint.c) against botocore's
 * endpoint-tests-1.json for s3tables (every case), plus partitions, region and
 * override validation, and the ARN/region partition check.
 *
 * Data file: argv[1], else $srcdir/tests/data/endpoints/endpoint-tests-1.json,
 * else tests/data/endpoints/endpoint-tests-1.json.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "endpoint.h"
#include "tap.h"

#define DATA_REL "tests/data/endpoints/endpoint-tests-1.json"

static const char *str_member(json_object *o, const char *key)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static int bool_member(json_object *o, const char *key, int dflt)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	return dflt;
}

static int run_vectors(const char *path)
{
	json_object *root = json_object_from_file(path), *cases;
	size_t n, i;
	if (!ok(root != NULL, "load %s", path))
		return -1;
	if (!ok(json_object_object_get_ex(root, "testCases", &cases) && json_object_is_type(cases, json_type_array) &&
			json_object_array_length(cases) > 0,
		"testCases is a non-empty array")) {
		json_object_put(root);
		return -1;
	}
	n = json_object_array_length(cases);
	for (i = 0; i < n; i++) {
		json_object *tc = json_object_array_get_idx(cases, i), *params = NULL, *expect = NULL, *ep = NULL;
		json_object_object_get_ex(tc, "params", &params);
		json_object_object_get_ex(tc, "expect", &expect);
		const char *doc = str_member(tc, "documentation");
		struct endpoint_params p = {
			.region = str_member(params, "Region"),
			.use_fips = bool_member(params, "UseFIPS", 0),
			.use_dualstack = bool_member(params, "UseDualStack", 0),
			.endpoint_override = str_member(params, "Endpoint"),
		};
		char url[256] = "", err[256] = "";
		int rc = endpoint_resolve(&p, url, sizeof url, err, sizeof err);
		const char *want_err = str_member(expect, "error");
		const char *want_url = NULL;
		if (json_object_object_get_ex(expect, "endpoint", &ep))
			want_url = str_member(ep, "url");
		if (want_url) {
			if (rc != 0) {
				ok(0, "vector %zu: %s", i + 1, doc ? doc : "?");
				tap_diag_text("unexpected error", err);
			} else {
				is_str(url, want_url, "vector %zu: %s -> %s", i + 1, doc ? doc : "?", want_url);
			}
		} else if (want_err) {
			if (rc == 0) {
				ok(0, "vector %zu: %s", i + 1, doc ? doc : "?");
				tap_diag_text("unexpected url", url);
			} else {
				is_str(err, want_err, "vector %zu: %s -> error \"%s\"", i + 1, doc ? doc : "?", want_err);
			}
		} else {
			ok(0, "vector %zu: expect has neither endpoint.url nor error", i + 1);
		}
	}
	json_object_put(root);
	return (int)n;
}

static void resolves(const char *region, int fips, int ds, const char *override, const char *want)
{
	struct endpoint_params p = {region, fips, ds, override};
	char url[256], err[256] = "";
	int rc = endpoint_resolve(&p, url, sizeof url, err, sizeof err);
	if (rc != 0) {
		ok(0, "resolve region=%s fips=%d dualstack=%d override=%s", region ? region : "(null)", fips, ds,
		   override ? override : "(null)");
		tap_diag_text("error", err);
		return;
	}
	is_str(url, want, "resolve region=%s fips=%d dualstack=%d override=%s -> %s", region ? region : "(null)", fips,
	       ds, override ? override : "(null)", want);
}

static void fails(const char *label, const char *region, int fips, int ds, const char *override, const char *want)
{
	struct endpoint_params p = {region, fips, ds, override};
	char url[256], err[256] = "";
	memset(url, 'Q', sizeof url);
	int rc = endpoint_resolve(&p, url, sizeof url, err, sizeof err);
	if (!ok(rc == -1 && url[0] == '\0' && strstr(err, want) != NULL, "rejected: %s", label)) {
		tap_diag_text("error", err);
		tap_diag_text("expected substring", want);
		if (rc == 0)
			tap_diag_text("url", url);
	}
}

int main(int argc, char **argv)
{
	char path[4096];
	const char *srcdir = getenv("srcdir");
	if (argc > 1)
		snprintf(path, sizeof path, "%s", argv[1]);
	else if (srcdir && *srcdir)
		snprintf(path, sizeof path, "%s/%s", srcdir, DATA_REL);
	else
		snprintf(path, sizeof path, "%s", DATA_REL);

	int nvec = run_vectors(path);
	is_int(nvec, 21, "ran all 21 vectors of the botocore file");

	/* Partition of region, for each partition (regexes from partitions.json). */
	static const struct {
		const char *region, *partition, *url, *fips_ds_url;
	} pr[] = {
		{"us-east-1", "aws", "https://s3tables.us-east-1.amazonaws.com", "https://s3tables-fips.us-east-1.api.aws"},
		{"eu-west-3", "aws", "https://s3tables.eu-west-3.amazonaws.com", NULL},
		{"ap-southeast-7", "aws", NULL, NULL},
		{"sa-east-1", "aws", NULL, NULL},
		{"ca-west-1", "aws", NULL, NULL},
		{"me-central-1", "aws", NULL, NULL},
		{"af-south-1", "aws", NULL, NULL},
		{"il-central-1", "aws", NULL, NULL},
		{"mx-central-1", "aws", "https://s3tables.mx-central-1.amazonaws.com", NULL},
		{"aws-global", "aws", NULL, NULL},
		{"cn-north-1", "aws-cn", "https://s3tables.cn-north-1.amazonaws.com.cn",
		 "https://s3tables-fips.cn-north-1.api.amazonwebservices.com.cn"},
		{"cn-northwest-1", "aws-cn", NULL, NULL},
		{"us-gov-west-1", "aws-us-gov", "https://s3tables.us-gov-west-1.amazonaws.com",
		 "https://s3tables-fips.us-gov-west-1.api.aws"},
		{"aws-us-gov-global", "aws-us-gov", NULL, NULL},
		{"us-iso-west-1", "aws-iso", "https://s3tables.us-iso-west-1.c2s.ic.gov",
		 "https://s3tables-fips.us-iso-west-1.api.aws.ic.gov"},
		{"us-isob-east-1", "aws-iso-b", "https://s3tables.us-isob-east-1.sc2s.sgov.gov",
		 "https://s3tables-fips.us-isob-east-1.api.aws.scloud"},
		{"eu-isoe-west-1", "aws-iso-e", "https://s3tables.eu-isoe-west-1.cloud.adc-e.uk",
		 "https://s3tables-fips.eu-isoe-west-1.api.cloud-aws.adc-e.uk"},
		{"us-isof-south-1", "aws-iso-f", "https://s3tables.us-isof-south-1.csp.hci.ic.gov",
		 "https://s3tables-fips.us-isof-south-1.api.aws.hci.ic.gov"},
		{"us-isof-east-1", "aws-iso-f", NULL, NULL},
		{"eusc-de-east-1", "aws-eusc", "https://s3tables.eusc-de-east-1.amazonaws.eu",
		 "https://s3tables-fips.eusc-de-east-1.api.amazonwebservices.eu"},
		/* No regex matches: falls back to aws. */
		{"eusc-fr-east-1", "aws", NULL, NULL},
		{"xx-east-1", "aws", "https://s3tables.xx-east-1.amazonaws.com", NULL},
		{"us-east", "aws", NULL, NULL},
		{"us-gov-east", "aws", NULL, NULL},
		{"cn-north-1a", "aws", NULL, NULL},
		{"us-iso-east-1-x", "aws", NULL, NULL},
		{"local", "aws", "https://s3tables.local.amazonaws.com", NULL},
		{"", "aws", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof pr / sizeof pr[0]; i++) {
		is_str(endpoint_partition_of_region(pr[i].region), pr[i].partition, "partition of '%s' is %s", pr[i].region,
		       pr[i].partition);
		if (pr[i].url)
			resolves(pr[i].region, 0, 0, NULL, pr[i].url);
		if (pr[i].fips_ds_url)
			resolves(pr[i].region, 1, 1, NULL, pr[i].fips_ds_url);
	}
	is_str(endpoint_partition_of_region(NULL), "aws", "partition of NULL is aws");

	/* ARN partition versus region partition. */
	{
		char err[256];
		ok(endpoint_check_arn_partition("aws", "us-east-1", err, sizeof err) == 0, "aws ARN in us-east-1 agrees");
		ok(endpoint_check_arn_partition("aws-cn", "cn-north-1", err, sizeof err) == 0, "aws-cn ARN in cn-north-1 agrees");
		ok(endpoint_check_arn_partition("aws-us-gov", "us-gov-east-1", err, sizeof err) == 0,
		   "aws-us-gov ARN in us-gov-east-1 agrees");
		ok(endpoint_check_arn_partition("aws-iso-b", "us-isob-east-1", err, sizeof err) == 0,
		   "aws-iso-b ARN in us-isob-east-1 agrees");
		ok(endpoint_check_arn_partition("aws-eusc", "eusc-de-east-1", err, sizeof err) == 0,
		   "aws-eusc ARN in eusc-de-east-1 agrees");
		ok(endpoint_check_arn_partition("aws", "cn-north-1", err, sizeof err) == -1, "aws ARN in cn-north-1 mismatches");
		is_str(err, "ARN partition 'aws' does not match region 'cn-north-1', which is in partition 'aws-cn'",
		       "  mismatch message");
		ok(endpoint_check_arn_partition("aws-cn", "us-east-1", err, sizeof err) == -1, "aws-cn ARN in us-east-1 mismatches");
		is_str(err, "ARN partition 'aws-cn' does not match region 'us-east-1', which is in partition 'aws'",
		       "  mismatch message");
		ok(endpoint_check_arn_partition("aws", "us-gov-west-1", err, sizeof err) == -1,
		   "aws ARN in us-gov-west-1 mismatches");
		ok(endpoint_check_arn_partition("aws-us-gov", "us-west-1", err, sizeof err) == -1,
		   "aws-us-gov ARN in us-west-1 mismatches");
		ok(endpoint_check_arn_partition("aws-iso", "us-isob-east-1", err, sizeof err) == -1 &&
			   strstr(err, "partition 'aws-iso-b'"),
		   "aws-iso ARN in us-isob-east-1 mismatches");
		ok(endpoint_check_arn_partition("aws", "US-EAST-1", err, sizeof err) == -1 && strstr(err, "invalid region"),
		   "invalid region is reported: %s", err);
		ok(endpoint_check_arn_partition("aws", NULL, err, sizeof err) == -1 && strstr(err, "Missing Region"),
		   "missing region is reported");
		ok(endpoint_check_arn_partition("", "us-east-1", err, sizeof err) == -1 && strstr(err, "partition is empty"),
		   "empty partition is reported");
		ok(endpoint_check_arn_partition("aws\n", "us-east-1", err, sizeof err) == -1 &&
			   strstr(err, "not a partition name"),
		   "partition with control character is reported");
	}

	/* Model errors, exact. */
	{
		struct endpoint_params p = {"us-east-1", 1, 1, "https://example.com"};
		char url[64], err[256];
		ok(endpoint_resolve(&p, url, sizeof url, err, sizeof err) == -1, "FIPS + dual-stack + override fails");
		is_str(err, "Invalid Configuration: FIPS and custom endpoint are not supported", "  FIPS error first, as in the rule set");
		p.region = NULL;
		p.use_fips = 0;
		p.use_dualstack = 1;
		ok(endpoint_resolve(&p, url, sizeof url, err, sizeof err) == -1, "dual-stack + override without region fails");
		is_str(err, "Invalid Configuration: Dualstack and custom endpoint are not supported", "  dual-stack error");
		struct endpoint_params q = {NULL, 1, 1, NULL};
		ok(endpoint_resolve(&q, url, sizeof url, err, sizeof err) == -1, "no region, FIPS + dual-stack fails");
		is_str(err, "Invalid Configuration: Missing Region", "  missing region error");
		q.region = "";
		ok(endpoint_resolve(&q, url, sizeof url, err, sizeof err) == -1, "empty region fails");
		is_str(err, "Invalid Configuration: Missing Region", "  empty region is a missing region");
	}

	/* Region text can never reach a host name unchecked. */
	fails("upper-case region", "US-EAST-1", 0, 0, NULL, "invalid region: 'U' at offset 0");
	fails("region with dot", "us-east-1.evil.com", 0, 0, NULL, "invalid region: '.' at offset 9");
	fails("region with slash", "us-east-1/x", 0, 0, NULL, "invalid region: '/' at offset 9");
	fails("region with '@'", "x@evil.com", 0, 0, NULL, "invalid region: '@'");
	fails("region with space", "us east 1", 0, 0, NULL, "invalid region: byte 0x20 at offset 2");
	fails("region with newline", "us-east-1\r\nHost: evil", 0, 0, NULL, "invalid region: byte 0x0d at offset 9");
	fails("region with non-ASCII", "us-\xc3\xa9", 0, 0, NULL, "invalid region: byte 0xc3");
	fails("region starting with '-'", "-us-east-1", 0, 0, NULL, "must not start or end with '-'");
	fails("region ending with '-'", "us-east-1-", 0, 0, NULL, "must not start or end with '-'");
	fails("region of 64 characters", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0, NULL,
	      "longer than 63 characters");
	resolves("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0, NULL,
		 "https://s3tables.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.amazonaws.com");
	fails("invalid region with an override", "us east", 0, 0, "https://example.com", "invalid region");

	/* Overrides. */
	resolves(NULL, 0, 0, "http://127.0.0.1:8080", "http://127.0.0.1:8080");
	resolves("us-east-1", 0, 0, "https://example.com/", "https://example.com");
	resolves("us-east-1", 0, 0, "https://example.com///", "https://example.com");
	resolves("us-east-1", 0, 0, "http://localhost:9000/prefix/", "http://localhost:9000/prefix");
	resolves("us-east-1", 0, 0, "HTTPS://Example.COM", "HTTPS://Example.COM");
	resolves("us-east-1", 0, 0, "http://[::1]:4566", "http://[::1]:4566");
	resolves("us-east-1", 0, 0, "https://s3tables.us-east-1.amazonaws.com", "https://s3tables.us-east-1.amazonaws.com");
	fails("empty override", "us-east-1", 0, 0, "", "invalid endpoint: empty");
	fails("override without scheme", "us-east-1", 0, 0, "example.com", "must start with http:// or https://");
	fails("ftp override", "us-east-1", 0, 0, "ftp://example.com", "must start with http:// or https://");
	fails("override with no host", "us-east-1", 0, 0, "https://", "no host");
	fails("override with no host, path only", "us-east-1", 0, 0, "https:///path", "no host");
	fails("override with port but no host", "us-east-1", 0, 0, "http://:8080", "no host");
	fails("override with space", "us-east-1", 0, 0, "https://exa mple.com", "invalid endpoint: space at offset 11");
	fails("override with trailing newline", "us-east-1", 0, 0, "https://example.com\n", "byte 0x0a at offset 19");
	fails("override with CR LF", "us-east-1", 0, 0, "https://example.com\r\nX: y", "byte 0x0d");
	fails("override with tab", "us-east-1", 0, 0, "\thttps://example.com", "byte 0x09 at offset 0");
	fails("override with DEL", "us-east-1", 0, 0, "https://example.com\x7f", "byte 0x7f");
	fails("override with non-ASCII", "us-east-1", 0, 0, "https://ex\xc3\xa4mple.com", "byte 0xc3");
	fails("override with user info", "us-east-1", 0, 0, "https://user:pw@example.com", "user information");
	fails("override with query", "us-east-1", 0, 0, "https://example.com/?a=b", "query or fragment");
	fails("override with fragment", "us-east-1", 0, 0, "https://example.com#x", "query or fragment");
	fails("override with bad port", "us-east-1", 0, 0, "http://localhost:http", "port must be a number");
	fails("override with port 0", "us-east-1", 0, 0, "http://localhost:0", "port must be a number");
	fails("override with port 65536", "us-east-1", 0, 0, "http://localhost:65536", "port must be a number");
	fails("override with empty port", "us-east-1", 0, 0, "http://localhost:", "port must be a number");
	fails("override with bad host char", "us-east-1", 0, 0, "http://exa_mple!.com", "bad character '!' in host");
	fails("override with broken IPv6", "us-east-1", 0, 0, "http://[::1", "malformed IPv6");
	resolves("us-east-1", 0, 0, "http://localhost:65535", "http://localhost:65535");

	/* Buffers. */
	{
		struct endpoint_params p = {"us-east-1", 0, 0, NULL};
		char url[41], err[256]; /* strlen("https://s3tables.us-east-1.amazonaws.com") == 40 */
		ok(endpoint_resolve(&p, url, sizeof url, err, sizeof err) == 0 &&
			   strcmp(url, "https://s3tables.us-east-1.amazonaws.com") == 0,
		   "URL fits a buffer of exactly its size + 1");
		ok(endpoint_resolve(&p, url, sizeof url - 1, err, sizeof err) == -1 && url[0] == 0 &&
			   strstr(err, "too long"),
		   "URL too long for a buffer one byte short");
		p.region = NULL;
		p.endpoint_override = "https://example.com/abcdefghijklmnopqrstuvwxyz";
		ok(endpoint_resolve(&p, url, sizeof url, err, sizeof err) == -1 && url[0] == 0 && strstr(err, "too long"),
		   "override too long for the buffer");
		ok(endpoint_resolve(NULL, url, sizeof url, err, sizeof err) == -1, "NULL params rejected");
		ok(endpoint_resolve(&p, NULL, 0, NULL, 0) == -1, "NULL buffer and NULL err rejected");
		char tiny[6];
		p.endpoint_override = NULL;
		ok(endpoint_resolve(&p, url, sizeof url, tiny, sizeof tiny) == -1 && strlen(tiny) == 5,
		   "short error buffer is truncated and NUL-terminated");
	}
	return tap_done();
}
