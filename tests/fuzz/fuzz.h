/*
 * What the libFuzzer targets in tests/fuzz/ share (docs/development.md,
 * "Fuzzing").  Each target is one fuzz-NAME.c defining
 * LLVMFuzzerTestOneInput(); tests/fuzz/run builds and runs them under
 * AddressSanitizer and UBSan.
 *
 * A crash is not the only failure: a target also checks what the code
 * promises (a loader that fails says why, a plan berth wrote loads back the
 * same, a URI has no parameter berth did not add) and calls
 * berth_fuzz_fail() when a promise is broken, which aborts, so libFuzzer
 * keeps the input as a crash like any other.
 */
#ifndef BERTH_TESTS_FUZZ_FUZZ_H
#define BERTH_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/facts.h"
#include "core/inventory.h"
#include "core/mem.h"
#include "core/plan.h"

/* libFuzzer's entry points, which the targets define. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: MESSAGE" to stderr and aborts: a broken promise. */
void berth_fuzz_fail(const char *fmt, ...) BERTH_PRINTF(1, 2) __attribute__((noreturn));

/*
 * A file that holds the current input, for the loaders that take a path
 * (berth_facts_load(), berth_plan_load_json(), known_hosts): a memfd,
 * named by "/proc/self/fd/N", so nothing is left on disk when a run ends or
 * crashes.  Zero-initialise it; the first write creates it.
 */
struct berth_fuzz_file {
	int fd;				/* 0: not created yet */
	char path[32];
};

/*
 * Replaces the contents of f with data[0..size) and returns f's path
 * (owned by f).  Aborts if the memfd cannot be made or written.
 */
const char *berth_fuzz_file_write(struct berth_fuzz_file *f, const void *data, size_t size);

/* data[0..size) as a new NUL-terminated string the caller frees.  Cannot fail. */
char *berth_fuzz_string(const uint8_t *data, size_t size);

/*
 * Drops berth's log messages (warnings about the input would be printed
 * for every run of it) and returns the folder of the test fixtures:
 * $BERTH_TESTS_DIR, else the source tree's tests/ this was built from.
 */
const char *berth_fuzz_setup(void);

/*
 * Checks a failure report: err set, of kind, its message one line that
 * starts with prefix (a file's path, say).  what names the failed call in
 * the message of berth_fuzz_fail().
 */
void berth_fuzz_check_error(const struct berth_error *err, enum berth_error_kind kind,
			    const char *prefix, const char *what);

/*
 * Checks what core/plan.h promises of every plan: ids 1..n in order, every
 * step after the steps it waits for.
 */
void berth_fuzz_check_plan_order(const struct berth_plan *plan);

/*
 * Prints plan as text and as JSON (planner/render.c), loads the JSON back
 * with berth_plan_load_json() and checks that it loads and prints the same
 * JSON again: a plan saved with 'berth plan --out' is the plan applied.
 */
void berth_fuzz_check_plan_round_trip(const struct berth_plan *plan);

/*
 * Writes facts as JSON (berth_facts_to_json(), which aborts on a string
 * jansson refuses), loads that back with berth_facts_load() and checks that
 * it loads and writes the same JSON again.
 */
void berth_fuzz_check_facts_round_trip(const struct berth_facts *facts);

/* A golden case of tests/plans/: its inventory and facts. */
struct berth_fuzz_case {
	char *name;
	struct berth_inventory *inv;
	struct berth_facts *facts;
};

/*
 * Every tests/plans/NAME/ with an inventory.yaml and a facts.json that
 * load, in name order, loaded on the first call and kept for the run.
 * Sets *cases (borrowed) and returns how many; aborts if there are none.
 */
size_t berth_fuzz_plan_cases(const struct berth_fuzz_case **cases);

#endif /* BERTH_TESTS_FUZZ_FUZZ_H */
