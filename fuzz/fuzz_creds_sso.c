/*
 * fuzz_creds_sso.c - the IAM Identity Center (SSO) parsers (creds_sso_token.h,
 * creds_sso.h): the `aws sso login` token cache file, the SSO OIDC CreateToken answer and
 * the GetRoleCredentials answer. Input, split at NUL bytes: which ("token", "oidc" or
 * "role"), HTTP status (decimal; not used for "token"), the body; every "@SECRET@" becomes
 * FZ_SECRET.
 * Properties: a token file is accepted only with an access token, and then the write-back
 * merge of a refresh re-parses to exactly the new token, expiry and refresh token; the
 * refresh decision is one of its three values; CreateToken and GetRoleCredentials accept
 * only an HTTP 200 (with a positive expiresIn / complete credentials); every rejection has
 * a message that renders; no message about a token file, or about a 200 answer, holds any
 * part of the secret (they carry tokens, never error text worth quoting).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "creds_sso.h"
#include "creds_sso_token.h"
#include "fuzz.h"

#define FZ_NOW 1764547200.0 /* 2025-12-01T00:00:00Z */

static void token_file(const char *body, size_t n)
{
	struct sso_token t;
	char err[512];
	if (sso_token_parse(body, n, &t, err, sizeof err) != 0) {
		fz_check_message(err, sizeof err, "sso_token_parse");
		fz_check_no_secret(err, "sso_token_parse's message");
		return;
	}
	FZ_ASSERT(t.access_token && *t.access_token, "token accepted without an access token");
	enum sso_token_action a = sso_token_decide(&t, FZ_NOW);
	FZ_ASSERT(a == SSO_TOKEN_USE || a == SSO_TOKEN_REFRESH || a == SSO_TOKEN_EXPIRED, "decision %d", (int)a);
	FZ_ASSERT(a != SSO_TOKEN_REFRESH || sso_token_can_refresh(&t, FZ_NOW), "refresh without refresh data");
	sso_token_free(&t);
	char *m = sso_token_merge(body, n, "NEWACCESS", 1893553445.0, "NEWREFRESH");
	FZ_ASSERT(m, "an accepted token file cannot be merged");
	FZ_ASSERT(sso_token_parse(m, strlen(m), &t, err, sizeof err) == 0, "merged file does not parse: %s", err);
	FZ_ASSERT(strcmp(t.access_token, "NEWACCESS") == 0 && t.expires_at == 1893553445.0 && t.refresh_token &&
			  strcmp(t.refresh_token, "NEWREFRESH") == 0,
		  "merged file lost the new token");
	sso_token_free(&t);
	OPENSSL_cleanse(m, strlen(m));
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[3];
	fz_split(data, size, f, 3);
	long status = strtol(f[1].s, NULL, 10);
	size_t n;
	char *body = fz_expand(f[2].s, f[2].n, &n);
	char err[512];
	if (strcmp(f[0].s, "token") == 0) {
		token_file(body, n);
	} else if (strcmp(f[0].s, "oidc") == 0) {
		char *a, *r;
		double exp;
		if (sso_oidc_parse_create_token(status, body, n, FZ_NOW, &a, &exp, &r, err, sizeof err) == 0) {
			FZ_ASSERT(status == 200 && a && *a && exp > FZ_NOW, "CreateToken HTTP %ld accepted", status);
			free(a);
			free(r);
		} else {
			fz_check_message(err, sizeof err, "sso_oidc_parse_create_token");
			if (status == 200)
				fz_check_no_secret(err, "sso_oidc_parse_create_token's message for HTTP 200");
		}
	} else {
		struct creds c;
		if (sso_parse_role_credentials(status, "", body, n, &c, err, sizeof err) == 0) {
			FZ_ASSERT(status == 200, "GetRoleCredentials HTTP %ld accepted", status);
			fz_check_creds(&c, "sso", "sso_parse_role_credentials");
			FZ_ASSERT(c.expiration > 0 && c.session_token, "accepted without expiration or session token");
			creds_free(&c);
		} else {
			fz_check_message(err, sizeof err, "sso_parse_role_credentials");
			if (status == 200)
				fz_check_no_secret(err, "sso_parse_role_credentials's message for HTTP 200");
		}
	}
	free(body);
	fz_fields_free(f, 3);
	return 0;
}
