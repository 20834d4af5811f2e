/*
 * fsio: atomic replacement of source files.
 */
#include "fsio.h"
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsio_read_regular(struct buf *out, struct stat *st, const char *path, size_t max,
		      struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	char chunk[65536];

	buf_clear(out);
	if (fd < 0)
		return err_errno(err, "%s: unable to open", path);
	if (fstat(fd, st) < 0) {
		close(fd);
		return err_errno(err, "%s: unable to stat", path);
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return err_set(err, "%s: not a regular file, skipped", path);
	}
	if ((uint64_t)st->st_size > max) {
		close(fd);
		return err_set(err, "%s: file too large (%lld bytes, the limit is %zu), skipped", path,
			       (long long)st->st_size, max);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			buf_clear(out);
			return err_errno(err, "%s: unable to read", path);
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > max) {	/* it grew while we read */
			close(fd);
			buf_clear(out);
			return err_set(err, "%s: file too large (the limit is %zu bytes), skipped",
				       path, max);
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

int fsio_unchanged(const struct source *orig)
{
	struct stat st;
	char *data;
	size_t got = 0;
	int fd, same;

	fd = open(orig->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || st.st_ino != orig->st.st_ino || st.st_dev != orig->st.st_dev ||
	    (size_t)st.st_size != orig->size || st.st_mtim.tv_sec != orig->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != orig->st.st_mtim.tv_nsec) {
		close(fd);
		return 0;
	}
	data = xmalloc(orig->size + 1);
	while (got < orig->size) {
		ssize_t n = read(fd, data + got, orig->size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	same = got == orig->size && !memcmp(data, orig->bytes, orig->size);
	free(data);
	return same;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The file a path names: through a symbolic link, its target, so that
 * the link stays a link. Caller frees. */
static char *link_target(const char *path)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL)))
		return real;
	return xstrdup(path);
}

int fsio_write_atomic(const struct source *orig, const char *data, size_t len, struct err *err)
{
	struct buf tmp = BUF_INIT;
	char *target = link_target(orig->path);
	char *copy = xstrdup(target), *copy2 = xstrdup(target);
	const char *dir = dirname(copy), *base = basename(copy2);
	sigset_t block, saved;
	int fd = -1, dfd, error = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &saved);

	if (!fsio_unchanged(orig)) {
		error = err_set(err, "%s: changed since it was read, not written", orig->path);
		goto done;
	}
	if (!(orig->st.st_mode & S_IWUSR) || access(orig->path, W_OK) < 0) {
		error = err_set(err, "%s: file is read-only, not written", orig->path);
		goto done;
	}
	if (orig->st.st_nlink > 1) {
		error = err_set(err, "%s: has %lu hard links, not written (replacing it would part "
				"them)", orig->path, (unsigned long)orig->st.st_nlink);
		goto done;
	}
	buf_printf(&tmp, "%s/.%s.asyncmod-XXXXXX", dir, base);
	fd = mkostemp(tmp.ptr, O_CLOEXEC);
	if (fd < 0) {
		error = err_errno(err, "%s: unable to create a temporary file in '%s'", orig->path, dir);
		goto done;
	}
	/* the owner and group stay; then the mode, set-id bits included, is
	 * the file's own again (chown clears them) */
	if ((orig->st.st_uid != geteuid() || orig->st.st_gid != getegid()) &&
	    fchown(fd, orig->st.st_uid, orig->st.st_gid) < 0) {
		error = err_errno(err, "%s: not written: unable to keep its owner and group",
				  orig->path);
		goto done;
	}
	if (fchmod(fd, orig->st.st_mode & 07777) < 0 || write_all(fd, data, len) < 0 ||
	    fsync(fd) < 0) {
		error = err_errno(err, "%s: unable to write '%s'", orig->path, tmp.ptr);
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = err_errno(err, "%s: unable to write '%s'", orig->path, tmp.ptr);
		goto done;
	}
	fd = -1;
	if (!fsio_unchanged(orig)) {
		error = err_set(err, "%s: changed since it was read, not written", orig->path);
		goto done;
	}
	if (rename(tmp.ptr, target) < 0) {
		error = err_errno(err, "%s: unable to replace", orig->path);
		goto done;
	}
	buf_clear(&tmp);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
done:
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.len)
		unlink(tmp.ptr);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	buf_release(&tmp);
	free(copy);
	free(copy2);
	free(target);
	return error;
}
