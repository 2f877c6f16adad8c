/* s3tables.c - see s3tables.h. */
#include "s3tables.h"
#include "error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "sigv4.h"
#include "timestamp.h"

#define FAIL(...) do { error_set(err, errsz, __VA_ARGS__); goto fail; } while (0)

static const char *type_name(json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "boolean";
	case json_type_double: return "number";
	case json_type_int: return "number";
	case json_type_object: return "object";
	case json_type_array: return "array";
	case json_type_string: return "string";
	}
	return "something else";
}

/* Parse exactly one JSON object filling the whole body. */
/* Whether body[0..len) alone is one strict JSON document (strict parsing stops at what follows it). */
static int complete_document(const char *body, size_t len)
{
	if (len == 0)
		return 0;
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *o = json_tokener_parse_ex(tok, body, (int)len);
	int complete = json_tokener_get_error(tok) == json_tokener_success;
	json_tokener_free(tok);
	json_object_put(o);
	return complete;
}

static json_object *parse_object(const char *body, size_t len, char *err, size_t errsz)
{
	if (!body || len == 0) {
		error_set(err, errsz, "empty response body");
		return NULL;
	}
	if (memchr(body, 0, len)) {
		error_set(err, errsz, "response body contains a NUL byte");
		return NULL;
	}
	if (len > (size_t)INT32_MAX) {
		error_set(err, errsz, "response body too large");
		return NULL;
	}
	/* One strict pass: no comments, single quotes or other json-c leniencies (a second, lenient
	 * pass only to word the message differently would double the parsing cost of a fleet run). */
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok) {
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *root = json_tokener_parse_ex(tok, body, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		json_object_put(root);
		error_set(err, errsz, "response body is not valid JSON (truncated)");
		return NULL;
	}
	if (jerr == json_tokener_success && !root) {
		error_set(err, errsz, "response body is a JSON null, expected an object");
		return NULL;
	}
	if (jerr != json_tokener_success || !root) {
		json_object_put(root);
		if (complete_document(body, end))
			error_set(err, errsz, "response body has data after the JSON document");
		else
			error_set(err, errsz, "response body is not valid JSON (%s)", json_tokener_error_desc(jerr));
		return NULL;
	}
	while (end < len && (body[end] == ' ' || body[end] == '\n' || body[end] == '\r' || body[end] == '\t'))
		end++;
	if (end != len) {
		json_object_put(root);
		error_set(err, errsz, "response body has data after the JSON document");
		return NULL;
	}
	if (!json_object_is_type(root, json_type_object)) {
		error_set(err, errsz, "response body is a JSON %s, expected an object", type_name(root));
		json_object_put(root);
		return NULL;
	}
	return root;
}

/*
 * Look up key (or its alternative spelling alt) in obj. Returns 1 if present
 * and of the wanted type, 0 if absent (or JSON null) and -1 if present with
 * another type (err filled).
 */
static int field(json_object *obj, const char *where, const char *key, const char *alt,
		 json_type want, json_object **out, char *err, size_t errsz)
{
	json_object *v = NULL;
	if (!json_object_object_get_ex(obj, key, &v) && alt)
		json_object_object_get_ex(obj, alt, &v);
	*out = v;
	if (!v)
		return 0;
	if (!json_object_is_type(v, want)) {
		error_set(err, errsz, "%s%s: expected %s, got %s", where, key,
			  want == json_type_string ? "a string" : want == json_type_int ? "an integer"
			  : want == json_type_object ? "an object" : want == json_type_array ? "an array" : "another type",
			  type_name(v));
		return -1;
	}
	return 1;
}

static int get_string(json_object *obj, const char *where, const char *key, const char *alt,
		      int required, char **out, char *err, size_t errsz)
{
	json_object *v;
	*out = NULL;
	int rc = field(obj, where, key, alt, json_type_string, &v, err, errsz);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (!required)
			return 0;
		error_set(err, errsz, "%s%s: required field missing", where, key);
		return -1;
	}
	*out = strdup(json_object_get_string(v));
	if (!*out) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

static int get_timestamp(json_object *obj, const char *where, const char *key, int required,
			 int *has, double *out, char *err, size_t errsz)
{
	char *text = NULL, why[128];
	*has = 0;
	if (get_string(obj, where, key, NULL, required, &text, err, errsz))
		return -1;
	if (!text)
		return 0;
	if (timestamp_parse(text, out, why, sizeof why)) {
		error_set(err, errsz, "%s%s: '%.40s' is not a timestamp: %s", where, key, text, why);
		free(text);
		return -1;
	}
	free(text);
	*has = 1;
	return 0;
}

static int get_int64(json_object *obj, const char *where, const char *key, int *has, int64_t *out,
		     char *err, size_t errsz)
{
	json_object *v;
	*has = 0;
	int rc = field(obj, where, key, NULL, json_type_int, &v, err, errsz);
	if (rc <= 0)
		return rc;
	int64_t n = json_object_get_int64(v);
	/* json-c keeps values above INT64_MAX as unsigned; the model's Long cannot hold them.
	 * Below INT64_MIN it saturates silently, so INT64_MIN itself cannot be trusted. */
	if ((n == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) || n == INT64_MIN) {
		error_set(err, errsz, "%s%s: value out of the 64-bit range", where, key);
		return -1;
	}
	*has = 1;
	*out = n;
	return 0;
}

/* A required field of type want: 0 with *out set, -1 with err when absent or mistyped. */
static int need(json_object *obj, const char *where, const char *key, const char *alt, json_type want,
		json_object **out, char *err, size_t errsz)
{
	int rc = field(obj, where, key, alt, want, out, err, errsz);
	if (rc == 0)
		error_set(err, errsz, "%s%s: required field missing", where, key);
	return rc > 0 ? 0 : -1;
}

/* An optional integer within [min, max]. */
static int get_int_range(json_object *obj, const char *where, const char *key, int64_t min, int64_t max,
			 int *has, int *out, char *err, size_t errsz)
{
	int64_t v = 0;
	if (get_int64(obj, where, key, has, &v, err, errsz))
		return -1;
	if (*has && (v < min || v > max)) {
		*has = 0;
		error_set(err, errsz, "%s%s: %" PRId64 " is outside %" PRId64 "..%" PRId64, where, key, v, min, max);
		return -1;
	}
	if (*has)
		*out = (int)v;
	return 0;
}

/* namespace (required, a non-empty list of strings) -> a copy of namespace[0]. */
static int get_namespace(json_object *obj, const char *where, char **out, char *err, size_t errsz)
{
	json_object *ns;
	*out = NULL;
	if (need(obj, where, "namespace", NULL, json_type_array, &ns, err, errsz))
		return -1;
	if (json_object_array_length(ns) < 1) {
		error_set(err, errsz, "%snamespace: empty list", where);
		return -1;
	}
	json_object *first = json_object_array_get_idx(ns, 0);
	if (!json_object_is_type(first, json_type_string)) {
		error_set(err, errsz, "%snamespace[0]: expected a string, got %s", where, type_name(first));
		return -1;
	}
	if (!(*out = strdup(json_object_get_string(first)))) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	return 0;
}

void s3t_replication_status_free(struct s3t_replication_status *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndestinations; i++) {
		free(r->destinations[i].bucket_arn);
		free(r->destinations[i].table_arn);
		free(r->destinations[i].status);
		free(r->destinations[i].failure_message);
	}
	free(r->destinations);
	free(r->source_table_arn);
	memset(r, 0, sizeof *r);
}

int s3t_parse_replication_status(const char *body, size_t len, struct s3t_replication_status *out,
				 char *err, size_t errsz)
{
	json_object *root, *dests, *lsu;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	/* The User Guide's example spells some keys differently from the model; accept both. */
	if (get_string(root, "", "sourceTableArn", "sourceTableARN", 1, &out->source_table_arn, err, errsz))
		goto fail;
	int rc = field(root, "", "destinations", NULL, json_type_array, &dests, err, errsz);
	if (rc < 0)
		goto fail;
	if (rc == 0)
		FAIL("destinations: required field missing");
	size_t n = json_object_array_length(dests);
	if (n > 1000)
		FAIL("destinations: %zu entries, more than any table can have", n);
	out->destinations = calloc(n ? n : 1, sizeof *out->destinations);
	if (!out->destinations)
		FAIL("out of memory");
	for (size_t i = 0; i < n; i++) {
		struct s3t_destination *d = &out->destinations[i];
		json_object *e = json_object_array_get_idx(dests, i);
		char where[64];
		out->ndestinations = i + 1;
		snprintf(where, sizeof where, "destinations[%zu].", i);
		if (!json_object_is_type(e, json_type_object))
			FAIL("destinations[%zu]: expected an object, got %s", i, type_name(e));
		if (get_string(e, where, "replicationStatus", NULL, 1, &d->status, err, errsz) ||
		    get_string(e, where, "destinationTableBucketArn", "destinationBucketARN", 1, &d->bucket_arn, err, errsz) ||
		    get_string(e, where, "destinationTableArn", "destinationTableARN", 0, &d->table_arn, err, errsz) ||
		    get_string(e, where, "failureMessage", NULL, 0, &d->failure_message, err, errsz))
			goto fail;
		rc = field(e, where, "lastSuccessfulReplicatedUpdate", NULL, json_type_object, &lsu, err, errsz);
		if (rc < 0)
			goto fail;
		if (rc > 0) {
			char w2[96];
			snprintf(w2, sizeof w2, "%slastSuccessfulReplicatedUpdate.", where);
			if (get_timestamp(lsu, w2, "timestamp", 1, &d->has_last_update, &d->last_update, err, errsz))
				goto fail;
		}
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_replication_status_free(out);
	return -1;
}

void s3t_expiration_status_free(struct s3t_expiration_status *e)
{
	if (!e)
		return;
	free(e->status);
	free(e->failure_message);
	memset(e, 0, sizeof *e);
}

int s3t_parse_expiration_status(const char *body, size_t len, struct s3t_expiration_status *out,
				char *err, size_t errsz)
{
	json_object *root, *m;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "status", NULL, 1, &out->status, err, errsz) ||
	    get_string(root, "", "failureMessage", NULL, 0, &out->failure_message, err, errsz) ||
	    get_timestamp(root, "", "lastRunTimestamp", 0, &out->has_last_run, &out->last_run, err, errsz))
		goto fail;
	int rc = field(root, "", "metrics", NULL, json_type_object, &m, err, errsz);
	if (rc < 0)
		goto fail;
	if (rc > 0) {
		out->has_metrics = 1;
		if (get_int64(m, "metrics.", "deletedDataFiles", &out->has_deleted_data_files, &out->deleted_data_files, err, errsz) ||
		    get_int64(m, "metrics.", "deletedRecords", &out->has_deleted_records, &out->deleted_records, err, errsz) ||
		    get_int64(m, "metrics.", "removedFilesSize", &out->has_removed_files_size, &out->removed_files_size, err, errsz))
			goto fail;
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_expiration_status_free(out);
	return -1;
}

void s3t_maintenance_status_free(struct s3t_maintenance_status *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->njobs; i++) {
		free(s->jobs[i].type);
		free(s->jobs[i].status);
		free(s->jobs[i].failure_message);
	}
	free(s->jobs);
	free(s->table_arn);
	memset(s, 0, sizeof *s);
}

int s3t_parse_maintenance_status(const char *body, size_t len, struct s3t_maintenance_status *out,
				 char *err, size_t errsz)
{
	json_object *root, *map;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "tableARN", "tableArn", 1, &out->table_arn, err, errsz))
		goto fail;
	int rc = field(root, "", "status", NULL, json_type_object, &map, err, errsz);
	if (rc < 0)
		goto fail;
	if (rc == 0)
		FAIL("status: required field missing");
	size_t n = (size_t)json_object_object_length(map);
	if (n > 1000)
		FAIL("status: %zu jobs, implausibly many", n);
	out->jobs = calloc(n ? n : 1, sizeof *out->jobs);
	if (!out->jobs)
		FAIL("out of memory");
	json_object_object_foreach(map, key, val) {
		struct s3t_maintenance_job *j = &out->jobs[out->njobs++];
		char where[128];
		snprintf(where, sizeof where, "status.%.64s.", key);
		if (!(j->type = strdup(key)))
			FAIL("out of memory");
		if (!json_object_is_type(val, json_type_object))
			FAIL("status.%.64s: expected an object, got %s", key, type_name(val));
		if (get_string(val, where, "status", NULL, 1, &j->status, err, errsz) ||
		    get_string(val, where, "failureMessage", NULL, 0, &j->failure_message, err, errsz) ||
		    get_timestamp(val, where, "lastRunTimestamp", 0, &j->has_last_run, &j->last_run, err, errsz))
			goto fail;
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_maintenance_status_free(out);
	return -1;
}

void s3t_table_free(struct s3t_table *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->namespace_name);
	free(t->table_arn);
	memset(t, 0, sizeof *t);
}

int s3t_parse_table(const char *body, size_t len, struct s3t_table *out, char *err, size_t errsz)
{
	json_object *root;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "name", NULL, 1, &out->name, err, errsz) ||
	    get_string(root, "", "tableARN", "tableArn", 1, &out->table_arn, err, errsz) ||
	    get_namespace(root, "", &out->namespace_name, err, errsz))
		goto fail;
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_table_free(out);
	return -1;
}

/* ---- listings: parsing ---------------------------------------------------- */

typedef int (*item_parse_fn)(json_object *e, const char *where, void *item, char *err, size_t errsz);
typedef void (*item_free_fn)(void *item);

/* {"<key>": [ {...}, ... ], "continuationToken": "..."}: each element parsed into items
 * (elem bytes each) by parse_item. On failure everything is released and zeroed. */
static int parse_list(const char *body, size_t len, const char *key, size_t elem, item_parse_fn parse_item,
		      item_free_fn free_item, void **items, size_t *n, char **token, char *err, size_t errsz)
{
	json_object *root, *arr;
	char *buf = NULL;
	*items = NULL;
	*n = 0;
	*token = NULL;
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (need(root, "", key, NULL, json_type_array, &arr, err, errsz))
		goto fail;
	size_t cnt = json_object_array_length(arr);
	if (cnt > S3T_MAX_LIST_ITEMS)
		FAIL("%s: %zu entries, more than any listing can have", key, cnt);
	if (!(buf = calloc(cnt ? cnt : 1, elem)))
		FAIL("out of memory");
	for (size_t i = 0; i < cnt; i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		char where[64];
		snprintf(where, sizeof where, "%s[%zu].", key, i);
		if (!json_object_is_type(e, json_type_object))
			FAIL("%s[%zu]: expected an object, got %s", key, i, type_name(e));
		*n = i + 1;
		if (parse_item(e, where, buf + i * elem, err, errsz))
			goto fail;
	}
	if (get_string(root, "", "continuationToken", NULL, 0, token, err, errsz))
		goto fail;
	if (*token && !**token) {   /* "" ends the listing, as in the SDKs' paginators */
		free(*token);
		*token = NULL;
	}
	json_object_put(root);
	*items = buf;
	return 0;
fail:
	json_object_put(root);
	for (size_t i = 0; buf && i < *n; i++)
		free_item(buf + i * elem);
	free(buf);
	*n = 0;
	return -1;
}

static void table_summary_free(void *item)
{
	struct s3t_table_summary *t = item;
	free(t->namespace_name);
	free(t->name);
	free(t->table_arn);
	free(t->type);
	free(t->managed_by_service);
	free(t->namespace_id);
	free(t->table_bucket_id);
	memset(t, 0, sizeof *t);
}

static int table_summary_parse(json_object *e, const char *where, void *item, char *err, size_t errsz)
{
	struct s3t_table_summary *t = item;
	return get_namespace(e, where, &t->namespace_name, err, errsz) ||
	       get_string(e, where, "name", NULL, 1, &t->name, err, errsz) ||
	       get_string(e, where, "type", NULL, 1, &t->type, err, errsz) ||
	       get_string(e, where, "tableARN", "tableArn", 1, &t->table_arn, err, errsz) ||
	       get_timestamp(e, where, "createdAt", 1, &t->has_created_at, &t->created_at, err, errsz) ||
	       get_timestamp(e, where, "modifiedAt", 1, &t->has_modified_at, &t->modified_at, err, errsz) ||
	       get_string(e, where, "managedByService", NULL, 0, &t->managed_by_service, err, errsz) ||
	       get_string(e, where, "namespaceId", NULL, 0, &t->namespace_id, err, errsz) ||
	       get_string(e, where, "tableBucketId", NULL, 0, &t->table_bucket_id, err, errsz)
		? -1 : 0;
}

static void bucket_summary_free(void *item)
{
	struct s3t_bucket_summary *b = item;
	free(b->arn);
	free(b->name);
	free(b->owner_account_id);
	free(b->type);
	free(b->table_bucket_id);
	memset(b, 0, sizeof *b);
}

static int bucket_summary_parse(json_object *e, const char *where, void *item, char *err, size_t errsz)
{
	struct s3t_bucket_summary *b = item;
	return get_string(e, where, "arn", NULL, 1, &b->arn, err, errsz) ||
	       get_string(e, where, "name", NULL, 1, &b->name, err, errsz) ||
	       get_string(e, where, "ownerAccountId", NULL, 1, &b->owner_account_id, err, errsz) ||
	       get_timestamp(e, where, "createdAt", 1, &b->has_created_at, &b->created_at, err, errsz) ||
	       get_string(e, where, "tableBucketId", NULL, 0, &b->table_bucket_id, err, errsz) ||
	       get_string(e, where, "type", NULL, 0, &b->type, err, errsz)
		? -1 : 0;
}

static void namespace_summary_free(void *item)
{
	struct s3t_namespace_summary *n = item;
	free(n->name);
	free(n->created_by);
	free(n->owner_account_id);
	free(n->namespace_id);
	free(n->table_bucket_id);
	memset(n, 0, sizeof *n);
}

static int namespace_summary_parse(json_object *e, const char *where, void *item, char *err, size_t errsz)
{
	struct s3t_namespace_summary *n = item;
	int has;
	return get_namespace(e, where, &n->name, err, errsz) ||
	       get_timestamp(e, where, "createdAt", 1, &has, &n->created_at, err, errsz) ||
	       get_string(e, where, "createdBy", NULL, 1, &n->created_by, err, errsz) ||
	       get_string(e, where, "ownerAccountId", NULL, 1, &n->owner_account_id, err, errsz) ||
	       get_string(e, where, "namespaceId", NULL, 0, &n->namespace_id, err, errsz) ||
	       get_string(e, where, "tableBucketId", NULL, 0, &n->table_bucket_id, err, errsz)
		? -1 : 0;
}

static void free_items(void *items, size_t n, size_t elem, item_free_fn free_item)
{
	for (size_t i = 0; i < n; i++)
		free_item((char *)items + i * elem);
	free(items);
}

int s3t_parse_table_list(const char *body, size_t len, struct s3t_table_list *out, char *err, size_t errsz)
{
	void *items;
	memset(out, 0, sizeof *out);
	int rc = parse_list(body, len, "tables", sizeof *out->tables, table_summary_parse, table_summary_free,
			    &items, &out->ntables, &out->continuation_token, err, errsz);
	out->tables = items;
	return rc;
}

void s3t_table_list_free(struct s3t_table_list *l)
{
	if (!l)
		return;
	free_items(l->tables, l->ntables, sizeof *l->tables, table_summary_free);
	free(l->continuation_token);
	memset(l, 0, sizeof *l);
}

int s3t_parse_bucket_list(const char *body, size_t len, struct s3t_bucket_list *out, char *err, size_t errsz)
{
	void *items;
	memset(out, 0, sizeof *out);
	int rc = parse_list(body, len, "tableBuckets", sizeof *out->buckets, bucket_summary_parse,
			    bucket_summary_free, &items, &out->nbuckets, &out->continuation_token, err, errsz);
	out->buckets = items;
	return rc;
}

void s3t_bucket_list_free(struct s3t_bucket_list *l)
{
	if (!l)
		return;
	free_items(l->buckets, l->nbuckets, sizeof *l->buckets, bucket_summary_free);
	free(l->continuation_token);
	memset(l, 0, sizeof *l);
}

int s3t_parse_namespace_list(const char *body, size_t len, struct s3t_namespace_list *out,
			     char *err, size_t errsz)
{
	void *items;
	memset(out, 0, sizeof *out);
	int rc = parse_list(body, len, "namespaces", sizeof *out->namespaces, namespace_summary_parse,
			    namespace_summary_free, &items, &out->nnamespaces, &out->continuation_token, err, errsz);
	out->namespaces = items;
	return rc;
}

void s3t_namespace_list_free(struct s3t_namespace_list *l)
{
	if (!l)
		return;
	free_items(l->namespaces, l->nnamespaces, sizeof *l->namespaces, namespace_summary_free);
	free(l->continuation_token);
	memset(l, 0, sizeof *l);
}

/* ---- configurations: parsing ---------------------------------------------- */

void s3t_replication_config_free(struct s3t_replication_config *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ndestinations; i++)
		free(r->destination_bucket_arns[i]);
	free(r->destination_bucket_arns);
	free(r->version_token);
	free(r->role);
	memset(r, 0, sizeof *r);
}

int s3t_parse_replication_config(const char *body, size_t len, struct s3t_replication_config *out,
				 char *err, size_t errsz)
{
	json_object *root, *conf, *rules;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "versionToken", NULL, 1, &out->version_token, err, errsz) ||
	    need(root, "", "configuration", NULL, json_type_object, &conf, err, errsz) ||
	    get_string(conf, "configuration.", "role", NULL, 1, &out->role, err, errsz) ||
	    need(conf, "configuration.", "rules", NULL, json_type_array, &rules, err, errsz))
		goto fail;
	size_t nr = json_object_array_length(rules), total = 0;
	if (nr > 100)
		FAIL("configuration.rules: %zu rules, implausibly many", nr);
	/* Count first (type-checking as we go) so the array is allocated once. */
	for (size_t i = 0; i < nr; i++) {
		json_object *rule = json_object_array_get_idx(rules, i), *d;
		char where[64];
		snprintf(where, sizeof where, "configuration.rules[%zu].", i);
		if (!json_object_is_type(rule, json_type_object))
			FAIL("configuration.rules[%zu]: expected an object, got %s", i, type_name(rule));
		if (need(rule, where, "destinations", NULL, json_type_array, &d, err, errsz))
			goto fail;
		total += json_object_array_length(d);
		if (total > 1000)
			FAIL("%sdestinations: implausibly many", where);
	}
	out->nrules = nr;
	if (!(out->destination_bucket_arns = calloc(total ? total : 1, sizeof *out->destination_bucket_arns)))
		FAIL("out of memory");
	for (size_t i = 0; i < nr; i++) {
		json_object *d;
		json_object_object_get_ex(json_object_array_get_idx(rules, i), "destinations", &d);
		for (size_t j = 0; j < json_object_array_length(d); j++) {
			json_object *e = json_object_array_get_idx(d, j);
			char where[96];
			snprintf(where, sizeof where, "configuration.rules[%zu].destinations[%zu].", i, j);
			if (!json_object_is_type(e, json_type_object))
				FAIL("configuration.rules[%zu].destinations[%zu]: expected an object, got %s", i, j,
				     type_name(e));
			if (get_string(e, where, "destinationTableBucketARN", "destinationTableBucketArn", 1,
				       &out->destination_bucket_arns[out->ndestinations], err, errsz))
				goto fail;
			out->ndestinations++;
		}
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_replication_config_free(out);
	return -1;
}

void s3t_expiration_config_free(struct s3t_expiration_config *e)
{
	if (!e)
		return;
	free(e->status);
	memset(e, 0, sizeof *e);
}

int s3t_parse_expiration_config(const char *body, size_t len, struct s3t_expiration_config *out,
				char *err, size_t errsz)
{
	json_object *root, *conf, *set;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (need(root, "", "configuration", NULL, json_type_object, &conf, err, errsz) ||
	    get_string(conf, "configuration.", "status", NULL, 0, &out->status, err, errsz))
		goto fail;
	int rc = field(conf, "configuration.", "settings", NULL, json_type_object, &set, err, errsz);
	if (rc < 0 || (rc > 0 && get_int_range(set, "configuration.settings.", "days", 1, INT32_MAX,
					       &out->has_days, &out->days, err, errsz)))
		goto fail;
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_expiration_config_free(out);
	return -1;
}

void s3t_maintenance_config_free(struct s3t_maintenance_config *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nsettings; i++) {
		free(m->settings[i].type);
		free(m->settings[i].status);
		free(m->settings[i].strategy);
	}
	free(m->settings);
	free(m->table_arn);
	memset(m, 0, sizeof *m);
}

/* settings (a union): icebergCompaction {targetFileSizeMB, strategy} or
 * icebergSnapshotManagement {minSnapshotsToKeep, maxSnapshotAgeHours}; others ignored. */
static int maintenance_settings(json_object *set, const char *where, struct s3t_maintenance_setting *s,
				char *err, size_t errsz)
{
	json_object *v;
	char w2[192];
	int rc = field(set, where, "icebergCompaction", NULL, json_type_object, &v, err, errsz);
	if (rc < 0)
		return -1;
	snprintf(w2, sizeof w2, "%sicebergCompaction.", where);
	if (rc > 0 && (get_int_range(v, w2, "targetFileSizeMB", 1, INT32_MAX, &s->has_target_file_size_mb,
				     &s->target_file_size_mb, err, errsz) ||
		       get_string(v, w2, "strategy", NULL, 0, &s->strategy, err, errsz)))
		return -1;
	rc = field(set, where, "icebergSnapshotManagement", NULL, json_type_object, &v, err, errsz);
	if (rc < 0)
		return -1;
	snprintf(w2, sizeof w2, "%sicebergSnapshotManagement.", where);
	if (rc > 0 && (get_int_range(v, w2, "minSnapshotsToKeep", 1, INT32_MAX, &s->has_min_snapshots_to_keep,
				     &s->min_snapshots_to_keep, err, errsz) ||
		       get_int_range(v, w2, "maxSnapshotAgeHours", 1, INT32_MAX, &s->has_max_snapshot_age_hours,
				     &s->max_snapshot_age_hours, err, errsz)))
		return -1;
	return 0;
}

int s3t_parse_maintenance_config(const char *body, size_t len, struct s3t_maintenance_config *out,
				 char *err, size_t errsz)
{
	json_object *root, *map;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "tableARN", "tableArn", 1, &out->table_arn, err, errsz) ||
	    need(root, "", "configuration", NULL, json_type_object, &map, err, errsz))
		goto fail;
	size_t n = (size_t)json_object_object_length(map);
	if (n > 1000)
		FAIL("configuration: %zu entries, implausibly many", n);
	if (!(out->settings = calloc(n ? n : 1, sizeof *out->settings)))
		FAIL("out of memory");
	json_object_object_foreach(map, key, val) {
		struct s3t_maintenance_setting *m = &out->settings[out->nsettings++];
		json_object *set;
		char where[128], w2[160];
		snprintf(where, sizeof where, "configuration.%.64s.", key);
		if (!(m->type = strdup(key)))
			FAIL("out of memory");
		if (!json_object_is_type(val, json_type_object))
			FAIL("configuration.%.64s: expected an object, got %s", key, type_name(val));
		if (get_string(val, where, "status", NULL, 0, &m->status, err, errsz))
			goto fail;
		int rc = field(val, where, "settings", NULL, json_type_object, &set, err, errsz);
		snprintf(w2, sizeof w2, "%ssettings.", where);
		if (rc < 0 || (rc > 0 && maintenance_settings(set, w2, m, err, errsz)))
			goto fail;
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_maintenance_config_free(out);
	return -1;
}

/* ---- requests ------------------------------------------------------------ */

/* Append "&name=value" (value percent-encoded) to buf; a NULL value adds nothing. */
static int add_param(char *buf, size_t sz, const char *name, const char *value)
{
	if (!value)
		return 0;
	char *enc = sigv4_uri_encode(value, 1);
	if (!enc)
		return -1;
	size_t used = strlen(buf);
	int n = snprintf(buf + used, sz - used, "%s%s=%s", used ? "&" : "", name, enc);
	free(enc);
	return n < 0 || (size_t)n >= sz - used ? -1 : 0;
}

/* Append "&name=n" when n > 0. */
static int add_int_param(char *buf, size_t sz, const char *name, int n)
{
	char num[16];
	if (n <= 0)
		return 0;
	snprintf(num, sizeof num, "%d", n);
	return add_param(buf, sz, name, num);
}

/* prefix + "/label" for each label (encoded: ':' and '/' in an ARN stay inside its
 * non-greedy label) + "/suffix" when suffix is set. */
static int label_path(char *path, size_t sz, const char *prefix, const char *const *labels, size_t n,
		      const char *suffix)
{
	int len = snprintf(path, sz, "%s", prefix);
	for (size_t i = 0; i < n && len >= 0 && (size_t)len < sz; i++) {
		char *enc = sigv4_uri_encode(labels[i], 1);
		len = enc ? len + snprintf(path + len, sz - (size_t)len, "/%s", enc) : -1;
		free(enc);
	}
	if (suffix && len >= 0 && (size_t)len < sz)
		len += snprintf(path + len, sz - (size_t)len, "/%s", suffix);
	return len < 0 || (size_t)len >= sz ? -1 : 0;
}

static int query_too_long(struct aws_result *res)
{
	memset(res, 0, sizeof *res);
	snprintf(res->message, sizeof res->message, "request parameters too long");
	return S3T_MALFORMED;
}

/* After a parse of a 2xx body: rc 0 is AWS_OK, otherwise S3T_MALFORMED with why. */
static int parsed(struct aws_result *res, int rc, const char *why)
{
	if (rc == 0)
		return AWS_OK;
	snprintf(res->message, sizeof res->message, "malformed response: %s", why);
	return S3T_MALFORMED;
}

/* GET path?tableArn=ARN: the aws_client outcome (the body in res). */
static int get_by_arn(const struct aws_client *c, const char *path, const char *table_arn, struct aws_result *res)
{
	char q[4096] = "";
	if (add_param(q, sizeof q, "tableArn", table_arn))
		return query_too_long(res);
	return (int)aws_client_get(c, path, q, res);
}

/* GET /tables/{tableBucketARN}/{namespace}/{name}/<suffix>. */
static int get_by_name(const struct aws_client *c, const char *bucket_arn, const char *namespace_name,
		       const char *name, const char *suffix, struct aws_result *res)
{
	char path[4096];
	const char *labels[] = { bucket_arn, namespace_name, name };
	if (label_path(path, sizeof path, "/tables", labels, 3, suffix))
		return query_too_long(res);
	return (int)aws_client_get(c, path, NULL, res);
}

int s3t_get_replication_status(const struct aws_client *c, const char *table_arn,
			       struct s3t_replication_status *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_arn(c, "/replication-status", table_arn, res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_replication_status(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_expiration_status(const struct aws_client *c, const char *table_arn,
			      struct s3t_expiration_status *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_arn(c, "/table-record-expiration-job-status", table_arn, res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_expiration_status(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_maintenance_status(const struct aws_client *c, const char *bucket_arn,
			       const char *namespace_name, const char *name,
			       struct s3t_maintenance_status *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_name(c, bucket_arn, namespace_name, name, "maintenance-job-status", res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_maintenance_status(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_table(const struct aws_client *c, const char *table_arn, const char *bucket_arn,
		  const char *namespace_name, const char *name, struct s3t_table *out,
		  struct aws_result *res)
{
	char q[4096] = "", why[400];
	memset(out, 0, sizeof *out);
	if (table_arn ? add_param(q, sizeof q, "tableArn", table_arn)
		      : (add_param(q, sizeof q, "name", name) || add_param(q, sizeof q, "namespace", namespace_name) ||
			 add_param(q, sizeof q, "tableBucketARN", bucket_arn)))
		return query_too_long(res);
	enum aws_outcome o = aws_client_get(c, "/get-table", q, res);
	return o != AWS_OK ? (int)o : parsed(res, s3t_parse_table(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_table_replication(const struct aws_client *c, const char *table_arn,
			      struct s3t_replication_config *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_arn(c, "/table-replication", table_arn, res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_replication_config(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_record_expiration_configuration(const struct aws_client *c, const char *table_arn,
					    struct s3t_expiration_config *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_arn(c, "/table-record-expiration", table_arn, res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_expiration_config(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_get_maintenance_configuration(const struct aws_client *c, const char *bucket_arn,
				      const char *namespace_name, const char *name,
				      struct s3t_maintenance_config *out, struct aws_result *res)
{
	char why[400];
	memset(out, 0, sizeof *out);
	int o = get_by_name(c, bucket_arn, namespace_name, name, "maintenance", res);
	if (o != AWS_OK)
		return o;
	return parsed(res, s3t_parse_maintenance_config(res->body, res->body_len, out, why, sizeof why), why);
}

/* ---- listings: requests ---------------------------------------------------- */

int s3t_list_tables_page(const struct aws_client *c, const char *bucket_arn, const char *namespace_name,
			 const char *continuation_token, int max_tables, struct s3t_table_list *out,
			 struct aws_result *res)
{
	char path[1024], q[8192] = "", why[400];
	memset(out, 0, sizeof *out);
	if (label_path(path, sizeof path, "/tables", &bucket_arn, 1, NULL) ||
	    add_param(q, sizeof q, "namespace", namespace_name) ||
	    add_param(q, sizeof q, "continuationToken", continuation_token) ||
	    add_int_param(q, sizeof q, "maxTables", max_tables))
		return query_too_long(res);
	enum aws_outcome o = aws_client_get(c, path, q, res);
	return o != AWS_OK ? (int)o : parsed(res, s3t_parse_table_list(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_list_table_buckets_page(const struct aws_client *c, const char *continuation_token, int max_buckets,
				struct s3t_bucket_list *out, struct aws_result *res)
{
	char q[8192] = "", why[400];
	memset(out, 0, sizeof *out);
	if (add_param(q, sizeof q, "continuationToken", continuation_token) ||
	    add_int_param(q, sizeof q, "maxBuckets", max_buckets))
		return query_too_long(res);
	enum aws_outcome o = aws_client_get(c, "/buckets", q, res);
	return o != AWS_OK ? (int)o : parsed(res, s3t_parse_bucket_list(res->body, res->body_len, out, why, sizeof why), why);
}

int s3t_list_namespaces_page(const struct aws_client *c, const char *bucket_arn, const char *continuation_token,
			     int max_namespaces, struct s3t_namespace_list *out, struct aws_result *res)
{
	char path[1024], q[8192] = "", why[400];
	memset(out, 0, sizeof *out);
	if (label_path(path, sizeof path, "/namespaces", &bucket_arn, 1, NULL) ||
	    add_param(q, sizeof q, "continuationToken", continuation_token) ||
	    add_int_param(q, sizeof q, "maxNamespaces", max_namespaces))
		return query_too_long(res);
	enum aws_outcome o = aws_client_get(c, path, q, res);
	return o != AWS_OK ? (int)o
			   : parsed(res, s3t_parse_namespace_list(res->body, res->body_len, out, why, sizeof why), why);
}

/* ---- listings: every page -------------------------------------------------- */

/* Items gathered over pages (and over namespaces). */
struct gathered {
	char *items;
	size_t n, cap, elem;
	int attempts;
};

struct lister {
	item_free_fn free_item;
	/* one page: its items, count and next token; returns the outcome */
	int (*page)(const struct lister *l, const char *token, void **items, size_t *n, char **next,
		    struct aws_result *res);
	int (*keep)(const struct lister *l, const void *item);   /* NULL: keep all */
	const struct aws_client *c;
	const char *bucket_arn, *namespace_name;
	s3t_table_keep_fn keep_table;
	const void *keep_arg;
};

/* page: 1-based, 0 when not about one page. */
static int list_malformed(struct aws_result *res, size_t page, const char *why)
{
	char text[sizeof res->message];
	snprintf(text, sizeof text, "%s", why);   /* why may point into res->message */
	if (page)
		snprintf(res->message, sizeof res->message, "malformed response: page %zu: %.440s", page, text);
	else
		snprintf(res->message, sizeof res->message, "malformed response: %.480s", text);
	return S3T_MALFORMED;
}

/* Follows every page of l, appending the kept items to g. */
static int list_all(const struct lister *l, struct gathered *g, struct aws_result *res)
{
	char *token = NULL;
	int o = AWS_OK;
	for (size_t pages = 0;; pages++) {
		void *items;
		size_t n;
		char *next;
		if (pages)
			aws_result_free(res);
		o = l->page(l, token, &items, &n, &next, res);
		g->attempts += res->attempts;
		if (o == S3T_MALFORMED && pages) {   /* say which page, after the first */
			const char *why = res->message;
			if (!strncmp(why, "malformed response: ", 20))
				why += 20;
			list_malformed(res, pages + 1, why);
		}
		if (o != AWS_OK)
			break;
		if (g->n + n > S3T_MAX_LIST_ITEMS) {
			free_items(items, n, g->elem, l->free_item);
			free(next);
			o = list_malformed(res, pages + 1, "more items than any listing can have");
			break;
		}
		if (g->n + n > g->cap) {
			size_t cap = g->cap ? g->cap : 64;
			while (cap < g->n + n)
				cap *= 2;
			char *grown = realloc(g->items, cap * g->elem);
			if (!grown) {
				free_items(items, n, g->elem, l->free_item);
				free(next);
				o = list_malformed(res, 0, "out of memory");
				break;
			}
			g->items = grown;
			g->cap = cap;
		}
		for (size_t i = 0; i < n; i++) {
			char *item = (char *)items + i * g->elem;
			if (l->keep && !l->keep(l, item))
				l->free_item(item);
			else
				memcpy(g->items + g->n++ * g->elem, item, g->elem);
		}
		free(items);
		int repeated = next && token && strcmp(next, token) == 0;
		free(token);
		token = next;
		if (!token)
			break;
		if (repeated || pages + 1 >= S3T_MAX_PAGES) {
			o = list_malformed(res, pages + 1, repeated ? "the same continuationToken came back twice"
								    : "more pages than any listing can have");
			break;
		}
	}
	free(token);
	return o;
}

static int tables_page(const struct lister *l, const char *token, void **items, size_t *n, char **next,
		       struct aws_result *res)
{
	struct s3t_table_list p;
	int o = s3t_list_tables_page(l->c, l->bucket_arn, l->namespace_name, token, S3T_MAX_PAGE_SIZE, &p, res);
	*items = p.tables;
	*n = p.ntables;
	*next = p.continuation_token;
	return o;
}

static int keep_listed_table(const struct lister *l, const void *item)
{
	const struct s3t_table_summary *t = item;
	return l->keep_table(l->keep_arg, t->namespace_name, t->name);
}

static int cmp_table(const void *a, const void *b)
{
	const struct s3t_table_summary *x = a, *y = b;
	int d = strcmp(x->namespace_name, y->namespace_name);
	return d ? d : strcmp(x->name, y->name);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts g with cmp and drops items equal to their predecessor. */
static void sort_unique(struct gathered *g, int (*cmp)(const void *, const void *), item_free_fn free_item)
{
	if (g->n < 2)
		return;
	qsort(g->items, g->n, g->elem, cmp);
	size_t w = 1;
	for (size_t i = 1; i < g->n; i++) {
		char *item = g->items + i * g->elem;
		if (cmp(g->items + (w - 1) * g->elem, item) == 0)
			free_item(item);
		else
			memmove(g->items + w++ * g->elem, item, g->elem);
	}
	g->n = w;
}

/* The end of a listing: on success res->attempts counts every page; otherwise g is released. */
static int list_done(struct gathered *g, int o, struct aws_result *res, item_free_fn free_item, void **items,
		     size_t *n)
{
	res->attempts = g->attempts;
	if (o != AWS_OK) {
		free_items(g->items, g->n, g->elem, free_item);
		return o;
	}
	*items = g->items;
	*n = g->n;
	return AWS_OK;
}

int s3t_list_all_tables(const struct aws_client *c, const char *bucket_arn,
			const char *const *namespaces, size_t nnamespaces,
			s3t_table_keep_fn keep, const void *keep_arg,
			struct s3t_table_list *out, struct aws_result *res)
{
	struct gathered g = { .elem = sizeof *out->tables };
	struct lister l = { .free_item = table_summary_free, .page = tables_page,
			    .keep = keep ? keep_listed_table : NULL, .c = c, .bucket_arn = bucket_arn,
			    .keep_table = keep, .keep_arg = keep_arg };
	const char **ns = NULL;
	int o = AWS_OK;
	void *items = NULL;
	memset(out, 0, sizeof *out);
	memset(res, 0, sizeof *res);
	if (nnamespaces) {
		/* One listing per distinct namespace. */
		if (!(ns = malloc(nnamespaces * sizeof *ns)))
			return list_malformed(res, 0, "out of memory");
		memcpy(ns, namespaces, nnamespaces * sizeof *ns);
		qsort(ns, nnamespaces, sizeof *ns, cmp_str);
	}
	for (size_t i = 0; o == AWS_OK && i < (nnamespaces ? nnamespaces : 1); i++) {
		if (nnamespaces && i && strcmp(ns[i], ns[i - 1]) == 0)
			continue;
		l.namespace_name = nnamespaces ? ns[i] : NULL;
		if (i)
			aws_result_free(res);
		o = list_all(&l, &g, res);
	}
	free(ns);
	if (o == AWS_OK)
		sort_unique(&g, cmp_table, table_summary_free);
	o = list_done(&g, o, res, table_summary_free, &items, &out->ntables);
	out->tables = items;
	return o;
}

static int buckets_page(const struct lister *l, const char *token, void **items, size_t *n, char **next,
			struct aws_result *res)
{
	struct s3t_bucket_list p;
	int o = s3t_list_table_buckets_page(l->c, token, S3T_MAX_PAGE_SIZE, &p, res);
	*items = p.buckets;
	*n = p.nbuckets;
	*next = p.continuation_token;
	return o;
}

static int cmp_bucket(const void *a, const void *b)
{
	return strcmp(((const struct s3t_bucket_summary *)a)->arn, ((const struct s3t_bucket_summary *)b)->arn);
}

int s3t_list_all_table_buckets(const struct aws_client *c, struct s3t_bucket_list *out, struct aws_result *res)
{
	struct gathered g = { .elem = sizeof *out->buckets };
	struct lister l = { .free_item = bucket_summary_free, .page = buckets_page, .c = c };
	void *items = NULL;
	memset(out, 0, sizeof *out);
	int o = list_all(&l, &g, res);
	if (o == AWS_OK)
		sort_unique(&g, cmp_bucket, bucket_summary_free);
	o = list_done(&g, o, res, bucket_summary_free, &items, &out->nbuckets);
	out->buckets = items;
	return o;
}

static int namespaces_page(const struct lister *l, const char *token, void **items, size_t *n, char **next,
			   struct aws_result *res)
{
	struct s3t_namespace_list p;
	int o = s3t_list_namespaces_page(l->c, l->bucket_arn, token, S3T_MAX_PAGE_SIZE, &p, res);
	*items = p.namespaces;
	*n = p.nnamespaces;
	*next = p.continuation_token;
	return o;
}

static int cmp_namespace(const void *a, const void *b)
{
	return strcmp(((const struct s3t_namespace_summary *)a)->name, ((const struct s3t_namespace_summary *)b)->name);
}

int s3t_list_all_namespaces(const struct aws_client *c, const char *bucket_arn, struct s3t_namespace_list *out,
			    struct aws_result *res)
{
	struct gathered g = { .elem = sizeof *out->namespaces };
	struct lister l = { .free_item = namespace_summary_free, .page = namespaces_page,
			    .c = c, .bucket_arn = bucket_arn };
	void *items = NULL;
	memset(out, 0, sizeof *out);
	int o = list_all(&l, &g, res);
	if (o == AWS_OK)
		sort_unique(&g, cmp_namespace, namespace_summary_free);
	o = list_done(&g, o, res, namespace_summary_free, &items, &out->nnamespaces);
	out->namespaces = items;
	return o;
}
