/*
 * fuzz_eval_expiration.c - the record-expiration evaluator (eval_expiration.h)
 * on parsed fuzz responses. Input: a GetTableRecordExpirationJobStatus body; one
 * that s3t_parse_expiration_status() rejects is left to fuzz_s3t_expiration.
 * The body is judged at a fixed "now" with the default settings and with strict
 * ones (age -w 1d -c 2d, thresholds on each metric), and each tree is rendered;
 * eval_expiration_unsupported() is rendered with the body's failure message.
 * Properties (fz_check_result()): valid plugin output whose header names the
 * tree's state and which carries every perfdata item; deterministic evaluation;
 * a "Failed" job is never OK under the defaults.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "eval_expiration.h"
#include "fuzz.h"
#include "range.h"

#define FZ_NOW 1796119200.0 /* 2026-12-01T10:00:00Z */

static void judge(const struct s3t_expiration_status *st, const struct expiration_settings *s, int defaults)
{
	struct result *r = eval_expiration(st, s, FZ_NOW), *r2 = eval_expiration(st, s, FZ_NOW);
	char *a = fz_check_same_results(r, r2, "EXPIRATION");
	if (defaults && strcasecmp(st->status, "Failed") == 0)
		FZ_ASSERT(result_state(r) != STATE_OK, "a Failed job is OK:\n%s", a);
	free(a);
	result_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_expiration_status st;
	char err[512];
	if (s3t_parse_expiration_status((const char *)data, size, &st, err, sizeof err) != 0)
		return 0;
	struct expiration_settings s;
	expiration_settings_init(&s);
	judge(&st, &s, 1);
	struct result *u = eval_expiration_unsupported(st.failure_message ? st.failure_message : st.status, &s);
	fz_check_result(u, "EXPIRATION");
	result_free(u);

	expiration_settings_init(&s);
	fz_set_range(&s.age.warning, &s.age.has_warning, "1d", RANGE_DURATION);
	fz_set_range(&s.age.critical, &s.age.has_critical, "2d", RANGE_DURATION);
	fz_set_range(&s.metric[EXP_RECORDS].warning, &s.metric[EXP_RECORDS].has_warning, "@1000000:", RANGE_PLAIN);
	fz_set_range(&s.metric[EXP_FILES].critical, &s.metric[EXP_FILES].has_critical, "10", RANGE_PLAIN);
	fz_set_range(&s.metric[EXP_BYTES].warning, &s.metric[EXP_BYTES].has_warning, "1G", RANGE_BYTES);
	judge(&st, &s, 0);
	s3t_expiration_status_free(&st);
	return 0;
}
