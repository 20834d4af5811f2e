/*
 * check_repo: the branch names a commit or a batch may create.
 */
#include "repo.h"
#include "units.h"

START_TEST(branch_names)
{
	static const char *const good[] = { "asyncmod/am203", "feature/x-1", "a@b", "fix_2", NULL };
	static const char *const bad[] = { "@", "/x", "x/", "refs/heads/x", "a..b", "a b", "x.lock",
					   ".x", "a/.b", "x~1", "a:b", "-x", "x.", "a@{1}", "a//b",
					   "", NULL };
	struct err err = ERR_INIT;

	for (int i = 0; good[i]; i++)
		ck_assert_msg(repo_check_branch_name(good[i], &err) == 0, "refused '%s'", good[i]);
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(repo_check_branch_name(bad[i], &err) < 0, "took '%s'", bad[i]);
	ck_assert_str_eq(err.msg, "invalid branch name '' (a short name such as asyncmod/fixes, "
				  "as git check-ref-format --branch takes it)");
}
END_TEST

Suite *suite_repo(void)
{
	Suite *s = suite_create("repo");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, branch_names);
	suite_add_tcase(s, tc);
	return s;
}
