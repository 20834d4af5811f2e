/*
 * review: the questions of --interactive, in a raw-mode terminal.
 *
 * Keys are read one byte at a time with canonical mode, echo and signal
 * keys off, so Ctrl-C arrives as a byte and the terminal is restored on
 * every way out; no signal handler (and so no global state) is needed.
 */
#include "review.h"
#include "buf.h"

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
