/*
 * test_arn.c - table and table-bucket ARN parsing (lib/aws/arn.c).
 */
#include <stdlib.h>
#include <string.h>

#include "arn.h"
#include "tap.h"

#define ACCT "111122223333"
#define TID "55511111-7a03-4513-b921-e372b0030daf"

static void valid_table(const char *text, const char *partition, const char *region, const char *bucket,
			const char *table_id, const char *bucket_arn)
{
	struct arn a;
	char err[512] = "";
	int rc = arn_parse_table(text, &a, err, sizeof err);
	if (!ok(rc == 0, "table ARN accepted: %s", text)) {
		tap_diag_text("error", err);
		return;
	}
	is_str(a.partition, partition, "  partition %s", partition);
	is_str(a.region, region, "  region %s", region);
	is_str(a.account, ACCT, "  account");
	is_str(a.bucket, bucket, "  bucket %s", bucket);
	is_str(a.table_id, table_id, "  table id");
	is_int(a.is_table, 1, "  is_table");
	is_str(a.bucket_arn, bucket_arn, "  bucket ARN");
	/* arn_parse accepts it too, with the same result. */
	struct arn b;
	ok(arn_parse(text, &b, err, sizeof err) == 0 && memcmp(&a, &b, sizeof a) == 0, "  arn_parse agrees");
}

static void valid_bucket(const char *text, const char *partition, const char *region, const char *bucket)
{
	struct arn a;
	char err[512] = "";
	int rc = arn_parse_bucket(text, &a, err, sizeof err);
	if (!ok(rc == 0, "bucket ARN accepted: %s", text)) {
		tap_diag_text("error", err);
		return;
	}
	is_str(a.partition, partition, "  partition %s", partition);
	is_str(a.region, region, "  region %s", region);
	is_str(a.bucket, bucket, "  bucket %s", bucket);
	is_str(a.table_id, "", "  no table id");
	is_int(a.is_table, 0, "  is_table 0");
	is_str(a.bucket_arn, text, "  bucket ARN is the input");
}

enum kind { K_TABLE, K_BUCKET, K_EITHER };

static void invalid(enum kind k, const char *label, const char *text, const char *want)
{
	struct arn a;
	char err[512] = "";
	int rc;
	memset(&a, 0x5a, sizeof a);
	if (k == K_TABLE)
		rc = arn_parse_table(text, &a, err, sizeof err);
	else if (k == K_BUCKET)
		rc = arn_parse_bucket(text, &a, err, sizeof err);
	else
		rc = arn_parse(text, &a, err, sizeof err);
	int zeroed = a.partition[0] == 0 && a.region[0] == 0 && a.bucket[0] == 0 && a.bucket_arn[0] == 0 &&
		     a.is_table == 0;
	if (!ok(rc == -1 && zeroed && strstr(err, want) != NULL, "%s rejected: %s", k == K_TABLE ? "table" : k == K_BUCKET ? "bucket" : "ARN", label)) {
		tap_diag_text("error", err);
		tap_diag_text("expected substring", want);
		printf("#   rc %d, zeroed %d\n", rc, zeroed);
	}
}

int main(void)
{
	static const struct {
		const char *partition, *region;
	} parts[] = {
		{"aws", "us-east-1"},       {"aws-cn", "cn-north-1"},        {"aws-us-gov", "us-gov-west-1"},
		{"aws-iso", "us-iso-east-1"}, {"aws-iso-b", "us-isob-east-1"}, {"aws-iso-e", "eu-isoe-west-1"},
		{"aws-iso-f", "us-isof-south-1"}, {"aws-eusc", "eusc-de-east-1"},
	};
	char buf[4096], bucket_arn[256];

	/* Valid ARNs in every partition. */
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		snprintf(bucket_arn, sizeof bucket_arn, "arn:%s:s3tables:%s:" ACCT ":bucket/my-bucket", parts[i].partition,
			 parts[i].region);
		snprintf(buf, sizeof buf, "%s/table/" TID, bucket_arn);
		valid_table(buf, parts[i].partition, parts[i].region, "my-bucket", TID, bucket_arn);
		valid_bucket(bucket_arn, parts[i].partition, parts[i].region, "my-bucket");
	}

	/* Boundaries that are valid. */
	valid_bucket("arn:aws:s3tables:us-east-1:" ACCT ":bucket/abc", "aws", "us-east-1", "abc");
	valid_bucket("arn:aws:s3tables:us-east-1:" ACCT ":bucket/a_b-c9", "aws", "us-east-1", "a_b-c9");
	{
		char b63[64];
		memset(b63, 'b', 63);
		b63[63] = 0;
		snprintf(buf, sizeof buf, "arn:aws:s3tables:us-west-2:" ACCT ":bucket/%s", b63);
		valid_bucket(buf, "aws", "us-west-2", b63);
	}
	valid_table("arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x", "aws", "us-east-1", "bkt", "x",
		    "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt");
	valid_table("arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/Ab_9-Z", "aws", "us-east-1", "bkt", "Ab_9-Z",
		    "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt");
	{
		char id[256];
		memset(id, 'T', 255);
		id[255] = 0;
		snprintf(buf, sizeof buf, "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/%s", id);
		valid_table(buf, "aws", "us-east-1", "bkt", id, "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt");
	}
	/* arn_parse reports which shape it saw. */
	{
		struct arn a;
		char err[256];
		ok(arn_parse("arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt", &a, err, sizeof err) == 0 && a.is_table == 0,
		   "arn_parse: bucket ARN has is_table 0");
	}

	/* Malformed. */
	const char *T = "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/" TID;
	const char *B = "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt";
	invalid(K_TABLE, "NULL", NULL, "ARN is missing");
	invalid(K_TABLE, "empty", "", "ARN is empty");
	invalid(K_TABLE, "wrong prefix", "urn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x", "does not start with 'arn:'");
	invalid(K_TABLE, "upper-case prefix", "ARN:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x", "does not start with 'arn:'");
	invalid(K_BUCKET, "empty partition", "arn::s3tables:us-east-1:" ACCT ":bucket/bkt", "partition is empty");
	invalid(K_BUCKET, "partition not aws*", "arn:gcp:s3tables:us-east-1:" ACCT ":bucket/bkt", "partition 'gcp' does not start with 'aws'");
	invalid(K_BUCKET, "partition upper case", "arn:AWS:s3tables:us-east-1:" ACCT ":bucket/bkt", "partition 'AWS' does not start with 'aws'");
	invalid(K_BUCKET, "partition bad char", "arn:aws_cn:s3tables:us-east-1:" ACCT ":bucket/bkt", "partition 'aws_cn' contains '_'");
	invalid(K_BUCKET, "partition too long", "arn:aws-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:s3tables:us-east-1:" ACCT ":bucket/bkt", "is longer than 31 characters");
	invalid(K_TABLE, "wrong service s3", "arn:aws:s3:us-east-1:" ACCT ":bucket/bkt/table/x", "service 's3' is not 's3tables'");
	invalid(K_TABLE, "wrong service S3Tables", "arn:aws:S3Tables:us-east-1:" ACCT ":bucket/bkt/table/x", "service 'S3Tables' is not 's3tables'");
	invalid(K_TABLE, "empty service", "arn:aws::us-east-1:" ACCT ":bucket/bkt/table/x", "service '' is not 's3tables'");
	invalid(K_TABLE, "empty region", "arn:aws:s3tables::" ACCT ":bucket/bkt/table/x", "region is empty");
	invalid(K_BUCKET, "empty region (bucket)", "arn:aws:s3tables::" ACCT ":bucket/bkt", "region is empty");
	invalid(K_TABLE, "upper-case region", "arn:aws:s3tables:US-EAST-1:" ACCT ":bucket/bkt/table/x", "region 'US-EAST-1' contains 'U'");
	invalid(K_TABLE, "region with dot", "arn:aws:s3tables:us-east-1.evil.com:" ACCT ":bucket/bkt/table/x", "region 'us-east-1.evil.com' contains '.'");
	invalid(K_TABLE, "region too long", "arn:aws:s3tables:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:" ACCT ":bucket/bkt/table/x", "is longer than 63 characters");
	invalid(K_TABLE, "11-digit account", "arn:aws:s3tables:us-east-1:11112222333:bucket/bkt/table/x", "account '11112222333' is not 12 digits (it has 11)");
	invalid(K_TABLE, "13-digit account", "arn:aws:s3tables:us-east-1:1111222233334:bucket/bkt/table/x", "account '1111222233334' is not 12 digits (it has 13)");
	invalid(K_TABLE, "5-digit account", "arn:aws:s3tables:us-east-1:12345:bucket/bkt/table/x", "account '12345' is not 12 digits");
	invalid(K_TABLE, "empty account", "arn:aws:s3tables:us-east-1::bucket/bkt/table/x", "account is empty");
	invalid(K_TABLE, "non-digit account", "arn:aws:s3tables:us-east-1:11112222333a:bucket/bkt/table/x", "account '11112222333a' contains 'a'");
	invalid(K_BUCKET, "empty resource", "arn:aws:s3tables:us-east-1:" ACCT ":", "resource is empty");
	invalid(K_BUCKET, "resource not bucket/", "arn:aws:s3tables:us-east-1:" ACCT ":table/bkt", "resource 'table/bkt' does not start with 'bucket/'");
	invalid(K_BUCKET, "resource Bucket/", "arn:aws:s3tables:us-east-1:" ACCT ":Bucket/bkt", "does not start with 'bucket/'");
	invalid(K_BUCKET, "empty bucket name", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/", "bucket name is empty");
	invalid(K_TABLE, "empty bucket name (table)", "arn:aws:s3tables:us-east-1:" ACCT ":bucket//table/x", "bucket name is empty");
	invalid(K_BUCKET, "upper-case bucket", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/MyBucket", "bucket name 'MyBucket' contains 'M'");
	invalid(K_TABLE, "upper-case bucket (table)", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/myBucket/table/x", "bucket name 'myBucket' contains 'B'");
	invalid(K_BUCKET, "bucket with dot", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/my.bucket", "bucket name 'my.bucket' contains '.'");
	invalid(K_BUCKET, "2-char bucket", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/ab", "bucket name 'ab' is 2 characters long; it must be 3 to 63");
	invalid(K_BUCKET, "64-char bucket", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "is 64 characters long; it must be 3 to 63");
	invalid(K_TABLE, "missing table id", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/", "table id is missing");
	invalid(K_TABLE, "missing /table/ id", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table", "table id is missing");
	invalid(K_TABLE, "wrong table keyword", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/tables/x", "expected '/table/<table-id>' after bucket name 'bkt', found '/tables/x'");
	invalid(K_TABLE, "table id with '.'", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/a.b", "table id 'a.b' contains '.'");
	invalid(K_TABLE, "table id with '/'", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/a/b", "table id 'a/b' contains '/'");
	{
		char id[257];
		memset(id, 'T', 256);
		id[256] = 0;
		snprintf(buf, sizeof buf, "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/%s", id);
		invalid(K_TABLE, "256-char table id", buf, "is 256 characters long; the maximum is 255");
	}
	invalid(K_TABLE, "extra colon in resource", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x:y", "ARN has 7 ':'-separated fields, expected 6");
	invalid(K_TABLE, "extra colon field", "arn:aws:s3tables:us-east-1:extra:" ACCT ":bucket/bkt/table/x", "ARN has 7 ':'-separated fields");
	invalid(K_TABLE, "too few fields", "arn:aws:s3tables:us-east-1:bucket/bkt/table/x", "ARN has 5 ':'-separated fields");
	invalid(K_TABLE, "just arn:", "arn:", "ARN has 2 ':'-separated fields");
	invalid(K_TABLE, "trailing slash (table)", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/" TID "/", "trailing '/' after table id '" TID "'");
	invalid(K_BUCKET, "trailing slash (bucket)", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/", "trailing '/' after bucket name 'bkt'");
	invalid(K_TABLE, "trailing slash (table wanted, bucket given)", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/", "trailing '/' after bucket name 'bkt'");
	invalid(K_TABLE, "bucket ARN where table expected", B, "is a table bucket ARN, but a table ARN");
	invalid(K_BUCKET, "table ARN where bucket expected", T, "is a table ARN, but a table bucket ARN ('.../bucket/<name>') is required (the table's bucket ARN is '" "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt')");
	invalid(K_BUCKET, "namespace-style resource", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/ns/tbl", "unexpected '/ns/tbl' after bucket name 'bkt'");
	invalid(K_EITHER, "arn_parse: junk after bucket", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/x", "expected '/table/<table-id>'");
	{
		/* 2049 characters: a table ARN with a very long (otherwise invalid) id. */
		size_t pre = strlen("arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/");
		memcpy(buf, "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/", pre);
		memset(buf + pre, 'x', 2049 - pre);
		buf[2049] = 0;
		invalid(K_TABLE, "2049 characters", buf, "ARN is longer than 2048 characters");
		buf[2048] = 0;
		invalid(K_TABLE, "2048 characters (length fine, table id too long)", buf, "table id 'xxxx");
		memset(buf, 'a', 4000);
		buf[4000] = 0;
		invalid(K_TABLE, "4000 characters", buf, "ARN is longer than 2048 characters");
	}
	invalid(K_TABLE, "space", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/a b", "ARN contains whitespace (byte 0x20) at offset");
	invalid(K_TABLE, "leading space", " arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x", "whitespace (byte 0x20) at offset 0");
	invalid(K_TABLE, "trailing newline", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x\n", "whitespace (byte 0x0a)");
	invalid(K_TABLE, "tab", "arn:aws:s3tables:us-east-1:\t" ACCT ":bucket/bkt/table/x", "whitespace (byte 0x09) at offset 27");
	invalid(K_TABLE, "CR LF injection", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x\r\nX-Evil: 1", "whitespace (byte 0x0d)");
	invalid(K_TABLE, "control char 0x01", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x\x01", "control character (byte 0x01)");
	invalid(K_TABLE, "DEL", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/x\x7f", "control character (byte 0x7f)");
	invalid(K_TABLE, "escape", "arn:aws:s3tables:us-east\x1b[31m:" ACCT ":bucket/bkt/table/x", "control character (byte 0x1b)");
	invalid(K_TABLE, "non-ASCII", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/b\xc3\xa9k/table/x", "non-ASCII byte (0xc3)");
	/* An embedded NUL ends the C string: what is left is judged (and rejected) alone. */
	invalid(K_TABLE, "embedded NUL in bucket", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bk\0t/table/x", "bucket name 'bk' is 2 characters long");
	invalid(K_TABLE, "embedded NUL before table id", "arn:aws:s3tables:us-east-1:" ACCT ":bucket/bkt/table/\0x", "table id is missing");
	invalid(K_TABLE, "embedded NUL in account", "arn:aws:s3tables:us-east-1:1111\0" "22223333:bucket/bkt/table/x", "ARN has 5 ':'-separated fields");

	/* Error buffers: tiny buffer is NUL-terminated, NULL err is allowed. */
	{
		struct arn a;
		char tiny[8];
		memset(tiny, 'Z', sizeof tiny);
		ok(arn_parse_table("nope", &a, tiny, sizeof tiny) == -1 && tiny[7] == 0 && strlen(tiny) == 7,
		   "short error buffer is truncated and NUL-terminated");
		ok(arn_parse_table("nope", &a, NULL, 0) == -1, "NULL error buffer is allowed");
		ok(arn_parse_table(T, NULL, NULL, 0) == -1, "NULL output structure is rejected");
	}
	/* Offending text in messages is escaped and shortened. */
	{
		struct arn a;
		char err[512];
		memset(buf, 0, sizeof buf);
		strcpy(buf, "arn:aws:s3tables:us-east-1:" ACCT ":bucket/");
		memset(buf + strlen(buf), 'B', 500);
		arn_parse_bucket(buf, &a, err, sizeof err);
		ok(strstr(err, "BBB...'") != NULL && strlen(err) < 200, "long bucket name is shortened in the message");
		tap_diag_text("message", err);
	}
	return tap_done();
}
