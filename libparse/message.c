/*
 * message.c - one raw message: GMime parses it, its text parts are
 * decoded to UTF-8, HTML is rendered, and what extract.c finds becomes
 * a record.  Attached messages are scanned as copies; a body that is an
 * SNS notification is handed back to envelope.c.
 */
#include <string.h>

#include <gmime/gmime.h>

#include "internal.h"
#include "record.h"

struct textpart {
	char		*text;		/* UTF-8 */
	bool		 html;
	GPtrArray	*links;		/* struct link, HTML only */
};

static void
textpart_free(gpointer data)
{
	struct textpart *t = data;

	g_free(t->text);
	if (t->links)
		g_ptr_array_free(t->links, TRUE);
	g_free(t);
}

static void
parser_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer arg)
{
	GPtrArray *warn = arg;
	const char *what;

	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER:
		what = "duplicated header";
		break;
	case GMIME_WARN_DUPLICATED_PARAMETER:
		what = "duplicated parameter";
		break;
	case GMIME_WARN_UNENCODED_8BIT_HEADER:
		what = "unencoded 8-bit header";
		break;
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		what = "invalid Content-Type";
		break;
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		what = "invalid RFC 2047 header value";
		break;
	case GMIME_WARN_MALFORMED_MULTIPART:
		what = "malformed multipart";
		break;
	case GMIME_WARN_TRUNCATED_MESSAGE:
		what = "truncated: message ends early";
		break;
	case GMIME_WARN_MALFORMED_MESSAGE:
		what = "malformed message";
		break;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		what = "invalid header name";
		break;
	case GMIME_CRIT_CONFLICTING_HEADER:
		what = "conflicting header";
		break;
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		what = "conflicting parameter";
		break;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		what = "multipart without boundary";
		break;
	case GMIME_WARN_INVALID_PARAMETER:
		what = "invalid parameter";
		break;
	case GMIME_WARN_INVALID_ADDRESS_LIST:
		what = "invalid address list";
		break;
	case GMIME_CRIT_NESTING_OVERFLOW:
		what = "MIME nesting too deep";
		break;
	case GMIME_WARN_PART_WITHOUT_CONTENT:
		what = "part without content";
		break;
	default:
		what = "MIME problem";
		break;
	}
	(void)item;
	if (warn->len < 32)
		g_ptr_array_add(warn, g_strdup_printf("%s at byte %lld",
		    what, (long long)offset));
}

/* Decoded text of a part, converted to UTF-8. */
static char *
part_text(GMimePart *part, GPtrArray *warn)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	const char *cs = g_mime_object_get_content_type_parameter(
	    GMIME_OBJECT(part), "charset");
	GMimeStream *mem;
	GByteArray *ba;
	char *out = NULL;

	if (w == NULL)
		return g_strdup("");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	if (ba->len > 0 && cs && g_ascii_strcasecmp(cs, "utf-8") != 0 &&
	    g_ascii_strcasecmp(cs, "us-ascii") != 0) {
		const char *name = g_mime_charset_iconv_name(cs);
		gsize nr, nw;

		out = g_convert_with_fallback((const char *)ba->data, ba->len,
		    "UTF-8", name, "?", &nr, &nw, NULL);
		if (out == NULL && warn->len < 32)
			g_ptr_array_add(warn, g_strdup_printf("charset %s "
			    "unknown or wrong; read as UTF-8", cs));
	}
	if (out == NULL)
		out = utf8_clean(ba->len ? (const char *)ba->data : "",
		    ba->len);
	g_object_unref(mem);
	return out;
}

struct walk {
	struct acm_scanner	*sc;
	struct prov		*prov;
	GPtrArray		*parts;		/* struct textpart */
	GPtrArray		*warn;
	int			 depth;		/* counting attached mails */
	bool			 limit_said;
};

static void	analyse(struct acm_scanner *, GMimeMessage *,
		    const unsigned char *, size_t, struct prov *,
		    GPtrArray *, int depth);

/* An attached message: a copy, scanned as a mail of its own. */
static void
attached(struct walk *w, GMimeMessage *inner)
{
	struct prov q = *w->prov;
	GPtrArray *warn = g_ptr_array_new_with_free_func(g_free);
	char *raw;

	prov_push(&q, "message/rfc822");
	q.copy = true;
	raw = g_mime_object_to_string(GMIME_OBJECT(inner), NULL);
	analyse(w->sc, inner, (unsigned char *)raw, strlen(raw), &q, warn,
	    w->depth);
	g_free(raw);
	g_ptr_array_free(warn, TRUE);
}

static void
walk_part(struct walk *w, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (++w->depth > w->sc->opt.limits.max_mime_depth) {
		/* said once per mail, where the user sees it */
		if (!w->limit_said) {
			scan_warn(w->sc, w->prov, "MIME nested deeper than "
			    "%d; the rest is not read",
			    w->sc->opt.limits.max_mime_depth);
			g_ptr_array_add(w->warn, g_strdup_printf("MIME "
			    "nested deeper than %d; the rest is not read",
			    w->sc->opt.limits.max_mime_depth));
		}
		w->limit_said = true;
		w->depth--;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int i, n = g_mime_multipart_get_count(mp);

		for (i = 0; i < n; i++)
			walk_part(w, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(
		    GMIME_MESSAGE_PART(obj));

		if (m)
			attached(w, m);
	} else if (GMIME_IS_PART(obj) && ct &&
	    g_mime_content_type_is_type(ct, "text", "*")) {
		bool html = g_mime_content_type_is_type(ct, "text", "html");
		struct textpart *t;

		if (!html && !g_mime_content_type_is_type(ct, "text",
		    "plain") && !g_mime_content_type_is_type(ct, "text",
		    "enriched"))
			goto out;
		t = g_new0(struct textpart, 1);
		t->text = part_text(GMIME_PART(obj), w->warn);
		t->html = html;
		g_ptr_array_add(w->parts, t);
	}
out:
	w->depth--;
}

/* Subject lines of forwards and replies, in a few languages. */
static bool
forward_subject(const char *s)
{
	static const char *const pfx[] = {
		"fw:", "fwd:", "re:", "aw:", "wg:", "tr:", "rv:", "sv:",
		"vs:", "[fwd:", NULL
	};
	int i;

	if (s == NULL)
		return false;
	while (g_ascii_isspace(*s))
		s++;
	for (i = 0; pfx[i]; i++)
		if (g_ascii_strncasecmp(s, pfx[i], strlen(pfx[i])) == 0)
			return true;
	return false;
}

/* Fields from the first part that has the template and a link. */
static bool
find_fields(struct acm_scanner *sc, GPtrArray *parts, struct fields *f,
    GPtrArray *warn)
{
	bool found = false;
	guint i;

	for (i = 0; i < parts->len; i++) {
		struct textpart *t = parts->pdata[i];
		struct fields g = { 0 };

		if (t->html) {
			GString *txt = g_string_new(NULL);
			char *href;

			t->links = g_ptr_array_new_with_free_func(link_free);
			html_render(t->text, strlen(t->text), txt, t->links);
			href = extract_html_link(sc->pat, t->links);
			if (!extract_text(sc->pat, txt->str, txt->len, href,
			    &g)) {
				g_string_free(txt, TRUE);
				g_free(href);
				fields_clear(&g);
				continue;
			}
			g_string_free(txt, TRUE);
			/* the anchor's target, not the text beside it */
			if (href) {
				g_free(g.approval_url);
				g.approval_url = href;
			}
		} else if (!extract_text(sc->pat, t->text, strlen(t->text),
		    NULL, &g)) {
			fields_clear(&g);
			continue;
		}
		if (found) {
			if (g_strcmp0(g.approval_url, f->approval_url) != 0 &&
			    warn->len < 32)
				g_ptr_array_add(warn, g_strdup("another part "
				    "of this mail gives a different approval "
				    "link"));
			fields_clear(&g);
			continue;
		}
		*f = g;
		found = true;
	}
	return found;
}

/*
 * Every link an approver could follow, from every text part of the
 * mail (not only the part the fields came from): HTML anchors, image
 * maps and forms, and URLs written out in plain text.
 */
static void
collect_links(GPtrArray *parts, GPtrArray *links)
{
	guint i;

	for (i = 0; i < parts->len; i++) {
		struct textpart *t = parts->pdata[i];

		if (t->html && t->links)
			record_add_links(links, t->links, "text/html");
		else if (!t->html)
			record_add_text_urls(links, t->text, "text/plain");
	}
}

/*
 * Does the mail present itself as ACM's validation mail: ACM's subject
 * lines, or a From address at certificates.amazon.com?  Expiry notices
 * come from elsewhere, with another subject.
 */
static bool
claims_acm(GMimeMessage *msg)
{
	static const char *const subjects[] = {
		"Certificate request for ", "Certificate approval for ", NULL
	};
	const char *subj = g_mime_message_get_subject(msg);
	InternetAddressList *from = g_mime_message_get_from(msg);
	int i, n;

	for (i = 0; subj && subjects[i]; i++)
		if (g_ascii_strncasecmp(subj, subjects[i],
		    strlen(subjects[i])) == 0)
			return true;
	n = from ? internet_address_list_length(from) : 0;
	for (i = 0; i < n; i++) {
		InternetAddress *a = internet_address_list_get_address(from, i);
		const char *addr, *at;

		if (!INTERNET_ADDRESS_IS_MAILBOX(a))
			continue;
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(a));
		if (addr && (at = strrchr(addr, '@')) != NULL &&
		    g_ascii_strcasecmp(at + 1, "certificates.amazon.com") == 0)
			return true;
	}
	return false;
}

/* Parsed message -> record(s). */
static void
analyse(struct acm_scanner *sc, GMimeMessage *msg, const unsigned char *raw,
    size_t len, struct prov *p, GPtrArray *warn, int depth)
{
	struct walk w = { sc, p, g_ptr_array_new_with_free_func(textpart_free),
	    warn, depth, false };
	GPtrArray *links = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)json_decref);
	struct fields f = { 0 };
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	char sha[65];
	json_t *rec;

	if (body)
		walk_part(&w, body);

	/* an SNS e-mail delivery: the mail is inside the JSON */
	if (w.parts->len > 0 && !((struct textpart *)
	    w.parts->pdata[0])->html) {
		const char *t = ((struct textpart *)w.parts->pdata[0])->text;

		if (envelope_from_body(sc, t, strlen(t), p))
			goto out;
	}
	if (!find_fields(sc, w.parts, &f, warn)) {
		if (depth == 0 && !p->copy && claims_acm(msg)) {
			sha256_hex(raw, len, sha);
			scan_unreadable_acm(sc, p, sha, "looks like an ACM "
			    "validation mail (by its Subject or From), but no "
			    "approval link could be read from it");
		}
		goto out;
	}
	collect_links(w.parts, links);
	sha256_hex(raw, len, sha);
	if (p->copy || f.quoted || f.forwarded ||
	    forward_subject(g_mime_message_get_subject(msg)))
		p->copy = true;
	rec = record_build(msg, &f, p, sha, warn, links);
	json_object_set_new(rec, "dkim", proof_dkim(sc, raw, len, rec));
	sc->stats.records++;
	if (sc->opt.on_record)
		sc->opt.on_record(rec, sc->opt.arg);
	else
		json_decref(rec);
out:
	fields_clear(&f);
	g_ptr_array_free(links, TRUE);
	g_ptr_array_free(w.parts, TRUE);
}

/* Bytes up to the blank line that ends the header block. */
static size_t
header_block(const unsigned char *p, size_t n)
{
	const unsigned char *s = p, *end = p + n;

	while (s < end && (s = memchr(s, '\n', end - s)) != NULL) {
		s++;
		if (s < end && (*s == '\n' || (*s == '\r' && s + 1 < end &&
		    s[1] == '\n')))
			return s - p;
	}
	return n;
}

void
message_scan(struct acm_scanner *sc, const unsigned char *raw, size_t len,
    struct prov *p, GPtrArray *warn)
{
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	struct prov q = *p;

	size_t skip = 0, i;

	if (sc->pool) {
		pool_message(sc->pool, raw, len, p, warn);
		return;
	}
	sc->stats.messages++;

	/* a byte order mark, blank lines before the headers (saved mail) */
	if (len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	for (i = skip; i < len && (raw[i] == ' ' || raw[i] == '\t' ||
	    raw[i] == '\r' || raw[i] == '\n'); i++)
		if (raw[i] == '\n')
			skip = i + 1;
	if (!prefilter_maybe_acm(raw + skip, len - skip))
		return;
	if (header_block(raw + skip, len - skip) >
	    sc->opt.limits.max_header) {
		scan_warn(sc, &q, "header block larger than %zu bytes; "
		    "message skipped", sc->opt.limits.max_header);
		return;
	}
	stream = g_mime_stream_mem_new_with_buffer((const char *)raw + skip,
	    len - skip);
	parser = g_mime_parser_new_with_stream(stream);
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(opts, parser_warning, warn);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, opts);
	if (msg == NULL)
		scan_warn(sc, &q, "not a mail message (no header block)");
	else {
		analyse(sc, msg, raw, len, &q, warn, 0);
		g_object_unref(msg);
	}
	g_mime_parser_options_free(opts);
	g_object_unref(parser);
	g_object_unref(stream);
}
