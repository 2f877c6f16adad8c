/* inventory.c - see inventory.h. */
#define _GNU_SOURCE
#include "inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

static void table_free(struct disc_table *t)
{
	free(t->bucket_arn);
	free(t->bucket);
	free(t->region);
	free(t->account);
	free(t->namespace_name);
	free(t->name);
	free(t->table_arn);
	free(t->table_id);
	free(t->type);
	memset(t, 0, sizeof *t);
}

int disc_inventory_add(struct disc_inventory *inv, const struct disc_table_fields *f, char *err, size_t errsz)
{
	if (inv->ntables == inv->cap) {
		size_t cap = inv->cap ? inv->cap * 2 : 64;
		struct disc_table *nt = realloc(inv->tables, cap * sizeof *nt);
		if (!nt) {
			error_set(err, errsz, "out of memory");
			return -1;
		}
		inv->tables = nt;
		inv->cap = cap;
	}
	struct disc_table *t = &inv->tables[inv->ntables];
	memset(t, 0, sizeof *t);
	t->bucket_arn = strdup(f->bucket_arn);
	t->bucket = strdup(f->bucket);
	t->region = strdup(f->region);
	t->account = strdup(f->account);
	t->namespace_name = strdup(f->namespace_name);
	t->name = strdup(f->name);
	t->table_arn = strdup(f->table_arn);
	t->table_id = strdup(f->table_id);
	t->type = strdup(f->type);
	t->checks = f->checks;
	if (!t->bucket_arn || !t->bucket || !t->region || !t->account || !t->namespace_name || !t->name ||
	    !t->table_arn || !t->table_id || !t->type) {
		table_free(t);
		error_set(err, errsz, "out of memory");
		return -1;
	}
	inv->ntables++;
	return 0;
}

static int compare(const void *a, const void *b)
{
	const struct disc_table *x = a, *y = b;
	int c;
	if ((c = strcmp(x->bucket_arn, y->bucket_arn)) || (c = strcmp(x->namespace_name, y->namespace_name)) ||
	    (c = strcmp(x->name, y->name)) || (c = strcmp(x->table_arn, y->table_arn)))
		return c;
	return 0;
}

void disc_inventory_sort(struct disc_inventory *inv)
{
	if (inv->ntables < 2)
		return;
	qsort(inv->tables, inv->ntables, sizeof *inv->tables, compare);
	/* The same table twice (one bucket given twice, or by -b and by --region): keep one,
	 * with the union of the checks found for it. */
	size_t w = 1;
	for (size_t r = 1; r < inv->ntables; r++) {
		if (compare(&inv->tables[w - 1], &inv->tables[r]) == 0) {
			inv->tables[w - 1].checks |= inv->tables[r].checks;
			table_free(&inv->tables[r]);
			continue;
		}
		if (w != r)
			inv->tables[w] = inv->tables[r];
		w++;
	}
	inv->ntables = w;
}

void disc_inventory_free(struct disc_inventory *inv)
{
	for (size_t i = 0; i < inv->ntables; i++)
		table_free(&inv->tables[i]);
	free(inv->tables);
	memset(inv, 0, sizeof *inv);
}

const char *disc_check_name(unsigned check)
{
	switch (check) {
	case DISC_REPLICATION: return "replication";
	case DISC_EXPIRATION: return "expiration";
	case DISC_MAINTENANCE: return "maintenance";
	}
	return "?";
}

void disc_hosts_free(struct disc_hosts *h)
{
	if (h->names)
		for (size_t i = 0; i < h->n; i++)
			free(h->names[i]);
	free(h->names);
	free(h->first);
	memset(h, 0, sizeof *h);
}

static int same_name(char **names, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (j != i && strcmp(names[i], names[j]) == 0)
			return 1;
	return 0;
}

int disc_hosts_make(const struct disc_inventory *inv, const char *prefix, struct disc_hosts *h, char *err,
		    size_t errsz)
{
	size_t n = 0;
	memset(h, 0, sizeof *h);
	for (size_t i = 0; i < inv->ntables; i++)
		if (i == 0 || strcmp(inv->tables[i].bucket_arn, inv->tables[i - 1].bucket_arn) != 0)
			n++;
	char **names = calloc(n ? n : 1, sizeof *names);
	size_t *first = calloc(n + 1, sizeof *first);
	int *dup = calloc(n ? n : 1, sizeof *dup);
	h->names = names;
	h->first = first;
	h->n = n;
	if (!names || !first || !dup)
		goto oom;
	size_t b = 0;
	for (size_t i = 0; i < inv->ntables; i++)
		if (i == 0 || strcmp(inv->tables[i].bucket_arn, inv->tables[i - 1].bucket_arn) != 0)
			first[b++] = i;
	first[n] = inv->ntables;
	if (!prefix)
		prefix = "";

	for (b = 0; b < n; b++) {
		const struct disc_table *t = &inv->tables[first[b]];
		if (asprintf(&names[b], "%s%s-%s", prefix, t->bucket, t->region) < 0) {
			names[b] = NULL;
			goto oom;
		}
	}
	/* Same bucket name and region in two accounts: add the account to each. */
	for (b = 0; b < n; b++)
		dup[b] = same_name(names, n, b);
	for (b = 0; b < n; b++) {
		if (!dup[b])
			continue;
		char *longer;
		if (asprintf(&longer, "%s-%s", names[b], inv->tables[first[b]].account) < 0)
			goto oom;
		free(names[b]);
		names[b] = longer;
	}
	/* Only malformed ARNs get here: number the later ones, in sort order. */
	for (b = 1; b < n; b++) {
		size_t base = strlen(names[b]);
		for (unsigned k = 2; same_name(names, b + 1, b); k++) {
			char *numbered;
			if (asprintf(&numbered, "%.*s-%u", (int)base, names[b], k) < 0)
				goto oom;
			free(names[b]);
			names[b] = numbered;
		}
	}
	free(dup);
	return 0;
oom:
	free(dup);
	disc_hosts_free(h);
	error_set(err, errsz, "out of memory");
	return -1;
}
