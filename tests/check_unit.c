/*
 * check_unit: runs every unit suite of the core library.
 */
#include <stdlib.h>

#include "units.h"

int main(void)
{
	SRunner *sr = srunner_create(suite_source());
	int failed;

	srunner_add_suite(sr, suite_edit());
	srunner_add_suite(sr, suite_scope());
	srunner_add_suite(sr, suite_query());
	srunner_add_suite(sr, suite_fsio());
	srunner_add_suite(sr, suite_config());
	srunner_add_suite(sr, suite_guard());
	srunner_add_suite(sr, suite_repo());
	srunner_add_suite(sr, suite_cache());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
