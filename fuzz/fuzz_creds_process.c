/*
 * fuzz_creds_process.c - credential_process output (creds_process_parse,
 * creds_process.h). Input: the command's stdout; every "@SECRET@" becomes
 * FZ_SECRET.
 * Properties: accepted output gives a key id, a secret and the source
 * "credential-process", with an Expiration (if any) after "now"; rejected output has
 * a message that renders and quotes nothing of the output: no part of the secret,
 * wherever in the output it stands. The same bytes read as the helper's stderr give
 * creds_process_stderr_line() one line free of control bytes, cut on a character boundary
 * at CREDS_PROCESS_STDERR_SHOWN bytes, that fits any buffer and renders.
 */
#include <stdlib.h>
#include <string.h>

#include "creds_process.h"
#include "fuzz.h"

#define FZ_NOW 1764547200.0 /* 2025-12-01T00:00:00Z */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n;
	char *json = fz_expand(data, size, &n);
	struct creds c;
	char err[512];
	if (creds_process_parse(json, n, FZ_NOW, &c, err, sizeof err) == 0) {
		fz_check_creds(&c, "credential-process", "creds_process_parse");
		FZ_ASSERT(c.expiration == 0 || c.expiration > FZ_NOW, "accepted credentials that expired");
		creds_free(&c);
	} else {
		fz_check_message(err, sizeof err, "creds_process_parse");
		fz_check_no_secret(err, "creds_process_parse's message");
	}
	/* The same bytes as the helper's stderr: one sanitized, cut line. */
	char line[CREDS_PROCESS_STDERR_SHOWN * 4 + 8];
	memset(line, 'x', sizeof line);
	creds_process_stderr_line((const char *)data, size, line, sizeof line - 1);
	FZ_ASSERT(line[sizeof line - 1] == 'x' && memchr(line, '\0', sizeof line - 1), "stderr line overruns");
	FZ_ASSERT(strlen(line) <= CREDS_PROCESS_STDERR_SHOWN, "stderr line of %zu bytes", strlen(line));
	FZ_ASSERT(!fz_valid_utf8((const char *)data, size) || fz_valid_utf8(line, strlen(line)),
		  "stderr line cut inside a character: %s", line);
	char tiny[6];
	memset(tiny, 'x', sizeof tiny);
	creds_process_stderr_line((const char *)data, size, tiny, sizeof tiny - 1);
	FZ_ASSERT(tiny[sizeof tiny - 1] == 'x' && memchr(tiny, '\0', sizeof tiny - 1), "stderr line overruns 5 bytes");
	for (const unsigned char *p = (const unsigned char *)line; *p; p++)
		FZ_ASSERT(*p >= 0x20 && *p != 0x7f, "stderr line with control byte 0x%02x: %s", *p, line);
	if (line[0])
		fz_render_message(line);
	free(json);
	return 0;
}
