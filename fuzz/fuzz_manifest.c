/*
 * fuzz_manifest: libFuzzer target over the `batch` manifest reader.
 *
 * The input is a manifest; manifest_parse reads it as `batch` does.
 * Crashes and sanitizer reports are the findings; errors are expected,
 * but an error message must be readable text (it is printed).
 */
#include "../src/manifest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err err = ERR_INIT;
	size_t count = 0;

	if (manifest_parse("manifest", (const char *)data, size, &count, &err) < 0 &&
	    strncmp(err.msg, "manifest:", 9))
		abort();
	return 0;
}
