/*
 * fuzz_mbox - mbox and MMDF splitting: mbox_scan and mmdf_scan over a
 * reader that hands the input out in pieces.
 *
 * Byte 0: bit 7 picks MMDF, bits 0-4 the piece size (fuzz_step).
 * Byte 1: bit 0 bounds the line length as a leaf reader does.
 * The rest is the mailbox.
 */
#include "fuzz.h"

static struct acm_scanner *sc;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sc = fuzz_scanner(ACM_FMT_AUTO);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prov p = { .path = "fuzz", .index = -1, .offset = -1 };
	struct chunks c;
	struct reader r;

	if (size < 2)
		return 0;
	c.p = data + 2;
	c.len = size - 2;
	c.pos = 0;
	c.step = fuzz_step(data[0]);
	reader_init(&r, fuzz_chunk_read, &c);
	if (data[1] & 1)
		r.max_line = 4096;
	sc->status = 0;
	if (data[0] & 0x80) {
		prov_push(&p, "mmdf");
		mmdf_scan(sc, &r, &p);
	} else {
		prov_push(&p, "mbox");
		mbox_scan(sc, &r, &p);
	}
	reader_free(&r);
	return 0;
}
