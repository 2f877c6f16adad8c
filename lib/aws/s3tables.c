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
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok) {
		error_set(err, errsz, "out of memory");
		return NULL;
	}
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
	/* Then strictly: no comments, single quotes or other json-c leniencies. */
	json_tokener *strict = json_tokener_new_ex(64);
	if (!strict) {
		json_object_put(root);
		error_set(err, errsz, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(strict, JSON_TOKENER_STRICT);
	json_object *check = json_tokener_parse_ex(strict, body, (int)end);
	jerr = json_tokener_get_error(strict);
	json_tokener_free(strict);
	json_object_put(check);
	if (jerr != json_tokener_success) {
		json_object_put(root);
		error_set(err, errsz, "response body is not strict JSON (%s)", json_tokener_error_desc(jerr));
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
	json_object *root, *ns;
	memset(out, 0, sizeof *out);
	if (!(root = parse_object(body, len, err, errsz)))
		return -1;
	if (get_string(root, "", "name", NULL, 1, &out->name, err, errsz) ||
	    get_string(root, "", "tableARN", "tableArn", 1, &out->table_arn, err, errsz))
		goto fail;
	int rc = field(root, "", "namespace", NULL, json_type_array, &ns, err, errsz);
	if (rc < 0)
		goto fail;
	if (rc == 0 || json_object_array_length(ns) < 1)
		FAIL("namespace: required field missing or empty");
	json_object *first = json_object_array_get_idx(ns, 0);
	if (!json_object_is_type(first, json_type_string))
		FAIL("namespace[0]: expected a string, got %s", type_name(first));
	if (!(out->namespace_name = strdup(json_object_get_string(first))))
		FAIL("out of memory");
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	s3t_table_free(out);
	return -1;
}

/* ---- requests ------------------------------------------------------------ */

/* Append "&name=value" (value percent-encoded) to buf. */
static int add_param(char *buf, size_t sz, const char *name, const char *value)
{
	char *enc = sigv4_uri_encode(value, 1);
	if (!enc)
		return -1;
	size_t used = strlen(buf);
	int n = snprintf(buf + used, sz - used, "%s%s=%s", used ? "&" : "", name, enc);
	free(enc);
	return n < 0 || (size_t)n >= sz - used ? -1 : 0;
}

typedef int (*parse_fn)(const char *, size_t, void *, char *, size_t);

static int get_and_parse(const struct aws_client *c, const char *path, const char *query,
			 parse_fn parse, void *out, struct aws_result *res)
{
	enum aws_outcome o = aws_client_get(c, path, query, res);
	if (o != AWS_OK)
		return o;
	char why[400];
	if (parse(res->body, res->body_len, out, why, sizeof why)) {
		snprintf(res->message, sizeof res->message, "malformed response: %s", why);
		return S3T_MALFORMED;
	}
	return AWS_OK;
}

static int query_too_long(struct aws_result *res)
{
	memset(res, 0, sizeof *res);
	snprintf(res->message, sizeof res->message, "request parameters too long");
	return S3T_MALFORMED;
}

int s3t_get_replication_status(const struct aws_client *c, const char *table_arn,
			       struct s3t_replication_status *out, struct aws_result *res)
{
	char q[4096] = "";
	memset(out, 0, sizeof *out);
	if (add_param(q, sizeof q, "tableArn", table_arn))
		return query_too_long(res);
	return get_and_parse(c, "/replication-status", q, (parse_fn)s3t_parse_replication_status, out, res);
}

int s3t_get_expiration_status(const struct aws_client *c, const char *table_arn,
			      struct s3t_expiration_status *out, struct aws_result *res)
{
	char q[4096] = "";
	memset(out, 0, sizeof *out);
	if (add_param(q, sizeof q, "tableArn", table_arn))
		return query_too_long(res);
	return get_and_parse(c, "/table-record-expiration-job-status", q,
			     (parse_fn)s3t_parse_expiration_status, out, res);
}

int s3t_get_maintenance_status(const struct aws_client *c, const char *bucket_arn,
			       const char *namespace_name, const char *name,
			       struct s3t_maintenance_status *out, struct aws_result *res)
{
	char path[4096];
	memset(out, 0, sizeof *out);
	/* Non-greedy labels: ':' and '/' in the bucket ARN are encoded in the path. */
	char *b = sigv4_uri_encode(bucket_arn, 1), *n = sigv4_uri_encode(namespace_name, 1),
	     *t = sigv4_uri_encode(name, 1);
	int len = b && n && t ? snprintf(path, sizeof path, "/tables/%s/%s/%s/maintenance-job-status", b, n, t) : -1;
	free(b);
	free(n);
	free(t);
	if (len < 0 || (size_t)len >= sizeof path)
		return query_too_long(res);
	return get_and_parse(c, path, NULL, (parse_fn)s3t_parse_maintenance_status, out, res);
}

int s3t_get_table(const struct aws_client *c, const char *table_arn, const char *bucket_arn,
		  const char *namespace_name, const char *name, struct s3t_table *out,
		  struct aws_result *res)
{
	char q[4096] = "";
	memset(out, 0, sizeof *out);
	if (table_arn ? add_param(q, sizeof q, "tableArn", table_arn)
		      : (add_param(q, sizeof q, "name", name) || add_param(q, sizeof q, "namespace", namespace_name) ||
			 add_param(q, sizeof q, "tableBucketARN", bucket_arn)))
		return query_too_long(res);
	return get_and_parse(c, "/get-table", q, (parse_fn)s3t_parse_table, out, res);
}
