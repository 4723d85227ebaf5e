/*
 * envelope.c - unwrap what wraps a mail: SNS notifications, SES
 * "Received" notifications (content as UTF-8 or base64), Lambda events,
 * and mails whose text body is itself such JSON (SNS "email" and
 * "email-json" deliveries).
 */
#include <string.h>

#include "internal.h"

/* Does J look like one of acmextract's own records? */
bool
is_record(json_t *j)
{
	return json_is_object(j) && json_object_get(j, "template") &&
	    json_object_get(j, "approval_url") &&
	    json_object_get(j, "sha256") && json_object_get(j, "source");
}

static const char *
str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The first of KEYS that O has as a string. */
static const char *
str2(json_t *o, const char *a, const char *b)
{
	const char *s = str(o, a);

	return s ? s : str(o, b);
}

static json_t *
sns_facts(json_t *o)
{
	json_t *f = json_object();
	const char *v;

	json_object_set_new(f, "message_id",
	    (v = str(o, "MessageId")) ? json_string(v) : json_null());
	json_object_set_new(f, "topic_arn",
	    (v = str(o, "TopicArn")) ? json_string(v) : json_null());
	json_object_set_new(f, "timestamp",
	    (v = str(o, "Timestamp")) ? json_string(v) : json_null());
	json_object_set_new(f, "signature_version",
	    (v = str(o, "SignatureVersion")) ? json_string(v) : json_null());
	json_object_set_new(f, "signing_cert_url", (v = str2(o,
	    "SigningCertURL", "SigningCertUrl")) ? json_string(v) :
	    json_null());
	return f;
}

static json_t *
verdict(json_t *receipt, const char *key)
{
	const char *s = str(json_object_get(receipt, key), "status");

	return s ? json_string(s) : json_null();
}

static json_t *
ses_facts(json_t *receipt)
{
	json_t *f = json_object();

	json_object_set_new(f, "spf", verdict(receipt, "spfVerdict"));
	json_object_set_new(f, "dkim", verdict(receipt, "dkimVerdict"));
	json_object_set_new(f, "dmarc", verdict(receipt, "dmarcVerdict"));
	json_object_set_new(f, "spam", verdict(receipt, "spamVerdict"));
	json_object_set_new(f, "virus", verdict(receipt, "virusVerdict"));
	json_object_set_new(f, "source", json_string("receipt"));
	return f;
}

/* Letters, digits, '-' and '_', at most 32 of them. */
static bool
plain_word(const char *s)
{
	size_t i;

	if (s == NULL || *s == '\0')
		return false;
	for (i = 0; s[i]; i++)
		if (i >= 32 || !(g_ascii_isalnum(s[i]) || s[i] == '-' ||
		    s[i] == '_'))
			return false;
	return true;
}

/*
 * A mail carried in JSON, held to the message size limit as one read
 * from a file is: the JSON document limit is far larger.
 */
static void
scan_carried(struct acm_scanner *sc, const void *raw, size_t n,
    struct prov *p, GPtrArray *warn)
{
	size_t max = sc->opt.limits.max_message;

	if (n > max) {
		scan_warn(sc, p, "message larger than %zu bytes; only the "
		    "first %zu are read", max, max);
		g_ptr_array_add(warn, g_strdup_printf("truncated: message "
		    "larger than %zu bytes", max));
		n = max;
	}
	message_scan(sc, raw, n, p, warn);
}

/* Base64 when the action says so, or when it cannot be a mail. */
static bool
content_is_base64(json_t *ses, const char *c, size_t n)
{
	const char *enc = str(json_object_get(json_object_get(ses, "receipt"),
	    "action"), "encoding");
	size_t i;

	if (enc)
		return g_ascii_strcasecmp(enc, "BASE64") == 0 ||
		    g_ascii_strcasecmp(enc, "BASE-64") == 0;
	for (i = 0; i < n && i < 4096; i++)
		if (!g_ascii_isalnum(c[i]) && c[i] != '+' && c[i] != '/' &&
		    c[i] != '=' && c[i] != '\r' && c[i] != '\n')
			return false;
	return n > 0;
}

static void
ses_walk(struct acm_scanner *sc, json_t *ses, struct prov *p)
{
	json_t *content = json_object_get(ses, "content");
	json_t *receipt = json_object_get(ses, "receipt");
	json_t *facts = receipt ? ses_facts(receipt) : NULL;
	GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);
	const char *c = json_string_value(content);
	size_t n = json_string_length(content);
	struct prov q = *p;

	prov_push(&q, "ses");
	if (facts)
		q.ses = facts;
	if (c == NULL) {
		const char *type = str(json_object_get(receipt, "action"),
		    "type");

		/*
		 * an S3 or Lambda action: the mail is stored elsewhere.  The
		 * type is named only when it is a plain word: a diagnostic
		 * is one line, and the JSON may hold anything.
		 */
		if (json_object_get(ses, "mail"))
			scan_warn(sc, &q, "SES notification without content "
			    "(action %s); the mail itself is not here",
			    plain_word(type) ? type : "unknown");
		goto out;
	}
	if (json_is_true(json_object_get(json_object_get(ses, "mail"),
	    "headersTruncated")))
		g_ptr_array_add(warn, g_strdup("truncated: SES says the "
		    "headers were truncated"));
	if (content_is_base64(ses, c, n)) {
		size_t len;
		char *raw = base64_decode_loose(c, n, &len);

		prov_push(&q, "base64");
		if (raw == NULL) {
			scan_warn(sc, &q, "SES content is not valid base64");
			goto out;
		}
		scan_carried(sc, raw, len, &q, warn);
		g_free(raw);
	} else
		scan_carried(sc, c, n, &q, warn);
out:
	g_ptr_array_free(warn, TRUE);
	json_decref(facts);
}

static void
sns_walk(struct acm_scanner *sc, json_t *sns, struct prov *p)
{
	const char *msg = str(sns, "Message");
	size_t n = json_string_length(json_object_get(sns, "Message"));
	json_t *facts = sns_facts(sns), *inner;
	struct prov q = *p;
	size_t used;

	prov_push(&q, "sns");
	json_object_set_new(facts, "signature", proof_sns(sc, sns));
	q.sns = facts;
	if (msg == NULL)
		goto out;
	if (++q.depth > sc->opt.limits.max_envelope_depth) {
		scan_warn(sc, &q, "envelopes nested deeper than %d; skipped",
		    sc->opt.limits.max_envelope_depth);
		goto out;
	}
	if (n > 0 && (msg[0] == '{' || msg[0] == '[')) {
		inner = json_parse_limited(sc, msg, n, &q, &used, false,
		    0);
		if (inner) {
			envelope_walk(sc, inner, &q);
			json_decref(inner);
		}
	} else if (looks_like_header((const unsigned char *)msg, n)) {
		GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);

		scan_carried(sc, msg, n, &q, warn);
		g_ptr_array_free(warn, TRUE);
	}
out:
	json_decref(facts);
}

void
envelope_walk(struct acm_scanner *sc, json_t *j, struct prov *p)
{
	json_t *records, *v;
	size_t i;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			envelope_walk(sc, v, p);
		return;
	}
	if (!json_is_object(j))
		return;
	if (json_is_array(records = json_object_get(j, "Records"))) {
		json_array_foreach(records, i, v) {
			struct prov q = *p;
			json_t *s;

			prov_push(&q, "lambda");
			if ((s = json_object_get(v, "Sns")))
				sns_walk(sc, s, &q);
			else if ((s = json_object_get(v, "ses")))
				ses_walk(sc, s, &q);
		}
		return;
	}
	if (str(j, "Type") && json_object_get(j, "Message")) {
		sns_walk(sc, j, p);
		return;
	}
	if (json_object_get(j, "content") || (str(j, "notificationType") &&
	    strcmp(str(j, "notificationType"), "Received") == 0))
		ses_walk(sc, j, p);
}

/*
 * An SNS e-mail delivery carries the notification as its text body:
 * undo the "!" + newline + space re-wraps, cut the unsubscribe footer
 * and walk the JSON.  True when the body was such JSON.
 */
bool
envelope_from_body(struct acm_scanner *sc, const char *text, size_t n,
    struct prov *p)
{
	const char *s = text, *end = text + n, *cut;
	GString *js;
	json_t *j;
	size_t used;
	struct prov q = *p;

	while (s < end && g_ascii_isspace(*s))
		s++;
	if (s == end || *s != '{')
		return false;
	if (!g_strstr_len(s, end - s, "\"notificationType\"") &&
	    !g_strstr_len(s, end - s, "\"Type\""))
		return false;
	js = g_string_sized_new(end - s);
	while (s < end) {
		if (*s == '!' && s + 2 < end && s[1] == '\n' && s[2] == ' ')
			s += 3;
		else if (*s == '!' && s + 3 < end && s[1] == '\r' &&
		    s[2] == '\n' && s[3] == ' ')
			s += 4;
		else
			g_string_append_c(js, *s++);
	}
	if ((cut = strstr(js->str, "\n\n--\n")) ||
	    (cut = strstr(js->str, "\r\n\r\n--\r\n")))
		g_string_truncate(js, cut - js->str);
	prov_push(&q, "sns-email");
	if (++q.depth > sc->opt.limits.max_envelope_depth) {
		scan_warn(sc, &q, "envelopes nested deeper than %d; skipped",
		    sc->opt.limits.max_envelope_depth);
		g_string_free(js, TRUE);
		return true;
	}
	j = json_parse_limited(sc, js->str, js->len, &q, &used, false,
	    0);
	g_string_free(js, TRUE);
	if (j == NULL)
		return false;
	envelope_walk(sc, j, &q);
	json_decref(j);
	return true;
}
