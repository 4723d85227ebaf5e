/*
 * fuzz_source - the bottom of the road: libarchive's filters and
 * formats, type sniffing, and everything below them, on raw bytes
 * (acm_scan_buffer with the format sniffed).
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
	const char *label;

	acm_scan_buffer(sc, data, size, "fuzz");
	(void)sniff_format(sc, data, size, &label);
	return 0;
}
