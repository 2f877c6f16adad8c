/*
 * aws_error.h - parse a restJson1 (AWS S3 Tables) error response into code, message,
 * request id and HTTP status.
 *
 * Contract (shared/reference/s3tables-api.md section 3, botocore RestJSONParser):
 *  - code: the x-amzn-ErrorType header if non-empty, else body "code", else body "Code", else
 *    body "__type", else "HTTP <status>". Each candidate is sanitised (cut at the first ':',
 *    keep what follows the last '#', trim blanks); a candidate that sanitises to "" is
 *    skipped. "NotFoundException:http://internal.amazon.com/coral/..." and
 *    "com.amazonaws.s3tables#NotFoundException" both give "NotFoundException".
 *  - message: body "message", else "Message", else "" (only JSON strings count).
 *  - request_id: the x-amzn-RequestId header, or "".
 *  - All fields are fixed-size, always NUL-terminated, cut on a UTF-8 boundary when too long;
 *    control characters in code/request_id/message become spaces. Text is otherwise untrusted
 *    and must still be escaped by whoever prints it.
 *  - The body may be NULL/empty, non-JSON, not an object, huge or binary: never crashes, never
 *    reads past body_len (it need not be NUL-terminated). Pure: no I/O, no globals.
 */
#ifndef S3T_AWS_ERROR_H
#define S3T_AWS_ERROR_H

#include <stddef.h>

struct aws_error {
	long http_status;
	char code[128];
	char message[1024];
	char request_id[128];
};

void aws_error_parse(long http_status, const char *error_type_header, const char *request_id_header,
		     const char *body, size_t body_len, struct aws_error *out);

/* Sanitise one error-code candidate into out (always NUL-terminated). Returns strlen(out). */
size_t aws_error_sanitise_code(const char *in, char *out, size_t outsz);

/* "NotFoundException (HTTP 404, request id abc): message" into buf; parts that are empty are
 * left out. Always NUL-terminated. */
void aws_error_describe(const struct aws_error *e, char *buf, size_t bufsz);

/*
 * What an error response means for "not found" (issue 13): only AWS's own NotFoundException
 * (whatever its status) says the table or its configuration does not exist. Any other 404
 * (UnknownOperationException from a wrong endpoint path, an HTML page from an ordinary web
 * server, an empty body) means the endpoint did not know the operation: the request never
 * reached S3 Tables' logic, so nothing can be concluded about the table.
 */
enum aws_error_kind {
	AWS_ERROR_NOT_FOUND,          /* NotFoundException */
	AWS_ERROR_UNKNOWN_OPERATION,  /* another 404: the endpoint did not know the operation */
	AWS_ERROR_OTHER               /* anything else (403, 400, 5xx ...) */
};
enum aws_error_kind aws_error_classify(const struct aws_error *e);

#endif
