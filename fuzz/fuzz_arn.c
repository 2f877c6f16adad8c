/*
 * fuzz_arn.c - S3 Tables ARNs (arn.h). Input: the ARN text.
 * Properties: an accepted ARN is rebuilt exactly from its parsed fields
 * ("arn:{partition}:s3tables:{region}:{account}:bucket/{bucket}[/table/{id}]"),
 * bucket_arn is that text without "/table/{id}", and the shape-specific parsers
 * agree with arn_parse() (arn_parse_table() accepts exactly the table ARNs,
 * arn_parse_bucket() exactly the bucket ARNs, with the same fields). Every
 * message is printable ASCII (offending bytes are escaped) and renders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arn.h"
#include "fuzz.h"

static void check_err(const char *err, const char *what)
{
	fz_check_message(err, 512, what);
	for (const char *p = err; *p; p++)
		FZ_ASSERT(*p >= 0x20 && *p < 0x7f, "%s: message with byte 0x%02x: %s", what, (unsigned char)*p, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fz_strndup(data, size);
	struct arn a, t, b;
	char err[512], rebuilt[ARN_MAX_LEN + 64];
	int rc = arn_parse(text, &a, err, sizeof err);
	int rt = arn_parse_table(text, &t, err, sizeof err);
	if (rt)
		check_err(err, "arn_parse_table");
	int rb = arn_parse_bucket(text, &b, err, sizeof err);
	if (rb)
		check_err(err, "arn_parse_bucket");
	if (rc) {
		check_err(err, "arn_parse");
		FZ_ASSERT(rt && rb, "\"%s\": arn_parse refuses what a shape parser accepts", text);
		free(text);
		return 0;
	}
	int n = snprintf(rebuilt, sizeof rebuilt, "arn:%s:s3tables:%s:%s:bucket/%s", a.partition, a.region, a.account,
			 a.bucket);
	FZ_ASSERT(strcmp(rebuilt, a.bucket_arn) == 0, "\"%s\": bucket_arn \"%s\", rebuilt \"%s\"", text, a.bucket_arn,
		  rebuilt);
	if (a.is_table)
		snprintf(rebuilt + n, sizeof rebuilt - (size_t)n, "/table/%s", a.table_id);
	else
		FZ_ASSERT(a.table_id[0] == '\0', "\"%s\": a bucket ARN with a table id", text);
	FZ_ASSERT(strcmp(rebuilt, text) == 0, "\"%s\" rebuilt as \"%s\"", text, rebuilt);
	FZ_ASSERT(rt == (a.is_table ? 0 : -1) && rb == (a.is_table ? -1 : 0),
		  "\"%s\": arn_parse says is_table=%d, the shape parsers %d/%d", text, a.is_table, rt, rb);
	FZ_ASSERT(memcmp(a.is_table ? &t : &b, &a, sizeof a) == 0, "\"%s\": the shape parser gives other fields", text);
	free(text);
	return 0;
}
