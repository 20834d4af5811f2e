/*
 * pool: running files on worker threads.
 */
#include "pool.h"
#include "guard.h"

#include <stdlib.h>
#include <string.h>

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
		int sig;

		j.i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
		if (j.i >= p->nfiles)
			break;
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

void pool_run(struct pool *p, int jobs)
{
	pthread_t *threads;
	pthread_attr_t attr;
	int started = 0;

	pthread_mutex_init(&p->lock, NULL);
	if (jobs <= 1 || p->nfiles <= 1) {
		pool_work(p);
		pthread_mutex_destroy(&p->lock);
		return;
	}
	if ((size_t)jobs > p->nfiles)
		jobs = (int)p->nfiles;
	threads = xcalloc((size_t)jobs, sizeof(*threads));
	/* nesting up to TREE_MAX_DEPTH is walked recursively: a stack as
	 * large as the main thread's, whatever the default for threads */
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, POOL_STACK_BYTES);
	for (int i = 0; i < jobs; i++)
		if (!pthread_create(&threads[i], &attr, pool_work, p))
			started++;
		else
			break;
	pthread_attr_destroy(&attr);
	if (!started)
		pool_work(p);
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	free(threads);
	pthread_mutex_destroy(&p->lock);
}

