/*
 * s3tables-discover - list what there is to monitor in Amazon S3 Tables and
 * write the monitoring configuration for it (Icinga 2, Nagios or JSON).
 *
 * The scope is table buckets given by ARN (-b, repeatable) and every table
 * bucket of the account in a region (--region, repeatable: ListTableBuckets,
 * every page). Each bucket's tables come from ListTables (every page, the
 * --namespace/--include/--exclude filter). The checks that apply to a table:
 * without --probe replication and maintenance always, expiration where
 * ListTables says the table is AWS-managed (type aws); with --probe, per the
 * table's configurations (GetTableReplication, GetTableRecordExpiration-
 * Configuration, GetTableMaintenanceConfiguration), --parallel tables at
 * once (batch.h); a probe that fails keeps its check and says so on stderr.
 * The inventory is sorted and written by a pure writer (writers.h), to
 * stdout or, with -o, atomically to a file (temporary file in the same
 * directory, fsync, rename; a file that already holds the same bytes is not
 * touched). Everything else goes to stderr. Any failure before the text is
 * complete (a bad option, no credentials, a failed listing, the deadline)
 * prints one UNKNOWN line on stderr, writes nothing and exits 3.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arn.h"
#include "batch.h"
#include "check.h"
#include "endpoint.h"
#include "error.h"
#include "inventory.h"
#include "plugin.h"
#include "table_filter.h"
#include "writers.h"

enum {
	OPT_OUTPUT = 'o',
	OPT_PROBE = 1000,
	OPT_FORMAT,
	OPT_HOST_PREFIX,
	OPT_COMMAND_ENDPOINT,
	OPT_ICINGA2_HOST_TEMPLATE,
	OPT_ICINGA2_SERVICE_TEMPLATE,
	OPT_NAGIOS_HOST_TEMPLATE,
	OPT_NAGIOS_SERVICE_TEMPLATE,
};

enum format { FORMAT_ICINGA2, FORMAT_NAGIOS, FORMAT_JSON };

struct settings {
	enum format format;
	const char *output;
	int probe;
	const char *format_option;   /* the last option that only one format uses, and that format */
	enum format format_needed;
	struct disc_settings ws;
	struct disc_endpoint endpoints[OPTIONS_MAX_LIST];
	char endpoint_regions[OPTIONS_MAX_LIST][64];
};

static const struct plugin_option options[] = {
	{"probe", 0, NULL,
	 "Ask per table which checks apply (GetTableReplication, GetTableRecordExpirationConfiguration, "
	 "GetTableMaintenanceConfiguration), --parallel tables at once",
	 OPT_PROBE},
	{"format", 0, "icinga2|nagios|json", "What to write; default icinga2", OPT_FORMAT},
	{"output", 'o', "FILE", "Write FILE atomically (temporary file in its directory, then rename); default (or -) stdout",
	 OPT_OUTPUT},
	{"host-prefix", 0, "TEXT", "Prepended to the host name made from each table bucket (BUCKET-REGION)",
	 OPT_HOST_PREFIX},
	{"command-endpoint", 0, "REGION=ENDPOINT",
	 "Icinga 2: run the checks of REGION's table buckets on this Endpoint (command_endpoint; repeatable)",
	 OPT_COMMAND_ENDPOINT},
	{"icinga2-host-template", 0, "NAME", "Icinga 2: import this template in every Host", OPT_ICINGA2_HOST_TEMPLATE},
	{"icinga2-service-template", 0, "NAME",
	 "Icinga 2: import this template in every Service (intervals, thresholds, notifications)",
	 OPT_ICINGA2_SERVICE_TEMPLATE},
	{"nagios-host-template", 0, "NAME", "Nagios: the host template to use; default generic-host",
	 OPT_NAGIOS_HOST_TEMPLATE},
	{"nagios-service-template", 0, "NAME", "Nagios: the service template to use; default generic-service",
	 OPT_NAGIOS_SERVICE_TEMPLATE},
};

static int no_control(const char *arg, char *err, size_t errsz)
{
	for (const unsigned char *p = (const unsigned char *)arg; *p; p++)
		if (*p < 0x20 || *p == 0x7f) {
			error_set(err, errsz, "control characters are not allowed");
			return -1;
		}
	return 0;
}

/* A name an object definition can use as it is: not empty, no control character. */
static int object_name(const char *arg, const char *bad, char *err, size_t errsz)
{
	if (!*arg) {
		error_set(err, errsz, "the name is empty");
		return -1;
	}
	if (no_control(arg, err, errsz))
		return -1;
	for (const char *p = arg; *p; p++)
		if (strchr(bad, *p)) {
			error_set(err, errsz, "'%s' holds '%c', which is not allowed in a name", arg, *p);
			return -1;
		}
	return 0;
}

/* Nagios' default illegal_object_name_chars, ';' (a comment) and '\' (an escape). */
#define NAGIOS_BAD "`~!$%^&*|'\"<>?,()=;\\"

static void needs_format(struct settings *s, const char *option, enum format f)
{
	s->format_option = option;
	s->format_needed = f;
}

static int handle(void *ctx, int key, const char *arg, char *err, size_t errsz)
{
	struct settings *s = ctx;
	switch (key) {
	case OPT_PROBE: s->probe = 1; return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "icinga2") == 0)
			s->format = FORMAT_ICINGA2;
		else if (strcmp(arg, "nagios") == 0)
			s->format = FORMAT_NAGIOS;
		else if (strcmp(arg, "json") == 0)
			s->format = FORMAT_JSON;
		else {
			error_set(err, errsz, "'%s' is not icinga2, nagios or json", arg);
			return -1;
		}
		return 0;
	case OPT_OUTPUT:
		if (!*arg) {
			error_set(err, errsz, "the file name is empty");
			return -1;
		}
		s->output = strcmp(arg, "-") == 0 ? NULL : arg; /* "-": stdout, as without -o */
		return 0;
	case OPT_HOST_PREFIX:
		if (no_control(arg, err, errsz))
			return -1;
		s->ws.host_prefix = arg;
		return 0;
	case OPT_COMMAND_ENDPOINT: {
		const char *eq = strchr(arg, '=');
		char region[64], why[256];
		if (!eq || eq == arg || !eq[1] || (size_t)(eq - arg) >= sizeof region) {
			error_set(err, errsz, "'%s' is not REGION=ENDPOINT", arg);
			return -1;
		}
		memcpy(region, arg, (size_t)(eq - arg));
		region[eq - arg] = 0;
		if (endpoint_validate_region(region, why, sizeof why)) {
			error_set(err, errsz, "'%s': %s", arg, why);
			return -1;
		}
		if (object_name(eq + 1, "!", err, errsz))
			return -1;
		for (size_t i = 0; i < s->ws.nendpoints; i++)
			if (strcmp(s->endpoints[i].region, region) == 0) {
				error_set(err, errsz, "region %s is given twice", region);
				return -1;
			}
		if (s->ws.nendpoints >= OPTIONS_MAX_LIST) {
			error_set(err, errsz, "at most %d regions", OPTIONS_MAX_LIST);
			return -1;
		}
		memcpy(s->endpoint_regions[s->ws.nendpoints], region, sizeof region);
		s->endpoints[s->ws.nendpoints] = (struct disc_endpoint){.region = s->endpoint_regions[s->ws.nendpoints],
									.endpoint = eq + 1};
		s->ws.nendpoints++;
		needs_format(s, "--command-endpoint", FORMAT_ICINGA2);
		return 0;
	}
	case OPT_ICINGA2_HOST_TEMPLATE:
	case OPT_ICINGA2_SERVICE_TEMPLATE:
		if (object_name(arg, "!", err, errsz))
			return -1;
		*(key == OPT_ICINGA2_HOST_TEMPLATE ? &s->ws.icinga2_host_template : &s->ws.icinga2_service_template) = arg;
		needs_format(s, key == OPT_ICINGA2_HOST_TEMPLATE ? "--icinga2-host-template" : "--icinga2-service-template",
			     FORMAT_ICINGA2);
		return 0;
	case OPT_NAGIOS_HOST_TEMPLATE:
	case OPT_NAGIOS_SERVICE_TEMPLATE:
		if (object_name(arg, NAGIOS_BAD, err, errsz))
			return -1;
		*(key == OPT_NAGIOS_HOST_TEMPLATE ? &s->ws.nagios_host_template : &s->ws.nagios_service_template) = arg;
		needs_format(s, key == OPT_NAGIOS_HOST_TEMPLATE ? "--nagios-host-template" : "--nagios-service-template",
			     FORMAT_NAGIOS);
		return 0;
	}
	return -1;
}

/* ---- the run ------------------------------------------------------------- */

/* One region the run talks to, with its own endpoint and signing region. */
struct region {
	struct target target;
	struct aws_client client;
};

struct bucket {
	struct arn arn;
	size_t region;          /* index into run.regions */
};

struct run {
	struct plugin_run r;
	struct settings s;
	struct region regions[2 * OPTIONS_MAX_LIST];
	size_t nregions;
	struct bucket *buckets;
	size_t nbuckets, bucket_cap;
	struct table_filter *filter;
	struct disc_inventory inv;
};

static _Noreturn void fail(struct run *d, const char *fmt, const char *a, const char *b)
{
	struct result *root = result_new();
	result_set_state(root, STATE_UNKNOWN);
	result_text(root, fmt, a, b);
	table_filter_free(d->filter);
	disc_inventory_free(&d->inv);
	free(d->buckets);
	plugin_finish(&d->r, root);
}

/* A failed request: check.h's account of it, then "nothing written", exit 3. */
static _Noreturn void fail_request(struct run *d, const char *operation, const char *not_found_text, int rc,
				   struct aws_result *res)
{
	struct check_env env;
	plugin_check_env(&d->r, &env);
	struct result *root = check_failure(operation, rc, res, STATE_UNKNOWN, not_found_text, NULL, &env);
	aws_result_free(res);
	char text[RESULT_TEXT_MAX];
	snprintf(text, sizeof text, "%s", root && root->text ? root->text : operation);
	result_free(root);
	fail(d, "nothing written%s: %s", d->s.output ? " (the output file is left as it was)" : "", text);
}

static size_t region_index(struct run *d, const struct target *t)
{
	for (size_t i = 0; i < d->nregions; i++)
		if (strcmp(d->regions[i].target.region, t->region) == 0)
			return i;
	d->regions[d->nregions].target = *t;
	return d->nregions++;
}

static void add_bucket(struct run *d, const struct arn *a, size_t region)
{
	for (size_t i = 0; i < d->nbuckets; i++)
		if (strcmp(d->buckets[i].arn.bucket_arn, a->bucket_arn) == 0)
			return;
	if (d->nbuckets == d->bucket_cap) {
		size_t cap = d->bucket_cap ? 2 * d->bucket_cap : 16;
		struct bucket *nb = realloc(d->buckets, cap * sizeof *nb);
		if (!nb)
			fail(d, "out of memory%s%s", "", "");
		d->buckets = nb;
		d->bucket_cap = cap;
	}
	d->buckets[d->nbuckets++] = (struct bucket){.arn = *a, .region = region};
}

/* Every region and -b bucket, resolved (endpoint, signing region) before any request. */
static void resolve_scope(struct run *d)
{
	struct plugin_run *r = &d->r;
	char err[768];
	for (size_t i = 0; i < r->opts.nbucket_arns; i++) {
		struct common_options o = r->opts;
		o.bucket_arn = r->opts.bucket_arns[i];
		o.region = NULL;
		o.all_tables = 1;
		o.nnamespaces = 0;
		struct target t;
		if (resolve_target_with_config(&o, NULL, r->config, r->profile, &t, err, sizeof err))
			fail(d, "%s%s", err, "");
		add_bucket(d, &t.bucket, region_index(d, &t));
	}
	for (size_t i = 0; i < r->opts.nregions; i++) {
		struct target t;
		if (resolve_region_with_config(&r->opts, NULL, r->config, r->profile, r->opts.regions[i], &t, err,
					       sizeof err))
			fail(d, "%s%s", err, "");
		region_index(d, &t);
	}
	for (size_t i = 0; i < d->nregions; i++) {
		const struct target *t = &d->regions[i].target;
		plugin_verbose(r, 2, "region %s: endpoint %s (from %s); max attempts %d", t->region, t->endpoint_url,
			       t->endpoint_source, t->max_attempts);
	}
}

/* One HTTP client and one set of credentials; a signed client per region. */
static void connect_regions(struct run *d)
{
	struct plugin_run *r = &d->r;
	r->target = d->regions[0].target;
	plugin_connect(r);
	for (size_t i = 0; i < d->nregions; i++) {
		struct aws_client c = r->client;
		c.region = d->regions[i].target.region;
		c.endpoint_url = d->regions[i].target.endpoint_url;
		c.max_attempts = d->regions[i].target.max_attempts;
		d->regions[i].client = c;
	}
}

/* --region: every table bucket of the account there. */
static void list_buckets(struct run *d)
{
	struct plugin_run *r = &d->r;
	struct check_env env;
	plugin_check_env(r, &env);
	for (size_t i = 0; i < r->opts.nregions; i++) {
		size_t ri;
		for (ri = 0; ri < d->nregions; ri++)
			if (strcmp(d->regions[ri].target.region, r->opts.regions[i]) == 0)
				break;
		struct s3t_bucket_list bl;
		struct aws_result res;
		int rc = s3t_list_all_table_buckets(&d->regions[ri].client, &bl, &res);
		check_answered(&env, "ListTableBuckets", &res);
		if (rc != AWS_OK) {
			s3t_bucket_list_free(&bl);
			char op[128];
			snprintf(op, sizeof op, "ListTableBuckets in %s", r->opts.regions[i]);
			fail_request(d, op, "not found", rc, &res);
		}
		aws_result_free(&res);
		plugin_verbose(r, 1, "ListTableBuckets in %s: %zu table bucket%s", r->opts.regions[i], bl.nbuckets,
			       bl.nbuckets == 1 ? "" : "s");
		for (size_t k = 0; k < bl.nbuckets; k++) {
			struct arn a;
			char why[256];
			if (arn_parse_bucket(bl.buckets[k].arn, &a, why, sizeof why)) {
				char safe[600];
				output_sanitize(why, 200, safe, sizeof safe);
				fprintf(stderr, "%s: ListTableBuckets in %s: left out a table bucket with a bad ARN: %s\n",
					r->info->program, r->opts.regions[i], safe);
				continue;
			}
			add_bucket(d, &a, ri);
		}
		s3t_bucket_list_free(&bl);
	}
}

static int bucket_order(const void *a, const void *b)
{
	return strcmp(((const struct bucket *)a)->arn.bucket_arn, ((const struct bucket *)b)->arn.bucket_arn);
}

/* The table id of a table ARN (what the Nagios commands take): its last part. */
static const char *table_id(const char *table_arn, struct arn *buf)
{
	if (arn_parse_table(table_arn, buf, NULL, 0) == 0)
		return buf->table_id;
	const char *slash = strrchr(table_arn, '/');
	return slash ? slash + 1 : table_arn;
}

/* Every bucket's tables, with the checks that apply without probing. */
static void list_tables(struct run *d)
{
	struct plugin_run *r = &d->r;
	struct check_env env;
	plugin_check_env(r, &env);
	qsort(d->buckets, d->nbuckets, sizeof *d->buckets, bucket_order);
	for (size_t i = 0; i < d->nbuckets; i++) {
		const struct bucket *b = &d->buckets[i];
		struct s3t_table_list list;
		struct aws_result res;
		int rc = table_filter_list_tables(&d->regions[b->region].client, b->arn.bucket_arn, d->filter, &list, &res);
		check_answered(&env, "ListTables", &res);
		if (rc != AWS_OK) {
			s3t_table_list_free(&list);
			char op[320];
			snprintf(op, sizeof op, "ListTables of table bucket %s", b->arn.bucket);
			fail_request(d, op, "table bucket not found", rc, &res);
		}
		aws_result_free(&res);
		plugin_verbose(r, 1, "ListTables %s: %zu table%s", b->arn.bucket, list.ntables, list.ntables == 1 ? "" : "s");
		for (size_t k = 0; k < list.ntables; k++) {
			const struct s3t_table_summary *t = &list.tables[k];
			struct arn tarn;
			const char *type = t->type ? t->type : "";
			struct disc_table_fields f = {
				.bucket_arn = b->arn.bucket_arn, .bucket = b->arn.bucket, .region = b->arn.region,
				.account = b->arn.account, .namespace_name = t->namespace_name, .name = t->name,
				.table_arn = t->table_arn, .table_id = table_id(t->table_arn, &tarn), .type = type,
				.checks = DISC_REPLICATION | DISC_MAINTENANCE |
					  (strcmp(type, "aws") == 0 ? DISC_EXPIRATION : 0u)};
			char err[128];
			if (disc_inventory_add(&d->inv, &f, err, sizeof err)) {
				s3t_table_list_free(&list);
				fail(d, "%s%s", err, "");
			}
		}
		s3t_table_list_free(&list);
	}
}

/* ---- --probe --------------------------------------------------------------- */

enum probe_outcome { PROBE_NOT_RUN, PROBE_APPLIES, PROBE_DOES_NOT_APPLY, PROBE_FAILED };

struct probe_slot {
	enum probe_outcome outcome[DISC_NCHECKS];
	char why[DISC_NCHECKS][600];
};

struct probe_job {
	struct run *d;
	const struct check_env *env;
	struct probe_slot *slots;
};

static int is_enabled(const char *status)
{
	return status && strcasecmp(status, "enabled") == 0;
}

/*
 * What one probe's answer means: a configuration that says yes (applies_if_ok)
 * or no; "no configuration" (NotFoundException, and for record expiration
 * MethodNotAllowedException: not available for this kind of table); else the
 * probe failed, and why is check.h's account of the request. Frees res.
 */
static enum probe_outcome judge(const struct probe_job *job, const char *operation, int rc, struct aws_result *res,
				int applies_if_ok, char *why, size_t whysz)
{
	enum probe_outcome o;
	check_answered(job->env, operation, res);
	if (rc == AWS_OK) {
		o = applies_if_ok ? PROBE_APPLIES : PROBE_DOES_NOT_APPLY;
	} else if (check_is_not_found(rc, res) ||
		   (rc == AWS_API_ERROR && strcmp(res->error.code, "MethodNotAllowedException") == 0)) {
		o = PROBE_DOES_NOT_APPLY;
	} else {
		struct result *f = check_failure(operation, rc, res, STATE_UNKNOWN, NULL, NULL, job->env);
		output_sanitize(f && f->text ? f->text : operation, 400, why, whysz);
		result_free(f);
		o = PROBE_FAILED;
	}
	aws_result_free(res);
	return o;
}

static enum probe_outcome probe_replication(const struct probe_job *job, const struct aws_client *c,
					    const struct disc_table *t, char *why, size_t whysz)
{
	struct s3t_replication_config cfg;
	struct aws_result res;
	int rc = s3t_get_table_replication(c, t->table_arn, &cfg, &res);
	enum probe_outcome o = judge(job, "GetTableReplication", rc, &res, 1, why, whysz);
	s3t_replication_config_free(&cfg);
	return o;
}

static enum probe_outcome probe_expiration(const struct probe_job *job, const struct aws_client *c,
					   const struct disc_table *t, char *why, size_t whysz)
{
	struct s3t_expiration_config cfg;
	struct aws_result res;
	int rc = s3t_get_record_expiration_configuration(c, t->table_arn, &cfg, &res);
	enum probe_outcome o = judge(job, "GetTableRecordExpirationConfiguration", rc, &res,
				     rc == AWS_OK && is_enabled(cfg.status), why, whysz);
	s3t_expiration_config_free(&cfg);
	return o;
}

static enum probe_outcome probe_maintenance(const struct probe_job *job, const struct aws_client *c,
					    const struct disc_table *t, char *why, size_t whysz)
{
	struct s3t_maintenance_config cfg;
	struct aws_result res;
	int rc = s3t_get_maintenance_configuration(c, t->bucket_arn, t->namespace_name, t->name, &cfg, &res);
	int enabled = 0;
	for (size_t i = 0; rc == AWS_OK && i < cfg.nsettings; i++)
		enabled |= is_enabled(cfg.settings[i].status);
	enum probe_outcome o = judge(job, "GetTableMaintenanceConfiguration", rc, &res, enabled, why, whysz);
	s3t_maintenance_config_free(&cfg);
	return o;
}

/* On a worker thread: the three probes of table i, written only to slots[i]. */
static void probe_one(const struct aws_client *worker, size_t i, void *arg)
{
	const struct probe_job *job = arg;
	const struct disc_table *t = &job->d->inv.tables[i];
	struct probe_slot *slot = &job->slots[i];
	/* The worker's connection and limits, the table's region and endpoint. */
	struct aws_client c = *worker;
	for (size_t k = 0; k < job->d->nregions; k++)
		if (strcmp(job->d->regions[k].target.region, t->region) == 0) {
			c.region = job->d->regions[k].client.region;
			c.endpoint_url = job->d->regions[k].client.endpoint_url;
			c.max_attempts = job->d->regions[k].client.max_attempts;
		}
	slot->outcome[0] = probe_replication(job, &c, t, slot->why[0], sizeof slot->why[0]);
	slot->outcome[1] = probe_expiration(job, &c, t, slot->why[1], sizeof slot->why[1]);
	slot->outcome[2] = probe_maintenance(job, &c, t, slot->why[2], sizeof slot->why[2]);
}

static void probe(struct run *d)
{
	struct plugin_run *r = &d->r;
	static const unsigned bit[DISC_NCHECKS] = {DISC_REPLICATION, DISC_EXPIRATION, DISC_MAINTENANCE};
	size_t n = d->inv.ntables;
	if (n == 0)
		return;
	struct probe_slot *slots = calloc(n, sizeof *slots);
	if (!slots)
		fail(d, "out of memory%s%s", "", "");
	struct check_env env;
	plugin_check_env(r, &env);
	struct probe_job job = {.d = d, .env = &env, .slots = slots};
	const struct batch_options bo = {.parallel = r->opts.parallel, .max_rate = r->opts.max_rate};
	/* The probes stop a little before -t, so that sorting and writing fit in it too. */
	struct deadline work = plugin_work_deadline(r);
	struct aws_client proto = r->client;
	proto.deadline = &work;
	char err[512];
	if (batch_run(&proto, &r->http_opts, &bo, n, probe_one, &job, err, sizeof err)) {
		free(slots);
		fail(d, "could not start the probes: %s%s", err, "");
	}
	/* Messages in inventory order, after the workers: the same run gives the same stderr. */
	size_t failed = 0, not_run = 0;
	for (size_t i = 0; i < n; i++) {
		struct disc_table *t = &d->inv.tables[i];
		for (size_t k = 0; k < DISC_NCHECKS; k++) {
			switch (slots[i].outcome[k]) {
			case PROBE_APPLIES: t->checks |= bit[k]; break;
			case PROBE_DOES_NOT_APPLY: t->checks &= ~bit[k]; break;
			case PROBE_FAILED:
				t->checks |= bit[k];
				failed++;
				fprintf(stderr, "%s: %s/%s.%s: %s probe failed, keeping the check: %s\n", r->info->program,
					t->bucket, t->namespace_name, t->name, disc_check_name(bit[k]), slots[i].why[k]);
				break;
			case PROBE_NOT_RUN:
				t->checks |= bit[k];
				not_run++;
				break;
			}
		}
	}
	if (not_run) {
		char secs[64];
		output_format_double(r->opts.timeout, secs, sizeof secs);
		fprintf(stderr, "%s: timed out after %s s: %zu of %zu tables not probed, keeping all their checks\n",
			r->info->program, secs, not_run / DISC_NCHECKS, n);
	}
	plugin_verbose(r, 1, "probed %zu table%s: %zu probe%s failed", n - not_run / DISC_NCHECKS,
		       n - not_run / DISC_NCHECKS == 1 ? "" : "s", failed, failed == 1 ? "" : "s");
	free(slots);
}

/* ---- output ---------------------------------------------------------------- */

static int write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t w = write(fd, text, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		text += w;
		len -= (size_t)w;
	}
	return 0;
}

/* 1 when path is a regular file holding exactly these bytes. */
static int same_content(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;
	char buf[65536];
	for (size_t off = 0; same && off < len;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0 || (size_t)n > len - off || memcmp(buf, text + off, (size_t)n) != 0)
			same = 0;
		else
			off += (size_t)n;
	}
	close(fd);
	return same;
}

/*
 * path gets text or is left as it was: a temporary file next to it (a hidden
 * name that ends in neither .conf nor .cfg, so no daemon includes it), written
 * and fsync'ed, takes the old file's permissions (new: 0644 less the umask),
 * then is renamed over path and the directory fsync'ed. *unchanged: the file
 * already held these bytes and was not touched.
 */
static int write_atomically(const char *path, const char *text, size_t len, int *unchanged, char *err,
			    size_t errsz)
{
	*unchanged = same_content(path, text, len);
	if (*unchanged)
		return 0;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[4096], tmp[4096 + 64];
	if (!*base || strlen(path) >= sizeof dir) {
		error_set(err, errsz, "%s: not a file name", path);
		return -1;
	}
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		error_set(err, errsz, "cannot create a temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	struct stat st;
	mode_t mode;
	if (stat(path, &st) == 0) {
		mode = st.st_mode & 07777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0644 & ~mask;
	}
	int rc = -1;
	if (fchmod(fd, mode) != 0)
		error_set(err, errsz, "%s: %s", tmp, strerror(errno));
	else if (write_all(fd, text, len) != 0)
		error_set(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
	else if (fsync(fd) != 0)
		error_set(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
	else
		rc = 0;
	if (close(fd) != 0 && rc == 0) {
		error_set(err, errsz, "cannot write %s: %s", tmp, strerror(errno));
		rc = -1;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		error_set(err, errsz, "cannot replace %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0) {
		unlink(tmp);
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd); /* the rename survives a crash */
		close(dfd);
	}
	return 0;
}

static const char *const format_names[] = {"icinga2", "nagios", "json"};

int main(int argc, char **argv)
{
	static struct run d;
	struct settings *s = &d.s;
	s->ws.endpoints = s->endpoints;
	const struct plugin_info info = {
		.program = "s3tables-discover",
		.check_name = "DISCOVER",
		.purpose = "Lists what there is to monitor in Amazon S3 Tables (table buckets, their tables and\n"
			   "the checks that apply to each) and writes the monitoring configuration for it:\n"
			   "Icinga 2 objects, Nagios object definitions or a JSON inventory.",
		.options = options,
		.noptions = sizeof options / sizeof options[0],
		.handle = handle,
		.ctx = s,
		.discovery = 1,
		.notes =
			"Checks: without --probe every table gets replication and maintenance, and\n"
			"expiration where ListTables says the table is AWS-managed (type aws). With --probe:\n"
			"replication where a replication configuration exists, expiration where its\n"
			"configuration is enabled, maintenance where any maintenance configuration is\n"
			"enabled. A probe that fails (403, 5xx, timeout) keeps its check and says so on\n"
			"stderr; tables not probed before the deadline keep all their checks.\n\n"
			"Formats (sorted and stable: the same inventory gives the same bytes):\n"
			" icinga2  one Host per table bucket, named TEXT-BUCKET-REGION (--host-prefix TEXT;\n"
			"          -ACCOUNT added when two accounts share a bucket name in a region), with\n"
			"          vars.s3tables_table_bucket_arn, and one Service per table and check,\n"
			"          s3tables-CHECK-NAMESPACE.TABLE, using the CheckCommands of s3tables.conf.\n"
			"          No intervals or thresholds: set them in --icinga2-service-template.\n"
			" nagios   one host per table bucket (_S3TABLES_BUCKET_ARN) and one service per\n"
			"          table and check, using the commands of s3tables-commands.cfg and the\n"
			"          generic-host/generic-service templates (or the ones given). A table whose\n"
			"          name or id cannot be passed safely to those commands is left out, named\n"
			"          in a comment and counted on stderr.\n"
			" json     an array, one object per table: table_bucket_arn, namespace, table,\n"
			"          table_arn, region, account, type, checks (replication, expiration,\n"
			"          maintenance) and host (the Icinga 2 host name): for Icinga Director\n"
			"          import sources and scripts.\n"
			"Names are escaped (or, where a syntax cannot hold them, replaced and marked with\n"
			"a hash) for each format.\n\n"
			"Output: stdout, or with -o FILE a temporary file in FILE's directory, fsync'ed and\n"
			"renamed over FILE (left untouched when it already holds the same bytes). Messages\n"
			"go to stderr. -v: what was listed and probed.\n\n"
			"IAM permissions needed: s3tables:ListTables, with --region\n"
			"s3tables:ListTableBuckets, with --probe s3tables:GetTableReplication,\n"
			"s3tables:GetTableRecordExpirationConfiguration and\n"
			"s3tables:GetTableMaintenanceConfiguration.\n\n"
			"Examples:\n"
			"  s3tables-discover --region us-east-1 --host-prefix s3t- \\\n"
			"      -o /etc/icinga2/zones.d/master/s3tables-discovered.conf\n"
			"  s3tables-discover -b arn:aws:s3tables:us-east-1:111122223333:bucket/analytics \\\n"
			"      --probe --format json -o /var/lib/s3tables/inventory.json\n\n"
			"Exit status: 0 when the configuration was written (or was already up to date);\n"
			"3 when nothing was written (bad option, no credentials, a failed listing, the\n"
			"deadline, a failed write), with one UNKNOWN line on stderr saying why. A\n"
			"failure never replaces an existing -o file.",
	};
	struct plugin_run *r = &d.r;
	plugin_begin(r, &info, argc, argv);
	if (s->format_option && s->format != s->format_needed)
		fail(&d, "%s is for --format=%s", s->format_option, format_names[s->format_needed]);
	char err[768];
	if (table_filter_new(r->opts.namespaces, r->opts.nnamespaces, r->opts.includes, r->opts.nincludes,
			     r->opts.excludes, r->opts.nexcludes, &d.filter, err, sizeof err))
		fail(&d, "%s%s", err, "");

	resolve_scope(&d);
	connect_regions(&d);
	list_buckets(&d);
	list_tables(&d);
	if (s->probe)
		probe(&d);
	disc_inventory_sort(&d.inv);

	size_t skipped = 0;
	char *text = s->format == FORMAT_ICINGA2  ? disc_write_icinga2(&d.inv, &s->ws, err, sizeof err)
		     : s->format == FORMAT_NAGIOS ? disc_write_nagios(&d.inv, &s->ws, &skipped, err, sizeof err)
						  : disc_write_json(&d.inv, &s->ws, err, sizeof err);
	if (!text)
		fail(&d, "%s%s", err, "");
	plugin_answer_ready(); /* the text is complete: write it whole, whatever the clock says */
	if (skipped)
		fprintf(stderr, "%s: %zu table%s left out of the Nagios configuration: a name or id that cannot be passed "
				"safely to the commands (see the comments in it)\n",
			info.program, skipped, skipped == 1 ? "" : "s");
	if (d.inv.ntables == 0)
		fprintf(stderr, "%s: no table found%s\n", info.program,
			r->opts.nnamespaces || r->opts.nincludes || r->opts.nexcludes ? " (after filtering)" : "");

	size_t len = strlen(text);
	int unchanged = 0;
	int rc = s->output ? write_atomically(s->output, text, len, &unchanged, err, sizeof err)
			   : write_all(r->out_fd, text, len);
	free(text);
	if (rc != 0)
		fail(&d, "%s%s", s->output ? err : "cannot write to stdout: ", s->output ? "" : strerror(errno));
	plugin_verbose(r, 1, "%zu table%s, %zu service%s: %s%s", d.inv.ntables, d.inv.ntables == 1 ? "" : "s",
		       disc_count_services(&d.inv), disc_count_services(&d.inv) == 1 ? "" : "s",
		       s->output ? s->output : "stdout", unchanged ? " (unchanged, not rewritten)" : "");

	table_filter_free(d.filter);
	disc_inventory_free(&d.inv);
	free(d.buckets);
	plugin_release(r);
	return 0;
}
