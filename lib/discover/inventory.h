/*
 * inventory.h - what s3tables-discover found: table buckets and their tables,
 * each with the checks that apply to it.
 *
 * Contract: a struct disc_inventory starts zeroed. disc_inventory_add()
 * copies its strings (the inventory owns every string in it);
 * disc_inventory_free() releases everything. disc_inventory_sort() puts the
 * tables in one canonical order (bucket ARN, then namespace, then name, then
 * table ARN, bytewise) and drops exact duplicates (a bucket listed twice),
 * so the writers (writers.h) see the same sequence for the same set of
 * tables, whatever order they were found in. disc_hosts_make() names one
 * monitoring host per table bucket. No I/O, no globals; strings are taken as
 * bytes and never validated here (the writers escape whatever they get).
 */
#ifndef S3T_DISC_INVENTORY_H
#define S3T_DISC_INVENTORY_H

#include <stddef.h>

/* The checks, as a bit set, in the order every writer lists them. */
enum disc_check {
	DISC_REPLICATION = 1u << 0,
	DISC_EXPIRATION = 1u << 1,
	DISC_MAINTENANCE = 1u << 2,
};
#define DISC_NCHECKS 3

struct disc_table {
	char *bucket_arn;        /* arn:PARTITION:s3tables:REGION:ACCOUNT:bucket/BUCKET */
	char *bucket;            /* BUCKET */
	char *region;
	char *account;
	char *namespace_name;
	char *name;
	char *table_arn;
	char *table_id;          /* the table ARN's last part (Nagios commands take it) */
	char *type;              /* "customer" | "aws" | whatever ListTables said; "" when absent */
	unsigned checks;         /* enum disc_check bits */
};

struct disc_inventory {
	struct disc_table *tables;
	size_t ntables, cap;
};

/* The fields of one table; every pointer non-NULL (use "" for unknown). */
struct disc_table_fields {
	const char *bucket_arn, *bucket, *region, *account;
	const char *namespace_name, *name, *table_arn, *table_id, *type;
	unsigned checks;
};

/* 0, or -1 (out of memory) with a reason in err. */
int disc_inventory_add(struct disc_inventory *inv, const struct disc_table_fields *f, char *err, size_t errsz);
void disc_inventory_sort(struct disc_inventory *inv);
void disc_inventory_free(struct disc_inventory *inv);

/* The check's name ("replication", "expiration", "maintenance") for one bit. */
const char *disc_check_name(unsigned check);

/*
 * One host name per table bucket of a sorted inventory: prefix + bucket +
 * "-" + region, so that a bucket keeps its name when a same-named bucket in
 * another region (a replica) joins the inventory. Buckets that would still
 * share a name (other accounts) get "-" + account; anything left (only
 * possible with malformed ARNs) a "-2", "-3"... in sort order. names[i]
 * belongs to the table bucket of tables[first[i]]; the bucket's tables are
 * tables[first[i]] .. tables[first[i+1]-1] (first[n] == ntables). The names
 * are not escaped or sanitized for any syntax yet: each writer does that.
 * 0, or -1 (out of memory) with a reason in err; disc_hosts_free() releases.
 */
struct disc_hosts {
	char **names;
	size_t *first;
	size_t n;
};
int disc_hosts_make(const struct disc_inventory *inv, const char *prefix, struct disc_hosts *h, char *err,
		    size_t errsz);
void disc_hosts_free(struct disc_hosts *h);

#endif
