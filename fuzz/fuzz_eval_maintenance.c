/*
 * fuzz_eval_maintenance.c - the maintenance evaluator (eval_maintenance.h) on
 * parsed fuzz responses. Input: a GetTableMaintenanceJobStatus body; one that
 * s3t_parse_maintenance_status() rejects is left to fuzz_s3t_maintenance.
 * The body is judged at a fixed "now" with the default settings, with strict ones
 * (age -w 3h -c 1d, --job compaction), and as a fleet member, and each tree is
 * rendered.
 * Properties (fz_check_result()): valid plugin output whose header names the
 * tree's state and which carries every perfdata item (job types are untrusted map
 * keys and become labels); deterministic evaluation; a job whose status is
 * "Failed" is never OK under the defaults.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval_maintenance.h"
#include "fuzz.h"
#include "range.h"

#define FZ_NOW 1796119200.0 /* 2026-12-01T10:00:00Z */

static void judge(const struct s3t_maintenance_status *st, const struct maintenance_settings *s, int defaults)
{
	struct result *r = eval_maintenance(st, s, FZ_NOW), *r2 = eval_maintenance(st, s, FZ_NOW);
	char *a = fz_check_same_results(r, r2, "MAINTENANCE");
	if (defaults)
		for (size_t i = 0; i < st->njobs; i++)
			if (strcasecmp(st->jobs[i].status, "Failed") == 0)
				FZ_ASSERT(result_state(r) != STATE_OK, "job %s Failed, yet OK:\n%s", st->jobs[i].type, a);
	free(a);
	result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_maintenance_status st;
	char err[512];
	if (s3t_parse_maintenance_status((const char *)data, size, &st, err, sizeof err) != 0)
		return 0;
	struct maintenance_settings s;
	maintenance_settings_init(&s);
	judge(&st, &s, 1);

	maintenance_settings_init(&s);
	fz_set_range(&s.age.warning, &s.age.has_warning, "3h", RANGE_DURATION);
	fz_set_range(&s.age.critical, &s.age.has_critical, "1d", RANGE_DURATION);
	FZ_ASSERT(maintenance_select_job(&s, "compaction") == 0, "--job compaction refused");
	judge(&st, &s, 0);

	maintenance_settings_init(&s);
	s.fleet = 1;
	judge(&st, &s, 0);
	s3t_maintenance_status_free(&st);
	return 0;
}
