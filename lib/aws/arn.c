/*
 * arn.c - parse and validate S3 Tables ARNs (see arn.h for the contract).
 */
#include "arn.h"
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum want { WANT_TABLE, WANT_BUCKET, WANT_EITHER };

/*
 * Quote len bytes of s for an error message: at most 64 source bytes, bytes
 * outside printable ASCII written as \xNN, "..." appended when shortened.
 */
static const char *quote(char *buf, size_t bufsz, const char *s, size_t len)
{
	size_t o = 0, i;
	const size_t max = 64;
	for (i = 0; i < len && i < max && o + 5 < bufsz; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '\\') {
			if (c == '\\')
				o += (size_t)snprintf(buf + o, bufsz - o, "\\\\");
			else
				o += (size_t)snprintf(buf + o, bufsz - o, "\\x%02x", c);
		} else {
			buf[o++] = (char)c;
		}
	}
	if (i < len && o + 4 <= bufsz) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o < bufsz ? o : bufsz - 1] = '\0';
	return buf;
}

static int is_lower_digit_dash(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int is_bucket_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_table_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

/* The whole text: present, not too long, printable ASCII without whitespace, "arn:..." */
static int check_text(const char *text, size_t *lenp, char *err, size_t errsz)
{
	char q[300];
	if (!text) {
		error_set(err, errsz, "ARN is missing");
		return -1;
	}
	size_t len = strnlen(text, ARN_MAX_LEN + 1);
	if (len == 0) {
		error_set(err, errsz, "ARN is empty");
		return -1;
	}
	if (len > ARN_MAX_LEN) {
		error_set(err, errsz, "ARN is longer than %d characters", ARN_MAX_LEN);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
			error_set(err, errsz, "ARN contains whitespace (byte 0x%02x) at offset %zu", c, i);
			return -1;
		}
		if (c < 0x20 || c == 0x7f) {
			error_set(err, errsz, "ARN contains a control character (byte 0x%02x) at offset %zu", c, i);
			return -1;
		}
		if (c >= 0x80) {
			error_set(err, errsz, "ARN contains a non-ASCII byte (0x%02x) at offset %zu", c, i);
			return -1;
		}
	}
	if (strncmp(text, "arn:", 4) != 0) {
		error_set(err, errsz, "ARN '%s' does not start with 'arn:'", quote(q, sizeof q, text, len));
		return -1;
	}
	*lenp = len;
	return 0;
}

/* Split into the six ':'-separated fields. */
static int split_fields(const char *text, size_t len, const char *f[6], size_t flen[6], char *err, size_t errsz)
{
	int n = 0;
	f[0] = text;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == ':') {
			if (n < 5) {
				flen[n] = (size_t)(text + i - f[n]);
				f[n + 1] = text + i + 1;
			}
			n++;
		}
	}
	if (n != 5) {
		error_set(err, errsz,
			  "ARN has %d ':'-separated fields, expected 6 "
			  "(arn:partition:s3tables:region:account:resource)",
			  n + 1);
		return -1;
	}
	flen[5] = (size_t)(text + len - f[5]);
	return 0;
}

/* A partition or region: non-empty, a-z 0-9 '-', copied into out (outsz with the NUL). */
static int copy_name_field(const char *what, const char *v, size_t vlen, char *out, size_t outsz, char *err,
			   size_t errsz)
{
	char q[300], cbuf[16];
	if (vlen == 0) {
		error_set(err, errsz, "%s is empty", what);
		return -1;
	}
	for (size_t i = 0; i < vlen; i++) {
		if (!is_lower_digit_dash(v[i])) {
			error_set(err, errsz, "%s '%s' contains %s; only a-z, 0-9 and '-' are allowed", what,
				  quote(q, sizeof q, v, vlen), error_describe_char(cbuf, sizeof cbuf, v[i]));
			return -1;
		}
	}
	if (vlen >= outsz) {
		error_set(err, errsz, "%s '%s' is longer than %zu characters", what, quote(q, sizeof q, v, vlen),
			  outsz - 1);
		return -1;
	}
	memcpy(out, v, vlen);
	return 0;
}

/* Fields 1-4: partition ("aws..."), service "s3tables", region, 12-digit account. */
static int parse_fields(const char *const f[6], const size_t flen[6], struct arn *a, char *err, size_t errsz)
{
	char q[300], cbuf[16];
	if (flen[1] != 0 && (flen[1] < 3 || strncmp(f[1], "aws", 3) != 0)) {
		error_set(err, errsz, "partition '%s' does not start with 'aws'", quote(q, sizeof q, f[1], flen[1]));
		return -1;
	}
	if (copy_name_field("partition", f[1], flen[1], a->partition, sizeof a->partition, err, errsz))
		return -1;
	if (flen[2] != 8 || strncmp(f[2], "s3tables", 8) != 0) {
		error_set(err, errsz, "service '%s' is not 's3tables'", quote(q, sizeof q, f[2], flen[2]));
		return -1;
	}
	if (copy_name_field("region", f[3], flen[3], a->region, sizeof a->region, err, errsz))
		return -1;
	for (size_t i = 0; i < flen[4]; i++) {
		if (f[4][i] < '0' || f[4][i] > '9') {
			error_set(err, errsz, "account '%s' contains %s; it must be 12 digits",
				  quote(q, sizeof q, f[4], flen[4]), error_describe_char(cbuf, sizeof cbuf, f[4][i]));
			return -1;
		}
	}
	if (flen[4] != 12) {
		if (flen[4] == 0)
			error_set(err, errsz, "account is empty; it must be 12 digits");
		else
			error_set(err, errsz, "account '%s' is not 12 digits (it has %zu)", quote(q, sizeof q, f[4], flen[4]),
				  flen[4]);
		return -1;
	}
	memcpy(a->account, f[4], 12);
	return 0;
}

/* "bucket/{name}" at the start of the resource; *bendp is where the name ends. */
static int parse_bucket(const char *text, const char *r, size_t rlen, struct arn *a, const char **bendp, char *err,
			size_t errsz)
{
	char q[300], cbuf[16];
	const char *rend = r + rlen;
	if (rlen == 0) {
		error_set(err, errsz, "resource is empty; expected 'bucket/<name>'");
		return -1;
	}
	if (rlen < 7 || strncmp(r, "bucket/", 7) != 0) {
		error_set(err, errsz, "resource '%s' does not start with 'bucket/'", quote(q, sizeof q, r, rlen));
		return -1;
	}
	const char *b = r + 7, *bend = b;
	while (bend < rend && *bend != '/')
		bend++;
	size_t blen = (size_t)(bend - b);
	if (blen == 0) {
		error_set(err, errsz, "bucket name is empty");
		return -1;
	}
	for (size_t i = 0; i < blen; i++) {
		if (!is_bucket_char(b[i])) {
			error_set(err, errsz, "bucket name '%s' contains %s; only a-z, 0-9, '_' and '-' are allowed",
				  quote(q, sizeof q, b, blen), error_describe_char(cbuf, sizeof cbuf, b[i]));
			return -1;
		}
	}
	if (blen < 3 || blen > 63) {
		error_set(err, errsz, "bucket name '%s' is %zu characters long; it must be 3 to 63",
			  quote(q, sizeof q, b, blen), blen);
		return -1;
	}
	memcpy(a->bucket, b, blen);
	/* The bucket ARN is everything up to the end of the bucket name. */
	if ((size_t)(bend - text) >= sizeof a->bucket_arn) {
		error_set(err, errsz, "table bucket ARN is longer than %zu characters", sizeof a->bucket_arn - 1);
		return -1;
	}
	memcpy(a->bucket_arn, text, (size_t)(bend - text));
	*bendp = bend;
	return 0;
}

/* The table id after "/table/": t .. t + tlen. */
static int parse_table_id(const char *t, size_t tlen, struct arn *a, char *err, size_t errsz)
{
	char q[300], cbuf[16];
	if (tlen == 0) {
		error_set(err, errsz, "table id is missing after '/table/'");
		return -1;
	}
	for (size_t i = 0; i < tlen; i++) {
		if (t[i] == '/') {
			if (i + 1 == tlen)
				error_set(err, errsz, "trailing '/' after table id '%s'", quote(q, sizeof q, t, i));
			else
				error_set(err, errsz, "table id '%s' contains '/'", quote(q, sizeof q, t, tlen));
			return -1;
		}
		if (!is_table_id_char(t[i])) {
			error_set(err, errsz, "table id '%s' contains %s; only A-Z, a-z, 0-9, '_' and '-' are allowed",
				  quote(q, sizeof q, t, tlen), error_describe_char(cbuf, sizeof cbuf, t[i]));
			return -1;
		}
	}
	if (tlen > 255) {
		error_set(err, errsz, "table id '%s' is %zu characters long; the maximum is 255", quote(q, sizeof q, t, tlen),
			  tlen);
		return -1;
	}
	memcpy(a->table_id, t, tlen);
	a->is_table = 1;
	return 0;
}

/* What follows the bucket name (rest .. rend, starting with '/'): "/table/{id}" or nothing. */
static int parse_after_bucket(const char *text, size_t len, const char *rest, const char *rend, enum want want,
			      struct arn *a, char *err, size_t errsz)
{
	char q[300];
	size_t restlen = (size_t)(rend - rest);
	if (restlen == 0) {
		if (want == WANT_TABLE) {
			error_set(err, errsz,
				  "'%s' is a table bucket ARN, but a table ARN "
				  "('.../bucket/<name>/table/<table-id>') is required",
				  quote(q, sizeof q, text, len));
			return -1;
		}
		a->is_table = 0;
		return 0;
	}
	if (restlen == 1) {
		error_set(err, errsz, "trailing '/' after bucket name '%s'", a->bucket);
		return -1;
	}
	if (restlen >= 6 && strncmp(rest, "/table", 6) == 0 && (restlen == 6 || rest[6] == '/')) {
		if (want == WANT_BUCKET) {
			error_set(err, errsz,
				  "'%s' is a table ARN, but a table bucket ARN ('.../bucket/<name>') is required "
				  "(the table's bucket ARN is '%s')",
				  quote(q, sizeof q, text, len), a->bucket_arn);
			return -1;
		}
		const char *t = rest + 6 + (restlen > 6 ? 1 : 0);
		return parse_table_id(t, (size_t)(rend - t), a, err, errsz);
	}
	if (want == WANT_BUCKET)
		error_set(err, errsz, "unexpected '%s' after bucket name '%s' in a table bucket ARN",
			  quote(q, sizeof q, rest, restlen), a->bucket);
	else
		error_set(err, errsz, "expected '/table/<table-id>' after bucket name '%s', found '%s'", a->bucket,
			  quote(q, sizeof q, rest, restlen));
	return -1;
}

static int parse(const char *text, struct arn *out, enum want want, char *err, size_t errsz)
{
	struct arn a;
	const char *f[6], *bend;
	size_t flen[6], len;

	memset(&a, 0, sizeof a);
	if (!out) {
		error_set(err, errsz, "internal error: no output structure for the ARN");
		return -1;
	}
	memset(out, 0, sizeof *out);
	if (check_text(text, &len, err, errsz) || split_fields(text, len, f, flen, err, errsz) ||
	    parse_fields(f, flen, &a, err, errsz) || parse_bucket(text, f[5], flen[5], &a, &bend, err, errsz) ||
	    parse_after_bucket(text, len, bend, f[5] + flen[5], want, &a, err, errsz))
		return -1;
	*out = a;
	return 0;
}

int arn_parse_table(const char *text, struct arn *out, char *err, size_t errsz)
{
	return parse(text, out, WANT_TABLE, err, errsz);
}

int arn_parse_bucket(const char *text, struct arn *out, char *err, size_t errsz)
{
	return parse(text, out, WANT_BUCKET, err, errsz);
}

int arn_parse(const char *text, struct arn *out, char *err, size_t errsz)
{
	return parse(text, out, WANT_EITHER, err, errsz);
}
