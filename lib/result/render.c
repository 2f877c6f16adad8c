/* render.c - see render.h. */
#include "render.h"

#include <stdlib.h>

static void render_perf(struct output *o, const struct result *r)
{
	for (size_t i = 0; i < r->nperf; i++) {
		const struct result_perf *p = &r->perf[i];
		if (p->is_double)
			output_perf_double(o, p->label, p->value_double, p->uom, p->warn, p->crit,
					   p->has_min ? &p->min_double : NULL, p->has_max ? &p->max_double : NULL);
		else
			output_perf_i64(o, p->label, p->value_i64, p->uom, p->warn, p->crit,
					p->has_min ? &p->min_i64 : NULL, p->has_max ? &p->max_i64 : NULL);
	}
	for (size_t i = 0; i < r->nchild; i++)
		render_perf(o, r->child[i]);
}

static void render_lines(struct output *o, const struct result *r, unsigned depth)
{
	for (size_t i = 0; i < r->nchild; i++) {
		const struct result *c = r->child[i];
		const char *text = c->text ? c->text : "";
		const char *mark = c->mark == RESULT_MARK_STATE	      ? state_name(result_state(c))
				   : c->mark == RESULT_MARK_NOT_CHECKED ? "not checked"
									: NULL;
		if (depth == 0 && mark)
			output_line(o, "[%s] %s", mark, text);
		else if (depth == 0)
			output_line(o, "%s", text);
		else if (mark)
			output_line_nested(o, depth, "[%s] %s", mark, text);
		else
			output_line_nested(o, depth, "%s", text);
		render_lines(o, c, depth + 1);
	}
}

struct output *render_output(const char *check_name, const struct result *root)
{
	struct output *o = output_new(check_name);
	if (!o)
		return NULL;
	if (!root) {
		output_raise(o, STATE_UNKNOWN);
		output_summary(o, "out of memory");
		return o;
	}
	output_raise(o, result_state(root));
	if (root->text)
		output_summary(o, "%s", root->text);
	render_perf(o, root);
	render_lines(o, root, 0);
	if (root->oom)
		output_line(o, "(out of memory: some results are missing)");
	return o;
}

char *render_text(const char *check_name, const struct result *root)
{
	struct output *o = render_output(check_name, root);
	char *text = o ? output_render(o) : NULL;
	output_free(o);
	return text;
}
