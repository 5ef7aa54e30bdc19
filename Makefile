# siplogscan - one plain GNU Makefile. The user's CC, CFLAGS, LDFLAGS win.
#
#   make            build ./siplogscan
#   make check      build, run every test (unit, end-to-end, golden), then again under
#                   AddressSanitizer + UBSan, then the threaded suites under ThreadSanitizer;
#                   ends with "N passed, N failed" (builds and stages run side by side on
#                   up to two CPUs: CHECK_JOBS=1 TEST_JOBS=1 for one after the other)
#   make check-live the live test: a real Kamailio 5.6 and SIPp on loopback, siplogscan on
#                   every form of Kamailio's log against totals from the packet capture
#                   (root; Debian packages in tests/live/README.md); ends with "N passed, N failed"
#   make asan       the suite under ASan + UBSan only
#   make tsan       the threaded suites (determinism -j1..-j8, gzip and stdin readers, per-call
#                   CSV) under ThreadSanitizer only; any report is a failure
#   make golden     rewrite tests/golden/ from the current binary (review the diff!)
#   make bench      generate a large archive and compare siplogscan with grep/rg/zcat
#   make bench-fleet a generated 20-proxy day: one central run against scans per proxy + merge
#   make install    PREFIX=/usr/local
#
# WERROR=1 makes warnings fatal (CI sets it).

PKGS     = libpcre2-8 zlib
# gzip backend: ISA-L (libisal-dev) when pkg-config finds it, zlib otherwise; INFLATE=zlib
# forces zlib. 'make check' tests both.
INFLATE ?= $(shell pkg-config --exists libisal && echo isal || echo zlib)
ifeq ($(INFLATE),isal)
PKGS    += libisal
INFLATE_DEF = -DHAVE_ISAL
endif
CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   ?= build

PKG_OK  := $(shell pkg-config --exists $(PKGS) && echo yes)
ifneq ($(PKG_OK),yes)
$(error pkg-config cannot find $(PKGS): install them with 'apt-get install -y libpcre2-dev zlib1g-dev libisal-dev pkg-config' (or build with INFLATE=zlib))
endif

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(WERROR),1)
WARN    += -Werror
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(INFLATE_DEF) $(WARN) -pthread -Iinclude -Isrc \
             $(shell pkg-config --cflags $(PKGS)) $(CFLAGS) -MMD -MP
LDLIBS   = $(shell pkg-config --libs $(PKGS)) -pthread -lm

SRCS     = $(sort $(wildcard src/*.c))
LIB_SRCS = $(filter-out src/siplogscan.c,$(SRCS))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
TEST_SRCS = $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/%)

.PHONY: check-builds fuzz fuzz-build-only fuzz-corpora all check check-live test test-programs asan asan-build-only zlib-build-only golden bench bench-scale bench-fleet \
	clean install tsan tsan-build-only
all: siplogscan

# objects are rebuilt when the flags change (INFLATE=zlib, sanitizers, WERROR): the stamp is
# rewritten, at parse time, only when its content differs
FLAGS_LINE := $(CC) $(ALL_CFLAGS) $(LDLIBS)
$(shell mkdir -p $(BUILD); echo '$(FLAGS_LINE)' | cmp -s - $(BUILD)/.flags || \
	echo '$(FLAGS_LINE)' > $(BUILD)/.flags)

$(BUILD)/%.o: src/%.c $(BUILD)/.flags | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/test_%.o: tests/unit/test_%.c $(BUILD)/.flags | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libsiplogscan.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

siplogscan: $(BUILD)/siplogscan.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test_%: $(BUILD)/test_%.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	mkdir -p $@

test: siplogscan $(TEST_BINS)
	@BUILD=$(BUILD) SIPLOGSCAN=./siplogscan sh tests/run.sh

# The sanitizer build is also the one whose checked allocator can fail on purpose
# (SIPLOGSCAN_FAILPOINTS, src/util.c; tests/e2e/oom.sh).
SANITIZE = CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DSIPLOGSCAN_FAILPOINTS" \
	   LDFLAGS="-fsanitize=address,undefined"
# ThreadSanitizer (gcc or clang both work). PCRE2's JIT stays on: its code is not
# instrumented, and it needs to be: patterns are compiled (src/profile.c) before any worker
# starts and only read after, and each scanner matches with its own match data (src/scan.c).
TSANITIZE = CFLAGS="-O1 -g -fsanitize=thread -fno-omit-frame-pointer" LDFLAGS="-fsanitize=thread"

$(BUILD)/siplogscan: $(BUILD)/siplogscan.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

test-programs: $(TEST_BINS)

# The binary and the unit tests with AddressSanitizer + UBSan, in build-asan/; with the zlib
# backend, in build-zlib/.
asan-build-only:
	@$(MAKE) -s BUILD=build-asan $(SANITIZE) build-asan/siplogscan test-programs

zlib-build-only:
	@$(MAKE) -s BUILD=build-zlib INFLATE=zlib build-zlib/siplogscan test-programs

# The binary and the unit tests with ThreadSanitizer, in build-tsan/.
tsan-build-only:
	@$(MAKE) -s BUILD=build-tsan $(TSANITIZE) build-tsan/siplogscan test-programs

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer only.
asan: asan-build-only
	@BUILD=build-asan SIPLOGSCAN=./build-asan/siplogscan sh tests/run.sh

# The suites that run several threads, under ThreadSanitizer only (tests/run.sh tsan).
tsan: tsan-build-only
	@TSAN_BUILD=build-tsan sh tests/run.sh tsan

# Plain suite, then the zlib-backend build (when the default is ISA-L), then the sanitizer
# suite, then the threaded suites under ThreadSanitizer; the summary counts all of them.
# The five builds are independent (own directories): they are made side by side on every CPU.
CHECK_JOBS ?= $(shell nproc 2>/dev/null || echo 1)
CHECK_BUILDS = siplogscan $(TEST_BINS) asan-build-only tsan-build-only fuzz-build-only \
	       $(if $(filter isal,$(INFLATE)),zlib-build-only)

check-builds: $(CHECK_BUILDS)

check:
	@$(MAKE) -s -j$(CHECK_JOBS) check-builds
	@BUILD=$(BUILD) SIPLOGSCAN=./siplogscan ASAN_BUILD=build-asan TSAN_BUILD=build-tsan \
		FUZZ_BUILD=build-fuzz \
		ZLIB_BUILD=$$([ "$(INFLATE)" = isal ] && echo build-zlib) sh tests/run.sh

# A real Kamailio and SIPp on loopback (tests/live/run.sh, about 25 s, as root).
check-live: siplogscan
	@SIPLOGSCAN=./siplogscan sh tests/live/run.sh

golden: siplogscan
	sh tests/golden.sh update

# libFuzzer (clang, libclang-rt-14-dev), four targets:
#   fuzz_scan  any bytes through every built-in scanner, the analysis, every renderer and the
#              --baseline JSON reader
#   fuzz_run   whole runs (siplogscan_main) on files on disk: several inputs, plain or gzip,
#              some missing, random -j, --block-size, formats, and option words for the parser
#   fuzz_diff  the scanner's fast path against PCRE2 alone on the same bytes (the built-in sip
#              and kamailio formats, streams and blocks): any difference aborts
#   fuzz_state merge on state files whose body was edited behind a valid checksum (the edits
#              of a real state's records, applied from the input): exit 0 or 2, nothing else
# make fuzz runs each for FUZZ_SECONDS (default 60) from its seeds (tests/fuzz/corpus/<target>
# and, for fuzz_scan and fuzz_diff, the samples); crashes land in build-fuzz/ as crash-*, and each one
# becomes a seed. make check runs each target over its seeds once (fuzz-corpora).
FUZZ_SECONDS ?= 60
FUZZERS = fuzz_scan fuzz_run fuzz_diff fuzz_state
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -Iinclude -Isrc -O1 -g -fsanitize=fuzzer,address,undefined

fuzz-build-only:
	@$(MAKE) -s BUILD=build-fuzz CC=clang CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined" \
		LDFLAGS="-fsanitize=address,undefined" build-fuzz/libsiplogscan.a
	@for t in $(FUZZERS); do \
		clang $(FUZZ_FLAGS) -o build-fuzz/$$t tests/fuzz/$$t.c build-fuzz/libsiplogscan.a \
			$(LDLIBS) || exit 1; \
	done

fuzz: fuzz-build-only
	@for t in $(FUZZERS); do \
		rm -rf build-fuzz/corpus-$$t; mkdir -p build-fuzz/corpus-$$t; \
		cp tests/fuzz/corpus/$${t#fuzz_}/* build-fuzz/corpus-$$t/; \
		if [ $$t = fuzz_scan ] || [ $$t = fuzz_diff ]; then cp samples/other/*.log samples/other/*.txt \
			tests/cases/*.log tests/golden/*.json build-fuzz/corpus-$$t/; fi; \
		echo "== $$t, $(FUZZ_SECONDS) s"; \
		./build-fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=20 \
			-close_fd_mask=3 -print_final_stats=1 -artifact_prefix=$(CURDIR)/build-fuzz/ \
			$(CURDIR)/build-fuzz/corpus-$$t || exit 1; \
	done

# every fuzz target over its seeds once (part of make check)
fuzz-corpora: fuzz-build-only
	@sh tests/fuzz/corpora.sh

$(BUILD)/inflate_floor: bench/inflate_floor.c $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# make bench [BENCH_ARGS="--size MB --other-size MB --runs N"] (bench/README.md): both gzip
# backends' floors are measured. It installs nothing: what is missing is named with its
# Debian package, and the figures that need it are n/a. SIPLOGSCAN=path measures another binary.
bench: siplogscan $(BUILD)/inflate_floor
	@command -v python3 >/dev/null || { echo "make bench needs python3 (apt-get install python3)" >&2; exit 2; }
	@command -v rg >/dev/null || echo "make bench: no rg (apt-get install ripgrep): its baselines and targets are n/a" >&2
	@if [ "$(INFLATE)" = isal ]; then $(MAKE) -s BUILD=build-zlib INFLATE=zlib build-zlib/inflate_floor; \
	else echo "make bench: built without ISA-L (apt-get install libisal-dev): the ISA-L floor and its targets are n/a" >&2; fi
	SIPLOGSCAN=$${SIPLOGSCAN:-./siplogscan} FLOOR=$(BUILD)/inflate_floor sh bench/run.sh $(BENCH_ARGS)

# make bench-scale [SCALE_ARGS="--threads '1 2 3 4'"]: threads 1..N (bench/scale.sh)
bench-scale: siplogscan
	SIPLOGSCAN=$${SIPLOGSCAN:-./siplogscan} sh bench/scale.sh $(SCALE_ARGS)

# a generated fleet of 20 proxies over a day: one central run against a scan per proxy + merge
bench-fleet: siplogscan
	SIPLOGSCAN=$${SIPLOGSCAN:-./siplogscan} python3 bench/fleet.py $(FLEET_ARGS)

install: siplogscan
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 siplogscan $(DESTDIR)$(PREFIX)/bin/
	install -m 644 siplogscan.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan build-tsan build-zlib build-fuzz siplogscan

-include $(wildcard $(BUILD)/*.d)
