/*
 * fuzz_pipeline - the whole road on one buffer, once with the format
 * sniffed and once forced to each --format, records written in every
 * output format.
 */
#include "fuzz.h"

static const enum acm_format formats[] = {
	ACM_FMT_AUTO, ACM_FMT_MESSAGE, ACM_FMT_MBOX, ACM_FMT_MMDF,
	ACM_FMT_JSON, ACM_FMT_RECORDS
};
#define NFORMATS	(sizeof(formats) / sizeof(formats[0]))

static struct acm_scanner *sc[NFORMATS];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	for (i = 0; i < NFORMATS; i++)
		sc[i] = fuzz_scanner(formats[i]);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t i;

	for (i = 0; i < NFORMATS; i++)
		acm_scan_buffer(sc[i], data, size, "fuzz");
	return 0;
}
