/*
 * fuzz_toml: libFuzzer target over the pyproject.toml reader.
 *
 * The input is a TOML document. It goes through toml_parse, then through
 * config_load as a file (an in-memory file named through /proc), which
 * reads [tool.asyncmod] and requires-python out of it. Crashes and
 * sanitizer reports are the findings; errors are expected.
 */
#include "../src/config.h"
#include "../src/toml.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static int memfd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = ERR_INIT;
	struct toml_doc doc;
	struct config *c = NULL;
	char path[64];

	if (toml_parse(&doc, "pyproject.toml", (const char *)data, size, &err) == 0)
		toml_doc_release(&doc);
	if (memfd < 0 && (memfd = memfd_create("pyproject.toml", 0)) < 0)
		abort();
	if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	if (config_load(&c, path, true, &err) == 0 && c) {
		(void)config_excludes(c, "src/a.py");
		config_free(c);
	}
	return 0;
}
