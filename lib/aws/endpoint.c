/*
 * endpoint.c - resolve the S3 Tables endpoint URL (see endpoint.h for the contract).
 */
#include "endpoint.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define REGION_MAX_LEN 63

/*
 * botocore partitions.json. Every regionRegex has the form
 *   ^{prefix}\-\w+\-\d+$
 * with prefix one of a few literal alternatives, so the matching is done by hand
 * (match_regex below). All partitions have supportsFIPS and supportsDualStack true,
 * so the rule set's "does not support" error branches cannot be reached.
 */
struct partition {
	const char *id;
	const char *prefixes[10]; /* alternatives of the regex's leading group, NULL-ended */
	const char *dns_suffix;
	const char *dualstack_dns_suffix;
};

static const struct partition partitions[] = {
	{"aws",
	 {"us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx", NULL},
	 "amazonaws.com",
	 "api.aws"},
	{"aws-cn", {"cn", NULL}, "amazonaws.com.cn", "api.amazonwebservices.com.cn"},
	{"aws-us-gov", {"us-gov", NULL}, "amazonaws.com", "api.aws"},
	{"aws-iso", {"us-iso", NULL}, "c2s.ic.gov", "api.aws.ic.gov"},
	{"aws-iso-b", {"us-isob", NULL}, "sc2s.sgov.gov", "api.aws.scloud"},
	{"aws-iso-e", {"eu-isoe", NULL}, "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"},
	{"aws-iso-f", {"us-isof", NULL}, "csp.hci.ic.gov", "api.aws.hci.ic.gov"},
	{"aws-eusc", {"eusc-de", NULL}, "amazonaws.eu", "api.amazonwebservices.eu"},
};
#define N_PARTITIONS (sizeof partitions / sizeof partitions[0])

/* \w in the regexes (ASCII): [A-Za-z0-9_]. */
static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Does region match ^{prefix}\-\w+\-\d+$ ? \w never matches '-', so after
 * "{prefix}-" there must be one run of word characters, one '-', one run of digits.
 */
static int match_regex(const char *prefix, const char *region)
{
	size_t pl = strlen(prefix);
	const char *s;
	if (strncmp(region, prefix, pl) != 0 || region[pl] != '-')
		return 0;
	s = region + pl + 1;
	if (!is_word(*s))
		return 0;
	while (is_word(*s))
		s++;
	if (*s != '-')
		return 0;
	s++;
	if (!is_digit(*s))
		return 0;
	while (is_digit(*s))
		s++;
	return *s == '\0';
}

static const struct partition *partition_for(const char *region)
{
	size_t i, j;
	if (!region)
		return &partitions[0];
	/* Explicitly listed regions first, as aws.partition() does: the -global pseudo-regions. */
	for (i = 0; i < N_PARTITIONS; i++) {
		size_t il = strlen(partitions[i].id);
		if (strncmp(region, partitions[i].id, il) == 0 && strcmp(region + il, "-global") == 0)
			return &partitions[i];
	}
	for (i = 0; i < N_PARTITIONS; i++)
		for (j = 0; partitions[i].prefixes[j]; j++)
			if (match_regex(partitions[i].prefixes[j], region))
				return &partitions[i];
	return &partitions[0];
}

const char *endpoint_partition_of_region(const char *region)
{
	return partition_for(region)->id;
}

int endpoint_validate_region(const char *region, char *err, size_t errsz)
{
	char cbuf[16];
	size_t len, i;
	if (!region || !*region) {
		error_set(err, errsz, "Invalid Configuration: Missing Region");
		return -1;
	}
	len = strnlen(region, REGION_MAX_LEN + 1);
	for (i = 0; i < len; i++) {
		char c = region[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
			/* Never echo the region itself: it may hold control bytes or be huge. */
			error_set(err, errsz, "invalid region: %s at offset %zu; only a-z, 0-9 and '-' are allowed",
				error_describe_char(cbuf, sizeof cbuf, c), i);
			return -1;
		}
	}
	if (len > REGION_MAX_LEN) {
		error_set(err, errsz, "invalid region: longer than %d characters", REGION_MAX_LEN);
		return -1;
	}
	if (region[0] == '-' || region[len - 1] == '-') {
		error_set(err, errsz, "invalid region '%s': must not start or end with '-'", region);
		return -1;
	}
	return 0;
}

/* Validate an endpoint override; on success *outlen is its length without trailing '/'. */
static int check_override(const char *u, size_t *outlen, char *err, size_t errsz)
{
	char cbuf[16];
	size_t len, i, schemelen;
	const char *host, *hend, *p;

	len = strlen(u);
	if (len == 0) {
		error_set(err, errsz, "invalid endpoint: empty");
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c <= 0x20 || c >= 0x7f) {
			error_set(err, errsz, "invalid endpoint: %s at offset %zu (whitespace, control and non-ASCII bytes are not allowed)",
				c == ' ' ? "space" : error_describe_char(cbuf, sizeof cbuf, (char)c), i);
			return -1;
		}
	}
	if (strncasecmp(u, "https://", 8) == 0)
		schemelen = 8;
	else if (strncasecmp(u, "http://", 7) == 0)
		schemelen = 7;
	else {
		error_set(err, errsz, "invalid endpoint '%.200s': must start with http:// or https://", u);
		return -1;
	}
	if (strpbrk(u, "?#")) {
		error_set(err, errsz, "invalid endpoint '%.200s': a query or fragment is not allowed", u);
		return -1;
	}
	host = u + schemelen;
	hend = host + strcspn(host, "/");
	for (p = host; p < hend; p++) {
		if (*p == '@') {
			error_set(err, errsz, "invalid endpoint: user information ('@') is not allowed");
			return -1;
		}
	}
	/* Host: [IPv6] or a name/IPv4 of [A-Za-z0-9.-_], then an optional :port. */
	p = host;
	if (*p == '[') {
		p++;
		while (p < hend && *p != ']') {
			if (!(is_word(*p) || *p == ':' || *p == '.' || *p == '%')) {
				error_set(err, errsz, "invalid endpoint '%.200s': bad character %s in IPv6 address", u,
					error_describe_char(cbuf, sizeof cbuf, *p));
				return -1;
			}
			p++;
		}
		if (p >= hend || p == host + 1) {
			error_set(err, errsz, "invalid endpoint '%.200s': malformed IPv6 address", u);
			return -1;
		}
		p++;
	} else {
		while (p < hend && *p != ':') {
			if (!(is_word(*p) || *p == '.' || *p == '-')) {
				error_set(err, errsz, "invalid endpoint '%.200s': bad character %s in host", u,
					error_describe_char(cbuf, sizeof cbuf, *p));
				return -1;
			}
			p++;
		}
		if (p == host) {
			error_set(err, errsz, "invalid endpoint '%.200s': no host", u);
			return -1;
		}
	}
	if (p < hend) {
		unsigned long port = 0;
		const char *d;
		if (*p != ':') {
			error_set(err, errsz, "invalid endpoint '%.200s': unexpected text after host", u);
			return -1;
		}
		d = ++p;
		while (p < hend && is_digit(*p) && port <= 65535) {
			port = port * 10 + (unsigned long)(*p - '0');
			p++;
		}
		if (p == d || p != hend || port == 0 || port > 65535) {
			error_set(err, errsz, "invalid endpoint '%.200s': port must be a number from 1 to 65535", u);
			return -1;
		}
	}
	while (len > (size_t)(hend - u) && u[len - 1] == '/')
		len--;
	*outlen = len;
	return 0;
}

/* The rule sets of s3tables, sso, sso-oidc and sts share one shape; host is the service's
 * label ("s3tables", "portal.sso", "oidc", "sts"), gov_fips_plain the aws-us-gov FIPS rule. */
static int resolve_host(const char *host, int gov_fips_plain, const struct endpoint_params *p, char *url,
			size_t urlsz, char *err, size_t errsz)
{
	const struct partition *part;
	int n;

	if (url && urlsz)
		url[0] = '\0';
	if (!p || !url || urlsz == 0) {
		error_set(err, errsz, "internal error: endpoint_resolve called without parameters or buffer");
		return -1;
	}
	if (p->endpoint_override) {
		size_t len;
		if (p->use_fips) {
			error_set(err, errsz, "Invalid Configuration: FIPS and custom endpoint are not supported");
			return -1;
		}
		if (p->use_dualstack) {
			error_set(err, errsz, "Invalid Configuration: Dualstack and custom endpoint are not supported");
			return -1;
		}
		/* Not needed for the URL, but it will be signed into the request: check it now. */
		if (p->region && *p->region && endpoint_validate_region(p->region, err, errsz) != 0)
			return -1;
		if (check_override(p->endpoint_override, &len, err, errsz) != 0)
			return -1;
		if (len >= urlsz) {
			error_set(err, errsz, "endpoint URL is too long (%zu characters, room for %zu)", len, urlsz - 1);
			return -1;
		}
		memcpy(url, p->endpoint_override, len);
		url[len] = '\0';
		return 0;
	}
	if (endpoint_validate_region(p->region, err, errsz) != 0)
		return -1;
	part = partition_for(p->region);
	if (gov_fips_plain && p->use_fips && !p->use_dualstack && strcmp(part->id, "aws-us-gov") == 0)
		n = snprintf(url, urlsz, "https://%s.%s.amazonaws.com", host, p->region);
	else
		n = snprintf(url, urlsz, "https://%s%s.%s.%s", host, p->use_fips ? "-fips" : "", p->region,
			     p->use_dualstack ? part->dualstack_dns_suffix : part->dns_suffix);
	if (n < 0 || (size_t)n >= urlsz) {
		url[0] = '\0';
		error_set(err, errsz, "endpoint URL is too long (%d characters, room for %zu)", n, urlsz - 1);
		return -1;
	}
	return 0;
}

int endpoint_resolve(const struct endpoint_params *p, char *url, size_t urlsz, char *err, size_t errsz)
{
	return resolve_host("s3tables", 0, p, url, urlsz, err, errsz);
}

int endpoint_resolve_service(enum endpoint_service svc, const struct endpoint_params *p, char *url, size_t urlsz,
			     char *err, size_t errsz)
{
	switch (svc) {
	case ENDPOINT_SSO:
		return resolve_host("portal.sso", 1, p, url, urlsz, err, errsz);
	case ENDPOINT_SSO_OIDC:
		return resolve_host("oidc", 1, p, url, urlsz, err, errsz);
	case ENDPOINT_STS:
		break;
	}
	return resolve_host("sts", 1, p, url, urlsz, err, errsz);
}

int endpoint_sts_is_legacy_global_region(const char *region)
{
	/* botocore args.py LEGACY_GLOBAL_STS_REGIONS */
	static const char *const legacy[] = {
		"ap-northeast-1", "ap-south-1",   "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
		"eu-central-1",   "eu-north-1",   "eu-west-1",      "eu-west-2",      "eu-west-3",  "sa-east-1",
		"us-east-1",      "us-east-2",    "us-west-1",      "us-west-2",
	};
	for (size_t i = 0; region && i < sizeof legacy / sizeof legacy[0]; i++)
		if (strcmp(region, legacy[i]) == 0)
			return 1;
	return 0;
}

int endpoint_check_arn_partition(const char *arn_partition, const char *region, char *err, size_t errsz)
{
	const char *want;
	if (!arn_partition || !*arn_partition) {
		error_set(err, errsz, "ARN partition is empty");
		return -1;
	}
	for (const char *c = arn_partition; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-') || c - arn_partition >= 40) {
			error_set(err, errsz, "ARN partition is not a partition name (a-z, 0-9, '-', at most 40 characters)");
			return -1;
		}
	}
	if (endpoint_validate_region(region, err, errsz) != 0)
		return -1;
	want = endpoint_partition_of_region(region);
	if (strcmp(arn_partition, want) != 0) {
		error_set(err, errsz,
			"ARN partition '%.40s' does not match region '%s', which is in partition '%s'",
			arn_partition, region, want);
		return -1;
	}
	return 0;
}
