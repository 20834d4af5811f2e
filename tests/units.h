/*
 * units: the Check suites of the core library, one per module.
 */
#ifndef ASYNCMOD_UNITS_H
#define ASYNCMOD_UNITS_H

#include <check.h>

Suite *suite_source(void);
Suite *suite_edit(void);
Suite *suite_scope(void);
Suite *suite_query(void);
Suite *suite_fsio(void);
Suite *suite_config(void);
Suite *suite_guard(void);
Suite *suite_repo(void);
Suite *suite_cache(void);

#endif
