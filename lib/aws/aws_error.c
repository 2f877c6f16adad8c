/* aws_error.c - see aws_error.h. */
#include "aws_error.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

/* Bodies beyond this are not parsed for fields (the HTTP layer caps bodies at 1 MiB anyway). */
#define AWS_ERROR_MAX_PARSE (1024 * 1024)
#define AWS_ERROR_JSON_DEPTH 16

/* Copy at most n bytes of src into dst (size dstsz), cutting on a UTF-8 boundary and turning
 * control characters into spaces. Always NUL-terminates when dstsz > 0. */
static void copy_clean(char *dst, size_t dstsz, const char *src, size_t n)
{
	size_t len;
	if (!dstsz)
		return;
	if (!src)
		n = 0;
	len = n < dstsz - 1 ? n : dstsz - 1;
	if (len < n) {
		/* cut: step back over UTF-8 continuation bytes of a split sequence */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)src[i];
		dst[i] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	dst[len] = '\0';
}

size_t aws_error_sanitise_code(const char *in, char *out, size_t outsz)
{
	const char *start, *end, *p;
	if (!outsz)
		return 0;
	out[0] = '\0';
	if (!in)
		return 0;
	end = strchr(in, ':');
	if (!end)
		end = in + strlen(in);
	start = in;
	for (p = in; p < end; p++)
		if (*p == '#')
			start = p + 1;
	while (start < end && (*start == ' ' || *start == '\t'))
		start++;
	while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		end--;
	copy_clean(out, outsz, start, (size_t)(end - start));
	return strlen(out);
}

static const char *json_str_member(struct json_object *obj, const char *key)
{
	struct json_object *v;
	if (!obj || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void aws_error_parse(long http_status, const char *error_type_header, const char *request_id_header,
		     const char *body, size_t body_len, struct aws_error *out)
{
	struct json_object *root = NULL;
	const char *s;

	memset(out, 0, sizeof(*out));
	out->http_status = http_status;

	if (body && body_len > 0 && body_len <= AWS_ERROR_MAX_PARSE) {
		struct json_tokener *tok = json_tokener_new_ex(AWS_ERROR_JSON_DEPTH);
		if (tok) {
			root = json_tokener_parse_ex(tok, body, (int)body_len);
			if (root && json_tokener_get_parse_end(tok) < body_len) {
				/* trailing bytes after the JSON value: accept only whitespace */
				for (size_t i = json_tokener_get_parse_end(tok); i < body_len; i++) {
					char c = body[i];
					if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
						json_object_put(root);
						root = NULL;
						break;
					}
				}
			}
			if (!root || json_tokener_get_error(tok) != json_tokener_success) {
				json_object_put(root);
				root = NULL;
			}
			json_tokener_free(tok);
		}
		if (root && !json_object_is_type(root, json_type_object)) {
			json_object_put(root);
			root = NULL;
		}
	}

	if (!aws_error_sanitise_code(error_type_header, out->code, sizeof(out->code)) &&
	    !aws_error_sanitise_code(json_str_member(root, "code"), out->code, sizeof(out->code)) &&
	    !aws_error_sanitise_code(json_str_member(root, "Code"), out->code, sizeof(out->code)) &&
	    !aws_error_sanitise_code(json_str_member(root, "__type"), out->code, sizeof(out->code)))
		snprintf(out->code, sizeof(out->code), "HTTP %ld", http_status);

	s = json_str_member(root, "message");
	if (!s)
		s = json_str_member(root, "Message");
	if (s)
		copy_clean(out->message, sizeof(out->message), s, strlen(s));

	if (request_id_header) {
		char tmp[sizeof(out->request_id)];
		const char *b = request_id_header;
		while (*b == ' ' || *b == '\t')
			b++;
		copy_clean(tmp, sizeof(tmp), b, strlen(b));
		size_t n = strlen(tmp);
		while (n > 0 && tmp[n - 1] == ' ')
			tmp[--n] = '\0';
		memcpy(out->request_id, tmp, n + 1);
	}

	json_object_put(root);
}

void aws_error_describe(const struct aws_error *e, char *buf, size_t bufsz)
{
	int n;
	if (!bufsz)
		return;
	if (e->request_id[0])
		n = snprintf(buf, bufsz, "%s (HTTP %ld, request id %s)", e->code, e->http_status, e->request_id);
	else
		n = snprintf(buf, bufsz, "%s (HTTP %ld)", e->code, e->http_status);
	if (n >= 0 && (size_t)n < bufsz && e->message[0])
		snprintf(buf + n, bufsz - (size_t)n, ": %s", e->message);
}

enum aws_error_kind aws_error_classify(const struct aws_error *e)
{
	if (strcmp(e->code, "NotFoundException") == 0)
		return AWS_ERROR_NOT_FOUND;
	if (e->http_status == 404)
		return AWS_ERROR_UNKNOWN_OPERATION;
	return AWS_ERROR_OTHER;
}
