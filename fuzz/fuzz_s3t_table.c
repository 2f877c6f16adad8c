/*
 * fuzz_s3t_table.c - GetTable responses (s3t_parse_table, s3tables.h).
 * Input: the response body.
 * Properties: parsing is deterministic; an accepted body has name, namespace[0]
 * and tableARN, gives the same strings twice and renders into valid plugin output; a rejected body leaves the struct
 * zeroed and has a message that renders.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "output.h"
#include "s3tables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s3t_table t, t2, zero;
	char err[512], err2[512];
	memset(&zero, 0, sizeof zero);
	int rc = s3t_parse_table((const char *)data, size, &t, err, sizeof err);
	int rc2 = s3t_parse_table((const char *)data, size, &t2, err2, sizeof err2);
	FZ_ASSERT(rc == rc2, "two parses of one body disagree");
	if (rc) {
		FZ_ASSERT(strcmp(err, err2) == 0, "two parses give two messages: %s / %s", err, err2);
		FZ_ASSERT(memcmp(&t, &zero, sizeof t) == 0, "a rejected body leaves data in the struct");
		fz_check_message(err, sizeof err, "s3t_parse_table");
		return 0;
	}
	FZ_ASSERT(t.name && t.namespace_name && t.table_arn, "accepted without name, namespace or tableARN");
	FZ_ASSERT(fz_same_str(t.name, t2.name) && fz_same_str(t.namespace_name, t2.namespace_name) &&
		  fz_same_str(t.table_arn, t2.table_arn), "two parses give two results");
	struct output *o = output_new("TABLE");
	output_summary(o, "%s.%s", t.namespace_name, t.name);
	output_line(o, "%s", t.table_arn);
	char *text = output_render(o);
	fz_check_rendered(text, "TABLE", STATE_OK, 0, 0);
	free(text);
	output_free(o);
	s3t_table_free(&t);
	s3t_table_free(&t2);
	return 0;
}
