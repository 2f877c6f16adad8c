/*
 * arn.h - parse and validate S3 Tables ARNs.
 *
 * Contract: pure functions, no allocation, no I/O. Two ARN shapes are accepted:
 *   table:        arn:{partition}:s3tables:{region}:{account}:bucket/{bucket}/table/{table-id}
 *   table bucket: arn:{partition}:s3tables:{region}:{account}:bucket/{bucket}
 * Validation follows the service model patterns (service-2.json, 2018-05-10), made
 * stricter where the model is loose:
 *   - whole ARN 1..2048 bytes of printable ASCII (no whitespace, no control bytes);
 *   - exactly 6 ':'-separated fields; field 0 is "arn";
 *   - partition  aws[-a-z0-9]*, at most 31 characters;
 *   - service    exactly "s3tables";
 *   - region     non-empty [-a-z0-9]*, at most 63 characters (the model allows empty);
 *   - account    exactly 12 digits;
 *   - bucket     [a-z0-9_-]{3,63};
 *   - table id   [a-zA-Z0-9_-]{1,255}, nothing after it (no trailing '/').
 * The region is field 3 and is what the endpoint host and SigV4 scope must use;
 * whether the partition agrees with the region is checked by
 * endpoint_check_arn_partition() (endpoint.h), not here.
 *
 * Errors: each parser returns 0 on success and fills *out; on failure it returns -1,
 * zeroes *out and writes a reason naming the part and the problem into err (always
 * NUL-terminated when errsz > 0; err may be NULL). Offending text is quoted with
 * non-printable bytes escaped as \xNN and long values shortened with "...".
 * An embedded NUL ends the C string, so what follows it is never seen; the text
 * before it is then judged on its own (and is normally rejected as incomplete).
 */
#ifndef S3T_ARN_H
#define S3T_ARN_H

#include <stddef.h>

#define ARN_MAX_LEN 2048

struct arn {
	char partition[32]; /* "aws", "aws-cn", ... */
	char region[64];    /* "us-east-1" */
	char account[13];   /* 12 digits */
	char bucket[64];    /* table bucket name */
	char table_id[256]; /* "" for a table-bucket ARN */
	int is_table;       /* 1 for a table ARN, 0 for a table-bucket ARN */
	/* The table-bucket ARN: for a table ARN the input with "/table/{id}" stripped,
	 * for a bucket ARN the input itself. At most 191 characters by the limits above. */
	char bucket_arn[256];
};

/* A table ARN (".../bucket/{bucket}/table/{id}"); a table-bucket ARN is rejected. */
int arn_parse_table(const char *text, struct arn *out, char *err, size_t errsz);

/* A table-bucket ARN (".../bucket/{bucket}"); a table ARN is rejected. */
int arn_parse_bucket(const char *text, struct arn *out, char *err, size_t errsz);

/* Either shape; out->is_table says which one it was. */
int arn_parse(const char *text, struct arn *out, char *err, size_t errsz);

#endif
