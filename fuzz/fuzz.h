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

struct creds;
/* Checks credentials a parser accepted: key id and secret non-empty, source as given. */
void fz_check_creds(const struct creds *c, const char *source, const char *what);

#endif
