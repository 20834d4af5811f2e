/*
 * check_guard: a crash in guarded work comes back as its signal.
 */
#include <signal.h>
#include <stddef.h>

#include "guard.h"
#include "units.h"

static void null_write(void *arg)
{
	volatile int *volatile p = arg;

	*p = 1;
}

/* Recurses `n` times: far more than any stack holds. */
static int deeper(volatile char *from, unsigned long n)
{
	volatile char frame[4096];

	if (!n)
		return 0;
	frame[0] = from ? from[0] : 1;
	return deeper(frame, n - 1) + frame[1];
}

static void overflow(void *arg)
{
	volatile unsigned long n = ~0ul;

	(void)arg;
	(void)deeper(NULL, n);
}

static void fine(void *arg)
{
	*(int *)arg = 42;
}

START_TEST(crash_returns_its_signal)
{
	int v = 0;

	if (!guard_enabled())
		return;	/* a sanitizer build reports crashes itself */
	guard_thread_init();
	ck_assert_int_eq(guard_run(null_write, NULL), SIGSEGV);
	ck_assert_int_eq(guard_run(overflow, NULL), SIGSEGV);
	ck_assert_int_eq(guard_run(fine, &v), 0);
	ck_assert_int_eq(v, 42);
	/* and again after a crash */
	ck_assert_int_eq(guard_run(null_write, NULL), SIGSEGV);
	guard_thread_release();
}
END_TEST

Suite *suite_guard(void)
{
	Suite *s = suite_create("guard");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, crash_returns_its_signal);
	suite_add_tcase(s, tc);
	return s;
}
