/*
 * pool.c - messages scanned on several cores, results in input order.
 *
 * With jobs > 1 the thread that reads and splits inputs puts each raw
 * message (copied, with its provenance), each of its own diagnostics
 * and the end of each input into a batch, in the order they happen.
 * A full batch goes to a pool of workers, each with a scanner of its
 * own (PCRE2 match data and counters are not shared) whose callbacks
 * turn the batch into a list of events.  Batches are delivered in the
 * order they were made, so the tools see records, warnings, errors and
 * input totals exactly as -j 1 would give them.  A batch holds a few
 * hundred small messages, so hand-overs are few; the number and bytes
 * of batches in flight are bounded, so memory stays flat.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define INFLIGHT_PER_JOB	4
#define INFLIGHT_BYTES		((size_t)128 << 20)
#define BATCH_BYTES		((size_t)512 << 10)
#define BATCH_ITEMS		256

enum item_kind {
	IT_MESSAGE, IT_JSON_LINE, IT_DIAG, IT_INPUT_END, IT_RECORD,
	IT_CARRIED, IT_FILE, IT_CHUNK
};

/* What the reading thread put in a batch. */
struct item {
	enum item_kind		 kind;
	size_t			 at, len;	/* bytes in the batch */
	struct prov		*prov;		/* bytes' items only: 1 KB */
	char			*path, *entry;
	GPtrArray		*warn;
	struct acm_diag		 diag;		/* IT_DIAG */
	struct acm_input_stats	 stats;		/* IT_INPUT_END, IT_CARRIED */
	json_t			*record;	/* IT_RECORD */
	size_t			 after;		/* IT_CHUNK */
	bool			 last;		/* IT_CHUNK */
	unsigned char		*own;		/* IT_CHUNK: its buffer */
	size_t			 own_cap;
	int			 fd;		/* IT_CHUNK of a plain file, */
	long long		 file_off;	/* ... to read from here */
	bool			 direct;	/* ... by the worker */
};

enum event_kind {
	EV_RECORD, EV_DIAG, EV_COUNT, EV_INPUT_END, EV_CARRIED, EV_CHUNK_END
};

/* What the tools will be told, in order. */
struct event {
	enum event_kind		 kind;
	json_t			*record;
	struct acm_diag		 diag;
	uint64_t		 messages, records, errors, warnings;
	struct acm_input_stats	 stats;
	char			*own_path;	/* stats.path, when not
						   the item's own */
	bool			 chunk;		/* numbered within a chunk */
	struct chunk_result	 res;		/* EV_CHUNK_END */
	const unsigned char	*data;		/* EV_CHUNK_END: its bytes */
	size_t			 len;
	long long		 offset;	/* ... and where they were */
	bool			 direct;	/* ... read by the worker */
};

struct batch {
	GByteArray		*raw;
	size_t			 weight;	/* bytes of its IT_FILEs */
	size_t			 owned;		/* bytes of its chunks */
	GArray			*items;		/* struct item */
	GArray			*events;	/* struct event, in place */
	struct worker		*maker;		/* who did it */
	bool			 done;
};

struct pool {
	struct acm_scanner	*sc;
	GThread			**threads;
	int			 nthreads;
	GQueue			 todo;		/* batches for the workers */
	pthread_cond_t		 todo_cond;	/* ... one was added */
	GPtrArray		*spare;		/* batches to use again */
	GArray			*big;		/* chunk buffers, the same */
	GQueue			 queue;		/* batches, oldest first */
	struct batch		*open;		/* the one being filled */
	struct worker		*self;		/* the reading thread's own */
	size_t			 bytes;		/* raw bytes in flight */
	/*
	 * pthreads, not GLib's GMutex and GCond: those use futexes
	 * directly, which ThreadSanitizer cannot see, so it could not
	 * check this file.
	 */
	pthread_mutex_t		 lock;		/* todo, queue, done, bytes */
	pthread_cond_t		 cond;		/* a batch was done */
	uint64_t		 messages, records; /* of the current input */
	uint64_t		 errors, warnings;  /* ... found by workers */
	/* mbox chunks (mboxchunk.c) */
	long			 chunk_base;	/* number of the next message */
	bool			 chunk_tail;	/* text after the last one */
	bool			 discard;	/* a chunk could not be split */
	GByteArray		*replay;	/* ... so these bytes go back */
	long long		 resume;	/* ... or, read by workers,
						   the reader goes on here */
};

/* A chunk buffer kept for the reader to use again (reader_swap). */
struct spare {
	unsigned char		*buf;
	size_t			 cap;
};

struct worker {
	struct acm_scanner	*sc;
	struct batch		*batch;
	const char		*path;		/* the IT_FILE at work */
	GPtrArray		*garbage;	/* its records, delivered:
						   to free (pl->lock) */
	GPtrArray		*trash;		/* ... taken, being freed */
	unsigned char		*chunk;		/* chunks it reads itself */
	size_t			 chunk_cap;
};

static void
event_clear(struct event *e)
{
	json_decref(e->record);
	diag_clear(&e->diag);
	g_free(e->own_path);
}

/*
 * Events are made by a worker and freed by the reading thread.  Each
 * one a malloc of its own was a free across threads a file: glibc
 * then takes the worker's arena lock from the reading thread, and the
 * two cores fight over it and over the chunks' cache lines (-j2 spent
 * a fifth more CPU a file than -j1 on a Maildir).  So they live in
 * the batch's array, and a file's path is borrowed from its item.
 * The pointer is good until the next event_add.
 */
static struct event *
event_add(struct batch *b, enum event_kind kind)
{
	struct event e = { .kind = kind };

	g_array_append_val(b->events, e);
	return &g_array_index(b->events, struct event, b->events->len - 1);
}

static struct event *
event_at(const struct batch *b, guint i)
{
	return &g_array_index(b->events, struct event, i);
}

/* PATH for an event's totals: the item's own if it is that, else a copy. */
static void
event_path(struct event *e, const char *path, const char *item_path)
{
	if (path != item_path)
		path = e->own_path = g_strdup(path);
	e->stats.path = path;
}

/*
 * Batches in flight at most: as many buffers are kept for reuse, so
 * that none is unmapped and mapped again (a page fault every 4 KiB,
 * and with threads, a TLB shootdown on the other cores).
 */
static guint
in_flight(const struct pool *pl)
{
	return (guint)INFLIGHT_PER_JOB * (guint)pl->sc->opt.jobs;
}

/*
 * Batches are kept and used again, their arrays at the size they grew
 * to: a fresh half megabyte of bytes each time cost a page fault per
 * 4 KiB, a fifth of what the reading thread did (perf, -j2 on a 200 MB
 * mbox).  And an array that a worker grew lives in the worker's malloc
 * arena: freed or grown again by the reading thread, it took that
 * arena's lock, so the two threads waited on each other (1,500 futex
 * calls a run over a 10,000-file Maildir).  Only the reading thread
 * takes and returns batches, so no lock is needed.
 */
static struct batch *
batch_new(struct pool *pl)
{
	struct batch *b;

	if (pl->spare->len > 0)
		return g_ptr_array_steal_index_fast(pl->spare,
		    pl->spare->len - 1);
	b = g_new0(struct batch, 1);
	b->raw = g_byte_array_sized_new(BATCH_BYTES + BATCH_BYTES / 4);
	b->items = g_array_sized_new(FALSE, TRUE, sizeof(struct item),
	    BATCH_ITEMS);
	b->events = g_array_sized_new(FALSE, FALSE, sizeof(struct event),
	    BATCH_ITEMS);
	return b;
}

static void
batch_destroy(gpointer data)
{
	struct batch *b = data;

	g_byte_array_free(b->raw, TRUE);
	g_array_free(b->items, TRUE);
	g_array_free(b->events, TRUE);
	g_free(b);
}

static void
item_clear(struct pool *pl, struct item *it)
{
	g_free(it->path);
	g_free(it->entry);
	if (it->prov) {
		json_decref(it->prov->ses);
		json_decref(it->prov->sns);
		g_free(it->prov);
	}
	if (it->warn)
		g_ptr_array_free(it->warn, TRUE);
	diag_clear(&it->diag);
	g_free((char *)it->stats.path);
	json_decref(it->record);
	if (it->own && pl->big->len < in_flight(pl) + 2) {
		struct spare sp = { it->own, it->own_cap };

		g_array_append_val(pl->big, sp);
	} else
		g_free(it->own);
}

/*
 * A record is made of some dozens of small allocations, in the malloc
 * arena of the thread that made it; freed by the reading thread, each
 * took that arena's lock while the worker was using it (two hundred
 * futex waits a run over a 10,000-file Maildir).  So the records of
 * a worker's batch go back to it, to free between two batches.
 */
static void
give_back(struct pool *pl, struct batch *b)
{
	struct worker *w = b->maker;
	guint i;

	if (w == NULL || w == pl->self)
		return;
	pthread_mutex_lock(&pl->lock);
	for (i = 0; i < b->events->len; i++) {
		struct event *e = event_at(b, i);

		if (e->record)
			g_ptr_array_add(w->garbage, e->record);
		e->record = NULL;
	}
	pthread_mutex_unlock(&pl->lock);
}

/* A delivered batch, emptied for the next one (or freed). */
static void
batch_free(struct pool *pl, struct batch *b)
{
	guint i;

	for (i = 0; i < b->items->len; i++)
		item_clear(pl, &g_array_index(b->items, struct item, i));
	give_back(pl, b);
	for (i = 0; i < b->events->len; i++)
		event_clear(event_at(b, i));
	if (pl->spare->len >= in_flight(pl) + 1 ||
	    b->raw->len > 2 * BATCH_BYTES) {
		batch_destroy(b);
		return;
	}
	g_byte_array_set_size(b->raw, 0);
	g_array_set_size(b->items, 0);
	g_array_set_size(b->events, 0);
	b->weight = b->owned = 0;
	b->done = false;
	g_ptr_array_add(pl->spare, b);
}

/* Worker side: the callbacks of the thread's scanner. */
static void
worker_record(json_t *r, void *arg)
{
	struct worker *w = arg;

	event_add(w->batch, EV_RECORD)->record = r;
}

static void
worker_diag(const struct acm_diag *d, void *arg)
{
	struct worker *w = arg;

	diag_copy(&event_add(w->batch, EV_DIAG)->diag, d);
}

/* A whole file read by the worker: its totals are complete. */
static void
worker_input(const struct acm_input_stats *st, void *arg)
{
	struct worker *w = arg;
	struct event *e = event_add(w->batch, EV_CARRIED);

	e->stats = *st;
	event_path(e, st->path, w->path);
}

/* A worker's scanner: its own PCRE2 data, libmagic and counters. */
static struct worker *
worker_new(struct pool *pl)
{
	struct acm_options o = pl->sc->opt;
	struct worker *w = g_new0(struct worker, 1);

	o.jobs = 1;
	o.on_record = worker_record;
	o.on_diag = worker_diag;
	o.on_input = worker_input;
	o.arg = w;
	w->sc = acm_scanner_new(&o);
	w->garbage = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)json_decref);
	w->trash = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)json_decref);
	return w;
}

/* What the worker's scanner counted since its stats were zeroed. */
static void
add_counts(struct batch *b, const struct acm_scanner *sc)
{
	struct event *e = event_add(b, EV_COUNT);

	e->messages = sc->stats.messages;
	e->records = sc->stats.records;
	e->errors = sc->stats.errors;
	e->warnings = sc->stats.warnings;
}

/* Room for WANT bytes in the worker's own chunk buffer. */
static void
chunk_room(struct worker *w, size_t want)
{
	if (w->chunk_cap < want) {
		w->chunk = g_realloc(w->chunk, want);
		w->chunk_cap = want;
	}
}

/*
 * Worker side of pool_chunk_file: the chunk's bytes, read here into
 * the worker's own buffer so that they are in this core's cache when
 * they are split, and the buffer is used again at once (nothing needs
 * them after the split: a chunk that came back is read again from the
 * file).  False when the file failed or ended short: the reading
 * thread then splits from the chunk's start itself, and meets what
 * went wrong as -j 1 would.
 */
static bool
read_chunk(struct worker *w, struct item *it)
{
	size_t want = it->last ? MAX(w->chunk_cap, (size_t)65536) : it->len;
	size_t got = 0;
	ssize_t n;

	chunk_room(w, want);
	for (;;) {
		do
			n = pread(it->fd, w->chunk + got, want - got,
			    it->file_off + (off_t)got);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return false;
		if (n == 0)
			break;
		got += (size_t)n;
		if (got < want)
			continue;
		if (!it->last)
			break;
		want *= 2;
		chunk_room(w, want);
	}
	if (!it->last && got < it->len)
		return false;
	it->len = got;
	return true;
}

/*
 * An mbox chunk: its events are marked, so that delivery can number
 * its messages on from those before it, or drop them all.
 */
static void
work_chunk(struct worker *w, struct batch *b, struct item *it)
{
	guint first = b->events->len, i;
	struct chunk_result res;
	struct event *e;

	memset(&w->sc->stats, 0, sizeof(w->sc->stats));
	if (it->direct && !read_chunk(w, it))
		res = (struct chunk_result){ .unsure = true };
	else
		mbox_chunk_scan(w->sc, it->direct ? w->chunk :
		    it->own + it->at, it->len, it->prov, it->after, it->last,
		    &res);
	add_counts(b, w->sc);
	e = event_add(b, EV_CHUNK_END);
	e->res = res;
	e->data = it->direct ? NULL : it->own + it->at;
	e->len = it->len;
	e->offset = it->prov->offset;
	e->direct = it->direct;
	for (i = first; i < b->events->len; i++)
		event_at(b, i)->chunk = true;
}

static void
work(struct pool *pl, struct worker *w, struct batch *b)
{
	guint i;

	w->batch = b;
	b->maker = w;
	for (i = 0; i < b->items->len; i++) {
		struct item *it = &g_array_index(b->items, struct item, i);
		struct event *e;

		switch (it->kind) {
		case IT_MESSAGE:
		case IT_JSON_LINE:
			memset(&w->sc->stats, 0, sizeof(w->sc->stats));
			if (it->kind == IT_MESSAGE)
				message_scan(w->sc, b->raw->data + it->at,
				    it->len, it->prov, it->warn);
			else
				json_line_scan(w->sc, b->raw->data + it->at,
				    it->len, it->prov);
			add_counts(b, w->sc);
			break;
		case IT_DIAG:
			diag_copy(&event_add(b, EV_DIAG)->diag, &it->diag);
			break;
		case IT_INPUT_END:
		case IT_CARRIED:
			e = event_add(b, it->kind == IT_INPUT_END ?
			    EV_INPUT_END : EV_CARRIED);
			e->stats = it->stats;
			event_path(e, it->stats.path, it->stats.path);
			break;
		case IT_RECORD:
			event_add(b, EV_RECORD)->record = it->record;
			it->record = NULL;
			break;
		case IT_FILE:
			w->path = it->path;
			source_scan_file(w->sc, it->path);
			w->path = NULL;
			break;
		case IT_CHUNK:
			work_chunk(w, b, it);
			break;
		}
	}
	w->batch = NULL;

	pthread_mutex_lock(&pl->lock);
	b->done = true;
	pthread_cond_broadcast(&pl->cond);
	pthread_mutex_unlock(&pl->lock);
}

/* With pl->lock held: the records given back become the worker's. */
static void
swap_garbage(struct worker *w)
{
	GPtrArray *t = w->trash;

	w->trash = w->garbage;
	w->garbage = t;
}

static void
worker_free(struct worker *w)
{
	g_free(w->chunk);
	g_ptr_array_free(w->garbage, TRUE);
	g_ptr_array_free(w->trash, TRUE);
	acm_scanner_free(w->sc);
	g_free(w);
}

/* What pool_free puts in the queue once for each worker: stop. */
static char	stop_marker;

/*
 * A worker thread: batches until told to stop.  The threads are
 * joined, not left to a thread pool, so that every one has ended,
 * with the per-thread state of the libraries it used (libxml2's
 * among them) torn down, before the program's exit handlers run.
 */
static gpointer
worker_main(gpointer arg)
{
	struct pool *pl = arg;
	struct worker *w = worker_new(pl);
	gpointer job;

	for (;;) {
		pthread_mutex_lock(&pl->lock);
		while (g_queue_is_empty(&pl->todo))
			pthread_cond_wait(&pl->todo_cond, &pl->lock);
		job = g_queue_pop_head(&pl->todo);
		swap_garbage(w);
		pthread_mutex_unlock(&pl->lock);
		g_ptr_array_set_size(w->trash, 0);
		if (job == &stop_marker)
			break;
		work(pl, w, job);
	}
	worker_free(w);
	return NULL;
}

/* A chunk's message numbers, counted from its first, made the input's. */
static void
renumber(struct pool *pl, struct event *e)
{
	json_t *index;

	if (e->kind == EV_DIAG && e->diag.where.index >= 0)
		e->diag.where.index += pl->chunk_base;
	if (e->kind != EV_RECORD)
		return;
	index = json_object_get(json_object_get(e->record, "source"),
	    "index");
	if (json_is_integer(index))
		json_integer_set(index, json_integer_value(index) +
		    pl->chunk_base);
}

/*
 * The end of a chunk's events.  A chunk that stopped at a message it
 * could not be sure of hands its bytes from there, and every later
 * chunk its whole bytes, back to the reading thread to split again.
 */
static void
chunk_end(struct pool *pl, struct event *e)
{
	const unsigned char *raw = e->data;

	if (pl->discard) {
		if (!e->direct)
			g_byte_array_append(pl->replay, raw, e->len);
		return;
	}
	pl->chunk_base += e->res.messages;
	pl->chunk_tail = pl->chunk_tail || e->res.tail;
	pl->resume = e->offset + (long long)e->len;
	if (e->res.unsure && e->direct)
		pl->resume = e->offset + (long long)e->res.used;
	else if (e->res.unsure)
		g_byte_array_append(pl->replay, raw + e->res.used,
		    e->len - e->res.used);
	pl->discard = e->res.unsure;
}

/* Reading thread: tell the tools what the oldest finished batches hold. */
static void
deliver_events(struct pool *pl, struct batch *b)
{
	struct acm_scanner *sc = pl->sc;
	guint i;

	for (i = 0; i < b->events->len; i++) {
		struct event *e = event_at(b, i);

		if (e->kind == EV_CHUNK_END) {
			chunk_end(pl, e);
			continue;
		}
		if (e->chunk && pl->discard)
			continue;
		if (e->chunk)
			renumber(pl, e);
		switch (e->kind) {
		case EV_RECORD:
			/* the event keeps a reference: batch_free */
			if (sc->opt.on_record)
				sc->opt.on_record(json_incref(e->record),
				    sc->opt.arg);
			break;
		case EV_DIAG:
			if (e->diag.severity == ACM_ERROR)
				sc->status = -1;
			if (sc->opt.on_diag)
				sc->opt.on_diag(&e->diag, sc->opt.arg);
			break;
		case EV_COUNT:
			pl->messages += e->messages;
			pl->records += e->records;
			pl->errors += e->errors;
			pl->warnings += e->warnings;
			if (e->errors)
				sc->status = -1;
			break;
		case EV_INPUT_END:
			/* what the workers found, added to the reader's */
			e->stats.messages += pl->messages;
			e->stats.records += pl->records;
			e->stats.errors += pl->errors;
			e->stats.warnings += pl->warnings;
			pl->messages = pl->records = 0;
			pl->errors = pl->warnings = 0;
			/* FALLTHROUGH */
		case EV_CARRIED:
			if (sc->opt.on_input)
				sc->opt.on_input(&e->stats, sc->opt.arg);
			break;
		case EV_CHUNK_END:
			break;
		}
	}
}

/*
 * Deliver the finished batches at the head of the queue.  With WAIT,
 * first wait for the oldest to finish, but not for those after it:
 * waiting for all would drain the pipeline and leave workers idle.
 */
static void
deliver(struct pool *pl, bool wait)
{
	struct batch *b;

	for (;;) {
		pthread_mutex_lock(&pl->lock);
		b = g_queue_peek_head(&pl->queue);
		while (b && !b->done && wait)
			pthread_cond_wait(&pl->cond, &pl->lock);
		if (b == NULL || !b->done) {
			pthread_mutex_unlock(&pl->lock);
			return;
		}
		g_queue_pop_head(&pl->queue);
		pl->bytes -= b->raw->len + b->owned;
		pthread_mutex_unlock(&pl->lock);
		deliver_events(pl, b);
		batch_free(pl, b);
		wait = false;
	}
}

/*
 * The reading thread does a waiting batch itself rather than wait: so
 * -j N needs N - 1 worker threads, and N threads share N cores (with
 * one thread more, the workers lost time waiting for a core).
 */
static bool
help(struct pool *pl)
{
	struct batch *b;

	pthread_mutex_lock(&pl->lock);
	b = g_queue_pop_head(&pl->todo);
	pthread_mutex_unlock(&pl->lock);
	if (b == NULL)
		return false;
	if (pl->self == NULL)
		pl->self = worker_new(pl);
	work(pl, pl->self, b);
	return true;
}

/* The open batch goes to the workers. */
static void
flush(struct pool *pl)
{
	struct batch *b = pl->open;
	size_t limit = in_flight(pl);

	if (b == NULL)
		return;
	pl->open = NULL;
	pthread_mutex_lock(&pl->lock);
	g_queue_push_tail(&pl->queue, b);
	pl->bytes += b->raw->len + b->owned;
	g_queue_push_tail(&pl->todo, b);
	pthread_cond_signal(&pl->todo_cond);
	pthread_mutex_unlock(&pl->lock);
	deliver(pl, false);
	while (pl->queue.length > limit || pl->bytes > INFLIGHT_BYTES)
		deliver(pl, !help(pl));
}

static struct item *
item_add(struct pool *pl, enum item_kind kind)
{
	struct item it = { .kind = kind };

	if (pl->open == NULL)
		pl->open = batch_new(pl);
	g_array_append_val(pl->open->items, it);
	return &g_array_index(pl->open->items, struct item,
	    pl->open->items->len - 1);
}

static void
item_done(struct pool *pl)
{
	if (pl->open->raw->len + pl->open->weight + pl->open->owned >=
	    BATCH_BYTES ||
	    pl->open->items->len >= BATCH_ITEMS)
		flush(pl);
}

struct pool *
pool_new(struct acm_scanner *sc)
{
	struct pool *pl = g_new0(struct pool, 1);
	int i;

	pl->sc = sc;
	pthread_mutex_init(&pl->lock, NULL);
	pthread_cond_init(&pl->cond, NULL);
	pthread_cond_init(&pl->todo_cond, NULL);
	g_queue_init(&pl->todo);
	g_queue_init(&pl->queue);
	pl->spare = g_ptr_array_new_with_free_func(batch_destroy);
	pl->big = g_array_new(FALSE, FALSE, sizeof(struct spare));
	pl->nthreads = MAX(sc->opt.jobs - 1, 1);
	pl->threads = g_new0(GThread *, pl->nthreads);
	for (i = 0; i < pl->nthreads; i++)
		pl->threads[i] = g_thread_new("acm-worker", worker_main, pl);
	return pl;
}

void
pool_finish(struct pool *pl)
{
	flush(pl);
	while (pl->queue.length > 0)
		deliver(pl, !help(pl));
}

void
pool_free(struct pool *pl)
{
	int i;

	if (pl == NULL)
		return;
	pool_finish(pl);
	pthread_mutex_lock(&pl->lock);
	for (i = 0; i < pl->nthreads; i++)
		g_queue_push_tail(&pl->todo, &stop_marker);
	pthread_cond_broadcast(&pl->todo_cond);
	pthread_mutex_unlock(&pl->lock);
	for (i = 0; i < pl->nthreads; i++)
		g_thread_join(pl->threads[i]);
	if (pl->self)
		worker_free(pl->self);
	g_free(pl->threads);
	g_ptr_array_free(pl->spare, TRUE);
	for (i = 0; i < (int)pl->big->len; i++)
		g_free(g_array_index(pl->big, struct spare, i).buf);
	g_array_free(pl->big, TRUE);
	pthread_mutex_destroy(&pl->lock);
	pthread_cond_destroy(&pl->cond);
	pthread_cond_destroy(&pl->todo_cond);
	g_free(pl);
}

/* Bytes for the workers, copied, with where they came from. */
static struct item *
item_bytes(struct pool *pl, enum item_kind kind, const unsigned char *raw,
    size_t len, const struct prov *p, GPtrArray *warn)
{
	struct item *it = item_add(pl, kind);
	guint i;

	it->at = pl->open->raw->len;
	it->len = len;
	g_byte_array_append(pl->open->raw, raw, len);
	it->prov = g_new(struct prov, 1);
	*it->prov = *p;
	it->path = g_strdup(p->path);
	it->entry = g_strdup(p->entry);
	it->prov->path = it->path;
	it->prov->entry = it->entry;
	it->prov->ses = p->ses ? json_deep_copy(p->ses) : NULL;
	it->prov->sns = p->sns ? json_deep_copy(p->sns) : NULL;
	it->warn = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; warn && i < warn->len; i++)
		g_ptr_array_add(it->warn, g_strdup(warn->pdata[i]));
	return it;
}

/*
 * An mbox chunk (mboxchunk.c): LEN bytes at BUF + AT, from a From_
 * line to just before one, or to the end of the input (LAST); AFTER is
 * the length of the From_ line that follows.  BUF (CAP bytes) is the
 * pool's now: a chunk is not copied.
 */
void
pool_chunk(struct pool *pl, unsigned char *buf, size_t cap, size_t at,
    size_t len, const struct prov *p, size_t after, bool last)
{
	struct item *it = item_bytes(pl, IT_CHUNK, NULL, 0, p, NULL);

	it->own = buf;
	it->own_cap = cap;
	it->at = at;
	it->len = len;
	it->after = after;
	it->last = last;
	pl->open->owned += len;
	item_done(pl);
}

/*
 * A chunk of a plain file (mboxchunk.c): LEN bytes at FILE_OFF of FD,
 * or with LAST all from there to the end, read by the worker into a
 * buffer of its own.  P->offset is where it is in the stream.
 */
void
pool_chunk_file(struct pool *pl, int fd, long long file_off, size_t len,
    const struct prov *p, size_t after, bool last)
{
	struct item *it = item_bytes(pl, IT_CHUNK, NULL, 0, p, NULL);

	it->fd = fd;
	it->file_off = file_off;
	it->direct = true;
	it->len = last ? 0 : len;
	it->after = after;
	it->last = last;
	pl->open->owned += last ? pl->sc->chunk : len;
	item_done(pl);
}

/* A buffer for reader_swap, one a delivered chunk left, or none. */
void
pool_chunk_buffer(struct pool *pl, unsigned char **buf, size_t *cap)
{
	struct spare sp = { NULL, 0 };

	if (pl->big->len > 0) {
		sp = g_array_index(pl->big, struct spare, pl->big->len - 1);
		g_array_set_size(pl->big, pl->big->len - 1);
	}
	*buf = sp.buf;
	*cap = sp.cap;
}

void
pool_message(struct pool *pl, const unsigned char *raw, size_t len,
    const struct prov *p, GPtrArray *warn)
{
	item_bytes(pl, IT_MESSAGE, raw, len, p, warn);
	item_done(pl);
}

/* A line of JSON Lines, parsed by a worker (json_line_scan). */
void
pool_json_line(struct pool *pl, const unsigned char *s, size_t n,
    const struct prov *p)
{
	item_bytes(pl, IT_JSON_LINE, s, n, p, NULL);
	item_done(pl);
}

/* A small file, read whole by a worker; SIZE weighs its batch. */
void
pool_file(struct pool *pl, const char *path, size_t size)
{
	struct item *it = item_add(pl, IT_FILE);

	it->path = g_strdup(path);
	pl->open->weight += size + 4096;	/* opening costs too */
	item_done(pl);
}

/* A diagnostic from the reading thread, kept in its place in line. */
void
pool_diag(struct pool *pl, const struct acm_diag *d)
{
	diag_copy(&item_add(pl, IT_DIAG)->diag, d);
	item_done(pl);
}

void
pool_input_end(struct pool *pl, const struct acm_input_stats *st)
{
	struct item *it = item_add(pl, IT_INPUT_END);

	it->stats = *st;
	it->stats.path = g_strdup(st->path);
	item_done(pl);
}

/*
 * A record or an input's totals read back from acmextract's output
 * (acmaudit): they wait their turn like everything else, so that -j N
 * hands them on in the order -j 1 does.
 */
void
pool_record(struct pool *pl, json_t *record)
{
	item_add(pl, IT_RECORD)->record = json_incref(record);
	item_done(pl);
}

void
pool_carried(struct pool *pl, const struct acm_input_stats *st)
{
	struct item *it = item_add(pl, IT_CARRIED);

	it->stats = *st;
	it->stats.path = g_strdup(st->path);
	item_done(pl);
}

/* The reading thread starts shipping chunks; BASE numbers the first. */
void
pool_chunks_begin(struct pool *pl, long base)
{
	pl->chunk_base = base;
	pl->chunk_tail = false;
	pl->discard = false;
	pl->replay = g_byte_array_new();
	pl->resume = -1;
}

/*
 * Has a chunk been handed back (so shipping more is wasted)?  Still
 * true after pool_chunks_end, until the next pool_chunks_begin.
 */
bool
pool_chunks_stopped(const struct pool *pl)
{
	return pl->discard;
}

/*
 * Wait for every chunk to be delivered.  Returns the number of the
 * next message; *REPLAY gets the bytes to split again (caller frees),
 * *TAIL whether the last chunk ended in text that is not a message,
 * and *RESUME, after chunks the workers read, the stream offset to go
 * on from (-1 if none was delivered).
 */
long
pool_chunks_end(struct pool *pl, GByteArray **replay, bool *tail,
    long long *resume)
{
	pool_finish(pl);
	*replay = pl->replay;
	*tail = pl->chunk_tail;
	*resume = pl->resume;
	pl->replay = NULL;
	return pl->chunk_base;
}
