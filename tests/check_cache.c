/*
 * check_cache: a stored result comes back whole; another file, other
 * bytes or other settings miss; entries whose payload was changed (with a
 * checksum made to match, as a forger would) or cut short never crash the
 * reader and are never taken half.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "units.h"
#include "../transforms/table.h"

/* The header as cache.c writes it: the payload's length at 32, its hash
 * at 40, the payload at 56. */
#define LENGTH_AT 32
#define SUM_AT 40
#define PAYLOAD_AT 56

static char dir[64];
static bool mask[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/asyncmod-cache.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(mask); i++)
		mask[i] = true;
}

static void teardown(void)
{
	char cmd[200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void make_result(struct file_result *r)
{
	struct finding *f;
	struct edit *e;
	struct need *n;

	memset(r, 0, sizeof(*r));
	r->findings = (struct vec)VEC_INIT(struct finding);
	r->parsed = true;
	f = vec_push(&r->findings);
	memset(f, 0, sizeof(*f));
	f->rule = transform_table[0];
	f->start = 10;
	f->end = 20;
	f->line = 2;
	f->column = 5;
	f->end_line = 2;
	f->end_column = 15;
	f->message = strdup("a message");
	f->fix = FIX_UNSAFE;
	f->edits = (struct vec)VEC_INIT(struct edit);
	f->needs = (struct vec)VEC_INIT(struct need);
	e = vec_push(&f->edits);
	memset(e, 0, sizeof(*e));
	e->start = 10;
	e->end = 12;
	e->line = 2;
	e->column = 5;
	e->text = strdup("await x");
	n = vec_push(&f->needs);
	n->kind = NEED_IMPORT;
	n->text = strdup("asyncio");
	f = vec_push(&r->findings);
	memset(f, 0, sizeof(*f));
	f->rule = transform_table[transform_count - 1];
	f->message = strdup("another");
	f->reason = "conflict";
	f->edits = (struct vec)VEC_INIT(struct edit);
	f->needs = (struct vec)VEC_INIT(struct need);
}

static void release(struct file_result *r)
{
	for (size_t i = 0; i < r->findings.len; i++)
		rule_finding_release(vec_at(&r->findings, i));
	vec_release(&r->findings);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

static struct cache *open_cache(void)
{
	struct cache *c;
	struct err err = ERR_INIT;
	char sub[128];

	snprintf(sub, sizeof(sub), "%s/c", dir);
	ck_assert_int_eq(cache_open(&c, sub, mask, false, &err), 0);
	return c;
}

static const struct file_settings settings = { NULL, 11, false, NULL, 0, 30.0, HTTP_CLIENT_HTTPX };

START_TEST(test_round_trip)
{
	struct cache *c = open_cache();
	struct file_result in, out;
	struct cache_key k;
	const struct finding *f;
	const struct edit *e;

	make_result(&in);
	cache_key(&k, c, "pkg/a.py", &settings, "x = 1\n", 6);
	cache_store(c, &k, &in);
	memset(&out, 0, sizeof(out));
	ck_assert(cache_lookup(c, &k, &out, false));
	ck_assert(out.parsed);
	ck_assert_ptr_null(out.error);
	ck_assert_uint_eq(out.findings.len, 2);
	f = vec_at(&out.findings, 0);
	ck_assert_ptr_eq(f->rule, transform_table[0]);
	ck_assert_uint_eq(f->start, 10);
	ck_assert_uint_eq(f->end_column, 15);
	ck_assert_str_eq(f->message, "a message");
	ck_assert_int_eq(f->fix, FIX_UNSAFE);
	ck_assert_ptr_null(f->reason);
	ck_assert_uint_eq(f->edits.len, 1);
	e = vec_at(&f->edits, 0);
	ck_assert_str_eq(e->text, "await x");
	ck_assert_uint_eq(e->column, 5);
	ck_assert_uint_eq(f->needs.len, 1);
	ck_assert_str_eq(((struct need *)vec_at(&f->needs, 0))->text, "asyncio");
	f = vec_at(&out.findings, 1);
	ck_assert_ptr_eq(f->rule, transform_table[transform_count - 1]);
	ck_assert_str_eq(f->reason, "conflict");
	release(&out);
	/* findings: not for a run that fixes */
	ck_assert(!cache_lookup(c, &k, &out, true));
	ck_assert_uint_eq(out.findings.len, 0);
	release(&in);
	cache_free(c);
}
END_TEST

START_TEST(test_key_misses)
{
	struct cache *c = open_cache();
	struct file_result in, out;
	struct file_settings other = settings;
	struct cache_key k;

	make_result(&in);
	cache_key(&k, c, "a.py", &settings, "x = 1\n", 6);
	cache_store(c, &k, &in);
	memset(&out, 0, sizeof(out));
	cache_key(&k, c, "a.py", &settings, "x = 2\n", 6);
	ck_assert(!cache_lookup(c, &k, &out, false));
	cache_key(&k, c, "b.py", &settings, "x = 1\n", 6);
	ck_assert(!cache_lookup(c, &k, &out, false));
	other.target_minor = 12;
	cache_key(&k, c, "a.py", &other, "x = 1\n", 6);
	ck_assert(!cache_lookup(c, &k, &out, false));
	other = settings;
	other.unsafe_fixes = true;
	cache_key(&k, c, "a.py", &other, "x = 1\n", 6);
	ck_assert(!cache_lookup(c, &k, &out, false));
	cache_key(&k, c, "a.py", &settings, "x = 1\n", 6);
	ck_assert(cache_lookup(c, &k, &out, false));
	release(&out);
	release(&in);
	cache_free(c);
}
END_TEST

/* The path of the only entry below the cache folder. */
static void entry_of(char *out, size_t n)
{
	char cmd[256];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "find '%s/c/v1' -type f", dir);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(out, (int)n, p));
	out[strcspn(out, "\n")] = '\0';
	pclose(p);
}

static void put(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* Gives the payload of `data` a header that matches it. */
static void reseal(unsigned char *data, size_t len)
{
	uint64_t n = len - PAYLOAD_AT;

	memcpy(data + LENGTH_AT, &n, sizeof(n));
	cache_hash128(data + SUM_AT, data + PAYLOAD_AT, len - PAYLOAD_AT, 4);
}

START_TEST(test_forged_entries)
{
	struct cache *c = open_cache();
	struct file_result in, out;
	struct cache_key k;
	char path[256];
	unsigned char *orig, *data;
	struct stat st;
	FILE *f;
	size_t len;

	make_result(&in);
	cache_key(&k, c, "a.py", &settings, "x = 1\n", 6);
	cache_store(c, &k, &in);
	entry_of(path, sizeof(path));
	ck_assert_int_eq(stat(path, &st), 0);
	len = (size_t)st.st_size;
	orig = malloc(len);
	data = malloc(len);
	f = fopen(path, "rb");
	ck_assert_uint_eq(fread(orig, 1, len, f), len);
	fclose(f);
	/* every payload byte set to values that break lengths and codes */
	for (size_t at = PAYLOAD_AT; at < len; at++) {
		static const unsigned char values[] = { 0x00, 0x01, 0x7f, 0xff };

		for (size_t v = 0; v < sizeof(values); v++) {
			memcpy(data, orig, len);
			data[at] = values[v];
			reseal(data, len);
			put(path, data, len);
			memset(&out, 0, sizeof(out));
			if (!cache_lookup(c, &k, &out, false))
				continue;
			for (size_t i = 0; i < out.findings.len; i++) {
				const struct finding *g = vec_at(&out.findings, i);

				ck_assert(g->rule && g->message && g->fix <= FIX_UNSAFE &&
					  g->fix >= FIX_NONE);
				for (size_t e = 0; e < g->edits.len; e++)
					ck_assert_ptr_nonnull(((struct edit *)vec_at(&g->edits, e))->text);
				for (size_t e = 0; e < g->needs.len; e++)
					ck_assert(((struct need *)vec_at(&g->needs, e))->kind <= NEED_FORCE_DROP);
			}
			release(&out);
		}
	}
	/* every shorter payload, resealed: never a hit */
	for (size_t cut = PAYLOAD_AT; cut < len; cut++) {
		memcpy(data, orig, len);
		reseal(data, cut);
		put(path, data, cut);
		memset(&out, 0, sizeof(out));
		ck_assert_msg(!cache_lookup(c, &k, &out, false), "a payload cut at %zu was taken", cut);
	}
	/* the original still reads */
	put(path, orig, len);
	ck_assert(cache_lookup(c, &k, &out, false));
	release(&out);
	free(orig);
	free(data);
	release(&in);
	cache_free(c);
}
END_TEST

START_TEST(test_hash)
{
	uint8_t a[16], b[16];
	char buf[100];

	memset(buf, 'x', sizeof(buf));
	/* each length and each byte position changes the hash */
	for (size_t n = 0; n < sizeof(buf); n++) {
		cache_hash128(a, buf, n, 0);
		cache_hash128(b, buf, n + 1, 0);
		ck_assert(memcmp(a, b, 16));
		buf[n] = 'y';
		cache_hash128(b, buf, sizeof(buf), 0);
		buf[n] = 'x';
		cache_hash128(a, buf, sizeof(buf), 0);
		ck_assert(memcmp(a, b, 16));
	}
	cache_hash128(a, buf, sizeof(buf), 0);
	cache_hash128(b, buf, sizeof(buf), 1);
	ck_assert(memcmp(a, b, 16));
}
END_TEST

Suite *suite_cache(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("cache");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_key_misses);
	tcase_add_test(tc, test_forged_entries);
	tcase_add_test(tc, test_hash);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
