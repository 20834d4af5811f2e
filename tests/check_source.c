/*
 * check_source: encodings, BOM, cookies, newlines and positions.
 */
#include <string.h>

#include "source.h"
#include "units.h"

static int load(struct source *src, const char *text, size_t len, struct err *err)
{
	return source_from_bytes(src, "t.py", text, len, err);
}

START_TEST(plain_utf8)
{
	struct source src;
	struct err err = ERR_INIT;
	const char *t = "x = 'é'\ny = 2\n";

	ck_assert_int_eq(load(&src, t, strlen(t), &err), 0);
	ck_assert_uint_eq(src.bom, 0);
	ck_assert_str_eq(src.newline, "\n");
	ck_assert_uint_eq(src.nlines, 3);
	source_release(&src);
}
END_TEST

START_TEST(bom_and_crlf)
{
	struct source src;
	struct err err = ERR_INIT;
	const char *t = "\xef\xbb\xbfx = 1\r\ny = 2\r\n";

	ck_assert_int_eq(load(&src, t, strlen(t), &err), 0);
	ck_assert_uint_eq(src.bom, 3);
	ck_assert_str_eq(src.newline, "\r\n");
	ck_assert_int_eq(src.text[0], 'x');
	ck_assert_uint_eq(src.len, strlen(t) - 3);
	source_release(&src);
}
END_TEST

START_TEST(cookies)
{
	struct source src;
	struct err err = ERR_INIT;
	const char *ok1 = "# -*- coding: utf-8 -*-\nx = 1\n";
	const char *ok2 = "#!/usr/bin/python\n# vim: set fileencoding=ascii :\nx = 1\n";
	const char *bad = "# coding: latin-1\nx = 1\n";
	const char *late = "x = 1\n# coding: latin-1\n";	/* line 2 after code: not a cookie */
	const char *ascii_bad = "# coding: ascii\nx = 'é'\n";

	ck_assert_int_eq(load(&src, ok1, strlen(ok1), &err), 0);
	source_release(&src);
	ck_assert_int_eq(load(&src, ok2, strlen(ok2), &err), 0);
	source_release(&src);
	ck_assert_int_eq(load(&src, bad, strlen(bad), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "latin-1"));
	ck_assert_ptr_nonnull(strstr(err.msg, "t.py"));
	ck_assert_int_eq(load(&src, late, strlen(late), &err), 0);
	source_release(&src);
	ck_assert_int_eq(load(&src, ascii_bad, strlen(ascii_bad), &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "non-ASCII"));
}
END_TEST

START_TEST(invalid_utf8_and_nul)
{
	struct source src;
	struct err err = ERR_INIT;
	const char overlong[] = "x = '\xc0\xaf'\n";
	const char surrogate[] = "x = '\xed\xa0\x80'\n";
	const char truncated[] = "x = '\xe2\x82'\n";
	const char nul[] = "x = 1\0\n";

	ck_assert_int_eq(load(&src, overlong, sizeof(overlong) - 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "invalid UTF-8"));
	ck_assert_int_eq(load(&src, surrogate, sizeof(surrogate) - 1, &err), -1);
	ck_assert_int_eq(load(&src, truncated, sizeof(truncated) - 1, &err), -1);
	ck_assert_int_eq(load(&src, nul, sizeof(nul) - 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "binary"));
	ck_assert_uint_eq(source_utf8_check("\xf0\x9f\x98\x80", 4), 4);
	ck_assert_uint_eq(source_utf8_check("\xf4\x90\x80\x80", 4), 0);
}
END_TEST

START_TEST(positions_count_characters)
{
	struct source src;
	struct err err = ERR_INIT;
	const char *t = "a = 1\ns = 'éé'; x\n";
	unsigned line, col;

	ck_assert_int_eq(load(&src, t, strlen(t), &err), 0);
	source_position(&src, 0, &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 1);
	/* the `x` after two two-byte characters: byte 6+11, column 11 */
	source_position(&src, (uint32_t)(strchr(t, 'x') - t), &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 11);
	ck_assert_uint_eq(source_line_start(&src, 9), 6);
	source_release(&src);
}
END_TEST

START_TEST(shebang)
{
	ck_assert(source_has_python_shebang("#!/usr/bin/env python3\n", 23));
	ck_assert(!source_has_python_shebang("#!/bin/sh\npython\n", 17));
	ck_assert(!source_has_python_shebang("import x\n", 9));
}
END_TEST

Suite *suite_source(void)
{
	Suite *s = suite_create("source");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, plain_utf8);
	tcase_add_test(tc, bom_and_crlf);
	tcase_add_test(tc, cookies);
	tcase_add_test(tc, invalid_utf8_and_nul);
	tcase_add_test(tc, positions_count_characters);
	tcase_add_test(tc, shebang);
	suite_add_tcase(s, tc);
	return s;
}
