/*
 * fuzz_creds_sso.c - IAM Identity Center (SSO) inputs (creds_sso_token.h,
 * creds_sso.h). Input, split at NUL bytes: an HTTP status (decimal) for both
 * answers, the token cache file (~/.aws/sso/cache/<key>.json), an SSO OIDC
 * CreateToken answer, a GetRoleCredentials answer; every "@SECRET@" becomes
 * FZ_SECRET.
 * Properties: a cache file that parses has a non-empty access token and a finite
 * expiry, and sso_token_merge() of it with a new token gives a text that parses
 * back with exactly the new token, expiry (whole seconds) and refresh token; a
 * cache file that does not parse has a message without any part of the secret
 * (fields are named, never quoted). CreateToken and GetRoleCredentials are only
 * accepted with HTTP 200, then with a token and a finite expiry, or with a key id,
 * a secret and the source "sso"; a refused 200 answer has a message without the
 * secret (other statuses quote the service's error message on purpose). Every
 * message renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "creds_sso.h"
#include "creds_sso_token.h"
#include "fuzz.h"

#define FZ_NOW 1764547200.0 /* 2025-12-01T00:00:00Z */

static void cache_file(const char *text, size_t n)
{
	struct sso_token t, back;
	char err[512];
	if (sso_token_parse(text, n, &t, err, sizeof err) != 0) {
		fz_check_message(err, sizeof err, "sso_token_parse");
		fz_check_no_secret(err, "sso_token_parse's message");
		return;
	}
	FZ_ASSERT(t.access_token && t.access_token[0] && isfinite(t.expires_at), "token accepted without value or expiry");
	(void)sso_token_can_refresh(&t, FZ_NOW);
	char *m = sso_token_merge(text, n, "NEW-ACCESS-TOKEN", 1893553445.0, "NEW-REFRESH-TOKEN");
	FZ_ASSERT(m, "a cache file that parses does not merge");
	FZ_ASSERT(sso_token_parse(m, strlen(m), &back, err, sizeof err) == 0, "merged text does not parse: %s", err);
	FZ_ASSERT(strcmp(back.access_token, "NEW-ACCESS-TOKEN") == 0 && back.expires_at == 1893553445.0 &&
		  back.refresh_token && strcmp(back.refresh_token, "NEW-REFRESH-TOKEN") == 0,
		  "merge did not replace the token, expiry or refresh token");
	FZ_ASSERT(fz_same_str(back.client_id, t.client_id) && fz_same_str(back.client_secret, t.client_secret) &&
		  back.registration_expires_at == t.registration_expires_at, "merge lost a refresh field");
	free(m);
	sso_token_free(&back);
	sso_token_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[4];
	fz_split(data, size, f, 4);
	long status = strtol(f[0].s, NULL, 10);
	size_t n1, n2, n3;
	char *cache = fz_expand(f[1].s, f[1].n, &n1), *oidc = fz_expand(f[2].s, f[2].n, &n2),
	     *role = fz_expand(f[3].s, f[3].n, &n3);
	char err[512];

	cache_file(cache, n1);

	char *access = NULL, *refresh = NULL;
	double exp = 0;
	if (sso_oidc_parse_create_token(status, oidc, n2, FZ_NOW, &access, &exp, &refresh, err, sizeof err) == 0) {
		FZ_ASSERT(status == 200 && access && access[0] && isfinite(exp), "CreateToken accepted (HTTP %ld)", status);
		free(access);
		free(refresh);
	} else {
		fz_check_message(err, sizeof err, "sso_oidc_parse_create_token");
		if (status == 200)
			fz_check_no_secret(err, "sso_oidc_parse_create_token's message for HTTP 200");
	}

	struct creds c;
	if (sso_parse_role_credentials(status, NULL, role, n3, &c, err, sizeof err) == 0) {
		FZ_ASSERT(status == 200, "GetRoleCredentials accepted with HTTP %ld", status);
		fz_check_creds(&c, "sso", "sso_parse_role_credentials");
		creds_free(&c);
	} else {
		fz_check_message(err, sizeof err, "sso_parse_role_credentials");
		if (status == 200)
			fz_check_no_secret(err, "sso_parse_role_credentials's message for HTTP 200");
	}
	free(cache);
	free(oidc);
	free(role);
	fz_fields_free(f, 4);
	return 0;
}
