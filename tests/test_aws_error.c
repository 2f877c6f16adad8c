/* test_aws_error.c - restJson1 error parsing (lib/aws/aws_error.c). */
#include <stdlib.h>

#include "aws_error.h"
#include "tap.h"

#define S(lit) lit, sizeof(lit) - 1

int main(void)
{
	struct aws_error e;
	char buf[2048];

	aws_error_parse(404, "NotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
			"7d5e-req", S("{\"message\":\"The specified table does not exist.\"}"), &e);
	is_str(e.code, "NotFoundException", "header with coral suffix");
	is_str(e.message, "The specified table does not exist.", "message");
	is_str(e.request_id, "7d5e-req", "request id");
	is_int(e.http_status, 404, "status");
	aws_error_describe(&e, buf, sizeof(buf));
	is_str(buf, "NotFoundException (HTTP 404, request id 7d5e-req): The specified table does not exist.",
	       "describe");

	aws_error_parse(400, NULL, NULL, S("{\"__type\":\"com.amazonaws.s3tables#BadRequestException\",\"Message\":\"bad\"}"),
			&e);
	is_str(e.code, "BadRequestException", "__type with '#'");
	is_str(e.message, "bad", "Message (capitalised)");
	is_str(e.request_id, "", "no request id");
	aws_error_describe(&e, buf, sizeof(buf));
	is_str(buf, "BadRequestException (HTTP 400): bad", "describe without request id");

	aws_error_parse(400, NULL, NULL, S("{\"__type\":\"a.b#c#LastException:extra:stuff\"}"), &e);
	is_str(e.code, "LastException", "__type: keep after the last '#', cut at ':'");

	aws_error_parse(403, "aws.protocoltests#ForbiddenException:http://x", NULL, S(""), &e);
	is_str(e.code, "ForbiddenException", "header with both namespace and suffix");

	aws_error_parse(409, NULL, NULL, S("{\"code\":\"ConflictException\",\"Code\":\"Other\",\"__type\":\"X\"}"), &e);
	is_str(e.code, "ConflictException", "body code before Code and __type");
	aws_error_parse(409, NULL, NULL, S("{\"Code\":\"ConflictException\",\"__type\":\"X\"}"), &e);
	is_str(e.code, "ConflictException", "body Code before __type");
	aws_error_parse(409, "HeaderWins", NULL, S("{\"code\":\"BodyLoses\"}"), &e);
	is_str(e.code, "HeaderWins", "header before body");
	aws_error_parse(409, "", NULL, S("{\"code\":\"BodyCode\"}"), &e);
	is_str(e.code, "BodyCode", "an empty header is ignored");
	aws_error_parse(409, ":only-suffix", NULL, S("{\"code\":\"BodyCode\"}"), &e);
	is_str(e.code, "BodyCode", "a header that sanitises to nothing is skipped");
	aws_error_parse(400, NULL, NULL, S("{\"code\":42,\"__type\":\"TypeCode\"}"), &e);
	is_str(e.code, "TypeCode", "a non-string code is ignored");

	aws_error_parse(400, NULL, NULL, S("{\"message\":\"lower\",\"Message\":\"upper\"}"), &e);
	is_str(e.message, "lower", "message before Message");
	is_str(e.code, "HTTP 400", "no code anywhere: derived from the status");
	aws_error_parse(400, NULL, NULL, S("{\"message\":null,\"Message\":\"upper\"}"), &e);
	is_str(e.message, "upper", "a null message falls back to Message");
	aws_error_parse(400, NULL, NULL, S("{\"message\":{\"nested\":1}}"), &e);
	is_str(e.message, "", "a non-string message is ignored");

	aws_error_parse(503, NULL, "rid", S("<html><body>Service Unavailable</body></html>"), &e);
	is_str(e.code, "HTTP 503", "non-JSON body: code from status");
	is_str(e.message, "", "non-JSON body: no message");
	is_str(e.request_id, "rid", "non-JSON body: request id kept");

	aws_error_parse(500, NULL, NULL, NULL, 0, &e);
	is_str(e.code, "HTTP 500", "NULL body");
	aws_error_parse(500, NULL, NULL, "", 0, &e);
	is_str(e.code, "HTTP 500", "empty body");
	aws_error_parse(500, NULL, NULL, S("[\"code\",\"X\"]"), &e);
	is_str(e.code, "HTTP 500", "JSON array body");
	aws_error_parse(500, NULL, NULL, S("\"NotFoundException\""), &e);
	is_str(e.code, "HTTP 500", "JSON string body");
	aws_error_parse(500, NULL, NULL, S("{\"code\":\"Trunc"), &e);
	is_str(e.code, "HTTP 500", "truncated JSON");
	aws_error_parse(500, NULL, NULL, S("{\"code\":\"A\"} trailing"), &e);
	is_str(e.code, "HTTP 500", "JSON followed by garbage is rejected");
	aws_error_parse(500, NULL, NULL, S("{\"code\":\"A\"}\r\n"), &e);
	is_str(e.code, "A", "JSON followed by whitespace is fine");
	/* body not NUL-terminated: only body_len bytes may be read */
	{
		char *nb = malloc(13);
		memcpy(nb, "{\"code\":\"Z\"}", 12);
		nb[12] = 'x';
		aws_error_parse(400, NULL, NULL, nb, 12, &e);
		is_str(e.code, "Z", "body without NUL terminator");
		free(nb);
	}

	/* huge and garbage input */
	{
		size_t n = 300000;
		char *big = malloc(n + 6000);
		int len = snprintf(big, 64, "{\"code\":\"");
		memset(big + len, 'C', n);
		strcpy(big + len + n, "\",\"message\":\"");
		size_t l2 = strlen(big);
		memset(big + l2, 'm', 5000);
		memcpy(big + l2 + 5000, "\"}", 2);
		aws_error_parse(400, NULL, NULL, big, l2 + 5002, &e);
		is_int(strlen(e.code), sizeof(e.code) - 1, "huge code is cut to the field size");
		is_int(strlen(e.message), sizeof(e.message) - 1, "huge message is cut to the field size");
		free(big);

		char *deep = malloc(100000);
		memset(deep, '[', 50000);
		memset(deep + 50000, ']', 50000);
		aws_error_parse(400, NULL, NULL, deep, 100000, &e);
		is_str(e.code, "HTTP 400", "deeply nested JSON is rejected without a crash");
		free(deep);

		unsigned char *junk = malloc(65536);
		unsigned s = 12345;
		for (size_t i = 0; i < 65536; i++) {
			s = s * 1103515245u + 12345u;
			junk[i] = (unsigned char)(s >> 16);
		}
		aws_error_parse(502, NULL, NULL, (const char *)junk, 65536, &e);
		is_str(e.code, "HTTP 502", "random bytes");
		free(junk);

		char hdr[1000];
		memset(hdr, 'H', sizeof(hdr) - 1);
		hdr[sizeof(hdr) - 1] = '\0';
		char rid[500];
		memset(rid, 'R', sizeof(rid) - 1);
		rid[sizeof(rid) - 1] = '\0';
		aws_error_parse(400, hdr, rid, NULL, 0, &e);
		is_int(strlen(e.code), sizeof(e.code) - 1, "huge header code is cut");
		is_int(strlen(e.request_id), sizeof(e.request_id) - 1, "huge request id is cut");
		aws_error_describe(&e, buf, 16);
		is_int(strlen(buf), 15, "describe into a small buffer is cut and terminated");
	}

	/* control characters, UTF-8 cut */
	aws_error_parse(400, "Bad\001Code", " rid\r\n", S("{\"message\":\"line1\\nline2\\u0007|x\"}"), &e);
	is_str(e.code, "Bad Code", "control characters in the code become spaces");
	is_str(e.request_id, "rid", "request id is trimmed");
	is_str(e.message, "line1 line2 |x", "control characters in the message become spaces");
	{
		char msg[3000];
		size_t n = 0;
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "{\"message\":\"");
		for (int i = 0; i < 700; i++)
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\xc3\xa9"); /* é */
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\"}");
		aws_error_parse(400, NULL, NULL, msg, n, &e);
		size_t ml = strlen(e.message);
		ok(ml <= sizeof(e.message) - 1 && ml % 2 == 0, "long UTF-8 message is cut on a character boundary (%zu)", ml);
	}
	{
		char out[8];
		is_int(aws_error_sanitise_code("  a#b#Code : rest", out, sizeof(out)), 4, "sanitise return value");
		is_str(out, "Code", "sanitise trims blanks");
		is_int(aws_error_sanitise_code(NULL, out, sizeof(out)), 0, "sanitise NULL");
		is_int(aws_error_sanitise_code("#", out, sizeof(out)), 0, "sanitise '#'");
	}

	/* Which error means "not found" (issue 13). */
	aws_error_parse(404, "NotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/", "r1",
			S("{\"message\":\"The specified table could not be found.\"}"), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_NOT_FOUND, "404 NotFoundException (header): not found");
	aws_error_parse(404, NULL, NULL, S("{\"__type\":\"com.amazonaws.s3tables#NotFoundException\"}"), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_NOT_FOUND, "404 NotFoundException (__type): not found");
	aws_error_parse(404, "UnknownOperationException:http://internal.amazon.com/coral/com.amazon.coral.service/", NULL,
			S("{\"message\":\"No operation matches GET /x/replication-status\"}"), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_UNKNOWN_OPERATION, "404 UnknownOperationException: unknown operation");
	aws_error_parse(404, NULL, NULL, S("<html><head><title>404 Not Found</title></head><body>nginx</body></html>"), &e);
	is_str(e.code, "HTTP 404", "HTML 404: no AWS code");
	is_int(aws_error_classify(&e), AWS_ERROR_UNKNOWN_OPERATION, "HTML 404: unknown operation, not 'not found'");
	aws_error_parse(404, NULL, NULL, S(""), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_UNKNOWN_OPERATION, "empty 404: unknown operation");
	aws_error_parse(404, NULL, NULL, S("{\"message\":\"Not Found\"}"), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_UNKNOWN_OPERATION, "404 JSON without a code: unknown operation");
	aws_error_parse(404, "NotFound", NULL, S(""), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_UNKNOWN_OPERATION, "404 with another code (NotFound): unknown operation");
	aws_error_parse(403, "ForbiddenException", NULL, S(""), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_OTHER, "403: other");
	aws_error_parse(405, "MethodNotAllowedException", NULL, S(""), &e);
	is_int(aws_error_classify(&e), AWS_ERROR_OTHER, "405: other");
	return tap_done();
}
