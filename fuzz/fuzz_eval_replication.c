/*
 * fuzz_eval_replication.c - the replication evaluator (eval_replication.h) on
 * parsed fuzz responses. Input: a GetTableReplicationStatus body; one that
 * s3t_parse_replication_status() rejects is left to fuzz_s3t_replication.
 * The body is judged at a fixed "now" twice, with the default settings and with
 * strict ones (lag -w 5m -c 1h, pending -w 0 -c 1, two destinations and two
 * required bucket ARNs), and each tree is rendered.
 * Properties (fz_check_result()): the rendered text is valid plugin output whose
 * header names the tree's state and which carries every perfdata item the
 * evaluator made; evaluating is deterministic (the same text twice); zero
 * destinations never give OK under the defaults (not found is CRITICAL).
 */
#include <stdlib.h>
#include <string.h>

#include "eval_replication.h"
#include "fuzz.h"
#include "range.h"

#define FZ_NOW 1796119200.0 /* 2026-12-01T10:00:00Z */

static void judge(const struct s3t_replication_status *st, const struct replication_settings *s, int defaults)
{
	struct result *r = eval_replication(st, s, FZ_NOW), *r2 = eval_replication(st, s, FZ_NOW);
	char *a = fz_check_same_results(r, r2, "REPLICATION");
	if (defaults && st->ndestinations == 0)
		FZ_ASSERT(result_state(r) == STATE_CRITICAL, "no destinations, state %d:\n%s", (int)result_state(r), a);
	free(a);
	result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_replication_status st;
	char err[512];
	if (s3t_parse_replication_status((const char *)data, size, &st, err, sizeof err) != 0)
		return 0;
	struct replication_settings s;
	replication_settings_init(&s);
	judge(&st, &s, 1);

	replication_settings_init(&s);
	fz_set_range(&s.lag.warning, &s.lag.has_warning, "5m", RANGE_DURATION);
	fz_set_range(&s.lag.critical, &s.lag.has_critical, "1h", RANGE_DURATION);
	fz_set_range(&s.pending.warning, &s.pending.has_warning, "0", RANGE_PLAIN);
	fz_set_range(&s.pending.critical, &s.pending.has_critical, "1", RANGE_PLAIN);
	s.min_destinations = 2;
	s.required[s.nrequired++] = "arn:aws:s3tables:us-west-2:111122223333:bucket/replica-bucket";
	s.required[s.nrequired++] = "arn:aws:s3tables:eu-west-1:111122223333:bucket/replica-two";
	judge(&st, &s, 0);
	s3t_replication_status_free(&st);
	return 0;
}
