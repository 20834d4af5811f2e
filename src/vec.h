/*
 * vec: a growable array of fixed-size elements.
 *
 * `struct vec v = VEC_INIT(struct edit);` then `struct edit *e = vec_push(&v);`.
 * The vector owns its element storage, not what the elements point to.
 */
#ifndef ASYNCMOD_VEC_H
#define ASYNCMOD_VEC_H

#include <assert.h>
#include <stddef.h>

struct vec {
	void *items;
	size_t len;
	size_t cap;
	size_t size;
};

#define VEC_INIT(type) { NULL, 0, 0, sizeof(type) }

/* Appends a zero-filled element and returns it; valid until the next push. */
void *vec_push(struct vec *v);
/* Returns element `i` (no bounds check beyond an assert). Inline: the
 * scope and rule code calls it in its innermost loops. */
static inline void *vec_at(const struct vec *v, size_t i)
{
	assert(i < v->len);
	return (char *)v->items + i * v->size;
}
void vec_sort(struct vec *v, int (*cmp)(const void *, const void *));
/* Removes the last element and returns it (valid until the next push). */
void *vec_pop(struct vec *v);
/* Removes element `i`, keeping order. */
void vec_remove(struct vec *v, size_t i);
void vec_release(struct vec *v);
/* For a vector of strings it owns (`char *` from malloc): frees each,
 * then the vector's storage. */
void vec_release_strings(struct vec *v);

#endif
