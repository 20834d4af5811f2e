/*
 * config: settings from pyproject.toml.
 *
 * `[tool.asyncmod]` takes select, extend-select, ignore, extend-ignore,
 * fixable, extend-fixable, unfixable, unsafe-fixes, target-version,
 * timeout, http-client, exclude, per-file-ignores and
 * extend-per-file-ignores, with ruff's meanings (see select.h), and
 * cache-dir; `[project]
 * requires-python` gives the target version when none is set. For each
 * file the nearest pyproject.toml above it that has either is used, as
 * ruff finds its configuration (or the one file --config names). Unknown
 * keys, values of the wrong type and broken TOML are errors naming the
 * file and line.
 */
#ifndef ASYNCMOD_CONFIG_H
#define ASYNCMOD_CONFIG_H

#include <limits.h>
#include <stdbool.h>

#include "buf.h"
#include "err.h"
#include "vec.h"

/* The longest time limit accepted for new timeouts, in seconds. */
#define CONFIG_TIMEOUT_MAX 1e9

/* A pyproject.toml larger than this is refused. */
#define CONFIG_MAX_BYTES (1024u * 1024u)

struct config_ignore {
	char *glob;	/* owned */
	char *codes;	/* comma-separated, owned */
	unsigned line;
};

struct config {
	char *path;		/* the pyproject.toml, owned */
	char *dir;		/* its folder: patterns are relative to it, owned */
	char *select;		/* comma-separated, or NULL when unset; owned */
	unsigned select_line;
	char *ignore;
	unsigned ignore_line;
	/* extend-select, extend-ignore, fixable, extend-fixable, unfixable:
	 * comma-separated or NULL when unset, owned; the line of each */
	char *extend_select, *extend_ignore, *fixable, *extend_fixable, *unfixable;
	unsigned extend_select_line, extend_ignore_line, fixable_line, extend_fixable_line,
		 unfixable_line;
	int unsafe_fixes;	/* -1 unset, else 0 or 1 */
	int target_minor;	/* 0 unset */
	int requires_minor;	/* lower bound of requires-python, 0 unknown */
	double timeout;		/* 0 unset */
	char *http_client;	/* "httpx", "aiohttp", or NULL; owned */
	struct vec exclude;	/* char *, owned */
	struct vec per_file;	/* struct config_ignore */
	char *cache_dir;	/* cache-dir: relative to `dir` unless absolute; owned */
};

/* Reads one pyproject.toml. `*out` is NULL (and 0 returned) when the file
 * has neither [tool.asyncmod] nor requires-python and `required` is false.
 * Free with config_free(). */
int config_load(struct config **out, const char *path, bool required, struct err *err);
void config_free(struct config *c);

/* Parses a requires-python specifier's lower bound (">=3.10" -> 10). */
int config_requires_minor(const char *spec);

struct config_set;

/* Finds configurations for files: the one at `explicit` (if not NULL) for
 * every file; none at all when `isolated`; else the nearest pyproject.toml
 * with settings above each file. Free with config_set_free(). */
int config_set_new(struct config_set **out, const char *explicit, bool isolated,
		   struct err *err);
void config_set_free(struct config_set *set);

/* The configuration for `file` (NULL when there is none). */
int config_for(const struct config **out, struct config_set *set, const char *file,
	       struct err *err);

/* The folder that holds `file`, resolved by realpath(3) into `real`
 * (PATH_MAX bytes): the nearest existing one when the file, or folders
 * above it, do not exist yet. False when not even the top exists. */
bool config_file_folder(const char *file, char real[PATH_MAX]);

/* Every configuration loaded so far, for validation: calls `fn` on each. */
int config_each(struct config_set *set, int (*fn)(const struct config *, void *, struct err *),
		void *arg, struct err *err);

/* pytest's configuration for `file` (pytest_config.h), whatever
 * asyncmod's own configuration is: it says how the project's tests run. */
struct pytest_config;
const struct pytest_config *config_pytest_for(struct config_set *set, const char *file);

/* True when `file` matches one of the config's exclude patterns. */
bool config_excludes(const struct config *c, const char *file);

/* Appends to `codes` (comma-separated) the per-file-ignores matching `file`. */
void config_file_ignores(const struct config *c, const char *file, struct buf *codes);

/* True when `seconds` may be written into a new `asyncio.timeout(..)`: a
 * finite number above 0 and at most CONFIG_TIMEOUT_MAX. The command line
 * and the configuration both ask this. */
bool config_timeout_ok(double seconds);

#endif
