/*
 * fuzz_source - the bottom of the road: libarchive's filters and
 * formats, type sniffing, and everything below them, on raw bytes
 * (acm_scan_buffer with the format sniffed).  An input of odd length
 * is also read as a file is (scan_fd: the first block sniffed, a plain
 * mbox read in place, libarchive handed that block back).
 */
#include <sys/mman.h>

#include "fuzz.h"

static struct acm_scanner *sc;
static int		 memfd = -1;
static char		 memfd_path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sc = fuzz_scanner(ACM_FMT_AUTO);
	if ((memfd = memfd_create("fuzz_source", 0)) == -1)
		abort();
	snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *label;

	acm_scan_buffer(sc, data, size, "fuzz");
	(void)sniff_format(sc, data, size, &label);
	if (size % 2 == 1) {
		if (ftruncate(memfd, 0) == -1 ||
		    pwrite(memfd, data, size, 0) != (ssize_t)size)
			abort();
		source_scan_file(sc, memfd_path);
	}
	return 0;
}
