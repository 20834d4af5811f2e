/*
 * check_repo: the branch names a commit or a batch may create; the URL
 * reader that hides and removes credentials; --git-timeout's values.
 */
#include "remote.h"
#include "repo.h"
#include "units.h"
#include "url.h"

#include <stdlib.h>
#include <string.h>

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

/* One URL: what is shown, what is cloned, the decoded credentials. */
struct url_case {
	const char *in, *display, *clean, *user, *password;
};

START_TEST(url_credentials)
{
	static const struct url_case cases[] = {
		{ "https://user:pa/ss@host/r.git", "https://***@host/r.git", "https://host/r.git",
		  "user", "pa/ss" },
		{ "https://user:pa@ss@host/r.git", "https://***@host/r.git", "https://host/r.git",
		  "user", "pa@ss" },
		{ "https://us%65r:p%40ss%2Fw%3Ad@host:8443/r.git", "https://***@host:8443/r.git",
		  "https://host:8443/r.git", "user", "p@ss/w:d" },
		{ "user:secret@host:org/r.git", "***@host:org/r.git", "host:org/r.git", "user",
		  "secret" },
		{ "ssh://user:secret@host/path/r.git", "ssh://***@host/path/r.git",
		  "ssh://host/path/r.git", "user", "secret" },
		{ "https://TOKEN@host/r", "https://***@host/r", "https://host/r", "TOKEN", NULL },
		{ "git@github.com:org/r@v2.git", "***@github.com:org/r@v2.git",
		  "github.com:org/r@v2.git", "git", NULL },
		{ "u:p@[::1]:r.git", "***@[::1]:r.git", "[::1]:r.git", "u", "p" },
		{ "https://u:p?x#y@host/r", "https://***@host/r", "https://host/r", "u", "p?x#y" },
		{ "https://@host/r", "https://***@host/r", "https://host/r", "", NULL },
		{ "file://user:secret@/srv/r.git", "file://***@/srv/r.git", "file:///srv/r.git",
		  "user", "secret" },
		{ "https://host/r.git", "https://host/r.git", "https://host/r.git", NULL, NULL },
		{ "host:r.git", "host:r.git", "host:r.git", NULL, NULL },
		{ "services/a@b", "services/a@b", "services/a@b", NULL, NULL },
		{ "/srv/x:y@z:w", "/srv/x:y@z:w", "/srv/x:y@z:w", NULL, NULL },
		{ "a%zz:%4@h/x", "***@h/x", "h/x", "a%zz", "%4" },
		{ "user:pa/ss@host:r.git", "***@host:r.git", "host:r.git", "user", "pa/ss" },
		{ "git@host:org/a@b:c", "***@b:c", "b:c", "git@host", "org/a" },
		{ "host:org/r@v2.git", "host:org/r@v2.git", "host:org/r@v2.git", NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct url_case *c = &cases[i];
		struct url u, again;
		char *shown = url_redact(c->in);

		url_parse(&u, c->in);
		ck_assert_msg(!strcmp(u.display, c->display), "%s: shown as %s", c->in, u.display);
		ck_assert_str_eq(shown, c->display);
		ck_assert_msg(!strcmp(u.clean, c->clean), "%s: cloned as %s", c->in, u.clean);
		ck_assert_msg((!u.user && !c->user) || (u.user && c->user && !strcmp(u.user, c->user)),
			      "%s: user %s", c->in, u.user ? u.user : "(none)");
		ck_assert_msg((!u.password && !c->password) ||
			      (u.password && c->password && !strcmp(u.password, c->password)),
			      "%s: password %s", c->in, u.password ? u.password : "(none)");
		/* what is shown and what is cloned read the same again */
		url_parse(&again, u.display);
		ck_assert_str_eq(again.display, u.display);
		url_release(&again);
		url_parse(&again, u.clean);
		ck_assert_msg(!again.has_userinfo, "%s: the clean URL %s has credentials", c->in,
			      u.clean);
		url_release(&again);
		url_release(&u);
		free(shown);
	}
}
END_TEST

START_TEST(url_text)
{
	char *t = url_redact_text("clone failed: https://u:s3cret@h/r and s3cret, p@ss and x",
				  "https://u:s3cret@h/r");

	ck_assert_str_eq(t, "clone failed: https://***@h/r and ***, p@ss and x");
	free(t);
	t = url_redact_text("token ghp_0123456789 in ssh://git@host", "https://ghp_0123456789@h/r");
	ck_assert_str_eq(t, "token *** in ssh://git@host");
	free(t);
	/* a short lone user is a name, not a secret: the text keeps its words */
	t = url_redact_text("git said no", "git@host:r.git");
	ck_assert_str_eq(t, "git said no");
	free(t);
	t = url_redact_text("p@ss/w:d said no, y", "https://u:p%40ss%2Fw%3Ad@h/r");
	ck_assert_str_eq(t, "*** said no, y");
	free(t);
	/* nor is a short password cut out of every word */
	t = url_redact_text("say yes", "https://u:y@h/r");
	ck_assert_str_eq(t, "say yes");
	free(t);
}
END_TEST

START_TEST(git_timeout_values)
{
	static const char *const bad[] = { "", "-1", "1.5", "x", "86401", " 5", "5s", "+5",
					   "99999999999999999999", NULL };
	struct err err = ERR_INIT;
	unsigned v = 7;

	ck_assert_int_eq(remote_parse_timeout(&v, "0", &err), 0);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(remote_parse_timeout(&v, "86400", &err), 0);
	ck_assert_uint_eq(v, 86400);
	for (int i = 0; bad[i]; i++)
		ck_assert_msg(remote_parse_timeout(&v, bad[i], &err) < 0, "took '%s'", bad[i]);
	ck_assert_uint_eq(v, 86400);
	remote_parse_timeout(&v, "+5", &err);
	ck_assert_str_eq(err.msg, "invalid --git-timeout '+5' (expected whole seconds from 0, "
				  "no limit, to 86400)");
}
END_TEST

Suite *suite_repo(void)
{
	Suite *s = suite_create("repo");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, branch_names);
	tcase_add_test(tc, url_credentials);
	tcase_add_test(tc, url_text);
	tcase_add_test(tc, git_timeout_values);
	suite_add_tcase(s, tc);
	return s;
}
