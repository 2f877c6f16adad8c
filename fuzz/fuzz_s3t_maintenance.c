/*
 * fuzz_s3t_maintenance.c - GetTableMaintenanceJobStatus responses
 * (s3t_parse_maintenance_status, s3tables.h). Input: the response body.
 * Properties: parsing is deterministic; an accepted body has its table ARN, each
 * job its type (the map key) and status, finite timestamps, and renders (one line
 * and one perfdata item per job, labelled by the untrusted job type) into valid
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
	struct s3t_maintenance_status m, m2, zero;
	char err[512], err2[512];
	memset(&zero, 0, sizeof zero);
	int rc = s3t_parse_maintenance_status((const char *)data, size, &m, err, sizeof err);
	int rc2 = s3t_parse_maintenance_status((const char *)data, size, &m2, err2, sizeof err2);
	FZ_ASSERT(rc == rc2, "two parses of one body disagree");
	if (rc) {
		FZ_ASSERT(strcmp(err, err2) == 0, "two parses give two messages: %s / %s", err, err2);
		FZ_ASSERT(memcmp(&m, &zero, sizeof m) == 0, "a rejected body leaves data in the struct");
		fz_check_message(err, sizeof err, "s3t_parse_maintenance_status");
		return 0;
	}
	FZ_ASSERT(m.table_arn && fz_same_str(m.table_arn, m2.table_arn) && m.njobs == m2.njobs,
		  "accepted without tableARN, or two parses give two results");
	struct output *o = output_new("MAINTENANCE");
	size_t nperf = 0;
	output_summary(o, "%zu jobs of %s", m.njobs, m.table_arn);
	for (size_t i = 0; i < m.njobs; i++) {
		const struct s3t_maintenance_job *j = &m.jobs[i], *j2 = &m2.jobs[i];
		FZ_ASSERT(j->type && j->status, "jobs[%zu] accepted without type or status", i);
		FZ_ASSERT(!j->has_last_run || isfinite(j->last_run), "jobs[%zu]: timestamp not finite", i);
		FZ_ASSERT(fz_same_str(j->type, j2->type) && fz_same_str(j->status, j2->status) &&
			  fz_same_str(j->failure_message, j2->failure_message) && j->has_last_run == j2->has_last_run,
			  "jobs[%zu]: two parses give two results", i);
		output_line(o, "%s: %s%s%s", j->type, j->status, j->failure_message ? ": " : "",
			    j->failure_message ? j->failure_message : "");
		if (j->has_last_run && fabs(j->last_run) < 1e15) {
			int rc3 = output_perf_i64(o, j->type, (int64_t)j->last_run, "s", NULL, NULL, NULL, NULL);
			nperf += rc3 == 0;
			/* Refused only when the type sanitizes to nothing, or at the cap. */
			char label[OUTPUT_LABEL_MAX_CHARS * 4 + 4];
			FZ_ASSERT(rc3 == 0 || nperf >= OUTPUT_MAX_PERF ||
				  output_sanitize(j->type, OUTPUT_LABEL_MAX_CHARS, label, sizeof label) == 0,
				  "perfdata for job \"%s\" refused", j->type);
		}
	}
	char *text = output_render(o);
	fz_check_rendered(text, "MAINTENANCE", STATE_OK, nperf > 0, nperf);
	free(text);
	output_free(o);
	s3t_maintenance_status_free(&m);
	s3t_maintenance_status_free(&m2);
	return 0;
}
