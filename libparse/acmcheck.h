/*
 * acmcheck.h - the checks of acmverify and acmaudit: a record (the
 * jansson object of acm.h) and a policy go in, findings come out.
 *
 * The checks read nothing but the record, so that a record read back
 * from acmextract's JSON Lines gives the same verdict as one fresh from
 * the scanner.  Like the rest of libparse, nothing here prints.
 *
 * Strings handed back through "char **err" are allocated with malloc;
 * the caller frees them with free().
 */
#ifndef ACMCHECK_H
#define ACMCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "acm.h"

/*
 * ACM changed its mail template, and the approval host with it, in
 * November 2020.  Legacy-template mail and the legacy hosts
 * (REGION.certificates.amazon.com, certificates.amazon.com) are genuine
 * only when dated before this instant.
 */
#define ACM_TEMPLATE_CUTOFF	"2020-11-01T00:00:00Z"
#define ACM_TEMPLATE_CUTOFF_T	INT64_C(1604188800)

/* An approval link stays valid for 72 hours after the mail was sent. */
#define ACM_DEFAULT_MAX_AGE	(72 * 3600)

/* Reason codes.  Their names are part of the interface. */
enum acm_reason {
	ACM_R_LINK_HOST,
	ACM_R_LINK_SCHEME,
	ACM_R_LINK_TEXT,
	ACM_R_ACCOUNT_INCONSISTENT,
	ACM_R_REGION_INCONSISTENT,
	ACM_R_SENDER,
	ACM_R_SES_VERDICT,
	ACM_R_EXPIRED,
	ACM_R_ACCOUNT_UNEXPECTED,
	ACM_R_DOMAIN_UNEXPECTED,
	ACM_R_REGION_UNEXPECTED,
	ACM_R_CERTIFICATE_UNEXPECTED,
	ACM_R_LEGACY_TEMPLATE,
	ACM_R_MISSING_FIELD,
	ACM_R_COPY,
	ACM_R_TRUNCATED,
	ACM_R_DKIM_FAIL,
	ACM_R_DKIM_MISSING,
	ACM_R_DKIM_NO_KEY,
	ACM_R_SNS_SIGNATURE_FAIL,
	ACM_R_SNS_SIGNATURE_UNVERIFIED,
	ACM_R_COUNT
};

/* "link-host" etc.; NULL when out of range.  Parse gives -1 if unknown. */
const char	*acm_reason_name(enum acm_reason);
int		 acm_reason_parse(const char *);

/* What the user expects a validation mail to name. */
enum acm_expect {
	ACM_EXPECT_ACCOUNT,	/* 12 digits; dashes are dropped */
	ACM_EXPECT_DOMAIN,	/* exact, or *.example.com: any subdomain */
	ACM_EXPECT_REGION,	/* e.g. eu-west-1 */
	ACM_EXPECT_CERT,	/* certificate ARN or UUID */
	ACM_EXPECT_COUNT
};

/* The SES verdicts; --require-ses wants ACM_SES_DEFAULT present. */
#define ACM_SES_SPF	0x01u
#define ACM_SES_DKIM	0x02u
#define ACM_SES_DMARC	0x04u
#define ACM_SES_SPAM	0x08u
#define ACM_SES_VIRUS	0x10u
#define ACM_SES_DEFAULT	(ACM_SES_SPF | ACM_SES_DKIM | ACM_SES_SPAM | \
			    ACM_SES_VIRUS)

/* Expectations and rule settings; opaque. */
struct acm_policy;

struct acm_policy	*acm_policy_new(void);
void			 acm_policy_free(struct acm_policy *);

/* Add an expectation; false with *ERR set when VALUE is not one. */
bool	acm_policy_expect(struct acm_policy *, enum acm_expect,
	    const char *value, char **err);

/*
 * The age rule: "72h", "30d", "90m", "3600s", "2w"; "none" or "0"
 * turns it off.
 */
bool	acm_policy_set_max_age(struct acm_policy *, const char *,
	    char **err);
int64_t	acm_policy_max_age(const struct acm_policy *);	/* 0: no rule */

/* Verdicts (ACM_SES_*) that must be present; 0 requires none. */
void	 acm_policy_require_ses(struct acm_policy *, unsigned);
unsigned acm_policy_ses(const struct acm_policy *);

/*
 * Proof of origin, as acmextract --dkim-keys and --sns-certs wrote it
 * into the record.  require-dkim: a mail passes only when a DKIM
 * signature by one of the named domains passes; DOMAIN NULL names ACM's
 * sending domain, certificates.amazon.com.  require-sns-signature: only
 * when the SNS notification that carried the mail verifies.
 */
bool	acm_policy_require_dkim(struct acm_policy *, const char *domain,
	    char **err);
/* The domains required, NULL-terminated; NULL when DKIM is not. */
const char *const *acm_policy_dkim_domains(const struct acm_policy *);
void	acm_policy_require_sns_signature(struct acm_policy *);
bool	acm_policy_sns_signature_required(const struct acm_policy *);

/*
 * The policy file format (man acmverify, POLICY FILE FORMAT), parsed
 * from a buffer.  On a bad line *ERR is "NAME:LINE: what is wrong" and
 * the policy keeps the lines before it.
 */
bool	acm_policy_parse(struct acm_policy *, const char *buf, size_t len,
	    const char *name, char **err);
/* The same from a file; *ERR may also be "PATH: cannot read: ...". */
bool	acm_policy_load(struct acm_policy *, const char *path, char **err);

/*
 * Does the policy allow VALUE?  1 yes, 0 no, -1 when it sets no
 * expectation of that kind.  VALUE is compared after the same
 * normalisation the expectation had.
 */
int	acm_policy_allows(const struct acm_policy *, enum acm_expect,
	    const char *value);
/* The expectations of one kind, ", "-separated; free().  NULL if none. */
char	*acm_policy_describe(const struct acm_policy *, enum acm_expect);

/* RFC 3339 ("2017-05-10T00:00:00Z", "...+02:00") to Unix seconds. */
bool	acm_time_parse(const char *, int64_t *);

/*
 * Check one record at NOW (Unix seconds).  Returns a new JSON array of
 * findings, each an object
 *	{ "code", "severity": "fail"|"note", "message",
 *	  "expected", "found" }
 * in a fixed order; "expected" and "found" may be null.  Notes explain
 * a rule that was applied but did not fail; only "fail" findings make
 * the verdict fail.  "message" quotes mail text: escape it for output.
 */
json_t	*acm_check(const struct acm_policy *, json_t *record, int64_t now);
bool	 acm_findings_pass(json_t *findings);

/*
 * For a diagnostic with unreadable_acm: a record of its own, holding
 * only where the mail is ("source", "sha256") and "unreadable", the
 * diagnostic's sentence.  acm_check gives it one finding,
 * missing-field, so every tool reports it as it reports a record.
 */
json_t	*acm_unreadable_record(const struct acm_diag *);

/*
 * Filter mode: check the one message MSG with SC (its on_record
 * callback is set aside for the call; diagnostics still reach its
 * on_diag) and return MSG, byte for byte, with one header inserted at the
 * top (after a leading mbox "From " line), written with the message's
 * own line end:
 *	X-ACM-Verify: pass|fail|none [reasons=CODE,...] [domain=...]
 *	    [account=...] [region=...] [mails=N]
 * The value is built from a fixed alphabet only; mail text never
 * reaches it raw.  Returns NULL on any failure and when MSG is over
 * the scanner's message size limit: the caller then writes MSG
 * unchanged.  *OUTLEN gets the length; free() the result.
 */
char	*acm_annotate(struct acm_scanner *, const struct acm_policy *,
	    int64_t now, const void *msg, size_t len, size_t *outlen);

/* Just the insertion: MSG plus "NAME: VALUE" and MSG's line end. */
char	*acm_insert_header(const void *msg, size_t len, const char *name,
	    const char *value, size_t *outlen);

#endif /* ACMCHECK_H */
