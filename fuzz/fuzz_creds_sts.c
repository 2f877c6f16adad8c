/*
 * fuzz_creds_sts.c - STS AssumeRole / AssumeRoleWithWebIdentity responses
 * (sts_parse_response, creds_sts.h). Input, split at the first NUL byte: HTTP
 * status (decimal), the XML body; every "@SECRET@" becomes FZ_SECRET.
 * Properties: only an HTTP 200 is ever accepted, and then with a key id, a secret
 * and an expiration; a rejected answer has a message that renders and an error code
 * that is NUL-terminated and free of control characters; for a 200 (where the body
 * holds credentials, not an error text) the message has no part of the secret.
 * (A non-200 message quotes the STS <Message> on purpose, so it is not checked.)
 */
#include <stdlib.h>
#include <string.h>

#include "creds_sts.h"
#include "fuzz.h"

#define FZ_NOW 1764547200.0 /* 2025-12-01T00:00:00Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[2];
	fz_split(data, size, f, 2);
	long status = strtol(f[0].s, NULL, 10);
	size_t n;
	char *body = fz_expand(f[1].s, f[1].n, &n);
	struct creds c;
	char err[512], code[64];
	memset(code, 'x', sizeof code);
	if (sts_parse_response(status, body, n, FZ_NOW, "assume-role", &c, code, sizeof code, err, sizeof err) == 0) {
		FZ_ASSERT(status == 200, "HTTP %ld accepted", status);
		fz_check_creds(&c, "assume-role", "sts_parse_response");
		FZ_ASSERT(c.expiration != 0, "accepted without an expiration");
		creds_free(&c);
	} else {
		fz_check_message(err, sizeof err, "sts_parse_response");
		FZ_ASSERT(memchr(code, '\0', sizeof code), "code not NUL-terminated");
		for (const unsigned char *p = (const unsigned char *)code; *p; p++)
			FZ_ASSERT(*p >= 0x20 && *p != 0x7f, "code with control byte 0x%02x", *p);
		if (status == 200)
			fz_check_no_secret(err, "sts_parse_response's message for HTTP 200");
	}
	free(body);
	fz_fields_free(f, 2);
	return 0;
}
