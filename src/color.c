/*
 * color: the colour decision and SGR styling.
 */
#include "color.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int color_parse(enum color_mode *out, const char *s, struct err *err)
{
	if (!strcmp(s, "auto"))
		*out = COLOR_AUTO;
	else if (!strcmp(s, "always"))
		*out = COLOR_ALWAYS;
	else if (!strcmp(s, "never"))
		*out = COLOR_NEVER;
	else
		return err_set(err, "invalid color choice '%s' (expected auto, always or never)", s);
	return 0;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v && *v;
}

bool color_wanted(enum color_mode mode, int fd)
{
	if (mode != COLOR_AUTO)
		return mode == COLOR_ALWAYS;
	if (env_set("FORCE_COLOR"))
		return true;
	if (env_set("NO_COLOR"))
		return false;
	return isatty(fd);
}

void color_put(FILE *out, bool on, const char *sgr, const char *text)
{
	if (on)
		fprintf(out, "\033[%sm%s\033[0m", sgr, text);
	else
		fputs(text, out);
}
