/*
 * options.h - the command line every plugin shares, parsed once.
 *
 * Contract: options_parse() handles the spec's common options (table
 * selection, region, profile, endpoint, FIPS/dual-stack, timeout, attempts,
 * trust store, proxy, verbosity, -w/-c duration thresholds, --help,
 * --version) plus the plugin's own options, which it hands to the plugin's
 * handler by key. --help and --version print to stdout and exit 0. Any usage
 * error (unknown option, bad number, bad range, bad state name, missing or
 * conflicting table selection) prints one UNKNOWN line naming the option and
 * the bad text and exits 3 (on stderr for the discovery scope, see
 * plugin_info.discovery); an unknown option is named without its value
 * ("--aws-secret-access-key=..." may carry a secret). Numbers are plain
 * decimals (no blanks, sign, hex or exponent); -t takes decimal seconds.
 * Strings in struct common_options point into argv.
 * The same tables drive --help, so the generated man pages never drift.
 */
#ifndef S3T_OPTIONS_H
#define S3T_OPTIONS_H

#include <stddef.h>

#include "range.h"
#include "state.h"

struct plugin_option {
	const char *long_name;
	int short_name;        /* 0 when there is none */
	const char *arg_name;  /* NULL for a flag */
	const char *help;
	int key;               /* passed to the handler; use values >= 1000 */
};

struct plugin_info {
	const char *program;     /* "check_s3tables_replication" */
	const char *check_name;  /* "REPLICATION" */
	const char *purpose;     /* first paragraph of --help */
	const char *thresholds;  /* what -w/-c judge, for --help */
	const struct plugin_option *options;
	size_t noptions;
	/* 0, or -1 with a reason in err (the option name is added by the caller). */
	int (*handle)(void *ctx, int key, const char *arg, char *err, size_t errsz);
	void *ctx;
	const char *notes;       /* extra --help paragraphs (states, perfdata, examples) */
	/* 1 for s3tables-discover's scope: -b and -R/--region repeatable, at least one of
	 * them; no -a, -N, -w, -c, --all-tables, --detail, --perfdata; usage errors on stderr
	 * (stdout carries the configuration it writes). */
	int discovery;
};

#define OPTIONS_MAX_LIST 64

struct common_options {
	const char *table_arn;
	const char *bucket_arn;
	const char *namespace_name;  /* the first --namespace */
	const char *table_name;
	const char *region;
	const char *profile;
	const char *endpoint_url;
	const char *ca_file;
	const char *ca_path;
	const char *proxy;
	int fips;              /* 1, or -1 when not given (environment/profile decide) */
	int dualstack;         /* likewise */
	double timeout;        /* seconds, default 10 */
	enum mp_state timeout_state;
	int max_attempts;      /* 0 when not given */
	int verbose;
	int no_credential_cache;
	struct thresholds age; /* -w/-c, durations in seconds */
	/* Fleet scope (--all-tables): every table of bucket_arn. */
	int all_tables;
	const char *namespaces[OPTIONS_MAX_LIST];   /* every --namespace */
	size_t nnamespaces;
	const char *includes[OPTIONS_MAX_LIST], *excludes[OPTIONS_MAX_LIST];
	size_t nincludes, nexcludes;
	int parallel;          /* 1..32, default 4 */
	double max_rate;       /* requests per second, 0 = no cap */
	int detail_all;        /* --detail=all */
	int perfdata_per_table;
	const char *fleet_option; /* the last fleet-only option given, for "needs --all-tables" */
	/* Discovery scope (plugin_info.discovery): every -b and every --region, in order. */
	const char *bucket_arns[OPTIONS_MAX_LIST];
	size_t nbucket_arns;
	const char *regions[OPTIONS_MAX_LIST];
	size_t nregions;
};

void options_parse(const struct plugin_info *info, int argc, char **argv, struct common_options *out);

/*
 * A discovery run (plugin_info.discovery) writes configuration to stdout, so
 * every message, the UNKNOWN line of a failure included, goes to stderr: this
 * points stdout at stderr and returns a new descriptor of the real stdout
 * (-1 if it could not be duplicated). For a plugin it does nothing and
 * returns STDOUT_FILENO.
 */
int options_divert_stdout(const struct plugin_info *info);

/* Helpers for plugin handlers: parse a state name, a duration/byte/plain range. */
int options_parse_state(const char *arg, enum mp_state *out, char *err, size_t errsz);
int options_parse_int(const char *arg, long min, long max, long *out, char *err, size_t errsz);

/* The name of a bad option for a message, never its value: "--name" of "--name=value", or
 * "-c" for a short option c; control and non-ASCII bytes become '?'. */
void options_bad_option_name(const char *word, int optopt_char, char *buf, size_t bufsz);

#endif
