/*
 * creds_container.h - credentials from the ECS task / EKS Pod Identity
 * container credentials endpoint (creds_from_container() in credentials.h).
 *
 * Contract:
 *  - URI selection (creds_container_uri(), pure, no I/O, the cross-SDK cases
 *    in ecs-tests.json): AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (must start with
 *    '/') wins and becomes "http://169.254.170.2<relative>" (query kept); else
 *    AWS_CONTAINER_CREDENTIALS_FULL_URI is used as given. An empty variable counts
 *    as unset. A full URI must be http or https with a host, no user info, a
 *    numeric port (1-65535) if any, and no spaces or control characters. https may
 *    name any host; http only a loopback address (127.0.0.0/8 or [::1] literal, or
 *    "localhost"), the ECS host 169.254.170.2 or the EKS Pod Identity hosts
 *    169.254.170.23 / [fd00:ec2::23] (botocore's string check, no DNS here).
 *  - creds_from_container(): NOT_CONFIGURED when neither variable is set. Else
 *    BROKEN for a disallowed/invalid URI (no request is made) or for "localhost"
 *    that resolves to anything but loopback. The Authorization header is the
 *    trimmed content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (read on every
 *    call; unreadable or empty -> BROKEN naming the file), else
 *    AWS_CONTAINER_AUTHORIZATION_TOKEN; a token with CR/LF is BROKEN. One GET
 *    (Accept: application/json) capped at CREDS_CONTAINER_TIMEOUT s and at the
 *    run's deadline; one retry on a 5xx or a connection failure while time
 *    remains. Any status but 200, bad JSON or missing fields -> BROKEN with a
 *    reason that names "container credentials endpoint" and host[:port] (never
 *    the path, the token or any credential). Source: "eks-pod-identity" for the
 *    EKS hosts, otherwise "container".
 *  - ctx->http NULL: a private client with default options is used for the call;
 *    ctx->deadline NULL: a private CREDS_CONTAINER_FALLBACK_BUDGET s deadline.
 */
#ifndef S3T_CREDS_CONTAINER_H
#define S3T_CREDS_CONTAINER_H

#include <stddef.h>

#include "credentials.h"

#define CREDS_CONTAINER_ECS_HOST "169.254.170.2"
#define CREDS_CONTAINER_TIMEOUT 2.0          /* seconds per attempt (botocore, aws-c-auth) */
#define CREDS_CONTAINER_FALLBACK_BUDGET 5.0  /* seconds, only when ctx->deadline is NULL */

enum creds_container_uri_result {
	CREDS_CONTAINER_URI_INVALID = -1, /* configured but not usable: err says why */
	CREDS_CONTAINER_URI_OK = 0,       /* url filled */
	CREDS_CONTAINER_URI_UNSET = 1     /* neither variable set: err says so */
};

/*
 * Pick and validate the endpoint URL from the environment (getenv_fn NULL means
 * getenv(3)). Returns a creds_container_uri_result. err is always written when
 * the result is not OK (and "" on OK); it may quote the URI's host, never a token.
 */
int creds_container_uri(const char *(*getenv_fn)(const char *), char *url, size_t urlsz, char *err,
			size_t errsz);

/*
 * Split an http(s) URL: scheme (lower-cased), host (IPv6 without brackets,
 * lower-cased), port (0 when absent) and the rest (path, query; "" when absent).
 * Refuses spaces/control characters ("invalid uri character"), a missing scheme
 * or host ("URI did not specify a host"), user info, a bad port and any scheme
 * but http/https. 0, or -1 with a reason. Pure; also used by creds_imds.c.
 */
int creds_container_split_url(const char *url, char *scheme, size_t schemesz, char *host, size_t hostsz,
			      int *port, const char **rest, char *err, size_t errsz);

/* 1 when url's host is an EKS Pod Identity host (169.254.170.23, fd00:ec2::23), else 0. */
int creds_container_is_eks(const char *url);

/*
 * Parse the endpoint's JSON body: AccessKeyId, SecretAccessKey and Expiration
 * (ISO 8601) are required, Token is optional (aws-c-auth). Fills *out with the
 * given source name. 0, or -1 with a reason that never quotes a value.
 */
int creds_container_parse(const char *body, size_t len, const char *source, struct creds *out, char *err,
			  size_t errsz);

#endif
