/*
 * source.c - files, directory trees, standard input, and what
 * libarchive unwraps from them (gzip, bzip2, xz, zstd, lz4; tar, zip,
 * 7z).  Whatever is left at the bottom is a leaf byte stream for
 * container.c.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include "internal.h"

#define BLOCK	(64 * 1024)

/* What a file in a Maildir's cur/ or new/ weighs in a batch, unread. */
#define MAILDIR_GUESS	(16 * 1024)

/* The bytes under one archive level: a file, or a parent's entry. */
struct upstream {
	struct acm_scanner	*sc;
	struct archive		*parent;	/* NULL: read fd */
	int			 fd;
	unsigned char		 buf[BLOCK];
	EVP_MD_CTX		*md;		/* hashes the file's bytes */
	uint64_t		 consumed;
	size_t			 pending;	/* buf's bytes, read to sniff
						   and not yet handed on */
	bool			 failed;
};

static void	scan_archive(struct acm_scanner *, struct upstream *,
		    const uint64_t *, struct prov *);

/* Its fields zeroed, not its buffer: 64 KB of memset a file adds up. */
static struct upstream *
upstream_new(struct acm_scanner *sc)
{
	struct upstream *u = g_malloc(sizeof(*u));

	memset(u, 0, offsetof(struct upstream, buf));
	u->md = NULL;
	u->consumed = 0;
	u->pending = 0;
	u->failed = false;
	u->sc = sc;
	return u;
}

static ssize_t
upstream_read(struct archive *a, void *arg, const void **buf)
{
	struct upstream *u = arg;
	ssize_t n;

	(void)a;
	if (u->pending > 0) {
		/* counted and hashed when it was read */
		n = (ssize_t)u->pending;
		u->pending = 0;
		*buf = u->buf;
		return n;
	}
	if (u->parent) {
		n = archive_read_data(u->parent, u->buf, sizeof(u->buf));
		if (n < 0) {
			/* the entry's own bytes are damaged or cut short:
			 * an error to name, not an "empty input" (-1 is
			 * libarchive's ARCHIVE_ERRNO_MISC) */
			if (a)
				archive_set_error(a, -1, "%s",
				    archive_error_string(u->parent) ?
				    archive_error_string(u->parent) :
				    "damaged data");
			u->failed = true;
		}
	} else {
		do
			n = read(u->fd, u->buf, sizeof(u->buf));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			if (a)
				archive_set_error(a, errno, "%s",
				    strerror(errno));
			u->failed = true;
		}
	}
	if (n > 0) {
		if (u->md)
			EVP_DigestUpdate(u->md, u->buf, n);
		u->consumed += n;
	}
	*buf = u->buf;
	return n;
}

static void
warn_size_limit(struct acm_scanner *sc, const struct prov *p)
{
	scan_warn(sc, p, "decompressed size limit reached (%llu bytes); "
	    "the rest of this input is skipped",
	    (unsigned long long)sc->opt.limits.max_expanded);
}

/* What a leaf reader pulls from: one archive's current data. */
struct leaf {
	struct acm_scanner	*sc;
	struct archive		*a;
	const uint64_t		*consumed;	/* compressed bytes read */
	const struct prov	*prov;
	bool			 stopped;
};

static ssize_t
leaf_read(void *arg, const void **buf)
{
	struct leaf *l = arg;
	struct acm_scanner *sc = l->sc;
	const struct acm_limits *lim = &sc->opt.limits;
	la_int64_t off;
	size_t size;
	int rc;

	if (l->stopped)
		return 0;
	rc = archive_read_data_block(l->a, buf, &size, &off);
	if (rc == ARCHIVE_EOF)
		return 0;
	if (rc < ARCHIVE_WARN) {
		scan_error(sc, l->prov, "cannot read: %s",
		    archive_error_string(l->a) ? archive_error_string(l->a) :
		    "unknown error");
		return -1;
	}
	sc->expanded += size;
	if (sc->expanded > lim->max_expanded) {
		warn_size_limit(sc, l->prov);
		l->stopped = true;
		return 0;
	}
	if (sc->expanded > (uint64_t)16 << 20 &&
	    sc->expanded / (*l->consumed + 1) > lim->max_ratio) {
		scan_warn(sc, l->prov, "compression ratio above %llu:1 "
		    "(a decompression bomb?); the rest of this input is "
		    "skipped", (unsigned long long)lim->max_ratio);
		l->stopped = true;
		return 0;
	}
	return (ssize_t)size;
}

/*
 * An archive member directly under a directory named tmp: a Maildir's
 * tmp/, whose files are deliveries not yet finished.  (On disk the
 * sibling cur/ and new/ can be checked; inside an archive the name is
 * all there is.)
 */
static bool
in_tmp_dir(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	if (slash == NULL || slash - path < 3 || memcmp(slash - 3, "tmp",
	    3) != 0)
		return false;
	return slash - path == 3 || slash[-4] == '/';
}

/*
 * Maildir++ marks a folder with an empty file of this name: nothing
 * to read, and no "empty input" to warn about, on disk or archived.
 */
static bool
maildir_marker(const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path;
	return base && strcmp(base, "maildirfolder") == 0;
}

/*
 * A plain file: a file or pipe that starts with a From_ line, an mbox
 * as it lies.  It is read without libarchive, straight into the
 * reader's buffer (libarchive would copy each block once more).  A
 * regular file can also be read at any offset: with -j the workers
 * read their own chunks of it (mboxchunk.c), so that its bytes are
 * read on the core that splits them.  The limits of leaf_read hold all
 * the same.
 */
struct plain {
	struct acm_scanner	*sc;
	struct upstream		*u;		/* hash and byte count */
	const struct prov	*prov;
	long long		 base;		/* fd offset of stream 0 */
	bool			 stopped;	/* at the size limit */
	bool			 warned;	/* ... and said so */
};

/*
 * The size limit cuts a plain file at exactly that many bytes, so that
 * where it falls does not depend on how the file was read (in blocks
 * by one thread, or in chunks by the workers).  LEN bytes just read at
 * DST: how many of them may be scanned.
 */
static size_t
plain_limit(struct plain *pf, size_t len)
{
	struct acm_scanner *sc = pf->sc;
	uint64_t max = sc->opt.limits.max_expanded;
	size_t room = sc->expanded < max ? (size_t)MIN(max - sc->expanded,
	    (uint64_t)SIZE_MAX) : 0;

	if (len <= room) {
		sc->expanded += len;
		return len;
	}
	if (!pf->warned)
		warn_size_limit(sc, pf->prov);
	pf->stopped = pf->warned = true;
	sc->expanded += room;
	return room;
}

/*
 * Everything read is hashed and counted, what is past the limit too:
 * the inventory's hash is of the whole file (scan_fd reads the rest).
 */
static ssize_t
plain_read(void *arg, unsigned char *dst, size_t n)
{
	struct plain *pf = arg;
	ssize_t got;

	if (pf->stopped)
		return 0;
	do
		got = read(pf->u->fd, dst, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		scan_error(pf->sc, pf->prov, "cannot read: %s",
		    strerror(errno));
		return -1;
	}
	if (got > 0 && pf->u->md)
		EVP_DigestUpdate(pf->u->md, dst, got);
	pf->u->consumed += got;
	return (ssize_t)plain_limit(pf, (size_t)got);
}

/* Only -j's chunks seek (without hashing): what they read counts. */
static bool
plain_seek(void *arg, long long offset)
{
	struct plain *pf = arg;

	if (lseek(pf->u->fd, pf->base + offset, SEEK_SET) == -1) {
		scan_error(pf->sc, pf->prov, "cannot read: %s",
		    strerror(errno));
		return false;
	}
	pf->sc->expanded = offset;
	pf->u->consumed = offset;
	pf->stopped = false;	/* the limit is met again, if at all */
	return true;
}

/*
 * The first block of U's file, N bytes, began with a From_ line.  A
 * regular file can be read at any offset; a pipe is read in place all
 * the same.
 */
static void
scan_plain(struct acm_scanner *sc, struct upstream *u, size_t n,
    struct prov *p)
{
	struct plain pf = { sc, u, p, -1, false, false };
	struct reader r;
	struct stat st;
	off_t at;
	int fd = -1;

	if (fstat(u->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (at = lseek(u->fd, 0, SEEK_CUR)) != -1) {
		fd = u->fd;
		pf.base = (long long)at - (long long)n;
	}
	reader_init_file(&r, plain_read, plain_seek, &pf, fd, pf.base);
	r.max_line = sc->opt.limits.max_message;
	/* the first block, the reader's first bytes */
	n = plain_limit(&pf, n);
	reader_unread(&r, u->buf, n);
	r.offset = 0;
	container_scan(sc, &r, p);
	reader_free(&r);
}

static struct archive *
archive_new_reader(void)
{
	struct archive *a = archive_read_new();

	/*
	 * Compression only: libarchive's other filters (uudecode, rpm,
	 * external programs) would take a mail with a uuencoded part for
	 * an encoded stream.  No cpio: libarchive 3.6 allocates what a
	 * cpio header claims a name is long (up to 4 GB) before it finds
	 * the data short, so a few hostile bytes cost a second of mapping
	 * memory (fuzz_source timed out on one); mail is not kept in cpio.
	 */
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_compress(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_raw(a);
	return a;
}

/* A stable short name for the archive format, whatever its variant. */
static const char *
format_layer(struct archive *a)
{
	switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
	case ARCHIVE_FORMAT_TAR:
		return "tar";
	case ARCHIVE_FORMAT_ZIP:
		return "zip";
	case ARCHIVE_FORMAT_7ZIP:
		return "7z";
	default:
		return "archive";
	}
}

/* Layer names for what libarchive found, outermost first. */
static void
push_filters(struct archive *a, struct prov *p)
{
	int i;

	for (i = archive_filter_count(a) - 1; i >= 0; i--) {
		const char *name = archive_filter_name(a, i);

		if (archive_filter_code(a, i) == ARCHIVE_FILTER_NONE)
			continue;
		/* libarchive's names are static strings */
		prov_push(p, name);
	}
}

static void
scan_leaf(struct acm_scanner *sc, struct archive *a, const uint64_t *consumed,
    struct prov *p)
{
	struct leaf l = { sc, a, consumed, p, false };
	struct reader r;

	reader_init(&r, leaf_read, &l);
	r.max_line = sc->opt.limits.max_message;
	container_scan(sc, &r, p);
	reader_free(&r);
}

/*
 * Walk the entries of an open archive.  A raw, unfiltered stream is a
 * leaf; a filtered raw stream or an archive entry may itself be
 * compressed or an archive, so it goes round again, one level deeper.
 * CONSUMED counts the compressed bytes read so far, for the ratio rule.
 */
static void
scan_entries(struct acm_scanner *sc, struct archive *a,
    const uint64_t *consumed, struct prov *p)
{
	struct archive_entry *e;
	int rc;
	bool first = true;

	while ((rc = archive_read_next_header(a, &e)) == ARCHIVE_OK ||
	    rc == ARCHIVE_WARN) {
		struct prov q = *p;
		bool raw = archive_format(a) == ARCHIVE_FORMAT_RAW;
		struct upstream *child;

		first = false;
		if (raw && archive_filter_count(a) <= 1) {
			scan_leaf(sc, a, consumed, &q);
			return;
		}
		push_filters(a, &q);
		if (!raw) {
			if (archive_entry_filetype(e) != AE_IFREG ||
			    in_tmp_dir(archive_entry_pathname(e)) ||
			    (maildir_marker(archive_entry_pathname(e)) &&
			    archive_entry_size(e) == 0))
				continue;
			if (++sc->entries > sc->opt.limits.max_entries) {
				scan_warn(sc, p, "more than %llu archive "
				    "entries; the rest are skipped",
				    (unsigned long long)
				    sc->opt.limits.max_entries);
				return;
			}
			prov_push(&q, format_layer(a));
			q.entry = archive_entry_pathname(e);
		}
		if (++q.depth > sc->opt.limits.max_envelope_depth) {
			scan_warn(sc, &q, "nesting deeper than %d levels; "
			    "skipped", sc->opt.limits.max_envelope_depth);
			continue;
		}
		child = upstream_new(sc);
		child->parent = a;
		scan_archive(sc, child, consumed, &q);
		g_free(child);
		if (raw)
			return;
	}
	if (first && archive_filter_bytes(a, -1) == 0)
		scan_warn(sc, p, "empty input");
	else if (first && rc == ARCHIVE_EOF)
		/* zero blocks are an empty tar: say so, or all-NUL data
		 * would pass without a word */
		scan_warn(sc, p, "%s archive with no files in it",
		    format_layer(a));
	else if (rc != ARCHIVE_EOF)
		scan_error(sc, p, "cannot read archive: %s",
		    archive_error_string(a) ? archive_error_string(a) :
		    "damaged data");
}

static void
scan_archive(struct acm_scanner *sc, struct upstream *u,
    const uint64_t *consumed, struct prov *p)
{
	struct archive *a = archive_new_reader();

	if (archive_read_open(a, u, NULL, upstream_read, NULL) != ARCHIVE_OK) {
		if (u->consumed == 0 && !u->failed)
			scan_warn(sc, p, "empty input");
		else
			scan_error(sc, p, "cannot read: %s",
			    archive_error_string(a) ?
			    archive_error_string(a) : "unrecognised data");
		archive_read_free(a);
		return;
	}
	scan_entries(sc, a, consumed ? consumed : &u->consumed, p);
	archive_read_free(a);
}

static void
input_begin(struct acm_scanner *sc, const char *path)
{
	memset(&sc->stats, 0, sizeof(sc->stats));
	sc->stats.path = path;
	sc->expanded = 0;
	sc->entries = 0;
	sc->records_warned = false;
}

static void
input_end(struct acm_scanner *sc, EVP_MD_CTX *md)
{
	if (md) {
		unsigned char d[EVP_MAX_MD_SIZE];
		unsigned int n, i;

		EVP_DigestFinal_ex(md, d, &n);
		for (i = 0; i < n && i < 32; i++)
			snprintf(sc->stats.sha256 + 2 * i, 3, "%02x", d[i]);
	}
	if (sc->pool)
		pool_input_end(sc->pool, &sc->stats);
	else if (sc->opt.on_input)
		sc->opt.on_input(&sc->stats, sc->opt.arg);
}

static void
scan_fd(struct acm_scanner *sc, int fd, const char *path)
{
	struct upstream *u = upstream_new(sc);
	struct prov p = { .path = path, .index = -1, .offset = -1 };
	const void *blk;
	ssize_t n;

	input_begin(sc, path);
	u->fd = fd;
	if (sc->opt.hash_inputs) {
		u->md = EVP_MD_CTX_new();
		EVP_DigestInit_ex(u->md, EVP_sha256(), NULL);
	}

	/*
	 * An mbox as it lies (From_ first) is read without libarchive;
	 * anything else gets this first block back from upstream_read.
	 * A failed read is tried again there, to be reported.
	 */
	n = upstream_read(NULL, u, &blk);
	if (n >= 5 && memcmp(u->buf, "From ", 5) == 0)
		scan_plain(sc, u, (size_t)n, &p);
	else {
		u->pending = n > 0 ? (size_t)n : 0;
		scan_archive(sc, u, NULL, &p);
	}

	/*
	 * An input left early (not mail, a limit) is still measured and
	 * hashed whole: the inventory is evidence of what the file was.
	 */
	if (u->md)
		while (upstream_read(NULL, u, &blk) > 0)
			;
	sc->stats.bytes = u->consumed;
	input_end(sc, u->md);
	if (u->md)
		EVP_MD_CTX_free(u->md);
	g_free(u);
}

/*
 * A directory entry as a string: one byte for what readdir says it is
 * ('d' a directory, 'f' a regular file, '?' anything else or unknown),
 * then its name.  The sort below skips that byte.
 */
static char *
entry_name(const struct dirent *de)
{
	size_t n = strlen(de->d_name);
	char *s = g_malloc(n + 2);

	s[0] = de->d_type == DT_DIR ? 'd' : de->d_type == DT_REG ? 'f' : '?';
	memcpy(s + 1, de->d_name, n + 1);
	return s;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

/* Is DIR/NAME the tmp/ of a Maildir (a sibling cur/ or new/)? */
static bool
maildir_tmp(const char *dir, const char *name)
{
	struct stat st;
	char *cur, *new;
	bool yes;

	if (strcmp(name, "tmp") != 0)
		return false;
	cur = g_build_filename(dir, "cur", NULL);
	new = g_build_filename(dir, "new", NULL);
	yes = (stat(cur, &st) == 0 && S_ISDIR(st.st_mode)) ||
	    (stat(new, &st) == 0 && S_ISDIR(st.st_mode));
	g_free(cur);
	g_free(new);
	return yes;
}

static bool
is_dir_at(const char *dir, const char *name)
{
	char *path = g_build_filename(dir, name, NULL);
	struct stat st;
	bool yes = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);

	g_free(path);
	return yes;
}

/*
 * DIR/NAME, as g_build_filename would join them; DIRLEN is DIR's
 * length without its trailing slashes (maildir walks call this ten
 * thousand times, and g_build_filename is the slower by far).
 */
static char *
join_path(const char *dir, size_t dirlen, const char *name)
{
	size_t n = strlen(name);
	char *path = g_malloc(dirlen + n + 2), *q = path;

	memcpy(q, dir, dirlen);
	q += dirlen;
	if (dirlen == 0 || dir[dirlen - 1] != '/')
		*q++ = '/';
	memcpy(q, name, n + 1);
	return path;
}

static size_t
dir_length(const char *dir)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n;
}

/*
 * Is this directory a Maildir: a tmp/ was left out as a Maildir's
 * (TMP: maildir_tmp found a cur/ or new/ beside it), or NAMES hold
 * both cur/ and new/?  Then a regular file in those two is one
 * message, never an mbox to cut into chunks, and -j needs no stat to
 * know it.
 */
static bool
is_maildir(GPtrArray *names, bool tmp)
{
	bool cur = false, new = false;
	guint i;

	for (i = 0; i < names->len && !tmp; i++) {
		const char *n = names->pdata[i];

		cur = cur || strcmp(n, "dcur") == 0;
		new = new || strcmp(n, "dnew") == 0;
	}
	return tmp || (cur && new);
}

static int	scan_any(struct acm_scanner *, const char *, int depth);
static void	scan_entry(struct acm_scanner *, const char *, int depth,
		    char kind, int dfd, const char *name);

/*
 * Entries in byte order, so that every run visits them alike.
 * MESSAGES: DIR is a Maildir's cur/ or new/.
 */
static void
scan_dir(struct acm_scanner *sc, const char *dir, int depth, bool messages)
{
	struct prov p = { .path = dir, .index = -1, .offset = -1 };
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *de;
	size_t dirlen = dir_length(dir);
	bool maildir, tmp = false;
	DIR *d;
	guint i;

	if (depth > 64) {
		scan_warn(sc, &p, "directory nesting too deep; skipped");
		g_ptr_array_free(names, TRUE);
		return;
	}
	if ((d = opendir(dir)) == NULL) {
		scan_error(sc, &p, "cannot open directory: %s",
		    strerror(errno));
		g_ptr_array_free(names, TRUE);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (maildir_tmp(dir, de->d_name)) {
			tmp = true;
			continue;
		}
		if (maildir_marker(de->d_name))
			continue;
		/*
		 * Dot files are bookkeeping (editor swap files, .noindex
		 * markers); dot directories are Maildir++ folders and are
		 * read.
		 */
		if (de->d_name[0] == '.' && !is_dir_at(dir, de->d_name))
			continue;
		g_ptr_array_add(names, entry_name(de));
	}
	if (names->len > 1)
		qsort(names->pdata, names->len, sizeof(char *), cmp_names);
	maildir = is_maildir(names, tmp);
	for (i = 0; i < names->len; i++) {
		const char *name = names->pdata[i];
		char *path = join_path(dir, dirlen, name + 1);

		if (name[0] == 'd')
			scan_dir(sc, path, depth + 1, maildir &&
			    (strcmp(name, "dcur") == 0 ||
			    strcmp(name, "dnew") == 0));
		else if (name[0] == 'f' && messages && sc->pool)
			pool_file(sc->pool, path, MAILDIR_GUESS);
		else
			scan_entry(sc, path, depth + 1, name[0], dirfd(d),
			    name + 1);
		g_free(path);
	}
	closedir(d);
	g_ptr_array_free(names, TRUE);
}

static int
scan_any(struct acm_scanner *sc, const char *path, int depth)
{
	struct prov p = { .path = path, .index = -1, .offset = -1 };
	struct stat st;

	/*
	 * Inside a tree, links to directories are not followed (as find
	 * does by default): a link back up would walk the tree forever.
	 * Links to files are read.  Paths on the command line are
	 * followed whatever they are.
	 */
	if (depth > 0 && lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (stat(path, &st) == -1) {
		input_begin(sc, path);
		scan_error(sc, &p, "%s", strerror(errno));
		input_end(sc, NULL);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		scan_dir(sc, path, depth, false);
		return 0;
	}
	if (depth > 0 && !S_ISREG(st.st_mode))
		return 0;		/* sockets, fifos in a tree */
	if (sc->pool && S_ISREG(st.st_mode) && st.st_size < POOL_WHOLE_FILE) {
		pool_file(sc->pool, path, st.st_size);
		return 0;
	}
	return source_scan_file(sc, path);
}

/*
 * A file NAME of the directory open as DFD.  What readdir said it is
 * spares the lstat and stat of scan_any (two walks of the whole path
 * a file, on the reading thread) where it can: a regular file is not
 * a link, and the size that -j needs is looked up by name in the open
 * directory.
 */
static void
scan_entry(struct acm_scanner *sc, const char *path, int depth, char kind,
    int dfd, const char *name)
{
	struct stat st;

	if (kind == 'f' && sc->pool == NULL)
		source_scan_file(sc, path);
	else if (kind == 'f' && fstatat(dfd, name, &st, 0) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size < POOL_WHOLE_FILE)
		pool_file(sc->pool, path, st.st_size);
	else
		scan_any(sc, path, depth);
}

/*
 * Open and read one file.  With -j, a worker does this for each small
 * file (pool_file), so that a directory of single mails is opened,
 * sniffed and parsed on every core, not split on one.
 */
int
source_scan_file(struct acm_scanner *sc, const char *path)
{
	struct prov p = { .path = path, .index = -1, .offset = -1 };
	int fd;

	if ((fd = open(path, O_RDONLY)) == -1) {
		input_begin(sc, path);
		scan_error(sc, &p, "%s", strerror(errno));
		input_end(sc, NULL);
		return -1;
	}
	scan_fd(sc, fd, path);
	close(fd);
	return 0;
}

int
acm_scan_path(struct acm_scanner *sc, const char *path)
{
	sc->status = 0;
	if (strcmp(path, "-") == 0)
		scan_fd(sc, STDIN_FILENO, "-");
	else
		scan_any(sc, path, 0);
	return sc->status;
}

/* Bytes already in memory: for fuzzing and tests. */
int
acm_scan_buffer(struct acm_scanner *sc, const void *buf, size_t len,
    const char *name)
{
	struct prov p = { .path = name, .index = -1, .offset = -1 };
	struct archive *a = archive_new_reader();
	uint64_t consumed = len;

	sc->status = 0;
	input_begin(sc, name);
	sc->stats.bytes = len;
	if (sc->opt.hash_inputs)
		sha256_hex(buf, len, sc->stats.sha256);
	/* as for an empty file: libarchive calls no data a bad format */
	if (len == 0)
		scan_warn(sc, &p, "empty input");
	else if (archive_read_open_memory(a, buf, len) != ARCHIVE_OK)
		scan_error(sc, &p, "cannot read: %s",
		    archive_error_string(a));
	else
		scan_entries(sc, a, &consumed, &p);
	archive_read_free(a);
	input_end(sc, NULL);
	return sc->status;
}
