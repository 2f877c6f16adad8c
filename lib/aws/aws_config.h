/*
 * aws_config.h - the AWS shared config and credentials files (~/.aws/config,
 * ~/.aws/credentials), parsed the way the AWS SDKs parse them.
 *
 * Contract: a C port of the AWS SDK for Rust profile parser (smithy-rs
 * aws-runtime env_config/parse.rs + normalize.rs), i.e. the rules pinned down by
 * the cross-SDK corpus profile-parser-tests.json:
 *   - lines are split on "\n" (a "\r" right before it is dropped); blank lines
 *     (only spaces/tabs) and lines starting with '#' or ';' are skipped;
 *   - "[...]" starts a section; a '#'/';' anywhere after it starts a comment;
 *     the trimmed line must then end with ']';
 *   - a line starting with a space or tab continues the previous property's value
 *     ("\n" + the trimmed line); after "key =" (empty value) each continuation
 *     must itself be "subkey = value" (a sub-property block; stored as the raw
 *     value "\nsubkey = value..." and also parsed, see aws_config_get_sub());
 *   - any other line is "key = value": split at the first '=', both trimmed
 *     (spaces/tabs), the key lower-cased (ASCII); in a value, '#'/';' starts a
 *     comment only when preceded by whitespace;
 *   - section headers "[prefix name]" / "[name]": config file: "[default]",
 *     "[profile NAME]", "[sso-session NAME]", "[services NAME]" (others ignored);
 *     credentials file: "[NAME]" only. NAME and property names must be
 *     identifiers ([A-Za-z0-9_-/.%@:+]+), else the section / property is ignored;
 *     if a config file has "[profile default]", its "[default]" sections are ignored;
 *   - duplicates merge, the last definition wins (file order); the credentials
 *     file is merged after the config file, so it wins for the same key.
 * Deliberate additions: a text over AWS_CONFIG_MAX_FILE bytes, a line over
 * AWS_CONFIG_MAX_LINE bytes, a NUL byte or invalid UTF-8 (both SDKs refuse
 * non-UTF-8 files) is an error; "[]" (empty name) is ignored in both files;
 * sub-properties exist only for values that start with a newline ("key =" block,
 * as botocore's _parse_nested) and sub-key lookups ignore ASCII case.
 *
 * Memory: struct aws_config owns every string; returned pointers stay valid until
 * aws_config_free(). Lookups never allocate. Profile and session names compare
 * exactly; property names ignore ASCII case.
 *
 * Errors: constructors return NULL and write "<file>, line N: <what>" (e.g.
 * "config file, line 3: Expected a profile definition", or with the path for
 * aws_config_load) into err (always NUL-terminated when errsz > 0; err may be NULL).
 * Values are never copied into messages (they may be secrets).
 */
#ifndef S3T_AWS_CONFIG_H
#define S3T_AWS_CONFIG_H

#include <stddef.h>

#define AWS_CONFIG_MAX_FILE (1024u * 1024u) /* bytes per file */
#define AWS_CONFIG_MAX_LINE (64u * 1024u)   /* bytes per line, without the newline */

struct aws_config;

/* Parse the two file texts (either may be NULL = no file; texts need no NUL). */
struct aws_config *aws_config_parse(const char *config_text, size_t config_len, const char *credentials_text,
				    size_t credentials_len, char *err, size_t errsz);

/*
 * Read and parse the files. A NULL or "" path, or a file that does not exist,
 * counts as empty. A directory, an unreadable or oversized file is an error that
 * names the path.
 */
struct aws_config *aws_config_load(const char *config_path, const char *credentials_path, char *err, size_t errsz);

void aws_config_free(struct aws_config *cfg);

/* Property of a profile (key case-insensitive); NULL if the profile or key is absent. */
const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key);

/* Sub-property "key =\n  subkey = value" of a profile; NULL if absent. */
const char *aws_config_get_sub(const struct aws_config *cfg, const char *profile, const char *key,
			       const char *subkey);

/* 1 if the profile exists (even with no properties), else 0. */
int aws_config_has_profile(const struct aws_config *cfg, const char *profile);

/* [services NAME] section: sub-property key of service, e.g. ("x", "s3tables", "endpoint_url"). */
const char *aws_config_services_get(const struct aws_config *cfg, const char *services_name, const char *service,
				    const char *key);

/* [sso-session NAME] property; NULL if absent. */
const char *aws_config_sso_session_get(const struct aws_config *cfg, const char *session, const char *key);

/* Iteration, in order of first definition. Out-of-range / unknown names give 0 / NULL. */
size_t aws_config_profile_count(const struct aws_config *cfg);
const char *aws_config_profile_name(const struct aws_config *cfg, size_t i);
size_t aws_config_property_count(const struct aws_config *cfg, const char *profile);
const char *aws_config_property_name(const struct aws_config *cfg, const char *profile, size_t i);
size_t aws_config_sso_session_count(const struct aws_config *cfg);
const char *aws_config_sso_session_name(const struct aws_config *cfg, size_t i);
size_t aws_config_sso_session_property_count(const struct aws_config *cfg, const char *session);
const char *aws_config_sso_session_property_name(const struct aws_config *cfg, const char *session, size_t i);

/*
 * File locations (file-location-tests.json, aws-c-sdkutils): config =
 * $AWS_CONFIG_FILE else "~/.aws/config"; credentials = $AWS_SHARED_CREDENTIALS_FILE
 * else "~/.aws/credentials" (an empty variable counts as unset). A '~' is expanded
 * with $HOME only when it is the whole first path segment ("~" or "~/..."); when
 * HOME is unset or empty such a path cannot be located and is returned as ""
 * (which aws_config_load() treats as no file). getenv_fn NULL means getenv().
 * Fails only when a buffer is too small.
 */
int aws_config_paths(const char *(*getenv_fn)(const char *), char *config_path, size_t cpsz,
		     char *credentials_path, size_t crsz, char *err, size_t errsz);

/*
 * Selected profile: option if non-empty, else $AWS_PROFILE if non-empty, else
 * "default" (aws-c-sdkutils aws_get_profile_name; botocore's AWS_DEFAULT_PROFILE is
 * not consulted). Returns option, the environment string or a static string.
 */
const char *aws_config_profile_name_from(const char *option, const char *(*getenv_fn)(const char *));

/*
 * A setting from the environment (env_name, unset/blank = not set) else the profile (key);
 * NULL when neither has it. *where (if non-NULL) gets env_name or key.
 */
const char *aws_config_setting(const struct aws_config *cfg, const char *profile,
			       const char *(*getenv_fn)(const char *), const char *env_name, const char *key,
			       const char **where);

/* The same for a boolean ("true"/"false", any case; absent = 0); -1 naming the variable or
 * the profile key on any other value. */
int aws_config_setting_bool(const struct aws_config *cfg, const char *profile,
			    const char *(*getenv_fn)(const char *), const char *env_name, const char *key, int *out,
			    char *err, size_t errsz);

/*
 * The configured endpoint of a service (botocore ConfiguredEndpointProvider, lookup order
 * environment_service, environment_global, config_service, config_global): nothing when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS / ignore_configured_endpoint_urls is true; else
 * AWS_ENDPOINT_URL_<KEY> (service_key upper-cased, '-' and ' ' as '_'), AWS_ENDPOINT_URL,
 * the profile's [services NAME] "<service_key> =\n endpoint_url = ...", the profile's
 * endpoint_url. service_key is the snake-case service id: "sso", "sso_oidc", "sts".
 * *url is NULL when none is configured; where gets a label of the source. The URL is not
 * validated here (endpoint_resolve*() does). -1 only for a bad ignore_configured... value.
 */
int aws_config_endpoint_url(const struct aws_config *cfg, const char *profile,
			    const char *(*getenv_fn)(const char *), const char *service_key, const char **url,
			    char *where, size_t wheresz, char *err, size_t errsz);

#endif
