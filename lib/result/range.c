/* range.c - see range.h. */
#include "range.h"
#include "error.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One parsed finite endpoint. */
struct endpoint {
	double d;
	int64_t i64;
	int exact;
};

/*
 * Printable copy of s[0..len) for error messages: at most 40 input bytes,
 * non-printable bytes as \xNN, "..." when cut. Returns out.
 */
static const char *shown(const char *s, size_t len, char out[200])
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (size_t i = 0; i < len && i < 40; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (len > 40) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Multiplier of a unit letter for a kind; 0 when not allowed. */
static uint64_t unit_multiplier(enum range_kind kind, char c)
{
	switch (kind) {
	case RANGE_DURATION:
		switch (c) {
		case 's': return 1;
		case 'm': return 60;
		case 'h': return 3600;
		case 'd': return 86400;
		}
		return 0;
	case RANGE_BYTES:
		switch (c) {
		case 'B': return 1;
		case 'K': return UINT64_C(1) << 10;
		case 'M': return UINT64_C(1) << 20;
		case 'G': return UINT64_C(1) << 30;
		case 'T': return UINT64_C(1) << 40;
		}
		return 0;
	default:
		return 0;
	}
}

/*
 * Exact value of sign * digits * 10^exp10 * mult when it is an integer that
 * fits in int64_t. digits holds nd decimal digits (no '.').
 */
static int exact_value(int negative, const char *digits, size_t nd, long exp10, uint64_t mult, int64_t *out)
{
	uint64_t m = 0, u;
	/* strip leading and trailing zeros */
	while (nd > 0 && digits[0] == '0') {
		digits++;
		nd--;
	}
	if (nd == 0) {
		*out = 0;
		return 1;
	}
	while (nd > 0 && digits[nd - 1] == '0') {
		nd--;
		exp10++;
	}
	if (nd > 19) /* more significant digits than any int64 has */
		return 0;
	for (size_t i = 0; i < nd; i++)
		m = m * 10 + (uint64_t)(digits[i] - '0'); /* cannot overflow: < 10^19 */
	if (exp10 >= 0) {
		if (exp10 > 19)
			return 0;
		u = m;
		for (long i = 0; i < exp10; i++)
			if (__builtin_mul_overflow(u, (uint64_t)10, &u))
				return 0;
		if (__builtin_mul_overflow(u, mult, &u))
			return 0;
	} else {
		uint64_t den = 1;
		if (-exp10 > 19)
			return 0;
		for (long i = 0; i < -exp10; i++)
			den *= 10;
		if (__builtin_mul_overflow(m, mult, &u))
			return 0;
		if (u % den != 0)
			return 0;
		u /= den;
	}
	if (!negative) {
		if (u > (uint64_t)INT64_MAX)
			return 0;
		*out = (int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX + 1)
			return 0;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	}
	return 1;
}

/*
 * Parse one finite endpoint s[0..len); which names it in messages
 * ("start of the range", "end of the range", "range").
 */
/* The number at the start of an endpoint: sign, digits, fraction, exponent (units come after). */
struct scanned {
	char digits[512];  /* every digit, integer part then fraction */
	size_t nd, frac;   /* digits, of which after the '.' */
	int negative, have_exp;
	long exp;
	size_t numlen;     /* bytes of s the number takes */
};

static int scan_number(const char *s, size_t len, const char *which, struct scanned *n, char *err, size_t errsz)
{
	char sh[200];
	size_t i = 0;
	memset(n, 0, sizeof *n);
	if (i < len && (s[i] == '+' || s[i] == '-'))
		n->negative = s[i++] == '-';
	if (i < len && s[i] == '~') {
		error_set(err, errsz, "'~' (negative infinity) is only valid as the whole start, as in '~:10'");
		return -1;
	}
	for (int in_frac = 0;; in_frac = 1) {
		while (i < len && is_digit(s[i])) {
			if (n->nd < sizeof(n->digits))
				n->digits[n->nd] = s[i];
			n->nd++;
			n->frac += (size_t)in_frac;
			i++;
		}
		if (in_frac || i >= len || s[i] != '.')
			break;
		i++;
	}
	if (n->nd == 0) {
		size_t rest = len - i;
		const char *r = s + i;
		if ((rest >= 3 && (strncasecmp(r, "inf", 3) == 0 || strncasecmp(r, "nan", 3) == 0)))
			error_set(err, errsz, "'%s' is not allowed in the %s (use '~:' or 'N:' for unbounded ranges)",
				  shown(s, len, sh), which);
		else
			error_set(err, errsz, "expected a number in the %s, got '%s'", which, shown(s, len, sh));
		return -1;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		int eneg = 0;
		if (j < len && (s[j] == '+' || s[j] == '-'))
			eneg = s[j++] == '-';
		if (j < len && is_digit(s[j])) {
			n->have_exp = 1;
			while (j < len && is_digit(s[j])) {
				if (n->exp < 1000000)
					n->exp = n->exp * 10 + (s[j] - '0');
				j++;
			}
			if (eneg)
				n->exp = -n->exp;
			i = j;
		}
	}
	n->numlen = i;
	if (n->nd > sizeof(n->digits) || n->numlen >= 512) {
		error_set(err, errsz, "number in the %s is too long", which);
		return -1;
	}
	return 0;
}

/* The unit after the number (r .. r + rest), as a multiplier; 1 without one. 0 and err: not allowed. */
static uint64_t parse_unit(const char *r, size_t rest, enum range_kind kind, const char *which, char *err,
			   size_t errsz)
{
	char sh[200];
	if (rest == 0)
		return 1;
	uint64_t mult = rest == 1 ? unit_multiplier(kind, *r) : 0;
	if (mult)
		return mult;
	switch (kind) {
	case RANGE_DURATION:
		error_set(err, errsz, "unknown duration unit '%s' in the %s (use s, m, h or d)", shown(r, rest, sh),
			  which);
		break;
	case RANGE_BYTES:
		error_set(err, errsz, "unknown byte unit '%s' in the %s (use B, K, M, G or T)", shown(r, rest, sh), which);
		break;
	default:
		error_set(err, errsz, "unexpected '%s' after the number in the %s (no unit allowed here)",
			  shown(r, rest, sh), which);
		break;
	}
	return 0;
}

static int parse_endpoint(const char *s, size_t len, enum range_kind kind, const char *which,
			  struct endpoint *ep, char *err, size_t errsz)
{
	char num[512], sh[200];
	struct scanned n;
	char *endp;
	if (scan_number(s, len, which, &n, err, errsz))
		return -1;
	uint64_t mult = parse_unit(s + n.numlen, len - n.numlen, kind, which, err, errsz);
	if (!mult)
		return -1;
	memcpy(num, s, n.numlen);
	num[n.numlen] = '\0';
	errno = 0;
	double d = strtod(num, &endp);
	if (endp != num + n.numlen) { /* cannot happen: our grammar is a subset of strtod's */
		error_set(err, errsz, "invalid number '%s' in the %s", shown(num, n.numlen, sh), which);
		return -1;
	}
	if (errno == ERANGE || !isfinite(d)) {
		error_set(err, errsz, "number '%s' in the %s is out of range", shown(num, n.numlen, sh), which);
		return -1;
	}
	d *= (double)mult;
	if (!isfinite(d)) {
		error_set(err, errsz, "'%s' in the %s is out of range", shown(s, len, sh), which);
		return -1;
	}
	ep->exact = exact_value(n.negative, n.digits, n.nd, (n.have_exp ? n.exp : 0) - (long)n.frac, mult, &ep->i64);
	ep->d = ep->exact ? (double)ep->i64 : d;
	if (!ep->exact)
		ep->i64 = 0;
	return 0;
}

static int format_endpoint(double d, int64_t i64, int exact, char *buf, size_t bufsz);

/* Exact three-way comparison of an int64 with a non-NaN double. */
static int cmp_i64_double(int64_t a, double d)
{
	double f;
	int64_t fi;
	if (d >= 9223372036854775808.0) /* 2^63 */
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	f = floor(d);
	fi = (int64_t)f; /* f is in [-2^63, 2^63) */
	if (a < fi)
		return -1;
	if (a > fi)
		return 1;
	return f == d ? 0 : -1;
}

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

/* Exact comparison of two finite endpoints. */
static int cmp_endpoints(double ad, int64_t ai, int aexact, double bd, int64_t bi, int bexact)
{
	if (aexact && bexact)
		return cmp_i64(ai, bi);
	if (aexact)
		return cmp_i64_double(ai, bd);
	if (bexact)
		return -cmp_i64_double(bi, ad);
	return (ad > bd) - (ad < bd);
}

int range_parse(const char *text, enum range_kind kind, struct range *out, char *err, size_t errsz)
{
	struct range r;
	struct endpoint ep;
	const char *p, *colon;

	if (err && errsz)
		err[0] = '\0';
	if (!text || !*text) {
		error_set(err, errsz, "empty range");
		return -1;
	}
	if (kind != RANGE_PLAIN && kind != RANGE_DURATION && kind != RANGE_BYTES) {
		error_set(err, errsz, "unknown range kind");
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.start_exact = 1; /* start defaults to exactly 0 ("10", ":5") */
	p = text;
	if (*p == '@') {
		r.alert_inside = 1;
		p++;
		if (!*p) {
			error_set(err, errsz, "'@' must be followed by a range, as in '@10:20'");
			return -1;
		}
	}
	colon = strchr(p, ':');
	if (colon && strchr(colon + 1, ':')) {
		error_set(err, errsz, "too many ':' in range (expected START:END)");
		return -1;
	}
	if (colon) {
		size_t slen = (size_t)(colon - p);
		if (slen == 0) {
			/* empty start means 0, as in upstream */
		} else if (slen == 1 && *p == '~') {
			r.start_infinite = 1;
			r.start_exact = 0;
		} else {
			if (parse_endpoint(p, slen, kind, "start of the range", &ep, err, errsz) != 0)
				return -1;
			r.start = ep.d;
			r.start_i64 = ep.i64;
			r.start_exact = ep.exact;
		}
		p = colon + 1;
		if (!*p)
			r.end_infinite = 1;
	}
	if (!r.end_infinite) {
		if (parse_endpoint(p, strlen(p), kind, colon ? "end of the range" : "range", &ep, err, errsz) != 0)
			return -1;
		r.end = ep.d;
		r.end_i64 = ep.i64;
		r.end_exact = ep.exact;
	}
	if (!r.start_infinite && !r.end_infinite &&
	    cmp_endpoints(r.start, r.start_i64, r.start_exact, r.end, r.end_i64, r.end_exact) > 0) {
		char a[64], b[64];
		if (format_endpoint(r.start, r.start_i64, r.start_exact, a, sizeof(a)) != 0)
			strcpy(a, "?");
		if (format_endpoint(r.end, r.end_i64, r.end_exact, b, sizeof(b)) != 0)
			strcpy(b, "?");
		error_set(err, errsz, "start of range (%s) is greater than its end (%s)%s", a, b,
		        colon ? "" : "; a bare N means 0..N");
		return -1;
	}
	*out = r;
	return 0;
}

static int result(const struct range *r, int inside)
{
	return r->alert_inside ? inside : !inside;
}

int range_alerts_double(const struct range *r, double v)
{
	int ge_start, le_end;
	if (isnan(v)) {
		ge_start = r->start_infinite;
		le_end = r->end_infinite;
	} else {
		ge_start = r->start_infinite ||
		           (r->start_exact ? cmp_i64_double(r->start_i64, v) <= 0 : r->start <= v);
		le_end = r->end_infinite ||
		         (r->end_exact ? cmp_i64_double(r->end_i64, v) >= 0 : v <= r->end);
	}
	return result(r, ge_start && le_end);
}

int range_alerts_i64(const struct range *r, int64_t v)
{
	int ge_start = r->start_infinite ||
	               (r->start_exact ? r->start_i64 <= v : cmp_i64_double(v, r->start) >= 0);
	int le_end = r->end_infinite ||
	             (r->end_exact ? v <= r->end_i64 : cmp_i64_double(v, r->end) <= 0);
	return result(r, ge_start && le_end);
}

/* Plain decimal text of a finite endpoint into buf; 0 or -1 when too small. */
static int format_endpoint(double d, int64_t i64, int exact, char *buf, size_t bufsz)
{
	char tmp[1200];
	int n;
	if (exact) {
		n = snprintf(buf, bufsz, "%" PRId64, i64);
		return n < 0 || (size_t)n >= bufsz ? -1 : 0;
	}
	if (d == floor(d)) {
		n = snprintf(tmp, sizeof(tmp), "%.0f", d);
	} else {
		/* shortest fixed-point text that reads back as the same double */
		n = -1;
		for (int prec = 1; prec <= 1100; prec++) {
			n = snprintf(tmp, sizeof(tmp), "%.*f", prec, d);
			if (n < 0 || (size_t)n >= sizeof(tmp))
				return -1;
			if (strtod(tmp, NULL) == d)
				break;
		}
	}
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n >= bufsz)
		return -1;
	memcpy(buf, tmp, (size_t)n + 1);
	return 0;
}

int range_format(const struct range *r, char *buf, size_t bufsz)
{
	char s[1200], e[1200];
	int n;

	if (!buf || bufsz == 0)
		return -1;
	buf[0] = '\0';
	s[0] = e[0] = '\0';
	if (r->start_infinite)
		strcpy(s, "~");
	else if (format_endpoint(r->start, r->start_i64, r->start_exact, s, sizeof(s)) != 0)
		return -1;
	if (!r->end_infinite && format_endpoint(r->end, r->end_i64, r->end_exact, e, sizeof(e)) != 0)
		return -1;

	if (!r->start_infinite && !r->end_infinite && r->start_exact && r->start_i64 == 0)
		n = snprintf(buf, bufsz, "%s%s", r->alert_inside ? "@" : "", e); /* "10" = 0..10 */
	else
		n = snprintf(buf, bufsz, "%s%s:%s", r->alert_inside ? "@" : "", s, e);
	if (n < 0 || (size_t)n >= bufsz) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

enum mp_state thresholds_check_double(const struct thresholds *t, double value)
{
	if (t->has_critical && range_alerts_double(&t->critical, value))
		return STATE_CRITICAL;
	if (t->has_warning && range_alerts_double(&t->warning, value))
		return STATE_WARNING;
	return STATE_OK;
}

enum mp_state thresholds_check_i64(const struct thresholds *t, int64_t value)
{
	if (t->has_critical && range_alerts_i64(&t->critical, value))
		return STATE_CRITICAL;
	if (t->has_warning && range_alerts_i64(&t->warning, value))
		return STATE_WARNING;
	return STATE_OK;
}
