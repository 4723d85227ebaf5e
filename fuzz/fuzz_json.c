/*
 * fuzz_json - JSON documents and the envelopes inside them: json_scan
 * (JSON Lines, arrays, concatenated documents) and, through it,
 * envelope_walk down to the mail.
 *
 * Byte 0 picks the piece size the reader hands out (fuzz_step); bit 7
 * reads the input as acmextract's own records.  The rest is the JSON.
 */
#include "fuzz.h"

static struct acm_scanner *sc, *sc_records;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sc = fuzz_scanner(ACM_FMT_JSON);
	sc_records = fuzz_scanner(ACM_FMT_RECORDS);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prov p = { .path = "fuzz", .index = -1, .offset = -1 };
	struct acm_scanner *s;
	struct chunks c;
	struct reader r;

	if (size < 1)
		return 0;
	s = (data[0] & 0x80) ? sc_records : sc;
	c.p = data + 1;
	c.len = size - 1;
	c.pos = 0;
	c.step = fuzz_step(data[0]);
	reader_init(&r, fuzz_chunk_read, &c);
	s->status = 0;
	prov_push(&p, "json");
	json_scan(s, &r, &p);
	reader_free(&r);
	return 0;
}
