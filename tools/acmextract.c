/*
 * acmextract - print a record for every ACM validation mail in the
 * inputs: files, directories, archives, or standard input.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "common.h"

struct extract {
	struct common	 c;
	enum out_format	 out;
	unsigned long	 records;
	bool		 header_done;
	bool		 inventory;	/* --inventory: input lines too */
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: %s [-q] [-j N] [-o json|tsv|text] [--format FORMAT] [FILE|DIR|-]...\n"
"\n"
"Find every AWS Certificate Manager domain-validation mail in the inputs\n"
"(mail, mbox, Maildir, SNS/SES JSON; compressed or in tar/zip) and print\n"
"one record each.  No input, or -, reads standard input.\n"
"\n"
"  -o FORMAT     json (JSON Lines, the default), tsv or text\n"
"  -q            print nothing; the exit status says whether any was found\n"
"  -j, --jobs N  scan on N threads, 0 for one per core (the output is\n"
"                byte for byte that of -j 1)\n"
"  --inventory   also a line per input (path, size, sha256, counts), so\n"
"                that acmaudit over the output reports as over the inputs\n"
"  --format F    read every input as F: auto, eml, mbox, mmdf, json\n"
"  --max-message-size N, --max-mime-depth N, --max-envelope-depth N,\n"
"  --max-json-depth N, --max-json-size N, --max-header-size N,\n"
"  --max-archive-entries N, --max-expanded-size N, --max-ratio N\n"
"                resource limits (sizes take K, M, G)\n"
"  --dkim-keys FILE  check DKIM signatures against pinned keys\n"
"  --sns-certs DIR   check SNS signatures against pinned certificates\n"
"  --help, --version\n"
"\n"
"Exit status: 0 a record was found, 1 none, 2 an input could not be read.\n",
	    progname);
}

static void
on_record(json_t *r, void *arg)
{
	struct extract *x = arg;

	x->records++;
	if (x->c.quiet)
		goto out;
	switch (x->out) {
	case OUT_TSV:
		if (!x->header_done)
			print_record_tsv_header(stdout);
		x->header_done = true;
		print_record_tsv(r, stdout);
		break;
	case OUT_TEXT:
		print_record_text(r, stdout);
		break;
	default:
		json_dumpf(r, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
		fputc('\n', stdout);
		break;
	}
out:
	json_decref(r);
}

/* --inventory: one line per input, after its records, for acmaudit. */
static void
on_input(const struct acm_input_stats *st, void *arg)
{
	struct extract *x = arg;
	json_t *in, *o;
	char *path;

	if (!x->inventory || x->c.quiet || x->out != OUT_JSON)
		return;
	/* a file name is bytes; the line must be UTF-8, as records are */
	path = g_utf8_make_valid(st->path, -1);
	in = json_pack("{s:s, s:I, s:s, s:I, s:I, s:I, s:I}",
	    "path", path, "bytes", (json_int_t)st->bytes,
	    "sha256", st->sha256, "messages", (json_int_t)st->messages,
	    "records", (json_int_t)st->records,
	    "errors", (json_int_t)st->errors,
	    "warnings", (json_int_t)st->warnings);
	g_free(path);
	o = json_pack("{s:o}", "input", in);
	json_dumpf(o, stdout, JSON_COMPACT | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(o);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		COMMON_LONGOPTS,
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "inventory", no_argument, NULL, 1100 },
		{ NULL, 0, NULL, 0 }
	};
	struct extract x = { .out = OUT_JSON };
	struct acm_scanner *sc;
	int ch, i, rc;

	common_init(&x.c, argv[0]);
	argv[0] = (char *)progname;	/* getopt's messages */
	x.c.opt.on_record = on_record;
	x.c.opt.on_input = on_input;
	x.c.opt.arg = &x;
	while ((ch = getopt_long(argc, argv, "o:qj:hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			if (strcmp(optarg, "json") == 0)
				x.out = OUT_JSON;
			else if (strcmp(optarg, "tsv") == 0)
				x.out = OUT_TSV;
			else if (strcmp(optarg, "text") == 0)
				x.out = OUT_TEXT;
			else {
				warnx_("unknown output format '%s' (json, "
				    "tsv, text)", optarg);
				return 2;
			}
			break;
		case 'q':
			x.c.quiet = true;
			break;
		case 'j':
			if (common_jobs(&x.c, optarg) == -1)
				return 2;
			break;
		case 1100:
			x.inventory = true;
			x.c.opt.hash_inputs = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("acmextract %s\n", ACM_VERSION);
			return 0;
		default:
			rc = common_option(&x.c, ch, optarg);
			if (rc == 1)
				break;
			if (rc == 0)
				usage_hint();
			return 2;
		}
	}
	if (x.c.opt.format == ACM_FMT_RECORDS) {
		/* records are read back by acmverify and acmaudit */
		warnx_("--format records is for acmverify and acmaudit; "
		    "acmextract reads mail");
		usage_hint();
		return 2;
	}
	if ((sc = acm_scanner_new(&x.c.opt)) == NULL) {
		warnx_("cannot start the scanner (PCRE2 or libmagic failed)");
		return 2;
	}
	if (optind == argc)
		acm_scan_path(sc, "-");
	for (i = optind; i < argc; i++)
		acm_scan_path(sc, argv[i]);
	acm_scan_finish(sc);
	acm_scanner_free(sc);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx_("cannot write the output");
		return 2;
	}
	if (x.c.had_error)
		return 2;
	return x.records > 0 ? 0 : 1;
}
