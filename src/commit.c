/*
 * commit: turning a run's fixes into a commit.
 */
#include "commit.h"
#include "diff.h"
#include "../transforms/table.h"

#include <stdlib.h>
#include <string.h>

static int code_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The commit message and default branch name from the fixes applied. */
static void describe_fixes(struct buf *message, struct buf *branch, const struct pool *p)
{
	struct vec codes = VEC_INIT(const char *);
	size_t *counts = xcalloc(transform_count, sizeof(size_t)), nfiles = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		bool any = false;

		for (size_t k = 0; k < p->results[i].findings.len; k++) {
			const struct finding *f = vec_at(&p->results[i].findings, k);
			size_t t = transform_index(f->rule);

			if (f->applied && t < transform_count) {
				counts[t]++;
				any = true;
			}
		}
		nfiles += any;
	}
	for (size_t t = 0; t < transform_count; t++)
		if (counts[t])
			*(const char **)vec_push(&codes) = transform_table[t]->code;
	vec_sort(&codes, code_cmp);
	buf_puts(message, "asyncmod: fix ");
	buf_puts(branch, "asyncmod/");
	for (size_t i = 0; i < codes.len; i++) {
		const char *code = *(const char **)vec_at(&codes, i);

		buf_printf(message, "%s%s", i ? ", " : "", code);
		for (const char *c = code; *c; c++)
			buf_putc(branch, (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c));
		if (i + 1 < codes.len)
			buf_putc(branch, '-');
	}
	buf_printf(message, "\n\nFixes made by asyncmod in %zu file%s:\n\n", nfiles,
		   nfiles == 1 ? "" : "s");
	for (size_t i = 0; i < codes.len; i++) {
		const char *code = *(const char **)vec_at(&codes, i);

		for (size_t t = 0; t < transform_count; t++)
			if (!strcmp(transform_table[t]->code, code))
				buf_printf(message, "  %-9s %4zu  %s\n", code, counts[t],
					   transform_table[t]->summary);
	}
	vec_release(&codes);
	free(counts);
}

/* --commit: checks that no file to change is dirty, then commits. */
int commit_record(struct repo *repo, const struct engine_options *opts, const struct pool *p,
		  FILE *out, FILE *errs, struct err *err)
{
	struct vec changes = VEC_INIT(struct repo_change);
	struct buf message = BUF_INIT, branch = BUF_INIT, id = BUF_INIT;
	struct repo_commit_opts co;
	size_t dirty = 0;
	bool same = false;
	int error = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		struct repo_change *c;
		bool is_dirty = false;

		if (!p->fixed[i].len)
			continue;
		if ((error = repo_is_dirty(repo, p->files[i], &is_dirty, err)) < 0)
			goto done;
		if (is_dirty && (!opts->allow_dirty || opts->in_place)) {
			fprintf(errs, "asyncmod: error: %s: has uncommitted changes\n", p->files[i]);
			dirty++;
			continue;
		}
		c = vec_push(&changes);
		c->path = p->files[i];
		c->text = p->fixed[i].ptr;
		c->len = p->fixed[i].len;
		c->mode = p->modes[i];
	}
	if (dirty) {
		error = err_set(err, "nothing committed: %zu file%s to change %s uncommitted changes%s",
				dirty, dirty == 1 ? "" : "s", dirty == 1 ? "has" : "have",
				opts->in_place ? "" : " (--allow-dirty commits HEAD's content fixed)");
		goto done;
	}
	{
		size_t untracked = 0;

		for (size_t i = 0; i < p->nfiles; i++)
			untracked += p->results[i].untracked;
		if (untracked)
			fprintf(errs, "asyncmod: note: %zu file%s not in HEAD %s not part of the commit\n",
				untracked, untracked == 1 ? "" : "s", untracked == 1 ? "is" : "are");
	}
	if (!changes.len) {
		fputs("Nothing to commit: no fix applies.\n", out);
		goto done;
	}
	describe_fixes(&message, &branch, p);
	co.branch = opts->branch ? opts->branch : branch.ptr;
	co.message = opts->message ? opts->message : message.ptr;
	co.force_branch = opts->force_branch;
	co.in_place = opts->in_place;
	co.keep_same = opts->keep_same;
	co.dry_run = opts->dry_commit;
	if ((error = repo_commit(repo, &changes, &co, &id, &same, err)) < 0)
		goto done;
	if (opts->dry_commit) {
		/* the commit's diff, file by file, paths from the top of the work tree */
		for (size_t i = 0; !same && i < p->nfiles; i++) {
			struct buf d = BUF_INIT, shown = BUF_INIT;

			if (!p->fixed[i].len)
				continue;
			buf_printf(&shown, "%s%s", repo_prefix(repo), p->files[i]);
			if (diff_make(&d, shown.ptr, p->modes[i], p->heads[i].ptr ? p->heads[i].ptr : "",
				      p->heads[i].len, p->fixed[i].ptr, p->fixed[i].len, err) == 0)
				fputs(buf_cstr(&d), out);
			buf_release(&d);
			buf_release(&shown);
		}
		if (opts->summary) {
			snprintf(opts->summary->branch, sizeof(opts->summary->branch), "%s", co.branch);
			opts->summary->unchanged = same;
		}
		goto done;
	}
	if (opts->summary) {
		snprintf(opts->summary->branch, sizeof(opts->summary->branch), "%s", co.branch);
		snprintf(opts->summary->commit, sizeof(opts->summary->commit), "%s", id.ptr);
		opts->summary->unchanged = same;
	}
	if (same)
		fprintf(out, "Branch %s already holds these fixes (%.12s).\n", co.branch, id.ptr);
	else
	if (opts->in_place)
		fprintf(out, "Committed %zu file%s on the current branch as %.12s.\n", changes.len,
			changes.len == 1 ? "" : "s", id.ptr);
	else
		fprintf(out, "Committed %zu file%s on branch %s as %.12s.\n", changes.len,
			changes.len == 1 ? "" : "s", co.branch, id.ptr);
done:
	vec_release(&changes);
	buf_release(&message);
	buf_release(&branch);
	buf_release(&id);
	return error;
}

