/*
 * diff: git_patch_from_buffers, printed in git's own format.
 */
#include "diff.h"

#include <git2.h>
#include <string.h>

int diff_make(struct buf *out, const char *path, unsigned mode, const char *old, size_t oldlen,
	      const char *new, size_t newlen, struct err *err)
{
	git_diff_options opts;
	git_patch *patch = NULL;
	git_buf text = { 0 };
	int error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 3;
	error = git_patch_from_buffers(&patch, old, oldlen, path, new, newlen, path, &opts);
	if (error < 0 || (error = git_patch_to_buf(&text, patch)) < 0) {
		const git_error *e = git_error_last();

		git_patch_free(patch);
		return err_set(err, "%s: unable to make a diff: %s", path, e ? e->message : "unknown");
	}
	{
		/* buffers carry no mode: libgit2 writes 100644; say 100755 for an
		 * executable file, as git does, so `git apply` sees its real mode */
		const char *idx = memmem(text.ptr, text.size, "\nindex ", 7);
		const char *eol = idx ? memchr(idx + 1, '\n', text.size - (size_t)(idx + 1 - text.ptr)) : NULL;

		if (eol && (mode & 0111) && eol - idx > 7 && !memcmp(eol - 7, " 100644", 7)) {
			buf_add(out, text.ptr, (size_t)(eol - 7 - text.ptr));
			buf_puts(out, " 100755");
			buf_add(out, eol, text.size - (size_t)(eol - text.ptr));
		} else {
			buf_add(out, text.ptr, text.size);
		}
	}
	git_buf_dispose(&text);
	git_patch_free(patch);
	return 0;
}
