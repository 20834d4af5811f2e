/*
 * progress: the throttled status line of a run.
 */
#include "progress.h"
#include "buf.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Nothing is shown before the run is this old: a quick run shows no line. */
#define PROGRESS_DELAY_NS 200000000

struct progress {
	FILE *out;
	int64_t start_ns;
	size_t total;
	size_t done;		/* atomic */
	size_t findings;	/* atomic */
	int64_t last_ns;	/* when the line was last written; under lock */
	pthread_mutex_t lock;	/* one writer at a time */
	bool shown;		/* under lock */
};

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

bool progress_wanted(FILE *out, bool quiet)
{
	const char *term = getenv("TERM");

	if (quiet || env_set("CI") || (term && !strcmp(term, "dumb")))
		return false;
	return isatty(fileno(out));
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Writes the line; the caller holds the lock. */
static void draw(struct progress *p)
{
	size_t done = __atomic_load_n(&p->done, __ATOMIC_RELAXED);
	size_t findings = __atomic_load_n(&p->findings, __ATOMIC_RELAXED);

	fprintf(p->out, "\r\033[Kasyncmod: %zu/%zu files, %zu finding%s", done, p->total, findings,
		findings == 1 ? "" : "s");
	fflush(p->out);
	p->shown = true;
	p->last_ns = now_ns();
}

struct progress *progress_new(FILE *out, size_t total)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->out = out;
	p->total = total;
	pthread_mutex_init(&p->lock, NULL);
	p->start_ns = now_ns();
	p->last_ns = p->start_ns - 1000000000 / PROGRESS_PER_SECOND + PROGRESS_DELAY_NS;
	return p;
}

void progress_step(struct progress *p, size_t findings)
{
	__atomic_add_fetch(&p->findings, findings, __ATOMIC_RELAXED);
	__atomic_add_fetch(&p->done, 1, __ATOMIC_RELAXED);
	/* a busy writer means the line is being drawn: skip, never wait */
	if (pthread_mutex_trylock(&p->lock))
		return;
	if (now_ns() - p->last_ns >= 1000000000 / PROGRESS_PER_SECOND)
		draw(p);
	pthread_mutex_unlock(&p->lock);
}

void progress_end(struct progress *p)
{
	if (!p)
		return;
	if (p->shown) {
		fputs("\r\033[K", p->out);
		fflush(p->out);
	}
	pthread_mutex_destroy(&p->lock);
	free(p);
}
