/*
 * test_s3tables_parse.c - response parsing for the S3 Tables operations
 * (s3t_parse_* in lib/aws/s3tables.c).
 *
 * Bodies follow botocore's s3tables 2018-05-10 model (see
 * shared/reference/s3tables-api.md) and the User Guide's alternate spellings;
 * the rest are malformed on purpose. Every rejection must name the field path
 * and leave the output struct zeroed (ASan/valgrind catch what is not freed).
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>

#include "s3tables.h"
#include "tap.h"

#define TS 1440938160.0 /* 2015-08-30T12:36:00Z */
#define ARN_T "arn:aws:s3tables:us-east-1:111122223333:bucket/src/table/55511111-7a03-4513-b921-e372b0030daf"
#define ARN_B1 "arn:aws:s3tables:us-west-2:111122223333:bucket/dr-a"
#define ARN_B2 "arn:aws:s3tables:eu-west-1:444455556666:bucket/dr-b"

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i])
			return 0;
	return 1;
}

/* ---- replication --------------------------------------------------------- */

static int rep(const char *body, struct s3t_replication_status *r, char *err, size_t errsz)
{
	return s3t_parse_replication_status(body, body ? strlen(body) : 0, r, err, errsz);
}

/* body (len bytes) rejected with err containing needle, output zeroed */
static void rep_rejects_n(const char *body, size_t len, const char *needle, const char *why)
{
	struct s3t_replication_status r;
	char err[512] = "";
	memset(&r, 0x5a, sizeof r);
	int rc = s3t_parse_replication_status(body, len, &r, err, sizeof err);
	int good = rc == -1 && err[0] && strstr(err, needle) && all_zero(&r, sizeof r);
	if (!ok(good, "replication: %s rejected: %s", why, err))
		printf("#   rc %d, wanted reason containing '%s'\n", rc, needle);
}

static void rep_rejects(const char *body, const char *needle, const char *why)
{
	rep_rejects_n(body, strlen(body), needle, why);
}

static void test_replication(void)
{
	struct s3t_replication_status r;
	char err[512];

	/* The model's spelling, two destinations, everything set. */
	const char *model =
		"{\"sourceTableArn\":\"" ARN_T "\",\"destinations\":["
		"{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":\"" ARN_B1 "\","
		"\"destinationTableArn\":\"" ARN_B1 "/table/t1\","
		"\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"s3://x/metadata/00001.json\","
		"\"timestamp\":\"2015-08-30T14:36:00.25+02:00\"}},"
		"{\"replicationStatus\":\"failed\",\"destinationTableBucketArn\":\"" ARN_B2 "\","
		"\"failureMessage\":\"KMS key disabled\",\"someFutureField\":{\"a\":[1,2]}}"
		"],\"extra\":true}";
	memset(err, 0, sizeof err);
	int rc = rep(model, &r, err, sizeof err);
	ok(rc == 0, "replication: model spelling parses (%s)", err);
	is_str(r.source_table_arn, ARN_T, "sourceTableArn");
	is_int(r.ndestinations, 2, "two destinations");
	if (rc == 0 && r.ndestinations == 2) {
		is_str(r.destinations[0].status, "completed", "destinations[0].replicationStatus");
		is_str(r.destinations[0].bucket_arn, ARN_B1, "destinations[0].destinationTableBucketArn");
		is_str(r.destinations[0].table_arn, ARN_B1 "/table/t1", "destinations[0].destinationTableArn");
		ok(r.destinations[0].has_last_update && r.destinations[0].last_update == TS + 0.25,
		   "destinations[0] last update = 2015-08-30T12:36:00.25Z (offset applied): %.3f",
		   r.destinations[0].last_update);
		ok(r.destinations[0].failure_message == NULL, "destinations[0] has no failure message");
		is_str(r.destinations[1].status, "failed", "destinations[1].replicationStatus");
		is_str(r.destinations[1].bucket_arn, ARN_B2, "destinations[1] bucket");
		ok(r.destinations[1].table_arn == NULL, "destinations[1] has no table ARN");
		ok(!r.destinations[1].has_last_update, "destinations[1] has no last update");
		is_str(r.destinations[1].failure_message, "KMS key disabled", "destinations[1].failureMessage");
	}
	s3t_replication_status_free(&r);
	ok(all_zero(&r, sizeof r), "s3t_replication_status_free zeroes the struct");
	s3t_replication_status_free(&r); /* a second free is harmless */
	s3t_replication_status_free(NULL);

	/* The User Guide's example spelling. */
	rc = rep("{\"sourceTableARN\":\"" ARN_T "\",\"destinations\":[{\"replicationStatus\":\"COMPLETED\","
		 "\"destinationBucketARN\":\"" ARN_B1 "\",\"destinationTableARN\":\"" ARN_B1 "/table/t9\","
		 "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"s3://m\",\"timestamp\":\"2015-08-30T12:36:00Z\"}}]}",
		 &r, err, sizeof err);
	ok(rc == 0, "replication: User Guide spelling parses (%s)", rc ? err : "");
	is_str(r.source_table_arn, ARN_T, "sourceTableARN accepted");
	if (rc == 0 && r.ndestinations == 1) {
		is_str(r.destinations[0].bucket_arn, ARN_B1, "destinationBucketARN accepted");
		is_str(r.destinations[0].table_arn, ARN_B1 "/table/t9", "destinationTableARN accepted");
		is_str(r.destinations[0].status, "COMPLETED", "status kept as sent (no case folding)");
		ok(r.destinations[0].last_update == TS, "last update parsed");
	} else {
		ok(0, "User Guide spelling: one destination");
	}
	s3t_replication_status_free(&r);

	/* Both spellings present: the model's wins. */
	rc = rep("{\"sourceTableARN\":\"guide\",\"sourceTableArn\":\"model\",\"destinations\":[]}", &r, err, sizeof err);
	ok(rc == 0, "both spellings present parses");
	is_str(r.source_table_arn, "model", "the model's spelling wins over the User Guide's");
	s3t_replication_status_free(&r);

	/* Empty destinations: valid JSON, the plugin decides what zero means. */
	rc = rep("{\"sourceTableArn\":\"x\",\"destinations\":[]}", &r, err, sizeof err);
	ok(rc == 0 && r.ndestinations == 0, "empty destinations array parses to 0 destinations");
	s3t_replication_status_free(&r);

	/* Whitespace around the document is fine. */
	rc = rep(" \r\n\t{ \"sourceTableArn\" : \"x\" , \"destinations\" : [ ] }\n\n", &r, err, sizeof err);
	ok(rc == 0, "whitespace around and inside the document is accepted (%s)", rc ? err : "");
	s3t_replication_status_free(&r);

	/* JSON null counts as absent. */
	rc = rep("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\","
		 "\"destinationTableBucketArn\":\"b\",\"destinationTableArn\":null,\"failureMessage\":null,"
		 "\"lastSuccessfulReplicatedUpdate\":null}]}",
		 &r, err, sizeof err);
	ok(rc == 0 && r.ndestinations == 1 && !r.destinations[0].table_arn && !r.destinations[0].failure_message &&
	   !r.destinations[0].has_last_update,
	   "null optional fields are treated as absent (%s)", rc ? err : "");
	s3t_replication_status_free(&r);
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":null,\"destinationTableBucketArn\":\"b\"}]}",
		    "destinations[0].replicationStatus: required field missing", "null required field");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":null}", "destinations: required field missing",
		    "null destinations");
	rep_rejects("{\"sourceTableArn\":null,\"destinations\":[]}", "sourceTableArn: required field missing",
		    "null sourceTableArn");

	/* A 5000-character failure message survives intact, escapes decoded. */
	{
		size_t n = 5000;
		char *msg = malloc(n + 1), *body = malloc(n + 512);
		for (size_t i = 0; i < n; i++)
			msg[i] = (char)('a' + i % 26);
		msg[n] = 0;
		snprintf(body, n + 512,
			 "{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"failed\","
			 "\"destinationTableBucketArn\":\"b\",\"failureMessage\":\"%s\"}]}", msg);
		rc = rep(body, &r, err, sizeof err);
		ok(rc == 0 && r.ndestinations == 1 && r.destinations[0].failure_message &&
		   strcmp(r.destinations[0].failure_message, msg) == 0,
		   "5000-character failureMessage kept intact");
		s3t_replication_status_free(&r);
		free(msg);
		free(body);
	}
	rc = rep("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"failed\","
		 "\"destinationTableBucketArn\":\"b\",\"failureMessage\":\"a|b\\nc\\u00e9\\\"d\"}]}",
		 &r, err, sizeof err);
	ok(rc == 0 && r.ndestinations == 1, "failureMessage with escapes parses");
	if (rc == 0 && r.ndestinations == 1)
		is_str(r.destinations[0].failure_message, "a|b\nc\xc3\xa9\"d", "escapes decoded, text as sent (output sanitises)");
	s3t_replication_status_free(&r);

	/* Missing required fields, named by path. */
	rep_rejects("{\"destinations\":[]}", "sourceTableArn: required field missing", "missing sourceTableArn");
	rep_rejects("{\"sourceTableArn\":\"x\"}", "destinations: required field missing", "missing destinations");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":\"b\"},"
		    "{\"destinationTableBucketArn\":\"b2\"}]}",
		    "destinations[1].replicationStatus: required field missing", "missing destinations[1].replicationStatus");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"completed\"}]}",
		    "destinations[0].destinationTableBucketArn: required field missing", "missing bucket ARN");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"s3://m\"}}]}",
		    "destinations[0].lastSuccessfulReplicatedUpdate.timestamp: required field missing",
		    "lastSuccessfulReplicatedUpdate without timestamp");

	/* Wrong types. */
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":\"b\"},"
		    "{\"replicationStatus\":3,\"destinationTableBucketArn\":\"b\"}]}",
		    "destinations[1].replicationStatus: expected a string, got number", "number for a string");
	rep_rejects("{\"sourceTableArn\":{\"a\":1},\"destinations\":[]}", "sourceTableArn: expected a string, got object",
		    "object for a string");
	rep_rejects("{\"sourceTableArn\":[\"x\"],\"destinations\":[]}", "sourceTableArn: expected a string, got array",
		    "array for a string");
	rep_rejects("{\"sourceTableARN\":true,\"destinations\":[]}", "expected a string, got boolean",
		    "boolean for the alternate spelling");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":\"completed\"}", "destinations: expected an array, got string",
		    "string for an array");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":{\"replicationStatus\":\"completed\"}}",
		    "destinations: expected an array, got object", "object for an array");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[\"completed\"]}", "destinations[0]: expected an object, got string",
		    "string element in destinations");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":\"b\"},null]}",
		    "destinations[1]: expected an object, got null", "null element in destinations");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":7.5}]}",
		    "destinations[0].destinationTableBucketArn: expected a string, got number", "fractional number for a string");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"failed\",\"destinationTableBucketArn\":\"b\","
		    "\"failureMessage\":{\"text\":\"x\"}}]}",
		    "destinations[0].failureMessage: expected a string, got object", "object failureMessage");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":\"2015-08-30T12:36:00Z\"}]}",
		    "destinations[0].lastSuccessfulReplicatedUpdate: expected an object, got string", "string for an object");

	/* Timestamps. */
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"m\",\"timestamp\":\"yesterday\"}}]}",
		    "destinations[0].lastSuccessfulReplicatedUpdate.timestamp: 'yesterday' is not a timestamp", "bad timestamp");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"m\",\"timestamp\":1440938160}}]}",
		    "destinations[0].lastSuccessfulReplicatedUpdate.timestamp: expected a string, got number",
		    "epoch-seconds number (restJson1 default) instead of iso8601");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"m\",\"timestamp\":\"2023-02-29T00:00:00Z\"}}]}",
		    "not a timestamp", "impossible date");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		    "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"m\",\"timestamp\":\"2015-08-30T12:36:00\"}}]}",
		    "no time zone", "timestamp without zone");
	rc = rep("{\"sourceTableArn\":\"x\",\"destinations\":[{\"replicationStatus\":\"pending\",\"destinationTableBucketArn\":\"b\","
		 "\"lastSuccessfulReplicatedUpdate\":{\"metadataLocation\":\"m\",\"timestamp\":\"2015-08-30T07:06:00.857000-05:30\"}}]}",
		 &r, err, sizeof err);
	ok(rc == 0 && r.ndestinations == 1 && r.destinations[0].has_last_update &&
	   r.destinations[0].last_update > TS + 0.856 && r.destinations[0].last_update < TS + 0.858,
	   "timestamp with fraction and -05:30 offset");
	s3t_replication_status_free(&r);

	/* Not one JSON object. */
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[]} x", "data after the JSON", "trailing garbage");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[]}{}", "data after the JSON", "a second document");
	rep_rejects("{\"sourceTableArn\":\"x\",\"destinations\":[", "truncated", "truncated JSON");
	rep_rejects("{\"sourceTableArn\":\"x", "truncated", "truncated inside a string");
	{
		static const char inside[] = "{\"sourceTableArn\":\"x\0y\",\"destinations\":[]}";
		static const char after[] = "{\"sourceTableArn\":\"x\",\"destinations\":[]}\0";
		rep_rejects_n(inside, sizeof inside - 1, "NUL byte", "NUL byte inside");
		rep_rejects_n(after, sizeof after - 1, "NUL byte", "NUL byte after the document");
	}
	rep_rejects("[{\"sourceTableArn\":\"x\",\"destinations\":[]}]", "JSON array, expected an object", "top-level array");
	rep_rejects("\"sourceTableArn\"", "JSON string, expected an object", "top-level string");
	rep_rejects("null", "JSON", "top-level null");
	rep_rejects("true", "JSON", "top-level true");
	rep_rejects("null ", "JSON null, expected an object", "top-level null with a newline");
	rep_rejects("42", "JSON", "top-level number");
	rep_rejects("<html><body>502 Bad Gateway</body></html>", "not valid JSON", "an HTML error page");
	rep_rejects("", "empty", "empty body");
	rep_rejects("   \n", "JSON", "whitespace-only body");
	rep_rejects_n(NULL, 0, "empty", "NULL body");
	rep_rejects("{\"sourceTableArn\":\"x\" \"destinations\":[]}", "not valid JSON", "missing comma");

	/* Deep nesting must be refused, not recursed into. */
	{
		size_t n = 10000;
		char *deep = malloc(n + 64);
		memset(deep, '[', n);
		deep[n] = 0;
		rep_rejects(deep, "JSON", "10000 '[' at top level");
		strcpy(deep, "{\"sourceTableArn\":\"x\",\"destinations\":");
		size_t pre = strlen(deep);
		memset(deep + pre, '[', n - pre);
		memset(deep + n / 2 + pre / 2, ']', n - (n / 2 + pre / 2));
		deep[n] = '}';
		deep[n + 1] = 0;
		rep_rejects(deep, "JSON", "deeply nested destinations");
		free(deep);
	}

	/* Every proper prefix of a valid body is rejected (and nothing leaks or crashes). */
	{
		size_t len = strlen(model), bad = 0;
		for (size_t cut = 0; cut < len; cut++) {
			struct s3t_replication_status p;
			if (s3t_parse_replication_status(model, cut, &p, err, sizeof err) != -1 || !all_zero(&p, sizeof p))
				bad++;
		}
		ok(bad == 0, "all %zu proper prefixes of a valid body are rejected (%zu accepted)", len, bad);
	}

	/* More destinations than the model could ever send. */
	{
		size_t n = 1001, cap = 64 + n * 128;
		char *body = malloc(cap);
		size_t o = (size_t)snprintf(body, cap, "{\"sourceTableArn\":\"x\",\"destinations\":[");
		for (size_t i = 0; i < n; i++)
			o += (size_t)snprintf(body + o, cap - o, "%s{\"replicationStatus\":\"completed\",\"destinationTableBucketArn\":\"b\"}",
					      i ? "," : "");
		snprintf(body + o, cap - o, "]}");
		rep_rejects(body, "destinations", "1001 destinations");
		free(body);
	}

	/* A tiny error buffer is still terminated. */
	{
		char small[8];
		memset(small, 'x', sizeof small);
		rc = rep("{\"destinations\":[]}", &r, small, sizeof small);
		ok(rc == -1 && memchr(small, 0, sizeof small) != NULL, "reason truncated to an 8-byte buffer stays terminated: '%s'",
		   small);
	}
}

/* ---- record expiration --------------------------------------------------- */

static int exp_parse(const char *body, struct s3t_expiration_status *e, char *err, size_t errsz)
{
	return s3t_parse_expiration_status(body, strlen(body), e, err, errsz);
}

static void exp_rejects(const char *body, const char *needle, const char *why)
{
	struct s3t_expiration_status e;
	char err[512] = "";
	memset(&e, 0x5a, sizeof e);
	int rc = exp_parse(body, &e, err, sizeof err);
	int good = rc == -1 && strstr(err, needle) && all_zero(&e, sizeof e);
	if (!ok(good, "expiration: %s rejected: %s", why, err))
		printf("#   rc %d, wanted reason containing '%s'\n", rc, needle);
}

static void test_expiration(void)
{
	struct s3t_expiration_status e;
	char err[512] = "";
	static const char *statuses[] = {"NotYetRun", "Successful", "Failed", "Disabled", "SomethingNew"};
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
		char body[128];
		snprintf(body, sizeof body, "{\"status\":\"%s\"}", statuses[i]);
		int rc = exp_parse(body, &e, err, sizeof err);
		ok(rc == 0 && e.status && strcmp(e.status, statuses[i]) == 0 && !e.has_last_run && !e.has_metrics &&
		   !e.failure_message,
		   "expiration: status %s alone parses, nothing else set", statuses[i]);
		s3t_expiration_status_free(&e);
	}

	int rc = exp_parse("{\"status\":\"Successful\",\"lastRunTimestamp\":\"2015-08-30T12:36:00.5Z\","
			   "\"metrics\":{\"deletedDataFiles\":12,\"deletedRecords\":9223372036854775807,"
			   "\"removedFilesSize\":0}}",
			   &e, err, sizeof err);
	ok(rc == 0, "expiration: full Successful body parses (%s)", rc ? err : "");
	ok(e.has_last_run && e.last_run == TS + 0.5, "lastRunTimestamp = %.1f", e.last_run);
	ok(e.has_metrics, "metrics present");
	ok(e.has_deleted_data_files && e.deleted_data_files == 12, "deletedDataFiles = 12");
	ok(e.has_deleted_records && e.deleted_records == INT64_MAX, "deletedRecords = INT64_MAX exactly (%" PRId64 ")",
	   e.deleted_records);
	ok(e.has_removed_files_size && e.removed_files_size == 0, "removedFilesSize = 0 is present, not absent");
	s3t_expiration_status_free(&e);
	ok(all_zero(&e, sizeof e), "s3t_expiration_status_free zeroes the struct");

	rc = exp_parse("{\"status\":\"Successful\",\"metrics\":{\"removedFilesSize\":1099511627776123}}", &e, err, sizeof err);
	ok(rc == 0 && e.has_metrics && !e.has_deleted_data_files && !e.has_deleted_records && e.has_removed_files_size &&
	   e.removed_files_size == INT64_C(1099511627776123),
	   "partial metrics: only removedFilesSize, exact above 2^53");
	s3t_expiration_status_free(&e);

	rc = exp_parse("{\"status\":\"Successful\",\"metrics\":{}}", &e, err, sizeof err);
	ok(rc == 0 && e.has_metrics && !e.has_deleted_data_files && !e.has_deleted_records && !e.has_removed_files_size,
	   "empty metrics object: present, no values");
	s3t_expiration_status_free(&e);

	rc = exp_parse("{\"status\":\"Successful\",\"metrics\":null,\"lastRunTimestamp\":null,\"failureMessage\":null}",
		       &e, err, sizeof err);
	ok(rc == 0 && !e.has_metrics && !e.has_last_run && !e.failure_message, "null metrics/timestamp/message are absent");
	s3t_expiration_status_free(&e);

	rc = exp_parse("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":-5}}", &e, err, sizeof err);
	ok(rc == 0 && e.has_deleted_records && e.deleted_records == -5, "negative metric kept as sent (the model's Long is signed)");
	s3t_expiration_status_free(&e);

	rc = exp_parse("{\"status\":\"Failed\",\"lastRunTimestamp\":\"2015-08-30T14:36:00+02:00\",\"failureMessage\":\"boom\"}",
		       &e, err, sizeof err);
	ok(rc == 0 && e.has_last_run && e.last_run == TS, "Failed with offset timestamp");
	is_str(e.failure_message, "boom", "failureMessage");
	s3t_expiration_status_free(&e);

	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":9223372036854775808}}", "metrics.deletedRecords",
		    "INT64_MAX + 1");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":18446744073709551615}}", "metrics.deletedRecords",
		    "UINT64_MAX");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":99999999999999999999999}}", "metrics.deletedRecords",
		    "far above 64 bits");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":-9223372036854775809}}", "metrics.deletedRecords",
		    "below INT64_MIN (json-c saturates it silently)");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":-99999999999999999999999}}", "metrics.deletedRecords",
		    "far below 64 bits");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedDataFiles\":1.5}}",
		    "metrics.deletedDataFiles: expected an integer, got number", "fractional number");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedDataFiles\":1.0}}",
		    "metrics.deletedDataFiles: expected an integer", "1.0");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"removedFilesSize\":1e3}}",
		    "metrics.removedFilesSize: expected an integer", "exponent");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":\"12\"}}",
		    "metrics.deletedRecords: expected an integer, got string", "number as a string");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":[1,2,3]}", "metrics: expected an object, got array", "metrics array");
	exp_rejects("{\"status\":\"Successful\",\"metrics\":{\"deletedRecords\":1,\"removedFilesSize\":true}}",
		    "metrics.removedFilesSize: expected an integer, got boolean", "boolean metric after a good one");
	exp_rejects("{\"lastRunTimestamp\":\"2015-08-30T12:36:00Z\"}", "status: required field missing", "missing status");
	exp_rejects("{\"status\":null}", "status: required field missing", "null status");
	exp_rejects("{\"status\":1}", "status: expected a string, got number", "numeric status");
	exp_rejects("{\"status\":\"Failed\",\"failureMessage\":42}", "failureMessage: expected a string, got number",
		    "numeric failureMessage");
	exp_rejects("{\"status\":\"Successful\",\"lastRunTimestamp\":\"2015-13-01T00:00:00Z\"}",
		    "lastRunTimestamp: '2015-13-01T00:00:00Z' is not a timestamp", "bad lastRunTimestamp");
	exp_rejects("{\"status\":\"Successful\",\"lastRunTimestamp\":1440938160}", "lastRunTimestamp: expected a string, got number",
		    "epoch-number lastRunTimestamp");
	exp_rejects("{\"status\":\"Successful\"", "truncated", "truncated");
	exp_rejects("{\"status\":\"Successful\"}]", "data after the JSON", "trailing bracket");
	exp_rejects("[\"Successful\"]", "expected an object", "top-level array");
}

/* ---- maintenance --------------------------------------------------------- */

static const struct s3t_maintenance_job *job(const struct s3t_maintenance_status *s, const char *type)
{
	for (size_t i = 0; i < s->njobs; i++)
		if (s->jobs[i].type && strcmp(s->jobs[i].type, type) == 0)
			return &s->jobs[i];
	return NULL;
}

static void mnt_rejects(const char *body, const char *needle, const char *why)
{
	struct s3t_maintenance_status s;
	char err[512] = "";
	memset(&s, 0x5a, sizeof s);
	int rc = s3t_parse_maintenance_status(body, strlen(body), &s, err, sizeof err);
	int good = rc == -1 && strstr(err, needle) && all_zero(&s, sizeof s);
	if (!ok(good, "maintenance: %s rejected: %s", why, err))
		printf("#   rc %d, wanted reason containing '%s'\n", rc, needle);
}

static void test_maintenance(void)
{
	struct s3t_maintenance_status s;
	char err[512] = "";
	const char *body =
		"{\"tableARN\":\"" ARN_T "\",\"status\":{"
		"\"icebergCompaction\":{\"status\":\"Successful\",\"lastRunTimestamp\":\"2015-08-30T12:36:00Z\"},"
		"\"icebergSnapshotManagement\":{\"status\":\"Failed\",\"lastRunTimestamp\":\"2015-08-30T13:36:00.5+01:00\","
		"\"failureMessage\":\"gc.enabled=false\"},"
		"\"icebergUnreferencedFileRemoval\":{\"status\":\"Not_Yet_Run\"},"
		"\"icebergSomethingNew\":{\"status\":\"Disabled\"}}}";
	int rc = s3t_parse_maintenance_status(body, strlen(body), &s, err, sizeof err);
	ok(rc == 0, "maintenance: four-job body parses (%s)", rc ? err : "");
	is_str(s.table_arn, ARN_T, "tableARN");
	is_int(s.njobs, 4, "four jobs, unknown job key included");
	const struct s3t_maintenance_job *j = job(&s, "icebergCompaction");
	ok(j && strcmp(j->status, "Successful") == 0 && j->has_last_run && j->last_run == TS && !j->failure_message,
	   "icebergCompaction: Successful at 2015-08-30T12:36:00Z");
	j = job(&s, "icebergSnapshotManagement");
	ok(j && strcmp(j->status, "Failed") == 0 && j->has_last_run && j->last_run == TS + 0.5 && j->failure_message &&
	   strcmp(j->failure_message, "gc.enabled=false") == 0,
	   "icebergSnapshotManagement: Failed, offset applied, failure message");
	j = job(&s, "icebergUnreferencedFileRemoval");
	ok(j && strcmp(j->status, "Not_Yet_Run") == 0 && !j->has_last_run, "icebergUnreferencedFileRemoval: Not_Yet_Run, no run");
	j = job(&s, "icebergSomethingNew");
	ok(j && strcmp(j->status, "Disabled") == 0, "unknown job key kept with its status");
	s3t_maintenance_status_free(&s);
	ok(all_zero(&s, sizeof s), "s3t_maintenance_status_free zeroes the struct");
	s3t_maintenance_status_free(&s);

	body = "{\"tableArn\":\"t\",\"status\":{}}";
	rc = s3t_parse_maintenance_status(body, strlen(body), &s, err, sizeof err);
	ok(rc == 0 && s.njobs == 0 && s.table_arn && strcmp(s.table_arn, "t") == 0,
	   "empty status map parses to 0 jobs; 'tableArn' spelling accepted (%s)", rc ? err : "");
	s3t_maintenance_status_free(&s);

	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":\"Successful\"}}",
		    "status.icebergCompaction: expected an object, got string", "job value not an object");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":{\"status\":\"Successful\"},\"icebergSnapshotManagement\":null}}",
		    "status.icebergSnapshotManagement: expected an object, got null", "null job value after a good one");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":{\"lastRunTimestamp\":\"2015-08-30T12:36:00Z\"}}}",
		    "status.icebergCompaction.status: required field missing", "job without status");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":{\"status\":[\"Successful\"]}}}",
		    "status.icebergCompaction.status: expected a string, got array", "job status as an array");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":{\"status\":\"Successful\",\"lastRunTimestamp\":\"soon\"}}}",
		    "status.icebergCompaction.lastRunTimestamp: 'soon' is not a timestamp", "bad job timestamp");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{\"icebergCompaction\":{\"status\":\"Failed\",\"failureMessage\":false}}}",
		    "status.icebergCompaction.failureMessage: expected a string, got boolean", "boolean failureMessage");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":[{\"status\":\"Successful\"}]}", "status: expected an object, got array",
		    "status as a list");
	mnt_rejects("{\"tableARN\":\"t\",\"status\":\"Successful\"}", "status: expected an object, got string", "status as a string");
	mnt_rejects("{\"tableARN\":\"t\"}", "status: required field missing", "missing status map");
	mnt_rejects("{\"status\":{}}", "tableARN: required field missing", "missing tableARN");
	mnt_rejects("{\"tableARN\":5,\"status\":{}}", "tableARN: expected a string, got number", "numeric tableARN");
	{
		/* A long job key is cut in the reason, never overflowing. */
		char body2[1024], key[301];
		memset(key, 'k', 300);
		key[300] = 0;
		snprintf(body2, sizeof body2, "{\"tableARN\":\"t\",\"status\":{\"%s\":{}}}", key);
		mnt_rejects(body2, "required field missing", "300-character job key without status");
	}
	mnt_rejects("{\"tableARN\":\"t\",\"status\":{}} trailing", "data after the JSON", "trailing garbage");
}

/* ---- GetTable ------------------------------------------------------------ */

static void tbl_rejects(const char *body, const char *needle, const char *why)
{
	struct s3t_table t;
	char err[512] = "";
	memset(&t, 0x5a, sizeof t);
	int rc = s3t_parse_table(body, strlen(body), &t, err, sizeof err);
	int good = rc == -1 && strstr(err, needle) && all_zero(&t, sizeof t);
	if (!ok(good, "GetTable: %s rejected: %s", why, err))
		printf("#   rc %d, wanted reason containing '%s'\n", rc, needle);
}

static void test_table(void)
{
	struct s3t_table t;
	char err[512] = "";
	/* A full GetTableResponse per the model. */
	const char *body =
		"{\"name\":\"orders\",\"type\":\"customer\",\"tableARN\":\"" ARN_T "\",\"namespace\":[\"sales\"],"
		"\"namespaceId\":\"ns-1\",\"versionToken\":\"v1\",\"metadataLocation\":\"s3://m/00001.json\","
		"\"warehouseLocation\":\"s3://w\",\"createdAt\":\"2025-11-15T14:30:00Z\",\"createdBy\":\"111122223333\","
		"\"modifiedAt\":\"2025-11-15T14:30:00.123456Z\",\"modifiedBy\":\"111122223333\","
		"\"ownerAccountId\":\"111122223333\",\"format\":\"ICEBERG\","
		"\"managedTableInformation\":{\"replicationInformation\":{\"sourceTableARN\":\"" ARN_T "\"}}}";
	int rc = s3t_parse_table(body, strlen(body), &t, err, sizeof err);
	ok(rc == 0, "GetTable: full response parses (%s)", rc ? err : "");
	is_str(t.name, "orders", "name");
	is_str(t.namespace_name, "sales", "namespace[0]");
	is_str(t.table_arn, ARN_T, "tableARN");
	s3t_table_free(&t);
	ok(all_zero(&t, sizeof t), "s3t_table_free zeroes the struct");
	s3t_table_free(&t);

	const char *two = "{\"name\":\"n\",\"tableArn\":\"a\",\"namespace\":[\"first\",\"second\"]}";
	rc = s3t_parse_table(two, strlen(two), &t, err, sizeof err);
	ok(rc == 0 && t.namespace_name && strcmp(t.namespace_name, "first") == 0 && strcmp(t.table_arn, "a") == 0,
	   "two namespaces: the first one is used; 'tableArn' spelling accepted");
	s3t_table_free(&t);

	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":[]}", "namespace", "empty namespace list");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\"}", "namespace", "missing namespace");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":null}", "namespace", "null namespace");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":[7]}", "namespace[0]: expected a string, got number",
		    "non-string namespace element");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":[null]}", "namespace[0]: expected a string, got null",
		    "null namespace element");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":\"sales\"}", "namespace: expected an array, got string",
		    "namespace as a string");
	tbl_rejects("{\"tableARN\":\"a\",\"namespace\":[\"s\"]}", "name: required field missing", "missing name");
	tbl_rejects("{\"name\":\"n\",\"namespace\":[\"s\"]}", "tableARN: required field missing", "missing tableARN");
	tbl_rejects("{\"name\":[\"n\"],\"tableARN\":\"a\",\"namespace\":[\"s\"]}", "name: expected a string, got array",
		    "name as an array");
	tbl_rejects("{\"name\":\"n\",\"tableARN\":\"a\",\"namespace\":[\"s\"]", "truncated", "truncated");
}

/* ---- listings and configurations ------------------------------------------ */

/* parse(body) must fail with a reason containing needle and leave the struct zeroed. */
#define REJECTS(parse, type, body, needle, why)                                                  \
	do {                                                                                      \
		type v_;                                                                          \
		char e_[512] = "";                                                                \
		memset(&v_, 0x5a, sizeof v_);                                                     \
		int rc_ = parse((body), strlen(body), &v_, e_, sizeof e_);                         \
		if (!ok(rc_ == -1 && strstr(e_, (needle)) && all_zero(&v_, sizeof v_), "%s: %s rejected: %s", \
			#parse, (why), e_))                                                        \
			printf("#   rc %d, wanted reason containing '%s'\n", rc_, (needle));         \
	} while (0)

#define BUCKET "arn:aws:s3tables:us-east-1:111122223333:bucket/sim-fleet"
#define TSUM(ns, name, extra)                                                                     \
	"{\"namespace\":[\"" ns "\"],\"name\":\"" name "\",\"type\":\"customer\",\"tableARN\":\"" BUCKET \
	"/table/" name "\",\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T14:36:00.5+02:00\"" extra "}"

static void test_table_list(void)
{
	struct s3t_table_list l;
	char err[512] = "";
	const char *page =
		"{\"tables\":[" TSUM("sales", "orders", ",\"namespaceId\":\"ns-1\",\"tableBucketId\":\"tb-1\","
		"\"managedByService\":\"replication.s3tables.amazonaws.com\",\"futureField\":[1]") ","
		"{\"namespace\":[\"raw\"],\"name\":\"clicks\",\"type\":\"aws\",\"tableARN\":\"" BUCKET "/table/clicks\","
		"\"createdAt\":\"2015-08-30T12:36:00.000Z\",\"modifiedAt\":\"2015-08-30T12:36:00+00:00\"}],"
		"\"continuationToken\":\"eyJvZmZzZXQiOiAyfQ==\"}";
	int rc = s3t_parse_table_list(page, strlen(page), &l, err, sizeof err);
	ok(rc == 0, "ListTables: a model page parses (%s)", rc ? err : "");
	is_int(l.ntables, 2, "two tables");
	is_str(l.continuation_token, "eyJvZmZzZXQiOiAyfQ==", "continuationToken kept verbatim");
	if (rc == 0 && l.ntables == 2) {
		struct s3t_table_summary *a = &l.tables[0], *b = &l.tables[1];
		is_str(a->namespace_name, "sales", "tables[0].namespace[0]");
		is_str(a->name, "orders", "tables[0].name");
		is_str(a->table_arn, BUCKET "/table/orders", "tables[0].tableARN");
		is_str(a->type, "customer", "tables[0].type");
		is_str(a->namespace_id, "ns-1", "tables[0].namespaceId");
		is_str(a->table_bucket_id, "tb-1", "tables[0].tableBucketId");
		is_str(a->managed_by_service, "replication.s3tables.amazonaws.com", "tables[0].managedByService");
		ok(a->has_created_at && a->created_at == TS, "tables[0].createdAt");
		ok(a->has_modified_at && a->modified_at == TS + 0.5, "tables[0].modifiedAt with offset: %.3f",
		   a->modified_at);
		is_str(b->type, "aws", "tables[1].type aws");
		ok(!b->namespace_id && !b->table_bucket_id && !b->managed_by_service, "absent optional fields are NULL");
	}
	s3t_table_list_free(&l);
	ok(all_zero(&l, sizeof l), "s3t_table_list_free zeroes the struct");
	s3t_table_list_free(&l);
	s3t_table_list_free(NULL);

	const char *last = "{\"tables\":[" TSUM("s", "t", "") "]}";
	rc = s3t_parse_table_list(last, strlen(last), &l, err, sizeof err);
	ok(rc == 0 && l.ntables == 1 && !l.continuation_token, "last page: no continuationToken -> NULL");
	s3t_table_list_free(&l);
	const char *emptytok = "{\"tables\":[],\"continuationToken\":\"\"}";
	rc = s3t_parse_table_list(emptytok, strlen(emptytok), &l, err, sizeof err);
	ok(rc == 0 && l.ntables == 0 && !l.continuation_token, "empty page, empty token: the end");
	s3t_table_list_free(&l);
	const char *nulltok = "{\"tables\":[],\"continuationToken\":null}";
	rc = s3t_parse_table_list(nulltok, strlen(nulltok), &l, err, sizeof err);
	ok(rc == 0 && !l.continuation_token, "null continuationToken: the end");
	s3t_table_list_free(&l);

	REJECTS(s3t_parse_table_list, struct s3t_table_list, "{}", "tables: required field missing", "no tables");
	REJECTS(s3t_parse_table_list, struct s3t_table_list, "{\"tables\":{}}", "tables: expected an array, got object",
		"tables an object");
	REJECTS(s3t_parse_table_list, struct s3t_table_list, "{\"tables\":[" TSUM("s", "t", "") ",\"x\"]}",
		"tables[1]: expected an object, got string", "an entry that is a string");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[" TSUM("s", "t", "") "," TSUM("s", "u", ",\"name\":5") "]}",
		"tables[1].", "a bad second entry (the first one is freed)");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":7,\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].name: expected a string, got number", "name a number");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":\"s\",\"name\":\"t\",\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].namespace: expected an array, got string", "namespace a string");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[],\"name\":\"t\",\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].namespace: empty list", "namespace empty");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":\"t\",\"tableARN\":\"a\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].type: required field missing", "type missing");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":\"t\",\"type\":\"customer\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].tableARN: required field missing", "tableARN missing");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":\"t\",\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":1440938160,\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].createdAt: expected a string, got number", "createdAt epoch number");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":\"t\",\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].modifiedAt: required field missing", "modifiedAt missing");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[{\"namespace\":[\"s\"],\"name\":\"t\",\"type\":\"customer\",\"tableARN\":\"a\","
		"\"createdAt\":\"yesterday\",\"modifiedAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tables[0].createdAt: 'yesterday' is not a timestamp", "createdAt not a timestamp");
	REJECTS(s3t_parse_table_list, struct s3t_table_list, "{\"tables\":[],\"continuationToken\":5}",
		"continuationToken: expected a string, got number", "token a number");
	REJECTS(s3t_parse_table_list, struct s3t_table_list,
		"{\"tables\":[" TSUM("s", "t", ",\"namespaceId\":{}") "]}",
		"tables[0].namespaceId: expected a string, got object", "namespaceId an object");
	REJECTS(s3t_parse_table_list, struct s3t_table_list, "[]", "expected an object", "an array body");
	REJECTS(s3t_parse_table_list, struct s3t_table_list, "{\"tables\":[", "truncated", "truncated body");
}

static void test_bucket_list(void)
{
	struct s3t_bucket_list l;
	char err[512] = "";
	const char *page =
		"{\"tableBuckets\":[{\"arn\":\"" BUCKET "\",\"name\":\"sim-fleet\",\"ownerAccountId\":\"111122223333\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"tableBucketId\":\"tb-1\",\"type\":\"customer\"},"
		"{\"arn\":\"arn:aws:s3tables:us-east-1:111122223333:bucket/aws-s3\",\"name\":\"aws-s3\","
		"\"ownerAccountId\":\"111122223333\",\"createdAt\":\"2015-08-30T12:36:00.000+00:00\"}],"
		"\"continuationToken\":\"next\"}";
	int rc = s3t_parse_bucket_list(page, strlen(page), &l, err, sizeof err);
	ok(rc == 0, "ListTableBuckets: a model page parses (%s)", rc ? err : "");
	is_int(l.nbuckets, 2, "two buckets");
	is_str(l.continuation_token, "next", "continuationToken");
	if (rc == 0 && l.nbuckets == 2) {
		is_str(l.buckets[0].arn, BUCKET, "tableBuckets[0].arn");
		is_str(l.buckets[0].name, "sim-fleet", "tableBuckets[0].name");
		is_str(l.buckets[0].owner_account_id, "111122223333", "tableBuckets[0].ownerAccountId");
		is_str(l.buckets[0].type, "customer", "tableBuckets[0].type");
		is_str(l.buckets[0].table_bucket_id, "tb-1", "tableBuckets[0].tableBucketId");
		ok(l.buckets[0].has_created_at && l.buckets[0].created_at == TS, "tableBuckets[0].createdAt");
		ok(!l.buckets[1].type && !l.buckets[1].table_bucket_id, "optional type/tableBucketId absent: NULL");
	}
	s3t_bucket_list_free(&l);
	ok(all_zero(&l, sizeof l), "s3t_bucket_list_free zeroes the struct");

	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list, "{\"buckets\":[]}", "tableBuckets: required field missing",
		"no tableBuckets");
	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list,
		"{\"tableBuckets\":[{\"arn\":\"a\",\"name\":\"n\",\"createdAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tableBuckets[0].ownerAccountId: required field missing", "ownerAccountId missing");
	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list,
		"{\"tableBuckets\":[{\"arn\":\"a\",\"name\":\"n\",\"ownerAccountId\":111122223333,"
		"\"createdAt\":\"2015-08-30T12:36:00Z\"}]}",
		"tableBuckets[0].ownerAccountId: expected a string, got number", "ownerAccountId a number");
	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list,
		"{\"tableBuckets\":[{\"arn\":\"a\",\"name\":\"n\",\"ownerAccountId\":\"1\"}]}",
		"tableBuckets[0].createdAt: required field missing", "createdAt missing");
	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list,
		"{\"tableBuckets\":[{\"arn\":\"a\",\"name\":\"n\",\"ownerAccountId\":\"1\","
		"\"createdAt\":\"2015-08-30T12:36:00Z\",\"type\":[\"aws\"]}]}",
		"tableBuckets[0].type: expected a string, got array", "type an array");
	REJECTS(s3t_parse_bucket_list, struct s3t_bucket_list, "{\"tableBuckets\":[null]}",
		"tableBuckets[0]: expected an object, got null", "a null entry");
}

static void test_namespace_list(void)
{
	struct s3t_namespace_list l;
	char err[512] = "";
	const char *page =
		"{\"namespaces\":[{\"namespace\":[\"sales\"],\"createdAt\":\"2015-08-30T12:36:00Z\","
		"\"createdBy\":\"111122223333\",\"ownerAccountId\":\"111122223333\",\"namespaceId\":\"ns-1\","
		"\"tableBucketId\":\"tb-1\"}]}";
	int rc = s3t_parse_namespace_list(page, strlen(page), &l, err, sizeof err);
	ok(rc == 0 && l.nnamespaces == 1 && !l.continuation_token, "ListNamespaces: a model page parses (%s)",
	   rc ? err : "");
	if (rc == 0 && l.nnamespaces == 1) {
		is_str(l.namespaces[0].name, "sales", "namespaces[0].namespace[0]");
		is_str(l.namespaces[0].created_by, "111122223333", "namespaces[0].createdBy");
		is_str(l.namespaces[0].namespace_id, "ns-1", "namespaces[0].namespaceId");
		ok(l.namespaces[0].created_at == TS, "namespaces[0].createdAt");
	}
	s3t_namespace_list_free(&l);
	REJECTS(s3t_parse_namespace_list, struct s3t_namespace_list,
		"{\"namespaces\":[{\"namespace\":[\"s\"],\"createdAt\":\"2015-08-30T12:36:00Z\",\"ownerAccountId\":\"1\"}]}",
		"namespaces[0].createdBy: required field missing", "createdBy missing");
	REJECTS(s3t_parse_namespace_list, struct s3t_namespace_list, "{\"namespaces\":\"sales\"}",
		"namespaces: expected an array, got string", "namespaces a string");
}

#define REPL_CONF(rules) "{\"versionToken\":\"vt-1\",\"configuration\":{\"role\":" \
	"\"arn:aws:iam::111122223333:role/s3tables-replication\",\"rules\":" rules "}}"

static void test_replication_config(void)
{
	struct s3t_replication_config r;
	char err[512] = "";
	const char *body = REPL_CONF("[{\"destinations\":[{\"destinationTableBucketARN\":\"" ARN_B1 "\"},"
				     "{\"destinationTableBucketARN\":\"" ARN_B2 "\"}]}]");
	int rc = s3t_parse_replication_config(body, strlen(body), &r, err, sizeof err);
	ok(rc == 0, "GetTableReplication: the model's response parses (%s)", rc ? err : "");
	is_str(r.version_token, "vt-1", "versionToken");
	is_str(r.role, "arn:aws:iam::111122223333:role/s3tables-replication", "configuration.role");
	is_int(r.nrules, 1, "one rule");
	is_int(r.ndestinations, 2, "two destinations");
	if (rc == 0 && r.ndestinations == 2) {
		is_str(r.destination_bucket_arns[0], ARN_B1, "rules[0].destinations[0].destinationTableBucketARN");
		is_str(r.destination_bucket_arns[1], ARN_B2, "rules[0].destinations[1].destinationTableBucketARN");
	}
	s3t_replication_config_free(&r);
	ok(all_zero(&r, sizeof r), "s3t_replication_config_free zeroes the struct");

	body = REPL_CONF("[{\"destinations\":[{\"destinationTableBucketARN\":\"" ARN_B1 "\"}]},"
			 "{\"destinations\":[{\"destinationTableBucketArn\":\"" ARN_B2 "\"}]}]");
	rc = s3t_parse_replication_config(body, strlen(body), &r, err, sizeof err);
	ok(rc == 0 && r.nrules == 2 && r.ndestinations == 2 && !strcmp(r.destination_bucket_arns[1], ARN_B2),
	   "two rules flattened; the ...Arn spelling accepted (%s)", rc ? err : "");
	s3t_replication_config_free(&r);

	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		"{\"configuration\":{\"role\":\"r\",\"rules\":[]}}", "versionToken: required field missing",
		"versionToken missing");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config, "{\"versionToken\":\"v\"}",
		"configuration: required field missing", "configuration missing");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		"{\"versionToken\":\"v\",\"configuration\":{\"rules\":[]}}", "configuration.role: required field missing",
		"role missing");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		"{\"versionToken\":\"v\",\"configuration\":{\"role\":\"r\",\"rules\":{}}}",
		"configuration.rules: expected an array, got object", "rules an object");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config, REPL_CONF("[{}]"),
		"configuration.rules[0].destinations: required field missing", "a rule without destinations");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		REPL_CONF("[{\"destinations\":[{\"destinationTableBucketARN\":\"" ARN_B1 "\"},{}]}]"),
		"configuration.rules[0].destinations[1].destinationTableBucketARN: required field missing",
		"a destination without its bucket (the first one is freed)");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		REPL_CONF("[{\"destinations\":[{\"destinationTableBucketARN\":42}]}]"),
		"configuration.rules[0].destinations[0].destinationTableBucketARN: expected a string, got number",
		"a destination bucket that is a number");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config, REPL_CONF("[\"x\"]"),
		"configuration.rules[0]: expected an object, got string", "a rule that is a string");
	REJECTS(s3t_parse_replication_config, struct s3t_replication_config,
		"{\"versionToken\":7,\"configuration\":{}}", "versionToken: expected a string, got number",
		"versionToken a number");
}

static void test_expiration_config(void)
{
	struct s3t_expiration_config e;
	char err[512] = "";
	const char *body = "{\"configuration\":{\"status\":\"enabled\",\"settings\":{\"days\":30}}}";
	int rc = s3t_parse_expiration_config(body, strlen(body), &e, err, sizeof err);
	ok(rc == 0 && e.status && !strcmp(e.status, "enabled") && e.has_days && e.days == 30,
	   "GetTableRecordExpirationConfiguration: enabled, 30 days (%s)", rc ? err : "");
	s3t_expiration_config_free(&e);
	ok(all_zero(&e, sizeof e), "s3t_expiration_config_free zeroes the struct");
	body = "{\"configuration\":{\"status\":\"disabled\"}}";
	rc = s3t_parse_expiration_config(body, strlen(body), &e, err, sizeof err);
	ok(rc == 0 && !strcmp(e.status, "disabled") && !e.has_days, "disabled without settings");
	s3t_expiration_config_free(&e);
	body = "{\"configuration\":{\"settings\":{}}}";
	rc = s3t_parse_expiration_config(body, strlen(body), &e, err, sizeof err);
	ok(rc == 0 && !e.status && !e.has_days, "no status, no days: both absent");
	s3t_expiration_config_free(&e);
	body = "{\"configuration\":{\"status\":\"enabled\",\"settings\":{\"days\":2147483647}}}";
	rc = s3t_parse_expiration_config(body, strlen(body), &e, err, sizeof err);
	ok(rc == 0 && e.days == 2147483647, "days at the model's maximum");
	s3t_expiration_config_free(&e);

	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config, "{\"status\":\"enabled\"}",
		"configuration: required field missing", "configuration missing");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config, "{\"configuration\":\"enabled\"}",
		"configuration: expected an object, got string", "configuration a string");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config, "{\"configuration\":{\"status\":true}}",
		"configuration.status: expected a string, got boolean", "status a boolean");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config,
		"{\"configuration\":{\"settings\":{\"days\":\"30\"}}}",
		"configuration.settings.days: expected an integer, got string", "days a string");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config,
		"{\"configuration\":{\"settings\":{\"days\":1.5}}}",
		"configuration.settings.days: expected an integer, got number", "days fractional");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config,
		"{\"configuration\":{\"settings\":{\"days\":0}}}", "configuration.settings.days: 0 is outside 1..",
		"days 0");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config,
		"{\"configuration\":{\"settings\":{\"days\":2147483648}}}",
		"configuration.settings.days: 2147483648 is outside", "days above the int32 range");
	REJECTS(s3t_parse_expiration_config, struct s3t_expiration_config,
		"{\"configuration\":{\"settings\":[]}}", "configuration.settings: expected an object, got array",
		"settings an array");
}

static void test_maintenance_config(void)
{
	struct s3t_maintenance_config m;
	char err[512] = "";
	const char *body =
		"{\"tableARN\":\"" ARN_T "\",\"configuration\":{"
		"\"icebergCompaction\":{\"status\":\"enabled\",\"settings\":{\"icebergCompaction\":"
		"{\"targetFileSizeMB\":512,\"strategy\":\"binpack\"}}},"
		"\"icebergSnapshotManagement\":{\"status\":\"disabled\",\"settings\":{\"icebergSnapshotManagement\":"
		"{\"minSnapshotsToKeep\":1,\"maxSnapshotAgeHours\":120}}},"
		"\"icebergFutureJob\":{\"status\":\"enabled\"}}}";
	int rc = s3t_parse_maintenance_config(body, strlen(body), &m, err, sizeof err);
	ok(rc == 0, "GetTableMaintenanceConfiguration: the model's response parses (%s)", rc ? err : "");
	is_str(m.table_arn, ARN_T, "tableARN");
	is_int(m.nsettings, 3, "three entries (an unknown key kept)");
	if (rc == 0 && m.nsettings == 3) {
		struct s3t_maintenance_setting *c = &m.settings[0], *s = &m.settings[1], *f = &m.settings[2];
		is_str(c->type, "icebergCompaction", "entry 0 key");
		is_str(c->status, "enabled", "icebergCompaction.status");
		ok(c->has_target_file_size_mb && c->target_file_size_mb == 512, "targetFileSizeMB 512");
		is_str(c->strategy, "binpack", "strategy");
		is_str(s->type, "icebergSnapshotManagement", "entry 1 key");
		is_str(s->status, "disabled", "icebergSnapshotManagement.status");
		ok(s->has_min_snapshots_to_keep && s->min_snapshots_to_keep == 1 && s->has_max_snapshot_age_hours &&
		   s->max_snapshot_age_hours == 120, "minSnapshotsToKeep 1, maxSnapshotAgeHours 120");
		ok(!s->has_target_file_size_mb && !s->strategy, "no compaction settings on the snapshot entry");
		is_str(f->type, "icebergFutureJob", "entry 2 key");
	}
	s3t_maintenance_config_free(&m);
	ok(all_zero(&m, sizeof m), "s3t_maintenance_config_free zeroes the struct");
	body = "{\"tableArn\":\"t\",\"configuration\":{}}";
	rc = s3t_parse_maintenance_config(body, strlen(body), &m, err, sizeof err);
	ok(rc == 0 && m.nsettings == 0 && !strcmp(m.table_arn, "t"), "empty configuration; tableArn spelling");
	s3t_maintenance_config_free(&m);

	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config, "{\"configuration\":{}}",
		"tableARN: required field missing", "tableARN missing");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config, "{\"tableARN\":\"t\"}",
		"configuration: required field missing", "configuration missing");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":[]}", "configuration: expected an object, got array",
		"configuration an array");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":{\"icebergCompaction\":\"enabled\"}}",
		"configuration.icebergCompaction: expected an object, got string", "an entry that is a string");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":{\"icebergCompaction\":{\"status\":1}}}",
		"configuration.icebergCompaction.status: expected a string, got number", "status a number");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":{\"icebergCompaction\":{\"settings\":{\"icebergCompaction\":"
		"{\"targetFileSizeMB\":\"big\"}}}}}",
		"configuration.icebergCompaction.settings.icebergCompaction.targetFileSizeMB: expected an integer",
		"targetFileSizeMB a string");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":{\"a\":{\"status\":\"enabled\"},\"icebergSnapshotManagement\":"
		"{\"settings\":{\"icebergSnapshotManagement\":{\"maxSnapshotAgeHours\":-1}}}}}",
		"configuration.icebergSnapshotManagement.settings.icebergSnapshotManagement.maxSnapshotAgeHours: -1 is outside",
		"maxSnapshotAgeHours negative (after a good entry)");
	REJECTS(s3t_parse_maintenance_config, struct s3t_maintenance_config,
		"{\"tableARN\":\"t\",\"configuration\":{\"icebergCompaction\":{\"settings\":{\"icebergCompaction\":"
		"{\"strategy\":[\"sort\"]}}}}}",
		"icebergCompaction.settings.icebergCompaction.strategy: expected a string, got array", "strategy an array");
}

int main(void)
{
	test_replication();
	test_expiration();
	test_maintenance();
	test_table();
	test_table_list();
	test_bucket_list();
	test_namespace_list();
	test_replication_config();
	test_expiration_config();
	test_maintenance_config();
	return tap_done();
}
