/*
 * pytest_config: which pytest configuration file applies to a Python file,
 * and the pytest-asyncio mode it sets.
 *
 * pytest takes the first file, from the folder up to the root, of
 * pytest.ini (always, even empty), .pytest.ini, pyproject.toml (with a
 * [tool.pytest.ini_options] or [tool.pytest] table), tox.ini (with a
 * [pytest] section) or setup.cfg (with a [tool:pytest] section), checked
 * in that order in each folder; a file without its section is passed
 * over. `asyncio_mode` there (or `--asyncio-mode` in its `addopts`) is
 * the mode; pytest-trio's `trio_mode = true` means the async tests are
 * trio's. A file that pytest would refuse (broken TOML or INI, unreadable,
 * over CONFIG_MAX_BYTES, a setup.cfg with a plain [pytest] section) makes
 * the mode unknown: the rules that depend on it say nothing about the
 * files under it, since pytest itself would stop there. It is not an error
 * of asyncmod's: the file is pytest's (a broken pyproject.toml usually is
 * one already, since asyncmod's own configuration reader reads it too). Lookups are cached per folder: a configuration file is read once
 * per run.
 */
#ifndef ASYNCMOD_PYTEST_CONFIG_H
#define ASYNCMOD_PYTEST_CONFIG_H

#include <stdbool.h>

enum pytest_mode {
	PYTEST_MODE_UNSET,	/* no asyncio_mode: pytest-asyncio's default, strict */
	PYTEST_MODE_STRICT,
	PYTEST_MODE_AUTO,
	PYTEST_MODE_UNKNOWN,	/* broken configuration, or a mode it does not know */
};

struct pytest_config {
	enum pytest_mode mode;
	bool trio_mode;		/* pytest-trio runs the async tests */
	/* a conftest.py between the folder and the configuration's folder
	 * runs or marks coroutine tests itself (a pytest_pyfunc_call hook,
	 * or add_marker with asyncio): who runs them is not known */
	bool conftest_hooks;
	char *path;		/* the configuration file as found, or NULL when none; owned */
};

struct pytest_set;

struct pytest_set *pytest_set_new(void);
void pytest_set_free(struct pytest_set *set);

/* The configuration that applies to `file` (which need not exist: its
 * nearest existing folder is used). Never NULL; owned by the set. */
const struct pytest_config *pytest_config_for(struct pytest_set *set, const char *file);
/* The same for a file in the folder `real` (a real path, as
 * config_file_folder() gives it; NULL: no folder of the file exists). */
const struct pytest_config *pytest_config_for_folder(struct pytest_set *set, const char *real);

/* Reads one candidate file. Returns 1 when it is pytest's configuration
 * (filling `out`, whose path the caller sets), 0 when pytest would pass it
 * over. A broken file is pytest's configuration with the mode unknown. */
int pytest_config_read(struct pytest_config *out, const char *path, const char *base);

#endif
