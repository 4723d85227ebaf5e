/*
 * gmime_probe - the bar acmextract is measured against: a bare GMime
 * parse that decodes every text part of every message to UTF-8, and
 * does nothing else (no prefilter, no JSON, no extraction).
 *
 *	gmime_probe MBOX|-		parse an mbox (- is standard input)
 *	gmime_probe -d DIR|FILE...	one message per file, DIR walked
 *
 * Prints "messages N text-parts N text-bytes N".  Exit 0, or 2 when an
 * input cannot be opened.  Built by bench/run with
 * cc $(pkg-config --cflags --libs gmime-3.0).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

struct count {
	unsigned long	 messages;
	unsigned long	 parts;
	unsigned long	 bytes;
};

/*
 * Every text part below the message, attached messages included (the
 * iterator descends into message/rfc822), decoded and converted.
 */
static void
decode_texts(GMimeMessage *msg, struct count *c)
{
	GMimePartIter *it = g_mime_part_iter_new(GMIME_OBJECT(msg));

	c->messages++;
	if (!g_mime_part_iter_is_valid(it)) {
		g_mime_part_iter_free(it);
		return;
	}
	do {
		GMimeObject *o = g_mime_part_iter_get_current(it);
		char *text;

		if (!GMIME_IS_TEXT_PART(o))
			continue;
		/* CTE decoded, charset converted to UTF-8 */
		text = g_mime_text_part_get_text(GMIME_TEXT_PART(o));
		if (text) {
			c->parts++;
			c->bytes += strlen(text);
			g_free(text);
		}
	} while (g_mime_part_iter_next(it));
	g_mime_part_iter_free(it);
}

/* Parse FD as mbox (MBOX) or as one message. */
static void
parse_fd(int fd, bool mbox, struct count *c)
{
	/* an fs stream needs lseek; a pipe needs GMime's pipe stream */
	GMimeStream *s = lseek(fd, 0, SEEK_CUR) == -1 ?
	    g_mime_stream_pipe_new(fd) : g_mime_stream_fs_new(fd);
	GMimeParser *p = g_mime_parser_new_with_stream(s);

	g_mime_parser_set_format(p, mbox ? GMIME_FORMAT_MBOX :
	    GMIME_FORMAT_MESSAGE);
	while (!g_mime_parser_eos(p)) {
		GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

		if (m == NULL)
			break;
		decode_texts(m, c);
		g_object_unref(m);
		if (!mbox)
			break;
	}
	g_object_unref(p);
	g_object_unref(s);	/* closes FD */
}

static gint
by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
parse_path(const char *path, struct count *c)
{
	GDir *d = g_dir_open(path, 0, NULL);
	const char *name;
	GPtrArray *names;
	int fd, rc = 0;
	guint i;

	if (d == NULL) {
		if ((fd = open(path, O_RDONLY)) == -1) {
			fprintf(stderr, "gmime_probe: %s: %s\n", path,
			    strerror(errno));
			return 2;
		}
		parse_fd(fd, false, c);
		return 0;
	}
	/* sorted, like the other tools read a Maildir */
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	g_dir_close(d);
	g_ptr_array_sort(names, by_name);
	for (i = 0; i < names->len; i++)
		if (parse_path(g_ptr_array_index(names, i), c) != 0)
			rc = 2;
	g_ptr_array_free(names, TRUE);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct count c = { 0 };
	int i, fd, rc = 0;

	g_mime_init();
	if (argc == 2 && strcmp(argv[1], "-d") != 0) {
		if (strcmp(argv[1], "-") == 0)
			fd = dup(0);
		else if ((fd = open(argv[1], O_RDONLY)) == -1) {
			fprintf(stderr, "gmime_probe: %s: %s\n", argv[1],
			    strerror(errno));
			return 2;
		}
		parse_fd(fd, true, &c);
	} else if (argc >= 3 && strcmp(argv[1], "-d") == 0) {
		for (i = 2; i < argc; i++)
			if (parse_path(argv[i], &c) != 0)
				rc = 2;
	} else {
		fprintf(stderr, "usage: gmime_probe MBOX|-\n"
		    "       gmime_probe -d DIR|FILE...\n");
		return 2;
	}
	printf("messages %lu text-parts %lu text-bytes %lu\n", c.messages,
	    c.parts, c.bytes);
	g_mime_shutdown();
	return rc;
}
