/*
 * pytest_config: pytest's configuration file for a folder, found the way
 * pytest's locate_config finds it (see pytest_config.h), cached per
 * folder. TOML goes through toml.c, INI files through ini.c.
 */
#include "pytest_config.h"
#include "buf.h"
#include "config.h"
#include "fsio.h"
#include "ini.h"
#include "toml.h"
#include "vec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The candidates in each folder, in pytest's order. */
static const char *const NAMES[] = { "pytest.ini", ".pytest.ini", "pyproject.toml", "tox.ini",
				     "setup.cfg", NULL };

static enum pytest_mode mode_of(const char *s, size_t n)
{
	if (n == 4 && !memcmp(s, "auto", 4))
		return PYTEST_MODE_AUTO;
	if (n == 6 && !memcmp(s, "strict", 6))
		return PYTEST_MODE_STRICT;
	return PYTEST_MODE_UNKNOWN;
}

/* pytest's boolean ini values (_strtobool), any case. */
static bool truthy(const char *s)
{
	static const char *const yes[] = { "y", "yes", "t", "true", "on", "1", NULL };

	for (size_t i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return true;
	return false;
}

/* `--asyncio-mode=M` or `--asyncio-mode M` among blank-separated options:
 * the command line's mode wins over the ini key. */
static void addopts_mode(struct pytest_config *c, const char *s, size_t n)
{
	static const char opt[] = "--asyncio-mode";
	const size_t k = sizeof(opt) - 1;
	size_t i = 0;
	bool want_value = false;

	while (i < n) {
		size_t start;

		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		start = i;
		while (i < n && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			i++;
		if (start == i)
			break;
		if (want_value) {
			c->mode = mode_of(s + start, i - start);
			want_value = false;
		} else if (i - start == k && !memcmp(s + start, opt, k)) {
			want_value = true;
		} else if (i - start > k && !memcmp(s + start, opt, k) && s[start + k] == '=') {
			c->mode = mode_of(s + start + k + 1, i - start - k - 1);
		}
	}
}

/* An INI candidate: its section, else pytest passes it over (pytest.ini
 * is taken even without one). */
static int read_ini(struct pytest_config *c, const char *path, const char *name,
		    const char *text, size_t len)
{
	const char *section = !strcmp(name, "setup.cfg") ? "tool:pytest" : "pytest";
	struct err err = ERR_INIT;
	struct ini_doc doc;
	const char *v;

	if (ini_parse(&doc, path, text, len, &err) < 0) {
		c->mode = PYTEST_MODE_UNKNOWN;
		return 1;
	}
	if (!ini_has_section(&doc, section)) {
		bool taken = !strcmp(name, "pytest.ini");

		/* pytest refuses a setup.cfg with a plain [pytest] section */
		if (!strcmp(name, "setup.cfg") && ini_has_section(&doc, "pytest")) {
			c->mode = PYTEST_MODE_UNKNOWN;
			taken = true;
		}
		ini_release(&doc);
		return taken;
	}
	if ((v = ini_get(&doc, section, "asyncio_mode")))
		c->mode = mode_of(v, strlen(v));
	if ((v = ini_get(&doc, section, "addopts")))
		addopts_mode(c, v, strlen(v));
	if ((v = ini_get(&doc, section, "trio_mode")))
		c->trio_mode = truthy(v);
	ini_release(&doc);
	return 1;
}

static void toml_settings(struct pytest_config *c, const struct toml_value *t)
{
	const struct toml_value *v;

	if ((v = toml_get(t, "asyncio_mode")))
		c->mode = v->type == TOML_STRING ? mode_of(v->str, v->len) : PYTEST_MODE_UNKNOWN;
	if ((v = toml_get(t, "addopts"))) {
		if (v->type == TOML_STRING)
			addopts_mode(c, v->str, v->len);
		for (size_t i = 0; v->type == TOML_ARRAY && i < v->items.len; i++) {
			const struct toml_value *o = vec_at(&v->items, i);

			if (o->type == TOML_STRING)
				addopts_mode(c, o->str, o->len);
		}
	}
	if ((v = toml_get(t, "trio_mode")))
		c->trio_mode = v->type == TOML_BOOLEAN ? v->boolean
			       : v->type == TOML_STRING && !memchr(v->str, '\0', v->len) &&
				 truthy(v->str);
}

/* pyproject.toml: [tool.pytest.ini_options] (or pytest 9's [tool.pytest]
 * settings), else passed over. */
static int read_toml(struct pytest_config *c, const char *path, const char *text, size_t len)
{
	const struct toml_value *pytest, *ini;
	struct err err = ERR_INIT;
	struct toml_doc doc;

	if (toml_parse(&doc, path, text, len, &err) < 0) {
		c->mode = PYTEST_MODE_UNKNOWN;
		return 1;
	}
	pytest = toml_get(toml_get(&doc.root, "tool"), "pytest");
	if (!pytest || pytest->type != TOML_TABLE) {
		toml_doc_release(&doc);
		return 0;
	}
	ini = toml_get(pytest, "ini_options");
	toml_settings(c, ini && ini->type == TOML_TABLE ? ini : pytest);
	toml_doc_release(&doc);
	return 1;
}

int pytest_config_read(struct pytest_config *out, const char *path, const char *base)
{
	struct err err = ERR_INIT;
	struct buf text = BUF_INIT;
	struct stat st;
	int found;

	out->mode = PYTEST_MODE_UNSET;
	out->trio_mode = false;
	out->conftest_hooks = false;
	if (fsio_read_regular(&text, &st, path, CONFIG_MAX_BYTES, &err) < 0) {
		buf_release(&text);
		out->mode = PYTEST_MODE_UNKNOWN;
		return 1;
	}
	if (!strcmp(base, "pyproject.toml"))
		found = read_toml(out, path, text.ptr ? text.ptr : "", text.len);
	else
		found = read_ini(out, path, base, text.ptr ? text.ptr : "", text.len);
	buf_release(&text);
	return found;
}

/* One folder looked at, and the configuration that applies there. */
struct dir_entry {
	char *dir;				/* real path, owned */
	const struct pytest_config *config;	/* borrowed from `loaded` */
};

struct pytest_set {
	struct vec dirs;	/* struct dir_entry */
	struct vec loaded;	/* struct pytest_config *, owned */
	struct pytest_config none;	/* no file found */
};

struct pytest_set *pytest_set_new(void)
{
	struct pytest_set *set = xcalloc(1, sizeof(*set));
	struct vec dirs = VEC_INIT(struct dir_entry), loaded = VEC_INIT(struct pytest_config *);

	set->dirs = dirs;
	set->loaded = loaded;
	return set;
}

void pytest_set_free(struct pytest_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->dirs.len; i++)
		free(((struct dir_entry *)vec_at(&set->dirs, i))->dir);
	for (size_t i = 0; i < set->loaded.len; i++) {
		struct pytest_config *c = *(struct pytest_config **)vec_at(&set->loaded, i);

		free(c->path);
		free(c);
	}
	vec_release(&set->dirs);
	vec_release(&set->loaded);
	free(set);
}

/* The configuration file in folder `dir` itself, or NULL. */
static const struct pytest_config *in_dir(struct pytest_set *set, const char *dir)
{
	struct buf path = BUF_INIT;
	struct stat st;

	for (size_t i = 0; NAMES[i]; i++) {
		struct pytest_config c = { PYTEST_MODE_UNSET, false, false, NULL }, *kept;

		buf_clear(&path);
		buf_printf(&path, "%s/%s", strcmp(dir, "/") ? dir : "", NAMES[i]);
		if (stat(path.ptr, &st) || !S_ISREG(st.st_mode))
			continue;
		if (!pytest_config_read(&c, path.ptr, NAMES[i]))
			continue;
		kept = xcalloc(1, sizeof(*kept));
		*kept = c;
		kept->path = buf_detach(&path);
		*(struct pytest_config **)vec_push(&set->loaded) = kept;
		return kept;
	}
	buf_release(&path);
	return NULL;
}

/* True when the folder's conftest.py runs coroutine tests itself (a
 * pytest_pyfunc_call hook) or marks them (add_marker and asyncio). */
static bool conftest_hooks(const char *dir)
{
	struct err err = ERR_INIT;
	struct buf path = BUF_INIT, text = BUF_INIT;
	struct stat st;
	bool yes = false;

	buf_printf(&path, "%s/conftest.py", strcmp(dir, "/") ? dir : "");
	if (!stat(path.ptr, &st) && S_ISREG(st.st_mode) &&
	    !fsio_read_regular(&text, &st, path.ptr, CONFIG_MAX_BYTES, &err) && text.len)
		yes = memmem(text.ptr, text.len, "pytest_pyfunc_call", 18) ||
		      (memmem(text.ptr, text.len, "add_marker", 10) &&
		       memmem(text.ptr, text.len, "asyncio", 7));
	buf_release(&path);
	buf_release(&text);
	return yes;
}

/* A copy of `c` with conftest_hooks set, kept by the set. */
static const struct pytest_config *hooked(struct pytest_set *set, const struct pytest_config *c)
{
	struct pytest_config *k = xcalloc(1, sizeof(*k));

	*k = *c;
	k->path = c->path ? xstrdup(c->path) : NULL;
	k->conftest_hooks = true;
	*(struct pytest_config **)vec_push(&set->loaded) = k;
	return k;
}

/* The configuration for folder `dir` (a real path), looking upwards; each
 * folder passed is remembered. */
static const struct pytest_config *for_dir(struct pytest_set *set, const char *dir)
{
	const struct pytest_config *c;
	struct dir_entry *d;
	bool hooks;

	for (size_t i = 0; i < set->dirs.len; i++) {
		d = vec_at(&set->dirs, i);
		if (!strcmp(d->dir, dir))
			return d->config;
	}
	hooks = conftest_hooks(dir);
	c = in_dir(set, dir);
	if (c) {
		/* conftests above the configuration's folder are not pytest's */
		if (hooks)
			((struct pytest_config *)c)->conftest_hooks = true;
	} else if (strcmp(dir, "/")) {
		char *parent = xstrdup(dir), *slash = strrchr(parent, '/');

		if (!slash || slash == parent)
			strcpy(parent, "/");
		else
			*slash = '\0';
		c = for_dir(set, parent);
		free(parent);
	}
	if (!c)
		c = &set->none;
	if (hooks && !c->conftest_hooks)
		c = hooked(set, c);
	d = vec_push(&set->dirs);
	d->dir = xstrdup(dir);
	d->config = c;
	return c;
}

const struct pytest_config *pytest_config_for(struct pytest_set *set, const char *file)
{
	char real[PATH_MAX];

	/* a file that does not exist yet takes its nearest existing folder */
	return pytest_config_for_folder(set, config_file_folder(file, real) ? real : NULL);
}

const struct pytest_config *pytest_config_for_folder(struct pytest_set *set, const char *real)
{
	return real ? for_dir(set, real) : &set->none;
}
