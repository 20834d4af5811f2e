/*
 * walk: collecting the Python files under the given paths.
 */
#include "walk.h"
#include "buf.h"
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Repositories opened so far, so that each is opened once per walk. */
struct repos {
	struct vec list;	/* git_repository * */
	/* the folder repo_for() was last asked about, its real path and its
	 * repository (NULL: none): a folder's files ask one after another */
	char *last_dir;
	char last_real[PATH_MAX];
	git_repository *last_repo;
};

static void add_error(struct vec *errors, const char *fmt, const char *path)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, fmt, path, strerror(errno));
	*(char **)vec_push(errors) = buf_detach(&b);
}

int walk_is_python_name(const char *name)
{
	size_t n = strlen(name);

	return (n > 3 && !strcmp(name + n - 3, ".py")) || (n > 4 && !strcmp(name + n - 4, ".pyi"));
}

int walk_path_skipped(const char *path)
{
	struct buf dir = BUF_INIT;
	int skipped = 0;

	for (const char *p = path, *slash; !skipped && (slash = strchr(p, '/')); p = slash + 1) {
		size_t n = (size_t)(slash - p);

		buf_add(&dir, p == path ? p : p - 1, p == path ? n : n + 1);
		if ((n && p[0] == '.' && !(n == 1 || (n == 2 && p[1] == '.'))) ||
		    (n == 11 && !strncmp(p, "__pycache__", 11))) {
			skipped = 1;
		} else {
			struct buf cfg = BUF_INIT;

			buf_printf(&cfg, "%s/pyvenv.cfg", dir.ptr);
			skipped = access(cfg.ptr, F_OK) == 0;
			buf_release(&cfg);
		}
	}
	buf_release(&dir);
	return skipped;
}

int walk_is_python_file(const char *path)
{
	const char *base = strrchr(path, '/');
	char head[256];
	ssize_t n;
	int fd;

	base = base ? base + 1 : path;
	if (walk_is_python_name(base))
		return 1;
	if (strchr(base, '.') || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	close(fd);
	return n > 0 && source_has_python_shebang(head, (size_t)n);
}

/* repo_for() without the memory of the last folder. */
static git_repository *repo_lookup(struct repos *repos, const char *dir, char real[PATH_MAX])
{
	git_repository *repo = NULL;

	real[0] = '\0';
	if (!realpath(dir, real)) {
		real[0] = '\0';
		return NULL;
	}
	for (size_t i = 0; i < repos->list.len; i++) {
		git_repository *r = *(git_repository **)vec_at(&repos->list, i);
		const char *wd = git_repository_workdir(r);
		size_t n = wd ? strlen(wd) : 0;

		if (wd && (!strncmp(real, wd, n) || (strlen(real) + 1 == n && !strncmp(real, wd, n - 1))))
			return r;
	}
	if (git_repository_open_ext(&repo, real, 0, NULL) < 0 || git_repository_is_bare(repo)) {
		git_repository_free(repo);
		return NULL;
	}
	*(git_repository **)vec_push(&repos->list) = repo;
	return repo;
}

/* The repository whose work tree holds `dir`, or NULL; `real` gets the
 * folder's real path (empty when it has none). */
static git_repository *repo_for(struct repos *repos, const char *dir, char real[PATH_MAX])
{
	if (repos->last_dir && !strcmp(repos->last_dir, dir)) {
		memcpy(real, repos->last_real, PATH_MAX);
		return repos->last_repo;
	}
	free(repos->last_dir);
	repos->last_dir = xstrdup(dir);
	repos->last_repo = repo_lookup(repos, dir, real);
	memcpy(repos->last_real, real, PATH_MAX);
	return repos->last_repo;
}

/* True when git ignores `path`. `entry`, for a file, says it is a name
 * in its folder that is no symbolic link (lstat(2) said so): its real
 * path is then the folder's and its name. */
static int is_ignored(struct repos *repos, const char *path, int is_dir, const char *entry)
{
	char real[PATH_MAX], dir[PATH_MAX], real_dir[PATH_MAX];
	git_repository *repo;
	const char *wd, *slash = strrchr(path, '/');
	int ignored = 0;
	struct buf rel = BUF_INIT;

	snprintf(dir, sizeof(dir), "%s", path);
	if (entry) {
		if (slash)
			dir[slash - path] = '\0';
		else
			snprintf(dir, sizeof(dir), ".");
	} else if (!is_dir) {
		char *s = strrchr(dir, '/');

		if (s)
			*s = '\0';
		else
			snprintf(dir, sizeof(dir), ".");
	}
	repo = repo_for(repos, dir, real_dir);
	if (!repo)
		return 0;
	if (entry) {
		if ((size_t)snprintf(real, sizeof(real), "%s%s%s", real_dir,
				     strcmp(real_dir, "/") ? "/" : "", entry) >= sizeof(real))
			return 0;
	} else if (!realpath(path, real)) {
		return 0;
	}
	wd = git_repository_workdir(repo);
	if (strncmp(real, wd, strlen(wd)))
		return 0;
	buf_puts(&rel, real + strlen(wd));
	if (is_dir)
		buf_putc(&rel, '/');
	if (rel.len > 1 && git_ignore_path_is_ignored(&ignored, repo, buf_cstr(&rel)) < 0)
		ignored = 0;
	buf_release(&rel);
	return ignored;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* `repos` is NULL when ignore rules do not apply: the user named a folder
 * that git ignores as a whole, so they want it. */
static void walk_dir(struct vec *files, struct vec *errors, struct repos *repos, const char *dir)
{
	DIR *d = opendir(dir);
	struct vec names = VEC_INIT(char *);
	struct dirent *de;
	struct buf p = BUF_INIT;

	if (!d) {
		add_error(errors, "%s: unable to read folder: %s", dir);
		return;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			*(char **)vec_push(&names) = xstrdup(de->d_name);
	closedir(d);
	vec_sort(&names, name_cmp);
	for (size_t i = 0; i < names.len; i++) {
		char *name = *(char **)vec_at(&names, i);
		struct stat st;

		buf_clear(&p);
		if (!strcmp(dir, "."))
			buf_puts(&p, name);
		else
			buf_printf(&p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
		if (lstat(p.ptr, &st) < 0) {
			free(name);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			struct buf cfg = BUF_INIT;

			buf_printf(&cfg, "%s/pyvenv.cfg", p.ptr);
			if (name[0] != '.' && strcmp(name, "__pycache__") && access(cfg.ptr, F_OK) &&
			    !(repos && is_ignored(repos, p.ptr, 1, NULL)))
				walk_dir(files, errors, repos, p.ptr);
			buf_release(&cfg);
		} else if (S_ISREG(st.st_mode)) {
			if (walk_is_python_file(p.ptr) &&
			    !(repos && is_ignored(repos, p.ptr, 0, name)))
				*(char **)vec_push(files) = xstrdup(p.ptr);
		}
		free(name);
	}
	vec_release(&names);
	buf_release(&p);
}

int walk_collect(struct vec *files, struct vec *errors, char *const *paths, size_t npaths)
{
	struct repos repos = { VEC_INIT(git_repository *), NULL, "", NULL };
	size_t w = 0;

	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		const char *given = paths[i];
		char *path;
		size_t n;

		while (given[0] == '.' && given[1] == '/' && given[2]) {
			given += 2;
			while (given[0] == '/' && given[1])
				given++;
		}
		path = xstrdup(given);
		n = strlen(path);

		while (n > 1 && path[n - 1] == '/')
			path[--n] = '\0';
		if (stat(path, &st) < 0)
			add_error(errors, "%s: %s", path);
		else if (S_ISDIR(st.st_mode))
			walk_dir(files, errors, is_ignored(&repos, path, 1, NULL) ? NULL : &repos, path);
		else
			*(char **)vec_push(files) = xstrdup(path);
		free(path);
	}
	for (size_t i = 0; i < repos.list.len; i++)
		git_repository_free(*(git_repository **)vec_at(&repos.list, i));
	vec_release(&repos.list);
	free(repos.last_dir);
	vec_sort(files, name_cmp);
	for (size_t r = 0; r < files->len; r++) {
		char *f = *(char **)vec_at(files, r);

		if (w && !strcmp(*(char **)vec_at(files, w - 1), f)) {
			free(f);
			continue;
		}
		*(char **)vec_at(files, w++) = f;
	}
	files->len = w;
	return 0;
}

/* The real folder each path argument stands for. */
static void tree_roots(struct vec *roots, char *const *paths, size_t npaths)
{
	for (size_t i = 0; i < (npaths ? npaths : 1); i++) {
		const char *path = npaths ? paths[i] : ".";
		struct stat st;
		char *real = NULL;

		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			real = realpath(path, NULL);
		} else {
			char *copy = xstrdup(path), *slash = strrchr(copy, '/');

			if (slash == copy)
				slash[1] = '\0';
			else if (slash)
				*slash = '\0';
			real = realpath(slash ? copy : ".", NULL);
			free(copy);
		}
		if (real)
			*(char **)vec_push(roots) = real;
	}
}

static bool below_a_root(const struct vec *roots, const char *real)
{
	for (size_t i = 0; i < roots->len; i++) {
		const char *root = *(char **)vec_at(roots, i);
		size_t n = strlen(root);

		if (!strncmp(real, root, n) && (real[n] == '/' || (n == 1 && root[0] == '/')))
			return true;
	}
	return false;
}

struct file_id {
	dev_t dev;
	ino_t ino;
};

static bool id_seen(const struct vec *ids, const struct stat *st)
{
	for (size_t i = 0; i < ids->len; i++) {
		const struct file_id *id = vec_at(ids, i);

		if (id->dev == st->st_dev && id->ino == st->st_ino)
			return true;
	}
	return false;
}

void walk_settle_links(struct vec *files, struct vec *notes, char *const *paths, size_t npaths)
{
	struct vec roots = VEC_INIT(char *), ids = VEC_INIT(struct file_id);
	bool *link = xcalloc(files->len ? files->len : 1, sizeof(bool));
	bool any = false;
	size_t w = 0;

	for (size_t i = 0; i < files->len; i++) {
		struct stat st;

		link[i] = lstat(*(char **)vec_at(files, i), &st) == 0 && S_ISLNK(st.st_mode);
		any |= link[i];
	}
	if (!any) {
		free(link);
		return;
	}
	tree_roots(&roots, paths, npaths);
	/* the files named by their own path come first */
	for (size_t i = 0; i < files->len; i++) {
		struct stat st;

		if (!link[i] && stat(*(char **)vec_at(files, i), &st) == 0 && !id_seen(&ids, &st)) {
			struct file_id *id = vec_push(&ids);

			id->dev = st.st_dev;
			id->ino = st.st_ino;
		}
	}
	for (size_t i = 0; i < files->len; i++) {
		char *f = *(char **)vec_at(files, i);
		struct buf note = BUF_INIT;
		struct stat st;
		char *real;

		if (!link[i]) {
			*(char **)vec_at(files, w++) = f;
			continue;
		}
		real = realpath(f, NULL);
		if (!real || stat(real, &st) < 0 || !S_ISREG(st.st_mode)) {
			buf_printf(&note, "%s: a symbolic link to no regular file, skipped", f);
		} else if (!below_a_root(&roots, real)) {
			buf_printf(&note, "%s: a symbolic link to '%s', outside the tree being checked, "
				   "skipped", f, real);
		} else if (!id_seen(&ids, &st)) {
			struct file_id *id = vec_push(&ids);

			id->dev = st.st_dev;
			id->ino = st.st_ino;
			*(char **)vec_at(files, w++) = f;
			f = NULL;
		}
		if (note.len)
			*(char **)vec_push(notes) = buf_detach(&note);
		buf_release(&note);
		free(real);
		free(f);
	}
	files->len = w;
	for (size_t i = 0; i < roots.len; i++)
		free(*(char **)vec_at(&roots, i));
	vec_release(&roots);
	vec_release(&ids);
	free(link);
}
