/*
 * fuzz_aws_config.c - the shared config and credentials files (aws_config.h).
 * Input, split at the first NUL byte: the config file text, the credentials file
 * text; every "@SECRET@" becomes FZ_SECRET (as if a key were in the file).
 * Properties: a rejected pair has a message that renders and holds no part of the
 * secret (values are never copied into messages); an accepted pair lists profiles
 * and sso-sessions whose names are identifiers ([A-Za-z0-9_/.%@:+-]+) and that
 * aws_config_has_profile() knows; every listed property name is an identifier with
 * no upper-case letter, and looking it up by name (in any case) gives its value.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "aws_config.h"
#include "fuzz.h"

static int identifier(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-/.%@:+", *s))
			return 0;
	return 1;
}

static void check_property(const char *owner, const char *name, const char *value, const char *upper_value)
{
	FZ_ASSERT(identifier(name), "%s: property name \"%s\" is not an identifier", owner, name);
	for (const char *p = name; *p; p++)
		FZ_ASSERT(!(*p >= 'A' && *p <= 'Z'), "%s: property name \"%s\" not lower-cased", owner, name);
	FZ_ASSERT(value, "%s: listed property \"%s\" has no value", owner, name);
	FZ_ASSERT(upper_value == value, "%s: property \"%s\" not found when spelt in upper case", owner, name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field f[2];
	size_t cl, crl;
	fz_split(data, size, f, 2);
	char *config = fz_expand(f[0].s, f[0].n, &cl), *creds = fz_expand(f[1].s, f[1].n, &crl);
	char err[512];
	struct aws_config *cfg = aws_config_parse(cl ? config : NULL, cl, crl ? creds : NULL, crl, err, sizeof err);
	if (!cfg) {
		fz_check_message(err, sizeof err, "aws_config_parse");
		fz_check_no_secret(err, "aws_config_parse's message");
		goto out;
	}
	char upper[AWS_CONFIG_MAX_LINE + 1];
	size_t np = aws_config_profile_count(cfg);
	for (size_t i = 0; i < np; i++) {
		const char *p = aws_config_profile_name(cfg, i);
		FZ_ASSERT(identifier(p), "profile name \"%s\" is not an identifier", p ? p : "(null)");
		FZ_ASSERT(aws_config_has_profile(cfg, p), "listed profile \"%s\" unknown", p);
		size_t nk = aws_config_property_count(cfg, p);
		for (size_t k = 0; k < nk; k++) {
			const char *name = aws_config_property_name(cfg, p, k);
			FZ_ASSERT(name && strlen(name) < sizeof upper, "profile \"%s\": property %zu has no name", p, k);
			size_t j;
			for (j = 0; name[j]; j++)
				upper[j] = (char)toupper((unsigned char)name[j]);
			upper[j] = '\0';
			const char *v = aws_config_get(cfg, p, name);
			check_property(p, name, v, aws_config_get(cfg, p, upper));
			(void)aws_config_get_sub(cfg, p, name, "endpoint_url");
			(void)aws_config_services_get(cfg, v, "s3tables", "endpoint_url");
		}
		FZ_ASSERT(!aws_config_property_name(cfg, p, nk), "profile \"%s\": a property past the count", p);
	}
	FZ_ASSERT(!aws_config_profile_name(cfg, np), "a profile past the count");
	size_t ns = aws_config_sso_session_count(cfg);
	for (size_t i = 0; i < ns; i++) {
		const char *s = aws_config_sso_session_name(cfg, i);
		FZ_ASSERT(identifier(s), "sso-session name \"%s\" is not an identifier", s ? s : "(null)");
		size_t nk = aws_config_sso_session_property_count(cfg, s);
		for (size_t k = 0; k < nk; k++) {
			const char *name = aws_config_sso_session_property_name(cfg, s, k);
			FZ_ASSERT(name && aws_config_sso_session_get(cfg, s, name), "sso-session \"%s\": property %zu", s, k);
		}
	}
	aws_config_free(cfg);
out:
	free(config);
	free(creds);
	fz_fields_free(f, 2);
	return 0;
}
