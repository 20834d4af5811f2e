/*
 * explain: long rule descriptions.
 */
#include "explain.h"

int explain_print(FILE *out, const char *code, struct err *err)
{
	(void)out;
	return err_set(err, "unknown rule code '%s'", code);
}
