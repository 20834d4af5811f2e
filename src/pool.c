/*
 * pool: running files on worker threads.
 */
#include "pool.h"
#include "fsio.h"
#include "guard.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define POOL_STACK_BYTES (16u * 1024u * 1024u)

/* --commit: runs file `i` on its content in HEAD. */
static void run_from_head(struct pool *p, struct pipeline_worker *w, size_t i)
{
	struct buf text = BUF_INIT;
	struct err err = ERR_INIT;
	bool found = false;
	int rc;

	pthread_mutex_lock(&p->lock);
	rc = repo_head_content(p->repo, p->files[i], &text, &p->modes[i], &found, &err);
	pthread_mutex_unlock(&p->lock);
	if (rc < 0 || !found) {
		memset(&p->results[i], 0, sizeof(p->results[i]));
		p->results[i].path = xstrdup(p->files[i]);
		p->results[i].findings = (struct vec)VEC_INIT(struct finding);
		if (rc < 0)
			p->results[i].error = xstrdup(err.msg);
		else
			p->results[i].untracked = true;
		buf_release(&text);
		return;
	}
	pipeline_run_text(w, p->files[i], text.ptr ? text.ptr : "", text.len, &p->settings[i],
			  &p->results[i], &p->fixed[i]);
	if (p->results[i].fixed == 0)
		buf_release(&p->fixed[i]);
	if (p->heads && p->fixed[i].len)
		p->heads[i] = text;
	else
		buf_release(&text);
}

/* One file's work, as the guard runs it. */
struct job {
	struct pool *p;
	struct pipeline_worker *w;
	size_t i;
};

static void run_job(void *arg)
{
	struct job *j = arg;

	if (j->p->repo)
		run_from_head(j->p, j->w, j->i);
	else
		pipeline_run(j->w, j->p->files[j->i], &j->p->settings[j->i],
			     &j->p->results[j->i]);
}

/* The file crashed the code: its result says so and nothing else. What
 * the abandoned work held is left as it is, since it may be damaged. */
static void crashed(struct pool *p, size_t i, int sig)
{
	struct buf msg = BUF_INIT;
	struct file_result *r = &p->results[i];

	buf_printf(&msg, "%s: internal error (%s) while checking this file; %s: please report it",
		   p->files[i], strsignal(sig),
		   r->written ? "its fixes were written, its findings are lost"
			      : "it was skipped and not changed");
	memset(r, 0, sizeof(*r));
	r->path = xstrdup(p->files[i]);
	r->findings = (struct vec)VEC_INIT(struct finding);
	r->error = buf_detach(&msg);
	if (p->fixed)
		memset(&p->fixed[i], 0, sizeof(p->fixed[i]));
}

static void *pool_work(void *arg)
{
	struct pool *p = arg;
	struct job j = { p, pipeline_worker_new(p->config), 0 };

	guard_thread_init();
	for (;;) {
		size_t k = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		int sig;

		if (k >= p->norder)
			break;
		j.i = p->order[k];
		sig = guard_run(run_job, &j);
		if (sig) {
			crashed(p, j.i, sig);
			j.w = pipeline_worker_new(p->config);	/* the old one may be mid-parse */
		}
		if (p->progress)
			progress_step(p->progress, p->results[j.i].findings.len);
	}
	guard_thread_release();
	pipeline_worker_free(j.w);
	return NULL;
}

/* Runs `work(arg)` on `jobs` threads (on this one when there is little to
 * share) and waits for them. */
static void run_threads(void *arg, int jobs, size_t items, void *(*work)(void *))
{
	pthread_t *threads;
	pthread_attr_t attr;
	int started = 0;

	if (jobs <= 1 || items <= 1) {
		work(arg);
		return;
	}
	if ((size_t)jobs > items)
		jobs = (int)items;
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	/* nesting up to TREE_MAX_DEPTH is walked recursively: a stack as
	 * large as the main thread's, whatever the default for threads */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POOL_STACK_BYTES);
	for (int i = 0; i < jobs; i++)
		if (!pthread_create(&threads[i], &attr, work, arg))
			started++;
		else
			break;
	pthread_attr_destroy(&attr);
	if (!started)
		work(arg);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
}

struct sized {
	size_t index;
	long long size;
};

static int larger_first(const void *a, const void *b)
{
	const struct sized *x = a, *y = b;

	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The files still to run, largest first when several threads share them
 * (the sizes are the work tree's, also for --commit: close enough to
 * share the work well). */
static void make_order(struct pool *p, int jobs)
{
	struct sized *s = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(*s));
	size_t n = 0;

	for (size_t i = 0; i < p->nfiles; i++) {
		struct stat st;

		if (p->done && p->done[i])
			continue;
		s[n].index = i;
		s[n].size = jobs > 1 && stat(p->files[i], &st) == 0 ? (long long)st.st_size : 0;
		n++;
	}
	if (jobs > 1)
		qsort(s, n, sizeof(*s), larger_first);
	free(p->order);
	p->order = xcalloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++)
		p->order[i] = s[i].index;
	p->norder = n;
	free(s);
}

void pool_run(struct pool *p, int jobs)
{
	make_order(p, jobs);
	p->next = 0;
	pthread_mutex_init(&p->lock, NULL);
	run_threads(p, jobs, p->norder, pool_work);
	pthread_mutex_destroy(&p->lock);
}

/* The cache pass of one worker. */
struct lookup {
	struct pool *p;
	struct cache *cache;
	struct buf bytes;
	size_t i;
};

static void lookup_one(void *arg)
{
	struct lookup *l = arg;
	struct pool *p = l->p;
	struct err err = ERR_INIT;
	struct cache_key key;
	struct stat st;

	if (fsio_read_regular(&l->bytes, &st, p->files[l->i], SOURCE_MAX_BYTES, &err) < 0)
		return;
	cache_key(&key, l->cache, p->files[l->i], &p->settings[l->i], l->bytes.ptr ? l->bytes.ptr : "",
		  l->bytes.len);
	memset(&p->results[l->i], 0, sizeof(p->results[l->i]));
	/* a run that fixes takes only a clean file's entry */
	if (cache_lookup(l->cache, &key, &p->results[l->i], p->config->mode != MODE_CHECK)) {
		p->results[l->i].path = xstrdup(p->files[l->i]);
		p->done[l->i] = true;
	}
}

static void *lookup_work(void *arg)
{
	struct lookup *shared = arg;
	struct lookup l = { shared->p, shared->cache, BUF_INIT, 0 };

	guard_thread_init();
	for (;;) {
		l.i = __atomic_fetch_add(&l.p->next, 1, __ATOMIC_RELAXED);
		if (l.i >= l.p->nfiles)
			break;
		if (guard_run(lookup_one, &l))
			memset(&l.p->results[l.i], 0, sizeof(l.p->results[l.i]));	/* a miss */
	}
	guard_thread_release();
	buf_release(&l.bytes);
	return NULL;
}

size_t pool_lookup(struct pool *p, struct cache *cache, int jobs)
{
	struct lookup shared = { p, cache, BUF_INIT, 0 };
	size_t left = 0;

	if (!p->done)
		p->done = xcalloc(p->nfiles ? p->nfiles : 1, sizeof(bool));
	if (!p->settings || p->repo)
		return p->nfiles;
	p->next = 0;
	run_threads(&shared, jobs, p->nfiles, lookup_work);
	for (size_t i = 0; i < p->nfiles; i++)
		left += !p->done[i];
	return left;
}

void pool_release(struct pool *p)
{
	free(p->done);
	free(p->order);
	p->done = NULL;
	p->order = NULL;
}

