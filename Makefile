# acm-mail - the only build entry point.  See README.md.

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man/man1

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
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lmagic -lpthread
WARN	 = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Ilibparse -Itools

LIB_SRC	 = $(sort $(wildcard libparse/*.c))
LIB_OBJ	 = $(LIB_SRC:.c=.o)
LIB	 = libparse/libparse.a
TOOLS	 = acmextract acmverify acmaudit
TOOL_BIN = $(filter $(patsubst tools/%.c,%,$(wildcard tools/acm*.c)),$(TOOLS))
COMMON_OBJ = $(patsubst %.c,%.o,$(filter-out $(wildcard tools/acm*.c),\
	     $(wildcard tools/*.c)))
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN = $(TEST_SRC:.c=)

.PHONY: all check demo install clean bench fuzz fuzz-smoke asan

all: $(TOOL_BIN)

libparse/%.o: libparse/%.c libparse/*.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

tools/%.o: tools/%.c tools/*.h libparse/acm.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(TOOL_BIN): %: tools/%.o $(COMMON_OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

tests/unit/test_%: tests/unit/test_%.c $(LIB) tests/unit/*.h
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) -lcmocka

check: all $(TEST_BIN)
	@tests/run-tests

demo: all
	@tests/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 755 $(TOOL_BIN) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)

clean:
	rm -f libparse/*.o tools/*.o $(LIB) $(TOOLS) $(TEST_BIN)
	rm -rf fuzz/bin tests/out
