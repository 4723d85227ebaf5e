/*
 * fuzz_chunks - -j's chunked mbox split against one thread's: the
 * same mailbox is scanned by a scanner without workers and by one
 * with workers that cut it in small chunks (mboxchunk.c), and every
 * record and diagnostic must come out the same, in the same order.
 *
 * Byte 0: bits 0-2 the chunk size (16 << n bytes), bit 3 small limits
 * (messages, headers, and the input's size: it cuts the file),
 * bit 4 read as a file (a plain file when it starts with a From_ line:
 * the workers then read their chunks themselves, file_chunks).
 * Byte 1: the size of the pieces the input is read in (fuzz_step).
 * The rest is the mailbox.
 */
#include <sys/mman.h>

#include "fuzz.h"

struct pair {
	struct acm_scanner	*one, *many;
};

static struct pair	normal, small;
static GString		*said[2];	/* what each scanner reported */
static int		 memfd = -1;	/* the input as a file */
static char		 memfd_path[64];

static void
on_record(json_t *r, void *arg)
{
	char *s = json_dumps(r, JSON_SORT_KEYS | JSON_COMPACT);

	if (s == NULL)
		abort();
	g_string_append_printf(said[(intptr_t)arg], "R %s\n", s);
	free(s);
	json_decref(r);
}

static void
on_diag(const struct acm_diag *d, void *arg)
{
	g_string_append_printf(said[(intptr_t)arg], "D %d %s#%ld@%lld %s\n",
	    d->severity, d->where.path, d->where.index, d->where.offset,
	    d->message);
}

static struct acm_scanner *
scanner(bool little, int jobs)
{
	struct acm_options o;
	struct acm_scanner *sc;

	memset(&o, 0, sizeof(o));
	fuzz_limits(&o.limits);
	if (little) {
		o.limits.max_message = 2000;
		o.limits.max_header = 500;
		o.limits.max_expanded = 3000;
	}
	o.jobs = jobs;
	o.on_record = on_record;
	o.on_diag = on_diag;
	o.arg = (void *)(intptr_t)(jobs > 1);
	if ((sc = acm_scanner_new(&o)) == NULL)
		abort();
	return sc;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	normal.one = scanner(false, 1);
	normal.many = scanner(false, 2);
	small.one = scanner(true, 1);
	small.many = scanner(true, 2);
	said[0] = g_string_new(NULL);
	said[1] = g_string_new(NULL);
	if ((memfd = memfd_create("fuzz_chunks", 0)) == -1)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

/* The input as a file, read as a large file is (not whole by a worker). */
static void
scan_file(struct acm_scanner *sc)
{
	source_scan_file(sc, memfd_path);
	acm_scan_finish(sc);
}

static void
scan(struct acm_scanner *sc, const uint8_t *data, size_t size, size_t step)
{
	struct prov p = { .path = "fuzz", .index = -1, .offset = -1 };
	struct chunks c = { data, size, 0, step };
	struct reader r;

	reader_init(&r, fuzz_chunk_read, &c);
	r.max_line = sc->opt.limits.max_message;
	prov_push(&p, "mbox");
	mbox_scan(sc, &r, &p);
	acm_scan_finish(sc);
	reader_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pair *pr;
	size_t step;

	if (size < 2)
		return 0;
	pr = (data[0] & 8) ? &small : &normal;
	pr->many->chunk = (size_t)16 << (data[0] & 7);
	step = fuzz_step(data[1]);
	g_string_truncate(said[0], 0);
	g_string_truncate(said[1], 0);
	if (data[0] & 16) {
		if (ftruncate(memfd, 0) == -1 ||
		    pwrite(memfd, data + 2, size - 2, 0) != (ssize_t)(size - 2))
			abort();
		scan_file(pr->one);
		scan_file(pr->many);
	} else {
		scan(pr->one, data + 2, size - 2, step);
		scan(pr->many, data + 2, size - 2, step);
	}
	if (strcmp(said[0]->str, said[1]->str) != 0) {
		fprintf(stderr, "-j 1:\n%s-j 2, chunks of %zu:\n%s",
		    said[0]->str, pr->many->chunk, said[1]->str);
		abort();
	}
	return 0;
}
