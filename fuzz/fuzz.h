/*
 * fuzz.h - what the libFuzzer harnesses share.  Each harness is built
 * from one .c file together with all of libparse and tools/common.c,
 * so everything here is static.
 *
 * The limits are smaller than the defaults: a fuzzer input that expands
 * to the default 64 GB would only measure gzip's speed, and the code
 * that enforces a limit runs the same whatever its value.
 */
#ifndef ACM_FUZZ_H
#define ACM_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "common.h"

static FILE *fuzz_null;

static void
fuzz_limits(struct acm_limits *l)
{
	acm_limits_default(l);
	l->max_message = 1u << 20;
	l->max_header = 64u << 10;
	l->max_mime_depth = 16;
	l->max_envelope_depth = 8;
	l->max_json_depth = 32;
	l->max_json_doc = 1u << 20;
	l->max_entries = 64;
	l->max_expanded = 8u << 20;
}

/*
 * A record must always serialise: jansson refuses invalid UTF-8, so a
 * NULL here means a field escaped utf8_clean.  Writing it in every
 * output format also runs the escaping of tools/common.c.
 */
static void
fuzz_on_record(json_t *r, void *arg)
{
	char *s = json_dumps(r, JSON_COMPACT | JSON_ENSURE_ASCII);

	(void)arg;
	if (s == NULL)
		abort();
	free(s);
	if (json_is_string(json_object_get(r, "template"))) {
		print_record_tsv(r, fuzz_null);
		print_record_text(r, fuzz_null);
	}
	json_decref(r);
}

/* Every diagnostic names its input and says something. */
static void
fuzz_on_diag(const struct acm_diag *d, void *arg)
{
	(void)arg;
	if (d->where.path == NULL || d->message == NULL ||
	    d->message[0] == '\0' || strchr(d->message, '\n') != NULL)
		abort();
}

static struct acm_scanner *
fuzz_scanner(enum acm_format fmt)
{
	struct acm_options o;
	struct acm_scanner *sc;

	memset(&o, 0, sizeof(o));
	o.format = fmt;
	fuzz_limits(&o.limits);
	o.on_record = fuzz_on_record;
	o.on_diag = fuzz_on_diag;
	if (fuzz_null == NULL && (fuzz_null = fopen("/dev/null", "w")) == NULL)
		abort();
	if ((sc = acm_scanner_new(&o)) == NULL)
		abort();
	return sc;
}

/*
 * A reader_fn that hands the buffer out in pieces of a chosen size, so
 * that line and look-ahead logic meets every block boundary.
 */
struct chunks {
	const unsigned char	*p;
	size_t			 len, pos, step;
};

static ssize_t
fuzz_chunk_read(void *arg, const void **buf)
{
	struct chunks *c = arg;
	size_t n = c->len - c->pos;

	if (n == 0)
		return 0;
	if (c->step && n > c->step)
		n = c->step;
	*buf = c->p + c->pos;
	c->pos += n;
	return (ssize_t)n;
}

/* The first byte picks the piece size: 1, 2, 4, ... 64k, or whole. */
static size_t
fuzz_step(unsigned char b)
{
	return (b & 0x1f) > 16 ? 0 : (size_t)1 << (b & 0x1f);
}

#endif /* ACM_FUZZ_H */
