/*
 * s3tables.h - the S3 Tables operations the plugins use, as C structs.
 *
 * Contract: each s3t_parse_* function is pure: it takes a response body and
 * returns 0 with the struct filled, or -1 with a reason that names the
 * offending field ("destinations[1].replicationStatus: expected a string,
 * got number"). Every field's JSON type is checked; required fields must be
 * present; timestamps are RFC 3339 (fractions and offsets accepted) and become
 * Unix seconds; 64-bit metrics are kept exactly. Bodies must be one complete
 * JSON object (no trailing data). Strings in the structs are owned by them;
 * the matching s3t_*_free() releases everything.
 *
 * s3t_get_* build the request (paths and query strings per the service model,
 * percent-encoded; path labels are encoded once here and again by the SigV4
 * canonicalisation), send it through aws_client_get() and parse the answer.
 * They return the aws_client outcome; on AWS_OK with a body that does not
 * parse they return S3T_MALFORMED with the reason in res->message.
 *
 * Listings: s3t_list_*_page fetch one page; s3t_list_all_* follow
 * continuationToken to the last page (a repeated token, more than
 * S3T_MAX_PAGES pages or S3T_MAX_LIST_ITEMS items is S3T_MALFORMED) and
 * return the items sorted (byte order). An empty continuationToken ends the
 * listing, as in the SDKs' paginators. They stop at the first page that fails
 * and return its outcome (res describes that page, "page N: " in the message
 * of a malformed later page; out is left empty). On success res holds the
 * last page's answer. Either way res->attempts counts the attempts of every
 * page.
 *
 * Every function here only reads the client (no globals, no shared state), so
 * worker threads may call them at once, each with its own client.
 */
#ifndef S3T_S3TABLES_H
#define S3T_S3TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "aws_client.h"

#define S3T_MALFORMED 100  /* outcome: a 2xx response whose body is not what the model says */

struct s3t_destination {
	char *bucket_arn;         /* destinationTableBucketArn */
	char *table_arn;          /* destinationTableArn, or NULL */
	char *status;             /* replicationStatus as sent */
	int has_last_update;
	double last_update;       /* lastSuccessfulReplicatedUpdate.timestamp */
	char *failure_message;    /* or NULL */
};

struct s3t_replication_status {
	char *source_table_arn;
	struct s3t_destination *destinations;
	size_t ndestinations;
};

struct s3t_expiration_status {
	char *status;             /* NotYetRun, Successful, Failed, Disabled, ... */
	int has_last_run;
	double last_run;
	char *failure_message;
	int has_metrics;
	int has_deleted_data_files, has_deleted_records, has_removed_files_size;
	int64_t deleted_data_files, deleted_records, removed_files_size;
};

struct s3t_maintenance_job {
	char *type;               /* icebergCompaction, ... (the map key) */
	char *status;             /* Not_Yet_Run, Successful, Failed, Disabled, ... */
	int has_last_run;
	double last_run;
	char *failure_message;
};

struct s3t_maintenance_status {
	char *table_arn;
	struct s3t_maintenance_job *jobs;
	size_t njobs;
};

struct s3t_table {
	char *name;
	char *namespace_name;     /* namespace[0] */
	char *table_arn;
};

int s3t_parse_replication_status(const char *body, size_t len, struct s3t_replication_status *out,
				 char *err, size_t errsz);
int s3t_parse_expiration_status(const char *body, size_t len, struct s3t_expiration_status *out,
				char *err, size_t errsz);
int s3t_parse_maintenance_status(const char *body, size_t len, struct s3t_maintenance_status *out,
				 char *err, size_t errsz);
int s3t_parse_table(const char *body, size_t len, struct s3t_table *out, char *err, size_t errsz);

/* ---- listings (ListTables, ListTableBuckets, ListNamespaces) -------------- */

#define S3T_MAX_PAGE_SIZE 1000    /* the model's maximum for maxTables/maxBuckets/maxNamespaces */
#define S3T_MAX_PAGES 20000       /* per listing; more is a misbehaving service (S3T_MALFORMED) */
#define S3T_MAX_LIST_ITEMS 100000 /* per listing (a bucket holds up to 10,000 tables) */

struct s3t_table_summary {
	char *namespace_name;     /* namespace[0] */
	char *name;
	char *table_arn;          /* tableARN */
	char *type;               /* "customer" | "aws", as sent */
	char *managed_by_service; /* or NULL */
	char *namespace_id, *table_bucket_id;  /* optional, NULL when absent */
	int has_created_at, has_modified_at;   /* both required by the model: 1 after a parse */
	double created_at, modified_at;
};

struct s3t_table_list {
	struct s3t_table_summary *tables;
	size_t ntables;
	char *continuation_token; /* NULL: last page (always NULL after s3t_list_all_tables) */
};

struct s3t_bucket_summary {
	char *arn, *name, *owner_account_id;
	char *type;               /* "customer" | "aws", or NULL when absent */
	char *table_bucket_id;    /* or NULL */
	int has_created_at;       /* required: 1 after a parse */
	double created_at;
};

struct s3t_bucket_list {
	struct s3t_bucket_summary *buckets;
	size_t nbuckets;
	char *continuation_token;
};

struct s3t_namespace_summary {
	char *name;               /* namespace[0] */
	char *created_by, *owner_account_id;
	char *namespace_id, *table_bucket_id;  /* or NULL */
	double created_at;
};

struct s3t_namespace_list {
	struct s3t_namespace_summary *namespaces;
	size_t nnamespaces;
	char *continuation_token;
};

int s3t_parse_table_list(const char *body, size_t len, struct s3t_table_list *out, char *err, size_t errsz);
int s3t_parse_bucket_list(const char *body, size_t len, struct s3t_bucket_list *out, char *err, size_t errsz);
int s3t_parse_namespace_list(const char *body, size_t len, struct s3t_namespace_list *out,
			     char *err, size_t errsz);
void s3t_table_list_free(struct s3t_table_list *);
void s3t_bucket_list_free(struct s3t_bucket_list *);
void s3t_namespace_list_free(struct s3t_namespace_list *);

/* GET /tables/{tableBucketARN}?namespace=&continuationToken=&maxTables=
 * namespace_name, continuation_token: NULL = not sent; max_tables: 0 = not sent. */
int s3t_list_tables_page(const struct aws_client *c, const char *bucket_arn, const char *namespace_name,
			 const char *continuation_token, int max_tables, struct s3t_table_list *out,
			 struct aws_result *res);

/* Decides whether a listed table is kept; arg is the caller's (see table_filter_keep()). */
typedef int (*s3t_table_keep_fn)(const void *arg, const char *namespace_name, const char *name);

/* Every page of the bucket's tables, maxTables 1000. With nnamespaces > 0, one listing per
 * distinct namespace (the service filters); keep (NULL = keep all) then drops tables. The
 * result is sorted by namespace then name, without duplicates. */
int s3t_list_all_tables(const struct aws_client *c, const char *bucket_arn,
			const char *const *namespaces, size_t nnamespaces,
			s3t_table_keep_fn keep, const void *keep_arg,
			struct s3t_table_list *out, struct aws_result *res);

/* GET /buckets?continuationToken=&maxBuckets= */
int s3t_list_table_buckets_page(const struct aws_client *c, const char *continuation_token, int max_buckets,
				struct s3t_bucket_list *out, struct aws_result *res);
/* Every page (maxBuckets 1000), sorted by ARN. */
int s3t_list_all_table_buckets(const struct aws_client *c, struct s3t_bucket_list *out, struct aws_result *res);

/* GET /namespaces/{tableBucketARN}?continuationToken=&maxNamespaces= */
int s3t_list_namespaces_page(const struct aws_client *c, const char *bucket_arn, const char *continuation_token,
			     int max_namespaces, struct s3t_namespace_list *out, struct aws_result *res);
/* Every page (maxNamespaces 1000), sorted by name. */
int s3t_list_all_namespaces(const struct aws_client *c, const char *bucket_arn, struct s3t_namespace_list *out,
			    struct aws_result *res);

/* ---- configurations (what --probe asks) --------------------------------------- */

/* GetTableReplication. A 404 NotFoundException means "no replication configured". */
struct s3t_replication_config {
	char *version_token;
	char *role;
	/* configuration.rules[*].destinations[*].destinationTableBucketARN, in order (the model
	 * allows exactly one rule; more are flattened) */
	char **destination_bucket_arns;
	size_t ndestinations;
	size_t nrules;
};

/* GetTableRecordExpirationConfiguration (configuration.*) */
struct s3t_expiration_config {
	char *status;             /* "enabled" | "disabled" as sent, or NULL when absent */
	int has_days;
	int days;                 /* settings.days, 1..2147483647 */
};

/* GetTableMaintenanceConfiguration: one entry per key of the configuration map, in the
 * order received. */
struct s3t_maintenance_setting {
	char *type;               /* icebergCompaction, icebergSnapshotManagement, ... (the key) */
	char *status;             /* "enabled" | "disabled" as sent, or NULL when absent */
	/* settings.icebergCompaction */
	int has_target_file_size_mb;
	int target_file_size_mb;
	char *strategy;           /* auto, binpack, sort, z-order as sent, or NULL */
	/* settings.icebergSnapshotManagement */
	int has_min_snapshots_to_keep, has_max_snapshot_age_hours;
	int min_snapshots_to_keep, max_snapshot_age_hours;
};

struct s3t_maintenance_config {
	char *table_arn;          /* tableARN */
	struct s3t_maintenance_setting *settings;
	size_t nsettings;
};

int s3t_parse_replication_config(const char *body, size_t len, struct s3t_replication_config *out,
				 char *err, size_t errsz);
int s3t_parse_expiration_config(const char *body, size_t len, struct s3t_expiration_config *out,
				char *err, size_t errsz);
int s3t_parse_maintenance_config(const char *body, size_t len, struct s3t_maintenance_config *out,
				 char *err, size_t errsz);
void s3t_replication_config_free(struct s3t_replication_config *);
void s3t_expiration_config_free(struct s3t_expiration_config *);
void s3t_maintenance_config_free(struct s3t_maintenance_config *);

/* GET /table-replication?tableArn= */
int s3t_get_table_replication(const struct aws_client *c, const char *table_arn,
			      struct s3t_replication_config *out, struct aws_result *res);
/* GET /table-record-expiration?tableArn= */
int s3t_get_record_expiration_configuration(const struct aws_client *c, const char *table_arn,
					    struct s3t_expiration_config *out, struct aws_result *res);
/* GET /tables/{tableBucketARN}/{namespace}/{name}/maintenance */
int s3t_get_maintenance_configuration(const struct aws_client *c, const char *bucket_arn,
				      const char *namespace_name, const char *name,
				      struct s3t_maintenance_config *out, struct aws_result *res);

void s3t_replication_status_free(struct s3t_replication_status *);
void s3t_expiration_status_free(struct s3t_expiration_status *);
void s3t_maintenance_status_free(struct s3t_maintenance_status *);
void s3t_table_free(struct s3t_table *);

/* GET /replication-status?tableArn= */
int s3t_get_replication_status(const struct aws_client *c, const char *table_arn,
			       struct s3t_replication_status *out, struct aws_result *res);
/* GET /table-record-expiration-job-status?tableArn= */
int s3t_get_expiration_status(const struct aws_client *c, const char *table_arn,
			      struct s3t_expiration_status *out, struct aws_result *res);
/* GET /tables/{tableBucketARN}/{namespace}/{name}/maintenance-job-status */
int s3t_get_maintenance_status(const struct aws_client *c, const char *bucket_arn,
			       const char *namespace_name, const char *name,
			       struct s3t_maintenance_status *out, struct aws_result *res);
/* GET /get-table?tableArn=  or  ?tableBucketARN=&namespace=&name= (table_arn NULL) */
int s3t_get_table(const struct aws_client *c, const char *table_arn, const char *bucket_arn,
		  const char *namespace_name, const char *name, struct s3t_table *out,
		  struct aws_result *res);

#endif
