/*
 * jsonin.c - JSON documents from a byte stream: one document, an array,
 * concatenated documents, or JSON Lines.
 *
 * JSON Lines are read a line at a time, so memory stays flat however
 * long the file.  Anything else is read whole, up to the document size
 * limit.  Nesting is measured before jansson sees the text, so a
 * hostile 100k-deep document costs one linear pass and a warning.
 */
#include <string.h>

#include "internal.h"

/*
 * Deepest bracket nesting of the first value in S, outside strings;
 * stops counting past LIMIT.  Only the first value is measured, so
 * that concatenated documents cost linear time, not quadratic.
 */
static int
json_depth(const char *s, size_t n, int limit)
{
	int depth = 0, max = 0;
	bool str = false;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '{' || c == '[') {
			if (++depth > max && (max = depth) > limit)
				return max;
		} else if ((c == '}' || c == ']') && --depth <= 0)
			break;	/* the end of the first value */
	}
	return max;
}

/*
 * Parse one JSON value at the start of S.  *USED is how many bytes it
 * took (the whole of S when the value does not end cleanly).  NULL on
 * error, with a warning naming the line and column.
 */
json_t *
json_parse_limited(struct acm_scanner *sc, const char *s, size_t n,
    const struct prov *p, size_t *used, bool fatal, long first_line)
{
	int limit = sc->opt.limits.max_json_depth;
	json_error_t err;
	json_t *j;

	*used = n;
	if (json_depth(s, n, limit) > limit) {
		scan_warn(sc, p, "JSON nested deeper than %d levels; skipped",
		    limit);
		return NULL;
	}
	j = json_loadb(s, n, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &err);
	if (j == NULL) {
		char *c;

		/* jansson quotes the bad token raw; a diagnostic is one line */
		for (c = err.text; *c; c++)
			if ((unsigned char)*c < ' ' || *c == 0x7f)
				*c = '?';
		(fatal ? scan_error : scan_warn)(sc, p,
		    "bad JSON at line %ld, column %d: %s", first_line > 0 ?
		    first_line + err.line - 1 : err.line, err.column,
		    err.text);
		return NULL;
	}
	*used = err.position;
	return j;
}

static bool
all_space(const char *s, size_t n)
{
	while (n > 0 && g_ascii_isspace(*s))
		s++, n--;
	return n == 0;
}

/*
 * One of acmextract's own records, read back: handed on as it is when
 * the tool reads record files (acmaudit), else said once and skipped.
 */
static void
take_record(struct acm_scanner *sc, json_t *j, const struct prov *p)
{
	if (sc->opt.accept_records) {
		if (sc->pool)
			pool_record(sc->pool, j);
		else if (sc->opt.on_record)
			sc->opt.on_record(json_incref(j), sc->opt.arg);
		return;
	}
	if (!sc->records_warned)
		scan_warn(sc, p, "acmextract records, not mail (acmaudit "
		    "reads these); skipped");
	sc->records_warned = true;
}

/*
 * An input's totals as acmextract --inventory writes them, read back:
 * {"input": {"path":..., "bytes":..., "sha256":..., ...}}.
 */
static bool
take_inventory(struct acm_scanner *sc, json_t *j)
{
	json_t *in = json_object_get(j, "input");
	struct acm_input_stats st;

	if (!sc->opt.accept_records || !json_is_object(in) ||
	    json_object_size(j) != 1 ||
	    !json_is_string(json_object_get(in, "path")))
		return false;
	memset(&st, 0, sizeof(st));
	st.path = json_string_value(json_object_get(in, "path"));
	st.bytes = json_integer_value(json_object_get(in, "bytes"));
	st.messages = json_integer_value(json_object_get(in, "messages"));
	st.records = json_integer_value(json_object_get(in, "records"));
	st.errors = json_integer_value(json_object_get(in, "errors"));
	st.warnings = json_integer_value(json_object_get(in, "warnings"));
	g_strlcpy(st.sha256, json_string_value(json_object_get(in,
	    "sha256")) ? json_string_value(json_object_get(in, "sha256")) :
	    "", sizeof(st.sha256));
	if (sc->pool)
		pool_carried(sc->pool, &st);
	else if (sc->opt.on_input)
		sc->opt.on_input(&st, sc->opt.arg);
	return true;
}

static void
walk_document(struct acm_scanner *sc, json_t *j, struct prov *p)
{
	if (take_inventory(sc, j))
		return;
	if (json_is_array(j)) {
		size_t i;
		json_t *v;

		json_array_foreach(j, i, v) {
			struct prov q = *p;

			/* an array document: the element is the message */
			if (q.index < 0)
				q.index = (long)i;
			if (is_record(v))
				take_record(sc, v, p);
			else
				envelope_walk(sc, v, &q);
		}
		return;
	}
	if (is_record(j))
		take_record(sc, j, p);
	else
		envelope_walk(sc, j, p);
}

enum shape { SHAPE_OK, SHAPE_DEEP, SHAPE_BAD };

/*
 * A one-pass look at a line of JSON: brackets balanced and within the
 * depth limit, strings closed, nothing outside strings but what JSON
 * allows there.  Lines the prefilter clears are not parsed, so this is
 * what still tells a damaged line (cut short, garbled) from a good one;
 * anything it doubts goes to the real parser, which says what is wrong.
 */
static enum shape
json_shape(const unsigned char *s, size_t n, int limit)
{
	static const char allowed[] = "0123456789+-.eE:,[]{} \t\r\n"
	    "truefalsn";
	int depth = 0;
	bool str = false, opened = false;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = s[i];

		if (str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"')
			str = true;
		else if (c == '{' || c == '[') {
			opened = true;
			if (++depth > limit)
				return SHAPE_DEEP;
		} else if (c == '}' || c == ']') {
			if (--depth < 0)
				return SHAPE_BAD;
		} else if (c == '\0' || !strchr(allowed, c))
			return SHAPE_BAD;
	}
	return (opened && depth == 0 && !str) ? SHAPE_OK : SHAPE_BAD;
}

/*
 * One line of JSON Lines, Q saying where: parsed and walked, unless
 * the pre-test says it cannot hold a validation mail.  With -j a
 * worker does this, so that the lines of one big dump are parsed on
 * every core.
 */
void
json_line_scan(struct acm_scanner *sc, const unsigned char *s, size_t n,
    struct prov *q)
{
	size_t used;
	json_t *j;

	if (!sc->opt.accept_records &&
	    json_shape(s, n, sc->opt.limits.max_json_depth) == SHAPE_OK &&
	    !prefilter_maybe_json(s, n)) {
		sc->stats.messages++;	/* one notification a line */
		return;
	}
	j = json_parse_limited(sc, (const char *)s, n, q, &used, true,
	    q->index + 1);
	if (j == NULL)
		return;
	if (!all_space((const char *)s + used, n - used))
		scan_warn(sc, q, "text after the JSON value on this line "
		    "ignored");
	walk_document(sc, j, q);
	json_decref(j);
}

/*
 * One value per line, each its own document.  Lines that cannot hold
 * a validation mail (the prefilter reads JSON escapes and base64
 * content) are not parsed at all: parsing was most of the time spent
 * on SNS dumps.
 */
static void
scan_lines(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	size_t max = sc->opt.limits.max_json_doc;
	const unsigned char *s;
	size_t n;
	long line = -1;

	r->max_line = 0;
	for (;;) {
		long long off = r->offset;
		struct prov q = *p;

		if (!reader_line(r, &s, &n))
			break;
		line++;
		if (all_space((const char *)s, n))
			continue;
		q.index = line;
		q.offset = off;
		if (n > max) {
			scan_warn(sc, &q, "JSON line longer than %zu bytes; "
			    "skipped", max);
			continue;
		}
		if (sc->pool && !sc->opt.accept_records)
			pool_json_line(sc->pool, s, n, &q);
		else
			json_line_scan(sc, s, n, &q);
	}
}

static long
count_lines(const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n;
	long k = 0;

	while (s < end && (s = memchr(s, '\n', end - s)) != NULL) {
		s++;
		k++;
	}
	return k;
}

/* The whole input, then one value after another. */
static void
scan_whole(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	size_t max = sc->opt.limits.max_json_doc;
	const unsigned char *buf;
	size_t n = reader_peek(r, max + 1, &buf), pos = 0;
	long doc = 0, first_line = 1;

	if (n > max) {
		scan_warn(sc, p, "JSON document larger than %zu bytes; "
		    "skipped", max);
		return;
	}
	while (!all_space((const char *)buf + pos, n - pos)) {
		struct prov q = *p;
		size_t used;
		json_t *j;

		q.index = doc++;
		q.offset = pos;
		j = json_parse_limited(sc, (const char *)buf + pos, n - pos,
		    &q, &used, true, first_line);
		if (j == NULL)
			break;
		if (doc == 1 && all_space((const char *)buf + pos + used,
		    n - pos - used))
			q.index = -1;	/* the only document */
		walk_document(sc, j, &q);
		json_decref(j);
		first_line += count_lines(buf + pos, used);
		pos += used;
	}
}

void
json_scan(struct acm_scanner *sc, struct reader *r, struct prov *p)
{
	const unsigned char *buf, *nl;
	size_t want = 64 * 1024, n = reader_peek(r, want, &buf), first, start;
	json_error_t err;
	json_t *j;

	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		reader_skip(r, 3);	/* a UTF-8 byte order mark */
		n = reader_peek(r, want, &buf);
	}

	/* JSON Lines when the first non-blank line is a whole value */
	for (start = 0; start < n && (buf[start] == '\n' ||
	    buf[start] == '\r' || buf[start] == ' ' || buf[start] == '\t');
	    start++)
		;
	while ((nl = memchr(buf + start, '\n', n - start)) == NULL &&
	    n >= want && want < sc->opt.limits.max_json_doc) {
		want *= 4;
		n = reader_peek(r, want, &buf);
	}
	first = nl ? (size_t)(nl - buf) - start : n - start;
	if (nl && json_depth((const char *)buf + start, first,
	    sc->opt.limits.max_json_depth) <= sc->opt.limits.max_json_depth &&
	    (j = json_loadb((const char *)buf + start, first, 0, &err))) {
		json_decref(j);
		scan_lines(sc, r, p);
		return;
	}
	scan_whole(sc, r, p);
}
