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
