/*
 * fuzz_policy - the policy-file parser, and the checks run with
 * whatever policy it accepted.
 *
 * Input: a policy file, then optionally a NUL byte and a record (one
 * JSON object, as acmextract writes them; acmverify reads such records
 * from files anyone may have written).  The record is checked against
 * the policy; the first line of the file also goes to the time and
 * duration parsers.
 */
#include "fuzz.h"
#include "acmcheck.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void
first_line(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct acm_policy *p = acm_policy_new();
	char *s = g_strndup((const char *)data, nl ? nl - data : size);
	char *err = NULL;
	int64_t t;

	(void)acm_time_parse(s, &t);
	if (!acm_policy_set_max_age(p, s, &err))
		free(err);
	(void)acm_reason_parse(s);
	g_free(s);
	acm_policy_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t plen = nul ? (size_t)(nul - data) : size;
	struct acm_policy *p = acm_policy_new();
	char *err = NULL, *d;
	json_t *rec, *f;
	int k;

	if (!acm_policy_parse(p, (const char *)data, plen, "fuzz", &err)) {
		if (err == NULL || strncmp(err, "fuzz:", 5) != 0)
			abort();
		free(err);
	}
	for (k = 0; k < ACM_EXPECT_COUNT; k++) {
		free(acm_policy_describe(p, k));
		(void)acm_policy_allows(p, k, "example.com");
	}
	first_line(data, plen);
	if (nul && (rec = json_loadb((const char *)nul + 1, size - plen - 1,
	    0, NULL)) != NULL) {
		f = acm_check(p, rec, INT64_C(1717408800));
		if (!json_is_array(f))
			abort();
		(void)acm_findings_pass(f);
		if ((d = json_dumps(f, 0)) == NULL)
			abort();
		free(d);
		json_decref(f);
		json_decref(rec);
	}
	acm_policy_free(p);
	return 0;
}
