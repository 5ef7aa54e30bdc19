/*
 * testhelp.h - a tiny TAP test harness for the unit tests (after redis src/testhelp.h).
 *
 * Each CHECK prints "ok N - what" or "not ok N - what (file:line)". tests/run.sh adds up the
 * TAP lines of every test program and prints the closing "N passed, N failed".
 * A test program returns test_done(): 0 when every check passed, 1 otherwise.
 */
#ifndef SIPLOGSCAN_TESTHELP_H
#define SIPLOGSCAN_TESTHELP_H

#include <stdio.h>
#include <string.h>

static int test_n, test_failed;

#define CHECK(cond, ...) do { \
	test_n++; \
	if (cond) { \
		printf("ok %d - ", test_n); printf(__VA_ARGS__); printf("\n"); \
	} else { \
		test_failed++; \
		printf("not ok %d - ", test_n); printf(__VA_ARGS__); \
		printf(" (%s:%d: %s)\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_EQ_INT(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	CHECK(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) printf("#   got %lld, want %lld\n", g_, w_); \
} while (0)

#define CHECK_EQ_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int ok_ = g_ && w_ && strcmp(g_, w_) == 0; \
	CHECK(ok_, __VA_ARGS__); \
	if (!ok_) printf("#   got \"%s\", want \"%s\"\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

static inline int test_done(void)
{
	printf("1..%d\n", test_n);
	return test_failed ? 1 : 0;
}

#endif
