/*
 * unit.h - what every cmocka unit test includes.
 */
#ifndef ACM_UNIT_H
#define ACM_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <cmocka.h>

#include "internal.h"

/*
 * cmocka's string assertions hand NULL to strcmp; a field that should
 * be there and is not must fail the test, not crash it.
 */
static inline void
unit_assert_str(const char *a, const char *b, bool equal, const char *file,
    int line)
{
	if (a == NULL || b == NULL) {
		if ((a == b) == equal)
			return;
		print_error("\"%s\" %s \"%s\"\n", a ? a : "(null)",
		    equal ? "!=" : "==", b ? b : "(null)");
		_fail(file, line);
	}
	if (equal)
		_assert_string_equal(a, b, file, line);
	else
		_assert_string_not_equal(a, b, file, line);
}

#undef assert_string_equal
#undef assert_string_not_equal
#define assert_string_equal(a, b)	\
	unit_assert_str((a), (b), true, __FILE__, __LINE__)
#define assert_string_not_equal(a, b)	\
	unit_assert_str((a), (b), false, __FILE__, __LINE__)

/*
 * One validation mail in the current template, built from these parts
 * so that tests can assert each field against the value put in.
 */
#define UNIT_DOMAIN	"www.example.com"
#define UNIT_ACCOUNT	"111122223333"
#define UNIT_REGION	"eu-central-2"
#define UNIT_CERT_ID	"0f1e2d3c-4b5a-4697-8877-66554433aabb"
#define UNIT_ARN	"arn:aws:acm:" UNIT_REGION ":" UNIT_ACCOUNT \
			":certificate/" UNIT_CERT_ID
#define UNIT_CODE	"5c0ffee0-1234-4abc-9def-0123456789ab"
#define UNIT_CONTEXT	"5c0ffee1-2345-4bcd-8ef0-123456789abc-" \
			"65752d63656e7472616c2d32"
#define UNIT_HOST	UNIT_REGION ".acm-certificates.amazon.com"
#define UNIT_URL	"https://" UNIT_HOST "/approvals?code=" UNIT_CODE \
			"&context=" UNIT_CONTEXT

#define UNIT_BODY							\
	"Greetings from Amazon Web Services,\n"				\
	"\n"								\
	"We received a request to issue an SSL/TLS certificate for "	\
	UNIT_DOMAIN ".\n"						\
	"\n"								\
	"Verify that the following domain, AWS account ID, and "	\
	"certificate identifier correspond\n"				\
	"to a request from you or someone in your organization.\n"	\
	"\n"								\
	"Domain: " UNIT_DOMAIN "\n"					\
	"AWS account ID: " UNIT_ACCOUNT "\n"				\
	"AWS Region name: " UNIT_REGION "\n"				\
	"Certificate Identifier: " UNIT_ARN "\n"			\
	"\n"								\
	"To approve this request, go to Amazon Certificate Approvals\n"	\
	"(" UNIT_URL ")\n"						\
	"and follow the instructions on the page.\n"			\
	"\n"								\
	"This email is intended solely for authorized individuals for "	\
	UNIT_DOMAIN ". To express any concerns\n"			\
	"about this email or if this email has reached you in error, "	\
	"forward it along with a brief\n"				\
	"explanation of your concern to "				\
	"validation-questions@amazon.com.\n"				\
	"\n"								\
	"Sincerely,\n"							\
	"Amazon Web Services\n"

#define UNIT_HEADERS							\
	"From: Amazon Certificates <no-reply@certificates.amazon.com>\n" \
	"To: admin@example.com\n"					\
	"Subject: Certificate request for " UNIT_DOMAIN "\n"		\
	"Date: Wed, 05 Jun 2024 09:07:03 +0000\n"			\
	"Message-ID: <0100018f-unit@email.amazonses.com>\n"		\
	"MIME-Version: 1.0\n"						\
	"Content-Type: text/plain; charset=utf-8\n"			\
	"Content-Transfer-Encoding: 7bit\n"				\
	"\n"

#define UNIT_MAIL	UNIT_HEADERS UNIT_BODY

/* A diagnostic as reported, its strings copied. */
struct unit_diag {
	enum acm_severity	 severity;
	char			*message;
	char			*path;
	char			*entry;
	long			 index;
	long long		 offset;
};

/* Everything a scan reported, for the assertions that follow it. */
struct capture {
	json_t		*records;	/* array, in the order reported */
	GPtrArray	*diags;		/* struct unit_diag */
	GArray		*inputs;	/* struct acm_input_stats */
	GArray		*owned;		/* struct unit_owned */
};

/*
 * Memory a test hands to its capture, freed with it: a failed assertion
 * leaves the test by longjmp, and valgrind should still see no leak.
 */
struct unit_owned {
	gpointer	 p;
	GDestroyNotify	 destroy;
};

static inline void
unit_diag_free(gpointer data)
{
	struct unit_diag *d = data;

	g_free(d->message);
	g_free(d->path);
	g_free(d->entry);
	g_free(d);
}

static inline void
unit_on_record(json_t *rec, void *arg)
{
	struct capture *c = arg;

	json_array_append_new(c->records, rec);
}

static inline void
unit_on_diag(const struct acm_diag *d, void *arg)
{
	struct capture *c = arg;
	struct unit_diag *u = g_new0(struct unit_diag, 1);

	u->severity = d->severity;
	u->message = g_strdup(d->message);
	u->path = g_strdup(d->where.path);
	u->entry = g_strdup(d->where.entry);
	u->index = d->where.index;
	u->offset = d->where.offset;
	g_ptr_array_add(c->diags, u);
}

/* The path is kept only as far as the callback: it is not ours. */
static inline void
unit_on_input(const struct acm_input_stats *s, void *arg)
{
	struct capture *c = arg;
	struct acm_input_stats copy = *s;

	copy.path = g_intern_string(s->path);
	g_array_append_val(c->inputs, copy);
}

static inline void
unit_capture_init(struct capture *c)
{
	c->records = json_array();
	c->diags = g_ptr_array_new_with_free_func(unit_diag_free);
	c->inputs = g_array_new(FALSE, TRUE, sizeof(struct acm_input_stats));
	c->owned = g_array_new(FALSE, TRUE, sizeof(struct unit_owned));
}

static inline gpointer
unit_own(struct capture *c, gpointer p, GDestroyNotify destroy)
{
	struct unit_owned o = { p, destroy };

	g_array_append_val(c->owned, o);
	return p;
}

/* A string (or any g_malloc'd block) freed with the capture. */
static inline char *
unit_keep(struct capture *c, char *s)
{
	return unit_own(c, s, g_free);
}

static inline void
unit_capture_reset(struct capture *c)
{
	json_array_clear(c->records);
	g_ptr_array_set_size(c->diags, 0);
	g_array_set_size(c->inputs, 0);
}

static inline void
unit_capture_free(struct capture *c)
{
	guint i;

	/* last in, first out: a scanner may refer to earlier blocks */
	for (i = c->owned->len; i > 0; i--) {
		struct unit_owned *o = &g_array_index(c->owned,
		    struct unit_owned, i - 1);

		o->destroy(o->p);
	}
	g_array_free(c->owned, TRUE);
	json_decref(c->records);
	g_ptr_array_free(c->diags, TRUE);
	g_array_free(c->inputs, TRUE);
}

/*
 * A scanner reporting into C, on JOBS threads (0 or 1: none); LIMITS
 * NULL means the defaults.
 */
static inline struct acm_scanner *
unit_scanner_jobs(struct capture *c, enum acm_format fmt,
    const struct acm_limits *limits, int jobs)
{
	struct acm_options o;
	struct acm_scanner *sc;

	memset(&o, 0, sizeof(o));
	o.format = fmt;
	o.jobs = jobs;
	if (limits)
		o.limits = *limits;
	else
		acm_limits_default(&o.limits);
	o.on_record = unit_on_record;
	o.on_diag = unit_on_diag;
	o.on_input = unit_on_input;
	o.arg = c;
	sc = acm_scanner_new(&o);
	assert_non_null(sc);
	return sc;
}

static inline struct acm_scanner *
unit_scanner(struct capture *c, enum acm_format fmt,
    const struct acm_limits *limits)
{
	return unit_scanner_jobs(c, fmt, limits, 0);
}

static inline size_t
unit_nrecords(const struct capture *c)
{
	return json_array_size(c->records);
}

static inline json_t *
unit_record(const struct capture *c, size_t i)
{
	json_t *r = json_array_get(c->records, i);

	assert_non_null(r);
	return r;
}

/* Diagnostics of severity SEV whose message contains NEEDLE. */
static inline int
unit_ndiags(const struct capture *c, enum acm_severity sev,
    const char *needle)
{
	guint i;
	int n = 0;

	for (i = 0; i < c->diags->len; i++) {
		const struct unit_diag *d = c->diags->pdata[i];

		if (d->severity == sev && (needle == NULL ||
		    strstr(d->message, needle)))
			n++;
	}
	return n;
}

/* The first such diagnostic, failing the test when there is none. */
static inline const struct unit_diag *
unit_diag(const struct capture *c, enum acm_severity sev,
    const char *needle)
{
	guint i;

	for (i = 0; i < c->diags->len; i++) {
		const struct unit_diag *d = c->diags->pdata[i];

		if (d->severity == sev && strstr(d->message, needle))
			return d;
	}
	fail_msg("no %s containing \"%s\"", sev == ACM_ERROR ? "error" :
	    "warning", needle);
	return NULL;
}

/* The value at a dotted PATH ("ses.spf", "source.layers"), or NULL. */
static inline json_t *
unit_jget(json_t *j, const char *path)
{
	char **parts = g_strsplit(path, ".", -1);
	int i;

	for (i = 0; parts[i] && j; i++)
		j = json_object_get(j, parts[i]);
	g_strfreev(parts);
	return j;
}

/* The string at PATH; NULL when absent or null (never a default). */
static inline const char *
unit_jstr(json_t *j, const char *path)
{
	return json_string_value(unit_jget(j, path));
}

/* Does the string array at PATH hold a string containing NEEDLE? */
static inline bool
unit_jarray_has(json_t *j, const char *path, const char *needle)
{
	json_t *a = unit_jget(j, path), *v;
	size_t i;

	json_array_foreach(a, i, v)
		if (json_is_string(v) && strstr(json_string_value(v), needle))
			return true;
	return false;
}

/* The layers of a record's provenance joined with '/', kept by C. */
static inline const char *
unit_layers(struct capture *c, json_t *rec)
{
	json_t *a = unit_jget(rec, "source.layers"), *v;
	GString *s = g_string_new(NULL);
	size_t i;

	json_array_foreach(a, i, v) {
		if (i > 0)
			g_string_append_c(s, '/');
		g_string_append(s, json_string_value(v));
	}
	return unit_keep(c, g_string_free(s, FALSE));
}

/* UNIT_MAIL told apart from others by its Message-ID, kept by C. */
static inline char *
unit_mail(struct capture *c, const char *id)
{
	return unit_keep(c, g_strdup_printf(
	    "From: Amazon Certificates <no-reply@certificates.amazon.com>\n"
	    "To: admin@example.com\n"
	    "Subject: Certificate request for " UNIT_DOMAIN "\n"
	    "Date: Wed, 05 Jun 2024 09:07:03 +0000\n"
	    "Message-ID: <%s@unit.example>\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "\n" UNIT_BODY, id));
}

/*
 * An SES "Received" notification carrying MAIL as its content, UTF-8
 * text or base64 as ENCODING says ("UTF8", "BASE64"; NULL leaves the
 * hint out).  Verdicts: SPF and DKIM PASS, DMARC GRAY, spam and virus
 * PASS, so that each can be told apart in a record.
 */
static inline json_t *
unit_ses_doc(const char *mail, const char *encoding)
{
	json_t *action, *content;

	action = json_pack("{s:s, s:s}", "type", "SNS", "topicArn",
	    "arn:aws:sns:eu-west-1:111122223333:acm-mail");
	if (encoding)
		json_object_set_new(action, "encoding", json_string(encoding));
	if (encoding && strcmp(encoding, "BASE64") == 0) {
		char *b = g_base64_encode((const guchar *)mail, strlen(mail));

		content = json_string(b);
		g_free(b);
	} else
		content = json_string(mail);
	return json_pack("{s:s, s:{s:s, s:s, s:b}, "
	    "s:{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}, s:o}, s:o}",
	    "notificationType", "Received",
	    "mail", "timestamp", "2024-06-05T09:07:04.123Z",
	    "messageId", "o3lhbu2kkit1vr9unitunitunit", "headersTruncated", 0,
	    "receipt", "timestamp", "2024-06-05T09:07:04.123Z",
	    "spfVerdict", "status", "PASS",
	    "dkimVerdict", "status", "PASS",
	    "dmarcVerdict", "status", "GRAY",
	    "spamVerdict", "status", "PASS",
	    "virusVerdict", "status", "PASS",
	    "action", action,
	    "content", content);
}

/* An SNS Notification whose Message is MESSAGE. */
static inline json_t *
unit_sns_doc(const char *message)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "Type", "Notification",
	    "MessageId", "3f2a1b0c-1111-4222-8333-944455556666",
	    "TopicArn", "arn:aws:sns:eu-west-1:111122223333:acm-mail",
	    "Subject", "Amazon SES Email Receipt Notification",
	    "Message", message,
	    "Timestamp", "2024-06-05T09:07:05.456Z",
	    "SignatureVersion", "1",
	    "Signature", "c2lnbmF0dXJl",
	    "SigningCertURL", "https://sns.eu-west-1.amazonaws.com/"
	    "SimpleNotificationService-0123456789abcdef0123456789abcdef.pem",
	    "UnsubscribeURL", "https://sns.eu-west-1.amazonaws.com/"
	    "?Action=Unsubscribe");
}

/* J as JSON text (json_dumps FLAGS), kept by C; J's reference is taken. */
static inline char *
unit_dump(struct capture *c, json_t *j, size_t flags)
{
	char *s = json_dumps(j, flags);
	char *g = g_strdup(s);

	free(s);
	json_decref(j);
	return unit_keep(c, g);
}

/*
 * A reader_fn that hands its memory over STEP bytes at a time, so that
 * lines and look-ahead cross block boundaries.
 */
struct unit_chunks {
	const unsigned char	*p;
	size_t			 len;
	size_t			 pos;
	size_t			 step;
	int			 calls;
};

static inline ssize_t
unit_chunk_read(void *arg, const void **buf)
{
	struct unit_chunks *c = arg;
	size_t n = c->len - c->pos;

	c->calls++;
	if (n > c->step)
		n = c->step;
	*buf = c->p + c->pos;
	c->pos += n;
	return (ssize_t)n;
}

typedef void (*unit_scan_fn)(struct acm_scanner *, struct reader *,
    struct prov *);

/*
 * Run one container reader (mbox_scan, json_scan, ...) over memory in
 * STEP-byte blocks, with the reader set up the way source.c does.
 */
static inline void
unit_scan_mem(struct acm_scanner *sc, unit_scan_fn fn, const char *data,
    size_t len, size_t step, const char *path)
{
	struct unit_chunks ch = { (const unsigned char *)data, len, 0,
	    step, 0 };
	struct prov p;
	struct reader r;

	memset(&p, 0, sizeof(p));
	p.path = path;
	p.index = -1;
	p.offset = -1;
	reader_init(&r, unit_chunk_read, &ch);
	r.max_line = sc->opt.limits.max_message;
	fn(sc, &r, &p);
	reader_free(&r);
}

#endif
