/*
 * toml_decode: reads a TOML file through the project's TOML reader and
 * prints it in toml-test's tagged JSON ({"type": "integer", "value": "1"}
 * for every scalar), for tests/toml.sh. Exit 1 with the reader's message
 * on stderr when the file is refused.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "toml.h"

static void put_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void put_value(const struct toml_value *v)
{
	static const char *const types[] = {
		[TOML_STRING] = "string", [TOML_INTEGER] = "integer", [TOML_FLOAT] = "float",
		[TOML_BOOLEAN] = "bool", [TOML_DATETIME] = "datetime",
		[TOML_DATETIME_LOCAL] = "datetime-local", [TOML_DATE_LOCAL] = "date-local",
		[TOML_TIME_LOCAL] = "time-local",
	};

	switch (v->type) {
	case TOML_TABLE:
		putchar('{');
		for (size_t i = 0; i < v->members.len; i++) {
			const struct toml_member *m = vec_at(&v->members, i);

			if (i)
				putchar(',');
			put_string(m->key, m->key_len);
			putchar(':');
			put_value(&m->value);
		}
		putchar('}');
		return;
	case TOML_ARRAY:
		putchar('[');
		for (size_t i = 0; i < v->items.len; i++) {
			if (i)
				putchar(',');
			put_value(vec_at(&v->items, i));
		}
		putchar(']');
		return;
	default:
		break;
	}
	printf("{\"type\":\"%s\",\"value\":", types[v->type] ? types[v->type] : "?");
	switch (v->type) {
	case TOML_STRING:
	case TOML_DATETIME:
	case TOML_DATETIME_LOCAL:
	case TOML_DATE_LOCAL:
	case TOML_TIME_LOCAL:
		put_string(v->str, v->len);
		break;
	case TOML_INTEGER:
		printf("\"%lld\"", v->integer);
		break;
	case TOML_FLOAT:
		if (isnan(v->number))
			printf("\"nan\"");
		else if (isinf(v->number))
			printf("\"%sinf\"", v->number < 0 ? "-" : "");
		else
			printf("\"%.17g\"", v->number);
		break;
	case TOML_BOOLEAN:
		printf("\"%s\"", v->boolean ? "true" : "false");
		break;
	default:
		printf("null");
	}
	putchar('}');
}

int main(int argc, char **argv)
{
	struct buf text = BUF_INIT;
	struct toml_doc doc;
	struct err err = ERR_INIT;
	char chunk[65536];
	size_t n;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "rb"))) {
		fprintf(stderr, "usage: toml_decode FILE.toml\n");
		return 2;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)))
		buf_add(&text, chunk, n);
	fclose(f);
	if (toml_parse(&doc, argv[1], text.ptr ? text.ptr : "", text.len, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		buf_release(&text);
		return 1;
	}
	put_value(&doc.root);
	putchar('\n');
	toml_doc_release(&doc);
	buf_release(&text);
	return 0;
}
