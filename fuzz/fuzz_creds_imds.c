/*
 * fuzz_creds_imds.c - the instance metadata service's answers (creds_imds.h).
 * Input, split at NUL bytes: the token PUT's body, the role list, the role's
 * credentials JSON, AWS_EC2_METADATA_SERVICE_ENDPOINT (empty = unset); every
 * "@SECRET@" becomes FZ_SECRET.
 * Properties: an accepted token is non-empty, one line, with no blank at either
 * end, and lies inside the body; an accepted role name is 1-128 characters of
 * [A-Za-z0-9+=,.@_-] and is the list's first line trimmed, and only a blank list
 * has no role; accepted credentials
 * have a key id, a secret, a session token and an expiration; a rejected credentials
 * body has a message with no part of the secret (the only text the parser quotes is
 * a non-"Success" Code, filtered to [A-Za-z0-9._-]); an endpoint that resolves is
 * an http(s) URL with no trailing '/', the default one when nothing is configured.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "creds_imds.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[4];
	fz_split(data, size, f, 4);
	const char *tok;
	size_t tn;
	if (creds_imds_token_from_body(f[0].s, &tok, &tn) == 0) {
		FZ_ASSERT(tn > 0 && tok >= f[0].s && tok + tn <= f[0].s + strlen(f[0].s), "token outside the body");
		FZ_ASSERT(!memchr(tok, '\n', tn) && !memchr(tok, '\r', tn), "token spans lines");
		FZ_ASSERT(!isspace((unsigned char)tok[0]) && !isspace((unsigned char)tok[tn - 1]), "token not trimmed");
	}

	char role[160];
	int rr = creds_imds_role_from_list(f[1].s, role, sizeof role);
	FZ_ASSERT(rr == 0 || rr == 1 || rr == -1, "role result %d", rr);
	if (rr == 0) {
		size_t rl = strlen(role);
		FZ_ASSERT(rl >= 1 && rl <= 128, "role \"%s\": length %zu", role, rl);
		for (const char *p = role; *p; p++)
			FZ_ASSERT(isalnum((unsigned char)*p) || strchr("+=,.@_-", *p), "role \"%s\" has '%c'", role, *p);
		const char *s = f[1].s + strspn(f[1].s, " \t\r\n\v\f");
		FZ_ASSERT(strncmp(s, role, rl) == 0 && (s[rl] == '\0' || isspace((unsigned char)s[rl])),
			  "role \"%s\" is not the list's first line", role);
	} else if (rr == 1) {
		FZ_ASSERT(f[1].s[strspn(f[1].s, " \t\r\n\v\f")] == '\0', "a role list with text counts as empty");
	}

	size_t n;
	char *body = fz_expand(f[2].s, f[2].n, &n);
	struct creds c;
	char err[512];
	if (creds_imds_parse(body, n, &c, err, sizeof err) == 0) {
		fz_check_creds(&c, "instance-metadata", "creds_imds_parse");
		FZ_ASSERT(c.session_token && c.session_token[0], "accepted without a session token");
		creds_free(&c);
	} else {
		fz_check_message(err, sizeof err, "creds_imds_parse");
		if (strncmp(err, "the credentials response has Code", 33) != 0)
			fz_check_no_secret(err, "creds_imds_parse's message");
	}

	char base[1024];
	int is_default = -1;
	fz_env_clear();
	fz_env_set("AWS_EC2_METADATA_SERVICE_ENDPOINT", f[3].n ? f[3].s : NULL);
	if (creds_imds_endpoint(fz_getenv, NULL, NULL, NULL, NULL, base, sizeof base, &is_default, err, sizeof err) == 0) {
		size_t bl = strlen(base);
		FZ_ASSERT(strncasecmp(base, "http://", 7) == 0 || strncasecmp(base, "https://", 8) == 0, "endpoint \"%s\"", base);
		FZ_ASSERT(bl > 0 && base[bl - 1] != '/', "endpoint \"%s\" ends with '/'", base);
		FZ_ASSERT(f[3].n || is_default == 1, "no endpoint configured, yet is_default is %d", is_default);
	} else {
		fz_check_message(err, sizeof err, "creds_imds_endpoint");
	}
	fz_env_clear();
	free(body);
	fz_fields_free(f, 4);
	return 0;
}
