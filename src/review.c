/*
 * review: the questions of --interactive, in a raw-mode terminal, and the
 * run around them: a hunk per fix, then the accepted fixes applied.
 *
 * Keys are read one byte at a time with canonical mode, echo and signal
 * keys off, so Ctrl-C arrives as a byte and the terminal is restored on
 * every way out; no signal handler (and so no global state) is needed.
 */
#include "review.h"
#include "buf.h"
#include "diff.h"
#include "source.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

struct review_term {
	int fd;
	struct termios saved;
};

int review_term_open(struct review_term **out, int fd, struct err *err)
{
	struct review_term *t;
	struct termios raw;

	if (!isatty(fd))
		return err_set(err, "--interactive needs a terminal to ask on");
	t = xcalloc(1, sizeof(*t));
	t->fd = fd;
	if (tcgetattr(fd, &t->saved) < 0) {
		free(t);
		return err_errno(err, "unable to read the terminal settings");
	}
	raw = t->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSAFLUSH, &raw) < 0) {
		free(t);
		return err_errno(err, "unable to set up the terminal");
	}
	*out = t;
	return 0;
}

void review_term_close(struct review_term *t)
{
	if (!t)
		return;
	tcsetattr(t->fd, TCSAFLUSH, &t->saved);
	free(t);
}

/* One key; 0 at end of input. */
static char read_key(struct review_term *t)
{
	char c;

	for (;;) {
		ssize_t n = read(t->fd, &c, 1);

		if (n == 1)
			return c;
		if (n < 0 && errno == EINTR)
			continue;
		return 0;
	}
}

static void show_hunk(FILE *out, const char *hunk, bool color)
{
	const char *line = hunk;

	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);
		const char *on = "";

		if (!strncmp(line, "diff --git", 10) || !strncmp(line, "index ", 6)) {
			line = nl ? nl + 1 : NULL;
			continue;
		}
		if (color) {
			if (!strncmp(line, "+++", 3) || !strncmp(line, "---", 3))
				on = "\033[1m";
			else if (line[0] == '@')
				on = "\033[36m";
			else if (line[0] == '+')
				on = "\033[32m";
			else if (line[0] == '-')
				on = "\033[31m";
		}
		fprintf(out, "%s%.*s%s\r\n", on, len, line, *on ? "\033[0m" : "");
		line = nl ? nl + 1 : NULL;
	}
}

static void show_help(FILE *out)
{
	fputs("y - apply this fix\r\n"
	      "n - do not apply this fix\r\n"
	      "a - apply this fix and all remaining fixes in this file\r\n"
	      "d - do not apply this fix or any remaining fix in this file\r\n"
	      "A - apply this fix and all remaining fixes of this rule, in every file\r\n"
	      "q - quit; apply only the fixes accepted so far\r\n"
	      "? - print this help\r\n",
	      out);
}

enum decision { UNDECIDED, ACCEPT, REJECT };

void review_ask(struct review_term *t, FILE *out, struct review_item *items, size_t n,
		bool color, struct review_outcome *outcome)
{
	struct vec rules = VEC_INIT(const struct transform *);	/* accepted everywhere */
	const char *file_rule = NULL;	/* the file whose rest is decided */
	enum decision file_rest = UNDECIDED;
	bool quit = false;

	memset(outcome, 0, sizeof(*outcome));
	for (size_t i = 0; i < n; i++) {
		struct review_item *it = &items[i];
		enum decision d = UNDECIDED;
		char key;

		if (file_rule && strcmp(file_rule, it->path)) {
			file_rule = NULL;
			file_rest = UNDECIDED;
		}
		if (quit)
			d = REJECT;
		else if (file_rule)
			d = file_rest;
		for (size_t k = 0; d == UNDECIDED && k < rules.len; k++)
			if (*(const struct transform **)vec_at(&rules, k) == it->finding->rule)
				d = ACCEPT;
		if (d == UNDECIDED) {
			const struct finding *f = it->finding;

			fprintf(out, "\r\n%s%s:%u:%u: %s%s %s\r\n", color ? "\033[1m" : "", it->path,
				f->line, f->column, f->rule->code, color ? "\033[0m" : "", f->message);
			if (f->fix == FIX_UNSAFE)
				fprintf(out, "%sunsafe fix: behaviour may change on some path%s\r\n",
					color ? "\033[33m" : "", color ? "\033[0m" : "");
			show_hunk(out, it->hunk, color);
		}
		while (d == UNDECIDED) {
			fprintf(out, "(%zu/%zu) Apply this fix? [y,n,a,d,A,q,?] ", i + 1, n);
			fflush(out);
			key = read_key(t);
			fputs(key >= ' ' && key < 127 ? (char[]){ key, 0 } : "", out);
			fputs("\r\n", out);
			switch (key) {
			case 'y':
				d = ACCEPT;
				break;
			case 'n':
				d = REJECT;
				break;
			case 'a':
			case 'd':
				d = key == 'a' ? ACCEPT : REJECT;
				file_rule = it->path;
				file_rest = d;
				break;
			case 'A':
				d = ACCEPT;
				*(const struct transform **)vec_push(&rules) = it->finding->rule;
				break;
			case 0:	/* end of input: as q */
			case 'q':
				d = REJECT;
				quit = true;
				break;
			case 3:	/* Ctrl-C */
				outcome->interrupted = true;
				outcome->accepted = 0;
				for (size_t k = 0; k < n; k++)
					items[k].finding->applied = false;
				vec_release(&rules);
				fputs("Interrupted: nothing was written.\r\n", out);
				fflush(out);
				return;
			case '?':
				show_help(out);
				break;
			default:
				break;	/* Enter or a stray key answers nothing */
			}
		}
		it->finding->applied = d == ACCEPT;
		if (d == ACCEPT)
			outcome->accepted++;
		else
			outcome->rejected++;
	}
	fflush(out);
	vec_release(&rules);
}

/* The text a file's fixes start from: its content in HEAD with --commit,
 * else the file itself. */
static int original_text(const struct pool *p, size_t i, struct buf *text, unsigned *mode,
			 struct err *err)
{
	bool found = true;

	buf_clear(text);
	if (p->repo)
		return repo_head_content(p->repo, p->files[i], text, mode, &found, err);
	{
		struct source src;

		if (source_load(&src, p->files[i], err) < 0)
			return -1;
		buf_add(text, src.bytes, src.size);
		*mode = src.st.st_mode;
		source_release(&src);
	}
	return 0;
}

/* Re-runs file `i` fixing only the findings of `results[i]` marked
 * applied; writes the file (or keeps the text for --commit). */
static void apply_accepted(struct pool *p, size_t i, const struct buf *text)
{
	const struct vec *fs = &p->results[i].findings;
	struct finding_key *keys = xcalloc(fs->len ? fs->len : 1, sizeof(*keys));
	struct file_settings only = p->settings[i];
	struct pipeline_config cfg = *p->config;
	struct pipeline_worker *w;
	struct file_result res;
	size_t n = 0;

	for (size_t k = 0; k < fs->len; k++) {
		const struct finding *f = vec_at(fs, k);

		if (f->applied) {
			keys[n].rule = f->rule;
			keys[n].start = f->start;
			keys[n].end = f->end;
			n++;
		}
	}
	only.only = keys;
	only.nonly = n;
	cfg.mode = p->repo ? MODE_COMMIT : MODE_FIX;
	w = pipeline_worker_new(&cfg);
	if (p->repo) {
		pipeline_run_text(w, p->files[i], text->ptr ? text->ptr : "", text->len, &only, &res,
				  &p->fixed[i]);
		if (!res.fixed)
			buf_release(&p->fixed[i]);
	} else {
		pipeline_run(w, p->files[i], &only, &res);
	}
	pipeline_worker_free(w);
	pipeline_result_release(&p->results[i]);
	p->results[i] = res;
	free(keys);
}

/* --interactive: a hunk and a question per fix, then the accepted fixes
 * are written (or committed) exactly as --fix would. */
int review_run(struct pool *p, FILE *out, bool color, struct err *err)
{
	struct vec items = VEC_INIT(struct review_item);
	struct buf *texts = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(struct buf));
	unsigned *modes = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(unsigned));
	struct pipeline_worker *w = pipeline_worker_new(p->config);
	struct review_term *term = NULL;
	struct review_outcome outcome;
	int error = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		const struct vec *fs = &p->results[i].findings;
		bool any = false;

		for (size_t k = 0; k < fs->len && !any; k++)
			any = ((struct finding *)vec_at(fs, k))->applied;
		if (!any)
			continue;
		if ((error = original_text(p, i, &texts[i], &modes[i], err)) < 0)
			goto done;
		for (size_t k = 0; k < fs->len; k++) {
			struct finding *f = vec_at(fs, k);
			struct finding_key key = { f->rule, f->start, f->end };
			struct file_settings one = p->settings[i];
			struct buf fixed = BUF_INIT, hunk = BUF_INIT;
			struct file_result res;
			struct review_item *it;

			if (!f->applied)
				continue;
			one.only = &key;
			one.nonly = 1;
			pipeline_run_text(w, p->files[i], texts[i].ptr ? texts[i].ptr : "", texts[i].len,
					  &one, &res, &fixed);
			diff_make(&hunk, p->files[i], modes[i], texts[i].ptr ? texts[i].ptr : "",
				  texts[i].len, fixed.ptr ? fixed.ptr : "", fixed.len, err);
			pipeline_result_release(&res);
			buf_release(&fixed);
			it = vec_push(&items);
			it->path = p->files[i];
			it->finding = f;
			it->hunk = buf_detach(&hunk);
		}
	}
	if (!items.len) {
		fputs("No fixes to review.\n", out);
		goto done;
	}
	if ((error = review_term_open(&term, STDIN_FILENO, err)) < 0)
		goto done;
	review_ask(term, out, items.items, items.len, color, &outcome);
	review_term_close(term);
	if (outcome.interrupted) {
		for (size_t i = 0; p->fixed && i < p->nfiles; i++)
			buf_release(&p->fixed[i]);
		error = err_set(err, "interrupted: nothing was written");
		goto done;
	}
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct vec *fs = &p->results[i].findings;
		bool any = false;

		for (size_t k = 0; k < fs->len && !any; k++)
			any = ((struct finding *)vec_at(fs, k))->applied;
		if (any)
			apply_accepted(p, i, &texts[i]);
		else if (p->fixed)
			buf_release(&p->fixed[i]);
	}
	fprintf(out, "Applied %zu fix%s, rejected %zu.\n", outcome.accepted,
		outcome.accepted == 1 ? "" : "es", outcome.rejected);
done:
	for (size_t i = 0; i < items.len; i++)
		free((char *)((struct review_item *)vec_at(&items, i))->hunk);
	vec_release(&items);
	for (size_t i = 0; i < p->nfiles; i++)
		buf_release(&texts[i]);
	free(texts);
	free(modes);
	pipeline_worker_free(w);
	return error;
}

