/*
 * audit_sev.c - how much each reason code matters in an audit.
 *
 * acmverify has one answer, pass or fail; an auditor going through a
 * year of mail needs to see the phishing attempt before the mail that
 * is merely old.  The severities below are acmaudit's decision, part of
 * its interface like the codes themselves (man acmaudit, SEVERITIES).
 */
#include <string.h>

#include "audit_report.h"

static const char *const sev_names[] = {
	[AUDIT_INFO] = "info",
	[AUDIT_LOW] = "low",
	[AUDIT_MEDIUM] = "medium",
	[AUDIT_HIGH] = "high",
	[AUDIT_NEVER] = "none",
};

static const struct {
	const char	*code;
	enum audit_sev	 sev;
} code_sev[] = {
	/* the mail leads an approver somewhere else, or lies about
	   what it approves: what a phishing mail does */
	{ "link-host", AUDIT_HIGH },
	{ "link-scheme", AUDIT_HIGH },
	{ "link-text", AUDIT_HIGH },
	{ "account-inconsistent", AUDIT_HIGH },
	{ "region-inconsistent", AUDIT_HIGH },
	/* a signature that does not verify: forged or altered on the way */
	{ "dkim-fail", AUDIT_HIGH },
	{ "sns-signature-fail", AUDIT_HIGH },
	/* a certificate for an account nobody expected: the question an
	   audit is run to answer */
	{ "account-unexpected", AUDIT_HIGH },
	/* wrong but explainable: a forged or lost envelope, a mail for
	   someone else's domain, an old template sent late */
	{ "sender", AUDIT_MEDIUM },
	{ "ses-verdict", AUDIT_MEDIUM },
	{ "domain-unexpected", AUDIT_MEDIUM },
	{ "region-unexpected", AUDIT_MEDIUM },
	{ "certificate-unexpected", AUDIT_MEDIUM },
	{ "legacy-template", AUDIT_MEDIUM },
	{ "missing-field", AUDIT_MEDIUM },
	{ "truncated", AUDIT_MEDIUM },
	/* proof of origin asked for but not there, or not checkable */
	{ "dkim-missing", AUDIT_MEDIUM },
	{ "dkim-no-key", AUDIT_MEDIUM },
	{ "sns-signature-unverified", AUDIT_MEDIUM },
	/* normal in an archive: old mail, and mail forwarded to a colleague */
	{ "expired", AUDIT_LOW },
	{ "copy", AUDIT_LOW },
};

const char *
audit_sev_name(enum audit_sev s)
{
	if ((unsigned)s < G_N_ELEMENTS(sev_names))
		return sev_names[s];
	return "unknown";
}

int
audit_sev_parse(const char *s)
{
	unsigned i;

	for (i = 0; i < G_N_ELEMENTS(sev_names); i++)
		if (strcmp(s, sev_names[i]) == 0)
			return (int)i;
	return -1;
}

/* A code this table does not know yet is taken seriously. */
enum audit_sev
audit_code_sev(const char *code)
{
	unsigned i;

	for (i = 0; code && i < G_N_ELEMENTS(code_sev); i++)
		if (strcmp(code, code_sev[i].code) == 0)
			return code_sev[i].sev;
	return AUDIT_HIGH;
}
