/*
 * fuzz_aws_error.c - AWS restJson1 error responses (aws_error.h).
 * Input, split at NUL bytes: HTTP status (decimal), x-amzn-ErrorType header,
 * x-amzn-RequestId header (an empty field means the header is absent), body.
 * Properties: code, message and request id are NUL-terminated, free of control
 * characters, and valid UTF-8 whenever the input is; the code is never empty and
 * holds no ':' or '#' unless it is the "HTTP <status>" fallback; aws_error_describe()
 * never overruns its buffer and its text renders; aws_error_sanitise_code() returns
 * the length of what it wrote and fits any buffer.
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_error.h"
#include "fuzz.h"

static void check_field(const char *f, size_t sz, const char *name, int want_utf8)
{
	FZ_ASSERT(memchr(f, '\0', sz), "%s not NUL-terminated", name);
	for (const unsigned char *p = (const unsigned char *)f; *p; p++)
		FZ_ASSERT(*p >= 0x20 && *p != 0x7f, "%s holds control byte 0x%02x: \"%s\"", name, *p, f);
	FZ_ASSERT(!want_utf8 || fz_valid_utf8(f, strlen(f)), "%s is not valid UTF-8: \"%s\"", name, f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[4];
	fz_split(data, size, f, 4);
	long status = strtol(f[0].s, NULL, 10);
	const char *type = f[1].n ? f[1].s : NULL, *rid = f[2].n ? f[2].s : NULL;
	/* json-c turns "\ud800"-style escapes into bytes of its own: UTF-8 is only promised for plain text. */
	int utf8 = fz_valid_utf8((const char *)data, size) && !memmem(data, size, "\\u", 2);
	struct aws_error e;
	aws_error_parse(status, type, rid, f[3].s, f[3].n, &e);
	FZ_ASSERT(e.http_status == status, "http_status not kept");
	check_field(e.code, sizeof e.code, "code", utf8);
	check_field(e.message, sizeof e.message, "message", utf8);
	check_field(e.request_id, sizeof e.request_id, "request_id", utf8);
	FZ_ASSERT(e.code[0], "empty code");
	char fallback[64];
	snprintf(fallback, sizeof fallback, "HTTP %ld", status);
	FZ_ASSERT(strcmp(e.code, fallback) == 0 || (!strchr(e.code, ':') && !strchr(e.code, '#')),
		  "code \"%s\" not sanitised", e.code);

	char desc[2048], tiny[12];
	aws_error_describe(&e, desc, sizeof desc);
	FZ_ASSERT(memchr(desc, '\0', sizeof desc) && strstr(desc, e.code) == desc, "describe: \"%s\"", desc);
	fz_render_message(desc);
	memset(tiny, 'x', sizeof tiny);
	aws_error_describe(&e, tiny, sizeof tiny - 2);
	FZ_ASSERT(tiny[sizeof tiny - 1] == 'x' && tiny[sizeof tiny - 2] == 'x' && memchr(tiny, '\0', sizeof tiny - 2),
		  "describe overruns a small buffer");

	char code[16];
	memset(code, 'x', sizeof code);
	size_t n = aws_error_sanitise_code(f[1].s, code, sizeof code - 1);
	FZ_ASSERT(code[sizeof code - 1] == 'x' && n == strlen(code) && n < sizeof code - 1,
		  "aws_error_sanitise_code overruns or misreports");
	fz_fields_free(f, 4);
	return 0;
}
