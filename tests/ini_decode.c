/*
 * ini_decode: reads INI files through the project's INI reader (src/ini.c)
 * and prints, for each FILE given, a line "== FILE" and then one line per
 * entry: "[SECTION]" for a header, "SECTION|NAME|VALUE" for a value, with
 * a backslash and a newline written "\\" and "\n"; or "ERROR LINE" when
 * the reader refuses the file. For tests/ini.sh, which compares with
 * iniconfig, the reader pytest uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ini.h"

static void put(const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static int decode(const char *path)
{
	struct err err = ERR_INIT;
	struct buf text = BUF_INIT;
	struct ini_doc doc;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	fclose(f);
	printf("== %s\n", path);
	if (ini_parse(&doc, path, text.ptr ? text.ptr : "", text.len, &err) < 0) {
		const char *colon = strchr(err.msg + strlen(path), ':');

		printf("ERROR %d\n", colon ? atoi(colon + 1) : 0);
		buf_release(&text);
		return 0;
	}
	for (size_t i = 0; i < doc.entries.len; i++) {
		const struct ini_entry *e = vec_at(&doc.entries, i);

		if (!e->name) {
			putchar('[');
			put(e->section);
			puts("]");
			continue;
		}
		put(e->section);
		putchar('|');
		put(e->name);
		putchar('|');
		put(e->value);
		putchar('\n');
	}
	ini_release(&doc);
	buf_release(&text);
	return 0;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (decode(argv[i]) < 0)
			return 2;
	return 0;
}
