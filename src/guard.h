/*
 * guard: one file's crash does not end the run.
 *
 * A worker runs each file under a guard. Should the code crash on it
 * (SIGSEGV, SIGBUS, SIGFPE, SIGILL, a stack overflow included: the
 * handler runs on a stack of its own), the guard returns to the worker
 * with the signal, the worker reports the file as skipped and goes on
 * with a fresh parser. Files are written only after every check passed,
 * atomically, so a crash never leaves half a file; the run ends with exit
 * 2 and the report of every other file.
 *
 * The only process-wide state in the program lives here, because a
 * signal handler can reach nothing else: the handlers, installed once,
 * and each thread's landing point. Sanitizer builds install nothing, so
 * that the sanitizer reports the crash.
 */
#ifndef ASYNCMOD_GUARD_H
#define ASYNCMOD_GUARD_H

#include <stdbool.h>

/* Prepares the calling thread (its signal stack; installs the handlers
 * the first time). Pair with guard_thread_release() on the same thread. */
void guard_thread_init(void);
void guard_thread_release(void);

/* False in sanitizer builds, where guard_run only calls fn. */
bool guard_enabled(void);

/* Runs fn(arg). Returns 0, or the number of the signal that stopped it
 * (fn's work is then abandoned: what it allocated is lost). */
int guard_run(void (*fn)(void *), void *arg);

#endif
