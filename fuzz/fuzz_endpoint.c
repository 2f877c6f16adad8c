/*
 * fuzz_endpoint.c - S3 Tables endpoint resolution (endpoint.h).
 * Input, split at NUL bytes: flags (first byte: bit 0 FIPS, bit 1 dual-stack,
 * bit 2 no override), region, endpoint override, an ARN partition.
 * Properties: with an override, a resolved URL is the override without its
 * trailing '/'s, and FIPS or dual-stack never resolve; without one, a region that
 * endpoint_validate_region() accepts always resolves, to
 * "https://s3tables[-fips].<region>.<suffix>" with a host of only [a-z0-9.-], and
 * any other region does not; URLs are printable ASCII; the partition of any region
 * is one of the known eight; endpoint_check_arn_partition() accepts only a valid
 * region with its own partition. Every message renders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "endpoint.h"
#include "fuzz.h"

static const char *const partitions[] = {"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b",
					 "aws-iso-e", "aws-iso-f", "aws-eusc"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[4];
	fz_split(data, size, f, 4);
	unsigned flags = f[0].n ? (unsigned char)f[0].s[0] : 0;
	struct endpoint_params p = {
		.region = f[1].n ? f[1].s : NULL,
		.use_fips = flags & 1,
		.use_dualstack = (flags >> 1) & 1,
		.endpoint_override = (flags & 4) ? NULL : f[2].s,
	};
	char url[2048], err[512], verr[512];
	int rc = endpoint_resolve(&p, url, sizeof url, err, sizeof err);
	int region_ok = endpoint_validate_region(p.region, verr, sizeof verr) == 0;
	if (!region_ok && p.region)
		fz_check_message(verr, sizeof verr, "endpoint_validate_region");
	if (rc == 0) {
		for (const unsigned char *c = (const unsigned char *)url; *c; c++)
			FZ_ASSERT(*c > 0x20 && *c < 0x7f, "URL \"%s\" has byte 0x%02x", url, *c);
		if (p.endpoint_override) {
			size_t ul = strlen(url);
			FZ_ASSERT(!p.use_fips && !p.use_dualstack, "FIPS/dual-stack with an override resolved");
			FZ_ASSERT(strncmp(url, p.endpoint_override, ul) == 0 &&
				  strspn(p.endpoint_override + ul, "/") == strlen(p.endpoint_override + ul) && ul > 0 &&
				  url[ul - 1] != '/', "override \"%s\" resolved as \"%s\"", p.endpoint_override, url);
		} else {
			FZ_ASSERT(region_ok, "invalid region \"%s\" resolved as \"%s\"", p.region ? p.region : "(null)", url);
			char want[256];
			snprintf(want, sizeof want, "https://s3tables%s.%s.", p.use_fips ? "-fips" : "", p.region);
			FZ_ASSERT(strncmp(url, want, strlen(want)) == 0, "region \"%s\" resolved as \"%s\"", p.region, url);
			for (const char *c = url + 8; *c; c++)
				FZ_ASSERT((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '-',
					  "host of \"%s\" has '%c'", url, *c);
		}
	} else {
		fz_check_message(err, sizeof err, "endpoint_resolve");
		FZ_ASSERT(p.endpoint_override || !region_ok, "valid region \"%s\" did not resolve: %s", p.region, err);
	}

	const char *part = endpoint_partition_of_region(p.region);
	size_t i;
	for (i = 0; i < sizeof partitions / sizeof *partitions; i++)
		if (part && strcmp(part, partitions[i]) == 0)
			break;
	FZ_ASSERT(i < sizeof partitions / sizeof *partitions, "unknown partition \"%s\"", part ? part : "(null)");
	if (endpoint_check_arn_partition(f[3].s, p.region, err, sizeof err) == 0)
		FZ_ASSERT(region_ok && strcmp(f[3].s, part) == 0, "partition \"%s\" accepted for region \"%s\" (%s)",
			  f[3].s, p.region ? p.region : "(null)", part);
	else
		fz_check_message(err, sizeof err, "endpoint_check_arn_partition");
	fz_fields_free(f, 4);
	return 0;
}
