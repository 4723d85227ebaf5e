# acm-mail - the only build entry point.  See README.md.
#
#   make            the tools, in this directory
#   make check      every test (unit and CLI); ends "N passed, N failed"
#   make demo       the tools over the bundled corpus
#   make asan       the tools and tests under ASan+UBSan, then every test
#   make valgrind   the CLI tests under valgrind --leak-check=full
#   make fuzz       libFuzzer harnesses in fuzz/bin; make fuzz-smoke runs
#                   each for FUZZ_SECONDS (30)
#   make bench      the benchmark of bench/README.md
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man/man1

# B holds objects and test programs, OUT the tools; sanitizer builds
# use their own, so they never mix with the normal build.
B	?= build
OUT	?= .

CC	?= cc
CFLAGS	?= -O2 -g
PKGS	 = gmime-3.0 libpcre2-8 libarchive jansson libxml-2.0 liburiparser \
	   openssl libidn2
DEPS_OK	:= $(shell pkg-config --exists $(PKGS) cmocka 2>/dev/null && echo yes)

# A fresh machine: install the Debian packages before anything is built,
# so that "make demo" and "make check" work alone.
ifneq ($(DEPS_OK),yes)
ifeq ($(filter clean,$(MAKECMDGOALS)),)
$(info make: build dependencies missing; running scripts/install-deps)
DEPS_RUN := $(shell scripts/install-deps >&2 || echo failed)
ifeq ($(DEPS_RUN),failed)
$(error scripts/install-deps failed; see the messages above)
endif
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmagic \
	      -lopendkim -lpthread
WARN	 = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) \
	     -Ilibparse -Itools -I/usr/include/opendkim

LIB_SRC	 = $(sort $(wildcard libparse/*.c))
LIB_OBJ	 = $(patsubst %.c,$(B)/%.o,$(LIB_SRC))
LIB	 = $(B)/libparse.a
TOOL_SRC = $(sort $(wildcard tools/acm*.c))
TOOL_BIN = $(patsubst tools/%.c,$(OUT)/%,$(TOOL_SRC))
COMMON_SRC = $(filter-out $(TOOL_SRC),$(wildcard tools/*.c))
COMMON_OBJ = $(patsubst %.c,$(B)/%.o,$(COMMON_SRC))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN = $(patsubst tests/unit/%.c,$(B)/tests/%,$(TEST_SRC))
HDRS	 = $(wildcard libparse/*.h tools/*.h)

SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
FUZZ_SRC = $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN = $(patsubst fuzz/%.c,fuzz/bin/%,$(FUZZ_SRC))
FUZZ_SECONDS ?= 30

.PHONY: all check demo install clean bench fuzz fuzz-smoke asan tsan valgrind

# objects of the pattern rules are kept, so a second make rebuilds nothing
.SECONDARY:

all: $(TOOL_BIN)

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(OUT)/acm%: $(B)/tools/acm%.o $(COMMON_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/tests/test_%: tests/unit/test_%.c $(LIB) $(COMMON_OBJ) $(HDRS) \
		tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(COMMON_OBJ) $(LIB) \
		$(PKG_LIBS) -lcmocka

check: all $(TEST_BIN)
	@ACM_BIN=$(OUT) ACM_TESTS=$(B)/tests tests/run-tests

demo: all
	@ACM_BIN=$(OUT) tests/demo

asan:
	$(MAKE) B=build/asan OUT=build/asan CC=clang \
		CFLAGS="-O1 -g $(SAN)" LDFLAGS="$(SAN)" check

# ThreadSanitizer over the threaded code (pool.c, mboxchunk.c): the
# chunked-mbox tests and a -j 3 run over the corpus mailboxes.  Only
# these: GMime and GLib synchronise their caches with futexes that
# ThreadSanitizer cannot see, so a whole run reports races in them
# (tests/tsan.supp names the few these runs meet).
tsan:
	$(MAKE) B=build/tsan OUT=build/tsan CC=clang \
		CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" \
		build/tsan/acmextract build/tsan/tests/test_mboxchunk
	G_SLICE=always-malloc TSAN_OPTIONS=suppressions=tests/tsan.supp \
		build/tsan/tests/test_mboxchunk
	cat corpus/box-*.mbox corpus/box-*.mbox | G_SLICE=always-malloc \
		TSAN_OPTIONS=suppressions=tests/tsan.supp ACM_CHUNK_BYTES=300 \
		build/tsan/acmextract -j 3 - > /dev/null

valgrind: all $(TEST_BIN)
	@ACM_BIN=$(OUT) ACM_TESTS=$(B)/tests ACM_ONLY=cli \
	ACM_WRAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 --suppressions=$(CURDIR)/tests/valgrind.supp" \
		tests/run-tests

fuzz: $(FUZZ_BIN)

fuzz/bin/%: fuzz/%.c $(LIB_SRC) $(COMMON_SRC) $(HDRS)
	@mkdir -p fuzz/bin
	clang -std=gnu11 -D_GNU_SOURCE -O1 -g -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined $(PKG_CFLAGS) -Ilibparse -Itools \
		-I/usr/include/opendkim -o $@ $< $(LIB_SRC) $(COMMON_SRC) $(PKG_LIBS)

fuzz-smoke: fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run-smoke

bench: all
	@ACM_BIN=$(OUT) bench/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(TOOL_BIN) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)

clean:
	rm -rf build fuzz/bin tests/out
	rm -f $(patsubst tools/%.c,%,$(TOOL_SRC))
