/*
 * internal.h - what the libparse modules share and the tools never see.
 */
#ifndef ACM_INTERNAL_H
#define ACM_INTERNAL_H

#include <stdbool.h>
#include <stdarg.h>
#include <glib.h>
#include <magic.h>

#include "acm.h"

#define MAX_LAYERS	128

/*
 * Provenance of the bytes being looked at, passed by value down the
 * road so that each stage can add to it without undoing anything.
 * Every string is owned by a caller further up the stack.
 */
struct prov {
	const char	*path;
	const char	*entry;
	long		 index;
	long long	 offset;
	const char	*layers[MAX_LAYERS];
	int		 nlayers;
	int		 depth;		/* envelope depth */
	bool		 copy;		/* found inside another mail */
	json_t		*ses;		/* verdicts from an SES receipt */
	json_t		*sns;		/* the SNS envelope's facts */
};

struct patterns;
struct pool;

struct acm_scanner {
	struct acm_options	 opt;
	magic_t			 magic;
	struct patterns		*pat;
	struct acm_input_stats	 stats;		/* of the current input */
	uint64_t		 expanded;	/* leaf bytes, this input */
	uint64_t		 entries;	/* archive entries, this input */
	bool			 records_warned; /* this input */
	int			 status;	/* -1 once an error was seen */
	struct pool		*pool;		/* jobs > 1: the workers */
	bool			 seen_error;	/* since the scanner began */
	GPtrArray		*held;		/* diagnostics held back */
	bool			 hold;		/* ... and new ones too */
	size_t			 chunk;		/* mbox bytes a worker splits */
};

/* source.c */
int		 source_scan_file(struct acm_scanner *, const char *);

/*
 * pool.c.  Files smaller than this go whole to a worker with -j; a
 * larger one (a big mbox) is split by the reading thread and its
 * messages are shared out.
 */
#define POOL_WHOLE_FILE	((off_t)8 << 20)
struct pool	*pool_new(struct acm_scanner *);
void		 pool_free(struct pool *);
void		 pool_finish(struct pool *);
void		 pool_message(struct pool *, const unsigned char *, size_t,
		    const struct prov *, GPtrArray *);
void		 pool_diag(struct pool *, const struct acm_diag *);
void		 pool_file(struct pool *, const char *, size_t);
void		 pool_json_line(struct pool *, const unsigned char *, size_t,
		    const struct prov *);
void		 pool_input_end(struct pool *,
		    const struct acm_input_stats *);
void		 pool_record(struct pool *, json_t *);
void		 pool_chunk(struct pool *, unsigned char *buf, size_t cap,
		    size_t at, size_t len, const struct prov *, size_t after,
		    bool last);
void		 pool_chunk_buffer(struct pool *, unsigned char **,
		    size_t *);
void		 pool_chunks_begin(struct pool *, long base);
bool		 pool_chunks_stopped(const struct pool *);
long		 pool_chunks_end(struct pool *, GByteArray **, bool *tail,
		    long long *resume);
void		 pool_chunk_file(struct pool *, int fd, long long file_off,
		    size_t len, const struct prov *, size_t after, bool last);
void		 pool_carried(struct pool *, const struct acm_input_stats *);

/* diag.c */
void	 prov_push(struct prov *, const char *layer);
void	 scan_warn(struct acm_scanner *, const struct prov *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	 scan_error(struct acm_scanner *, const struct prov *,
	    const char *, ...) __attribute__((format(printf, 3, 4)));
void	 scan_unreadable_acm(struct acm_scanner *, const struct prov *,
	    const char *sha256, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
char	*prov_where(const struct prov *);
void	 diag_copy(struct acm_diag *, const struct acm_diag *);
void	 diag_clear(struct acm_diag *);
struct acm_diag *diag_dup(const struct acm_diag *);
void	 diag_free(gpointer);
void	 scan_release_held(struct acm_scanner *);
struct reader;
void	 scan_hold_reader(struct acm_scanner *, struct reader *);
void	 scan_release_reader(struct acm_scanner *, struct reader *);

/* reader.c: a pull reader with look-ahead over any byte source */
typedef ssize_t (*reader_fn)(void *arg, const void **buf);

typedef ssize_t (*reader_into_fn)(void *arg, unsigned char *dst, size_t n);
typedef bool (*reader_seek_fn)(void *arg, long long offset);

struct reader {
	reader_fn	 fn;
	void		*arg;
	unsigned char	*buf;
	size_t		 cap, start, end;
	size_t		 max_line;	/* 0: unbounded */
	long long	 offset;	/* stream offset of buf[start] */
	bool		 eof;
	bool		 failed;
	/* called around each pull from the source (mbox.c) */
	void		(*filling)(void *, bool);
	void		*fill_arg;
	/*
	 * A plain file (reader_init_file): read straight into buf, and
	 * open to pread at fd offset base + stream offset, by workers
	 * too (mboxchunk.c).  fd is -1 for other sources.
	 */
	reader_into_fn	 read_into;
	reader_seek_fn	 seek;
	int		 fd;
	long long	 base;
};

void	 reader_init(struct reader *, reader_fn, void *);
void	 reader_init_file(struct reader *, reader_into_fn, reader_seek_fn,
	    void *, int fd, long long base);
bool	 reader_seek(struct reader *, long long offset);
void	 reader_free(struct reader *);
size_t	 reader_peek(struct reader *, size_t want, const unsigned char **);
bool	 reader_line(struct reader *, const unsigned char **, size_t *);
void	 reader_skip(struct reader *, size_t);
void	 reader_over(struct reader *, const unsigned char *, size_t,
	    long long offset);
void	 reader_unread(struct reader *, const unsigned char *, size_t);
size_t	 reader_swap(struct reader *, size_t cut, unsigned char **buf,
	    size_t *cap);
ssize_t	 reader_mem(void *, const void **);

struct membuf {
	const unsigned char	*p;
	size_t			 len;
	bool			 done;
};

/* sniff.c */
enum acm_format	 sniff_format(struct acm_scanner *, const unsigned char *,
		    size_t, const char **label);
bool		 looks_like_header(const unsigned char *, size_t);

/* container.c: one leaf byte stream, format known or sniffed */
void	 container_scan(struct acm_scanner *, struct reader *,
	    struct prov *);

/* mbox.c */
#define MBOX_MAX_PREAMBLE	65536	/* text before the first From_ */
bool	 mbox_from_line(const unsigned char *, size_t);
void	 mbox_scan(struct acm_scanner *, struct reader *, struct prov *);
void	 mmdf_scan(struct acm_scanner *, struct reader *, struct prov *);

/* What a worker made of one mbox chunk (mboxchunk.c). */
struct chunk_result {
	long	 messages;	/* split and scanned */
	size_t	 used;		/* bytes they took */
	bool	 unsure;	/* stopped at one to split again */
	bool	 tail;		/* text after the last one */
};
void	 mbox_chunk_scan(struct acm_scanner *, const unsigned char *,
	    size_t, struct prov *, size_t after, bool last,
	    struct chunk_result *);

/* mboxchunk.c */
#define CHUNK_DEFAULT	((size_t)1 << 20)
enum chunks_end { CHUNKS_DONE, CHUNKS_GIANT, CHUNKS_STOP };
enum chunks_end	 mbox_chunks(struct acm_scanner *, struct reader *,
		    const struct prov *, long *index, bool *tail);

/* jsonin.c */
void	 json_scan(struct acm_scanner *, struct reader *, struct prov *);
void	 json_line_scan(struct acm_scanner *, const unsigned char *, size_t,
	    struct prov *);
json_t	*json_parse_limited(struct acm_scanner *, const char *, size_t,
	    const struct prov *, size_t *used, bool fatal, long first_line);

/* envelope.c */
void	 envelope_walk(struct acm_scanner *, json_t *, struct prov *);
bool	 envelope_from_body(struct acm_scanner *, const char *, size_t,
	    struct prov *);
bool	 is_record(json_t *);

/*
 * proof.c: offline proof of origin.  Each returns the record field
 * ("dkim": one entry per signature; the SNS envelope's "signature"),
 * or json_null() when no pinned keys or certificates were given.
 */
json_t	*proof_dkim(struct acm_scanner *, const unsigned char *, size_t,
	    json_t *record);
json_t	*proof_sns(struct acm_scanner *, json_t *envelope);

/* prefilter.c */
bool	 prefilter_maybe_acm(const unsigned char *, size_t);
bool	 prefilter_maybe_json(const unsigned char *, size_t);

/* message.c */
void	 message_scan(struct acm_scanner *, const unsigned char *, size_t,
	    struct prov *, GPtrArray *warnings);

/* html.c: text as a reader would see it, plus every link */
struct link {
	char	*href;
	char	*text;
	char	*id;
};
void	 html_render(const char *, size_t, GString *text, GPtrArray *links);
void	 link_free(gpointer);

/* extract.c */
struct fields {
	char	*template;
	char	*domain;
	char	*requested_domain;
	char	*account_id;
	char	*account_shown;
	char	*region;
	char	*certificate_id;
	char	*certificate_arn;
	char	*approval_url;
	bool	 quoted;	/* template lines carried '>' marks */
	bool	 forwarded;	/* a forward or reply marker came first */
	bool	 legacy_label;
	bool	 rejoined;	/* the link was re-joined across lines */
};
struct patterns	*patterns_new(void);
void		 patterns_free(struct patterns *);
bool		 extract_text(struct patterns *, const char *, size_t,
		    const char *href, struct fields *);
char		*extract_html_link(struct patterns *, GPtrArray *links);
void		 fields_clear(struct fields *);
char		*normalise_text(const char *, size_t, bool *quoted);

/* url.c */
struct url_parts {
	char	*scheme;
	char	*host;		/* lower-cased, trailing dot dropped */
	char	*userinfo;
	char	*code;
	char	*context;
	char	*path;
};
bool	 url_split(const char *, struct url_parts *);
void	 url_parts_clear(struct url_parts *);
bool	 hostname_valid(const char *);

/* bytescan.c */
const unsigned char *find3(const unsigned char *, size_t, unsigned char,
	    unsigned char, unsigned char, unsigned char);

/* util.c */
void	 sha256_hex(const void *, size_t, char out[65]);
char	*time_rfc3339(gint64 unix_seconds);
char	*utf8_clean(const char *, size_t);
char	*base64_decode_loose(const char *, size_t, size_t *outlen);
int	 address_at_signs(const char *);

#endif /* ACM_INTERNAL_H */
