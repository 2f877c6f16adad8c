/*
 * sigv4.h - AWS Signature Version 4 (Authorization-header mode).
 *
 * Contract:
 * - sigv4_sign() is pure: no I/O, no globals, the signing time is an argument.
 *   It builds the canonical request, the string to sign and the signature for
 *   one HTTP request and returns the header values the caller must send.
 * - The signer itself adds and signs "x-amz-date" (always), "x-amz-security-token"
 *   (when credentials->session_token is non-NULL) and "x-amz-content-sha256" (when
 *   params->sign_content_sha256 is set). The caller must NOT pass those headers
 *   (nor Authorization) in request->headers; sigv4_sign() rejects them. The caller
 *   then sends its own headers plus:
 *       X-Amz-Date: result.amz_date
 *       X-Amz-Security-Token: credentials->session_token   (if any)
 *       X-Amz-Content-SHA256: result.payload_hash          (if sign_content_sha256)
 *       Authorization: result.authorization
 * - Every header in request->headers is signed. A Host header is required.
 *   Header names are matched case-insensitively; values are trimmed and inner
 *   whitespace runs (including folded newlines) collapse to one space; repeated
 *   names are joined with ',' in input order.
 * - Path: request->path is the path as sent on the wire (labels already
 *   percent-encoded by the caller, e.g. with sigv4_uri_encode(x, 1)), no query.
 *   normalize_path removes "." / ".." / empty segments (botocore rules; a
 *   trailing '/' is kept). double_encode_path URI-encodes that path once more
 *   ('%' -> "%25"), which every non-S3 service, s3tables included, requires;
 *   for S3 set both to 0. For s3tables set both to 1.
 * - Query: request->query is the raw query string without '?'. Each name and
 *   value is percent-decoded and re-encoded (RFC 3986 unreserved set, "%20" for
 *   space, '+' is a literal plus), then the pairs are sorted by name, then value.
 * - Payload hash = hex SHA-256 of the body (body may be NULL when body_len is 0).
 * - Memory: on success *out owns three heap strings; release them with
 *   sigv4_result_free(). On failure *out holds no allocations (it is safe, but
 *   not required, to call sigv4_result_free() on it).
 * - Errors: 0 on success, -1 on failure with a NUL-terminated reason in err
 *   (err may be NULL when errsz is 0). Reasons never contain the secret key or
 *   the session token. The derived signing key is wiped with OPENSSL_cleanse().
 */
#ifndef S3T_SIGV4_H
#define S3T_SIGV4_H

#include <stddef.h>
#include <time.h>

struct sigv4_header {
	const char *name;
	const char *value;
};

struct sigv4_request {
	const char *method;                 /* "GET" */
	const char *path;                   /* wire path, no query, e.g. "/buckets/arn%3Aaws..." */
	const char *query;                  /* raw query without '?'; NULL or "" for none */
	const struct sigv4_header *headers; /* must include Host */
	size_t nheaders;
	const void *body;                   /* NULL allowed when body_len == 0 */
	size_t body_len;
};

struct sigv4_credentials {
	const char *access_key_id;
	const char *secret_access_key;
	const char *session_token;          /* NULL if none */
};

/*
 * The derived signing key (HMAC chain over secret, date, region, service), kept between
 * requests by a caller that signs many (a fleet run signs thousands with one key a day):
 * reused while the access key id and the scope stay the same, derived again otherwise.
 * Owned by the caller, one per thread; zero-initialise; sigv4_key_cache_clear() wipes it.
 */
struct sigv4_key_cache {
	int valid;
	char access_key_id[129];
	char scope[160];                    /* date8/region/service */
	unsigned char key[32];
};

void sigv4_key_cache_clear(struct sigv4_key_cache *c);

struct sigv4_params {
	const char *region;                 /* "us-east-1" */
	const char *service;                /* signing name, "s3tables" */
	time_t now;                         /* signing time (UTC seconds since the epoch) */
	int normalize_path;                 /* 1 for every service except S3 */
	int double_encode_path;             /* 1 for every service except S3 */
	int sign_content_sha256;            /* 1: add and sign x-amz-content-sha256 */
	struct sigv4_key_cache *key_cache;  /* NULL: derive the key for every request */
};

struct sigv4_result {
	char amz_date[17];                  /* YYYYMMDDTHHMMSSZ: the X-Amz-Date value to send */
	char payload_hash[65];              /* hex SHA-256 of the body */
	char signature[65];                 /* lowercase hex */
	char *canonical_request;
	char *string_to_sign;
	char *authorization;                /* full Authorization header value */
};

int sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *creds,
	       const struct sigv4_params *params, struct sigv4_result *out,
	       char *err, size_t errsz);

void sigv4_result_free(struct sigv4_result *res);

/*
 * Percent-encode every byte of in except the RFC 3986 unreserved set
 * A-Z a-z 0-9 - _ . ~ (uppercase hex, space -> "%20"). '/' is kept unless
 * encode_slash is non-zero. Use encode_slash=1 for query names/values and for
 * single path labels such as an ARN. Returns a malloc'd string the caller
 * frees, or NULL if in is NULL or memory runs out.
 */
char *sigv4_uri_encode(const char *in, int encode_slash);

/* Lowercase hex SHA-256 of data[0..len) into out (64 chars + NUL). */
void sigv4_hex_sha256(const void *data, size_t len, char out[65]);

#endif
