/* eval_replication.c - see eval_replication.h. */
#include "eval_replication.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arn.h"
#include "judge.h"
#include "output.h"
#include "timestamp.h"

void replication_settings_init(struct replication_settings *s)
{
	memset(s, 0, sizeof *s);
	s->failed_state = STATE_CRITICAL;
	s->no_update_state = STATE_WARNING;
	s->not_found_state = STATE_CRITICAL;
	s->min_destinations = 1;
}

/* Per-destination facts, in response order. */
struct dest_view {
	const struct s3t_destination *d;
	struct arn arn;           /* parsed destinationTableBucketArn (zeroed if unparseable) */
	char label[160];          /* perfdata label suffix, unique within the table */
	int has_lag;
	double lag;
	double update_age;        /* whole seconds since the last successful update, rounded like the lag */
	enum mp_state state;
	int future;               /* last update reported in the future */
};

/* What the destinations add up to, for the summary. */
struct tally {
	size_t n;
	int completed, pending, failed, unknown, pending_no_update;
	double max_pending_lag, lag_max;
	char failures[600], unknowns[300];
};

/*
 * Bucket names label the lag metrics; destinations sharing one get @region added, those still
 * sharing one @account.region, and any left (or with no parseable ARN) #index. Each round
 * decides every clash before relabelling any, so all members of a clash get the same treatment.
 */
static void make_labels(struct dest_view *v, size_t n)
{
	char *clash = calloc(n ? n : 1, 1);
	for (size_t i = 0; i < n; i++)
		snprintf(v[i].label, sizeof v[i].label, "%s", v[i].arn.bucket[0] ? v[i].arn.bucket : "destination");
	for (int round = 0; round < 3 && clash; round++) {
		for (size_t i = 0; i < n; i++) {
			clash[i] = 0;
			for (size_t j = 0; j < n; j++)
				if (j != i && strcmp(v[i].label, v[j].label) == 0)
					clash[i] = 1;
		}
		for (size_t i = 0; i < n; i++) {
			if (!clash[i])
				continue;
			const char *b = v[i].arn.bucket[0] ? v[i].arn.bucket : "destination";
			if (round == 0 && v[i].arn.bucket[0])
				snprintf(v[i].label, sizeof v[i].label, "%s@%s", b, v[i].arn.region);
			else if (round == 1 && v[i].arn.bucket[0])
				snprintf(v[i].label, sizeof v[i].label, "%s@%s.%s", b, v[i].arn.account, v[i].arn.region);
			else
				snprintf(v[i].label, sizeof v[i].label, "%s#%zu", b, i + 1);
		}
	}
	free(clash);
}

static void judge_destination(struct dest_view *x, const struct replication_settings *s, struct tally *t)
{
	const char *status = x->d->status;
	if (strcasecmp(status, "completed") == 0) {
		t->completed++;
		x->state = STATE_OK;
		x->has_lag = 1;
		x->lag = 0;
	} else if (strcasecmp(status, "pending") == 0) {
		t->pending++;
		if (x->has_lag) {
			x->state = thresholds_check_double(&s->lag, x->lag);
			if (x->lag > t->max_pending_lag)
				t->max_pending_lag = x->lag;
		} else {
			t->pending_no_update++;
			x->state = s->no_update_state;
		}
	} else if (strcasecmp(status, "failed") == 0) {
		t->failed++;
		x->state = s->failed_state;
		output_append(t->failures, sizeof t->failures, "%s%s: %s", t->failures[0] ? "; " : "", x->label,
			      x->d->failure_message ? x->d->failure_message : "no failure message");
	} else {
		t->unknown++;
		x->state = STATE_UNKNOWN;
		output_append(t->unknowns, sizeof t->unknowns, "%s%s: '%.40s'", t->unknowns[0] ? ", " : "", x->label,
			      status);
	}
	if (x->has_lag && x->lag > t->lag_max)
		t->lag_max = x->lag;
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* The summary, the problems first, most severe kind first; the table-level rules raise root. */
static void summarize(struct result *root, const struct dest_view *v, const struct tally *t,
		      const struct replication_settings *s)
{
	char summary[1600] = "", lagtxt[64], why[256];
	size_t n = t->n;
	if (n == 0) {
		result_raise(root, s->not_found_state);
		if (!s->not_found_state_set)
			root->not_applicable = "not replicated";
		output_append(summary, sizeof summary, "replication not configured or table not found (no destinations)");
	}
	if (t->failed)
		output_append(summary, sizeof summary, "%d of %zu destination%s failed (%s)", t->failed, n, plural(n),
			      t->failures);
	if (t->pending) {
		int timed = t->pending - t->pending_no_update;
		if (t->failed)
			output_append(summary, sizeof summary, ", %d pending", t->pending);
		else
			output_append(summary, sizeof summary, "%s%d of %zu destination%s pending", summary[0] ? ", " : "",
				      t->pending, n, plural(n));
		if (timed > 0) {
			duration_format(t->max_pending_lag, lagtxt, sizeof lagtxt);
			output_append(summary, sizeof summary, " for %s", lagtxt);
		}
		if (t->pending_no_update)
			output_append(summary, sizeof summary,
				      timed ? ", %d with no successful update yet" : " (%d with no successful update yet)",
				      t->pending_no_update);
	}
	if (t->unknown)
		output_append(summary, sizeof summary, "%s%d with unknown replication status (%s)", summary[0] ? ", " : "",
			      t->unknown, t->unknowns);
	if (n > 0 && (long)n < s->min_destinations) {
		result_raise(root, STATE_CRITICAL);
		output_append(summary, sizeof summary, "%sonly %zu destination%s, at least %ld expected",
			      summary[0] ? ", " : "", n, plural(n), s->min_destinations);
	}
	for (size_t k = 0; k < s->nrequired; k++) {
		int found = 0;
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].d->bucket_arn, s->required[k]) == 0)
				found = 1;
		if (!found) {
			struct arn a;
			if (arn_parse_bucket(s->required[k], &a, why, sizeof why))
				snprintf(a.bucket, sizeof a.bucket, "%s", s->required[k]);
			result_raise(root, STATE_CRITICAL);
			output_append(summary, sizeof summary, "%sdestination %s missing", summary[0] ? ", " : "", a.bucket);
		}
	}
	int not_completed = (int)n - t->completed;
	enum mp_state ps = thresholds_check_i64(&s->pending, not_completed);
	if (ps != STATE_OK) {
		result_raise(root, ps);
		output_append(summary, sizeof summary, "%s%d destination%s not completed", summary[0] ? ", " : "",
			      not_completed, plural((size_t)not_completed));
	}
	if (!summary[0])
		output_append(summary, sizeof summary, "%zu of %zu destination%s completed", n, n, plural(n));
	result_text(root, "%s", summary);
}

static void add_destination_line(struct result *root, const struct dest_view *x)
{
	char detail[512], lagtxt[64];
	if (x->d->has_last_update) {
		duration_format(x->update_age, lagtxt, sizeof lagtxt);
		snprintf(detail, sizeof detail, ", last successful update %s ago%s", lagtxt,
			 x->future ? " (timestamp in the future; clock skew?)" : "");
	} else {
		snprintf(detail, sizeof detail, ", no successful update yet");
	}
	struct result *c = result_child(root, RESULT_MARK_STATE);
	result_set_state(c, x->state);
	result_text(c, "%s: %s%s%s%s (%s)", x->label, x->d->status, detail, x->d->failure_message ? " - " : "",
		    x->d->failure_message ? x->d->failure_message : "", x->d->bucket_arn);
}

static void add_perfdata(struct result *root, const struct dest_view *v, const struct tally *t,
			 const struct replication_settings *s)
{
	char w[128], c[128], label[200];
	const char *wt = judge_range_text(&s->lag.warning, s->lag.has_warning, w, sizeof w);
	const char *ct = judge_range_text(&s->lag.critical, s->lag.has_critical, c, sizeof c);
	const int64_t zero = 0;
	result_perf_i64(root, "destinations", (int64_t)t->n, "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "completed", t->completed, "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "pending", t->pending, "", NULL, NULL, &zero, NULL);
	result_perf_i64(root, "failed", t->failed, "", NULL, NULL, &zero, NULL);
	/* Whole seconds: sub-second precision would only be noise in a graph. */
	if (t->lag_max >= 0)
		result_perf_i64(root, "lag_max", (int64_t)t->lag_max, "s", wt, ct, &zero, NULL);
	for (size_t i = 0; i < t->n; i++) {
		if (!v[i].has_lag)
			continue;
		snprintf(label, sizeof label, "lag_%s", v[i].label);
		result_perf_i64(root, label, (int64_t)v[i].lag, "s", wt, ct, &zero, NULL);
	}
}

struct result *eval_replication(const struct s3t_replication_status *st, const struct replication_settings *s,
				double now)
{
	struct result *root = result_new();
	if (!root)
		return NULL;
	struct tally t = {.n = st->ndestinations, .max_pending_lag = -1, .lag_max = -1};
	struct dest_view *v = calloc(t.n ? t.n : 1, sizeof *v);
	if (!v) {
		result_set_state(root, STATE_UNKNOWN);
		result_text(root, "out of memory");
		return root;
	}
	char why[256];
	for (size_t i = 0; i < t.n; i++) {
		struct dest_view *x = &v[i];
		x->d = &st->destinations[i];
		if (arn_parse_bucket(x->d->bucket_arn, &x->arn, why, sizeof why))
			memset(&x->arn, 0, sizeof x->arn);
		if (x->d->has_last_update) {
			x->has_lag = 1;
			x->lag = x->update_age = judge_age(now, x->d->last_update, &x->future);
		}
	}
	make_labels(v, t.n);
	for (size_t i = 0; i < t.n; i++)
		judge_destination(&v[i], s, &t);
	summarize(root, v, &t, s);
	for (size_t i = 0; i < t.n; i++)
		add_destination_line(root, &v[i]);
	add_perfdata(root, v, &t, s);
	free(v);
	return root;
}
