/*
 * fuzz_discover_writers.c - s3tables-discover's writers (lib/discover/writers.h)
 * on names no listing should ever hold. Input: NUL-separated fields: host
 * prefix, bucket name, region, account, namespace, table name, table id, type;
 * then a byte for the checks. Two tables are made from them (the second with
 * namespace and name swapped) in one bucket.
 * Properties:
 *  - icinga2: the text lexes by Icinga's own rules (every literal closed, every
 *    escape valid) and, outside its string literals, is byte for byte the text
 *    written for plain names: odd names never add a token, an object or an
 *    attribute; the namespace reads back exactly, '$' doubled;
 *  - nagios: every line is a comment, a blank line, "define host {", "define
 *    service {", "}" or "    directive value" of a known directive; no ';'
 *    outside comments; names hold none of illegal_object_name_chars, no control
 *    or non-ASCII byte; command arguments only [A-Za-z0-9!:/._-];
 *  - json: valid UTF-8, one JSON array of two objects; a namespace that is valid
 *    UTF-8 reads back exactly.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../tests/icinga2_lex.h"
#include "fuzz.h"
#include "inventory.h"
#include "utf8.h"
#include "writers.h"

enum { F_PREFIX, F_BUCKET, F_REGION, F_ACCOUNT, F_NS, F_NAME, F_ID, F_TYPE, F_CHECKS, NF };

static int valid_utf8(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_len((const unsigned char *)s + i, n - i, &cp);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

static void make(struct disc_inventory *inv, const char *const *f, unsigned checks)
{
	char barn[1024], tarn[2048];
	snprintf(barn, sizeof barn, "arn:aws:s3tables:%s:%s:bucket/%s", f[F_REGION], f[F_ACCOUNT], f[F_BUCKET]);
	snprintf(tarn, sizeof tarn, "%s/table/%s", barn, f[F_ID]);
	for (int swap = 0; swap < 2; swap++) {
		struct disc_table_fields t = {.bucket_arn = barn, .bucket = f[F_BUCKET], .region = f[F_REGION],
					      .account = f[F_ACCOUNT], .namespace_name = f[swap ? F_NAME : F_NS],
					      .name = f[swap ? F_NS : F_NAME], .table_arn = tarn, .table_id = f[F_ID],
					      .type = f[F_TYPE], .checks = checks};
		FZ_ASSERT(disc_inventory_add(inv, &t, NULL, 0) == 0, "disc_inventory_add: out of memory");
	}
	disc_inventory_sort(inv);
}

static void check_icinga2(const char *const *f, unsigned checks, const struct disc_settings *s)
{
	static struct lexed odd, plain;
	const char *plain_f[NF] = {"p", "b", "r", "a", "n", "m", "i", "t", ""};
	struct disc_inventory inv = {0}, ref = {0};
	make(&inv, f, checks);
	make(&ref, plain_f, checks);
	/* Same number of tables in the same order: a swap of two equal plain names would merge them. */
	if (inv.ntables != 2) {
		disc_inventory_free(&inv);
		disc_inventory_free(&ref);
		return;
	}
	char *text = disc_write_icinga2(&inv, s, NULL, 0);
	char *reftext = disc_write_icinga2(&ref, s, NULL, 0);
	FZ_ASSERT(text && reftext, "icinga2: out of memory");
	FZ_ASSERT(i2_lex(text, &odd) == 0, "icinga2: the text does not lex (%s)", odd.error);
	FZ_ASSERT(i2_lex(reftext, &plain) == 0, "icinga2: the plain text does not lex (%s)", plain.error);
	FZ_ASSERT(strcmp(odd.skeleton, plain.skeleton) == 0, "icinga2: odd names change the structure:\n%s", text);
	if (checks & DISC_MAINTENANCE) {
		size_t n = strlen(f[F_NS]);
		char *want = malloc(2 * n + 1), *w = want;
		FZ_ASSERT(want, "out of memory");
		for (const char *p = f[F_NS]; *p; p++) {
			*w++ = *p;
			if (*p == '$')
				*w++ = '$';
		}
		*w = 0;
		int found = 0;
		for (size_t i = 0; i < odd.nlits; i++)
			found |= strcmp(odd.lits[i], want) == 0;
		FZ_ASSERT(found, "icinga2: the namespace does not read back as a literal");
		free(want);
	}
	lexed_free(&odd);
	lexed_free(&plain);
	free(text);
	free(reftext);
	disc_inventory_free(&inv);
	disc_inventory_free(&ref);
}

static int command_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("!:/._-", c);
}

static void check_nagios(const struct disc_inventory *inv, const struct disc_settings *s)
{
	char *text = disc_write_nagios(inv, s, NULL, NULL, 0);
	FZ_ASSERT(text, "nagios: out of memory");
	int in_define = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!in_define) {
			FZ_ASSERT(strcmp(line, "define host {") == 0 || strcmp(line, "define service {") == 0,
				  "nagios: a stray line outside a definition: %s", line);
			in_define = 1;
			continue;
		}
		if (strcmp(line, "}") == 0) {
			in_define = 0;
			continue;
		}
		FZ_ASSERT(!strchr(line, ';'), "nagios: ';' outside a comment: %s", line);
		FZ_ASSERT(strncmp(line, "    ", 4) == 0, "nagios: not a directive line: %s", line);
		const char *key = line + 4, *sp = strchr(key, ' ');
		FZ_ASSERT(sp, "nagios: a directive without a value: %s", line);
		size_t klen = (size_t)(sp - key);
		const char *value = sp;
		while (*value == ' ')
			value++;
#define IS(k) (klen == strlen(k) && strncmp(key, k, klen) == 0)
		if (IS("use") || IS("host_name") || IS("service_description")) {
			for (const unsigned char *p = (const unsigned char *)value; *p; p++)
				FZ_ASSERT(*p >= 0x20 && *p < 0x7f && !strchr("`~!$%^&*|'\"<>?,()=;\\", *p),
					  "nagios: an illegal character in a name: %s", line);
		} else if (IS("check_command") || IS("_S3TABLES_BUCKET_ARN")) {
			for (const char *p = value; *p; p++)
				FZ_ASSERT(command_char(*p), "nagios: an unsafe character in a command: %s", line);
		} else {
			FZ_ASSERT(IS("alias"), "nagios: an unknown directive: %s", line);
			for (const unsigned char *p = (const unsigned char *)value; *p; p++)
				FZ_ASSERT(*p >= 0x20 && *p < 0x7f && *p != '\\', "nagios: a bad byte in an alias: %s", line);
		}
#undef IS
	}
	free(text);
}

static void check_json(const struct disc_inventory *inv, const struct disc_settings *s)
{
	char *text = disc_write_json(inv, s, NULL, 0);
	FZ_ASSERT(text, "json: out of memory");
	FZ_ASSERT(valid_utf8(text), "json: not valid UTF-8");
	struct json_tokener *tok = json_tokener_new();
	json_object *root = json_tokener_parse_ex(tok, text, (int)strlen(text));
	FZ_ASSERT(root && json_tokener_get_error(tok) == json_tokener_success, "json: does not parse:\n%s", text);
	FZ_ASSERT(json_object_is_type(root, json_type_array) && json_object_array_length(root) == inv->ntables,
		  "json: not one object per table");
	for (size_t i = 0; i < inv->ntables; i++) {
		json_object *o = json_object_array_get_idx(root, i), *v;
		FZ_ASSERT(json_object_object_get_ex(o, "namespace", &v), "json: no namespace");
		if (valid_utf8(inv->tables[i].namespace_name))
			FZ_ASSERT(strcmp(json_object_get_string(v), inv->tables[i].namespace_name) == 0,
				  "json: the namespace does not read back");
	}
	json_object_put(root);
	json_tokener_free(tok);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_field fields[NF];
	fz_split(data, size, fields, NF);
	const char *f[NF];
	for (int i = 0; i < NF; i++)
		f[i] = fields[i].s; /* C strings: an embedded NUL ends a field, as in the listings */
	unsigned checks = fields[F_CHECKS].n ? (unsigned char)fields[F_CHECKS].s[0] & 7u : 7u;
	struct disc_settings s = {.host_prefix = f[F_PREFIX]};
	struct disc_inventory inv = {0};
	make(&inv, f, checks);
	check_nagios(&inv, &s);
	check_json(&inv, &s);
	check_icinga2(f, checks, &s);
	disc_inventory_free(&inv);
	fz_fields_free(fields, NF);
	return 0;
}
