/*
 * fsio: writing a rewritten file without ever losing the original.
 *
 * As git's lockfile does: a temporary file beside the target (O_EXCL),
 * the target's mode, every write checked, fsync, then rename(2) over the
 * target and fsync of the folder. The new file keeps the owner, group and
 * mode (set-id bits included) of the old; where the owner cannot be kept,
 * or the file has other hard links (a rename would part them), nothing is
 * written. Through a symbolic link the target is replaced and the link
 * stays. The new file is swapped in (renameat2 RENAME_EXCHANGE where the
 * file system can) and the old one checked once more, so that an edit
 * made in the last moment is put back rather than lost. Temporary files
 * left by a killed run are removed when the file is next written. Before
 * the rename the target is checked
 * against what was read (identity, size, time and bytes): a file that
 * changed since it was read is left alone. Signals are held off while the
 * temporary file exists, so an interrupt never leaves one behind.
 */
#ifndef ASYNCMOD_FSIO_H
#define ASYNCMOD_FSIO_H

#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"
#include "err.h"
#include "source.h"

/* Reads the whole of `path` into `out` (cleared first; NUL-terminated)
 * and its identity into `st`. Only a regular file of at most `max` bytes
 * is read: a FIFO, a device or a folder is refused at once, without
 * waiting for a writer. Returns 0, or -1 with `err` naming the file. */
int fsio_read_regular(struct buf *out, struct stat *st, const char *path, size_t max,
		      struct err *err);

/* Replaces the file `orig` was read from with `data` (the full bytes,
 * BOM included). Returns 0, or -1 with `err` set and the file untouched. */
int fsio_write_atomic(const struct source *orig, const char *data, size_t len, struct err *err);

/* True when the file at `orig->path` still holds what `orig` read. */
int fsio_unchanged(const struct source *orig);

/* Writes `data` as the whole of `path` (made or replaced) through a
 * temporary file beside it and rename(2), signals held off meanwhile: a
 * reader sees the old bytes or the new, never a mix. No fsync: for data
 * that can be made again (the cache), whose reader checks it whole; the
 * file is readable by its owner only.
 * Returns 0, or -1 with `err` set and no file left behind. */
int fsio_write_scratch(const char *path, const char *data, size_t len, struct err *err);

#endif
