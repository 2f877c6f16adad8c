/*
 * fuzz_s3t_lists.c - the listing responses (s3tables.h): ListTables,
 * ListTableBuckets, ListNamespaces. Input: one byte choosing the parser (% 3:
 * s3t_parse_table_list, s3t_parse_bucket_list, s3t_parse_namespace_list), then the
 * body.
 * Properties: parsing is deterministic (two parses dump to the same text); an
 * accepted page has every field the model requires (tables: namespace, name, type,
 * tableARN, createdAt, modifiedAt; buckets: arn, name, ownerAccountId, createdAt;
 * namespaces: namespace, createdBy, ownerAccountId), finite timestamps, and its
 * strings render (one long-output line per entry) into valid plugin output; a
 * rejected page leaves the struct zeroed and has a message that renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "s3tables.h"

#define OR(s) ((s) ? (s) : "-")

/* One output per parse: the dump is the rendered text. */
static char *dump(int which, const char *body, size_t len, int *ok, char *err, size_t errsz)
{
	struct output *o = output_new("LIST");
	if (which == 0) {
		struct s3t_table_list l, zero = {0};
		*ok = s3t_parse_table_list(body, len, &l, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&l, &zero, sizeof l) == 0, "a rejected table list leaves data");
		for (size_t i = 0; *ok && i < l.ntables; i++) {
			const struct s3t_table_summary *t = &l.tables[i];
			FZ_ASSERT(t->namespace_name && t->name && t->type && t->table_arn && t->has_created_at &&
				  t->has_modified_at && isfinite(t->created_at) && isfinite(t->modified_at),
				  "tables[%zu] accepted without a required field", i);
			output_line(o, "%s.%s %s %s %s %s %s", t->namespace_name, t->name, t->table_arn, t->type,
				    OR(t->managed_by_service), OR(t->namespace_id), OR(t->table_bucket_id));
		}
		output_summary(o, "%zu tables, next %s", l.ntables, OR(l.continuation_token));
		s3t_table_list_free(&l);
	} else if (which == 1) {
		struct s3t_bucket_list l, zero = {0};
		*ok = s3t_parse_bucket_list(body, len, &l, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&l, &zero, sizeof l) == 0, "a rejected bucket list leaves data");
		for (size_t i = 0; *ok && i < l.nbuckets; i++) {
			const struct s3t_bucket_summary *b = &l.buckets[i];
			FZ_ASSERT(b->arn && b->name && b->owner_account_id && b->has_created_at && isfinite(b->created_at),
				  "buckets[%zu] accepted without a required field", i);
			output_line(o, "%s %s %s %s %s", b->arn, b->name, b->owner_account_id, OR(b->type),
				    OR(b->table_bucket_id));
		}
		output_summary(o, "%zu buckets, next %s", l.nbuckets, OR(l.continuation_token));
		s3t_bucket_list_free(&l);
	} else {
		struct s3t_namespace_list l, zero = {0};
		*ok = s3t_parse_namespace_list(body, len, &l, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&l, &zero, sizeof l) == 0, "a rejected namespace list leaves data");
		for (size_t i = 0; *ok && i < l.nnamespaces; i++) {
			const struct s3t_namespace_summary *n = &l.namespaces[i];
			FZ_ASSERT(n->name && n->created_by && n->owner_account_id && isfinite(n->created_at),
				  "namespaces[%zu] accepted without a required field", i);
			output_line(o, "%s %s %s %s %s", n->name, n->created_by, n->owner_account_id, OR(n->namespace_id),
				    OR(n->table_bucket_id));
		}
		output_summary(o, "%zu namespaces, next %s", l.nnamespaces, OR(l.continuation_token));
		s3t_namespace_list_free(&l);
	}
	char *text = output_render(o);
	output_free(o);
	fz_check_rendered(text, "LIST", STATE_OK, 0, 0);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_twice(data, size, 3, dump, "s3t_parse_*_list");
	return 0;
}
