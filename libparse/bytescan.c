/*
 * bytescan.c - find three given bytes in a row, sixteen places at a
 * time.
 *
 * The mbox splitter looks for "From " and the pre-test for
 * "approvals"; a memchr for their first letter stops every few dozen
 * bytes of ordinary text ('F' and 'v' are common), and the cost of
 * the calls, not of the scanning, was most of the time spent (perf:
 * 36% of acmextract on a 200 MB mbox).  Three letters in a row are
 * rare, so comparing them at sixteen offsets at once with GCC's
 * portable vector types (SSE2 or NEON, or plain code elsewhere)
 * seldom stops.
 */
#include <stdint.h>
#include <string.h>

#include "internal.h"

typedef unsigned char vbytes __attribute__((vector_size(16)));

static bool
at(const unsigned char *p, unsigned char fold, unsigned char a,
    unsigned char b, unsigned char c)
{
	return (p[0] | fold) == a && (p[1] | fold) == b && (p[2] | fold) == c;
}

/*
 * The first place in P (N bytes) where A, B, C follow one another, or
 * NULL.  Each byte is ORed with FOLD first: 0x20 makes letters match
 * in either case (A, B and C given in lower case), 0 matches exactly.
 */
const unsigned char *
find3(const unsigned char *p, size_t n, unsigned char a, unsigned char b,
    unsigned char c, unsigned char fold)
{
	size_t i = 0, k;

	for (; n >= 18 && i <= n - 18; i += 16) {
		vbytes x, y, z, hit;
		uint64_t half[2];

		memcpy(&x, p + i, 16);
		memcpy(&y, p + i + 1, 16);
		memcpy(&z, p + i + 2, 16);
		x |= fold;
		y |= fold;
		z |= fold;
		hit = (vbytes)((x == a) & (y == b) & (z == c));
		memcpy(half, &hit, 16);
		if ((half[0] | half[1]) == 0)
			continue;
		/* which of the sixteen: rare, so plainly */
		for (k = i; k < i + 16; k++)
			if (at(p + k, fold, a, b, c))
				return p + k;
	}
	for (; i + 3 <= n; i++)
		if (at(p + i, fold, a, b, c))
			return p + i;
	return NULL;
}
