/*
 * common.c - stderr messages, safe output of mail text, the record
 * output formats and the options every tool shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "common.h"

const char *progname = "acm";

void
common_init(struct common *c, const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	progname = slash ? slash + 1 : argv0;
	memset(c, 0, sizeof(*c));
	acm_limits_default(&c->opt.limits);
	c->opt.on_diag = diag_print;
	c->opt.arg = c;
}

void
warnx_(const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: ", progname);
	fput_safe(msg, stderr);
	fputc('\n', stderr);
	g_free(msg);
}

/* "prog: PATH[:ENTRY][#N]: [warning: ]what" */
void
diag_print(const struct acm_diag *d, void *arg)
{
	struct common *c = arg;
	GString *s = g_string_new(d->where.path);

	if (d->severity == ACM_ERROR)
		c->had_error = true;
	else if (c->quiet)
		goto out;
	if (d->where.entry)
		g_string_append_printf(s, ":%s", d->where.entry);
	if (d->where.index >= 0)
		g_string_append_printf(s, "#%ld", d->where.index);
	if (d->where.offset >= 0 && d->where.index >= 0)
		g_string_append_printf(s, " (byte %lld)", d->where.offset);
	warnx_("%s: %s%s", s->str, d->severity == ACM_WARNING ?
	    "warning: " : "", d->message);
out:
	g_string_free(s, TRUE);
}

/*
 * C0 and C1 controls, DEL, the Unicode bidirectional overrides and the
 * invisible characters (zero-width spaces and joiners, soft hyphen,
 * byte order mark) are written as escapes; everything else passes.  Invalid UTF-8
 * bytes are escaped as \xNN.
 */
char *
safe_string(const char *s)
{
	GString *o = g_string_new(NULL);
	const char *p = s, *end = s + strlen(s);

	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		const char *next;

		if (c == (gunichar)-1 || c == (gunichar)-2) {
			g_string_append_printf(o, "\\x%02x",
			    (unsigned char)*p);
			p++;
			continue;
		}
		next = g_utf8_next_char(p);
		if (c == '\\')
			g_string_append(o, "\\\\");
		else if (c == '\n')
			g_string_append(o, "\\n");
		else if (c == '\t')
			g_string_append(o, "\\t");
		else if (c == '\r')
			g_string_append(o, "\\r");
		else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
			g_string_append_printf(o, "\\x%02x", c);
		else if ((c >= 0x202a && c <= 0x202e) ||
		    (c >= 0x2066 && c <= 0x2069) ||
		    (c >= 0x200b && c <= 0x200f) || c == 0x2060 ||
		    c == 0xfeff || c == 0x061c || c == 0x00ad)
			g_string_append_printf(o, "\\u%04x", c);
		else
			g_string_append_len(o, p, next - p);
		p = next;
	}
	return g_string_free(o, FALSE);
}

void
fput_safe(const char *s, FILE *f)
{
	char *e = safe_string(s ? s : "");

	fputs(e, f);
	g_free(e);
}

const char *
jget(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static const char *const tsv_fields[] = {
	"template", "domain", "account_id", "region", "certificate_id",
	"approval_host", "approval_url", "date", "from", "subject", NULL
};

void
print_record_tsv_header(FILE *f)
{
	int i;

	for (i = 0; tsv_fields[i]; i++)
		fprintf(f, "%s\t", tsv_fields[i]);
	fputs("copy\tpath\tentry\tindex\tsha256\n", f);
}

static void
tsv_cell(const char *s, FILE *f)
{
	fput_safe(s ? s : "-", f);
	fputc('\t', f);
}

void
print_record_tsv(json_t *r, FILE *f)
{
	json_t *src = json_object_get(r, "source");
	json_t *idx = json_object_get(src, "index");
	int i;

	for (i = 0; tsv_fields[i]; i++)
		tsv_cell(jget(r, tsv_fields[i]), f);
	tsv_cell(json_is_true(json_object_get(r, "copy")) ? "yes" : "no", f);
	tsv_cell(jget(src, "path"), f);
	tsv_cell(jget(src, "entry"), f);	/* inside an archive */
	if (json_is_integer(idx))
		fprintf(f, "%lld\t", (long long)json_integer_value(idx));
	else
		fputs("-\t", f);
	fput_safe(jget(r, "sha256"), f);
	fputc('\n', f);
}

static void
text_line(const char *label, const char *v, FILE *f)
{
	if (v == NULL)
		return;
	fprintf(f, "  %-18s ", label);
	fput_safe(v, f);
	fputc('\n', f);
}

void
print_record_text(json_t *r, FILE *f)
{
	json_t *src = json_object_get(r, "source");
	json_t *idx = json_object_get(src, "index");
	json_t *w = json_object_get(r, "warnings"), *v;
	size_t i;

	fput_safe(jget(src, "path"), f);
	if (jget(src, "entry")) {
		fputc(':', f);
		fput_safe(jget(src, "entry"), f);
	}
	if (json_is_integer(idx))
		fprintf(f, "#%lld", (long long)json_integer_value(idx));
	fprintf(f, ": %s template%s\n", jget(r, "template"),
	    json_is_true(json_object_get(r, "copy")) ? " (a copy)" : "");
	text_line("domain", jget(r, "domain"), f);
	text_line("requested domain", jget(r, "requested_domain"), f);
	text_line("account", jget(r, "account_id"), f);
	text_line("region", jget(r, "region"), f);
	text_line("certificate", jget(r, "certificate_arn") ?
	    jget(r, "certificate_arn") : jget(r, "certificate_id"), f);
	text_line("approval link", jget(r, "approval_url"), f);
	text_line("from", jget(r, "from"), f);
	text_line("subject", jget(r, "subject"), f);
	text_line("date", jget(r, "date"), f);
	text_line("expires", jget(r, "expires"), f);
	text_line("sha256", jget(r, "sha256"), f);
	json_array_foreach(w, i, v)
		text_line("warning", json_string_value(v), f);
	fputc('\n', f);
}

static int
parse_size(const char *arg, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || arg[0] == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	default: break;
	}
	if (*end != '\0' || v == 0)
		return -1;
	*out = v;
	return 0;
}

int
common_option(struct common *c, int opt, const char *arg)
{
	struct acm_limits *l = &c->opt.limits;
	uint64_t v;
	int f;

	if (opt == 'F') {
		if ((f = acm_format_parse(arg)) < 0) {
			warnx_("unknown format '%s' (auto, eml, mbox, mmdf, "
			    "json, records)", arg);
			return -1;
		}
		c->opt.format = f;
		return 1;
	}
	if (opt == 1010) {
		c->opt.dkim_keys = arg;
		return 1;
	}
	if (opt == 1011) {
		c->opt.sns_certs = arg;
		return 1;
	}
	if (opt < 1001 || opt > 1009)
		return 0;
	if (parse_size(arg, &v) == -1 || v > ((uint64_t)1 << 50)) {
		warnx_("bad limit value '%s'", arg);
		return -1;
	}
	switch (opt) {
	case 1001: l->max_message = v; break;
	case 1002: l->max_mime_depth = v > 100000 ? 100000 : (int)v; break;
	case 1003: l->max_envelope_depth = v > 1000 ? 1000 : (int)v; break;
	case 1004: l->max_json_depth = v > 100000 ? 100000 : (int)v; break;
	case 1005: l->max_entries = v; break;
	case 1006: l->max_expanded = v; break;
	case 1007: l->max_ratio = v; break;
	case 1008: l->max_header = v; break;
	case 1009: l->max_json_doc = v; break;
	}
	return 1;
}

/* -j N: 1 to 256 threads; "0" means one per online core. */
int
common_jobs(struct common *c, const char *arg)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || v < 0 || v > 256) {
		warnx_("bad number of jobs '%s' (0 to 256)", arg);
		return -1;
	}
	c->opt.jobs = v ? (int)v : (int)g_get_num_processors();
	return 0;
}

/* After a bad option: one line, not the whole help. */
void
usage_hint(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", progname);
}
