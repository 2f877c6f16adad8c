/*
 * fuzz_s3t_configs.c - the configuration responses (s3tables.h):
 * GetTableReplication, GetTableRecordExpirationConfiguration,
 * GetTableMaintenanceConfiguration. Input: one byte choosing the parser (% 3:
 * s3t_parse_replication_config, s3t_parse_expiration_config,
 * s3t_parse_maintenance_config), then the body.
 * Properties: parsing is deterministic (two parses dump to the same text); an
 * accepted body has its required fields (versionToken, role and every destination
 * bucket ARN; tableARN and every setting's type), integer settings inside the
 * model's 1..2147483647, and renders into valid plugin output; a rejected body
 * leaves the struct zeroed and has a message that renders.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "s3tables.h"

#define OR(s) ((s) ? (s) : "-")

static char *dump(int which, const char *body, size_t len, int *ok, char *err, size_t errsz)
{
	struct output *o = output_new("CONFIG");
	if (which == 0) {
		struct s3t_replication_config c, zero = {0};
		*ok = s3t_parse_replication_config(body, len, &c, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&c, &zero, sizeof c) == 0, "a rejected replication config leaves data");
		if (*ok) {
			FZ_ASSERT(c.version_token && c.role, "accepted without versionToken or role");
			output_summary(o, "%zu rules, role %s, version %s", c.nrules, c.role, c.version_token);
		}
		for (size_t i = 0; *ok && i < c.ndestinations; i++) {
			FZ_ASSERT(c.destination_bucket_arns[i], "destination %zu without an ARN", i);
			output_line(o, "%s", c.destination_bucket_arns[i]);
		}
		s3t_replication_config_free(&c);
	} else if (which == 1) {
		struct s3t_expiration_config c, zero = {0};
		*ok = s3t_parse_expiration_config(body, len, &c, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&c, &zero, sizeof c) == 0, "a rejected expiration config leaves data");
		if (*ok) {
			FZ_ASSERT(!c.has_days || c.days >= 1, "days %d", c.days);
			output_summary(o, "%s, %d days", OR(c.status), c.has_days ? c.days : 0);
		}
		s3t_expiration_config_free(&c);
	} else {
		struct s3t_maintenance_config c, zero = {0};
		*ok = s3t_parse_maintenance_config(body, len, &c, err, errsz) == 0;
		FZ_ASSERT(*ok || memcmp(&c, &zero, sizeof c) == 0, "a rejected maintenance config leaves data");
		if (*ok) {
			FZ_ASSERT(c.table_arn, "accepted without tableARN");
			output_summary(o, "%zu settings of %s", c.nsettings, c.table_arn);
		}
		for (size_t i = 0; *ok && i < c.nsettings; i++) {
			const struct s3t_maintenance_setting *s = &c.settings[i];
			FZ_ASSERT(s->type, "setting %zu without a type", i);
			FZ_ASSERT((!s->has_target_file_size_mb || s->target_file_size_mb >= 1) &&
				  (!s->has_min_snapshots_to_keep || s->min_snapshots_to_keep >= 1) &&
				  (!s->has_max_snapshot_age_hours || s->max_snapshot_age_hours >= 1),
				  "setting %s: an integer below 1", s->type);
			output_line(o, "%s %s %d %s %d %d", s->type, OR(s->status), s->target_file_size_mb, OR(s->strategy),
				    s->min_snapshots_to_keep, s->max_snapshot_age_hours);
		}
		s3t_maintenance_config_free(&c);
	}
	char *text = output_render(o);
	output_free(o);
	fz_check_rendered(text, "CONFIG", STATE_OK, 0, 0);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_parse_twice(data, size, 3, dump, "s3t_parse_*_config");
	return 0;
}
