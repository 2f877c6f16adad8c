/*
 * fuzz_s3t_expiration.c - GetTableRecordExpirationJobStatus responses
 * (s3t_parse_expiration_status, s3tables.h). Input: the response body.
 * Properties: parsing is deterministic; an accepted body has a status, a finite
 * lastRunTimestamp when present, metrics only inside "metrics", and renders (status,
 * failure message, the metrics as perfdata) into valid plugin output; a rejected
 * body leaves the struct zeroed and has a message that renders.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "s3tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_expiration_status e, e2, zero;
	char err[512], err2[512];
	memset(&zero, 0, sizeof zero);
	int rc = s3t_parse_expiration_status((const char *)data, size, &e, err, sizeof err);
	int rc2 = s3t_parse_expiration_status((const char *)data, size, &e2, err2, sizeof err2);
	FZ_ASSERT(rc == rc2, "two parses of one body disagree");
	if (rc) {
		FZ_ASSERT(strcmp(err, err2) == 0, "two parses give two messages: %s / %s", err, err2);
		FZ_ASSERT(memcmp(&e, &zero, sizeof e) == 0, "a rejected body leaves data in the struct");
		fz_check_message(err, sizeof err, "s3t_parse_expiration_status");
		return 0;
	}
	FZ_ASSERT(e.status, "accepted without status");
	FZ_ASSERT(strcmp(e.status, e2.status) == 0, "two parses give two statuses");
	FZ_ASSERT(!e.has_last_run || isfinite(e.last_run), "lastRunTimestamp not finite");
	FZ_ASSERT(e.has_metrics || !(e.has_deleted_data_files || e.has_deleted_records || e.has_removed_files_size),
		  "metrics without a metrics object");
	FZ_ASSERT(e.has_last_run == e2.has_last_run && e.deleted_data_files == e2.deleted_data_files &&
		  e.deleted_records == e2.deleted_records && e.removed_files_size == e2.removed_files_size,
		  "two parses give two results");
	struct output *o = output_new("EXPIRATION");
	size_t nperf = 0;
	output_summary(o, "job %s", e.status);
	if (e.failure_message)
		output_line(o, "failure: %s", e.failure_message);
	if (e.has_deleted_data_files)
		nperf += output_perf_i64(o, "deleted_data_files", e.deleted_data_files, "", NULL, NULL, NULL, NULL) == 0;
	if (e.has_deleted_records)
		nperf += output_perf_i64(o, "deleted_records", e.deleted_records, "c", NULL, NULL, NULL, NULL) == 0;
	if (e.has_removed_files_size)
		nperf += output_perf_i64(o, "removed_files_size", e.removed_files_size, "B", NULL, NULL, NULL, NULL) == 0;
	FZ_ASSERT(nperf == (size_t)(e.has_deleted_data_files + e.has_deleted_records + e.has_removed_files_size),
		  "a metric was refused as perfdata");
	char *text = output_render(o);
	fz_check_rendered(text, "EXPIRATION", STATE_OK, nperf > 0, nperf);
	free(text);
	output_free(o);
	s3t_expiration_status_free(&e);
	s3t_expiration_status_free(&e2);
	return 0;
}
