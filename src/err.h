/*
 * err: the one error convention of the core library.
 *
 * A function that can fail returns 0 on success or a negative value on
 * failure, and fills the caller's `struct err` with one message that says
 * what happened (lower-case, no final period, as git writes them). Only
 * main.c prints messages and chooses the exit code.
 */
#ifndef ASYNCMOD_ERR_H
#define ASYNCMOD_ERR_H

#define ERR_MSG_MAX 512

struct err {
	char msg[ERR_MSG_MAX];
};

#define ERR_INIT { { 0 } }

/* Formats a message into `err` and returns -1, so callers can write
 * `return err_set(err, "unable to open '%s'", path);`. `err` may be NULL. */
int err_set(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Like err_set, and appends ": strerror(errno)". */
int err_errno(struct err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
