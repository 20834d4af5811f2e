/*
 * cache: each file's check results kept between runs, as ruff keeps them.
 *
 * An entry holds one file's result (findings with their positions,
 * messages, reasons and fix edits, or the error that skipped the file)
 * under a key: a 128-bit hash of the file's bytes, its path, its settings
 * (rules, target version, unsafe fixes, timeout, HTTP client), the rule
 * set of the run and the identity of the program itself. A run that finds
 * an entry with its key takes the result without parsing the file.
 *
 * Layout: DIR/.gitignore ("*"), DIR/CACHEDIR.TAG, and one file per source
 * file at DIR/v1/XX/YYYY.. (the hash of its absolute path). An entry is a
 * header (magic, format version, key, payload length, payload hash) and
 * the payload; anything that does not check out whole (truncated, torn,
 * foreign, another key) is a miss, and the entry is written again.
 * Entries are replaced through a temporary file and rename(2), so readers
 * and concurrent runs only ever see whole entries.
 *
 * One cache is shared by all workers of a run: lookups and stores are safe
 * from any thread.
 */
#ifndef ASYNCMOD_CACHE_H
#define ASYNCMOD_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pipeline.h"

/* The folder name used at the project root when nothing else is set. */
#define CACHE_DEFAULT_DIR ".asyncmod_cache"

struct cache;

/* The key of one file's entry (see cache_key). */
struct cache_key {
	uint8_t entry[16];	/* names the entry: the file's absolute path */
	uint8_t key[16];	/* what the entry must hold to be used */
};

/* 128 bits of hash of `len` bytes, seeded. Not cryptographic: it tells
 * versions of a file apart, it does not resist a forger (who would only
 * forge their own results). */
void cache_hash128(uint8_t out[16], const void *data, size_t len, uint64_t seed);

/* Opens the cache folder `dir`, creating it (with its .gitignore and
 * CACHEDIR.TAG) when missing. `enabled` is the run's rule mask (per
 * transform_table index): results depend on the rules the run compiled.
 * Returns 0, or -1 with `err` when the folder cannot be made or written.
 * Free with cache_free(). */
int cache_open(struct cache **out, const char *dir, const bool *enabled, bool shown,
	       struct err *err);
void cache_free(struct cache *c);

/* The key of `path` holding `size` bytes `bytes` under settings `fs`. */
void cache_key(struct cache_key *k, const struct cache *c, const char *path,
	       const struct file_settings *fs, const char *bytes, size_t size);

/* Fills `res` (zeroed, path set by the caller) from the entry of `k` when
 * it holds `k`'s result. With `clean_only` only a result without findings
 * or error is taken (a run that fixes must see the rest itself). Returns
 * true on a hit; on a miss `res` is as it was. */
bool cache_lookup(struct cache *c, const struct cache_key *k, struct file_result *res,
		  bool clean_only);

/* Records `res` as the result of `k`. Failures are counted, not fatal. */
void cache_store(struct cache *c, const struct cache_key *k, const struct file_result *res);

/* The number of entries that could not be written and the first reason;
 * 0 when every store succeeded. */
size_t cache_failures(const struct cache *c, const char **why);

/* The cache folder for a run: `option` (--cache-dir), else the environment's
 * ASYNCMOD_CACHE_DIR, else `configured` (the configuration's cache-dir,
 * relative to `config_dir`), else CACHE_DEFAULT_DIR in `config_dir` (the
 * folder of the project's pyproject.toml) or the working folder. Caller
 * frees. */
char *cache_dir_choose(const char *option, const char *configured, const char *config_dir);

/* True when the environment turns the cache off (ASYNCMOD_NO_CACHE set to
 * anything but "", "0", "false" or "no"). */
bool cache_env_disabled(void);

#endif
