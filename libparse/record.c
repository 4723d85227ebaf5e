/*
 * record.c - the record: one jansson object per validation mail, with
 * the fields of DESIGN.md in that order and null where a value is
 * absent.  Fields after "warnings" are this implementation's additions
 * (the links an approver could click, the Return-Path), which the
 * checks of acmverify and acmaudit need.
 */
#include <string.h>

#include "record.h"

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A string from mail text: always valid UTF-8 for jansson. */
static json_t *
jtext(const char *s)
{
	char *c;
	json_t *j;

	if (s == NULL)
		return json_null();
	c = utf8_clean(s, strlen(s));
	j = json_string(c);
	g_free(c);
	return j ? j : json_null();
}

/*
 * Is this link about approving?  Those must go to an exact ACM
 * approval host; every other link of the mail only to an Amazon host.
 */
static bool
approval_ish(const char *href, const char *text, const char *id)
{
	return (id && strcmp(id, "approval_url") == 0) ||
	    (href && strcasestr(href, "approv")) ||
	    (text && strcasestr(text, "approv"));
}

static json_t *
link_json(const char *href, const char *text, const char *part,
    bool approval)
{
	json_t *o = json_object();

	json_object_set_new(o, "href", jtext(href));
	json_object_set_new(o, "text", jtext(text));
	json_object_set_new(o, "part", json_string(part));
	json_object_set_new(o, "approval", json_boolean(approval));
	return o;
}

/* Every link of an HTML part: anchors, image maps, form actions. */
void
record_add_links(GPtrArray *out, GPtrArray *html, const char *part)
{
	guint i;

	for (i = 0; i < html->len && out->len < RECORD_MAX_LINKS; i++) {
		struct link *l = html->pdata[i];

		g_ptr_array_add(out, link_json(l->href, l->text, part,
		    approval_ish(l->href, l->text, l->id)));
	}
}

/*
 * "http:" or "https:" and two slashes, either way round: browsers read
 * a backslash as a slash there, so https:/\\evil.example leads to
 * evil.example.  The length of the prefix, or 0.
 */
static size_t
scheme_at(const char *p)
{
	size_t k;

	if (g_ascii_strncasecmp(p, "https:", 6) == 0)
		k = 6;
	else if (g_ascii_strncasecmp(p, "http:", 5) == 0)
		k = 5;
	else
		return 0;
	if ((p[k] == '/' || p[k] == '\\') && (p[k + 1] == '/' ||
	    p[k + 1] == '\\'))
		return k + 2;
	return 0;
}

/* Where a URL written in text ends, sentence punctuation left out. */
static const char *
url_end(const char *p)
{
	const char *e = p, *end;

	while (*e && !g_ascii_isspace(*e) && *e != '<' && *e != '>' &&
	    *e != '"' && *e != '(' && *e != ')' && *e != '`')
		e++;
	for (end = e; end > p && strchr(".,;:!?'", end[-1]); end--)
		;
	return end;
}

static void
add_text_url(GPtrArray *out, const char *prefix, const char *p,
    const char *end, const char *part)
{
	char *url = g_strdup_printf("%s%.*s", prefix, (int)(end - p), p);

	g_ptr_array_add(out, link_json(url, NULL, part,
	    approval_ish(url, NULL, NULL)));
	g_free(url);
}

/*
 * Every http(s) URL written out in a text part; and an approval path
 * written without a scheme ("evil.example/approvals?code=..."), which
 * mail programs turn into a link all the same.
 */
void
record_add_text_urls(GPtrArray *out, const char *text, const char *part)
{
	const char *p = text, *h;

	while (out->len < RECORD_MAX_LINKS && (p = strcasestr(p, "http"))) {
		const char *end;

		if (scheme_at(p) == 0) {
			p += 4;
			continue;
		}
		end = url_end(p);
		add_text_url(out, "", p, end, part);
		p = end > p ? end : p + 1;
	}
	for (p = text; out->len < RECORD_MAX_LINKS &&
	    (p = strstr(p, "/approvals?")) != NULL; p++) {
		for (h = p; h > text && (g_ascii_isalnum(h[-1]) ||
		    h[-1] == '.' || h[-1] == '-'); h--)
			;
		/* a host with a dot, not the tail of a URL seen above */
		if (h == p || memchr(h, '.', p - h) == NULL ||
		    (h > text && (h[-1] == '/' || h[-1] == '\\' ||
		    h[-1] == '@' || h[-1] == ':')))
			continue;
		add_text_url(out, "https://", h, url_end(h), part);
	}
}

static json_t *
addresses(InternetAddressList *list)
{
	json_t *a = json_array();
	int i, n = list ? internet_address_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list,
		    i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia))
			json_array_append_new(a, jtext(
			    internet_address_mailbox_get_addr(
			    INTERNET_ADDRESS_MAILBOX(ia))));
		else if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			json_t *g = addresses(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)));

			json_array_extend(a, g);
			json_decref(g);
		}
	}
	return a;
}

/* Past blanks and (comments), which may nest (RFC 5322 CFWS). */
static const char *
skip_cfws(const char *s)
{
	int depth = 0;

	for (; *s; s++) {
		if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (depth == 0 && !g_ascii_isspace(*s))
			break;
		else if (*s == '\\' && depth > 0 && s[1])
			s++;
	}
	return s;
}

/* The next ';' outside comments and quoted strings, or the end. */
static const char *
next_semicolon(const char *s)
{
	int depth = 0;
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '\\' && s[1])
			s++;
		else if (quoted)
			quoted = *s != '"';
		else if (*s == '"')
			quoted = true;
		else if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
		else if (*s == ';' && depth == 0)
			return s;
	}
	return s;
}

/*
 * The result of METHOD in an Authentication-Results value, read the
 * way RFC 8601 lays it out: authserv-id, then ';'-separated results,
 * each starting "method=result".  Only the start of each result
 * counts: the sender chooses what follows (envelope-from=, header.i=),
 * and "envelope-from=dkim=pass.x@attacker.example" must not read as a
 * DKIM pass.
 */
static json_t *
auth_result(const char *ar, const char *method)
{
	size_t n = strlen(method);
	const char *s = next_semicolon(ar);

	while (*s == ';') {
		const char *r = skip_cfws(s + 1), *v, *e;

		s = next_semicolon(r);
		if (g_ascii_strncasecmp(r, method, n) != 0)
			continue;
		v = skip_cfws(r + n);
		if (*v != '=')
			continue;
		v = skip_cfws(v + 1);
		for (e = v; g_ascii_isalpha(*e); e++)
			;
		if (e > v) {
			char *up = g_ascii_strup(v, e - v);
			json_t *j = json_string(up);

			g_free(up);
			return j;
		}
	}
	return json_null();
}

/*
 * SES verdicts from the headers SES prepends: the topmost copy of each,
 * since anything lower may have been written by the sender.
 */
static json_t *
ses_from_headers(GMimeMessage *msg)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(GMIME_OBJECT(msg));
	const char *spam = NULL, *virus = NULL, *ar = NULL;
	int i, n = g_mime_header_list_get_count(hl);
	json_t *o;

	for (i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);

		if (!spam && g_ascii_strcasecmp(name,
		    "X-SES-Spam-Verdict") == 0)
			spam = g_mime_header_get_value(h);
		else if (!virus && g_ascii_strcasecmp(name,
		    "X-SES-Virus-Verdict") == 0)
			virus = g_mime_header_get_value(h);
		else if (!ar && g_ascii_strcasecmp(name,
		    "Authentication-Results") == 0)
			ar = g_mime_header_get_value(h);
	}
	if (!spam && !virus)
		return json_null();
	o = json_object();
	while (ar && g_ascii_isspace(*ar))
		ar++;
	if (ar && g_ascii_strncasecmp(ar, "amazonses.com", 13) != 0)
		ar = NULL;	/* not SES's own verdict */
	json_object_set_new(o, "spf", ar ? auth_result(ar, "spf") :
	    json_null());
	json_object_set_new(o, "dkim", ar ? auth_result(ar, "dkim") :
	    json_null());
	json_object_set_new(o, "dmarc", ar ? auth_result(ar, "dmarc") :
	    json_null());
	json_object_set_new(o, "spam", jtext(spam));
	json_object_set_new(o, "virus", jtext(virus));
	json_object_set_new(o, "source", json_string("headers"));
	return o;
}

static json_t *
source_json(const struct prov *p)
{
	json_t *o = json_object(), *layers = json_array();
	int i;

	json_object_set_new(o, "path", jtext(p->path));
	json_object_set_new(o, "entry", jtext(p->entry));
	json_object_set_new(o, "index", p->index >= 0 ?
	    json_integer(p->index) : json_null());
	json_object_set_new(o, "offset", p->offset >= 0 ?
	    json_integer(p->offset) : json_null());
	for (i = 0; i < p->nlayers; i++)
		json_array_append_new(layers, json_string(p->layers[i]));
	json_object_set_new(o, "layers", layers);
	return o;
}

/*
 * The From header as GMime reads it; but as written when GMime dropped
 * part of it ("a@certificates.amazon.com@evil.example" reads as the
 * first address alone), so that the checks and the reader see what
 * the mail really says.
 */
static json_t *
sender(GMimeMessage *msg, bool *as_written)
{
	InternetAddressList *list = g_mime_message_get_from(msg);
	const char *raw = g_mime_object_get_header(GMIME_OBJECT(msg), "From");
	char *s;
	json_t *j;
	int n;

	if (list == NULL || (n = internet_address_list_length(list)) == 0)
		return json_null();
	if (raw && address_at_signs(raw) != n) {
		s = g_strstrip(g_strdup(raw));
		*as_written = true;
	} else
		s = internet_address_list_to_string(list, NULL, FALSE);
	j = jtext(s);
	g_free(s);
	return j;
}

json_t *
record_build(GMimeMessage *msg, const struct fields *f,
    const struct prov *p, const char *sha, GPtrArray *warnings,
    GPtrArray *links)
{
	json_t *r = json_object(), *w = json_array(), *l = json_array();
	struct url_parts u = { 0 };
	GDateTime *date = g_mime_message_get_date(msg);
	char *rp = g_strdup(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "Return-Path"));
	bool from_raw = false;
	guint i;

	url_split(f->approval_url, &u);
	json_object_set_new(r, "template", jstr(f->template));
	json_object_set_new(r, "domain", jtext(f->domain));
	json_object_set_new(r, "requested_domain",
	    jtext(f->requested_domain));
	json_object_set_new(r, "account_id", jtext(f->account_id));
	json_object_set_new(r, "region", jtext(f->region));
	json_object_set_new(r, "certificate_id", jtext(f->certificate_id));
	json_object_set_new(r, "certificate_arn", jtext(f->certificate_arn));
	json_object_set_new(r, "approval_url", jtext(f->approval_url));
	json_object_set_new(r, "approval_host", jtext(u.host));
	json_object_set_new(r, "code", jtext(u.code));
	json_object_set_new(r, "context", jtext(u.context));
	json_object_set_new(r, "subject",
	    jtext(g_mime_message_get_subject(msg)));
	json_object_set_new(r, "from", sender(msg, &from_raw));
	json_object_set_new(r, "to", addresses(g_mime_message_get_addresses(
	    msg, GMIME_ADDRESS_TYPE_TO)));
	{
		char *d = date ? time_rfc3339(g_date_time_to_unix(date)) :
		    NULL;
		char *e = date && d ? time_rfc3339(g_date_time_to_unix(date) +
		    72 * 3600) : NULL;

		json_object_set_new(r, "date", jstr(d));
		json_object_set_new(r, "message_id",
		    jtext(g_mime_message_get_message_id(msg)));
		json_object_set_new(r, "expires", jstr(e));
		g_free(d);
		g_free(e);
	}
	json_object_set_new(r, "ses", p->ses ? json_deep_copy(p->ses) :
	    ses_from_headers(msg));
	json_object_set_new(r, "sns", p->sns ? json_deep_copy(p->sns) :
	    json_null());
	json_object_set_new(r, "source", source_json(p));
	json_object_set_new(r, "copy", json_boolean(p->copy));
	json_object_set_new(r, "sha256", json_string(sha));
	if (f->rejoined)
		json_array_append_new(w, json_string("approval link re-joined "
		    "across a line break"));
	if (u.host && !hostname_valid(u.host))
		json_array_append_new(w, json_string("approval link host is "
		    "not a DNS name"));
	for (i = 0; i < warnings->len; i++)
		json_array_append_new(w, jtext(warnings->pdata[i]));
	if (from_raw)
		json_array_append_new(w, json_string("the From header does "
		    "not read as plain addresses; kept as written"));
	json_object_set_new(r, "warnings", w);
	for (i = 0; i < links->len; i++)
		json_array_append(l, links->pdata[i]);
	json_object_set_new(r, "links", l);
	json_object_set_new(r, "return_path", jtext(rp ? g_strstrip(rp) :
	    NULL));
	g_free(rp);
	url_parts_clear(&u);
	return r;
}
