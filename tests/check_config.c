/*
 * check_config: the TOML reader, pyproject.toml settings and their errors,
 * requires-python bounds, exclude globs and noqa comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "query.h"
#include "suppress.h"
#include "toml.h"
#include "units.h"

static const struct toml_entry *find(const struct toml_doc *doc, const char *dotted)
{
	for (size_t i = 0; i < doc->entries.len; i++) {
		const struct toml_entry *e = vec_at(&doc->entries, i);
		struct buf b = BUF_INIT;
		bool same;

		for (size_t k = 0; k < e->depth; k++)
			buf_printf(&b, "%s%s", k ? "." : "", e->path[k]);
		same = !strcmp(buf_cstr(&b), dotted);
		buf_release(&b);
		if (same)
			return e;
	}
	return NULL;
}

START_TEST(toml_values)
{
	const char *text =
		"top = 1\n"
		"[a.b]\n"
		"s = \"x\\ty\\u00e9\\\"\"\n"
		"lit = 'c:\\path'\n"
		"\"quoted key\" = true\n"
		"n = 1_000\n"
		"f = 2.5\n"
		"arr = [\"p\", 'q',  # comment\n  \"r\"]\n"
		"inline = { x = 1, y.z = \"deep\" }\n"
		"ml = \"\"\"\nline\"\"\"\n";
	struct toml_doc doc;
	struct err err = ERR_INIT;
	const struct toml_entry *e;

	ck_assert_int_eq(toml_parse(&doc, "t.toml", text, strlen(text), &err), 0);
	ck_assert_ptr_nonnull(e = find(&doc, "top"));
	ck_assert_int_eq(e->value.integer, 1);
	ck_assert_ptr_nonnull(e = find(&doc, "a.b"));
	ck_assert_int_eq(e->value.type, TOML_TABLE);
	ck_assert_ptr_nonnull(e = find(&doc, "a.b.s"));
	ck_assert_str_eq(e->value.str, "x\ty\xc3\xa9\"");
	ck_assert_uint_eq(e->line, 3);
	ck_assert_str_eq(find(&doc, "a.b.lit")->value.str, "c:\\path");
	ck_assert(find(&doc, "a.b.quoted key")->value.boolean);
	ck_assert_int_eq(find(&doc, "a.b.n")->value.integer, 1000);
	ck_assert(find(&doc, "a.b.f")->value.number == 2.5);
	e = find(&doc, "a.b.arr");
	ck_assert_uint_eq(e->value.items.len, 3);
	ck_assert_str_eq(((struct toml_value *)vec_at(&e->value.items, 2))->str, "r");
	ck_assert_int_eq(find(&doc, "a.b.inline.x")->value.integer, 1);
	ck_assert_str_eq(find(&doc, "a.b.inline.y.z")->value.str, "deep");
	ck_assert_str_eq(find(&doc, "a.b.ml")->value.str, "line");
	toml_doc_release(&doc);
}
END_TEST

START_TEST(toml_syntax_error_has_line)
{
	const char *text = "[ok]\nx = 1\n[tool.asyncmod\nselect = [\n";
	struct toml_doc doc;
	struct err err = ERR_INIT;

	ck_assert_int_eq(toml_parse(&doc, "p.toml", text, strlen(text), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "p.toml:3: invalid TOML"));
}
END_TEST

static char dir[64];

static int mkdir_p(const char *path)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	return system(cmd);
}

static const char *write_toml(const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/pyproject.toml", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asyncmod-config.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(settings_read)
{
	struct config *c;
	struct err err = ERR_INIT;
	const char *path = write_toml(
		"[project]\nrequires-python = \">=3.12\"\n"
		"[tool.asyncmod]\nselect = [\"ASYNC\", \"AM105\"]\nignore = [\"ASYNC300\"]\n"
		"unsafe-fixes = true\ntarget-version = \"py313\"\ntimeout = 10\n"
		"http-client = \"aiohttp\"\nexclude = [\"build\", \"gen/*.py\"]\n"
		"[tool.asyncmod.per-file-ignores]\n\"tests/*\" = [\"ASYNC251\"]\n");

	ck_assert_int_eq(config_load(&c, path, false, &err), 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->select, "ASYNC,AM105");
	ck_assert_uint_eq(c->select_line, 4);
	ck_assert_str_eq(c->ignore, "ASYNC300");
	ck_assert_int_eq(c->unsafe_fixes, 1);
	ck_assert_int_eq(c->target_minor, 13);
	ck_assert_int_eq(c->requires_minor, 12);
	ck_assert(c->timeout == 10);
	ck_assert_str_eq(c->http_client, "aiohttp");
	ck_assert_uint_eq(c->exclude.len, 2);
	ck_assert_uint_eq(c->per_file.len, 1);
	config_free(c);
}
END_TEST

START_TEST(irrelevant_file_is_skipped)
{
	struct config *c;
	struct err err = ERR_INIT;

	ck_assert_int_eq(config_load(&c, write_toml("[tool.black]\nline-length = 99\n"), false, &err), 0);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(errors_name_file_and_line)
{
	struct config *c;
	struct err err = ERR_INIT;

	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\n\nselct = [\"AM\"]\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "pyproject.toml:3: unknown key 'selct'"));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\nunsafe-fixes = \"yes\"\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, ":2: 'unsafe-fixes' must be a boolean, not a string"));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\nselect = [\"AM\", 3]\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "must be an array of strings"));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntarget-version = \"py27\"\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "invalid target-version 'py27'"));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntimeout = -1\n"), false, &err), -1);
	/* what the command line refuses, the configuration refuses too */
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntimeout = inf\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, ":2: invalid timeout"));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntimeout = nan\n"), false, &err), -1);
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntimeout = 1e300\n"), false, &err), -1);
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\ntimeout = 0\n"), false, &err), -1);
	ck_assert(config_timeout_ok(30) && config_timeout_ok(0.5) && !config_timeout_ok(-0.0));
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod]\nhttp-client = \"urllib\"\n"), false, &err), -1);
	ck_assert_int_eq(config_load(&c, write_toml("[tool.asyncmod\n"), false, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "pyproject.toml:1: invalid TOML"));
}
END_TEST

START_TEST(requires_python)
{
	ck_assert_int_eq(config_requires_minor(">=3.10"), 10);
	ck_assert_int_eq(config_requires_minor(">= 3.9, <4"), 9);
	ck_assert_int_eq(config_requires_minor("~=3.11.2"), 11);
	ck_assert_int_eq(config_requires_minor(">3.11"), 12);
	ck_assert_int_eq(config_requires_minor("<3.13"), 0);
}
END_TEST

START_TEST(exclude_and_per_file_globs)
{
	struct config *c;
	struct err err = ERR_INIT;
	struct buf codes = BUF_INIT;
	char file[160];

	config_load(&c, write_toml("[tool.asyncmod]\nexclude = [\"build\", \"gen/*.py\"]\n"
				   "per-file-ignores = { \"test_*.py\" = [\"ASYNC251\"] }\n"), false, &err);
	ck_assert_ptr_nonnull(c);
	snprintf(file, sizeof(file), "%s/build/sub", dir);
	ck_assert_int_eq(mkdir_p(file), 0);
	snprintf(file, sizeof(file), "%s/gen", dir);
	ck_assert_int_eq(mkdir_p(file), 0);
	snprintf(file, sizeof(file), "%s/build/sub/x.py", dir);
	ck_assert(config_excludes(c, file));
	snprintf(file, sizeof(file), "%s/gen/a.py", dir);
	ck_assert(config_excludes(c, file));
	snprintf(file, sizeof(file), "%s/gen/a.pyi", dir);
	ck_assert(!config_excludes(c, file));
	snprintf(file, sizeof(file), "%s/a.py", dir);
	ck_assert(!config_excludes(c, file));
	snprintf(file, sizeof(file), "%s/test_a.py", dir);
	config_file_ignores(c, file, &codes);
	ck_assert_str_eq(buf_cstr(&codes), "ASYNC251");
	buf_release(&codes);
	config_free(c);
}
END_TEST

START_TEST(noqa_comments)
{
	struct suppress *s;
	struct err err = ERR_INIT;
	void *md = query_match_data_new();

#define COVERS(text, code) suppress_comment_covers(s, md, text, strlen(text), code)
	ck_assert_int_eq(suppress_new(&s, &err), 0);
	ck_assert(COVERS("# noqa", "ASYNC251"));
	ck_assert(COVERS("#NOQA", "AM105"));
	ck_assert(COVERS("# noqa: ASYNC251", "ASYNC251"));
	ck_assert(COVERS("# noqa: AM105, ASYNC251", "ASYNC251"));
	ck_assert(COVERS("# noqa:AM105 ASYNC251", "ASYNC251"));
	ck_assert(!COVERS("# noqa: AM105", "ASYNC251"));
	ck_assert(!COVERS("# noqa: ASYNC2", "ASYNC251"));
	ck_assert(COVERS("# type: ignore  # noqa: ASYNC251", "ASYNC251"));
	ck_assert(!COVERS("# nothing here", "ASYNC251"));
#undef COVERS
	ck_assert(suppress_skip_file("#!/usr/bin/env python\n# asyncmod: skip-file\n", 44));
	ck_assert(!suppress_skip_file("x = '# asyncmod: skip-file'\n", 28));
	suppress_free(s);
	query_match_data_free(md);
}
END_TEST

Suite *suite_config(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, toml_values);
	tcase_add_test(tc, toml_syntax_error_has_line);
	tcase_add_test(tc, settings_read);
	tcase_add_test(tc, irrelevant_file_is_skipped);
	tcase_add_test(tc, errors_name_file_and_line);
	tcase_add_test(tc, requires_python);
	tcase_add_test(tc, exclude_and_per_file_globs);
	tcase_add_test(tc, noqa_comments);
	suite_add_tcase(s, tc);
	return s;
}
