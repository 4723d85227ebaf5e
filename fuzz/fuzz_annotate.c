/*
 * fuzz_annotate - acmverify --annotate's pass-through.  Whatever the
 * mail, the output must be the input byte for byte with exactly one
 * header line inserted: at the top, or after a leading mbox From_ line.
 * The line must be "X-ACM-Verify: " and printable ASCII, ended by the
 * message's own line end.  Anything else aborts.
 */
#include "fuzz.h"
#include "acmcheck.h"

#define NAME	"X-ACM-Verify: "

static struct acm_scanner *sc;
static struct acm_policy *pol;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char policy[] =
	    "account 111122223333\n"
	    "domain *.example.com example.net\n"
	    "region eu-west-1 eu-central-2 us-east-1\n"
	    "max-age 30d\n"
	    "require-ses spf dkim\n";
	char *err = NULL;

	(void)argc;
	(void)argv;
	sc = fuzz_scanner(ACM_FMT_MESSAGE);
	pol = acm_policy_new();
	if (!acm_policy_parse(pol, policy, sizeof(policy) - 1, "fuzz", &err))
		abort();
	return 0;
}

/* The one inserted line: the name, printable ASCII, one line end. */
static void
check_line(const char *s, size_t n)
{
	size_t i, end;

	if (n < sizeof(NAME) || memcmp(s, NAME, sizeof(NAME) - 1) != 0 ||
	    s[n - 1] != '\n')
		abort();
	end = (n >= 2 && s[n - 2] == '\r') ? n - 2 : n - 1;
	for (i = 0; i < end; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
	s += sizeof(NAME) - 1;
	if (strncmp(s, "pass", 4) != 0 && strncmp(s, "fail", 4) != 0 &&
	    strncmp(s, "none", 4) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl;
	size_t outlen = 0, at = 0, added;
	char *out;

	out = acm_annotate(sc, pol, INT64_C(1717408800), data, size, &outlen);
	if (out == NULL) {
		/* only a message over the size limit passes unmarked */
		if (size <= sc->opt.limits.max_message)
			abort();
		return 0;
	}
	if (size >= 5 && memcmp(data, "From ", 5) == 0 &&
	    (nl = memchr(data, '\n', size)) != NULL)
		at = nl - data + 1;
	if (outlen <= size)
		abort();
	added = outlen - size;
	if (memcmp(out, data, at) != 0 ||
	    memcmp(out + at + added, data + at, size - at) != 0)
		abort();
	check_line(out + at, added);
	free(out);
	return 0;
}
