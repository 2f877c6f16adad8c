/*
 * fuzz_creds_process.c - credential_process output (creds_process_parse,
 * creds_process.h). Input: the command's stdout; every "@SECRET@" becomes
 * FZ_SECRET.
 * Properties: accepted output gives a key id, a secret and the source
 * "credential-process", with an Expiration (if any) after "now"; rejected output has
 * a message that renders and quotes nothing of the output: no part of the secret,
 * wherever in the output it stands.
 */
#include <stdlib.h>

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
	free(json);
	return 0;
}
