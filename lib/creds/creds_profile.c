/* creds_profile.c - see creds_profile.h. */
#define _GNU_SOURCE
#include "creds_profile.h"
#include "error.h"
#include "strbuf.h"
#include "trace.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws_config.h"
#include "creds_process.h"
#include "creds_sso.h"
#include "creds_sts.h"

const char *creds_plan_kind_name(enum creds_plan_kind kind)
{
	switch (kind) {
	case CREDS_PLAN_ACCESS_KEY:
		return "AccessKey";
	case CREDS_PLAN_NAMED_SOURCE:
		return "NamedSource";
	case CREDS_PLAN_WEB_IDENTITY:
		return "WebIdentityToken";
	case CREDS_PLAN_PROCESS:
		return "CredentialProcess";
	case CREDS_PLAN_SSO:
		return "Sso";
	case CREDS_PLAN_ASSUME_ROLE:
		return "AssumeRole";
	}
	return "?";
}

/* A property, with an empty value counting as absent. */
static const char *prop(const struct aws_config *cfg, const char *profile, const char *key)
{
	const char *v = aws_config_get(cfg, profile, key);
	return v && *v ? v : NULL;
}

/* 1: base found (step filled); 0: none of the three static keys; -1: error (err set). */
static int static_keys(const struct aws_config *cfg, const char *name, struct creds_plan_step *st, char *err,
		       size_t errsz)
{
	const char *id = prop(cfg, name, "aws_access_key_id");
	const char *secret = prop(cfg, name, "aws_secret_access_key");
	const char *token = prop(cfg, name, "aws_session_token");
	if (!id && !secret && !token)
		return 0;
	if (!id || !secret) {
		error_set(err, errsz, "invalid credential source in profile `%s`: profile missing %s", name,
			  !id ? "aws_access_key_id" : "aws_secret_access_key");
		return -1;
	}
	memset(st, 0, sizeof *st);
	st->kind = CREDS_PLAN_ACCESS_KEY;
	st->profile = name;
	st->access_key_id = id;
	st->secret_access_key = secret;
	st->session_token = token;
	st->account_id = prop(cfg, name, "aws_account_id");
	return 1;
}

/* 1: SSO base; 0: no SSO settings; -1: invalid. */
static int sso_base(const struct aws_config *cfg, const char *name, struct creds_plan_step *st, char *err,
		    size_t errsz)
{
	const char *account = prop(cfg, name, "sso_account_id");
	const char *region = prop(cfg, name, "sso_region");
	const char *role = prop(cfg, name, "sso_role_name");
	const char *url = prop(cfg, name, "sso_start_url");
	const char *session = prop(cfg, name, "sso_session");
	if (!account && !region && !role && !url && !session)
		return 0;
	if (session) {
		if (url || region) {
			error_set(err, errsz,
				  "invalid SSO configuration in profile `%s`: `%s` can only be specified in the "
				  "[sso-session] config when a session name is given",
				  name, url ? "sso_start_url" : "sso_region");
			return -1;
		}
		int found = 0;
		for (size_t i = 0; i < aws_config_sso_session_count(cfg) && !found; i++)
			found = strcmp(aws_config_sso_session_name(cfg, i), session) == 0;
		if (!found) {
			error_set(err, errsz, "sso-session named `%s` (referenced by profile `%s`) was not found", session,
				  name);
			return -1;
		}
		url = aws_config_sso_session_get(cfg, session, "sso_start_url");
		region = aws_config_sso_session_get(cfg, session, "sso_region");
	}
	if (account && !role) {
		error_set(err, errsz,
			  "invalid SSO configuration in profile `%s`: if `sso_account_id` is set, then "
			  "`sso_role_name` must also be set",
			  name);
		return -1;
	}
	if (role && !account) {
		error_set(err, errsz,
			  "invalid SSO configuration in profile `%s`: if `sso_role_name` is set, then "
			  "`sso_account_id` must also be set",
			  name);
		return -1;
	}
	if (!region) {
		error_set(err, errsz, "invalid SSO configuration in profile `%s`: `sso_region` was missing", name);
		return -1;
	}
	memset(st, 0, sizeof *st);
	st->kind = CREDS_PLAN_SSO;
	st->profile = name;
	st->sso_session = session;
	st->sso_account_id = account;
	st->sso_region = region;
	st->sso_role_name = role;
	st->sso_start_url = url;
	return 1;
}

/* The base of a profile that ends the chain: 1 filled, 0 nothing there, -1 error. */
static int base_provider(const struct aws_config *cfg, const char *name, struct creds_plan_step *st, char *err,
			 size_t errsz)
{
	memset(st, 0, sizeof *st);
	st->profile = name;
	const char *source = prop(cfg, name, "credential_source");
	if (source) {
		st->kind = CREDS_PLAN_NAMED_SOURCE;
		st->named_source = source;
		return 1;
	}
	const char *arn = prop(cfg, name, "role_arn");
	const char *file = prop(cfg, name, "web_identity_token_file");
	if (file && !arn) {
		error_set(err, errsz, "invalid credential source in profile `%s`: `role_arn` was missing", name);
		return -1;
	}
	if (file) {
		st->kind = CREDS_PLAN_WEB_IDENTITY;
		st->role_arn = arn;
		st->web_identity_token_file = file;
		st->role_session_name = prop(cfg, name, "role_session_name");
		return 1;
	}
	const char *process = prop(cfg, name, "credential_process");
	if (process) {
		st->kind = CREDS_PLAN_PROCESS;
		st->credential_process = process;
		return 1;
	}
	return static_keys(cfg, name, st, err, errsz);
}

enum creds_status creds_profile_plan(const struct aws_config *cfg, const char *profile, struct creds_plan *plan,
				     char *err, size_t errsz)
{
	memset(plan, 0, sizeof *plan);
	if (!cfg || aws_config_profile_count(cfg) == 0) {
		error_set(err, errsz, "No profiles were defined");
		return CREDS_NOT_CONFIGURED;
	}
	if (!profile || !*profile)
		profile = "default";
	if (strcmp(profile, "default") == 0 && !aws_config_has_profile(cfg, profile)) {
		error_set(err, errsz, "No profiles were defined (no profile `default`)");
		return CREDS_NOT_CONFIGURED;
	}
	const char *visited[CREDS_PLAN_MAX_STEPS];
	size_t nvisited = 0;
	struct creds_plan_step roles[CREDS_PLAN_MAX_STEPS];
	size_t nroles = 0;
	struct creds_plan_step base;
	const char *name = profile;
	for (;;) {
		if (!aws_config_has_profile(cfg, name)) {
			error_set(err, errsz, "could not find source profile %s referenced from %s", name,
				  nvisited ? visited[nvisited - 1] : "the root profile");
			return CREDS_BROKEN;
		}
		for (size_t i = 0; i < nvisited; i++) {
			if (strcmp(visited[i], name) == 0) {
				struct strbuf chain = { 0 };
				for (size_t j = 0; j < nvisited; j++) {
					strbuf_add(&chain, visited[j]);
					strbuf_add(&chain, " -> ");
				}
				strbuf_add(&chain, name);
				error_set(err, errsz, "profile formed an infinite loop: %s",
					  chain.oom ? "(out of memory)" : chain.p);
				strbuf_free(&chain);
				return CREDS_BROKEN;
			}
		}
		if (nvisited == CREDS_PLAN_MAX_STEPS - 1) {
			error_set(err, errsz, "profile chain starting at `%s` is longer than %d profiles", profile,
				  CREDS_PLAN_MAX_STEPS - 1);
			return CREDS_BROKEN;
		}
		visited[nvisited++] = name;
		if (nvisited > 1) {
			char ignore[8];
			if (static_keys(cfg, name, &base, ignore, sizeof ignore) == 1)
				break;
		}
		int r = sso_base(cfg, name, &base, err, errsz);
		if (r < 0)
			return CREDS_BROKEN;
		if (r > 0)
			break;
		const char *arn = prop(cfg, name, "role_arn");
		if (arn && !prop(cfg, name, "web_identity_token_file")) {
			const char *src = prop(cfg, name, "source_profile");
			const char *named = prop(cfg, name, "credential_source");
			if (src && named) {
				error_set(err, errsz,
					  "invalid credential source in profile `%s`: profile contained both source_profile "
					  "and credential_source. Only one or the other can be defined",
					  name);
				return CREDS_BROKEN;
			}
			if (!src && !named) {
				error_set(err, errsz,
					  "invalid credential source in profile `%s`: profile must contain `source_profile` "
					  "or `credential_source` but neither were defined",
					  name);
				return CREDS_BROKEN;
			}
			struct creds_plan_step *st = &roles[nroles++];
			memset(st, 0, sizeof *st);
			st->kind = CREDS_PLAN_ASSUME_ROLE;
			st->profile = name;
			st->role_arn = arn;
			st->role_session_name = prop(cfg, name, "role_session_name");
			st->external_id = prop(cfg, name, "external_id");
			st->duration_seconds = prop(cfg, name, "duration_seconds");
			if (named || strcmp(src, name) == 0) {
				/* credential_source, or a profile that names itself: its own base */
				r = base_provider(cfg, name, &base, err, errsz);
				if (r < 0)
					return CREDS_BROKEN;
				if (r == 0) {
					error_set(err, errsz, "profile `%s` did not contain credential information", name);
					return CREDS_BROKEN;
				}
				break;
			}
			name = src;
			continue;
		}
		r = base_provider(cfg, name, &base, err, errsz);
		if (r < 0)
			return CREDS_BROKEN;
		if (r == 0) {
			error_set(err, errsz, "profile `%s` did not contain credential information", name);
			return nvisited == 1 ? CREDS_NOT_CONFIGURED : CREDS_BROKEN;
		}
		break;
	}
	plan->step[plan->nsteps++] = base;
	while (nroles > 0)
		plan->step[plan->nsteps++] = roles[--nroles];
	return CREDS_FOUND;
}

/* ------------------------------------------------------------------ provider */

static enum creds_status run_named_source(const struct creds_context *ctx, const struct creds_plan_step *st,
					  struct creds *out, char *err, size_t errsz)
{
	static const struct {
		const char *name;
		enum creds_status (*fn)(const struct creds_context *, struct creds *, char *, size_t);
		const char *what;
	} sources[] = {
		{"Environment", creds_from_environment, "no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment"},
		{"Ec2InstanceMetadata", creds_from_imds, "the instance metadata service is disabled or not configured"},
		{"EcsContainer", creds_from_container, "no container credentials endpoint is configured"},
	};
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		if (strcasecmp(st->named_source, sources[i].name) != 0)
			continue;
		char why[512] = "";
		enum creds_status s = sources[i].fn(ctx, out, why, sizeof why);
		if (s == CREDS_FOUND)
			return CREDS_FOUND;
		if (s == CREDS_NOT_CONFIGURED)
			error_set(err, errsz, "profile '%s': credential_source %s: %s", st->profile, sources[i].name,
				  sources[i].what);
		else
			error_set(err, errsz, "profile '%s': credential_source %s: %s", st->profile, sources[i].name, why);
		return CREDS_BROKEN;
	}
	char shown[64];
	size_t n = 0;
	for (const char *p = st->named_source; *p && n + 1 < sizeof shown; p++)
		shown[n++] = (unsigned char)*p < 0x20 ? ' ' : *p;
	shown[n] = '\0';
	error_set(err, errsz,
		  "profile '%s': unsupported credential_source '%s' (expected Environment, Ec2InstanceMetadata or "
		  "EcsContainer)",
		  st->profile, shown);
	return CREDS_BROKEN;
}

static int parse_duration(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	if (errno || end == s || *end || v < 900 || v > 43200)
		return -1;
	*out = (int)v;
	return 0;
}

int creds_profile_check_named(const struct creds_context *ctx, char *err, size_t errsz)
{
	if (!ctx || !ctx->config)
		return 0;
	const char *option = ctx->profile && *ctx->profile ? ctx->profile : NULL;
	const char *name = aws_config_profile_name_from(option, ctx->getenv_fn);
	int explicit_profile = option != NULL || creds_getenv(ctx, "AWS_PROFILE") != NULL;
	if (!explicit_profile || aws_config_has_profile(ctx->config, name))
		return 0;
	char cp[512] = "", crp[512] = "", why[128];
	if (aws_config_paths(ctx->getenv_fn, cp, sizeof cp, crp, sizeof crp, why, sizeof why) != 0)
		cp[0] = crp[0] = '\0';
	error_set(err, errsz, "profile '%s' (from %s) not found in %s, %s", name, option ? "--profile" : "AWS_PROFILE",
		  *cp ? cp : "(no config file)", *crp ? crp : "(no credentials file)");
	return -1;
}

enum creds_status creds_from_profile(const struct creds_context *ctx, struct creds *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	if (!ctx || !ctx->config)
		return CREDS_NOT_CONFIGURED;
	const char *option = ctx->profile && *ctx->profile ? ctx->profile : NULL;
	const char *name = aws_config_profile_name_from(option, ctx->getenv_fn);
	if (creds_profile_check_named(ctx, err, errsz) != 0)
		return CREDS_BROKEN;
	if (!aws_config_has_profile(ctx->config, name))
		return CREDS_NOT_CONFIGURED;
	struct creds_plan plan;
	char why[512];
	enum creds_status s = creds_profile_plan(ctx->config, name, &plan, why, sizeof why);
	if (s == CREDS_NOT_CONFIGURED) {
		trace_printf(ctx->trace, 2, "profile '%s': %s", name, why);
		return CREDS_NOT_CONFIGURED;
	}
	if (s == CREDS_BROKEN) {
		error_set(err, errsz, "profile '%s': %s", name, why);
		return CREDS_BROKEN;
	}
	/* validate every AssumeRole step before any network traffic */
	int durations[CREDS_PLAN_MAX_STEPS] = {0};
	for (size_t i = 1; i < plan.nsteps; i++) {
		if (prop(ctx->config, plan.step[i].profile, "mfa_serial")) {
			error_set(err, errsz,
				  "profile '%s': the role needs an MFA code (mfa_serial is set), and an unattended check "
				  "cannot prompt for one; use a profile without mfa_serial, or credentials that do not "
				  "need MFA",
				  plan.step[i].profile);
			return CREDS_BROKEN;
		}
		if (plan.step[i].duration_seconds && parse_duration(plan.step[i].duration_seconds, &durations[i]) != 0) {
			error_set(err, errsz, "profile '%s': duration_seconds must be a whole number from 900 to 43200",
				  plan.step[i].profile);
			return CREDS_BROKEN;
		}
	}
	const struct creds_plan_step *b = &plan.step[0];
	char label[200];
	snprintf(label, sizeof label, "profile '%s'", b->profile);
	struct creds cur;
	memset(&cur, 0, sizeof cur);
	switch (b->kind) {
	case CREDS_PLAN_ACCESS_KEY:
		if (creds_set(&cur, b->access_key_id, b->secret_access_key, b->session_token, 0, "profile") != 0) {
			error_set(err, errsz, "%s: out of memory", label);
			return CREDS_BROKEN;
		}
		break;
	case CREDS_PLAN_NAMED_SOURCE:
		if (run_named_source(ctx, b, &cur, err, errsz) != CREDS_FOUND)
			return CREDS_BROKEN;
		break;
	case CREDS_PLAN_WEB_IDENTITY:
		if (sts_web_identity_from_file(ctx, b->role_arn, b->web_identity_token_file, b->role_session_name, label,
					       &cur, err, errsz) != 0)
			return CREDS_BROKEN;
		break;
	case CREDS_PLAN_PROCESS:
		if (creds_run_process(ctx, b->credential_process, label, &cur, err, errsz) != 0)
			return CREDS_BROKEN;
		break;
	case CREDS_PLAN_SSO: {
		struct sso_config sc = {.profile = b->profile, .session_name = b->sso_session,
					.start_url = b->sso_start_url, .region = b->sso_region,
					.account_id = b->sso_account_id, .role_name = b->sso_role_name};
		char why2[1400];
		trace_printf(ctx->trace, 2, "%s: IAM Identity Center (SSO)%s%s, role %s in account %s", label,
			     sc.session_name ? " session " : " start URL ",
			     sc.session_name ? sc.session_name : sc.start_url ? sc.start_url : "?",
			     sc.role_name ? sc.role_name : "?", sc.account_id ? sc.account_id : "?");
		if (creds_sso_fetch(ctx, &sc, &cur, why2, sizeof why2) != 0) {
			error_set(err, errsz, "%s: %s", label, why2);
			return CREDS_BROKEN;
		}
		break;
	}
	case CREDS_PLAN_ASSUME_ROLE:
		error_set(err, errsz, "%s: internal error: no base credentials", label);
		return CREDS_BROKEN;
	}
	for (size_t i = 1; i < plan.nsteps; i++) {
		const struct creds_plan_step *st = &plan.step[i];
		struct creds next;
		snprintf(label, sizeof label, "profile '%s'", st->profile);
		trace_printf(ctx->trace, 2, "%s: assuming role %s with credentials from %s", label, st->role_arn,
			     cur.source);
		int rc = sts_assume_role(ctx, &cur, st->role_arn, st->role_session_name, st->external_id, durations[i],
					 label, &next, err, errsz);
		creds_free(&cur);
		if (rc != 0)
			return CREDS_BROKEN;
		cur = next;
	}
	*out = cur;
	return CREDS_FOUND;
}
