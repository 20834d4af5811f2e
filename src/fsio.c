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
#include <dirent.h>
#include <sys/file.h>
#include <time.h>
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

/* True when the file at `path` is the one `orig` read, holding the same
 * bytes. */
static int same_as_read(const struct source *orig, const char *path)
{
	struct stat st;
	char *data;
	size_t got = 0;
	int fd, same;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
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

int fsio_unchanged(const struct source *orig)
{
	return same_as_read(orig, orig->path);
}

/* Removes the temporary files an earlier run left beside `base` in `dir`
 * when it was killed: those no process holds a lock on, and older than a
 * minute (a file just made may not be locked yet). */
static void clean_stale(const char *dir, const char *base)
{
	struct buf prefix = BUF_INIT, path = BUF_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;
	time_t now = time(NULL);

	if (!d)
		return;
	buf_printf(&prefix, ".%s.asyncmod-", base);
	while ((de = readdir(d))) {
		struct stat st;
		int fd;

		if (strncmp(de->d_name, prefix.ptr, prefix.len) ||
		    strlen(de->d_name) != prefix.len + 6)
			continue;
		buf_clear(&path);
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (lstat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode) || now - st.st_mtime < 60)
			continue;
		fd = open(path.ptr, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(path.ptr);
		close(fd);
	}
	closedir(d);
	buf_release(&prefix);
	buf_release(&path);
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
	clean_stale(dir, base);
	buf_printf(&tmp, "%s/.%s.asyncmod-XXXXXX", dir, base);
	fd = mkostemp(tmp.ptr, O_CLOEXEC);
	if (fd < 0) {
		error = err_errno(err, "%s: unable to create a temporary file in '%s'", orig->path, dir);
		goto done;
	}
	flock(fd, LOCK_EX);	/* it is ours: another run must not take it for a leftover */
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
	/* Swapped in one step, the old file stays at hand: an edit that came
	 * between the check above and the swap is put back, not lost. Where
	 * the file system cannot swap, a plain rename does. */
	if (renameat2(AT_FDCWD, tmp.ptr, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
		if (!same_as_read(orig, tmp.ptr)) {
			if (renameat2(AT_FDCWD, tmp.ptr, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
				error = err_set(err, "%s: changed while it was written, not written",
						orig->path);
			} else {
				error = err_errno(err, "%s: changed while it was written; its other "
						  "version is kept as '%s'", orig->path, tmp.ptr);
				buf_clear(&tmp);
			}
			goto done;
		}
		unlink(tmp.ptr);
	} else if ((errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) ||
		   rename(tmp.ptr, target) < 0) {
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

int fsio_write_scratch(const char *path, const char *data, size_t len, struct err *err)
{
	struct buf tmp = BUF_INIT;
	sigset_t block, saved;
	int fd, error = 0;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	buf_printf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkostemp(tmp.ptr, O_CLOEXEC);
	if (fd < 0) {
		error = err_errno(err, "unable to create '%s'", tmp.ptr);
		goto done;
	}
	if (write_all(fd, data, len) < 0) {
		error = err_errno(err, "unable to write '%s'", tmp.ptr);
		close(fd);
		unlink(tmp.ptr);
		goto done;
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		error = err_errno(err, "unable to write '%s'", path);
		unlink(tmp.ptr);
	}
done:
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	buf_release(&tmp);
	return error;
}
