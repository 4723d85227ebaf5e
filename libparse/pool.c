/*
 * pool.c - messages scanned on several cores, results in input order.
 *
 * With jobs > 1 the thread that reads and splits inputs hands each raw
 * message (copied, with its provenance) to a pool of workers.  Each
 * worker has a scanner of its own (PCRE2 match data and counters are
 * not shared) whose callbacks collect records and diagnostics into the
 * job.  Everything the tools see - records, warnings, errors, the end
 * of each input - goes through one queue in the order the reading
 * thread produced it, so the output of -j N is byte for byte that of
 * -j 1.  The number and the bytes of messages in flight are bounded,
 * so memory stays flat.
 */
#include <string.h>

#include "internal.h"

#define INFLIGHT_PER_JOB	16
#define INFLIGHT_BYTES		((size_t)128 << 20)

enum event_kind { EV_RECORD, EV_DIAG };

struct event {
	enum event_kind		 kind;
	json_t			*record;
	enum acm_severity	 severity;
	char			*path, *entry, *message;
	long			 index;
	long long		 offset;
};

enum job_kind { JOB_MESSAGE, JOB_EVENT, JOB_INPUT_END };

struct job {
	enum job_kind		 kind;
	struct pool		*pool;

	/* a message, owned copies of everything the worker reads */
	unsigned char		*raw;
	size_t			 len;
	struct prov		 prov;
	char			*path, *entry;
	GPtrArray		*warn;

	/* what came out, in order */
	GPtrArray		*events;
	uint64_t		 messages, records, errors, warnings;
	bool			 done;

	/* JOB_INPUT_END */
	struct acm_input_stats	 stats;
};

struct pool {
	struct acm_scanner	*sc;
	GThreadPool		*threads;
	GQueue			 queue;		/* struct job, oldest first */
	size_t			 bytes;		/* raw bytes in flight */
	GMutex			 lock;
	GCond			 cond;
	uint64_t		 messages, records; /* of the current input */
};

static void
event_free(gpointer data)
{
	struct event *e = data;

	json_decref(e->record);
	g_free(e->path);
	g_free(e->entry);
	g_free(e->message);
	g_free(e);
}

static void
job_free(struct job *j)
{
	g_free(j->raw);
	g_free(j->path);
	g_free(j->entry);
	json_decref(j->prov.ses);
	json_decref(j->prov.sns);
	if (j->warn)
		g_ptr_array_free(j->warn, TRUE);
	g_ptr_array_free(j->events, TRUE);
	g_free((char *)j->stats.path);
	g_free(j);
}

static struct job *
job_new(struct pool *pl, enum job_kind kind)
{
	struct job *j = g_new0(struct job, 1);

	j->kind = kind;
	j->pool = pl;
	j->events = g_ptr_array_new_with_free_func(event_free);
	return j;
}

/* Worker side: callbacks of the per-thread scanner fill the job. */
static void
worker_record(json_t *r, void *arg)
{
	struct job *j = *(struct job **)arg;
	struct event *e = g_new0(struct event, 1);

	e->kind = EV_RECORD;
	e->record = r;
	g_ptr_array_add(j->events, e);
}

static struct event *
event_diag(const struct acm_diag *d)
{
	struct event *e = g_new0(struct event, 1);

	e->kind = EV_DIAG;
	e->severity = d->severity;
	e->path = g_strdup(d->where.path);
	e->entry = g_strdup(d->where.entry);
	e->index = d->where.index;
	e->offset = d->where.offset;
	e->message = g_strdup(d->message);
	return e;
}

static void
worker_diag(const struct acm_diag *d, void *arg)
{
	struct job *j = *(struct job **)arg;

	g_ptr_array_add(j->events, event_diag(d));
}

struct worker {
	struct acm_scanner	*sc;
	struct job		*job;
};

static void
worker_free(gpointer data)
{
	struct worker *w = data;

	acm_scanner_free(w->sc);
	g_free(w);
}

/*
 * The scanner of each worker thread.  GLib wants a GPrivate static;
 * the pools' threads are exclusive to their pool, so one key serves
 * every pool, and a thread's scanner goes when the thread does.
 */
static void	worker_free(gpointer);
static GPrivate	worker_key = G_PRIVATE_INIT(worker_free);

static void
work(gpointer data, gpointer arg)
{
	struct job *j = data;
	struct pool *pl = arg;
	struct worker *w = g_private_get(&worker_key);

	if (w == NULL) {
		struct acm_options o = pl->sc->opt;

		w = g_new0(struct worker, 1);
		o.jobs = 1;
		o.on_record = worker_record;
		o.on_diag = worker_diag;
		o.on_input = NULL;
		o.arg = &w->job;
		w->sc = acm_scanner_new(&o);
		g_private_set(&worker_key, w);
	}
	w->job = j;
	memset(&w->sc->stats, 0, sizeof(w->sc->stats));
	message_scan(w->sc, j->raw, j->len, &j->prov, j->warn);
	j->messages = w->sc->stats.messages;
	j->records = w->sc->stats.records;
	j->errors = w->sc->stats.errors;
	j->warnings = w->sc->stats.warnings;

	g_mutex_lock(&pl->lock);
	j->done = true;
	g_cond_broadcast(&pl->cond);
	g_mutex_unlock(&pl->lock);
}

/* Reading thread: hand the oldest finished jobs to the callbacks. */
static void
deliver(struct pool *pl, bool wait)
{
	struct acm_scanner *sc = pl->sc;
	struct job *j;

	for (;;) {
		guint i;

		g_mutex_lock(&pl->lock);
		j = g_queue_peek_head(&pl->queue);
		while (j && !j->done && wait)
			g_cond_wait(&pl->cond, &pl->lock);
		if (j == NULL || !j->done) {
			g_mutex_unlock(&pl->lock);
			return;
		}
		g_queue_pop_head(&pl->queue);
		pl->bytes -= j->len;
		g_mutex_unlock(&pl->lock);

		for (i = 0; i < j->events->len; i++) {
			struct event *e = j->events->pdata[i];

			if (e->kind == EV_RECORD) {
				if (sc->opt.on_record)
					sc->opt.on_record(e->record,
					    sc->opt.arg);
				else
					json_decref(e->record);
				e->record = NULL;
			} else if (sc->opt.on_diag) {
				struct acm_diag d = { e->severity,
				    { e->path, e->entry, e->index, e->offset },
				    e->message };

				sc->opt.on_diag(&d, sc->opt.arg);
			}
		}
		pl->messages += j->messages;
		pl->records += j->records;
		if (j->errors)
			sc->status = -1;
		if (j->kind == JOB_INPUT_END) {
			j->stats.messages += pl->messages;
			j->stats.records += pl->records;
			pl->messages = pl->records = 0;
			if (sc->opt.on_input)
				sc->opt.on_input(&j->stats, sc->opt.arg);
		}
		job_free(j);
	}
}

static void
enqueue(struct pool *pl, struct job *j)
{
	size_t limit = (size_t)INFLIGHT_PER_JOB * pl->sc->opt.jobs;

	j->done = j->kind != JOB_MESSAGE;
	g_mutex_lock(&pl->lock);
	g_queue_push_tail(&pl->queue, j);
	pl->bytes += j->len;
	g_mutex_unlock(&pl->lock);
	if (j->kind == JOB_MESSAGE)
		g_thread_pool_push(pl->threads, j, NULL);
	deliver(pl, false);
	while (pl->queue.length > limit || pl->bytes > INFLIGHT_BYTES)
		deliver(pl, true);
}

struct pool *
pool_new(struct acm_scanner *sc)
{
	struct pool *pl = g_new0(struct pool, 1);

	pl->sc = sc;
	g_mutex_init(&pl->lock);
	g_cond_init(&pl->cond);
	g_queue_init(&pl->queue);
	pl->threads = g_thread_pool_new(work, pl, sc->opt.jobs, TRUE, NULL);
	return pl;
}

void
pool_finish(struct pool *pl)
{
	deliver(pl, true);
}

void
pool_free(struct pool *pl)
{
	if (pl == NULL)
		return;
	deliver(pl, true);
	g_thread_pool_free(pl->threads, FALSE, TRUE);
	g_mutex_clear(&pl->lock);
	g_cond_clear(&pl->cond);
	g_free(pl);
}

/* A message for the workers; the caller's bytes are copied. */
void
pool_message(struct pool *pl, const unsigned char *raw, size_t len,
    const struct prov *p, GPtrArray *warn)
{
	struct job *j = job_new(pl, JOB_MESSAGE);
	guint i;

	j->raw = g_memdup2(raw, len ? len : 1);
	j->len = len;
	j->prov = *p;
	j->path = g_strdup(p->path);
	j->entry = g_strdup(p->entry);
	j->prov.path = j->path;
	j->prov.entry = j->entry;
	j->prov.ses = p->ses ? json_deep_copy(p->ses) : NULL;
	j->prov.sns = p->sns ? json_deep_copy(p->sns) : NULL;
	j->warn = g_ptr_array_new_with_free_func(g_free);
	for (i = 0; warn && i < warn->len; i++)
		g_ptr_array_add(j->warn, g_strdup(warn->pdata[i]));
	enqueue(pl, j);
}

/* A diagnostic from the reading thread, kept in its place in line. */
void
pool_diag(struct pool *pl, const struct acm_diag *d)
{
	struct job *j = job_new(pl, JOB_EVENT);

	g_ptr_array_add(j->events, event_diag(d));
	enqueue(pl, j);
}

void
pool_input_end(struct pool *pl, const struct acm_input_stats *st)
{
	struct job *j = job_new(pl, JOB_INPUT_END);

	j->stats = *st;
	j->stats.path = g_strdup(st->path);
	enqueue(pl, j);
}
