/*
 * cache: entries on disk, their keys, and the hash behind both.
 *
 * The payload is a flat little record: integers as 4 bytes in host order
 * (the header's magic catches a cache made on a machine of the other byte
 * order), strings as a length and bytes. The reader checks every length
 * against what is left before it copies anything, and refuses the whole
 * entry on the first thing that does not fit.
 */
#include "cache.h"
#include "pytest_config.h"
#include "buf.h"
#include "fsio.h"
#include "../transforms/table.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC 0x31454843414d4124ull	/* "$AMCACHE1" read on a little-endian host */
#define CACHE_FORMAT 2u	/* 2: each finding's fix alone as edits (fixdesc.h) */
#define CACHE_SUBDIR "v1"
/* An entry larger than this is not read. */
#define CACHE_MAX_ENTRY (64u * 1024u * 1024u)
#define NO_STRING 0xffffffffu

struct header {
	uint64_t magic;
	uint32_t format;
	uint32_t reserved;
	uint8_t key[16];
	uint64_t length;	/* of the payload */
	uint8_t sum[16];	/* cache_hash128 of the payload */
};

struct cache {
	char *dir;		/* the cache folder */
	char *cwd;		/* to make paths absolute */
	uint8_t run[16];	/* the program and the run's rule set */
	pthread_mutex_t lock;	/* reasons, failures */
	struct vec reasons;	/* char *: reason tokens read back, kept for the run */
	size_t failures;
	char *first_failure;
};

/* --- the hash --- */

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
#define P4 0x85EBCA77C2B2AE63ull
#define P5 0x27D4EB2F165667C5ull

static inline uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static inline uint64_t mix_in(uint64_t acc, uint64_t v)
{
	acc += v * P2;
	return rotl(acc, 31) * P1;
}

static inline uint64_t read64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t avalanche(uint64_t h)
{
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

void cache_hash128(uint8_t out[16], const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data, *end = p + len;
	uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
	uint64_t a, b, tail = P5 ^ len;

	/* four lanes over 32-byte stripes, as the fast hashes go */
	while (end - p >= 32) {
		v1 = mix_in(v1, read64(p));
		v2 = mix_in(v2, read64(p + 8));
		v3 = mix_in(v3, read64(p + 16));
		v4 = mix_in(v4, read64(p + 24));
		p += 32;
	}
	while (end - p >= 8) {
		tail ^= mix_in(0, read64(p));
		tail = rotl(tail, 27) * P1 + P4;
		p += 8;
	}
	while (p < end) {
		tail ^= (*p++) * P5;
		tail = rotl(tail, 11) * P1;
	}
	a = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18) + tail;
	b = rotl(v1, 29) ^ rotl(v2, 41) ^ (v3 * P3) ^ (v4 * P4) ^ rotl(tail, 17);
	a = avalanche(a ^ (uint64_t)len);
	b = avalanche(b + a * P5);
	a = avalanche(a + b);
	memcpy(out, &a, 8);
	memcpy(out + 8, &b, 8);
}

/* --- opening --- */

bool cache_env_disabled(void)
{
	const char *v = getenv("ASYNCMOD_NO_CACHE");

	return v && *v && strcmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no");
}

char *cache_dir_choose(const char *option, const char *configured, const char *config_dir)
{
	const char *env = getenv("ASYNCMOD_CACHE_DIR");
	struct buf b = BUF_INIT;

	if (option && *option)
		return xstrdup(option);
	if (env && *env)
		return xstrdup(env);
	if (configured && *configured && (configured[0] == '/' || !config_dir))
		return xstrdup(configured);
	if (config_dir)
		buf_printf(&b, "%s/%s", config_dir, configured && *configured ? configured
										: CACHE_DEFAULT_DIR);
	else
		buf_puts(&b, CACHE_DEFAULT_DIR);
	return buf_detach(&b);
}

/* Writes `name` in `dir` with `text` unless it is there already. */
static int put_marker(const char *dir, const char *name, const char *text, struct err *err)
{
	struct buf path = BUF_INIT;
	struct stat st;
	int rc = 0;

	buf_printf(&path, "%s/%s", dir, name);
	if (lstat(path.ptr, &st) < 0)
		rc = fsio_write_scratch(path.ptr, text, strlen(text), err);
	buf_release(&path);
	return rc;
}

/* mkdir -p of one or two levels below an existing parent. */
static int make_dir(const char *path, struct err *err)
{
	struct stat st;

	if (mkdir(path, 0777) == 0 || (errno == EEXIST && stat(path, &st) == 0 &&
					S_ISDIR(st.st_mode)))
		return 0;
	if (errno == ENOENT) {
		char *parent = xstrdup(path), *slash = strrchr(parent, '/');
		int rc = -1;

		if (slash && slash != parent) {
			*slash = '\0';
			rc = make_dir(parent, err);
		}
		free(parent);
		if (rc == 0 && (mkdir(path, 0777) == 0 || errno == EEXIST))
			return 0;
		if (rc < 0)
			return -1;
	}
	return err_errno(err, "unable to create the cache folder '%s'", path);
}

/* The identity of the running program: a rebuilt binary starts afresh
 * even when its version string is the same. */
static void program_identity(struct buf *b)
{
	struct stat st;

	buf_printf(b, "asyncmod %s format %u\n", PACKAGE_VERSION, CACHE_FORMAT);
	if (stat("/proc/self/exe", &st) == 0)
		buf_printf(b, "exe %llu %llu %lld %lld.%09ld\n", (unsigned long long)st.st_dev,
			   (unsigned long long)st.st_ino, (long long)st.st_size,
			   (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
}

int cache_open(struct cache **out, const char *dir, const bool *enabled, bool shown,
	       struct err *err)
{
	struct cache *c;
	struct buf sub = BUF_INIT, id = BUF_INIT;
	char cwd[PATH_MAX];

	*out = NULL;
	if (!getcwd(cwd, sizeof(cwd)))
		return err_errno(err, "unable to read the working folder");
	buf_printf(&sub, "%s/%s", dir, CACHE_SUBDIR);
	if (make_dir(sub.ptr, err) < 0 ||
	    put_marker(dir, ".gitignore", "# Made by asyncmod: its cache, never to commit.\n*\n",
		       err) < 0 ||
	    put_marker(dir, "CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
		       "# This file is a cache directory tag created by asyncmod.\n", err) < 0) {
		buf_release(&sub);
		return -1;
	}
	if (access(sub.ptr, W_OK) < 0) {
		buf_release(&sub);
		return err_errno(err, "unable to write in the cache folder '%s'", dir);
	}
	buf_release(&sub);
	c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	c->cwd = xstrdup(cwd);
	program_identity(&id);
	for (size_t i = 0; i < transform_count; i++)
		buf_printf(&id, "%s=%d\n", transform_table[i]->code, enabled ? enabled[i] : 1);
	/* a run that shows each fix's edits keeps them: its entries are its own */
	buf_printf(&id, "shown=%d\n", shown);
	cache_hash128(c->run, id.ptr, id.len, 0);
	buf_release(&id);
	pthread_mutex_init(&c->lock, NULL);
	c->reasons = (struct vec)VEC_INIT(char *);
	*out = c;
	return 0;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->reasons.len; i++)
		free(*(char **)vec_at(&c->reasons, i));
	vec_release(&c->reasons);
	pthread_mutex_destroy(&c->lock);
	free(c->first_failure);
	free(c->dir);
	free(c->cwd);
	free(c);
}

size_t cache_failures(const struct cache *c, const char **why)
{
	*why = c->first_failure;
	return c->failures;
}

/* --- keys --- */

static void put_u32(struct buf *b, uint32_t v)
{
	buf_add(b, &v, sizeof(v));
}

static void put_str(struct buf *b, const char *s)
{
	if (!s) {
		put_u32(b, NO_STRING);
		return;
	}
	put_u32(b, (uint32_t)strlen(s));
	buf_add(b, s, strlen(s));
}

void cache_key(struct cache_key *k, const struct cache *c, const char *path,
	       const struct file_settings *fs, const char *bytes, size_t size)
{
	struct buf b = BUF_INIT;
	uint8_t content[16];

	if (path[0] != '/')
		buf_printf(&b, "%s/", c->cwd);
	buf_puts(&b, path);
	cache_hash128(k->entry, b.ptr, b.len, 1);
	buf_clear(&b);
	cache_hash128(content, bytes, size, 2);
	buf_add(&b, c->run, sizeof(c->run));
	buf_add(&b, content, sizeof(content));
	{
		uint64_t n = size;

		buf_add(&b, &n, sizeof(n));
	}
	put_str(&b, path);
	put_u32(&b, (uint32_t)fs->target_minor);
	put_u32(&b, fs->unsafe_fixes);
	put_u32(&b, (uint32_t)fs->http_client);
	buf_add(&b, &fs->timeout, sizeof(fs->timeout));
	/* the pytest rules read pytest's configuration file */
	put_u32(&b, fs->pytest ? (uint32_t)fs->pytest->mode + 1 : 0);
	put_u32(&b, fs->pytest && fs->pytest->trio_mode);
	put_u32(&b, fs->pytest && fs->pytest->conftest_hooks);
	put_str(&b, fs->pytest && fs->pytest->path ? fs->pytest->path : "");
	for (size_t i = 0; i < transform_count; i++) {
		buf_putc(&b, fs->enabled ? (char)fs->enabled[i] : 1);
		buf_putc(&b, fs->fixable ? (char)fs->fixable[i] : 1);
	}
	cache_hash128(k->key, b.ptr, b.len, 3);
	buf_release(&b);
}

static void entry_path(struct buf *out, const struct cache *c, const struct cache_key *k)
{
	static const char hex[] = "0123456789abcdef";

	buf_printf(out, "%s/%s/", c->dir, CACHE_SUBDIR);
	for (int i = 0; i < 16; i++) {
		buf_putc(out, hex[k->entry[i] >> 4]);
		buf_putc(out, hex[k->entry[i] & 15]);
		if (i == 0)
			buf_putc(out, '/');
	}
}

/* --- writing --- */

static void put_edits(struct buf *b, const struct vec *edits)
{
	put_u32(b, (uint32_t)edits->len);
	for (size_t i = 0; i < edits->len; i++) {
		const struct edit *e = vec_at(edits, i);

		put_u32(b, e->start);
		put_u32(b, e->end);
		put_u32(b, e->line);
		put_u32(b, e->column);
		put_u32(b, e->end_line);
		put_u32(b, e->end_column);
		put_str(b, e->text);
	}
}

static void put_finding(struct buf *b, const struct finding *f)
{
	put_str(b, f->rule->code);
	put_u32(b, f->start);
	put_u32(b, f->end);
	put_u32(b, f->line);
	put_u32(b, f->column);
	put_u32(b, f->end_line);
	put_u32(b, f->end_column);
	put_str(b, f->message);
	put_str(b, f->reason);
	put_u32(b, (uint32_t)f->fix);
	put_edits(b, &f->edits);
	put_u32(b, (uint32_t)f->needs.len);
	for (size_t i = 0; i < f->needs.len; i++) {
		const struct need *n = vec_at(&f->needs, i);

		put_u32(b, (uint32_t)n->kind);
		put_str(b, n->text);
	}
	put_edits(b, &f->shown);
}

static void failed(struct cache *c, const char *why)
{
	pthread_mutex_lock(&c->lock);
	if (!c->failures++)
		c->first_failure = xstrdup(why);
	pthread_mutex_unlock(&c->lock);
}

void cache_store(struct cache *c, const struct cache_key *k, const struct file_result *res)
{
	struct buf b = BUF_INIT, path = BUF_INIT;
	struct header h;
	struct err err = ERR_INIT;

	memset(&h, 0, sizeof(h));
	buf_add(&b, &h, sizeof(h));
	put_u32(&b, res->parsed);
	put_str(&b, res->error);
	put_u32(&b, (uint32_t)res->findings.len);
	for (size_t i = 0; i < res->findings.len; i++)
		put_finding(&b, vec_at(&res->findings, i));
	h.magic = CACHE_MAGIC;
	h.format = CACHE_FORMAT;
	memcpy(h.key, k->key, sizeof(h.key));
	h.length = b.len - sizeof(h);
	cache_hash128(h.sum, b.ptr + sizeof(h), h.length, 4);
	memcpy(b.ptr, &h, sizeof(h));
	entry_path(&path, c, k);
	if (fsio_write_scratch(path.ptr, b.ptr, b.len, &err) < 0) {
		/* the fan-out folder may be new */
		char *slash = strrchr(path.ptr, '/');

		*slash = '\0';
		if (mkdir(path.ptr, 0777) == 0 || errno == EEXIST) {
			*slash = '/';
			if (fsio_write_scratch(path.ptr, b.ptr, b.len, &err) == 0)
				goto done;
		}
		failed(c, err.msg);
	}
done:
	buf_release(&b);
	buf_release(&path);
}

/* --- reading --- */

struct reader {
	const char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct reader *r)
{
	uint32_t v = 0;

	if (r->bad || (size_t)(r->end - r->p) < sizeof(v)) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, sizeof(v));
	r->p += sizeof(v);
	return v;
}

/* A string read in place: `*len` bytes at the return value; NULL for an
 * absent one (or a bad read, then r->bad). */
static const char *get_span(struct reader *r, uint32_t *len)
{
	const char *s;

	*len = get_u32(r);
	if (r->bad || *len == NO_STRING)
		return NULL;
	if ((size_t)(r->end - r->p) < *len || memchr(r->p, '\0', *len)) {
		r->bad = true;
		return NULL;
	}
	s = r->p;
	r->p += *len;
	return s;
}

static char *get_str(struct reader *r, bool required)
{
	uint32_t len;
	const char *s = get_span(r, &len);

	if (!s) {
		r->bad |= required;
		return NULL;
	}
	return xstrndup(s, len);
}

/* The run's copy of a reason token: findings hold reasons as static
 * strings, never freed, so read ones live as long as the cache. */
static const char *intern(struct cache *c, const char *s, uint32_t len)
{
	const char *found = NULL;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->reasons.len && !found; i++) {
		const char *r = *(char **)vec_at(&c->reasons, i);

		if (strlen(r) == len && !memcmp(r, s, len))
			found = r;
	}
	if (!found) {
		char *copy = xstrndup(s, len);

		*(char **)vec_push(&c->reasons) = copy;
		found = copy;
	}
	pthread_mutex_unlock(&c->lock);
	return found;
}

static const struct transform *rule_by_code(const char *s, uint32_t len)
{
	for (size_t i = 0; s && i < transform_count; i++)
		if (strlen(transform_table[i]->code) == len &&
		    !memcmp(transform_table[i]->code, s, len))
			return transform_table[i];
	return NULL;
}

static void get_edits(struct reader *r, struct vec *edits)
{
	uint32_t n = get_u32(r);

	for (uint32_t i = 0; i < n && !r->bad; i++) {
		struct edit *e = vec_push(edits);

		e->start = get_u32(r);
		e->end = get_u32(r);
		e->line = get_u32(r);
		e->column = get_u32(r);
		e->end_line = get_u32(r);
		e->end_column = get_u32(r);
		e->text = get_str(r, true);
	}
}

static bool get_finding(struct cache *c, struct reader *r, struct finding *f)
{
	uint32_t len, n;
	const char *s;

	memset(f, 0, sizeof(*f));
	f->edits = (struct vec)VEC_INIT(struct edit);
	f->needs = (struct vec)VEC_INIT(struct need);
	f->shown = (struct vec)VEC_INIT(struct edit);
	s = get_span(r, &len);
	f->rule = rule_by_code(s, len);
	f->start = get_u32(r);
	f->end = get_u32(r);
	f->line = get_u32(r);
	f->column = get_u32(r);
	f->end_line = get_u32(r);
	f->end_column = get_u32(r);
	f->message = get_str(r, true);
	if ((s = get_span(r, &len)))
		f->reason = intern(c, s, len);
	n = get_u32(r);
	if (!f->rule || n > FIX_UNSAFE)
		r->bad = true;
	f->fix = (enum fix_class)n;
	get_edits(r, &f->edits);
	n = r->bad ? 0 : get_u32(r);
	for (uint32_t i = 0; i < n && !r->bad; i++) {
		struct need *nd = vec_push(&f->needs);

		uint32_t kind = get_u32(r);

		nd->kind = kind > NEED_FORCE_DROP ? NEED_IMPORT : (enum need_kind)kind;
		nd->text = get_str(r, true);
		if (kind > NEED_FORCE_DROP)
			r->bad = true;
	}
	if (!r->bad)
		get_edits(r, &f->shown);
	return !r->bad;
}

/* Reads the entry file into `b`; false when it is missing or too large. */
static bool read_entry(struct buf *b, const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	size_t got = 0;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(struct header) ||
	    (uint64_t)st.st_size > CACHE_MAX_ENTRY) {
		close(fd);
		return false;
	}
	buf_grow(b, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, b->ptr + got, (size_t)st.st_size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	b->len = got;
	return got == (size_t)st.st_size;
}

bool cache_lookup(struct cache *c, const struct cache_key *k, struct file_result *res,
		  bool clean_only)
{
	struct buf b = BUF_INIT, path = BUF_INIT;
	struct vec findings = VEC_INIT(struct finding);
	struct header h;
	struct reader r;
	uint8_t sum[16];
	uint32_t parsed, n;
	char *error = NULL;
	bool hit = false;

	entry_path(&path, c, k);
	if (!read_entry(&b, path.ptr))
		goto done;
	memcpy(&h, b.ptr, sizeof(h));
	if (h.magic != CACHE_MAGIC || h.format != CACHE_FORMAT ||
	    memcmp(h.key, k->key, sizeof(h.key)) || h.length != b.len - sizeof(h))
		goto done;
	cache_hash128(sum, b.ptr + sizeof(h), h.length, 4);
	if (memcmp(sum, h.sum, sizeof(sum)))
		goto done;
	r.p = b.ptr + sizeof(h);
	r.end = b.ptr + b.len;
	r.bad = false;
	parsed = get_u32(&r);
	error = get_str(&r, false);
	n = get_u32(&r);
	if (r.bad || parsed > 1 || (clean_only && (n || error)))
		goto done;
	for (uint32_t i = 0; i < n && !r.bad; i++)
		if (!get_finding(c, &r, vec_push(&findings)))
			break;
	if (r.bad || r.p != r.end)
		goto done;
	res->parsed = parsed;
	res->error = error;
	res->findings = findings;
	error = NULL;
	findings = (struct vec)VEC_INIT(struct finding);
	hit = true;
done:
	for (size_t i = 0; i < findings.len; i++)
		rule_finding_release(vec_at(&findings, i));
	vec_release(&findings);
	free(error);
	buf_release(&b);
	buf_release(&path);
	return hit;
}
