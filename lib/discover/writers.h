/*
 * writers.h - an inventory (inventory.h) as Icinga 2, Nagios or JSON text.
 *
 * Contract: each writer is a pure function of a sorted inventory and the
 * settings: it returns a malloc'd NUL-terminated text (the caller frees it),
 * or NULL with a reason in err when out of memory. The same inventory and
 * settings give the same bytes (no time stamp, no address, fixed order: one
 * block per table bucket in inventory order, its tables in inventory order,
 * their checks replication, expiration, maintenance). Whatever bytes a name
 * holds, the text stays well-formed in its syntax and carries no directive
 * that was not written here:
 *
 * icinga2  One Host per table bucket (disc_hosts_make(), with the prefix),
 *          check_command "dummy", vars.s3tables_table_bucket_arn; one Service
 *          per table and check using the shipped CheckCommands
 *          (s3tables_replication and s3tables_expiration with
 *          vars.s3tables_table_arn, s3tables_maintenance with
 *          vars.s3tables_namespace and vars.s3tables_table), named
 *          "s3tables-CHECK-NAMESPACE.TABLE". Strings are DSL literals (\" \\
 *          \n \r \t, other control bytes as 3-digit octal); values that
 *          reach a command line have '$' doubled (Icinga 2 resolves macros
 *          in custom variables again). Object names cannot hold '!' (Icinga
 *          joins host!service) or control characters: those become '_' and
 *          the name gets "-h" plus 8 hex digits of a hash of the original, so
 *          two odd names never meet. command_endpoint per region from the
 *          settings.
 * nagios   One host per table bucket (use HOST-TEMPLATE, custom variable
 *          _S3TABLES_BUCKET_ARN) and one service per table and check (use
 *          SERVICE-TEMPLATE), with the commands of s3tables-commands.cfg:
 *          check_s3tables_replication!TABLE-ID!, check_s3tables_expiration
 *          !TABLE-ID!, check_s3tables_maintenance!NAMESPACE!TABLE!. Host
 *          names keep [A-Za-z0-9._-], service descriptions also spaces;
 *          anything else (Nagios' illegal_object_name_chars, ';' which starts
 *          a comment, non-ASCII, control bytes) becomes '_' with the hash
 *          suffix as above. Command arguments and the ARN are put inside
 *          '...' by the shipped commands and run by /bin/sh, so they must be
 *          made of [A-Za-z0-9._:/-] only: a table (or bucket) with anything
 *          else is not written, only named in a comment (sanitized), and
 *          counted in *skipped.
 * json     An array, one object per table: table_bucket_arn, namespace,
 *          table, table_arn, region, account, type, checks (array of check
 *          names), host (the Icinga 2 host name, unescaped), two-space
 *          indent, keys in that order. Strings are escaped per RFC 8259 (\"
 *          \\ \b \f \n \r \t, other control bytes as \u00XX); bytes that are
 *          not valid UTF-8 become U+FFFD, so the output is always valid
 *          UTF-8 JSON. An empty inventory is "[]".
 */
#ifndef S3T_DISC_WRITERS_H
#define S3T_DISC_WRITERS_H

#include <stddef.h>

#include "inventory.h"

struct disc_endpoint {
	const char *region;
	const char *endpoint;      /* an Icinga 2 Endpoint object's name */
};

struct disc_settings {
	const char *host_prefix;               /* "" or NULL: none */
	const struct disc_endpoint *endpoints; /* icinga2: command_endpoint per region */
	size_t nendpoints;
	const char *icinga2_host_template;     /* NULL: none imported */
	const char *icinga2_service_template;  /* NULL: none imported */
	const char *nagios_host_template;      /* NULL: "generic-host" */
	const char *nagios_service_template;   /* NULL: "generic-service" */
};

char *disc_write_icinga2(const struct disc_inventory *inv, const struct disc_settings *s, char *err, size_t errsz);
char *disc_write_nagios(const struct disc_inventory *inv, const struct disc_settings *s, size_t *skipped,
			char *err, size_t errsz);
char *disc_write_json(const struct disc_inventory *inv, const struct disc_settings *s, char *err, size_t errsz);

/* The count of services (table x check) a writer creates for the inventory. */
size_t disc_count_services(const struct disc_inventory *inv);

#endif
