/* table_filter.c - see table_filter.h. */
#include "table_filter.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct table_filter {
	char **namespaces;
	size_t nns;
	regex_t *includes, *excludes;
	size_t ninc, nexc;
};

/* The model's NamespaceName: 1..255 of [0-9a-z_]. */
static int valid_namespace(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 255)
		return 0;
	return strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz_") == n;
}

/* Compiles n regexes into *out; *done counts the compiled ones (to free on failure). */
static int compile_all(const char *option, const char *const *src, size_t n, regex_t **out, size_t *done,
		       char *err, size_t errsz)
{
	*done = 0;
	if (!n)
		return 0;
	if (!(*out = calloc(n, sizeof **out))) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		int rc = regcomp(&(*out)[i], src[i], REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char why[160];
			regerror(rc, &(*out)[i], why, sizeof why);   /* a failed regcomp holds nothing to free */
			error_set(err, errsz, "%s: bad regular expression '%.200s': %s", option, src[i], why);
			return -1;
		}
		(*done)++;
	}
	return 0;
}

int table_filter_new(const char *const *namespaces, size_t nns, const char *const *includes, size_t ninc,
		     const char *const *excludes, size_t nexc, struct table_filter **out, char *err, size_t errsz)
{
	struct table_filter *f = calloc(1, sizeof *f);
	*out = NULL;
	if (!f) {
		error_set(err, errsz, "out of memory");
		return -1;
	}
	if (nns && !(f->namespaces = calloc(nns, sizeof *f->namespaces))) {
		error_set(err, errsz, "out of memory");
		goto fail;
	}
	for (; f->nns < nns; f->nns++) {
		if (!valid_namespace(namespaces[f->nns])) {
			error_set(err, errsz, "--namespace: '%.200s' is not a valid namespace name "
				  "(1 to 255 of a-z, 0-9 and _)", namespaces[f->nns]);
			goto fail;
		}
		if (!(f->namespaces[f->nns] = strdup(namespaces[f->nns]))) {
			error_set(err, errsz, "out of memory");
			goto fail;
		}
	}
	if (compile_all("--include", includes, ninc, &f->includes, &f->ninc, err, errsz) ||
	    compile_all("--exclude", excludes, nexc, &f->excludes, &f->nexc, err, errsz))
		goto fail;
	*out = f;
	return 0;
fail:
	table_filter_free(f);
	return -1;
}

static int any_match(const regex_t *re, size_t n, const char *text)
{
	for (size_t i = 0; i < n; i++)
		if (regexec(&re[i], text, 0, NULL, 0) == 0)
			return 1;
	return 0;
}

int table_filter_match(const struct table_filter *f, const char *namespace_name, const char *name)
{
	if (!f)
		return 1;
	if (f->nns) {
		size_t i = 0;
		while (i < f->nns && strcmp(f->namespaces[i], namespace_name) != 0)
			i++;
		if (i == f->nns)
			return 0;
	}
	if (!f->ninc && !f->nexc)
		return 1;
	/* Names are at most 255 bytes each; a longer (invalid) one is built on the heap. */
	char stack[520], *full = stack;
	size_t a = strlen(namespace_name), b = strlen(name);
	if (a + b + 2 > sizeof stack && !(full = malloc(a + b + 2)))
		return 0;
	memcpy(full, namespace_name, a);
	full[a] = '.';
	memcpy(full + a + 1, name, b + 1);
	int keep = (!f->ninc || any_match(f->includes, f->ninc, full)) && !any_match(f->excludes, f->nexc, full);
	if (full != stack)
		free(full);
	return keep;
}

void table_filter_free(struct table_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nns; i++)
		free(f->namespaces[i]);
	free(f->namespaces);
	for (size_t i = 0; i < f->ninc; i++)
		regfree(&f->includes[i]);
	free(f->includes);
	for (size_t i = 0; i < f->nexc; i++)
		regfree(&f->excludes[i]);
	free(f->excludes);
	free(f);
}

const char *const *table_filter_namespaces(const struct table_filter *f, size_t *n)
{
	*n = f ? f->nns : 0;
	return f && f->nns ? (const char *const *)f->namespaces : NULL;
}

int table_filter_keep(const void *filter, const char *namespace_name, const char *name)
{
	return table_filter_match(filter, namespace_name, name);
}

int table_filter_list_tables(const struct aws_client *c, const char *bucket_arn, const struct table_filter *f,
			     struct s3t_table_list *out, struct aws_result *res)
{
	size_t nns;
	const char *const *ns = table_filter_namespaces(f, &nns);
	return s3t_list_all_tables(c, bucket_arn, ns, nns, f ? table_filter_keep : NULL, f, out, res);
}
