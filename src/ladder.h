/*
 * ladder.h - the messages of a few Call-IDs as ladders, for `siplogscan show` (src/show.c)
 * and the HTML report's example calls (src/render_html.c): which events to keep, their lines
 * read back from the inputs afterwards, and each message's cells as both write them.
 *
 * The events come from the engine, in input order: show watches a whole report's run
 * (main.h struct run_hooks), the HTML report makes a second pass over its inputs with no
 * analysis (main.c). Either way ladder_files() learns the inputs before the scan and
 * ladder_event() sees every event; it keeps those whose Call-ID is one of the set (compared
 * as bytes: any byte may be in it), at most max_msgs of each, with where the next record of
 * the same file starts. ladder_read_back() then reads the messages' lines from the inputs at
 * the offsets the scan gave: a plain file by pread(), a gzip file inflated once more up to its
 * last message kept. An input that can be read only once (stdin, a pipe) gives its messages
 * without their lines.
 *
 * Cells are the same for every output: ladder_next() writes each message's time, delta, from,
 * message, CSeq, marks and file:line, every byte from the log through the output's escaper.
 * The marks say what the analysis reads in the message (100, challenge, retry with
 * credentials, final, retransmission): they follow the transaction rules of src/analysis.c.
 */
#ifndef SIPLOGSCAN_LADDER_H
#define SIPLOGSCAN_LADDER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "util.h"

struct pipeline_input;
struct htab;

#define LADDER_RAW_MAX (64u << 10)	/* bytes of a message read back at most */
#define LADDER_LINE_MAX 200		/* bytes of its first line in a ladder's row */

struct ladder_msg {
	int64_t time_us;
	uint64_t offset, end;	/* end: where the file's next record starts; 0: not known */
	uint64_t line;
	uint32_t file, cseq;
	int status;
	enum sip_method method, cseq_method;
	unsigned auth, flags;
	enum auth_result auth_result;
	struct str src, ruri;	/* the bytes kept: str_max at most */
	size_t src_len, ruri_len;	/* their lengths as logged */
	char *raw;		/* its lines as logged (read back); NULL: none */
	size_t raw_len;
};

/* One Call-ID's messages in log order: at most max_msgs of them, dropped counts the rest. */
struct ladder_call {
	const char *id;
	size_t id_len;
	struct ladder_msg *m;
	size_t n, cap, dropped;
};

struct ladder_file {
	char *path;
	int line_records;	/* a record is one line (RECORD_LINE) */
	int stream, once;	/* gzip or not regular; read only once (stdin, a pipe) */
};

struct ladders {
	struct ladder_call *calls;	/* in the order they were added */
	size_t ncalls;
	size_t max_msgs;		/* per call */
	size_t raw_max;			/* bytes read back of a message, LADDER_RAW_MAX at most */
	size_t str_max;			/* bytes kept of its address and URI; 0: all */
	struct ladder_file *f;		/* the inputs; event.file indexes them */
	size_t nf;
	size_t once_msgs;		/* messages kept from inputs read only once: no lines */
	/* the key the set hashes Call-IDs with: a pass that gives it to the engine
	 * (pipeline_opts.callid_seed) sets engine_seed, and the events' hashes are used */
	uint8_t seed[16];
	int engine_seed;
	/* private */
	struct htab *by_id;
	struct ladder_call *pending;	/* the call of the last kept message whose end is not
					 * known yet; NULL: none */
	struct arena a;
};

/* A new, empty set that keeps max_msgs messages of each Call-ID, raw_max bytes of each
 * message's lines and str_max bytes of its address and URI (0: all; the cells show the
 * start of a longer one and its length). The caller bounds how many Call-IDs it adds. */
struct ladders *ladders_new(size_t max_msgs, size_t raw_max, size_t str_max);
void ladders_free(struct ladders *l);

/* Add a Call-ID (copied); one already in the set is not added again. */
void ladders_add(struct ladders *l, const char *id, size_t len);

/* The Call-ID's ladder, or NULL when it is not in the set. */
const struct ladder_call *ladders_find(const struct ladders *l, const char *id, size_t len);

/* The inputs, in the order they are scanned (struct run_hooks' files_fn). */
void ladders_files(struct ladders *l, const struct pipeline_input *in, size_t n);

/* Every event, in input order (struct run_hooks' event_fn, or a pipeline's event_fn). */
void ladders_event(void *ctx, const struct event *ev);

/* Read the kept messages' lines back from the inputs that can be read again. */
void ladders_read_back(struct ladders *l);

/* An escaper for one output (escape.h: esc_text, esc_html). */
typedef void (*ladder_esc_fn)(struct buf *b, const char *s, size_t n);

enum ladder_cell {
	LADDER_TIME,		/* "2026-11-24T13:00:01.250Z", "-" without a time */
	LADDER_DELTA,		/* "+250 ms" since the message before, "?" when unknown */
	LADDER_FROM,		/* the sender's address as logged, "-" when not */
	LADDER_MESSAGE,		/* "INVITE sip:...", "407 Proxy Authentication Required" */
	LADDER_CSEQ,		/* "1 INVITE", "-" */
	LADDER_MARKS,		/* "challenge (407), ..." or empty */
	LADDER_AT,		/* "file:line" */
	LADDER_CELLS
};

/* Walking a call's messages in order: the marks depend on the messages before. */
struct ladder_walk {
	size_t i;
	int64_t prev;
	uint32_t trying_cseq;		/* the INVITE CSeq that got a 100; 0: none */
	int challenged[2];		/* a 407, a 401 was seen */
	uint32_t chal_cseq[2];
	int final_seen;
	struct ladder_seen {
		enum sip_method m;
		uint32_t cseq;
		int status;
		unsigned auth;
		struct str src;
	} last[8];
	unsigned nlast;
};

void ladder_walk_start(struct ladder_walk *w);

/* The next message of c: its cells in cell[0..LADDER_CELLS) (reset first), each byte from
 * the log through esc; returns the message, or NULL after the last. */
const struct ladder_msg *ladder_next(struct ladder_walk *w, const struct ladders *l,
				     const struct ladder_call *c, ladder_esc_fn esc,
				     struct buf cell[LADDER_CELLS]);

/* The first line of m as read back (at most LADDER_LINE_MAX bytes, " ..." when there is
 * more) through esc; 0 when its lines were not read back (nothing written). */
int ladder_first_line(struct buf *b, const struct ladder_msg *m, ladder_esc_fn esc);

/* The ladder as `siplogscan show` prints it (escaped for a terminal): a heading, each
 * message's row and its file:line with the first line, or with raw every line. */
void ladder_text(struct buf *b, const struct ladders *l, const struct ladder_call *c, int raw);

#endif
