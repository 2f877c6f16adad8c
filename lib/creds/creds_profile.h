/*
 * creds_profile.h - credentials from the selected profile of the shared config /
 * credentials files (static keys, role_arn chains, web identity, credential_process).
 *
 * Contract:
 *  - creds_profile_plan() is pure (no I/O): it resolves a profile into a chain the way
 *    the AWS SDK for Rust does (aws-config profile/credentials/repr.rs, pinned by the
 *    cross-SDK corpus assume-role-tests.json):
 *      * in the selected profile: SSO settings -> an SSO base (validated, not run);
 *        role_arn without web_identity_token_file -> an AssumeRole step whose source is
 *        source_profile (followed) or credential_source (this profile's base); having
 *        both or neither is an error;
 *      * otherwise (and for the profile that ends the chain) the base is, in order:
 *        credential_source (a named source) -> role_arn + web_identity_token_file ->
 *        credential_process -> static keys (aws_access_key_id + aws_secret_access_key,
 *        optional aws_session_token / aws_account_id; a partial set is an error);
 *      * from the second profile on, complete static keys end the chain at once, even
 *        when that profile also has role_arn; a profile may name itself as
 *        source_profile (then its own base is used); any other revisit is a loop.
 *    step[0] is the base, step[1..n-1] the AssumeRole steps in the order they run.
 *    Strings in the plan point into cfg (valid until aws_config_free()).
 *    Returns CREDS_FOUND with the plan; CREDS_NOT_CONFIGURED when the file defines no
 *    profiles, "default" is selected but absent, or the selected profile holds no
 *    credential settings at all; CREDS_BROKEN for every other problem. err gets the
 *    SDK's wording (e.g. "profile formed an infinite loop: A -> B -> A") and never a
 *    credential value.
 *  - creds_from_profile() is the provider: profile = ctx->profile, else $AWS_PROFILE,
 *    else "default" (aws_config_profile_name_from()). ctx->config NULL, or an absent
 *    profile that was not asked for by name: NOT_CONFIGURED. An absent profile asked for
 *    by --profile or AWS_PROFILE: BROKEN "profile 'x' not found in <config>, <credentials>".
 *    It then runs the plan: static keys (source "profile"), named source (Environment ->
 *    creds_from_environment, Ec2InstanceMetadata -> creds_from_imds, EcsContainer ->
 *    creds_from_container, case-insensitive; others BROKEN), web identity and AssumeRole
 *    through creds_sts, credential_process through creds_process, SSO (IAM Identity
 *    Center, both the sso_session and the legacy form) through creds_sso (source "sso").
 *    An AssumeRole step whose profile has mfa_serial is BROKEN before any request: an
 *    unattended check cannot prompt for the code; the message names that profile.
 */
#ifndef S3T_CREDS_PROFILE_H
#define S3T_CREDS_PROFILE_H

#include <stddef.h>

#include "credentials.h"

struct aws_config;

#define CREDS_PLAN_MAX_STEPS 16

enum creds_plan_kind {
	CREDS_PLAN_ACCESS_KEY,   /* static keys of .profile */
	CREDS_PLAN_NAMED_SOURCE, /* credential_source = .named_source */
	CREDS_PLAN_WEB_IDENTITY, /* .role_arn + .web_identity_token_file [+ .role_session_name] */
	CREDS_PLAN_PROCESS,      /* .credential_process */
	CREDS_PLAN_SSO,          /* .sso_* (creds_sso.h) */
	CREDS_PLAN_ASSUME_ROLE   /* .role_arn [+ .role_session_name, .external_id, .duration_seconds] */
};

struct creds_plan_step {
	enum creds_plan_kind kind;
	const char *profile; /* the profile the step comes from */
	const char *role_arn, *role_session_name, *external_id, *duration_seconds;
	const char *web_identity_token_file;
	const char *named_source;
	const char *credential_process;
	const char *access_key_id, *secret_access_key, *session_token, *account_id;
	const char *sso_session, *sso_account_id, *sso_region, *sso_role_name, *sso_start_url;
};

struct creds_plan {
	size_t nsteps;
	struct creds_plan_step step[CREDS_PLAN_MAX_STEPS];
};

/*
 * A profile named explicitly (ctx->profile, or $AWS_PROFILE) must exist in one of the two
 * files, whatever source ends up supplying the keys (the AWS CLI refuses it too: "The config
 * profile (x) could not be found"). 0 when it exists or none was named; -1 with "profile 'x'
 * (from --profile) not found in CONFIG, CREDENTIALS" otherwise. No check without ctx->config.
 */
int creds_profile_check_named(const struct creds_context *ctx, char *err, size_t errsz);

enum creds_status creds_profile_plan(const struct aws_config *cfg, const char *profile, struct creds_plan *plan,
				     char *err, size_t errsz);

/* "kind" names used in messages and tests: "AccessKey", "NamedSource", "WebIdentityToken",
 * "CredentialProcess", "Sso", "AssumeRole". */
const char *creds_plan_kind_name(enum creds_plan_kind kind);

#endif
