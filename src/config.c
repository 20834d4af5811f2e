/*
 * config: reading and finding pyproject.toml settings.
 *
 * Patterns (exclude, per-file-ignores) are globs relative to the folder of
 * the pyproject.toml: one without a slash matches any single path
 * component (`build`, `*_pb2.py`), one with a slash matches the relative
 * path, `*` crossing slashes as ruff's globs do for `**`.
 */
#include "config.h"
#include "pytest_config.h"
#include "fsio.h"
#include "rule.h"
#include "suggest.h"
#include "toml.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const TOOL[] = { "tool", "asyncmod" };
static const char *const REQUIRES[] = { "project", "requires-python" };

int config_requires_minor(const char *spec)
{
	const char *p = spec;

	/* the first clause that sets a lower bound: >=, ~=, ==, > */
	while ((p = strstr(p, "3."))) {
		const char *op = p;
		int minor = atoi(p + 2);

		while (op > spec && (op[-1] == ' '))
			op--;
		if (op - spec >= 2 && (!strncmp(op - 2, ">=", 2) || !strncmp(op - 2, "~=", 2) ||
				       !strncmp(op - 2, "==", 2)))
			return minor;
		if (op - spec >= 1 && op[-1] == '>')
			return minor + 1;
		p += 2;
	}
	return 0;
}

/* A PEP 440 version specifier set: clauses "OP VERSION" separated by
 * commas, VERSION starting with a digit ("===" takes any text). */
static bool requires_ok(const char *spec)
{
	const char *p = spec + strspn(spec, " \t");

	if (!*p)
		return true;	/* no constraint */
	for (;;) {
		size_t op = strspn(p, "~=!<>"), n;

		if (!op || (op == 1 && (*p == '=' || *p == '~' || *p == '!')) || op > 3 ||
		    (op == 3 && strncmp(p, "===", 3)) ||
		    (op == 2 && strncmp(p, "~=", 2) && strncmp(p, "==", 2) &&
		     strncmp(p, "!=", 2) && strncmp(p, "<=", 2) && strncmp(p, ">=", 2)))
			return false;
		p += op;
		p += strspn(p, " \t");
		n = strcspn(p, ", \t");
		if (!n || (op != 3 && (*p < '0' || *p > '9')) ||
		    (op != 3 && strspn(p, "0123456789.*abcdefghijklmnopqrstuvwxyz+!_-") < n))
			return false;
		p += n;
		p += strspn(p, " \t");
		if (!*p)
			return true;
		if (*p++ != ',')
			return false;
		p += strspn(p, " \t");
	}
}

static int type_error(const char *path, const struct toml_entry *e, const char *key,
		      const char *want, struct err *err)
{
	if (e->value.type == TOML_ARRAY && !strcmp(want, "an array of strings") &&
	    !strcmp(key, "exclude"))
		return err_set(err, "%s:%u: 'exclude' must be an array of strings: every item must "
			       "be a string", path, e->line);
	if (e->value.type == TOML_ARRAY && !strcmp(want, "an array of strings"))
		return err_set(err, "%s:%u: '%s' must be an array of rule codes: every item must be "
			       "a non-empty string without commas or spaces", path, e->line, key);
	return err_set(err, "%s:%u: '%s' must be %s, not %s", path, e->line, key, want,
		       toml_type_name(e->value.type));
}

/* Joins an array of rule selectors with commas; -1 when an item is not a
 * string, or is empty or holds a comma or a space. */
static int join_strings(char **out, const struct toml_value *v)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < v->items.len; i++) {
		const struct toml_value *it = vec_at(&v->items, i);

		if (it->type != TOML_STRING || !it->str[0] || strlen(it->str) != it->len ||
		    strpbrk(it->str, ", \t\n")) {
			buf_release(&b);
			return -1;
		}
		if (i)
			buf_putc(&b, ',');
		buf_puts(&b, it->str);
	}
	*out = buf_detach(&b);
	return 0;
}

/* The keys of [tool.asyncmod], for "did you mean". */
static const char *const tool_keys[] = {
	"select", "extend-select", "ignore", "extend-ignore", "fixable", "extend-fixable",
	"unfixable", "unsafe-fixes", "target-version", "timeout", "http-client", "exclude",
	"per-file-ignores", "extend-per-file-ignores", NULL,
};

static int unknown_key(const struct config *c, const struct toml_entry *e, const char *key,
		       struct err *err)
{
	const char *near = suggest_nearest(key, tool_keys, 0, 0);

	if (!near && strchr(key, '_')) {
		/* `extend_select`: TOML keys here are written with dashes */
		char dashed[64];

		snprintf(dashed, sizeof(dashed), "%s", key);
		for (char *p = dashed; *p; p++)
			if (*p == '_')
				*p = '-';
		near = suggest_nearest(dashed, tool_keys, 0, 0);
		if (!near)
			for (size_t i = 0; tool_keys[i] && !near; i++)
				if (!strcmp(tool_keys[i], dashed))
					near = tool_keys[i];
	}
	if (near)
		return err_set(err, "%s:%u: unknown key '%s' in [tool.asyncmod] (did you mean "
			       "'%s'?)", c->path, e->line, key, near);
	return err_set(err, "%s:%u: unknown key '%s' in [tool.asyncmod]", c->path, e->line, key);
}

/* The field of a rule selector list key, or NULL for other keys. */
static char **selector_list(struct config *c, const char *key)
{
	if (!strcmp(key, "select"))
		return &c->select;
	if (!strcmp(key, "ignore"))
		return &c->ignore;
	if (!strcmp(key, "extend-select"))
		return &c->extend_select;
	if (!strcmp(key, "extend-ignore"))
		return &c->extend_ignore;
	if (!strcmp(key, "fixable"))
		return &c->fixable;
	if (!strcmp(key, "extend-fixable"))
		return &c->extend_fixable;
	if (!strcmp(key, "unfixable"))
		return &c->unfixable;
	return NULL;
}

static unsigned *selector_line(struct config *c, const char *key)
{
	char **slot = selector_list(c, key);

	if (slot == &c->select)
		return &c->select_line;
	if (slot == &c->ignore)
		return &c->ignore_line;
	if (slot == &c->extend_select)
		return &c->extend_select_line;
	if (slot == &c->extend_ignore)
		return &c->extend_ignore_line;
	if (slot == &c->fixable)
		return &c->fixable_line;
	if (slot == &c->extend_fixable)
		return &c->extend_fixable_line;
	return &c->unfixable_line;
}

static int read_tool_key(struct config *c, const struct toml_entry *e, struct err *err)
{
	const char *key = e->path[2];
	const struct toml_value *v = &e->value;
	char *s;

	if (!strcmp(key, "per-file-ignores") || !strcmp(key, "extend-per-file-ignores")) {
		struct config_ignore *pi;

		if (e->depth == 3)
			return v->type == TOML_TABLE ? 0 : type_error(c->path, e, key, "a table", err);
		if (e->depth != 4)
			return err_set(err, "%s:%u: unknown key '%s' in [tool.asyncmod]", c->path,
				       e->line, key);
		if (v->type != TOML_ARRAY || join_strings(&s, v) < 0)
			return type_error(c->path, e, key, "an array of strings", err);
		pi = vec_push(&c->per_file);
		pi->glob = xstrdup(e->path[3]);
		pi->codes = s;
		pi->line = e->line;
		return 0;
	}
	if (e->depth != 3)
		return unknown_key(c, e, key, err);
	if (selector_list(c, key)) {
		char **slot = selector_list(c, key);

		if (v->type != TOML_ARRAY || join_strings(&s, v) < 0)
			return type_error(c->path, e, key, "an array of strings", err);
		free(*slot);
		*slot = s;
		*selector_line(c, key) = e->line;
	} else if (!strcmp(key, "unsafe-fixes")) {
		if (v->type != TOML_BOOLEAN)
			return type_error(c->path, e, key, "a boolean", err);
		c->unsafe_fixes = v->boolean;
	} else if (!strcmp(key, "target-version")) {
		char *end;
		long minor;

		if (v->type != TOML_STRING)
			return type_error(c->path, e, key, "a string", err);
		minor = strncmp(v->str, "py3", 3) ? 0 : strtol(v->str + 3, &end, 10);
		if (!minor || *end || minor < PY_MIN_MINOR || minor > PY_MAX_MINOR)
			return err_set(err, "%s:%u: invalid target-version '%s' (expected py39 ... py314)",
				       c->path, e->line, v->str);
		c->target_minor = (int)minor;
	} else if (!strcmp(key, "timeout")) {
		if (v->type != TOML_INTEGER && v->type != TOML_FLOAT)
			return type_error(c->path, e, key, "a number", err);
		if (!config_timeout_ok(v->number))
			return err_set(err, "%s:%u: invalid timeout (expected seconds > 0, at most %.0f)",
				       c->path, e->line, CONFIG_TIMEOUT_MAX);
		c->timeout = v->number;
	} else if (!strcmp(key, "http-client")) {
		if (v->type != TOML_STRING)
			return type_error(c->path, e, key, "a string", err);
		if (strcmp(v->str, "httpx") && strcmp(v->str, "aiohttp"))
			return err_set(err, "%s:%u: invalid http-client '%s' (expected httpx or aiohttp)",
				       c->path, e->line, v->str);
		free(c->http_client);
		c->http_client = xstrdup(v->str);
	} else if (!strcmp(key, "cache-dir")) {
		if (v->type != TOML_STRING)
			return type_error(c->path, e, key, "a string", err);
		if (!v->str[0] || strlen(v->str) != v->len)
			return err_set(err, "%s:%u: invalid cache-dir (expected a folder name)",
				       c->path, e->line);
		free(c->cache_dir);
		c->cache_dir = xstrdup(v->str);
	} else if (!strcmp(key, "exclude")) {
		if (v->type != TOML_ARRAY)
			return type_error(c->path, e, key, "an array of strings", err);
		for (size_t i = 0; i < v->items.len; i++) {
			const struct toml_value *it = vec_at(&v->items, i);

			if (it->type != TOML_STRING)
				return type_error(c->path, e, key, "an array of strings", err);
			*(char **)vec_push(&c->exclude) = xstrdup(it->str);
		}
	} else {
		return unknown_key(c, e, key, err);
	}
	return 0;
}

bool config_timeout_ok(double seconds)
{
	return seconds > 0 && seconds <= CONFIG_TIMEOUT_MAX;	/* false for NaN */
}

static char *read_file(const char *path, size_t *len, struct err *err)
{
	struct buf b = BUF_INIT;
	struct stat st;

	if (fsio_read_regular(&b, &st, path, CONFIG_MAX_BYTES, err) < 0) {
		buf_release(&b);
		return NULL;
	}
	*len = b.len;
	return buf_detach(&b);
}

int config_load(struct config **out, const char *path, bool required, struct err *err)
{
	struct config *c = xcalloc(1, sizeof(*c));
	struct vec exclude = VEC_INIT(char *), per_file = VEC_INIT(struct config_ignore);
	struct toml_doc doc;
	bool relevant = false;
	size_t len;
	char *text, *slash;
	int error = 0;

	*out = NULL;
	c->path = xstrdup(path);
	c->dir = xstrdup(path);
	slash = strrchr(c->dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(c->dir, ".");
	c->unsafe_fixes = -1;
	c->exclude = exclude;
	c->per_file = per_file;
	if (!(text = read_file(path, &len, err))) {
		config_free(c);
		return -1;
	}
	if (toml_parse(&doc, path, text, len, err) < 0) {
		free(text);
		config_free(c);
		return -1;
	}
	free(text);
	for (size_t i = 0; i < doc.entries.len && !error; i++) {
		const struct toml_entry *e = vec_at(&doc.entries, i);

		if (toml_path_is(e, REQUIRES, 2)) {
			if (e->value.type != TOML_STRING)
				error = type_error(path, e, "requires-python", "a string", err);
			else if (!requires_ok(e->value.str) || strlen(e->value.str) != e->value.len)
				error = err_set(err, "%s:%u: invalid requires-python '%s' (expected "
						"version specifiers such as \">=3.9\")", path, e->line,
						e->value.str);
			else
				c->requires_minor = config_requires_minor(e->value.str);
			relevant = true;
		} else if (toml_path_under(e, TOOL, 2)) {
			relevant = true;
			if (e->depth == 2) {
				if (e->value.type != TOML_TABLE)
					error = type_error(path, e, "tool.asyncmod", "a table", err);
			} else {
				error = read_tool_key(c, e, err);
			}
		}
	}
	toml_doc_release(&doc);
	if (error < 0 || (!relevant && !required)) {
		config_free(c);
		return error;
	}
	*out = c;
	return 0;
}

void config_free(struct config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->exclude.len; i++)
		free(*(char **)vec_at(&c->exclude, i));
	for (size_t i = 0; i < c->per_file.len; i++) {
		struct config_ignore *pi = vec_at(&c->per_file, i);

		free(pi->glob);
		free(pi->codes);
	}
	vec_release(&c->exclude);
	vec_release(&c->per_file);
	free(c->path);
	free(c->dir);
	free(c->select);
	free(c->ignore);
	free(c->extend_select);
	free(c->extend_ignore);
	free(c->fixable);
	free(c->extend_fixable);
	free(c->unfixable);
	free(c->http_client);
	free(c->cache_dir);
	free(c);
}

/* The path of `file` relative to the config's folder, or NULL when the
 * file is not below it. */
static char *relative(const struct config *c, const char *file)
{
	char dir[PATH_MAX], real[PATH_MAX], parent[PATH_MAX];
	const char *base, *slash = strrchr(file, '/');
	size_t n;

	if (!realpath(c->dir, dir))
		return NULL;
	if (slash) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(slash - file), file);
		base = slash + 1;
	} else {
		snprintf(parent, sizeof(parent), ".");
		base = file;
	}
	if (!realpath(parent, real))
		return NULL;
	n = strlen(dir);
	if (strncmp(real, dir, n) || (real[n] && real[n] != '/'))
		return NULL;
	{
		struct buf b = BUF_INIT;

		if (real[n])
			buf_printf(&b, "%s/", real + n + 1);
		buf_puts(&b, base);
		return buf_detach(&b);
	}
}

static bool glob_matches(const char *glob, const char *rel)
{
	if (strchr(glob, '/')) {
		const char *g = glob[0] == '/' ? glob + 1 : glob;

		return !fnmatch(g, rel, 0) ||
		       /* a folder pattern covers what is below it */
		       (!strchr(g, '*') && !strncmp(rel, g, strlen(g)) && rel[strlen(g)] == '/');
	}
	for (const char *p = rel; p; p = strchr(p, '/')) {
		char part[PATH_MAX];
		const char *end;

		if (*p == '/')
			p++;
		end = strchr(p, '/');
		snprintf(part, sizeof(part), "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
		if (!fnmatch(glob, part, 0))
			return true;
	}
	return false;
}

bool config_excludes(const struct config *c, const char *file)
{
	char *rel;
	bool hit = false;

	if (!c || !c->exclude.len || !(rel = relative(c, file)))
		return false;
	for (size_t i = 0; i < c->exclude.len && !hit; i++)
		hit = glob_matches(*(char **)vec_at(&c->exclude, i), rel);
	free(rel);
	return hit;
}

void config_file_ignores(const struct config *c, const char *file, struct buf *codes)
{
	char *rel;

	if (!c || !c->per_file.len || !(rel = relative(c, file)))
		return;
	for (size_t i = 0; i < c->per_file.len; i++) {
		const struct config_ignore *pi = vec_at(&c->per_file, i);

		if (!glob_matches(pi->glob, rel))
			continue;
		if (codes->len)
			buf_putc(codes, ',');
		buf_puts(codes, pi->codes);
	}
	free(rel);
}

/* Discovery: one entry per folder looked at, holding the config that
 * applies there (or none). */
struct dir_entry {
	char *dir;			/* real path */
	const struct config *config;	/* borrowed from `loaded` */
};

struct config_set {
	struct config *explicit;
	bool isolated;
	struct vec dirs;	/* struct dir_entry */
	struct vec loaded;	/* struct config * */
	struct pytest_set *pytest;	/* pytest's own configuration files, by folder */
	/* the folder written before the last file's name and what
	 * config_file_folder() made of it: a folder's files come one after
	 * another */
	char *last_parent;
	char last_real[PATH_MAX];
	bool last_found;
};

int config_set_new(struct config_set **out, const char *explicit, bool isolated, struct err *err)
{
	struct config_set *set = xcalloc(1, sizeof(*set));
	struct vec dirs = VEC_INIT(struct dir_entry), loaded = VEC_INIT(struct config *);

	set->dirs = dirs;
	set->loaded = loaded;
	set->isolated = isolated;
	set->pytest = pytest_set_new();
	if (explicit && config_load(&set->explicit, explicit, true, err) < 0) {
		pytest_set_free(set->pytest);
		free(set);
		return -1;
	}
	*out = set;
	return 0;
}

void config_set_free(struct config_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->dirs.len; i++)
		free(((struct dir_entry *)vec_at(&set->dirs, i))->dir);
	for (size_t i = 0; i < set->loaded.len; i++)
		config_free(*(struct config **)vec_at(&set->loaded, i));
	vec_release(&set->dirs);
	vec_release(&set->loaded);
	config_free(set->explicit);
	pytest_set_free(set->pytest);
	free(set->last_parent);
	free(set);
}

/* `path` relative to the working folder when it lies below it, for messages. */
static void display_path(struct buf *out, const char *path)
{
	char cwd[PATH_MAX];
	size_t n;

	if (getcwd(cwd, sizeof(cwd)) && (n = strlen(cwd)) > 1 && !strncmp(path, cwd, n) &&
	    path[n] == '/') {
		buf_puts(out, path + n + 1);
		return;
	}
	buf_puts(out, path);
}

/* The config for folder `dir` (a real path), looking upwards. */
static int config_for_dir(const struct config **out, struct config_set *set, const char *dir,
			  struct err *err)
{
	struct buf path = BUF_INIT;
	struct config *c = NULL;
	struct dir_entry *d;
	struct stat st;

	for (size_t i = 0; i < set->dirs.len; i++) {
		d = vec_at(&set->dirs, i);
		if (!strcmp(d->dir, dir)) {
			*out = d->config;
			return 0;
		}
	}
	buf_printf(&path, "%s/pyproject.toml", strcmp(dir, "/") ? dir : "");
	if (!stat(path.ptr, &st) && S_ISREG(st.st_mode)) {
		struct buf shown = BUF_INIT;

		display_path(&shown, path.ptr);
		buf_clear(&path);
		buf_add(&path, shown.ptr, shown.len);
		buf_release(&shown);
		if (config_load(&c, path.ptr, false, err) < 0) {
			buf_release(&path);
			return -1;
		}
	}
	buf_release(&path);
	if (c) {
		*(struct config **)vec_push(&set->loaded) = c;
		*out = c;
	} else if (strcmp(dir, "/")) {
		char *parent = xstrdup(dir), *slash = strrchr(parent, '/');

		if (slash == parent)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (config_for_dir(out, set, parent, err) < 0) {
			free(parent);
			return -1;
		}
		free(parent);
	} else {
		*out = NULL;
	}
	d = vec_push(&set->dirs);
	d->dir = xstrdup(dir);
	d->config = *out;
	return 0;
}

/* config_file_folder(), remembering the last folder of `set`. */
static bool file_folder(struct config_set *set, const char *file, char real[PATH_MAX])
{
	const char *slash = strrchr(file, '/');
	size_t n = slash ? (size_t)(slash - file) : 0;

	if (set->last_parent && strlen(set->last_parent) == n &&
	    !memcmp(set->last_parent, file, n)) {
		memcpy(real, set->last_real, PATH_MAX);
		return set->last_found;
	}
	free(set->last_parent);
	set->last_parent = xstrndup(file, n);
	set->last_found = config_file_folder(file, real);
	memcpy(set->last_real, real, PATH_MAX);
	return set->last_found;
}

bool config_file_folder(const char *file, char real[PATH_MAX])
{
	char parent[PATH_MAX];
	const char *slash = strrchr(file, '/');

	snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - file) : 1,
		 slash ? file : ".");
	if (!parent[0])
		strcpy(parent, "/");
	/* a file that does not exist yet (an editor's unsaved buffer, a
	 * --stdin-filename) may name folders that do not either: the
	 * nearest one that does holds its configuration */
	while (!realpath(parent, real)) {
		char *up = strrchr(parent, '/');

		if (!strcmp(parent, ".") || !strcmp(parent, "/"))
			return false;
		if (!up)
			strcpy(parent, ".");
		else if (up == parent)
			parent[1] = '\0';
		else
			*up = '\0';
	}
	return true;
}

int config_for(const struct config **out, struct config_set *set, const char *file,
	       struct err *err)
{
	char real[PATH_MAX];

	*out = NULL;
	if (set->explicit) {
		*out = set->explicit;
		return 0;
	}
	if (set->isolated)
		return 0;
	if (!file_folder(set, file, real))
		return 0;	/* not even the top can be found */
	return config_for_dir(out, set, real, err);
}

int config_each(struct config_set *set, int (*fn)(const struct config *, void *, struct err *),
		void *arg, struct err *err)
{
	if (set->explicit && fn(set->explicit, arg, err) < 0)
		return -1;
	for (size_t i = 0; i < set->loaded.len; i++)
		if (fn(*(struct config **)vec_at(&set->loaded, i), arg, err) < 0)
			return -1;
	return 0;
}

const struct pytest_config *config_pytest_for(struct config_set *set, const char *file)
{
	char real[PATH_MAX];

	/* a file that does not exist yet takes its nearest existing folder */
	return pytest_config_for_folder(set->pytest, file_folder(set, file, real) ? real : NULL);
}
