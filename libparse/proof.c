/*
 * proof.c - offline proof of origin: DKIM signatures checked against
 * pinned keys, SNS signatures against pinned certificates.
 *
 * Without --dkim-keys or --sns-certs nothing is checked and the record
 * says null: an unverified mail is not a failed one.  Nothing here
 * opens a network connection: DKIM keys come from the keys file, SNS
 * certificates from the directory, and every time is the message's own.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <dkim.h>

#include "internal.h"


/*
 * libopendkim's key file reader takes lines of "NAME VALUE" up to
 * BUFRSZ (2048) bytes with the newline; longer ones it would split.
 */
#define KEYLINE_MAX	2040

/*
 * libopendkim judges x= and t= against the clock of today, which means
 * nothing for an archive: a clock drift of some 31 years lets every
 * signature of the DKIM era through, and the mail's own date is held
 * against x= below.  It cannot be larger: libopendkim computes t= minus
 * the drift unsigned, and a t= before the drift would wrap round.
 */
#define NO_CLOCK	((uint64_t)1000000000)

/*
 * Each signature may ask for a body hash of its own (its own c= or l=),
 * and libopendkim computes all of them: a hostile mail with thousands of
 * signatures over a large body would keep one scan busy for hours.  A
 * mail with more than this many is not checked at all.
 */
#define MAX_SIGS	16

/*
 * A keys file as libopendkim reads it: the user's file normalised into
 * a temporary copy, and a library handle whose file query points at it.
 * Scanners made for worker threads share it, as the opendkim milter
 * shares one handle among its threads.  A file that changes on disk
 * gets a new entry; old ones stay until exit, since another thread may
 * still be verifying with them.
 */
struct keyfile {
	char		*path;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	char		*copy;
	DKIM_LIB	*lib;
};

static GMutex		 keys_lock;
static GPtrArray	*keyfiles;

static void
keyfiles_cleanup(void)
{
	guint i;

	if (keyfiles == NULL)
		return;
	for (i = 0; i < keyfiles->len; i++) {
		struct keyfile *k = keyfiles->pdata[i];

		dkim_close(k->lib);
		unlink(k->copy);
		g_free(k->copy);
		g_free(k->path);
		g_free(k);
	}
	g_ptr_array_free(keyfiles, TRUE);
	keyfiles = NULL;
}

/* Skip blanks; true when something is left. */
static bool
skip_ws(const char **s)
{
	while (**s == ' ' || **s == '\t')
		(*s)++;
	return **s != '\0';
}

/* The next blank-separated word of *S, copied. */
static char *
word(const char **s)
{
	const char *b = *s;

	while (**s && **s != ' ' && **s != '\t')
		(*s)++;
	return g_strndup(b, *s - b);
}

/*
 * The TXT value of a line: one or more "quoted" strings, joined, as
 * dig(1) and zone files print a record longer than 255 bytes, with
 * their \" \\ and \DDD escapes; or the bare text.
 */
static char *
txt_value(const char *s, const char **why)
{
	GString *v = g_string_new(NULL);

	if (*s != '"') {
		g_string_append(v, s);
		while (v->len > 0 && (v->str[v->len - 1] == ' ' ||
		    v->str[v->len - 1] == '\t'))
			g_string_truncate(v, v->len - 1);
		return g_string_free(v, FALSE);
	}
	while (*s == '"') {
		for (s++; *s && *s != '"'; s++) {
			if (*s != '\\') {
				g_string_append_c(v, *s);
				continue;
			}
			s++;
			if (g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) &&
			    g_ascii_isdigit(s[2])) {
				g_string_append_c(v, (char)((s[0] - '0') * 100 +
				    (s[1] - '0') * 10 + (s[2] - '0')));
				s += 2;
			} else if (*s)
				g_string_append_c(v, *s);
			else
				break;
		}
		if (*s != '"') {
			*why = "a quoted string is not closed";
			g_string_free(v, TRUE);
			return NULL;
		}
		s++;
		if (!skip_ws(&s))
			return g_string_free(v, FALSE);
	}
	*why = "text after the quoted strings";
	g_string_free(v, TRUE);
	return NULL;
}

static bool
key_name_ok(const char *n)
{
	const char *dk = strstr(n, "._domainkey.");

	if (dk == NULL || dk == n || dk[12] == '\0')
		return false;
	for (; *n; n++)
		if (!g_ascii_isalnum(*n) && *n != '.' && *n != '-' &&
		    *n != '_')
			return false;
	return true;
}

/*
 * One line of the user's keys file to "NAME VALUE\n" in OUT.  Accepted:
 * NAME [TTL] [CLASS] [TXT] VALUE, so that both "NAME VALUE" and lines
 * of a zone file or of dig's answer section can be pasted in.  Blank
 * lines and '#' comments add nothing.
 */
static bool
key_line(const char *s, GString *out, GHashTable *seen, const char **why)
{
	char *name, *w, *value;
	const char *rest;
	size_t n;

	if (!skip_ws(&s) || *s == '#')
		return true;
	name = g_ascii_strdown(w = word(&s), -1);
	g_free(w);
	if ((n = strlen(name)) > 1 && name[n - 1] == '.')
		name[n - 1] = '\0';
	for (;;) {
		if (!skip_ws(&s))
			break;
		rest = s;
		w = word(&rest);
		if (w[strspn(w, "0123456789")] != '\0' &&
		    g_ascii_strcasecmp(w, "IN") != 0 &&
		    g_ascii_strcasecmp(w, "TXT") != 0) {
			g_free(w);
			break;
		}
		g_free(w);
		s = rest;
	}
	*why = NULL;
	if (!key_name_ok(name)) {
		*why = "expected SELECTOR._domainkey.DOMAIN and its TXT value";
		g_free(name);
		return false;
	}
	if (*s == '\0' || (value = txt_value(s, why)) == NULL) {
		if (*why == NULL)
			*why = "no TXT value after the name";
		g_free(name);
		return false;
	}
	if (strstr(value, "p=") == NULL)
		*why = "the TXT value has no p= tag";
	else if (strlen(name) + 1 + strlen(value) > KEYLINE_MAX)
		*why = "the record is longer than libopendkim reads";
	else if (g_hash_table_contains(seen, name))
		*why = "a second key for the same name (libopendkim would "
		    "use only the first)";
	for (n = 0; *why == NULL && value[n]; n++)
		if ((unsigned char)value[n] < ' ')
			*why = "a control character in the TXT value";
	if (*why) {
		g_free(name);
		g_free(value);
		return false;
	}
	g_string_append_printf(out, "%s %s\n", name, value);
	g_hash_table_add(seen, name);
	g_free(value);
	return true;
}

/* The user's file in libopendkim's form, or NULL and *ERR. */
static GString *
keys_normalise(const char *path, char **err)
{
	GError *ge = NULL;
	GHashTable *seen;
	GString *out;
	char *text, **lines;
	const char *why;
	gsize len;
	int i;

	if (!g_file_get_contents(path, &text, &len, &ge)) {
		*err = g_strdup(ge->message);
		g_error_free(ge);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		*err = g_strdup("not a text file");
		g_free(text);
		return NULL;
	}
	out = g_string_new(NULL);
	seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	lines = g_strsplit(text, "\n", -1);
	g_free(text);
	for (i = 0; lines[i]; i++) {
		g_strchomp(lines[i]);	/* CR of CRLF files too */
		if (!key_line(lines[i], out, seen, &why)) {
			*err = g_strdup_printf("line %d: %s", i + 1, why);
			g_string_free(out, TRUE);
			out = NULL;
			break;
		}
	}
	g_strfreev(lines);
	g_hash_table_destroy(seen);
	return out;
}

static DKIM_LIB *
keys_lib(const char *copy, char **err)
{
	DKIM_LIB *lib = dkim_init(NULL, NULL);
	dkim_query_t q = DKIM_QUERY_FILE;
	unsigned int flags = DKIM_LIBFLAGS_FIXCRLF |
	    DKIM_LIBFLAGS_BADSIGHANDLES;
	uint64_t drift = NO_CLOCK;

	if (lib == NULL) {
		*err = g_strdup("libopendkim cannot start");
		return NULL;
	}
	/*
	 * FIXCRLF: mail stored with bare LF (mbox, Maildir) is hashed as
	 * the CRLF it was sent as.  BADSIGHANDLES: a signature whose tags
	 * cannot be parsed is still listed, as a failure.
	 */
	if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &q,
	    sizeof(q)) != DKIM_STAT_OK ||
	    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO,
	    (void *)copy, strlen(copy)) != DKIM_STAT_OK ||
	    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags,
	    sizeof(flags)) != DKIM_STAT_OK ||
	    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_CLOCKDRIFT, &drift,
	    sizeof(drift)) != DKIM_STAT_OK) {
		dkim_close(lib);
		*err = g_strdup("libopendkim refuses its options");
		return NULL;
	}
	return lib;
}

static struct keyfile *
keys_load(const char *path, const struct stat *st, char **err)
{
	struct keyfile *k;
	GString *norm;
	GError *ge = NULL;
	char *copy;
	int fd;

	if ((norm = keys_normalise(path, err)) == NULL)
		return NULL;
	if ((fd = g_file_open_tmp("acm-dkim-keys-XXXXXX", &copy, &ge)) == -1) {
		*err = g_strdup_printf("temporary copy: %s", ge->message);
		g_error_free(ge);
		g_string_free(norm, TRUE);
		return NULL;
	}
	if (write(fd, norm->str, norm->len) != (ssize_t)norm->len) {
		*err = g_strdup_printf("temporary copy: %s",
		    g_strerror(errno));
		close(fd);
		unlink(copy);
		g_free(copy);
		g_string_free(norm, TRUE);
		return NULL;
	}
	close(fd);
	g_string_free(norm, TRUE);
	k = g_new0(struct keyfile, 1);
	if ((k->lib = keys_lib(copy, err)) == NULL) {
		unlink(copy);
		g_free(copy);
		g_free(k);
		return NULL;
	}
	k->path = g_strdup(path);
	k->dev = st->st_dev;
	k->ino = st->st_ino;
	k->size = st->st_size;
	k->mtime = st->st_mtim;
	k->copy = copy;
	return k;
}

/* The loaded form of the keys file at PATH, or NULL and *ERR. */
static struct keyfile *
keys_get(const char *path, char **err)
{
	struct keyfile *k = NULL;
	struct stat st;
	guint i;

	if (stat(path, &st) == -1) {
		*err = g_strdup(g_strerror(errno));
		return NULL;
	}
	g_mutex_lock(&keys_lock);
	for (i = 0; keyfiles && i < keyfiles->len; i++) {
		k = keyfiles->pdata[i];
		if (strcmp(k->path, path) == 0 && k->dev == st.st_dev &&
		    k->ino == st.st_ino && k->size == st.st_size &&
		    k->mtime.tv_sec == st.st_mtim.tv_sec &&
		    k->mtime.tv_nsec == st.st_mtim.tv_nsec)
			goto out;
	}
	if ((k = keys_load(path, &st, err)) == NULL)
		goto out;
	if (keyfiles == NULL) {
		keyfiles = g_ptr_array_new();
		atexit(keyfiles_cleanup);
	}
	g_ptr_array_add(keyfiles, k);
out:
	g_mutex_unlock(&keys_lock);
	return *err ? NULL : k;
}

/* The domain of the (first) address in a From value, lower-cased. */
static char *
from_domain(const char *from)
{
	const char *lt, *at, *end;

	if (from == NULL)
		return NULL;
	if ((lt = strrchr(from, '<')) != NULL && strchr(lt, '>'))
		from = lt + 1;
	if ((at = strrchr(from, '@')) == NULL)
		return NULL;
	at++;
	end = at + strcspn(at, "> \t,");
	if (end > at && end[-1] == '.')
		end--;
	return end > at ? g_ascii_strdown(at, end - at) : NULL;
}

/*
 * Aligned: the signing domain is the From domain or a parent of it (as
 * DMARC's relaxed alignment, without a public suffix list: a one-label
 * d= such as "com" aligns with nothing).
 */
static bool
aligned(const char *d, const char *from)
{
	size_t dl, fl;

	if (d == NULL || from == NULL || strchr(d, '.') == NULL)
		return false;
	dl = strlen(d);
	if (dl > 0 && d[dl - 1] == '.')
		dl--;
	fl = strlen(from);
	if (dl == fl)
		return g_ascii_strncasecmp(d, from, dl) == 0;
	return dl < fl && from[fl - dl - 1] == '.' &&
	    g_ascii_strncasecmp(d, from + fl - dl, dl) == 0;
}

/* Errors that say the verifier cannot judge, not that the mail lies. */
static bool
unsupported(int err)
{
	switch (err) {
	case DKIM_SIGERROR_VERSION:
	case DKIM_SIGERROR_INVALID_HC:
	case DKIM_SIGERROR_INVALID_BC:
	case DKIM_SIGERROR_INVALID_A:
	case DKIM_SIGERROR_INVALID_Q:
	case DKIM_SIGERROR_INVALID_QO:
	case DKIM_SIGERROR_KEYVERSION:
	case DKIM_SIGERROR_KEYUNKNOWNHASH:
	case DKIM_SIGERROR_KEYTYPEUNKNOWN:
		return true;
	}
	return false;
}

static const char *
sig_error(int err)
{
	const char *s = dkim_sig_geterrorstr(err);

	return s ? s : "signature not verified";
}

/* DKIM-Signature fields in the header block of RAW. */
static int
count_sigs(const unsigned char *raw, size_t len)
{
	static const char name[] = "DKIM-Signature";
	const size_t nl = sizeof(name) - 1;
	const unsigned char *p = raw, *end = raw + len, *q;
	int n = 0;

	while (p < end && *p != '\n' && !(*p == '\r' && p + 1 < end &&
	    p[1] == '\n')) {
		if ((size_t)(end - p) > nl &&
		    g_ascii_strncasecmp((const char *)p, name, nl) == 0) {
			/* obsolete syntax allows blanks before the colon */
			for (q = p + nl; q < end && (*q == ' ' || *q == '\t');
			    q++)
				;
			if (q < end && *q == ':')
				n++;
		}
		if ((q = memchr(p, '\n', end - p)) == NULL)
			break;
		p = q + 1;
	}
	return n;
}

/* Seconds since the epoch of an RFC 3339 / ISO 8601 time, or -1. */
static gint64
iso_time(const char *s)
{
	GDateTime *d;
	gint64 t;

	if (s == NULL || (d = g_date_time_new_from_iso8601(s, NULL)) == NULL)
		return -1;
	t = g_date_time_to_unix(d);
	g_date_time_unref(d);
	return t;
}

/*
 * Does the body hash libopendkim computed differ from the bh= tag?
 * libopendkim compares the two only once the header signature holds;
 * an auditor wants to know about an edited body in any case.
 */
static bool
body_hash_differs(DKIM_SIGINFO *sig)
{
	const char *tag = (const char *)dkim_sig_gettagvalue(sig, false,
	    (u_char *)"bh");
	void *hh, *bh;
	size_t hhlen, bhlen, len;
	char *want;
	bool differs;

	if (tag == NULL || dkim_sig_gethashes(sig, &hh, &hhlen, &bh,
	    &bhlen) != DKIM_STAT_OK || bh == NULL)
		return false;
	if ((want = base64_decode_loose(tag, strlen(tag), &len)) == NULL)
		return true;
	differs = len != bhlen || memcmp(want, bh, len) != 0;
	g_free(want);
	return differs;
}

/*
 * The verdict on one signature.  The body hash is looked at first, as
 * RFC 6376 6.1.3 orders it, so that an edited body says so even when
 * the header signature fails too.
 */
static void
sig_verdict(DKIM *dkim, DKIM_SIGINFO *sig, gint64 date,
    const char **result, const char **reason)
{
	int err = dkim_sig_geterror(sig), bh = dkim_sig_getbh(sig);
	unsigned int flags = dkim_sig_getflags(sig);
	ssize_t msglen = -1, canonlen = -1, signlen = -1;
	const char *x;

	*result = "fail";
	*reason = NULL;
	if (err == DKIM_SIGERROR_NOKEY) {
		*result = "no-key";
		*reason = body_hash_differs(sig) ? "no pinned key for this "
		    "selector and domain; the body hash does not match "
		    "either" : "no pinned key for this selector and domain";
	} else if (unsupported(err)) {
		*result = "unsupported";
		*reason = sig_error(err);
	} else if ((flags & DKIM_SIGFLAG_PROCESSED) == 0 ||
	    dkim_sig_getselector(sig) == NULL ||
	    dkim_sig_getdomain(sig) == NULL)
		*reason = err > 0 ? sig_error(err) :
		    "the signature cannot be parsed";
	else if (bh == DKIM_SIGBH_MISMATCH || (bh != DKIM_SIGBH_MATCH &&
	    body_hash_differs(sig)))
		*reason = "body hash mismatch";
	else if ((flags & DKIM_SIGFLAG_PASSED) == 0)
		*reason = err == DKIM_SIGERROR_BADSIG || err <= 0 ?
		    "signature mismatch" : sig_error(err);
	else if (bh != DKIM_SIGBH_MATCH)
		*reason = "body hash not checked";
	else if (dkim_sig_getcanonlen(dkim, sig, &msglen, &canonlen,
	    &signlen) == DKIM_STAT_OK && signlen >= 0 && msglen > canonlen)
		*reason = "the body goes on past the signed length (l=)";
	else if ((x = (const char *)dkim_sig_gettagvalue(sig, false,
	    (u_char *)"x")) != NULL && date >= 0 &&
	    g_ascii_strtoll(x, NULL, 10) < date)
		*reason = "the signature expired (x=) before the mail's date";
	else
		*result = "pass";
}

static json_t *
jstr_or_null(const unsigned char *s)
{
	return s ? json_string((const char *)s) : json_null();
}

json_t *
proof_dkim(struct acm_scanner *sc, const unsigned char *raw, size_t len,
    json_t *record)
{
	struct keyfile *k;
	DKIM *dkim;
	DKIM_SIGINFO **sigs = NULL;
	DKIM_STAT st;
	json_t *out, *src;
	char *err = NULL, *from;
	gint64 date;
	int nsigs = 0, i;

	if (sc->opt.dkim_keys == NULL)
		return json_null();
	if ((k = keys_get(sc->opt.dkim_keys, &err)) == NULL) {
		struct prov p = { .path = sc->opt.dkim_keys, .index = -1,
		    .offset = -1 };

		/* unverifiable is not failed: the field stays null */
		scan_error(sc, &p, "DKIM keys: %s", err);
		g_free(err);
		return json_null();
	}
	if ((nsigs = count_sigs(raw, len)) > MAX_SIGS) {
		if ((src = json_object_get(record, "warnings")) != NULL)
			json_array_append_new(src, json_sprintf("DKIM: %d "
			    "signatures, more than %d; none checked", nsigs,
			    MAX_SIGS));
		return json_null();
	}
	out = json_array();
	dkim = dkim_verify(k->lib, (const unsigned char *)"acm", NULL, &st);
	if (dkim == NULL) {
		json_decref(out);
		return json_null();
	}
	st = dkim_chunk(dkim, (unsigned char *)raw, len);
	if (st == DKIM_STAT_OK)
		st = dkim_chunk(dkim, NULL, 0);
	if (st == DKIM_STAT_OK || st == DKIM_STAT_NOSIG)
		(void)dkim_eom(dkim, NULL);
	if (dkim_getsiglist(dkim, &sigs, &nsigs) != DKIM_STAT_OK)
		nsigs = 0;
	from = from_domain(json_string_value(json_object_get(record,
	    "from")));
	date = iso_time(json_string_value(json_object_get(record, "date")));
	for (i = 0; i < nsigs; i++) {
		const unsigned char *d = dkim_sig_getdomain(sigs[i]);
		const char *result, *reason;

		sig_verdict(dkim, sigs[i], date, &result, &reason);
		json_array_append_new(out, json_pack("{s:o, s:o, s:s, s:o, "
		    "s:b}", "d", jstr_or_null(d),
		    "s", jstr_or_null(dkim_sig_getselector(sigs[i])),
		    "result", result,
		    "reason", reason ? json_string(reason) : json_null(),
		    "aligned", aligned((const char *)d, from)));
	}
	if (nsigs == 0 && (st != DKIM_STAT_OK && st != DKIM_STAT_NOSIG) &&
	    (src = json_object_get(record, "warnings")) != NULL)
		json_array_append_new(src, json_sprintf("DKIM: libopendkim "
		    "cannot read this mail: %s", dkim_geterror(dkim) ?
		    dkim_geterror(dkim) : dkim_getresultstr(st)));
	g_free(from);
	dkim_free(dkim);
	return out;
}

/* --- SNS --------------------------------------------------------------- */

static const char *
sget(json_t *o, const char *a, const char *b)
{
	const char *s = json_string_value(json_object_get(o, a));

	return s || b == NULL ? s : json_string_value(json_object_get(o, b));
}

/*
 * The certificate's file name when URL has the shape AWS's own
 * validators accept: https, host sns.REGION.amazonaws.com[.cn] (no
 * user, no port), a path ending ".pem", no query.  The name, used to
 * open a file in the pinned directory, must be a plain one.
 */
static char *
cert_name(const char *url)
{
	const char *host, *slash, *name, *p;
	size_t hl, rl;

	if (url == NULL || g_ascii_strncasecmp(url, "https://", 8) != 0)
		return NULL;
	host = url + 8;
	if ((slash = strchr(host, '/')) == NULL)
		return NULL;
	hl = slash - host;
	if (hl < 4 || g_ascii_strncasecmp(host, "sns.", 4) != 0)
		return NULL;
	if (hl > 21 && g_ascii_strncasecmp(slash - 17, ".amazonaws.com.cn",
	    17) == 0)
		rl = hl - 4 - 17;
	else if (hl > 18 && g_ascii_strncasecmp(slash - 14, ".amazonaws.com",
	    14) == 0)
		rl = hl - 4 - 14;
	else
		return NULL;
	if (rl < 3)
		return NULL;
	for (p = host + 4; p < host + 4 + rl; p++)
		if (!g_ascii_isalnum(*p) && *p != '-')
			return NULL;
	if (strpbrk(slash, "?#") || !g_str_has_suffix(slash, ".pem"))
		return NULL;
	name = strrchr(slash, '/') + 1;
	if (name[0] == '.' || strlen(name) > 255)
		return NULL;
	for (p = name; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' &&
		    *p != '_')
			return NULL;
	return g_strdup(name);
}

/*
 * The string SNS signs (FORMATS.md 4.2): the listed keys in byte
 * order, each "Name\nValue\n"; absent or null ones left out.  The
 * Lambda spelling SubscribeUrl is read as SubscribeURL.  NULL when the
 * type is unknown or a value is not a string.
 */
static GString *
sns_string(json_t *env)
{
	static const char *const note[] = { "Message", "MessageId",
	    "Subject", "Timestamp", "TopicArn", "Type", NULL };
	static const char *const conf[] = { "Message", "MessageId",
	    "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type", NULL };
	const char *type = sget(env, "Type", NULL);
	const char *const *keys;
	GString *s;
	int i;

	if (type == NULL)
		return NULL;
	if (strcmp(type, "Notification") == 0)
		keys = note;
	else if (strcmp(type, "SubscriptionConfirmation") == 0 ||
	    strcmp(type, "UnsubscribeConfirmation") == 0)
		keys = conf;
	else
		return NULL;
	s = g_string_new(NULL);
	for (i = 0; keys[i]; i++) {
		json_t *v = json_object_get(env, keys[i]);

		if (v == NULL && strcmp(keys[i], "SubscribeURL") == 0)
			v = json_object_get(env, "SubscribeUrl");
		if (v == NULL || json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			g_string_free(s, TRUE);
			return NULL;
		}
		g_string_append_printf(s, "%s\n", keys[i]);
		g_string_append_len(s, json_string_value(v),
		    json_string_length(v));
		g_string_append_c(s, '\n');
	}
	return s;
}

static X509 *
cert_load(const char *dir, const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	FILE *f = fopen(path, "r");
	X509 *x = NULL;

	g_free(path);
	if (f == NULL)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	return x;
}

/* Valid at T: notBefore <= T < notAfter. */
static bool
cert_valid_at(X509 *x, gint64 t)
{
	time_t tt = (time_t)t;

	return t >= 0 && X509_cmp_time(X509_get0_notBefore(x), &tt) < 0 &&
	    X509_cmp_time(X509_get0_notAfter(x), &tt) > 0;
}

static bool
rsa_verify(X509 *x, const EVP_MD *md, const GString *msg, const char *b64)
{
	EVP_PKEY *key = X509_get0_pubkey(x);
	EVP_MD_CTX *ctx;
	unsigned char *sig;
	size_t len;
	bool ok = false;

	if (key == NULL || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA ||
	    b64 == NULL ||
	    (sig = (unsigned char *)base64_decode_loose(b64, strlen(b64),
	    &len)) == NULL)
		return false;
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, len, (const unsigned char *)msg->str,
	    msg->len) == 1)
		ok = true;
	EVP_MD_CTX_free(ctx);
	g_free(sig);
	return ok;
}

json_t *
proof_sns(struct acm_scanner *sc, json_t *envelope)
{
	const char *version, *verdict, *why;
	const EVP_MD *md;
	struct stat st;
	GString *msg = NULL;
	X509 *x = NULL;
	char *name;

	if (sc->opt.sns_certs == NULL)
		return json_null();
	if ((why = stat(sc->opt.sns_certs, &st) == -1 ? g_strerror(errno) :
	    !S_ISDIR(st.st_mode) ? "not a directory" : NULL) != NULL) {
		struct prov p = { .path = sc->opt.sns_certs, .index = -1,
		    .offset = -1 };

		/* as for DKIM keys: unverifiable, so null, and an error */
		scan_error(sc, &p, "SNS certificates: %s", why);
		return json_null();
	}
	name = cert_name(sget(envelope, "SigningCertURL", "SigningCertUrl"));
	if (name == NULL)
		return json_string("bad-cert-url");
	version = sget(envelope, "SignatureVersion", NULL);
	if (version && strcmp(version, "1") == 0)
		md = EVP_sha1();
	else if (version && strcmp(version, "2") == 0)
		md = EVP_sha256();
	else {
		g_free(name);
		return json_string("unsupported-version");
	}
	if ((x = cert_load(sc->opt.sns_certs, name)) == NULL)
		verdict = "no-cert";
	else if (!cert_valid_at(x, iso_time(sget(envelope, "Timestamp",
	    NULL))))
		verdict = "fail";
	else if ((msg = sns_string(envelope)) == NULL ||
	    !rsa_verify(x, md, msg, sget(envelope, "Signature", NULL)))
		verdict = "fail";
	else
		verdict = "pass";
	if (msg)
		g_string_free(msg, TRUE);
	X509_free(x);
	g_free(name);
	return json_string(verdict);
}
