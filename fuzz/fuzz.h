/*
 * fuzz.h - what every libFuzzer harness in fuzz/ shares.
 *
 * Contract: each harness (fuzz/fuzz_<name>.c) defines LLVMFuzzerTestOneInput(),
 * feeds the input to one parser of untrusted text and then checks properties of
 * the result; a violated property calls fz_fail(), which prints what was wrong
 * and abort()s, so libFuzzer records the input as a crash. The checks:
 *   - fz_check_rendered(): a plugin's rendered output (output_render()) is valid
 *     UTF-8, has no control character but the '\n' that ends each line, starts
 *     with "S3TABLES <CHECK> <STATE>", has exactly one '|' (as " | " on the first
 *     line) when and only when there is perfdata, and every perfdata item is
 *     label=value[UOM];[warn];[crit];[min][;max] in the monitoring-plugins grammar;
 *   - fz_check_result(): the same for a result tree rendered by render.h;
 *   - fz_check_message(): a parser's error message is NUL-terminated inside its
 *     buffer, non-empty, and renders as a valid plugin line;
 *   - FZ_SECRET: harnesses whose input may carry a credential replace every
 *     "@SECRET@" in the input with FZ_SECRET (fz_expand()) and fz_check_no_secret()
 *     then fails when any FZ_SECRET_WINDOW-byte piece of it shows up in a message.
 * Input splitting: fz_split() cuts the input at NUL bytes into at most n fields
 * (the last field keeps the rest, NULs included), so seeds are easy to write with
 * printf(1) and one input drives several arguments.
 * Memory: fz_* return malloc'd copies the caller frees; out of memory aborts.
 */
#ifndef S3T_FUZZ_H
#define S3T_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "range.h"
#include "state.h"

/* A credential-shaped value no message template can contain by chance. */
#define FZ_SECRET "wJalrXUtnFEMIK7MDENGbPxRfiCYzq9Fuzz8Sekr3t"
#define FZ_SECRET_MARK "@SECRET@"
#define FZ_SECRET_WINDOW 8

struct fz_field {
	char *s;  /* NUL-terminated copy (may hold NULs in the last field) */
	size_t n; /* bytes, without the terminating NUL */
};

_Noreturn void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define FZ_ASSERT(cond, ...) do { if (!(cond)) fz_fail(__VA_ARGS__); } while (0)

/* NUL-terminated copy of data[0..n). */
char *fz_strndup(const void *data, size_t n);
/* Copy of data with every FZ_SECRET_MARK replaced by FZ_SECRET; *outlen gets its length. */
char *fz_expand(const void *data, size_t n, size_t *outlen);
/* Split at NUL bytes into exactly nfields fields (missing ones are ""). Free with fz_fields_free(). */
void fz_split(const void *data, size_t n, struct fz_field *fields, size_t nfields);
void fz_fields_free(struct fz_field *fields, size_t nfields);

/* 1 when both are NULL or both hold the same text. */
int fz_same_str(const char *a, const char *b);
/* Substring search that libFuzzer does not hook (so FZ_SECRET never becomes a dictionary word). */
int fz_contains(const char *hay, const char *needle, size_t needlen);
/* Fails when text holds any FZ_SECRET_WINDOW bytes of FZ_SECRET; what names the text. */
void fz_check_no_secret(const char *text, const char *what);
/* Fails unless s is valid UTF-8 (no overlong forms, surrogates or values past U+10FFFF). */
int fz_valid_utf8(const char *s, size_t n);

/* The property checks of the contract above; what names the caller's context. */
void fz_check_rendered(const char *text, const char *check, enum mp_state state, int has_perf, size_t nperf);
void fz_check_message(const char *err, size_t errsz, const char *what);

/* Renders msg as an UNKNOWN result of check "FUZZ" and checks the text. */
void fz_render_message(const char *msg);

/*
 * A fake environment for the getenv hooks: fz_env_set() names up to 8 variables
 * (value NULL = unset) and fz_getenv() answers from them only (never the real
 * environment). fz_env_clear() forgets them.
 */
void fz_env_set(const char *name, const char *value);
void fz_env_clear(void);
const char *fz_getenv(const char *name);

struct result;
/*
 * Renders a result tree (render_text()) and checks it with fz_check_rendered():
 * the header names result_state(root), and every perfdata item in the tree (up to
 * OUTPUT_MAX_PERF) is rendered. Also checks that every node's state is 0..3. Frees
 * nothing.
 */
void fz_check_result(const struct result *root, const char *check);

/*
 * For an evaluator run twice on one input: checks r with fz_check_result(), fails
 * unless r2 renders to the same text, frees r2 and returns r's text (caller frees).
 */
char *fz_check_same_results(const struct result *r, struct result *r2, const char *check);

/* Parses a threshold the way the option parser does; the text must be valid. */
void fz_set_range(struct range *r, int *has, const char *text, enum range_kind kind);

/*
 * For a harness whose input is a selector byte and a body: runs dump(which, body, len, &ok,
 * err, errsz) twice (which = data[0] % nwhich; dump returns a malloc'd rendering of what it
 * parsed), fails unless both runs agree, and checks the message of a rejected body.
 */
typedef char *(*fz_dump_fn)(int which, const char *body, size_t len, int *ok, char *err, size_t errsz);
void fz_parse_twice(const uint8_t *data, size_t size, int nwhich, fz_dump_fn dump, const char *what);

struct creds;
/* Checks credentials a parser accepted: key id and secret non-empty, source as given. */
void fz_check_creds(const struct creds *c, const char *source, const char *what);

#endif
