/*
 * fuzz_ini: libFuzzer target over the INI reader of pytest's
 * configuration files (src/ini.c) and what reads them
 * (pytest_config_read).
 *
 * The input is an INI file. Besides crashes and sanitizer reports, one
 * oracle: a document that parses, written out again (each section header,
 * each `name = value` with the lines after the first indented), parses to
 * the same entries. The input then goes through pytest_config_read as a
 * pytest.ini, a tox.ini and a setup.cfg (an in-memory file named through
 * /proc).
 */
#include "../src/buf.h"
#include "../src/ini.h"
#include "../src/pytest_config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int memfd = -1;

static void write_doc(struct buf *out, const struct ini_doc *doc)
{
	for (size_t i = 0; i < doc->entries.len; i++) {
		const struct ini_entry *e = vec_at(&doc->entries, i);

		if (!e->name) {
			buf_printf(out, "[%s]\n", e->section);
			continue;
		}
		/* no blank before `=`: an empty name would make the line a continuation */
		buf_printf(out, "%s=", e->name);
		for (const char *v = e->value, *nl; v; v = nl ? nl + 1 : NULL) {
			size_t n;

			nl = strchr(v, '\n');
			n = nl ? (size_t)(nl - v) : strlen(v);
			buf_printf(out, v == e->value ? " %.*s\n" : "    %.*s\n", (int)n, v);
		}
	}
}

static bool same(const struct ini_doc *a, const struct ini_doc *b)
{
	if (a->entries.len != b->entries.len)
		return false;
	for (size_t i = 0; i < a->entries.len; i++) {
		const struct ini_entry *x = vec_at(&a->entries, i), *y = vec_at(&b->entries, i);

		if (strcmp(x->section, y->section) || !x->name != !y->name)
			return false;
		if (x->name && (strcmp(x->name, y->name) || strcmp(x->value, y->value)))
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "pytest.ini", "tox.ini", "setup.cfg" };
	struct err err = ERR_INIT;
	struct ini_doc doc, again;
	char path[64];

	if (ini_parse(&doc, "pytest.ini", (const char *)data, size, &err) == 0) {
		struct buf text = BUF_INIT;

		write_doc(&text, &doc);
		if (ini_parse(&again, "again", text.ptr ? text.ptr : "", text.len, &err) < 0) {
			fprintf(stderr, "oracle failed: the written document does not parse: %s\n",
				err.msg);
			abort();
		}
		if (!same(&doc, &again)) {
			fprintf(stderr, "oracle failed: the written document reads differently\n");
			abort();
		}
		(void)ini_get(&doc, "pytest", "asyncio_mode");
		(void)ini_has_section(&doc, "tool:pytest");
		ini_release(&again);
		ini_release(&doc);
		buf_release(&text);
	}
	if (memfd < 0 && (memfd = memfd_create("pytest.ini", 0)) < 0)
		abort();
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	for (size_t i = 0; i < 3; i++) {
		struct pytest_config c = { PYTEST_MODE_UNSET, false, false, NULL };

		(void)pytest_config_read(&c, path, names[i]);
	}
	return 0;
}
