/* options.c - see options.h. */
#include "config.h"
#include "error.h"
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"

enum {
	OPT_FIPS = 300,
	OPT_DUALSTACK,
	OPT_MAX_ATTEMPTS,
	OPT_CA_FILE,
	OPT_CA_PATH,
	OPT_PROXY,
	OPT_NO_CREDENTIAL_CACHE,
	OPT_ALL_TABLES,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_PARALLEL,
	OPT_MAX_RATE,
	OPT_DETAIL,
	OPT_PERFDATA,
};

static const struct plugin_option common[] = {
	{"table-arn", 'a', "ARN", "The table: arn:PARTITION:s3tables:REGION:ACCOUNT:bucket/BUCKET/table/TABLE-ID", 'a'},
	{"table-bucket-arn", 'b', "ARN", "The table bucket, with --namespace and --table, to name the table instead of --table-arn", 'b'},
	{"namespace", 'n', "NAMESPACE", "The table's namespace (with --table-bucket-arn); with --all-tables: only this namespace (repeatable)", 'n'},
	{"table", 'N', "NAME", "The table's name (with --table-bucket-arn)", 'N'},
	{"all-tables", 0, NULL, "Check every table of --table-bucket-arn (ListTables, every page) in one run", OPT_ALL_TABLES},
	{"include", 0, "REGEX", "With --all-tables: check only tables whose namespace.table matches this POSIX extended regex (repeatable)", OPT_INCLUDE},
	{"exclude", 0, "REGEX", "With --all-tables: skip tables whose namespace.table matches this POSIX extended regex (repeatable)", OPT_EXCLUDE},
	{"parallel", 0, "N", "With --all-tables: requests in flight at once, 1 to 32, on kept-alive connections; default 4", OPT_PARALLEL},
	{"max-rate", 0, "N", "With --all-tables: at most N requests per second across the run; default no cap", OPT_MAX_RATE},
	{"detail", 0, "problems|all", "With --all-tables: long output lists the non-OK tables (default) or every table", OPT_DETAIL},
	{"perfdata", 0, "summary|per-table", "With --all-tables: per-table adds namespace.table::metric items (within the cap)", OPT_PERFDATA},
	{"warning", 'w', "RANGE", NULL, 'w'},
	{"critical", 'c', "RANGE", NULL, 'c'},
	{"region", 'R', "REGION", "AWS region; default: the ARN's region, else AWS_REGION, AWS_DEFAULT_REGION, the profile", 'R'},
	{"profile", 'P', "NAME", "AWS profile; default AWS_PROFILE, else 'default'", 'P'},
	{"endpoint-url", 'E', "URL", "S3 Tables endpoint; default AWS_ENDPOINT_URL_S3TABLES, AWS_ENDPOINT_URL, else https://s3tables.REGION.DNS-SUFFIX", 'E'},
	{"fips", 0, NULL, "Use the FIPS endpoint (also AWS_USE_FIPS_ENDPOINT=true)", OPT_FIPS},
	{"dualstack", 0, NULL, "Use the dual-stack endpoint (also AWS_USE_DUALSTACK_ENDPOINT=true)", OPT_DUALSTACK},
	{"timeout", 't', "SECONDS[:STATE]", "One deadline for the whole run (credentials, retries, request); default 10; on expiry STATE, default UNKNOWN", 't'},
	{"max-attempts", 0, "N", "Attempts per request including the first; default AWS_MAX_ATTEMPTS, else 3", OPT_MAX_ATTEMPTS},
	{"ca-file", 0, "FILE", "Trust these CA certificates; default AWS_CA_BUNDLE, else the system store", OPT_CA_FILE},
	{"ca-path", 0, "DIR", "Trust the CA certificates in this hashed directory", OPT_CA_PATH},
	{"proxy", 0, "URL", "Proxy for HTTPS; default: libcurl's https_proxy/no_proxy environment", OPT_PROXY},
	{"no-credential-cache", 0, NULL, "Do not reuse temporary credentials cached on disk between runs", OPT_NO_CREDENTIAL_CACHE},
	{"verbose", 'v', NULL, "More detail, repeatable: -v request facts, -vv configuration resolution, -vvv HTTP trace on stderr (secrets redacted)", 'v'},
	{"help", 'h', NULL, "Print this help and exit", 'h'},
	{"version", 'V', NULL, "Print the version and exit", 'V'},
};
#define NCOMMON (sizeof common / sizeof common[0])

/* What a common option means to s3tables-discover; NULL when it is not one of its options. */
static const char *discovery_help(const struct plugin_option *o)
{
	switch (o->key) {
	case 'a': case 'N': case 'w': case 'c': case OPT_ALL_TABLES: case OPT_DETAIL: case OPT_PERFDATA:
		return NULL;
	case 'b': return "A table bucket to list (repeatable)";
	case 'R': return "Every table bucket of the account in REGION (ListTableBuckets, every page; repeatable)";
	case 'n': return "Only tables of this namespace (repeatable)";
	case OPT_INCLUDE: return "Only tables whose namespace.table matches this POSIX extended regex (repeatable)";
	case OPT_EXCLUDE: return "Skip tables whose namespace.table matches this POSIX extended regex (repeatable)";
	case OPT_PARALLEL: return "With --probe: requests in flight at once, 1 to 32, on kept-alive connections; default 4";
	case OPT_MAX_RATE: return "At most N requests per second across the run; default no cap";
	case 't': return "One deadline for the whole run (credentials, listings, probes); default 10; a run cut short writes nothing";
	}
	return o->help;
}

/* The help of an option in this program's scope, or NULL when the option is not one of its. */
static const char *scoped_help(const struct plugin_info *info, const struct plugin_option *o)
{
	if (info->discovery)
		return discovery_help(o);
	if (o->key == 'w')
		return info->thresholds ? info->thresholds : "Warning range";
	if (o->key == 'c')
		return "Critical range, same syntax as --warning";
	return o->help;
}

int options_divert_stdout(const struct plugin_info *info)
{
	if (!info->discovery)
		return STDOUT_FILENO;
	fflush(stdout);
	int fd = dup(STDOUT_FILENO);
	dup2(STDERR_FILENO, STDOUT_FILENO);
	return fd;
}

/* A usage error: one UNKNOWN line (on stderr for the discovery scope), exit 3. */
#define usage_die(info, ...) \
	(options_divert_stdout(info), output_die((info)->check_name, STATE_UNKNOWN, __VA_ARGS__))

static void print_option(const struct plugin_option *o, const char *help)
{
	char head[96];
	int n;
	if (o->short_name)
		n = snprintf(head, sizeof head, " -%c, --%s", o->short_name, o->long_name);
	else
		n = snprintf(head, sizeof head, "     --%s", o->long_name);
	if (o->arg_name && n > 0 && (size_t)n < sizeof head)
		snprintf(head + n, sizeof head - (size_t)n, "=%s", o->arg_name);
	printf("%s\n    %s\n", head, help);
}

/* A notes paragraph that starts with "Example:" or "Examples:" (NULL if none). */
static const char *find_examples(const char *notes, size_t *skip)
{
	for (const char *p = notes; p && *p;) {
		const char *head = p;
		size_t n = strcspn(p, "\n");
		if ((n == 8 && strncmp(p, "Example:", 8) == 0) || (n == 9 && strncmp(p, "Examples:", 9) == 0)) {
			*skip = n;
			return head;
		}
		const char *para = strstr(p, "\n\n");
		p = para ? para + 2 : NULL;
	}
	return NULL;
}

static void print_help(const struct plugin_info *info)
{
	printf("%s (%s) %s\n", info->program, PACKAGE_NAME, PACKAGE_VERSION);
	printf("%s\n\n", info->purpose);
	if (info->discovery) {
		printf("Usage: %s -b BUCKET-ARN [-b BUCKET-ARN ...] [options]\n"
		       "  or:  %s --region REGION [--region REGION ...] [-b BUCKET-ARN ...] [options]\n\n",
		       info->program, info->program);
		printf("Options:\n");
		for (size_t i = 0; i < NCOMMON; i++) {
			const char *help = scoped_help(info, &common[i]);
			if (help)
				print_option(&common[i], help);
		}
		for (size_t i = 0; i < info->noptions; i++)
			print_option(&info->options[i], info->options[i].help);
		if (info->notes)
			printf("\n%s\n", info->notes);
		printf("\nCredentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,\n"
		       "AWS_SESSION_TOKEN). Nothing secret is ever printed, at any verbosity.\n");
		return;
	}
	printf("Usage: %s -a TABLE-ARN [options]\n  or:  %s -b BUCKET-ARN -n NAMESPACE -N TABLE [options]\n"
	       "  or:  %s -b BUCKET-ARN --all-tables [-n NAMESPACE ...] [--include REGEX ...] [options]\n\n",
	       info->program, info->program, info->program);
	/* Headings: the table, every table of a bucket, this check's own options (its thresholds
	 * first), then the options every s3tables check shares. */
	printf("Table selection:\n");
	size_t i0 = 0;
	for (; i0 < NCOMMON && common[i0].key != OPT_ALL_TABLES && common[i0].key != 'w'; i0++)
		print_option(&common[i0], common[i0].help);
	if (i0 < NCOMMON && common[i0].key == OPT_ALL_TABLES) {
		printf("\nOptions for every table of a bucket (--all-tables):\n");
		for (; i0 < NCOMMON && common[i0].key != 'w'; i0++)
			print_option(&common[i0], common[i0].help);
	}
	printf("\nThis check's options:\n");
	for (size_t i = 0; i < NCOMMON; i++) {
		const struct plugin_option *o = &common[i];
		if (o->key == 'w')
			print_option(o, info->thresholds ? info->thresholds : "Warning range");
		else if (o->key == 'c')
			print_option(o, "Critical range, same syntax as --warning");
	}
	for (size_t i = 0; i < info->noptions; i++)
		print_option(&info->options[i], info->options[i].help);
	printf("\nCommon options (every s3tables check):\n");
	int after = 0;
	for (size_t i = 0; i < NCOMMON; i++) {
		if (common[i].key == 'c') {
			after = 1;
			continue;
		}
		if (after)
			print_option(&common[i], common[i].help);
	}
	printf("\nRanges:\n"
	       " monitoring-plugins syntax: N means 0..N, N: means N or more, ~:N means N or less,\n"
	       " N:M between N and M, @N:M alerts inside N..M; ends are inclusive. Durations take\n"
	       " s, m, h or d on each end (-w 30m -c 2h); byte ranges take K, M, G or T (1024-based).\n");
	/* The notes, less their example paragraph, which goes last (help2man makes it the
	 * EXAMPLES section, printed verbatim). */
	size_t skip = 0;
	const char *ex = find_examples(info->notes, &skip);
	if (info->notes && ex != info->notes) {
		size_t n = ex ? (size_t)(ex - info->notes) : strlen(info->notes);
		while (n > 0 && info->notes[n - 1] == '\n')
			n--;
		printf("\n%.*s\n", (int)n, info->notes);
	}
	const char *rest = ex ? strstr(ex, "\n\n") : NULL;
	if (rest && rest[strspn(rest, "\n")])
		printf("\n%s\n", rest + strspn(rest, "\n"));
	printf("\nEvery table of a bucket (--all-tables with --table-bucket-arn):\n"
	       " ListTables gives each table (every page; --namespace, --include and --exclude\n"
	       " filter them), then each table is checked exactly as above, --parallel at once.\n"
	       " A table the check does not apply to counts as not applicable and does not raise\n"
	       " the state, unless the state for that case is given explicitly. One table's\n"
	       " failure makes that table UNKNOWN and the run goes on. One deadline (-t) for the\n"
	       " whole run: tables not checked by then count as not_checked. The first line counts\n"
	       " the tables by state, worst first; the long output has one line per non-OK table\n"
	       " (every table with --detail=all) with its details nested under it. Perfdata:\n"
	       " tables, ok, warning, critical, unknown, not_applicable, not_checked and the worst\n"
	       " value of the check's metrics; --perfdata=per-table adds namespace.table::metric.\n"
	       " IAM permission needed as well: s3tables:ListTables.\n");
	printf("\nCredentials:\n"
	       "  The first source that is configured is used; one that is configured but broken\n"
	       "  stops the check with UNKNOWN naming it. Nothing secret is ever printed.\n"
	       "  1.  The environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,\n"
	       "      AWS_SESSION_TOKEN.\n"
	       "  2.  The shared config files' profile (--profile, else AWS_PROFILE, else\n"
	       "      default; a profile named explicitly must exist) in AWS_CONFIG_FILE\n"
	       "      (~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials):\n"
	       "      static keys, credential_process, role_arn with source_profile or\n"
	       "      credential_source, web_identity_token_file, or IAM Identity Center (SSO)\n"
	       "      with the token `aws sso login --profile NAME` cached in ~/.aws/sso/cache\n"
	       "      (refreshed and written back when it expires; a role needing mfa_serial is\n"
	       "      refused).\n"
	       "  3.  Web identity: AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN\n"
	       "      (AWS_ROLE_SESSION_NAME).\n"
	       "  4.  The ECS / EKS Pod Identity container endpoint:\n"
	       "      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or\n"
	       "      AWS_CONTAINER_CREDENTIALS_FULL_URI (AWS_CONTAINER_AUTHORIZATION_TOKEN,\n"
	       "      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).\n"
	       "  5.  EC2 instance metadata, IMDSv2 (AWS_EC2_METADATA_DISABLED,\n"
	       "      AWS_EC2_METADATA_SERVICE_ENDPOINT,\n"
	       "      AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE).\n"
	       "  Temporary credentials are cached between runs in\n"
	       "  ~/.cache/monitoring-plugins-s3tables ($XDG_CACHE_HOME/monitoring-plugins-s3tables;\n"
	       "  mode 0700, files 0600) until 5 minutes before they expire;\n"
	       "  --no-credential-cache turns that off.\n");
	printf("\nOther variables: AWS_REGION, AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3TABLES,\n"
	       "AWS_ENDPOINT_URL, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, AWS_USE_FIPS_ENDPOINT,\n"
	       "AWS_USE_DUALSTACK_ENDPOINT, AWS_MAX_ATTEMPTS, AWS_CA_BUNDLE, https_proxy,\n"
	       "HTTPS_PROXY, ALL_PROXY, no_proxy (see the man page's ENVIRONMENT section).\n");
	printf("\nExit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n");
	if (ex) {
		const char *body = ex + skip;
		while (*body == '\n')
			body++;
		const char *end = strstr(body, "\n\n");
		printf("\nExamples:\n%.*s\n", (int)(end ? (size_t)(end - body) : strlen(body)), body);
	}
}

int options_parse_state(const char *arg, enum mp_state *out, char *err, size_t errsz)
{
	if (state_parse(arg, out) == 0)
		return 0;
	error_set(err, errsz, "'%s' is not a state (OK, WARNING, CRITICAL, UNKNOWN or 0-3)", arg);
	return -1;
}

/* Plain decimal digits, an optional '-' first (min < 0 only), no blanks, no '+', no 0x. */
static int is_decimal_int(const char *s, int allow_minus)
{
	if (allow_minus && *s == '-')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int options_parse_int(const char *arg, long min, long max, long *out, char *err, size_t errsz)
{
	char *end;
	errno = 0;
	long v = is_decimal_int(arg, min < 0) ? strtol(arg, &end, 10) : 0;
	if (!is_decimal_int(arg, min < 0) || errno || *end || v < min || v > max) {
		error_set(err, errsz, "'%s' is not a whole number from %ld to %ld", arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_timeout(const char *arg, struct common_options *o, char *err, size_t errsz)
{
	char num[64];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	if (n == 0 || n >= sizeof num) {
		error_set(err, errsz, "'%s' is not SECONDS[:STATE]", arg);
		return -1;
	}
	memcpy(num, arg, n);
	num[n] = 0;
	/* Decimal seconds only ("10", "2.5"): no blanks, sign, hex or exponent. */
	size_t digits = strspn(num, "0123456789");
	int decimal = digits > 0 && (num[digits] == 0 ||
				     (num[digits] == '.' && num[digits + 1] &&
				      strspn(num + digits + 1, "0123456789") == strlen(num + digits + 1)));
	if (!decimal) {
		error_set(err, errsz, "'%s' is not a number of seconds (decimal digits, e.g. 10 or 2.5)", num);
		return -1;
	}
	double t = strtod(num, NULL);
	if (!isfinite(t) || t <= 0 || t > 86400) {
		error_set(err, errsz, "'%s' is out of range: the timeout must be more than 0 and at most 86400 seconds", num);
		return -1;
	}
	o->timeout = t;
	if (colon)
		return options_parse_state(colon + 1, &o->timeout_state, err, errsz);
	return 0;
}

void options_bad_option_name(const char *word, int optopt_char, char *buf, size_t bufsz)
{
	if (strncmp(word, "--", 2) == 0) {
		/* "--name=value": the name only, cut and cleaned (the value may be a secret) */
		size_t n = strcspn(word, "=");
		if (n > 64)
			n = 64;
		snprintf(buf, bufsz, "%.*s", (int)n, word);
	} else if (optopt_char > 0x20 && optopt_char < 0x7f) {
		snprintf(buf, bufsz, "-%c", optopt_char);
	} else {
		/* a short option cluster getopt could not name: its first letter */
		snprintf(buf, bufsz, "-%c", word[0] == '-' && word[1] > 0x20 && word[1] < 0x7f ? word[1] : '?');
	}
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

/* Find the table entry for a getopt return value (among this program's options). */
static const struct plugin_option *lookup(const struct plugin_info *info, int key)
{
	for (size_t i = 0; i < NCOMMON; i++)
		if (common[i].key == key && scoped_help(info, &common[i]))
			return &common[i];
	for (size_t i = 0; i < info->noptions; i++)
		if (info->options[i].key == key)
			return &info->options[i];
	return NULL;
}

static int handle_common(int key, const char *arg, struct common_options *o, char *err, size_t errsz)
{
	long n;
	switch (key) {
	case 'a': o->table_arn = arg; return 0;
	case 'b':
		if (o->nbucket_arns >= OPTIONS_MAX_LIST) {
			error_set(err, errsz, "at most %d table buckets", OPTIONS_MAX_LIST);
			return -1;
		}
		o->bucket_arns[o->nbucket_arns++] = arg;
		o->bucket_arn = arg;
		return 0;
	case 'n':
		if (o->nnamespaces >= OPTIONS_MAX_LIST) {
			error_set(err, errsz, "at most %d namespaces", OPTIONS_MAX_LIST);
			return -1;
		}
		if (!o->namespace_name)
			o->namespace_name = arg;
		o->namespaces[o->nnamespaces++] = arg;
		return 0;
	case OPT_ALL_TABLES: o->all_tables = 1; return 0;
	case OPT_INCLUDE:
	case OPT_EXCLUDE: {
		const char **list = key == OPT_INCLUDE ? o->includes : o->excludes;
		size_t *count = key == OPT_INCLUDE ? &o->nincludes : &o->nexcludes;
		if (*count >= OPTIONS_MAX_LIST) {
			error_set(err, errsz, "at most %d patterns", OPTIONS_MAX_LIST);
			return -1;
		}
		list[(*count)++] = arg;
		o->fleet_option = key == OPT_INCLUDE ? "--include" : "--exclude";
		return 0;
	}
	case OPT_PARALLEL:
		if (options_parse_int(arg, 1, 32, &n, err, errsz))
			return -1;
		o->parallel = (int)n;
		o->fleet_option = "--parallel";
		return 0;
	case OPT_MAX_RATE:
		if (options_parse_int(arg, 1, 100000, &n, err, errsz))
			return -1;
		o->max_rate = (double)n;
		o->fleet_option = "--max-rate";
		return 0;
	case OPT_DETAIL:
		if (strcmp(arg, "problems") != 0 && strcmp(arg, "all") != 0) {
			error_set(err, errsz, "'%s' is not problems or all", arg);
			return -1;
		}
		o->detail_all = strcmp(arg, "all") == 0;
		o->fleet_option = "--detail";
		return 0;
	case OPT_PERFDATA:
		if (strcmp(arg, "summary") != 0 && strcmp(arg, "per-table") != 0) {
			error_set(err, errsz, "'%s' is not summary or per-table", arg);
			return -1;
		}
		o->perfdata_per_table = strcmp(arg, "per-table") == 0;
		o->fleet_option = "--perfdata";
		return 0;
	case 'N': o->table_name = arg; return 0;
	case 'R':
	case 'P':
	case 'E':
		if (!*arg) {
			error_set(err, errsz, "the value is empty (leave the option out to use the default)");
			return -1;
		}
		if (key == 'R') {
			if (o->nregions >= OPTIONS_MAX_LIST) {
				error_set(err, errsz, "at most %d regions", OPTIONS_MAX_LIST);
				return -1;
			}
			o->regions[o->nregions++] = arg;
		}
		*(key == 'R' ? &o->region : key == 'P' ? &o->profile : &o->endpoint_url) = arg;
		return 0;
	case OPT_FIPS: o->fips = 1; return 0;
	case OPT_DUALSTACK: o->dualstack = 1; return 0;
	case OPT_CA_FILE: o->ca_file = arg; return 0;
	case OPT_CA_PATH: o->ca_path = arg; return 0;
	case OPT_PROXY: o->proxy = arg; return 0;
	case OPT_NO_CREDENTIAL_CACHE: o->no_credential_cache = 1; return 0;
	case 'v': o->verbose++; return 0;
	case 't': return parse_timeout(arg, o, err, errsz);
	case OPT_MAX_ATTEMPTS:
		if (options_parse_int(arg, 1, 20, &n, err, errsz))
			return -1;
		o->max_attempts = (int)n;
		return 0;
	case 'w':
		o->age.has_warning = 1;
		return range_parse(arg, RANGE_DURATION, &o->age.warning, err, errsz);
	case 'c':
		o->age.has_critical = 1;
		return range_parse(arg, RANGE_DURATION, &o->age.critical, err, errsz);
	}
	return 1; /* not a common option */
}

/* Which table(s): one by ARN, one by name, or every table of a bucket. Exits on a usage error. */
static void check_selection(const struct plugin_info *info, const struct common_options *o)
{
	const char *name = info->check_name;
	if (info->discovery) {
		if (!o->nbucket_arns && !o->nregions)
			usage_die(info, "nothing to list: give --table-bucket-arn or --region (both repeatable)");
		return;
	}
	if (o->all_tables) {
		if (o->table_arn || o->table_name)
			output_die(name, STATE_UNKNOWN, "--all-tables checks every table of --table-bucket-arn: not with %s",
				   o->table_arn ? "--table-arn" : "--table");
		if (!o->bucket_arn)
			output_die(name, STATE_UNKNOWN, "--all-tables needs --table-bucket-arn");
		return;
	}
	if (o->fleet_option)
		output_die(name, STATE_UNKNOWN, "%s needs --all-tables", o->fleet_option);
	if (o->nnamespaces > 1)
		output_die(name, STATE_UNKNOWN, "--namespace is repeatable only with --all-tables");
	int by_name = o->bucket_arn || o->namespace_name || o->table_name;
	if (o->table_arn && by_name)
		output_die(name, STATE_UNKNOWN,
			   "give either --table-arn or --table-bucket-arn with --namespace and --table, not both");
	if (!o->table_arn && !by_name)
		output_die(name, STATE_UNKNOWN,
			   "no table given: use --table-arn, --table-bucket-arn with --namespace and --table, or "
			   "--table-bucket-arn with --all-tables");
	if (by_name && !(o->bucket_arn && o->namespace_name && o->table_name))
		output_die(name, STATE_UNKNOWN, "--table-bucket-arn, --namespace and --table go together; missing %s",
			   !o->bucket_arn ? "--table-bucket-arn" : !o->namespace_name ? "--namespace" : "--table");
}

void options_parse(const struct plugin_info *info, int argc, char **argv, struct common_options *o)
{
	size_t total = NCOMMON + info->noptions;
	struct option *longopts = calloc(total + 1, sizeof *longopts);
	char shortopts[2 * NCOMMON + 2] = "+";
	char err[512];

	memset(o, 0, sizeof *o);
	o->fips = o->dualstack = -1;
	o->timeout = 10;
	o->timeout_state = STATE_UNKNOWN;
	o->parallel = 4;
	if (!longopts)
		usage_die(info, "out of memory");

	for (size_t i = 0, j = 0; i < total; i++) {
		const struct plugin_option *p = i < NCOMMON ? &common[i] : &info->options[i - NCOMMON];
		if (i < NCOMMON && !scoped_help(info, p))
			continue; /* not an option of this program */
		longopts[j].name = p->long_name;
		longopts[j].has_arg = p->arg_name ? required_argument : no_argument;
		longopts[j++].val = p->key;
		if (p->short_name) {
			size_t len = strlen(shortopts);
			shortopts[len] = (char)p->short_name;
			shortopts[len + 1] = 0;
			if (p->arg_name)
				strcat(shortopts, ":");
		}
	}

	opterr = 0;
	optind = 1;
	for (;;) {
		int prev = optind;
		int key = getopt_long(argc, argv, shortopts, longopts, NULL);
		if (key == -1)
			break;
		if (key == '?' || key == ':') {
			char what[128];
			const struct plugin_option *known = optopt ? lookup(info, optopt) : NULL;
			options_bad_option_name(prev < argc ? argv[prev] : "", optopt, what, sizeof what);
			free(longopts);
			if (known && !known->arg_name)
				usage_die(info, "option %s takes no value%s", what,
					   known->key == 'v' ? " (repeat it for more detail: -vv, -vvv)" : "");
			if (known)
				usage_die(info, "option %s needs a value", what);
			usage_die(info, "unknown option %s (see --help)", what);
		}
		if (key == 'h') {
			free(longopts);
			print_help(info);
			exit(0);
		}
		if (key == 'V') {
			free(longopts);
			printf("%s (%s) %s\n", info->program, PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		}
		err[0] = 0;
		int rc = handle_common(key, optarg, o, err, sizeof err);
		if (rc > 0)
			rc = info->handle ? info->handle(info->ctx, key, optarg, err, sizeof err) : -1;
		if (rc != 0) {
			const struct plugin_option *p = lookup(info, key);
			free(longopts);
			usage_die(info, "--%s: %s", p ? p->long_name : "?",
				   err[0] ? err : "invalid value");
		}
	}
	free(longopts);
	if (optind < argc)
		usage_die(info, "unexpected argument '%s' (see --help)", argv[optind]);

	check_selection(info, o);
}
