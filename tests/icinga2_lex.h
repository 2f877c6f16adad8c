/*
 * icinga2_lex.h - read Icinga 2 DSL text back the way Icinga's lexer does, for
 * the writer tests and the fuzz harness (header-only, static functions).
 *
 * Contract: i2_lex() walks text by lib/config/config_lexer.ll's rules for
 * comments (block, // and #) and string literals (escapes \" \\ \n \t \r
 * \b \f and 1-3 octal digits; a raw newline, an unknown escape, a bad octal
 * value or the end of the text inside a literal is an error, as in Icinga). It
 * returns 0 with l->skeleton (the text outside literals and comments, each
 * literal replaced by "S") and l->lits (the decoded literals, malloc'd, at most
 * I2_LEX_MAX_LITS), or -1 with l->error. lexed_free() frees the literals.
 */
#ifndef S3T_ICINGA2_LEX_H
#define S3T_ICINGA2_LEX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define I2_LEX_MAX_LITS 512

struct lexed {
	char skeleton[1 << 16];  /* the text with each string literal replaced by "S" */
	char *lits[I2_LEX_MAX_LITS];         /* decoded literals, in order */
	size_t nlits;
	char error[128];
};

static void lexed_free(struct lexed *l) __attribute__((unused));
static void lexed_free(struct lexed *l)
{
	for (size_t i = 0; i < l->nlits; i++)
		free(l->lits[i]);
	l->nlits = 0;
}

/* Icinga 2's lexer for comments and string literals (lib/config/config_lexer.ll). */
static int i2_lex(const char *p, struct lexed *l) __attribute__((unused));
static int i2_lex(const char *p, struct lexed *l)
{
	size_t sk = 0;
	l->nlits = 0;
	l->error[0] = 0;
	while (*p) {
		if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			if (!end) {
				snprintf(l->error, sizeof l->error, "unterminated comment");
				return -1;
			}
			p = end + 2;
			continue;
		}
		if ((p[0] == '/' && p[1] == '/') || p[0] == '#') {
			while (*p && *p != '\n')
				p++;
			continue;
		}
		if (*p != '"') {
			if (sk + 2 < sizeof l->skeleton)
				l->skeleton[sk++] = *p;
			p++;
			continue;
		}
		char *lit = malloc(strlen(p) + 1);
		size_t n = 0;
		for (p++;; p++) {
			if (!*p || *p == '\n') {
				snprintf(l->error, sizeof l->error, "unterminated string literal");
				free(lit);
				return -1;
			}
			if (*p == '"')
				break;
			if (*p != '\\') {
				lit[n++] = *p;
				continue;
			}
			p++;
			if (*p >= '0' && *p <= '7') {
				int v = 0, k = 0;
				while (k < 3 && *p >= '0' && *p <= '7')
					v = v * 8 + (*p++ - '0'), k++;
				if (v > 0xff || (*p >= '0' && *p <= '9' && k < 3)) {
					snprintf(l->error, sizeof l->error, "bad octal escape");
					free(lit);
					return -1;
				}
				lit[n++] = (char)v;
				p--;
				continue;
			}
			switch (*p) {
			case 'n': lit[n++] = '\n'; break;
			case '\\': lit[n++] = '\\'; break;
			case '"': lit[n++] = '"'; break;
			case 't': lit[n++] = '\t'; break;
			case 'r': lit[n++] = '\r'; break;
			case 'b': lit[n++] = '\b'; break;
			case 'f': lit[n++] = '\f'; break;
			default:
				snprintf(l->error, sizeof l->error, "bad escape \\%c", *p);
				free(lit);
				return -1;
			}
		}
		p++;
		lit[n] = 0;
		if (l->nlits < sizeof l->lits / sizeof l->lits[0])
			l->lits[l->nlits++] = lit;
		else
			free(lit);
		if (sk + 2 < sizeof l->skeleton)
			l->skeleton[sk++] = 'S';
	}
	l->skeleton[sk] = 0;
	return 0;
}

#endif
