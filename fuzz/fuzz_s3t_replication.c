/*
 * fuzz_s3t_replication.c - GetTableReplicationStatus responses
 * (s3t_parse_replication_status, s3tables.h). Input: the response body.
 * Properties: parsing is deterministic (a second parse gives the same struct);
 * an accepted body has its required fields (sourceTableArn, each destination's
 * bucket ARN and status), finite timestamps, and its strings render into valid
 * plugin output; a rejected body leaves the struct zeroed and has a message that
 * renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "s3tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_replication_status r, r2, zero;
	char err[512], err2[512];
	memset(&zero, 0, sizeof zero);
	int rc = s3t_parse_replication_status((const char *)data, size, &r, err, sizeof err);
	int rc2 = s3t_parse_replication_status((const char *)data, size, &r2, err2, sizeof err2);
	FZ_ASSERT(rc == rc2, "two parses of one body disagree");
	if (rc) {
		FZ_ASSERT(strcmp(err, err2) == 0, "two parses give two messages: %s / %s", err, err2);
		FZ_ASSERT(memcmp(&r, &zero, sizeof r) == 0, "a rejected body leaves data in the struct");
		fz_check_message(err, sizeof err, "s3t_parse_replication_status");
		return 0;
	}
	FZ_ASSERT(r.source_table_arn, "accepted without sourceTableArn");
	FZ_ASSERT(fz_same_str(r.source_table_arn, r2.source_table_arn) && r.ndestinations == r2.ndestinations,
		  "two parses give two results");
	struct output *o = output_new("REPLICATION");
	output_summary(o, "%zu destinations of %s", r.ndestinations, r.source_table_arn);
	for (size_t i = 0; i < r.ndestinations; i++) {
		const struct s3t_destination *d = &r.destinations[i], *d2 = &r2.destinations[i];
		FZ_ASSERT(d->bucket_arn && d->status, "destinations[%zu] accepted without bucket ARN or status", i);
		FZ_ASSERT(!d->has_last_update || isfinite(d->last_update), "destinations[%zu]: timestamp not finite", i);
		FZ_ASSERT(fz_same_str(d->bucket_arn, d2->bucket_arn) && fz_same_str(d->table_arn, d2->table_arn) &&
			  fz_same_str(d->status, d2->status) && fz_same_str(d->failure_message, d2->failure_message) &&
			  d->has_last_update == d2->has_last_update && (!d->has_last_update || d->last_update == d2->last_update),
			  "destinations[%zu]: two parses give two results", i);
		output_line(o, "%s (%s): %s%s%s", d->bucket_arn, d->table_arn ? d->table_arn : "-", d->status,
			    d->failure_message ? ": " : "", d->failure_message ? d->failure_message : "");
	}
	int64_t zero_i = 0;
	FZ_ASSERT(output_perf_i64(o, "destinations", (int64_t)r.ndestinations, "", NULL, NULL, &zero_i, NULL) == 0,
		  "perfdata refused");
	char *text = output_render(o);
	fz_check_rendered(text, "REPLICATION", STATE_OK, 1, 1);
	free(text);
	output_free(o);
	s3t_replication_status_free(&r);
	s3t_replication_status_free(&r2);
	return 0;
}
