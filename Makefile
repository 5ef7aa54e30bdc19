# siplogscan - one plain GNU Makefile. The user's CC, CFLAGS, LDFLAGS win.
#
#   make            build ./siplogscan
#   make check      build, run every test (unit, end-to-end, golden), then again under
#                   AddressSanitizer + UBSan; ends with "N passed, N failed"
#   make asan       the suite under ASan + UBSan only
#   make golden     rewrite tests/golden/ from the current binary (review the diff!)
#   make bench      generate a large archive and compare siplogscan with grep/rg/zcat
#   make install    PREFIX=/usr/local
#
# WERROR=1 makes warnings fatal (CI sets it).

PKGS     = libpcre2-8 zlib
CC      ?= cc
CFLAGS  ?= -O2 -g
PREFIX  ?= /usr/local
BUILD   ?= build

PKG_OK  := $(shell pkg-config --exists $(PKGS) && echo yes)
ifneq ($(PKG_OK),yes)
$(error pkg-config cannot find $(PKGS): install them with 'apt-get install -y libpcre2-dev zlib1g-dev pkg-config')
endif

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
ifeq ($(WERROR),1)
WARN    += -Werror
endif
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -pthread -Iinclude -Isrc \
             $(shell pkg-config --cflags $(PKGS)) $(CFLAGS) -MMD -MP
LDLIBS   = $(shell pkg-config --libs $(PKGS)) -pthread -lm

SRCS     = $(sort $(wildcard src/*.c))
LIB_SRCS = $(filter-out src/main.c,$(SRCS))
LIB_OBJS = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
TEST_SRCS = $(sort $(wildcard tests/unit/test_*.c))
TEST_BINS = $(TEST_SRCS:tests/unit/%.c=$(BUILD)/%)

.PHONY: all check test asan golden bench clean install
all: siplogscan

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/test_%.o: tests/unit/test_%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libsiplogscan.a: $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

siplogscan: $(BUILD)/main.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/test_%: $(BUILD)/test_%.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD):
	mkdir -p $@

test: siplogscan $(TEST_BINS)
	@BUILD=$(BUILD) SIPLOGSCAN=./siplogscan sh tests/run.sh

# The suite under AddressSanitizer + UndefinedBehaviorSanitizer, built in build-asan/.
asan:
	@$(MAKE) -s BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" siplogscan-asan
	@$(MAKE) -s BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" asan-tests
	@BUILD=build-asan SIPLOGSCAN=./build-asan/siplogscan SUITE_NAME=asan \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 sh tests/run.sh

siplogscan-asan: $(BUILD)/main.o $(BUILD)/libsiplogscan.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $(BUILD)/siplogscan $^ $(LDLIBS)

asan-tests: $(TEST_BINS)

# Plain suite, then the sanitizer suite; the summary counts both.
check:
	@$(MAKE) -s siplogscan $(TEST_BINS)
	@$(MAKE) -s asan-build-only
	@BUILD=$(BUILD) SIPLOGSCAN=./siplogscan ASAN_BUILD=build-asan sh tests/run.sh

asan-build-only:
	@$(MAKE) -s BUILD=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" siplogscan-asan asan-tests

golden: siplogscan
	sh tests/golden.sh update

bench: siplogscan
	sh bench/run.sh $(BENCH_ARGS)

install: siplogscan
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 siplogscan $(DESTDIR)$(PREFIX)/bin/
	install -m 644 siplogscan.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan siplogscan

-include $(wildcard $(BUILD)/*.d)
