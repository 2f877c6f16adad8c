/*
 * fuzz_creds_container.c - the container credentials endpoint (creds_container.h).
 * Input, split at NUL bytes: the endpoint's response body,
 * AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI
 * (empty = unset); every "@SECRET@" becomes FZ_SECRET, and
 * AWS_CONTAINER_AUTHORIZATION_TOKEN is FZ_SECRET too.
 * Properties: an accepted body gives a key id, a secret and an expiration; a
 * rejected body has a message with no part of the secret. creds_container_uri()
 * gives a URL only when one variable is set, the relative URI behind
 * http://169.254.170.2, the full URI as given, and a URL that
 * creds_container_split_url() accepts (http or https, a host, port 0-65535);
 * its message never holds the token. creds_container_split_url() of the full URI,
 * when it succeeds, gives lower-case parts and a rest that is the URL's tail.
 */
#include <stdlib.h>
#include <string.h>

#include "creds_container.h"
#include "fuzz.h"

static void check_split(const char *url, int must_succeed)
{
	char scheme[16], host[512], err[256];
	int port = -1;
	const char *rest = NULL;
	if (creds_container_split_url(url, scheme, sizeof scheme, host, sizeof host, &port, &rest, err, sizeof err)) {
		FZ_ASSERT(!must_succeed, "creds_container_uri gave \"%s\", which does not split: %s", url, err);
		fz_check_message(err, sizeof err, "creds_container_split_url");
		fz_check_no_secret(err, "creds_container_split_url's message");
		return;
	}
	FZ_ASSERT(strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0, "\"%s\": scheme \"%s\"", url, scheme);
	FZ_ASSERT(host[0], "\"%s\": empty host", url);
	for (const char *p = host; *p; p++)
		FZ_ASSERT(!(*p >= 'A' && *p <= 'Z') && (unsigned char)*p > 0x20 && *p != 0x7f,
			  "\"%s\": host \"%s\" not lower-case or has a blank/control byte", url, host);
	FZ_ASSERT(port >= 0 && port <= 65535, "\"%s\": port %d", url, port);
	FZ_ASSERT(rest && rest >= url && rest <= url + strlen(url), "\"%s\": rest outside the URL", url);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[3];
	size_t n;
	fz_split(data, size, f, 3);
	char *body = fz_expand(f[0].s, f[0].n, &n);
	char *full = fz_expand(f[1].s, f[1].n, NULL), *rel = fz_expand(f[2].s, f[2].n, NULL);
	struct creds c;
	char err[512], url[2048];

	if (creds_container_parse(body, n, "container", &c, err, sizeof err) == 0) {
		fz_check_creds(&c, "container", "creds_container_parse");
		creds_free(&c);
	} else {
		fz_check_message(err, sizeof err, "creds_container_parse");
		fz_check_no_secret(err, "creds_container_parse's message");
	}

	fz_env_clear();
	fz_env_set("AWS_CONTAINER_CREDENTIALS_FULL_URI", full);
	fz_env_set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", f[2].n ? rel : NULL);
	fz_env_set("AWS_CONTAINER_AUTHORIZATION_TOKEN", FZ_SECRET);
	int rc = creds_container_uri(fz_getenv, url, sizeof url, err, sizeof err);
	if (rc == CREDS_CONTAINER_URI_OK) {
		FZ_ASSERT(f[1].n || f[2].n, "a URL with neither variable set");
		if (f[2].n && rel[strspn(rel, " \t\r\n")])
			FZ_ASSERT(strncmp(url, "http://" CREDS_CONTAINER_ECS_HOST, sizeof "http://" CREDS_CONTAINER_ECS_HOST - 1) == 0,
				  "relative URI \"%s\" gives \"%s\"", rel, url);
		check_split(url, 1);
	} else {
		FZ_ASSERT(rc == CREDS_CONTAINER_URI_INVALID || rc == CREDS_CONTAINER_URI_UNSET, "result %d", rc);
		fz_check_message(err, sizeof err, "creds_container_uri");
		fz_check_no_secret(err, "creds_container_uri's message");
	}
	check_split(full, 0);
	(void)creds_container_is_eks(full);

	fz_env_clear();
	free(body);
	free(full);
	free(rel);
	fz_fields_free(f, 3);
	return 0;
}
