/*
 * explain: long rule descriptions, as wrapped text or as Markdown.
 *
 * Sections, in order: the code and name, "What it finds", "Why" (with the
 * lines of the standard quoted verbatim under their section headings,
 * the standard named by its title and each heading and line given in
 * Chinese and in English),
 * "Fix" (with its class and the reasons for reporting instead), and
 * "Example" (before and after). Text mode wraps prose at WRAP columns and
 * indents code, which it never wraps.
 */
#include "explain.h"
#include "report.h"
#include "rule.h"
#include "standard_en.h"
#include "suggest.h"
#include "../transforms/table.h"

#include <string.h>
#include <strings.h>

#define WRAP 78

const struct transform *explain_find(const char *code)
{
	for (size_t i = 0; i < transform_count; i++)
		if (!strcasecmp(transform_table[i]->code, code))
			return transform_table[i];
	return NULL;
}

/* Appends `text` as a paragraph wrapped at WRAP columns, each line
 * starting with `indent` spaces and later lines with `hang` more. */
static void put_wrapped(struct buf *out, const char *text, int indent, int hang)
{
	const char *p = text;
	bool first = true;
	int col = -1;	/* -1: nothing on the line yet */

	while (*p) {
		size_t word = strcspn(p, " \n");

		if (col >= 0 && col + 1 + (int)word > WRAP) {
			buf_putc(out, '\n');
			col = -1;
			first = false;
		}
		if (col < 0) {
			col = indent + (first ? 0 : hang);
			buf_printf(out, "%*s", col, "");
		} else {
			buf_putc(out, ' ');
			col++;
		}
		buf_add(out, p, word);
		col += (int)word;
		p += word;
		if (*p == '\n') {
			buf_putc(out, '\n');
			col = -1;
			first = false;
		}
		if (*p)
			p++;
	}
	if (col >= 0)
		buf_putc(out, '\n');
}

/* Appends each line of `code` indented by `indent` spaces; blank lines
 * stay empty. */
static void put_indented(struct buf *out, const char *code, int indent)
{
	const char *p = code;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n)
			buf_printf(out, "%*s%.*s", indent, "", (int)n, p);
		buf_putc(out, '\n');
		p += n;
		if (*p)
			p++;
	}
}

static void put_fence(struct buf *out, const char *lang, const char *code)
{
	size_t n = strlen(code);

	buf_printf(out, "```%s\n%s%s```\n", lang, code, n && code[n - 1] == '\n' ? "" : "\n");
}

/* A heading path ("核心原则 > ❌ 禁止行为") in English, part by part; a part
 * without a rendering is kept as it is. */
static void heading_en(struct buf *out, const char *heading)
{
	const char *p = heading;

	while (*p) {
		const char *sep = strstr(p, " > ");
		size_t n = sep ? (size_t)(sep - p) : strlen(p);
		char part[256];
		const char *en;

		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		en = standard_en_lookup(part);
		buf_puts(out, en ? en : part);
		if (!sep)
			break;
		buf_puts(out, " > ");
		p = sep + 3;
	}
}

/* The citation of a section: the standard's title the first time. */
static void cite(struct buf *out, const char *heading, bool first)
{
	buf_puts(out, "The standard");
	if (first)
		buf_puts(out, " \"" STANDARD_TITLE "\" (" STANDARD_TITLE_EN ")");
	buf_printf(out, ", section \"%s\" (", heading);
	heading_en(out, heading);
	buf_puts(out, "):");
}

/* The quote in English: each line holding Chinese replaced by its
 * rendering (lines without one kept), the others as they are. */
static void quote_en(struct buf *out, const char *quote)
{
	const char *p = quote;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		const char *en;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		en = standard_en_has_cjk(line) ? standard_en_lookup(line) : NULL;
		if (en) {
			buf_add(out, line, strspn(line, " "));
			buf_puts(out, en);
		} else {
			buf_puts(out, line);
		}
		buf_putc(out, '\n');
		p += n;
		if (*p)
			p++;
	}
}

/* Text mode: each quoted line, and under a line holding Chinese its
 * English rendering. */
static void put_quote(struct buf *out, const char *quote)
{
	const char *p = quote;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[1024];
		const char *en;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		put_indented(out, line, 6);
		en = standard_en_has_cjk(line) ? standard_en_lookup(line) : NULL;
		if (en) {
			struct buf item = BUF_INIT;

			buf_printf(&item, "English: %s", en + strspn(en, " "));
			put_wrapped(out, buf_cstr(&item), 6, 9);
			buf_release(&item);
		}
		p += n;
		if (*p)
			p++;
	}
}

static void write_text(struct buf *out, const struct transform *t, const char *fix)
{
	const char *prev = NULL;

	buf_printf(out, "%s: %s\n", t->code, t->name);
	put_wrapped(out, t->summary, 0, 0);
	buf_puts(out, "\nWhat it finds\n");
	put_wrapped(out, t->finds ? t->finds : t->summary, 2, 0);
	buf_puts(out, "\nWhy\n");
	if (t->why)
		put_wrapped(out, t->why, 2, 0);
	for (size_t i = 0; t->standard && t->standard[i] && t->standard[i + 1]; i += 2) {
		if (prev && !strcmp(prev, t->standard[i])) {
			buf_puts(out, "      ...\n");
		} else {
			struct buf c = BUF_INIT;

			cite(&c, t->standard[i], !prev);
			buf_putc(out, '\n');
			put_wrapped(out, buf_cstr(&c), 2, 0);
			buf_release(&c);
		}
		put_quote(out, t->standard[i + 1]);
		prev = t->standard[i];
	}
	buf_printf(out, "\nFix (%s)\n", fix);
	if (t->fix_text)
		put_wrapped(out, t->fix_text, 2, 0);
	if (t->reasons && t->reasons[0]) {
		buf_puts(out, "\n  Reported instead, with a reason, when:\n");
		for (size_t i = 0; t->reasons[i] && t->reasons[i + 1]; i += 2) {
			struct buf item = BUF_INIT;

			buf_printf(&item, "%s: %s", t->reasons[i], t->reasons[i + 1]);
			put_wrapped(out, buf_cstr(&item), 4, 2);
			buf_release(&item);
		}
	}
	if (t->example_before && t->example_after) {
		buf_puts(out, "\nExample\n  Before:\n");
		put_indented(out, t->example_before, 4);
		buf_puts(out, "  After:\n");
		put_indented(out, t->example_after, 4);
	}
}

static void write_markdown(struct buf *out, const struct transform *t, const char *fix)
{
	const char *prev = NULL;

	buf_printf(out, "# %s (%s)\n\n%s\n\n## What it finds\n\n%s\n\n## Why\n\n", t->name,
		   t->code, t->summary, t->finds ? t->finds : t->summary);
	if (t->why)
		buf_printf(out, "%s\n\n", t->why);
	for (size_t i = 0; t->standard && t->standard[i] && t->standard[i + 1]; i += 2) {
		struct buf en = BUF_INIT;

		if (!prev || strcmp(prev, t->standard[i])) {
			cite(out, t->standard[i], !prev);
			buf_puts(out, "\n\n");
		}
		put_fence(out, "text", t->standard[i + 1]);
		if (standard_en_has_cjk(t->standard[i + 1])) {
			quote_en(&en, t->standard[i + 1]);
			buf_puts(out, "\nIn English:\n\n");
			put_fence(out, "text", buf_cstr(&en));
		}
		buf_release(&en);
		buf_putc(out, '\n');
		prev = t->standard[i];
	}
	buf_printf(out, "## Fix (%s)\n\n", fix);
	if (t->fix_text)
		buf_printf(out, "%s\n\n", t->fix_text);
	if (t->reasons && t->reasons[0]) {
		buf_puts(out, "Reported instead, with a reason, when:\n\n");
		for (size_t i = 0; t->reasons[i] && t->reasons[i + 1]; i += 2)
			buf_printf(out, "- `%s`: %s\n", t->reasons[i], t->reasons[i + 1]);
		buf_putc(out, '\n');
	}
	if (t->example_before && t->example_after) {
		buf_puts(out, "## Example\n\nBefore:\n\n");
		put_fence(out, "python", t->example_before);
		buf_puts(out, "\nAfter:\n\n");
		put_fence(out, "python", t->example_after);
	}
}

void explain_write(struct buf *out, const struct transform *t, bool markdown)
{
	const char *fix = report_fix_name(t->fix);

	if (markdown)
		write_markdown(out, t, fix ? fix : "report");
	else
		write_text(out, t, fix ? fix : "report");
}

int explain_print(FILE *out, const char *code, struct err *err)
{
	const struct transform *t = explain_find(code);
	struct buf text = BUF_INIT;

	if (!t) {
		const char *codes[transform_count + 1];
		const char *near;

		for (size_t i = 0; i < transform_count; i++)
			codes[i] = transform_table[i]->code;
		codes[transform_count] = NULL;
		near = suggest_nearest(code, codes, 0, 1);
		if (near)
			return err_set(err, "unknown rule code '%s' (did you mean '%s'?)", code, near);
		return err_set(err, "unknown rule code '%s'", code);
	}
	explain_write(&text, t, false);
	fputs(buf_cstr(&text), out);
	buf_release(&text);
	return 0;
}
