/*
 * outfile: writing a report file atomically.
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int outfile_open(struct outfile *o, const char *path, struct err *err)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	mode_t mask;
	int fd;

	o->path = path;
	o->f = NULL;
	o->tmp = (struct buf)BUF_INIT;
	if (!*path || (slash && !slash[1]))
		return err_set(err, "--output-file: '%s' is not a file name", path);
	if (slash)
		buf_add(&o->tmp, path, (size_t)(slash - path + 1));
	buf_printf(&o->tmp, ".%s.XXXXXX", slash ? slash + 1 : path);
	fd = mkstemp(o->tmp.ptr);
	if (fd < 0) {
		err_set(err, "%s: cannot write the report: %s", path, strerror(errno));
		buf_release(&o->tmp);
		return -1;
	}
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		(void)fchmod(fd, st.st_mode & 07777);
	} else {
		mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	o->f = fdopen(fd, "w");
	if (!o->f) {
		err_set(err, "%s: cannot write the report: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp.ptr);
		buf_release(&o->tmp);
		return -1;
	}
	return 0;
}

int outfile_close(struct outfile *o, bool keep, struct err *err)
{
	int rc = 0;

	if (!o->f)
		return 0;
	if (keep && (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f))))
		rc = err_set(err, "%s: cannot write the report: %s", o->path, strerror(errno));
	if (fclose(o->f) && keep && !rc)
		rc = err_set(err, "%s: cannot write the report: %s", o->path, strerror(errno));
	o->f = NULL;
	if (keep && !rc && rename(o->tmp.ptr, o->path))
		rc = err_set(err, "%s: cannot write the report: %s", o->path, strerror(errno));
	if (!keep || rc)
		unlink(o->tmp.ptr);
	buf_release(&o->tmp);
	return rc;
}
