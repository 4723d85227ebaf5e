/*
 * acm.h - public interface of libparse, the acm-mail parsing core.
 *
 * Bytes go down one road: source (files, directories, stdin, archives)
 * -> container (one message, mbox, MMDF, JSON documents) -> envelope
 * (SNS, SES, Lambda, SNS e-mail deliveries) -> MIME -> extraction.
 * Every ACM validation mail found becomes a record: a jansson object
 * whose fields are listed in DESIGN.md, in that order.
 *
 * The library never prints and never exits.  It reports through the
 * callbacks in struct acm_options and returns status codes.
 */
#ifndef ACM_H
#define ACM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define ACM_VERSION "0.1.0"

/* What an input is; ACM_FMT_AUTO sniffs the content. */
enum acm_format {
	ACM_FMT_AUTO = 0,
	ACM_FMT_MESSAGE,	/* one RFC 5322 message */
	ACM_FMT_MBOX,		/* mboxo, mboxrd, mboxcl, mboxcl2 */
	ACM_FMT_MMDF,		/* ^A^A^A^A separated */
	ACM_FMT_JSON,		/* SNS/SES/Lambda JSON, arrays, JSON Lines */
	ACM_FMT_RECORDS		/* acmextract's own JSON Lines */
};

/* Resource limits.  Hitting one is a warning, never a crash. */
struct acm_limits {
	size_t	 max_message;		/* bytes in one raw message */
	size_t	 max_header;		/* bytes in one header block */
	int	 max_mime_depth;	/* nested multiparts and messages */
	int	 max_envelope_depth;	/* archives, JSON, SNS e-mail, ... */
	int	 max_json_depth;	/* nesting inside one JSON document */
	size_t	 max_json_doc;		/* bytes in one JSON document */
	uint64_t max_entries;		/* archive entries per input */
	uint64_t max_expanded;		/* decompressed bytes per input */
	uint64_t max_ratio;		/* decompressed : compressed */
};

void	acm_limits_default(struct acm_limits *);

/* Where a message came from.  Strings are owned by the library. */
struct acm_where {
	const char	*path;		/* file, or "-" for stdin */
	const char	*entry;		/* archive entry, or NULL */
	long		 index;		/* message number, -1 unknown */
	long long	 offset;	/* byte offset, -1 unknown */
};

enum acm_severity { ACM_WARNING, ACM_ERROR };

/*
 * A diagnostic.  ACM_ERROR means something could not be read at all
 * (an input, an archive entry, a JSON document); the tools turn it into
 * exit status 2.  ACM_WARNING means odd but handled.
 */
struct acm_diag {
	enum acm_severity	 severity;
	struct acm_where	 where;
	const char		*message;	/* one line, no newline */
	/*
	 * A warning about a mail that presents itself as ACM's validation
	 * mail (its Subject or From) but from which no record could be
	 * read: a phishing copy with a mangled link, or one hidden past a
	 * limit.  acmverify fails it rather than saying nothing.
	 */
	bool			 unreadable_acm;
	const char		*sha256;	/* of that mail; else NULL */
};

/* Per-input totals, reported when an input is finished. */
struct acm_input_stats {
	const char	*path;
	uint64_t	 bytes;		/* bytes read from the file */
	uint64_t	 messages;	/* raw messages parsed */
	uint64_t	 records;	/* validation mails found */
	uint64_t	 errors;
	uint64_t	 warnings;
	char		 sha256[65];	/* of the file's bytes, when
					   hash_inputs is set; else "" */
};

struct acm_options {
	enum acm_format		 format;
	struct acm_limits	 limits;
	bool			 hash_inputs;	/* stats.sha256 of each file */
	int			 jobs;		/* worker threads; 0 or 1:
						   none */
	bool			 accept_records; /* acmextract's JSON Lines
						   go to on_record as they
						   are (acmaudit) */
	const char		*dkim_keys;	/* pinned DKIM keys file */
	const char		*sns_certs;	/* pinned SNS certificates */

	/*
	 * Called once per record.  The callee owns one reference to the
	 * record and must json_decref() it.
	 */
	void	(*on_record)(json_t *record, void *arg);
	void	(*on_diag)(const struct acm_diag *, void *arg);
	void	(*on_input)(const struct acm_input_stats *, void *arg);
	void	*arg;
};

struct acm_scanner;

/* Returns NULL only when a library (libmagic, PCRE2) cannot start. */
struct acm_scanner	*acm_scanner_new(const struct acm_options *);
void			 acm_scanner_free(struct acm_scanner *);

/*
 * Scan a file, a directory tree, or "-" for standard input.  Returns 0,
 * or -1 when something could not be read (already reported via
 * on_diag).  Either way every readable part has been scanned.
 */
int	acm_scan_path(struct acm_scanner *, const char *path);

/* Scan bytes already in memory, named NAME, as one input. */
int	acm_scan_buffer(struct acm_scanner *, const void *, size_t,
	    const char *name);

/*
 * With jobs > 1, records and diagnostics may still be on their way when
 * acm_scan_path returns: acm_scan_finish delivers all of them.  Returns
 * -1 when any input, over the scanner's life, had an error.
 */
int	acm_scan_finish(struct acm_scanner *);

/*
 * Scan exactly one raw message (no container sniffing): what
 * acmverify --annotate needs.  Records go to on_record.
 */
int	acm_scan_message(struct acm_scanner *, const void *, size_t,
	    const char *name);

/* Human name of a format, and the reverse (-1 when unknown). */
const char	*acm_format_name(enum acm_format);
int		 acm_format_parse(const char *);

#endif /* ACM_H */
