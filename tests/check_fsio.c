/*
 * check_fsio: atomic writes keep the mode, leave no temporary files, and
 * refuse a file that changed after it was read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsio.h"
#include "units.h"

static char dir[64];
static char path[128];

static void setup(void)
{
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/asyncmod-fsio.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.py", dir);
	f = fopen(path, "w");
	fputs("x = 1\n", f);
	fclose(f);
	chmod(path, 0640);
}

static void teardown(void)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *p)
{
	static char buf[256];
	FILE *f = fopen(p, "r");
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);

	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while ((de = readdir(d)))
		n += de->d_name[0] != '.' || strstr(de->d_name, "asyncmod") != NULL;
	closedir(d);
	return n;
}

START_TEST(writes_and_keeps_mode)
{
	struct source src;
	struct err err = ERR_INIT;
	struct stat st;

	ck_assert_int_eq(source_load(&src, path, &err), 0);
	ck_assert_int_eq(fsio_write_atomic(&src, "x = 2\n", 6, &err), 0);
	ck_assert_str_eq(slurp(path), "x = 2\n");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	ck_assert_int_eq(entries(), 1);
	source_release(&src);
}
END_TEST

START_TEST(refuses_changed_file)
{
	struct source src;
	struct err err = ERR_INIT;
	FILE *f;

	ck_assert_int_eq(source_load(&src, path, &err), 0);
	f = fopen(path, "w");
	fputs("x = 3  # edited meanwhile\n", f);
	fclose(f);
	ck_assert(!fsio_unchanged(&src));
	ck_assert_int_eq(fsio_write_atomic(&src, "x = 2\n", 6, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.msg, "changed since it was read"));
	ck_assert_str_eq(slurp(path), "x = 3  # edited meanwhile\n");
	ck_assert_int_eq(entries(), 1);
	source_release(&src);
}
END_TEST

START_TEST(refuses_replaced_file)
{
	struct source src;
	struct err err = ERR_INIT;
	char other[160];
	FILE *f;

	ck_assert_int_eq(source_load(&src, path, &err), 0);
	/* same bytes, but a different file now sits at the path */
	snprintf(other, sizeof(other), "%s/b.py", dir);
	f = fopen(other, "w");
	fputs("x = 1\n", f);
	fclose(f);
	ck_assert_int_eq(rename(other, path), 0);
	ck_assert_int_eq(fsio_write_atomic(&src, "x = 2\n", 6, &err), -1);
	ck_assert_str_eq(slurp(path), "x = 1\n");
	source_release(&src);
}
END_TEST

Suite *suite_fsio(void)
{
	Suite *s = suite_create("fsio");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, writes_and_keeps_mode);
	tcase_add_test(tc, refuses_changed_file);
	tcase_add_test(tc, refuses_replaced_file);
	suite_add_tcase(s, tc);
	return s;
}
