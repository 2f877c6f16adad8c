/*
 * table_filter.h - which tables of a bucket a fleet run (--all-tables) or
 * s3tables-discover looks at.
 *
 * Contract: a table is kept when its namespace is one of the given
 * namespaces (exact match; none given = every namespace), "namespace.table"
 * matches at least one include regex (none given = every table), and it
 * matches no exclude regex. Regexes are POSIX extended (regcomp with
 * REG_EXTENDED | REG_NOSUB) and unanchored: anchor them with ^ and $.
 * table_filter_new() copies what it needs (the caller's strings may go) and
 * fails with -1 and a reason naming the option and the text: a bad regex
 * ("--include: bad regular expression 'a(': ...") or a namespace that is not
 * a valid S3 Tables name ("--namespace: 'Sales' is not a valid namespace
 * name ..."). A filter is read-only after creation, so threads may share it.
 */
#ifndef S3T_TABLE_FILTER_H
#define S3T_TABLE_FILTER_H

#include <stddef.h>

#include "s3tables.h"

struct table_filter;

int table_filter_new(const char *const *namespaces, size_t nns, const char *const *includes, size_t ninc,
		     const char *const *excludes, size_t nexc, struct table_filter **out, char *err, size_t errsz);
/* 1 when the table is kept, 0 when not. */
int table_filter_match(const struct table_filter *f, const char *namespace_name, const char *name);
void table_filter_free(struct table_filter *f);

/* The namespaces given (NULL, 0 when none), for a listing that asks the service to filter. */
const char *const *table_filter_namespaces(const struct table_filter *f, size_t *n);
/* table_filter_match() in the shape s3t_list_all_tables() takes (arg: the filter). */
int table_filter_keep(const void *filter, const char *namespace_name, const char *name);

/* Every table of the bucket that f keeps (f NULL: all), sorted by namespace then name:
 * s3t_list_all_tables() with f's namespaces and f as the keep function. */
int table_filter_list_tables(const struct aws_client *c, const char *bucket_arn, const struct table_filter *f,
			     struct s3t_table_list *out, struct aws_result *res);

#endif
