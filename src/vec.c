/*
 * vec: growable arrays.
 */
#include "vec.h"
#include "buf.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void *vec_push(struct vec *v)
{
	void *slot;

	if (v->len == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = xrealloc(v->items, v->cap * v->size);
	}
	slot = (char *)v->items + v->len * v->size;
	memset(slot, 0, v->size);
	v->len++;
	return slot;
}

void vec_sort(struct vec *v, int (*cmp)(const void *, const void *))
{
	if (v->len > 1)
		qsort(v->items, v->len, v->size, cmp);
}

void *vec_pop(struct vec *v)
{
	assert(v->len > 0);
	v->len--;
	return (char *)v->items + v->len * v->size;
}

void vec_remove(struct vec *v, size_t i)
{
	assert(i < v->len);
	memmove((char *)v->items + i * v->size, (char *)v->items + (i + 1) * v->size,
		(v->len - i - 1) * v->size);
	v->len--;
}

void vec_release(struct vec *v)
{
	free(v->items);
	v->items = NULL;
	v->len = v->cap = 0;
}

void vec_release_strings(struct vec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(*(char **)vec_at(v, i));
	vec_release(v);
}
