/*
 * guard: signal handlers that return a crashed worker to its loop.
 */
#include "guard.h"
#include "buf.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define GUARD_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(undefined_behavior_sanitizer)
#define GUARD_OFF 1
#endif
#endif

static __thread void *alt_stack;

#ifndef GUARD_OFF
static const int guarded[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL };

static pthread_once_t installed = PTHREAD_ONCE_INIT;
static __thread sigjmp_buf *landing;

static void on_crash(int sig)
{
	sigjmp_buf *to = landing;

	if (to) {
		landing = NULL;
		siglongjmp(*to, sig);
	}
	signal(sig, SIG_DFL);	/* not in a guarded run: crash as usual */
	raise(sig);
}

static void install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_ONSTACK | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++)
		sigaction(guarded[i], &sa, NULL);
}

#endif

void guard_thread_init(void)
{
#ifndef GUARD_OFF
	stack_t ss;
	size_t size = SIGSTKSZ > 65536 ? SIGSTKSZ : 65536;

	pthread_once(&installed, install);
	alt_stack = xcalloc(1, size);
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = alt_stack;
	ss.ss_size = size;
	if (sigaltstack(&ss, NULL) < 0) {
		free(alt_stack);
		alt_stack = NULL;
	}
#endif
}

void guard_thread_release(void)
{
	stack_t ss;

	if (!alt_stack)
		return;
	memset(&ss, 0, sizeof(ss));
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	free(alt_stack);
	alt_stack = NULL;
}

bool guard_enabled(void)
{
#ifdef GUARD_OFF
	return false;
#else
	return true;
#endif
}

int guard_run(void (*fn)(void *), void *arg)
{
#ifdef GUARD_OFF
	fn(arg);
	return 0;
#else
	sigjmp_buf env;
	int sig = sigsetjmp(env, 1);

	if (sig)
		return sig;
	landing = &env;
	fn(arg);
	landing = NULL;
	return 0;
#endif
}
