/*
 * analysis.c - follow every call through a hash table and fold settled calls into the
 * aggregates of the report model.
 *
 * Per call (one Call-ID) we keep only what the transitions need:
 *   100 Trying -> final: the first INVITE transaction (CSeq number) that received a 100, and
 *     the first final response (>= 200) for that same CSeq; no final means "stuck". A final
 *     that the log shows before the 100 of its CSeq (concurrent logging processes) counts as
 *     that transaction's final; its delay is 0.
 *   407 -> retry (and 401 -> retry): the first challenge fixes the method M and CSeq C. A later
 *     request of method M with a CSeq above C and above every earlier retry is a retry
 *     (RFC 3261 22.2/22.3: the client resends with Proxy-Authorization / Authorization and a
 *     new CSeq), provided it carries the credentials header where the format shows headers.
 *     The last retry decides: challenged again -> rejected, otherwise accepted. A request
 *     with credentials and a CSeq above C that the log shows just before the challenge
 *     counts as a retry too (concurrent logging processes; its delay is 0).
 *   An accounting record (EV_TRANSACTION: Kamailio/OpenSIPS acc) is its request, with no time,
 *     then its final: it gives the call's outcome; the figures that need the request's time,
 *     a 100 or a challenge stay empty, and the report marks them as not in the log.
 *   outcome: the first final response to the call's initial method that is not a challenge;
 *     else the last challenge when it was left standing (never retried, or its last retry
 *     challenged again); else none. Used by the 408/5xx/6xx patterns, KPIs and breakdowns.
 *
 * Determinism: every aggregate is a sum, a multiset (dist) or a "smallest positions" set
 * (examples), so the order in which calls are settled does not change them. The bounded
 * tables (sources, breakdowns, hours) are the exception once they overflow: which keys they
 * keep depends on that order. It follows the events, which arrive in one sequential order
 * whatever -j, so the same input still gives the same report.
 */
#include "analysis.h"
#include "baseline.h"
#include "dist.h"
#include "htab.h"
#include "timeparse.h"
#include "topk.h"
#include "tz.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum {
	CALL_COUNTED = 1 << 0,		/* has an event of a method that can start a call */
	CALL_INVITE = 1 << 1,
	CALL_REGISTER = 1 << 2,
	CALL_INV_REQ = 1 << 3,		/* an INVITE request was seen */
	CALL_INV_RESP = 1 << 4,		/* some response to an INVITE was seen */
	CALL_RINGING = 1 << 5,		/* INVITE got a provisional response, no final yet */
	CALL_SCANNER_UA = 1 << 6,
	CALL_UA_SEEN = 1 << 7,		/* the first User-Agent was checked */
	CALL_REG_REQ = 1 << 8,		/* a REGISTER request was seen */
	CALL_SRD = 1 << 9,		/* srd_time is set */
	CALL_REG_FINAL = 1 << 10,	/* some final response (a challenge too) to a REGISTER */
	CALL_EARLY_FINAL = 1 << 11,	/* before any 100: a final to an INVITE, whose CSeq, code and
					 * time wait in trying_cseq, final_code, trying_time */
	CALL_BEFORE = 1 << 12,		/* first seen before --since: followed only so that its
					 * later messages are known as its own; counted nowhere */
	CALL_PAST_UNTIL = 1 << 13,	/* started in the window, had a message at or after --until */
	CALL_SETUP = 1 << 14,		/* setup_time is set: post-dial delay ended */
	CALL_RANG = 1 << 15,		/* setup ended with an 18x: ringing from setup_time */
	CALL_RING_END = 1 << 16,	/* ring_end is set: the final after the 18x */
	CALL_OPTIONS = 1 << 17,		/* an OPTIONS request or response */
};

/* What the responders of a call's INVITE did (struct call hop_flags; see hop_of()) */
enum {
	HOP1_TRYING = 1 << 0,		/* the first responder sent a 100 Trying */
	HOP2_TRYING = 1 << 1,		/* the second sent one too */
	HOP1_CHAL = 1 << 2,		/* the first sent a 401/407 challenge */
	HOP2_CHAL = 1 << 3,
};

struct auth_state {
	int64_t chal_time;
	int64_t retry_delay;		/* -1 when unknown */
	int64_t pre_time;
	uint32_t chal_cseq, last_retry;
	/* the highest-CSeq request with credentials seen before any challenge (0: none) */
	uint32_t pre_cseq;
	uint8_t challenged, retried, rechallenged;
	uint8_t method, pre_method;	/* enum sip_method */
};

/*
 * One call in flight. Memory is what --max-calls multiplies (a million calls by default), so
 * the fields are ordered widest first, with no holes: 8-byte times, then 4-, 2- and 1-byte
 * fields, and the strings of the call (source, User-Agent, destination) share one allocation.
 */
struct call {
	struct call *prev, *next;	/* idle list, least recently active first */
	int64_t last_time;
	uint64_t first_line;
	int64_t trying_time;
	int64_t final_delay;		/* -1 when unknown */
	int64_t first_inv, first_reg;	/* first INVITE / REGISTER request time */
	int64_t srd_time;		/* first non-100, non-challenge response to an INVITE */
	int64_t reg_time;
	int64_t answer_time, bye_time;	/* first 2xx to an INVITE, first BYE */
	int64_t start_time;		/* the first time the call's events had */
	int64_t pdd_start;		/* the INVITE that setup answered: the latest one with a new
					 * CSeq before setup ended (after a challenge, the retry) */
	int64_t setup_time;		/* first 18x, or first final that is not a challenge */
	int64_t ring_end;		/* first final (not a challenge) after an 18x */
	int64_t first_req;		/* time of its first request that can open a call */
	struct auth_state pa, wa;
	char *strs;			/* its strings one after the other (call_str()) */
	uint32_t first_file;
	uint32_t trying_cseq;
	uint32_t pdd_cseq;		/* CSeq of the INVITE at pdd_start */
	uint32_t key_len;
	uint32_t flags;			/* CALL_* */
	uint16_t final_code, out_code, chal_code;
	uint16_t reg_code;		/* REGISTER: first final that is not a challenge */
	uint16_t src_len;		/* normalised source address of the first request */
	uint16_t ua_len;		/* the first User-Agent */
	uint16_t dest_len;		/* user@host of the first INVITE's request URI */
	uint16_t hop1_len, hop2_len;	/* the first two addresses that answered its INVITE,
					 * other than the caller's and the relay's */
	uint16_t relay_len;		/* an address that sent its INVITE on, before it was
					 * answered: the proxy itself, in a log of sent messages */
	uint8_t list;			/* which idle list */
	uint8_t imethod;		/* initial method (enum sip_method), for the outcome */
	uint8_t trying_state;		/* 0 no 100 yet, 1 waiting for final, 2 final seen */
	uint8_t answered, byed;
	uint8_t hop_flags;		/* HOP1_* HOP2_* */
	char key[];
};

/* Each of a call's strings is kept up to this many bytes (a bounded record per call). */
#define CALL_STR_MAX 256

enum call_str { STR_SRC, STR_UA, STR_DEST, STR_HOP1, STR_HOP2, STR_RELAY, STR_COUNT };

/* The length of one of the call's strings; they lie one after the other in c->strs. */
static size_t call_str_len(const struct call *c, enum call_str which)
{
	const uint16_t len[STR_COUNT] = { c->src_len, c->ua_len, c->dest_len, c->hop1_len,
					  c->hop2_len, c->relay_len };

	return len[which];
}

static struct str call_str(const struct call *c, enum call_str which)
{
	size_t off = 0, n = call_str_len(c, which);

	if (!n)
		return (struct str){ NULL, 0 };
	for (int i = 0; i < (int)which; i++)
		off += call_str_len(c, (enum call_str)i);
	return (struct str){ c->strs + off, n };
}

/* Set one of the call's strings (each is set once): they are copied into a new block. */
static void call_set_str(struct call *c, enum call_str which, const char *p, size_t n)
{
	uint16_t *lens[STR_COUNT] = { &c->src_len, &c->ua_len, &c->dest_len, &c->hop1_len,
				      &c->hop2_len, &c->relay_len };
	struct str old[STR_COUNT];
	size_t total = 0;

	if (n > CALL_STR_MAX)
		n = CALL_STR_MAX;
	for (int i = 0; i < STR_COUNT; i++)
		old[i] = call_str(c, (enum call_str)i);
	old[which] = (struct str){ p, n };
	for (int i = 0; i < STR_COUNT; i++)
		total += old[i].n;
	char *s = xmalloc(total ? total : 1), *w = s;
	for (int i = 0; i < STR_COUNT; i++) {
		if (old[i].n)
			memcpy(w, old[i].p, old[i].n);
		w += old[i].n;
		*lens[i] = (uint16_t)old[i].n;
	}
	free(c->strs);
	c->strs = s;
}

/* Up to --examples examples; the array is allocated with the first one (a source seen once
 * must not cost room for twenty). */
struct example_set {
	size_t n;
	struct example *e;
};

/* A source address in the table behind auth-scanner (the key is kept by the topk table). */
struct source_stat {
	uint64_t calls, unanswered, scanner_ua;
	uint64_t accepted;		/* calls with a 2xx to a challenged request */
	uint64_t answered;		/* calls whose INVITE got a 2xx */
	uint64_t timed;			/* calls with a time: those the key_hours table counts */
	int64_t first_time, last_time;	/* of its calls' starts; TIME_UNKNOWN when none had one */
	char *ua;
	size_t ua_len;
	struct example_set ex;
};

struct clist {
	struct call *head, *tail;
};

/*
 * The tables keyed by strings from the log (sources, User-Agents, destinations) and the
 * per-hour table are bounded (REPORT_*_CAP in report.h) and keep the heaviest keys (topk.h:
 * Space-Saving), weighed in calls for the sources and attempts for the others: a flood of
 * one-off spoofed keys cannot keep a real scanner arriving later out of the report. What the
 * evicted keys had counted is reported as unlisted.
 */

/* One row of a breakdown while scanning: counts, and failure codes (up to BROW_CODES). */
#define BROW_CODES 16
struct brow {
	uint64_t attempts, answered, failed, auth_failed;
	int codes[BROW_CODES];
	uint64_t code_n[BROW_CODES];
	int ncodes;
};

struct hour_row {
	struct timeline_row t;
};

/* One next hop while scanning (struct hop_row's figures), weighed in attempts. */
struct hrow {
	uint64_t attempts, answered, stuck, timeout, server_err;
	int codes[BROW_CODES];
	uint64_t code_n[BROW_CODES];
	int ncodes;
	uint64_t srd_n;
	int64_t srd_sum, srd_max;
};

/* What the calls an address answered say of it: how many, and the signs that it is the proxy
 * itself it gave in them (see hop_of()). Weighed in calls. */
struct hop_vote {
	uint64_t calls, proxy;
};

/* Authentication records of one source address or account, by result, and where its first
 * record (since it entered the table) is: the example a problem shows. */
struct arow {
	uint64_t n[AUTH_RES_COUNT];
	uint32_t file;
	uint64_t line;			/* 0 until its first record */
	int64_t first_time, last_time;	/* of its records; TIME_UNKNOWN when none had one (sources) */
	uint64_t timed;			/* what key_hours counts for it: records with a time (a
					 * source), failures with a time and a source (an account) */
	int spread;			/* an account flagged by auth-spread-guessing */
};

/* Failed authentications of one account from one source, for auth-spread-guessing: the key
 * is the account's length (2 bytes), the account, then the source. */
struct pair_row {
	uint64_t failures;
	uint32_t file;
	uint64_t line;			/* of its first failure */
	int64_t first_time, last_time;	/* of its failures; TIME_UNKNOWN when none had one */
};

/*
 * When each problem appeared: the first and last time of what it counts (a call's start, an
 * authentication record) and how many of them fell in each hour. The hours are a bounded
 * table (REPORT_PROBLEM_HOURS_CAP): what evicted hours had counted is reported as unlisted.
 * timed counts what had a time, so that listed + unlisted = timed.
 */
struct pat_times {
	int64_t first, last;		/* TIME_UNKNOWN until something with a time is counted */
	uint64_t timed;
	struct topk *hours;		/* int64_t hour, weighed in what the pattern counts */
};

/*
 * The hours of the things whose problem is only known at the end (the sources behind
 * auth-scanner, auth-guessing and auth-break-in, the accounts behind auth-spread-guessing):
 * one bounded table keyed by kind, hour and key, weighed in calls or records. analysis_finish()
 * hands the hours of the keys that were flagged to their problem.
 */
enum key_hour_kind { KH_CALL_SOURCE, KH_AUTH_SOURCE, KH_AUTH_ACCOUNT };

struct analysis {
	struct analysis_opts o;
	int64_t call_timeout_us, ring_timeout_us, session_timeout_us, slow_us;
	struct htab *calls;
	struct clist lists[3];		/* idle limits: 0 call_timeout, 1 ring_timeout (waiting for a
					 * final after 100/180), 2 session_timeout (answered, no BYE) */
	struct topk *sources;		/* struct source_stat, weighed in calls */
	int64_t now;			/* time of the last event that had one */
	struct report *r;		/* figures accumulate straight into the model */
	struct dist trying_delay, proxy_delay, www_delay, srd, rrd, duration;
	struct dist pdd, ring;		/* post-dial delay, ring time */
	int64_t duration_sum;
	struct example_set ex[PAT_COUNT];
	uint64_t pat_count[PAT_COUNT];
	struct pat_times pt[PAT_COUNT];
	struct topk *key_hours;		/* enum key_hour_kind, hour, key: see above */
	uint64_t calls_with_final;
	uint64_t scanner_ua_no_src;
	uint64_t scanner_ua_no_src_ok;	/* of those, calls with a 2xx (see fold_source()) */
	struct topk *by_source, *by_ua, *by_dest;	/* struct brow, weighed in attempts */
	struct topk *hops;		/* struct hrow, weighed in attempts */
	struct topk *hop_votes;		/* struct hop_vote, weighed in calls */
	struct topk *hours;		/* struct hour_row, weighed in attempts */
	struct topk *fine;		/* the same per 5 minutes, REPORT_FINE_CAP at most */
	struct topk *auth_src, *auth_acc;	/* struct arow, weighed in records */
	struct topk *auth_pairs;	/* struct pair_row, weighed in failures */
	struct report acc;
};

/* ---- small helpers */

#define UA(s) { s, sizeof(s) - 1 }
static const struct { const char *name; size_t len; } scanner_uas[] = {
	UA("friendly-scanner"), UA("sipvicious"), UA("sipcli"), UA("sip-scan"),
	UA("vaxsipuseragent"), UA("pplsip"), UA("iwar"), UA("sundayddr"), UA("smap"),
	UA("sipsak"), UA("siparmyknife"), UA("voipbuster"),
};
#undef UA
/* the first letters of the names above (tests/unit/test_analysis.c checks every name) */
static const unsigned char scanner_ua_first[256] = { ['f'] = 1, ['i'] = 1, ['p'] = 1, ['s'] = 1,
						     ['v'] = 1 };

int is_scanner_ua(struct str ua)
{
	char low[256];
	size_t n = ua.n < sizeof(low) ? ua.n : sizeof(low);

	/* the names are short and appear early: the first 256 bytes, lowercased, are enough */
	for (size_t i = 0; i < n; i++) {
		char c = ua.p[i];
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	/* one pass: only where a name's first letter stands are the names compared (once per
	 * call, but calls are many: twelve memmem() calls cost more than the whole pass) */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)low[i];
		if (!scanner_ua_first[c])
			continue;
		for (size_t k = 0; k < sizeof(scanner_uas) / sizeof(scanner_uas[0]); k++) {
			size_t m = scanner_uas[k].len;
			if ((unsigned char)scanner_uas[k].name[0] == c && m <= n - i &&
			    memcmp(low + i, scanner_uas[k].name, m) == 0)
				return 1;
		}
	}
	return 0;
}

struct str source_address(struct str s)
{
	static const char *const protos[] = { "udp:", "tcp:", "tls:", "sctp:", "ws:", "wss:", NULL };

	for (int i = 0; protos[i]; i++) {
		size_t n = strlen(protos[i]);
		if (s.n > n && mem_ieq(s.p, protos[i], n)) {
			s.p += n;
			s.n -= n;
			break;
		}
	}
	if (s.n && s.p[0] == '[') {
		const char *e = memchr(s.p, ']', s.n);
		if (e) {
			s.n = (size_t)(e - s.p) - 1;
			s.p++;
		}
		return s;
	}
	const char *c = memchr(s.p, ':', s.n);
	if (c && !memchr(c + 1, ':', s.n - (size_t)(c + 1 - s.p)))
		s.n = (size_t)(c - s.p);	/* exactly one colon: host:port */
	return s;
}

/* Methods that can open a call; ACK, BYE, CANCEL, PRACK, UPDATE, INFO only continue one. */
static int opens_call(enum sip_method m)
{
	switch (m) {
	case METHOD_INVITE: case METHOD_REGISTER: case METHOD_OPTIONS: case METHOD_SUBSCRIBE:
	case METHOD_NOTIFY: case METHOD_PUBLISH: case METHOD_MESSAGE: case METHOD_REFER:
	case METHOD_OTHER:
		return 1;
	default:
		return 0;
	}
}

static int64_t delta(int64_t later, int64_t earlier)
{
	if (later == TIME_UNKNOWN || earlier == TIME_UNKNOWN || later < earlier)
		return -1;
	return later - earlier;
}

/* The start of the hour that t falls in: the buckets of the per-hour timeline, and of the
 * hours each problem appeared in (one function, so that both always agree). */
static int64_t hour_of(int64_t t)
{
	/* the zone's wall-clock hour (tz.h): a 30-minute zone has its own boundaries, the day
	 * the clocks go back has two rows for the repeated hour */
	return tz_hour_start(t);
}

static void span_add(int64_t *first, int64_t *last, int64_t t)
{
	if (t == TIME_UNKNOWN)
		return;
	if (*first == TIME_UNKNOWN || t < *first)
		*first = t;
	if (*last == TIME_UNKNOWN || t > *last)
		*last = t;
}

/* Count w things of pattern p at time t in its first/last time and its hours. */
static void pattern_time(struct analysis *a, enum pattern_id p, int64_t t, uint64_t w)
{
	struct pat_times *pt = &a->pt[p];

	if (t == TIME_UNKNOWN)
		return;
	span_add(&pt->first, &pt->last, t);
	pt->timed += w;
	if (!pt->hours)
		pt->hours = topk_new(REPORT_PROBLEM_HOURS_CAP, sizeof(int64_t), NULL);
	int64_t h = hour_of(t);
	int64_t *rec = topk_get(pt->hours, &h, sizeof(h));
	*rec = h;
	topk_add(pt->hours, rec, w);
}

/* Count one call or record of key (a source, an account) at time t in a->key_hours. */
static void key_hour_add(struct analysis *a, enum key_hour_kind kind, const char *key, size_t n,
			 int64_t t)
{
	unsigned char k[1 + sizeof(int64_t) + CALL_STR_MAX];

	if (t == TIME_UNKNOWN)
		return;
	if (n > CALL_STR_MAX)
		n = CALL_STR_MAX;
	int64_t h = hour_of(t);
	k[0] = (unsigned char)kind;
	memcpy(k + 1, &h, sizeof(h));
	memcpy(k + 1 + sizeof(h), key, n);
	void *rec = topk_get(a->key_hours, k, 1 + sizeof(h) + n);
	topk_add(a->key_hours, rec, 1);
}

/* Keep the examples with the smallest (file, line): the same set whatever the order. */
static void example_add(struct example_set *s, unsigned max, const char *id, size_t len,
			uint32_t file, uint64_t line)
{
	size_t i = s->n;

	while (i > 0 && (s->e[i - 1].file > file ||
			 (s->e[i - 1].file == file && s->e[i - 1].line > line)))
		i--;
	if (i >= max)
		return;
	if (!s->e)
		s->e = xcalloc(max, sizeof(*s->e));
	if (s->n == max) {
		free(s->e[max - 1].call_id);
		s->n--;
	}
	memmove(&s->e[i + 1], &s->e[i], (s->n - i) * sizeof(s->e[0]));
	s->e[i].call_id = xstrndup(id, len);
	s->e[i].call_id_len = len;
	s->e[i].file = file;
	s->e[i].line = line;
	s->n++;
}

static void example_set_release(struct example_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].call_id);
	free(s->e);
	s->e = NULL;
	s->n = 0;
}

/* ---- lists */

static void list_unlink(struct analysis *a, struct call *c)
{
	struct clist *l = &a->lists[c->list];

	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	c->prev = c->next = NULL;
}

static void list_append(struct analysis *a, struct call *c, int which)
{
	struct clist *l = &a->lists[which];

	c->list = which;
	c->prev = l->tail;
	c->next = NULL;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
}

/* ---- settling */

static void pattern_hit(struct analysis *a, enum pattern_id p, const struct call *c)
{
	a->pat_count[p]++;
	pattern_time(a, p, c->start_time, 1);
	example_add(&a->ex[p], a->o.examples, c->key, c->key_len, c->first_file, c->first_line);
}

static void fold_auth(struct analysis *a, const struct call *c, const struct auth_state *s,
		      struct auth_report *r, struct dist *d, enum pattern_id not_retried,
		      enum pattern_id rejected)
{
	if (!s->challenged)
		return;
	r->challenged++;
	if (!s->retried) {
		r->not_retried++;
		pattern_hit(a, not_retried, c);
		return;
	}
	r->retried++;
	if (s->retry_delay >= 0)
		dist_add(d, s->retry_delay);
	if (s->rechallenged) {
		r->rechallenged++;
		pattern_hit(a, rejected, c);
	} else {
		r->accepted++;
	}
}

/*
 * The source's side of auth-scanner. Whether a flagged source got in decides the problem's
 * severity: a 2xx to a request it was challenged for (its credentials were accepted) or to
 * an INVITE (it placed a call) is a possible break-in; otherwise the scanning was blocked.
 */
static void fold_source(struct analysis *a, const struct call *c, int outcome)
{
	uint64_t unanswered = (c->pa.challenged && !c->pa.retried) +
			      (c->wa.challenged && !c->wa.retried);
	int accepted = outcome >= 200 && outcome < 300 && (c->pa.challenged || c->wa.challenged);

	if (!c->src_len) {
		if (c->flags & CALL_SCANNER_UA) {
			a->scanner_ua_no_src++;
			a->scanner_ua_no_src_ok += accepted || c->answered;
			pattern_time(a, PAT_AUTH_SCANNER, c->start_time, 1);
			example_add(&a->ex[PAT_AUTH_SCANNER], a->o.examples, c->key, c->key_len,
				    c->first_file, c->first_line);
		}
		return;
	}
	struct str src = call_str(c, STR_SRC);
	struct source_stat *s = topk_get(a->sources, src.p, src.n);
	if (!s->calls)
		s->first_time = s->last_time = TIME_UNKNOWN;
	s->calls++;
	s->unanswered += unanswered;
	s->accepted += (uint64_t)accepted;
	s->answered += c->answered;
	if (c->start_time != TIME_UNKNOWN) {
		s->timed++;
		span_add(&s->first_time, &s->last_time, c->start_time);
		key_hour_add(a, KH_CALL_SOURCE, src.p, src.n, c->start_time);
	}
	if (c->flags & CALL_SCANNER_UA) {
		s->scanner_ua++;
		struct str ua = call_str(c, STR_UA);
		if (!s->ua && ua.n)
			s->ua = xstrndup(ua.p, ua.n), s->ua_len = ua.n;
	}
	example_add(&s->ex, a->o.examples, c->key, c->key_len, c->first_file, c->first_line);
	topk_add(a->sources, s, 1);
}

/* user@host of a request URI: "sip:+4930123@example.net:5060;user=phone" -> "+4930123@example.net" */
static struct str uri_dest(struct str u)
{
	static const char *const schemes[] = { "sips:", "sip:", "tel:", NULL };

	for (int i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);
		if (u.n > n && mem_ieq(u.p, schemes[i], n)) {
			u.p += n;
			u.n -= n;
			break;
		}
	}
	for (size_t i = 0; i < u.n; i++)
		if (u.p[i] == ';' || u.p[i] == '?' || u.p[i] == '>') {
			u.n = i;
			break;
		}
	const char *at = memchr(u.p, '@', u.n);
	const char *host = at ? at + 1 : u.p;
	const char *colon = memchr(host, ':', u.n - (size_t)(host - u.p));
	if (colon && host[0] != '[')
		u.n = (size_t)(colon - u.p);	/* drop the port */
	return u;
}

/* Count a failure code in a row's list (up to BROW_CODES different codes). */
static void code_count(int *codes, uint64_t *code_n, int *ncodes, int code)
{
	int i;

	for (i = 0; i < *ncodes && codes[i] != code; i++)
		;
	if (i == *ncodes && *ncodes < BROW_CODES) {
		codes[*ncodes] = code;
		(*ncodes)++;
	}
	if (i < *ncodes)
		code_n[i]++;
}

static void btab_add(struct topk *t, const char *key, size_t n, int outcome, int auth_failed)
{
	struct brow *r = topk_get(t, key, n);

	r->attempts++;
	if (outcome >= 200 && outcome < 300) {
		r->answered++;
	} else {
		r->failed++;
		code_count(r->codes, r->code_n, &r->ncodes, outcome);
	}
	r->auth_failed += (uint64_t)auth_failed;
	topk_add(t, r, 1);
}

static int str_eq(struct str x, struct str y)
{
	return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

/* Whether the votes so far make addr the proxy's own: more signs than half the calls it
 * answered (an address that left the bounded table has no votes: not the proxy). */
static int is_proxy(struct analysis *a, struct str addr)
{
	const struct hop_vote *v = topk_find(a->hop_votes, addr.p, addr.n);

	return v && v->proxy * 2 > v->calls;
}

static void hop_vote(struct analysis *a, struct str addr, int signs)
{
	struct hop_vote *v = topk_get(a->hop_votes, addr.p, addr.n);

	v->calls++;
	v->proxy += (uint64_t)signs;
	topk_add(a->hop_votes, v, 1);
}

/*
 * The next hop of a settled call (README "Which hop fails"): who answered its INVITE other
 * than the caller (its address shows the same dialog from the other side) and the proxy.
 *
 * The proxy's own replies (tm's 100 Trying, the 408 when the hop stays silent, challenges
 * and other local errors) carry the proxy's address in the Kamailio snippet's log, and in a
 * log of sent messages too (sipdump, captures), where the proxy also sends the INVITE on
 * from it. Its addresses are learned by vote: in each call, each sign that an address is the
 * proxy is one vote: it relayed the INVITE, it challenged, it sent the first 100 Trying of a
 * call in which a second address sent one as well (the proxy's 100 goes out as the INVITE
 * arrives, the hop's comes back once it was sent on). An address is the proxy's when its
 * votes outnumber half the calls it answered: a gateway whose 100 a busy log shows first now
 * and then stays a gateway, and a proxy that challenges most calls stays the proxy when its
 * 100 loses such a race. Of the first two responders that are not the
 * caller, the relay or the proxy, the later is the hop (the earlier, where both remain, is
 * more likely the proxy's own 100 before any vote named it).
 */
static struct str hop_of(struct analysis *a, const struct call *c)
{
	struct str src = call_str(c, STR_SRC), relay = call_str(c, STR_RELAY);
	struct str h[2] = { call_str(c, STR_HOP1), call_str(c, STR_HOP2) };
	int both_trying = (c->hop_flags & (HOP1_TRYING | HOP2_TRYING)) == (HOP1_TRYING | HOP2_TRYING);
	int proxy[2] = { both_trying + ((c->hop_flags & HOP1_CHAL) != 0),
			 (c->hop_flags & HOP2_CHAL) != 0 };
	int keep[2];

	if (relay.n)
		hop_vote(a, relay, 1);
	for (int i = 0; i < 2; i++) {
		keep[i] = h[i].n && !str_eq(h[i], src) && !str_eq(h[i], relay);
		if (keep[i])
			hop_vote(a, h[i], proxy[i]);
	}
	for (int i = 1; i >= 0; i--)
		if (keep[i] && !is_proxy(a, h[i]))
			return h[i];
	return (struct str){ NULL, 0 };
}

/* The next-hop table: one settled INVITE attempt under its hop, or as without one. */
static void fold_hop(struct analysis *a, const struct call *c, int outcome)
{
	if (!(c->flags & CALL_INV_REQ))
		return;
	struct str hop = hop_of(a, c);
	if (!hop.n) {
		a->acc.by_hop.no_hop++;
		return;
	}
	struct hrow *r = topk_get(a->hops, hop.p, hop.n);
	r->attempts++;
	if (outcome >= 200 && outcome < 300)
		r->answered++;
	else
		code_count(r->codes, r->code_n, &r->ncodes, outcome);
	r->stuck += c->trying_state == 1;
	r->timeout += outcome == 408;
	r->server_err += outcome >= 500 && outcome < 600;
	if (c->flags & CALL_SRD) {
		int64_t srd = delta(c->srd_time, c->first_inv);
		if (srd >= 0) {
			if (!r->srd_n || srd > r->srd_max)
				r->srd_max = srd;
			r->srd_n++;
			r->srd_sum += srd;
		}
	}
	topk_add(a->hops, r, 1);
}

/* Breakdowns and the timeline of one settled attempt. */
static void fold_breakdowns(struct analysis *a, const struct call *c, int outcome)
{
	if (!(c->flags & (CALL_INV_REQ | CALL_REG_REQ)))
		return;
	int auth_failed = (c->pa.challenged && (!c->pa.retried || c->pa.rechallenged)) +
			  (c->wa.challenged && (!c->wa.retried || c->wa.rechallenged));
	static const enum call_str which[3] = { STR_SRC, STR_UA, STR_DEST };
	struct topk *tables[3] = { a->by_source, a->by_ua, a->by_dest };
	for (int k = 0; k < 3; k++) {
		struct str key = call_str(c, which[k]);
		if (key.n)
			btab_add(tables[k], key.p, key.n, outcome, auth_failed);
	}

}

/* The per-hour table: a settled Call-ID under the hour of its first request, by kind. */
static void fold_hour(struct analysis *a, const struct call *c, int outcome)
{
	if (!(c->flags & CALL_COUNTED))
		return;
	int64_t t = c->flags & CALL_INV_REQ ? c->first_inv :
		    c->flags & CALL_REG_REQ ? c->first_reg : c->first_req;
	if (t == TIME_UNKNOWN)
		return;
	/* per hour of the zone, and per 5 minutes for the chart of a short window (report.h;
	 * 5 minutes divide every zone's offset) */
	int64_t fine_us = REPORT_FINE_US;
	int64_t start[2] = { hour_of(t), t - ((t % fine_us) + fine_us) % fine_us };
	struct topk *tl[2] = { a->hours, a->fine };
	for (int k = 0; k < 2; k++) {
		struct hour_row *r = topk_get(tl[k], &start[k], sizeof(start[k]));
		r->t.hour = start[k];
		if (c->flags & CALL_INVITE) {
			r->t.calls++;
			if (outcome >= 200 && outcome < 300)
				r->t.answered++;
			else
				r->t.failed++;
		} else if (c->flags & CALL_REGISTER) {
			r->t.registrations++;
		} else if (c->flags & CALL_OPTIONS) {
			r->t.options++;
		} else {
			r->t.other++;
		}
		if (c->flags & (CALL_INVITE | CALL_REGISTER)) {
			int auth_failed = (c->pa.challenged && (!c->pa.retried || c->pa.rechallenged)) ||
					  (c->wa.challenged && (!c->wa.retried || c->wa.rechallenged));
			r->t.challenged += c->pa.challenged || c->wa.challenged;
			r->t.auth_failed += auth_failed;
		}
		topk_add(tl[k], r, 1);
	}
}

static int in_codes(int code, const int *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (code == set[i])
			return 1;
	return 0;
}

/* The KPIs of one settled call (docs/metrics.md gives the definitions). */
static void fold_kpis(struct analysis *a, const struct call *c, int outcome)
{
	struct kpis *k = &a->acc.kpi;
	static const int seer_codes[] = { 200, 480, 486, 600, 603 };
	static const int isa_codes[] = { 408, 500, 503, 504 };
	static const int ner_codes[] = { 480, 486, 487, 600, 603 };

	if (c->flags & CALL_INV_REQ) {
		k->invite_attempts++;
		int two = outcome >= 200 && outcome < 300, three = outcome >= 300 && outcome < 400;
		k->asr.den++;
		k->ner.den++;
		k->isa.den++;
		k->scr.den++;
		if (!three) {
			k->ser.den++;
			k->seer.den++;
		}
		if (two) {
			k->ser.num++;
			k->asr.num++;
		}
		if (two || in_codes(outcome, seer_codes, 5))
			k->seer.num++;
		if (two || in_codes(outcome, ner_codes, 5))
			k->ner.num++;
		if (in_codes(outcome, isa_codes, 4))
			k->isa.num++;
		if (!outcome)
			k->no_final++;
		if (c->answered && c->byed) {
			k->scr.num++;
			int64_t d = delta(c->bye_time, c->answer_time);
			if (d >= 0) {
				dist_add(&a->duration, d);
				a->duration_sum += d;
			}
		}
		if (c->flags & CALL_SRD) {
			int64_t srd = delta(c->srd_time, c->first_inv);
			if (srd >= 0)
				dist_add(&a->srd, srd);
		}
	}
	if (c->flags & CALL_REG_REQ) {
		k->register_attempts++;
		k->ira.den++;
		/* ineffective: no final response at all, or one saying the registrar failed */
		if (!(c->flags & CALL_REG_FINAL) || in_codes(c->reg_code, isa_codes, 4))
			k->ira.num++;
		int64_t rrd = delta(c->reg_time, c->first_reg);
		if (c->reg_code && rrd >= 0)
			dist_add(&a->rrd, rrd);
	}
}

static enum auth_outcome auth_outcome_of(const struct auth_state *s)
{
	if (!s->challenged)
		return AUTH_NONE;
	if (!s->retried)
		return AUTH_NOT_RETRIED;
	return s->rechallenged ? AUTH_RECHALLENGED : AUTH_ACCEPTED;
}

static void emit_summary(struct analysis *a, const struct call *c, int outcome,
			 enum settle_reason why)
{
	struct call_summary cs = {
		.call_id = { c->key, c->key_len }, .src = call_str(c, STR_SRC),
		.ua = call_str(c, STR_UA), .dest = call_str(c, STR_DEST),
		.file = c->first_file, .line = c->first_line,
		.first_time = c->flags & CALL_INV_REQ ? c->first_inv :
			      c->flags & CALL_REG_REQ ? c->first_reg : TIME_UNKNOWN,
		.method = c->imethod, .outcome = outcome, .trying = c->trying_state != 0,
		.final_after_100 = c->trying_state == 2 ? c->final_code : 0,
		.trying_delay_us = c->trying_state == 2 ? c->final_delay : -1,
		.srd_us = (c->flags & CALL_SRD) ? delta(c->srd_time, c->first_inv) : -1,
		.duration_us = c->answered && c->byed ? delta(c->bye_time, c->answer_time) : -1,
		.proxy_auth = auth_outcome_of(&c->pa), .www_auth = auth_outcome_of(&c->wa),
		.settled = why,
		.pdd_us = (c->flags & CALL_INV_REQ) && (c->flags & CALL_SETUP) ?
			  delta(c->setup_time, c->pdd_start) : -1,
		.ring_us = (c->flags & CALL_INV_REQ) && (c->flags & CALL_RING_END) ?
			   delta(c->ring_end, c->setup_time) : -1,
	};
	a->o.call_fn(a->o.call_ctx, &cs);
}

static void settle(struct analysis *a, struct call *c, enum settle_reason why)
{
	struct report *r = &a->acc;

	list_unlink(a, c);
	htab_del(a->calls, c->key, c->key_len, htab_hash(a->calls, c->key, c->key_len));
	if (c->flags & CALL_BEFORE) {
		/* the previous window's call: neither a call of this one nor stuck in it */
		free(c->strs);
		free(c);
		return;
	}
	if (c->flags & CALL_COUNTED) {
		/* of one kind, the first that fits (report.h) */
		r->callids_total++;
		if (c->flags & CALL_INVITE)
			r->calls_total++;
		else if (c->flags & CALL_REGISTER)
			r->calls_register++;
		else if (c->flags & CALL_OPTIONS)
			r->calls_options++;
		else
			r->calls_other++;
		if (c->flags & CALL_PAST_UNTIL)
			r->followed_past_until++;
		if (why == SETTLED_IDLE)
			r->calls_evicted_idle++;
		else if (why == SETTLED_LIMIT)
			r->calls_settled_early++;
		else
			r->calls_open_at_end++;
	}

	if (c->trying_state) {
		r->trying++;
		if (c->trying_state == 2) {
			r->by_final[c->final_code]++;
			if (c->final_delay >= 0) {
				int k = 0;
				while (k < REPORT_HIST - 1 &&
				       c->final_delay >= (int64_t)report_hist_upper_ms[k] * 1000)
					k++;
				r->trying_hist[k]++;
				dist_add(&a->trying_delay, c->final_delay);
			}
		} else {
			r->stuck++;
			pattern_hit(a, PAT_STUCK_AFTER_100, c);
		}
	}
	if ((c->flags & CALL_INV_REQ) && !(c->flags & CALL_INV_RESP))
		pattern_hit(a, PAT_NO_FINAL_NO_100, c);

	/* post-dial delay (slow-setup is a long one) and ring time, docs/metrics.md: 100 ->
	 * final would be mostly ring time, which is people answering, not the network */
	if ((c->flags & CALL_INV_REQ) && (c->flags & CALL_SETUP)) {
		int64_t pdd = delta(c->setup_time, c->pdd_start);
		if (pdd >= 0) {
			dist_add(&a->pdd, pdd);
			if (pdd > a->slow_us)
				pattern_hit(a, PAT_SLOW_SETUP, c);
		}
		int64_t ring = c->flags & CALL_RING_END ? delta(c->ring_end, c->setup_time) : -1;
		if (ring >= 0)
			dist_add(&a->ring, ring);
	}

	fold_auth(a, c, &c->pa, &r->proxy_auth, &a->proxy_delay,
		  PAT_PROXY_AUTH_NOT_RETRIED, PAT_PROXY_AUTH_REJECTED);
	fold_auth(a, c, &c->wa, &r->www_auth, &a->www_delay,
		  PAT_WWW_AUTH_NOT_RETRIED, PAT_WWW_AUTH_REJECTED);

	/* the outcome: the first final that is not a challenge; else a challenge left standing
	 * (never retried, or its last retry challenged again); else none (the retry is pending) */
	int outcome = c->out_code;
	if (!outcome && c->chal_code) {
		const struct auth_state *s = c->chal_code == 407 ? &c->pa : &c->wa;
		if (!s->retried || s->rechallenged)
			outcome = c->chal_code;
	}
	fold_kpis(a, c, outcome);
	fold_breakdowns(a, c, outcome);
	fold_hour(a, c, outcome);
	fold_hop(a, c, outcome);
	if (a->o.call_fn && (c->flags & CALL_COUNTED))
		emit_summary(a, c, outcome, why);
	if (outcome) {
		a->calls_with_final++;
		if (outcome == 408)
			pattern_hit(a, PAT_REQUEST_TIMEOUT, c);
		else if (outcome >= 500 && outcome < 600)
			pattern_hit(a, PAT_SERVER_ERRORS, c);
		else if (outcome >= 600)
			pattern_hit(a, PAT_GLOBAL_FAILURES, c);
	}
	fold_source(a, c, outcome);
	free(c->strs);
	free(c);
}

/*
 * Which idle limit a call waits under: an answered INVITE without its BYE yet waits
 * --session-timeout (a conversation sends no SIP for minutes, and SCR and ACD need its BYE);
 * one waiting for a final after 100 Trying or a provisional waits Timer C; the rest
 * --call-timeout.
 */
static int idle_list(const struct call *c)
{
	if (c->answered && !c->byed)
		return 2;
	return c->trying_state == 1 || (c->flags & CALL_RINGING) ? 1 : 0;
}

static void evict_idle(struct analysis *a, int64_t now)
{
	int64_t timeout[3] = { a->call_timeout_us, a->ring_timeout_us, a->session_timeout_us };

	for (int l = 0; l < 3; l++) {
		struct call *c;
		while ((c = a->lists[l].head) != NULL) {
			if (c->last_time == TIME_UNKNOWN) {
				/* last active before the log's first time (a file without times
				 * read first): idle from now on. It goes behind the calls dated
				 * earlier, so that it does not hold them back; each such call moves
				 * once, since all of them precede the first known time */
				c->last_time = now;
				list_unlink(a, c);
				list_append(a, c, l);
				continue;
			}
			if (now - c->last_time <= timeout[l])
				break;
			settle(a, c, SETTLED_IDLE);
		}
	}
}

/*
 * --max-calls: memory stays bounded when the log holds more calls at once than that (a flood
 * of INVITEs with new Call-IDs, or timeouts far longer than the traffic needs). The least
 * recently active call - the oldest last activity among the heads of the three idle lists -
 * is settled as if it had been idle. Ties go to the lower list, so the choice follows the
 * events alone. Should its Call-ID come back, it starts a new record, as after --call-timeout.
 */
static void settle_oldest(struct analysis *a)
{
	struct call *oldest = NULL;

	for (int l = 0; l < 3; l++) {
		struct call *c = a->lists[l].head;
		if (c && (!oldest || c->last_time < oldest->last_time))
			oldest = c;
	}
	if (oldest)
		settle(a, oldest, SETTLED_LIMIT);
}

/* ---- authentication records */

/*
 * An authentication record (event.h auth_result) says how one authentication ended, not which
 * messages carried it: it is counted by source address and by account, and never enters the
 * call table (its Call-ID, when it has one, opened no call that the log shows).
 */
static void auth_record(struct analysis *a, const struct event *ev)
{
	struct report *r = &a->acc;
	struct str src = source_address(ev->src);

	r->auth.n[ev->auth_result]++;
	if (src.n) {
		/* keys are kept up to CALL_STR_MAX bytes, as a call's strings: the tables are
		 * bounded in keys, so each key must be bounded too */
		struct arow *x = topk_get(a->auth_src, src.p, src.n < CALL_STR_MAX ? src.n : CALL_STR_MAX);
		if (!x->line) {
			x->file = ev->file;
			x->line = ev->line;
			x->first_time = x->last_time = TIME_UNKNOWN;
		}
		x->n[ev->auth_result]++;
		if (ev->time_us != TIME_UNKNOWN) {
			x->timed++;
			span_add(&x->first_time, &x->last_time, ev->time_us);
			key_hour_add(a, KH_AUTH_SOURCE, src.p, src.n, ev->time_us);
		}
		topk_add(a->auth_src, x, 1);
	} else {
		r->auth.no_source++;
	}
	if (ev->account.n) {
		size_t n = ev->account.n < CALL_STR_MAX ? ev->account.n : CALL_STR_MAX;
		struct arow *x = topk_get(a->auth_acc, ev->account.p, n);
		x->n[ev->auth_result]++;
		topk_add(a->auth_acc, x, 1);
		if (src.n && (ev->auth_result == AUTH_RES_FAILED ||
			      ev->auth_result == AUTH_RES_UNKNOWN || ev->auth_result == AUTH_RES_DENIED)) {
			unsigned char key[2 + 2 * CALL_STR_MAX];
			size_t m = src.n < CALL_STR_MAX ? src.n : CALL_STR_MAX;
			key[0] = (unsigned char)(n >> 8);
			key[1] = (unsigned char)n;
			memcpy(key + 2, ev->account.p, n);
			memcpy(key + 2 + n, src.p, m);
			struct pair_row *p = topk_get(a->auth_pairs, key, 2 + n + m);
			if (!p->line) {
				p->file = ev->file;
				p->line = ev->line;
				p->first_time = p->last_time = TIME_UNKNOWN;
			}
			p->failures++;
			span_add(&p->first_time, &p->last_time, ev->time_us);
			key_hour_add(a, KH_AUTH_ACCOUNT, ev->account.p, n, ev->time_us);
			x->timed += ev->time_us != TIME_UNKNOWN;
			topk_add(a->auth_pairs, p, 1);
		}
	}
}

/* ---- per-event state machine */

static void auth_request(struct auth_state *s, const struct event *ev, unsigned header)
{
	if (!s->challenged) {
		/*
		 * Kamailio's worker processes log concurrently: the retry that one worker received
		 * can be logged before the 401/407 another worker sent (seen by tests/live). Keep
		 * the request for auth_response(); only one whose credentials the log shows.
		 */
		if ((ev->auth & EV_AUTH_KNOWN) && (ev->auth & header) && ev->cseq > s->pre_cseq) {
			s->pre_method = ev->method;
			s->pre_cseq = ev->cseq;
			s->pre_time = ev->time_us;
		}
		return;
	}
	if (ev->method != s->method)
		return;
	if (ev->cseq <= s->chal_cseq || ev->cseq <= s->last_retry)
		return;
	if ((ev->auth & EV_AUTH_KNOWN) && !(ev->auth & header))
		return;		/* a new request without credentials is not an answer to the challenge */
	if (!s->retried) {
		s->retried = 1;
		s->retry_delay = delta(ev->time_us, s->chal_time);
	}
	s->last_retry = ev->cseq;
	s->rechallenged = 0;
}

static void auth_response(struct auth_state *s, const struct event *ev)
{
	if (!s->challenged) {
		s->challenged = 1;
		s->method = ev->cseq_method;
		s->chal_cseq = ev->cseq;
		s->chal_time = ev->time_us;
		if (s->pre_cseq > s->chal_cseq && s->pre_method == s->method) {
			/* its retry was logged first: same outcome as in time order, delay 0 */
			s->retried = 1;
			s->last_retry = s->pre_cseq;
			s->retry_delay = s->pre_time == TIME_UNKNOWN || s->chal_time == TIME_UNKNOWN ? -1
				: s->pre_time > s->chal_time ? s->pre_time - s->chal_time : 0;
		}
		return;
	}
	if (s->retried && ev->cseq_method == s->method && ev->cseq == s->last_retry)
		s->rechallenged = 1;
}

/* Keep the first two addresses other than the caller's and the relay's that answered the
 * call's INVITE, and what they sent that tells the proxy (hop_of()). */
static void note_responder(struct call *c, struct str src, int code)
{
	struct str a = source_address(src);
	unsigned trying = code == 100, chal = code == 401 || code == 407;

	if (a.n > CALL_STR_MAX)
		a.n = CALL_STR_MAX;	/* as call_set_str() keeps it */
	if (!a.n || str_eq(a, call_str(c, STR_SRC)) || str_eq(a, call_str(c, STR_RELAY)))
		return;
	if (!c->hop1_len)
		call_set_str(c, STR_HOP1, a.p, a.n);
	if (str_eq(a, call_str(c, STR_HOP1))) {
		c->hop_flags |= (trying ? HOP1_TRYING : 0) | (chal ? HOP1_CHAL : 0);
		return;
	}
	if (!c->hop2_len)
		call_set_str(c, STR_HOP2, a.p, a.n);
	if (str_eq(a, call_str(c, STR_HOP2)))
		c->hop_flags |= (trying ? HOP2_TRYING : 0) | (chal ? HOP2_CHAL : 0);
}

static void apply(struct call *c, const struct event *ev)
{
	enum sip_method m = ev->status ? ev->cseq_method : ev->method;

	if (opens_call(m)) {
		c->flags |= CALL_COUNTED;
		if (c->imethod == METHOD_NONE)
			c->imethod = m;
		if (!ev->status && c->first_req == TIME_UNKNOWN)
			c->first_req = ev->time_us;
	}
	if (m == METHOD_INVITE)
		c->flags |= CALL_INVITE;
	else if (m == METHOD_REGISTER)
		c->flags |= CALL_REGISTER;
	else if (m == METHOD_OPTIONS)
		c->flags |= CALL_OPTIONS;

	if (!ev->status) {
		if (ev->method == METHOD_INVITE) {
			if (!(c->flags & CALL_INV_REQ))
				c->first_inv = ev->time_us;
			/* post-dial delay runs from the INVITE that setup answers (RFC 6076 3.3):
			 * a new CSeq before setup ended is the retry of a challenged INVITE, and
			 * the time the challenge took is not what the caller waits for; a
			 * retransmission (same CSeq) does not move the start */
			if (!(c->flags & CALL_SETUP) &&
			    (!(c->flags & CALL_INV_REQ) || ev->cseq > c->pdd_cseq)) {
				c->pdd_start = ev->time_us;
				c->pdd_cseq = ev->cseq;
			}
			c->flags |= CALL_INV_REQ;
		} else if (ev->method == METHOD_REGISTER && !(c->flags & CALL_REG_REQ)) {
			c->flags |= CALL_REG_REQ;
			c->first_reg = ev->time_us;
		} else if (ev->method == METHOD_BYE && !c->byed) {
			c->byed = 1;
			c->bye_time = ev->time_us;
		}
		auth_request(&c->pa, ev, EV_AUTH_PROXY);
		auth_request(&c->wa, ev, EV_AUTH_WWW);
		if (!c->src_len && ev->src.n) {
			struct str a = source_address(ev->src);
			if (a.n)
				call_set_str(c, STR_SRC, a.p, a.n);
		} else if (ev->method == METHOD_INVITE && !c->answered && !c->relay_len &&
			   ev->src.n && (c->flags & CALL_INV_REQ)) {
			/* the INVITE again, from another address, before it was answered: sent
			 * on by the proxy (a log of sent messages); not a re-INVITE from the
			 * callee's side, which comes once the call was answered */
			struct str a = source_address(ev->src);
			if (a.n && !str_eq(a, call_str(c, STR_SRC)))
				call_set_str(c, STR_RELAY, a.p, a.n);
		}
		/* a call's User-Agent does not change: look at the first one only */
		if (!(c->flags & CALL_UA_SEEN) && ev->ua.n) {
			c->flags |= CALL_UA_SEEN;
			call_set_str(c, STR_UA, ev->ua.p, ev->ua.n);
			if (is_scanner_ua(ev->ua))
				c->flags |= CALL_SCANNER_UA;
		}
		if (!c->dest_len && ev->ruri.n && (ev->method == METHOD_INVITE ||
						   ev->method == METHOD_REGISTER)) {
			struct str d = uri_dest(ev->ruri);
			if (d.n) {
				char dest[CALL_STR_MAX];
				size_t n = d.n < sizeof(dest) ? d.n : sizeof(dest);
				memcpy(dest, d.p, n);
				/* host names are case-insensitive (RFC 3261 19.1.4), users are not */
				char *h = memchr(dest, '@', n);
				for (h = h ? h + 1 : dest; h < dest + n; h++)
					if (*h >= 'A' && *h <= 'Z')
						*h = (char)(*h + 32);
				call_set_str(c, STR_DEST, dest, n);
			}
		}
		return;
	}

	int code = ev->status;
	int challenge = code == 401 || code == 407;
	if (ev->cseq_method == METHOD_INVITE) {
		c->flags |= CALL_INV_RESP;
		if (ev->src.n && !(ev->flags & EV_TRANSACTION))
			note_responder(c, ev->src, code);
		if (code > 100 && !challenge && !(c->flags & CALL_SRD)) {
			c->flags |= CALL_SRD;
			c->srd_time = ev->time_us;
		}
		/* setup ends with the first 18x (the caller hears ringback or early media) or,
		 * when none came, the first final that is not a challenge; ringing runs from
		 * that 18x to the final */
		int ring = code >= 180 && code <= 189, final = code >= 200 && !challenge;
		if ((ring || final) && !(c->flags & CALL_SETUP)) {
			c->flags |= CALL_SETUP | (ring ? CALL_RANG : 0);
			c->setup_time = ev->time_us;
		} else if (final && (c->flags & CALL_RANG) && !(c->flags & CALL_RING_END)) {
			c->flags |= CALL_RING_END;
			c->ring_end = ev->time_us;
		}
		if (code >= 200 && code < 300 && !c->answered) {
			c->answered = 1;
			c->answer_time = ev->time_us;
		}
		int late_100 = 0;
		if (code == 100 && c->trying_state == 0) {
			late_100 = (c->flags & CALL_EARLY_FINAL) && ev->cseq == c->trying_cseq;
			if (late_100) {
				/*
				 * Kamailio's workers log concurrently: the final one worker received
				 * was logged before the 100 another sent for the same transaction.
				 * Same outcome as in time order; the delay is 0 (or what the stamps
				 * say, should the final's be later).
				 */
				int64_t tf = c->trying_time;
				c->trying_state = 2;
				c->final_delay = tf == TIME_UNKNOWN || ev->time_us == TIME_UNKNOWN ? -1
					: tf > ev->time_us ? tf - ev->time_us : 0;
			} else {
				c->trying_state = 1;
				c->trying_cseq = ev->cseq;
				c->final_code = 0;
			}
			c->trying_time = ev->time_us;
			c->flags &= ~(uint32_t)CALL_EARLY_FINAL;
		}
		if (code >= 200) {
			if (c->trying_state == 1 && ev->cseq == c->trying_cseq) {
				c->trying_state = 2;
				c->final_code = (uint16_t)code;
				c->final_delay = delta(ev->time_us, c->trying_time);
			} else if (c->trying_state == 0 && (!(c->flags & CALL_EARLY_FINAL) ||
							    ev->cseq > c->trying_cseq)) {
				/* no 100 yet: keep the first final of the highest CSeq, in case its
				 * 100 was logged later */
				c->flags |= CALL_EARLY_FINAL;
				c->trying_cseq = ev->cseq;
				c->final_code = (uint16_t)code;
				c->trying_time = ev->time_us;
			}
			c->flags &= ~(uint32_t)CALL_RINGING;
		} else if (!late_100) {
			c->flags |= CALL_RINGING;	/* not for a 100 logged after its final */
		}
	}
	if (code >= 200 && ev->cseq_method == METHOD_REGISTER) {
		c->flags |= CALL_REG_FINAL;
		if (!challenge && !c->reg_code) {
			c->reg_code = code;
			c->reg_time = ev->time_us;
		}
	}
	if (code >= 200 && ev->cseq_method == c->imethod) {
		if (code == 401 || code == 407)
			c->chal_code = code;
		else if (!c->out_code)
			c->out_code = code;
	}
	if (code == 407)
		auth_response(&c->pa, ev);
	else if (code == 401)
		auth_response(&c->wa, ev);
}

/* The message figures (totals, the time range) of one event that counts in the window. */
static void count_event(struct report *r, const struct event *ev)
{
	r->records++;
	if (ev->status)
		r->responses[ev->status]++;
	else if (ev->method != METHOD_NONE)
		r->requests[ev->method]++;
	if (ev->flags & EV_TRANSACTION)
		r->requests[ev->cseq_method]++;
	if (ev->time_us != TIME_UNKNOWN) {
		if (!r->have_times || ev->time_us < r->first_time)
			r->first_time = ev->time_us;
		if (!r->have_times || ev->time_us > r->last_time)
			r->last_time = ev->time_us;
		r->have_times = 1;
		if (ev->time_us % 1000000)
			r->subsecond_times = 1;
	}
}

/*
 * The window (--since/--until): a call belongs to the window in which its first message
 * falls, and is counted whole there.
 *  - A Call-ID first seen before since gets a record marked CALL_BEFORE: its later messages,
 *    in the window too, are known as its own (not a new call, not an orphan, not stuck) and
 *    counted nowhere; the usual timeouts settle it, without a trace in the figures.
 *  - A Call-ID first seen at or after until gets no record: the window's calls are over.
 *  - A call that started in the window takes its messages after until as usual (its final,
 *    the retry of a challenge, its BYE) until it settles: the 200 five seconds after midnight
 *    answers yesterday's call.
 * The messages counted (totals) are those of the window's calls, and those of no call (an
 * authentication record) that lie in the window; every other is counted as outside. An event
 * without a time (a log without stamps) is in the window unless its call started before it:
 * nothing says otherwise.
 */
static int before_window(const struct analysis *a, int64_t t)
{
	return t != TIME_UNKNOWN && a->o.since != TIME_UNKNOWN && t < a->o.since;
}

static int after_window(const struct analysis *a, int64_t t)
{
	return t != TIME_UNKNOWN && a->o.until != TIME_UNKNOWN && t >= a->o.until;
}

void analysis_event(void *ctx, const struct event *ev)
{
	struct analysis *a = ctx;
	struct report *r = &a->acc;
	int64_t t = ev->time_us;

	if (t != TIME_UNKNOWN) {
		/* the clock runs on outside the window too: it settles the calls in flight */
		a->now = t;
		evict_idle(a, t);
	}

	/* the log gives the sources of the responses to INVITEs: a next-hop table */
	if (ev->status && ev->cseq_method == METHOD_INVITE && ev->src.n &&
	    !(ev->flags & EV_TRANSACTION))
		r->by_hop.shown = 1;

	if (ev->auth_result) {
		int in = !before_window(a, t) && !after_window(a, t);
		if (in)
			auth_record(a, ev);
		if (!ev->status && ev->method == METHOD_NONE) {
			if (in)
				count_event(r, ev);
			else
				r->outside++;
			return;
		}
	}

	uint64_t h = ev->flags & EV_HASHED ? ev->callid_hash :
		     htab_hash(a->calls, ev->callid.p, ev->callid.n);
	struct call *c = htab_get(a->calls, ev->callid.p, ev->callid.n, h);
	if (!c && after_window(a, t)) {
		r->outside++;
		return;
	}
	if (!c) {
		if (htab_count(a->calls) >= a->o.max_calls)
			settle_oldest(a);
		c = xcalloc(1, sizeof(*c) + ev->callid.n + 1);
		memcpy(c->key, ev->callid.p, ev->callid.n);
		c->key_len = (uint32_t)ev->callid.n;
		c->first_file = ev->file;
		c->first_line = ev->line;
		c->final_delay = -1;
		c->pa.retry_delay = c->wa.retry_delay = -1;
		c->first_inv = c->first_reg = c->first_req = c->start_time = c->pdd_start = TIME_UNKNOWN;
		if (before_window(a, t))
			c->flags |= CALL_BEFORE;
		htab_put(a->calls, c->key, c->key_len, h, c);
		list_append(a, c, 0);
		size_t n = htab_count(a->calls);
		if (n > r->calls_peak)
			r->calls_peak = n;
	}
	if (c->flags & CALL_BEFORE) {
		r->outside++;
	} else {
		count_event(r, ev);
		if (after_window(a, t))
			c->flags |= CALL_PAST_UNTIL;
	}
	c->last_time = a->now;
	if (c->start_time == TIME_UNKNOWN)
		c->start_time = ev->time_us;
	if (ev->flags & EV_TRANSACTION) {
		/* an accounting record: the request first, with no time of its own (its time
		 * is the transaction's end: SRD, RRD and session times stay unknown, never 0),
		 * then the final */
		struct event rq = *ev;
		rq.status = 0;
		rq.method = ev->cseq_method;
		rq.time_us = TIME_UNKNOWN;
		apply(c, &rq);
	}
	apply(c, ev);
	list_unlink(a, c);
	list_append(a, c, idle_list(c));
}

/* ---- construction and the final model */

/* What a source's record owns (topk.h calls it when the record leaves the table). */
static void free_source(void *rec)
{
	struct source_stat *s = rec;

	example_set_release(&s->ex);
	free(s->ua);
}

struct analysis *analysis_new(const struct analysis_opts *o)
{
	struct analysis *a = xcalloc(1, sizeof(*a));
	uint8_t seed[16];

	a->o = *o;
	if (a->o.examples > REPORT_MAX_EXAMPLES)
		a->o.examples = REPORT_MAX_EXAMPLES;
	if (a->o.ring_timeout_s < a->o.call_timeout_s)
		a->o.ring_timeout_s = a->o.call_timeout_s;
	if (a->o.session_timeout_s < a->o.call_timeout_s)
		a->o.session_timeout_s = a->o.call_timeout_s;
	a->call_timeout_us = (int64_t)(a->o.call_timeout_s * 1e6);
	a->ring_timeout_us = (int64_t)(a->o.ring_timeout_s * 1e6);
	a->session_timeout_us = (int64_t)(a->o.session_timeout_s * 1e6);
	a->slow_us = (int64_t)(a->o.slow_setup_s * 1e6);
	if (o->seed)
		memcpy(seed, o->seed, sizeof(seed));
	else
		random_seed(seed, sizeof(seed));
	a->calls = htab_new(seed);
	a->sources = topk_new(REPORT_SOURCES_CAP, sizeof(struct source_stat), free_source);
	a->by_source = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_ua = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_dest = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->hops = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct hrow), NULL);
	a->hop_votes = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct hop_vote), NULL);
	a->hours = topk_new(REPORT_HOURS_CAP, sizeof(struct hour_row), NULL);
	/* one bucket more than kept: a full table that evicts is a window longer than a day */
	a->fine = topk_new(REPORT_FINE_CAP + 1, sizeof(struct hour_row), NULL);
	a->auth_src = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct arow), NULL);
	a->auth_acc = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct arow), NULL);
	a->auth_pairs = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct pair_row), NULL);
	a->key_hours = topk_new(REPORT_SOURCES_CAP, sizeof(int64_t), NULL);
	for (int p = 0; p < PAT_COUNT; p++)
		a->pt[p].first = a->pt[p].last = TIME_UNKNOWN;
	if (!a->o.top)
		a->o.top = 10;
	if (!a->o.max_calls)
		a->o.max_calls = ANALYSIS_MAX_CALLS;
	a->now = TIME_UNKNOWN;
	if (!a->o.window)
		a->o.since = a->o.until = TIME_UNKNOWN;
	a->acc.since = a->o.since;
	a->acc.until = a->o.until;
	return a;
}


void analysis_free(struct analysis *a)
{
	if (!a)
		return;
	for (int l = 0; l < 3; l++)
		while (a->lists[l].head)
			settle(a, a->lists[l].head, SETTLED_END);
	htab_free(a->calls);
	topk_free(a->sources);
	topk_free(a->by_source);
	topk_free(a->by_ua);
	topk_free(a->by_dest);
	topk_free(a->hops);
	topk_free(a->hop_votes);
	topk_free(a->hours);
	topk_free(a->fine);
	topk_free(a->auth_src);
	topk_free(a->auth_acc);
	topk_free(a->auth_pairs);
	topk_free(a->key_hours);
	for (int p = 0; p < PAT_COUNT; p++)
		topk_free(a->pt[p].hours);
	dist_release(&a->pdd);
	dist_release(&a->ring);
	dist_release(&a->trying_delay);
	dist_release(&a->proxy_delay);
	dist_release(&a->www_delay);
	dist_release(&a->srd);
	dist_release(&a->rrd);
	dist_release(&a->duration);
	for (int p = 0; p < PAT_COUNT; p++)
		example_set_release(&a->ex[p]);
	free(a);
}

static void delays_of(struct dist *d, struct delays *out)
{
	out->n = d->n;
	out->known = d->n > 0;
	out->p50 = dist_percentile(d, 50);
	out->p90 = dist_percentile(d, 90);
	out->p99 = dist_percentile(d, 99);
	out->max = d->n ? d->max : -1;
	out->sum = d->sum;
}

struct scan_collect {
	struct analysis *a;
	struct source_row *rows;
	size_t n, cap;
	uint64_t calls;
	uint64_t got_in;		/* calls of flagged sources with a 2xx (see fold_source()) */
};

/* Is this source flagged by auth-scanner? */
static int source_flagged(const struct analysis *a, const struct source_stat *s)
{
	return s->scanner_ua || s->unanswered >= a->o.scanner_threshold;
}

static void collect_scanner(void *item, void *ctx)
{
	struct source_stat *s = item;
	struct scan_collect *sc = ctx;
	struct analysis *a = sc->a;

	if (!source_flagged(a, s))
		return;
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 8;
		sc->rows = xrealloc(sc->rows, sc->cap * sizeof(*sc->rows));
	}
	struct source_row *row = &sc->rows[sc->n++];
	memset(row, 0, sizeof(*row));
	const char *addr = topk_key(a->sources, s, &row->addr_len);
	row->addr = xstrndup(addr, row->addr_len);
	row->calls = s->calls;
	row->unanswered = s->unanswered;
	row->scanner_ua = s->scanner_ua;
	row->accepted = s->accepted;
	row->answered = s->answered;
	sc->got_in += s->accepted + s->answered;
	struct pat_times *pt = &a->pt[PAT_AUTH_SCANNER];
	span_add(&pt->first, &pt->last, s->first_time);
	span_add(&pt->first, &pt->last, s->last_time);
	pt->timed += s->timed;
	if (s->ua) {
		row->ua = xstrndup(s->ua, s->ua_len);
		row->ua_len = s->ua_len;
	}
	sc->calls += s->calls;
	for (size_t i = 0; i < s->ex.n; i++)
		example_add(&a->ex[PAT_AUTH_SCANNER], a->o.examples, s->ex.e[i].call_id,
			    s->ex.e[i].call_id_len, s->ex.e[i].file, s->ex.e[i].line);
}

static int cmp_source_row(const void *x, const void *y)
{
	const struct source_row *a = x, *b = y;

	if (a->calls != b->calls)
		return a->calls > b->calls ? -1 : 1;
	size_t n = a->addr_len < b->addr_len ? a->addr_len : b->addr_len;
	int c = memcmp(a->addr, b->addr, n);
	if (c)
		return c;
	return (a->addr_len > b->addr_len) - (a->addr_len < b->addr_len);
}

struct bref {
	const void *rec;		/* struct brow, or struct hrow for the next hops */
	const char *key;
	size_t key_len;
};

struct bcollect {
	const struct topk *t;
	struct bref *rows;
	size_t n;
};

static void collect_brow(void *item, void *ctx)
{
	struct bcollect *bc = ctx;
	struct bref *x = &bc->rows[bc->n++];

	x->rec = item;
	x->key = topk_key(bc->t, item, &x->key_len);
}

/* Rows most attempts first, ties by key (deterministic). Both row types start with their
 * attempts, the weight of their table. */
static int cmp_by_attempts(uint64_t wa, uint64_t wb, const struct bref *a, const struct bref *b)
{
	if (wa != wb)
		return wa > wb ? -1 : 1;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

static int cmp_brow(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;

	return cmp_by_attempts(((const struct brow *)a->rec)->attempts,
			       ((const struct brow *)b->rec)->attempts, a, b);
}

static int cmp_hrow(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;

	return cmp_by_attempts(((const struct hrow *)a->rec)->attempts,
			       ((const struct hrow *)b->rec)->attempts, a, b);
}

/* Every row of a table, sorted by cmp; the caller frees .rows. */
static struct bcollect sorted_rows(const struct topk *t, int (*cmp)(const void *, const void *))
{
	struct bcollect bc = { t, xcalloc(topk_count(t) + 1, sizeof(*bc.rows)), 0 };

	topk_each(t, collect_brow, &bc);
	if (bc.n)
		qsort(bc.rows, bc.n, sizeof(*bc.rows), cmp);
	return bc;
}

/* The failure codes of a row, most frequent first (ties: lower code first), up to
 * REPORT_ROW_CODES. */
static int top_codes(const int *codes, const uint64_t *code_n, int ncodes, int *out,
		     uint64_t *out_n)
{
	int used[BROW_CODES] = {0}, n = 0;

	for (int k = 0; k < REPORT_ROW_CODES; k++) {
		int best = -1;
		for (int j = 0; j < ncodes; j++) {
			if (used[j])
				continue;
			if (best < 0 || code_n[j] > code_n[best] ||
			    (code_n[j] == code_n[best] && codes[j] < codes[best]))
				best = j;
		}
		if (best < 0)
			break;
		used[best] = 1;
		out[n] = codes[best];
		out_n[n] = code_n[best];
		n++;
	}
	return n;
}

/* The top rows of a breakdown, most attempts first (ties by key: deterministic). */
static void breakdown_of(const struct topk *t, unsigned top, struct breakdown *out)
{
	struct bcollect bc = sorted_rows(t, cmp_brow);

	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = bc.n < top ? bc.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct brow *b = bc.rows[i].rec;
		struct breakdown_row *r = &out->rows[i];
		r->key = xstrndup(bc.rows[i].key, bc.rows[i].key_len);
		r->key_len = bc.rows[i].key_len;
		r->attempts = b->attempts;
		r->answered = b->answered;
		r->failed = b->failed;
		r->auth_failed = b->auth_failed;
		r->ncodes = top_codes(b->codes, b->code_n, b->ncodes, r->codes, r->code_n);
	}
	free(bc.rows);
}

/* The top rows of the next-hop table, most attempts first (ties by key). */
static void hop_table_of(const struct topk *t, unsigned top, struct hop_table *out)
{
	struct bcollect bc = sorted_rows(t, cmp_hrow);

	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = bc.n < top ? bc.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct hrow *h = bc.rows[i].rec;
		struct hop_row *r = &out->rows[i];
		r->key = xstrndup(bc.rows[i].key, bc.rows[i].key_len);
		r->key_len = bc.rows[i].key_len;
		r->attempts = h->attempts;
		r->answered = h->answered;
		r->stuck = h->stuck;
		r->timeout = h->timeout;
		r->server_err = h->server_err;
		r->ncodes = top_codes(h->codes, h->code_n, h->ncodes, r->codes, r->code_n);
		r->srd_n = h->srd_n;
		r->srd_sum_us = h->srd_sum;
		r->srd_max_us = h->srd_n ? h->srd_max : -1;
	}
	free(bc.rows);
}

/* A record of an authentication table (struct arow, or struct pair_row) and its key. */
struct aref {
	const void *x;
	const char *key;
	size_t key_len;
};

struct acollect {
	const struct topk *t;
	struct aref *rows;
	size_t n;
};

static void collect_arow(void *item, void *ctx)
{
	struct acollect *ac = ctx;
	struct aref *x = &ac->rows[ac->n++];

	x->x = item;
	x->key = topk_key(ac->t, item, &x->key_len);
}

static uint64_t arow_failures(const struct arow *x)
{
	return x->n[AUTH_RES_FAILED] + x->n[AUTH_RES_UNKNOWN] + x->n[AUTH_RES_DENIED];
}

static int cmp_arow(const void *p, const void *q)
{
	const struct aref *a = p, *b = q;
	uint64_t fa = arow_failures((const struct arow *)a->x);
	uint64_t fb = arow_failures((const struct arow *)b->x);

	if (fa != fb)
		return fa > fb ? -1 : 1;
	if (topk_weight(a->x) != topk_weight(b->x))
		return topk_weight(a->x) > topk_weight(b->x) ? -1 : 1;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

/*
 * The top rows of an authentication table, most failures first (ties: most records, key).
 * For the sources (a not NULL), every source with --scanner-threshold failures or more is
 * counted in *scanners and is a problem: auth-break-in when it also authenticated once,
 * else auth-guessing; its first record is the example.
 */
static void auth_table_of(struct analysis *a, const struct topk *t, unsigned top,
			  struct auth_table *out, uint64_t *scanners)
{
	unsigned threshold = a ? a->o.scanner_threshold : 0;
	struct acollect ac = { t, xcalloc(topk_count(t) + 1, sizeof(*ac.rows)), 0 };

	topk_each(t, collect_arow, &ac);
	if (ac.n)
		qsort(ac.rows, ac.n, sizeof(*ac.rows), cmp_arow);
	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = ac.n < top ? ac.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < ac.n; i++) {
		const struct arow *x = ac.rows[i].x;
		int scanner = threshold && arow_failures(x) >= threshold;
		if (scanner) {
			enum pattern_id p = x->n[AUTH_RES_OK] ? PAT_AUTH_BREAK_IN : PAT_AUTH_GUESSING;
			(*scanners)++;
			a->pat_count[p]++;
			span_add(&a->pt[p].first, &a->pt[p].last, x->first_time);
			span_add(&a->pt[p].first, &a->pt[p].last, x->last_time);
			a->pt[p].timed += x->timed;
			example_add(&a->ex[p], a->o.examples, ac.rows[i].key, ac.rows[i].key_len,
				    x->file, x->line);
		}
		if (i >= out->n)
			continue;
		struct auth_row *r = &out->rows[i];
		r->key = xstrndup(ac.rows[i].key, ac.rows[i].key_len);
		r->key_len = ac.rows[i].key_len;
		memcpy(r->n, x->n, sizeof(r->n));
		r->scanner = scanner;
	}
	free(ac.rows);
}

/*
 * auth-spread-guessing: per account, the failures from sources that stayed below the
 * threshold themselves (the others are auth-guessing or auth-break-in), when they come from
 * two sources or more and add up to the threshold. Pairs sorted by key are grouped by
 * account (the key starts with its length and bytes); its example is its earliest pair.
 */
static int cmp_aref_key(const void *p, const void *q)
{
	const struct aref *a = p, *b = q;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);

	return c ? c : (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

static void spread_guessing(struct analysis *a)
{
	unsigned threshold = a->o.scanner_threshold;
	struct acollect ac = { a->auth_pairs, xcalloc(topk_count(a->auth_pairs) + 1,
						     sizeof(*ac.rows)), 0 };

	if (threshold)
		topk_each(a->auth_pairs, collect_arow, &ac);
	if (ac.n)
		qsort(ac.rows, ac.n, sizeof(*ac.rows), cmp_aref_key);
	for (size_t i = 0; i < ac.n;) {
		size_t alen = ((size_t)(unsigned char)ac.rows[i].key[0] << 8) |
			      (unsigned char)ac.rows[i].key[1];
		const struct pair_row *first = NULL;
		uint64_t failures = 0, sources = 0;
		int64_t t0 = TIME_UNKNOWN, t1 = TIME_UNKNOWN;
		size_t j = i;
		for (; j < ac.n && ac.rows[j].key_len >= 2 + alen &&
		       memcmp(ac.rows[j].key, ac.rows[i].key, 2 + alen) == 0; j++) {
			const struct pair_row *p = ac.rows[j].x;
			const struct arow *s = topk_find(a->auth_src, ac.rows[j].key + 2 + alen,
							 ac.rows[j].key_len - 2 - alen);
			if (s && arow_failures(s) >= threshold)
				continue;
			failures += p->failures;
			sources++;
			span_add(&t0, &t1, p->first_time);
			span_add(&t0, &t1, p->last_time);
			if (!first || p->file < first->file ||
			    (p->file == first->file && p->line < first->line))
				first = p;
		}
		if (sources >= 2 && failures >= threshold) {
			struct pat_times *pt = &a->pt[PAT_AUTH_SPREAD_GUESSING];
			struct arow *acc = topk_find(a->auth_acc, ac.rows[i].key + 2, alen);
			span_add(&pt->first, &pt->last, t0);
			span_add(&pt->first, &pt->last, t1);
			if (acc) {
				/* its hours are those of the failures against the account */
				acc->spread = 1;
				pt->timed += acc->timed;
			}
			a->pat_count[PAT_AUTH_SPREAD_GUESSING]++;
			example_add(&a->ex[PAT_AUTH_SPREAD_GUESSING], a->o.examples,
				    ac.rows[i].key + 2, alen, first->file, first->line);
		}
		i = j;
	}
	free(ac.rows);
}

static int cmp_hour(const void *x, const void *y)
{
	const struct timeline_row *a = x, *b = y;

	return (a->hour > b->hour) - (a->hour < b->hour);
}

static void collect_hour(void *item, void *ctx)
{
	struct report *r = ctx;

	r->timeline[r->ntimeline++] = ((struct hour_row *)item)->t;
}

/* Severity first: one possible break-in matters more than fifty slow calls. Then the count,
 * then the pattern's order: deterministic. */
static void collect_fine(void *item, void *ctx)
{
	struct report *r = ctx;

	r->fine[r->nfine++] = ((struct hour_row *)item)->t;
}

static int cmp_problem(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return (int)a->pid - (int)b->pid;
}

/* The hours of the keys flagged at the end (key_hours) go to their problem's hours. */
static void collect_key_hour(void *item, void *ctx)
{
	struct analysis *a = ctx;
	size_t len;
	const char *k = topk_key(a->key_hours, item, &len);
	int64_t hour;
	enum pattern_id p = PAT_COUNT;

	memcpy(&hour, k + 1, sizeof(hour));
	const char *key = k + 1 + sizeof(hour);
	size_t n = len - 1 - sizeof(hour);
	if (k[0] == KH_CALL_SOURCE) {
		const struct source_stat *s = topk_find(a->sources, key, n);
		if (s && source_flagged(a, s))
			p = PAT_AUTH_SCANNER;
	} else if (k[0] == KH_AUTH_SOURCE) {
		const struct arow *x = topk_find(a->auth_src, key, n);
		if (x && a->o.scanner_threshold && arow_failures(x) >= a->o.scanner_threshold)
			p = x->n[AUTH_RES_OK] ? PAT_AUTH_BREAK_IN : PAT_AUTH_GUESSING;
	} else {
		const struct arow *x = topk_find(a->auth_acc, key, n);
		if (x && x->spread)
			p = PAT_AUTH_SPREAD_GUESSING;
	}
	if (p == PAT_COUNT)
		return;
	struct pat_times *pt = &a->pt[p];
	if (!pt->hours)
		pt->hours = topk_new(REPORT_PROBLEM_HOURS_CAP, sizeof(int64_t), NULL);
	int64_t *rec = topk_get(pt->hours, &hour, sizeof(hour));
	*rec = hour;
	/* what the entry gathered while listed: evicted entries are in neither table */
	topk_add(pt->hours, rec, topk_weight(item) - topk_error(item));
}

struct hour_collect {
	const struct topk *t;
	struct problem *pr;
	uint64_t listed;
};

static void collect_problem_hour(void *item, void *ctx)
{
	struct hour_collect *hc = ctx;
	struct problem_hour *h = &hc->pr->hours[hc->pr->nhours++];

	h->hour = *(const int64_t *)item;
	h->count = topk_weight(item) - topk_error(item);
	hc->listed += h->count;
}

static int cmp_problem_hour(const void *x, const void *y)
{
	const struct problem_hour *a = x, *b = y;

	return (a->hour > b->hour) - (a->hour < b->hour);
}

/* A problem's first and last time and its hours, in order. What had a time and is not in a
 * listed hour (evicted from a bounded table) is unlisted. */
static void problem_times(struct analysis *a, struct problem *pr)
{
	struct pat_times *pt = &a->pt[pr->pid];
	struct hour_collect hc = { pt->hours, pr, 0 };

	pr->first_time = pt->first;
	pr->last_time = pt->last;
	pr->nhours = 0;
	pr->hours = NULL;
	if (pt->hours && topk_count(pt->hours)) {
		pr->hours = xcalloc(topk_count(pt->hours), sizeof(*pr->hours));
		topk_each(pt->hours, collect_problem_hour, &hc);
		qsort(pr->hours, pr->nhours, sizeof(*pr->hours), cmp_problem_hour);
	}
	pr->hours_unlisted = pt->timed > hc.listed ? pt->timed - hc.listed : 0;
}

void analysis_finish(struct analysis *a, struct report *out)
{
	for (int l = 0; l < 3; l++)
		while (a->lists[l].head)
			settle(a, a->lists[l].head, SETTLED_END);

	struct report *r = &a->acc;
	struct scan_collect sc = { .a = a };
	topk_each(a->sources, collect_scanner, &sc);
	if (sc.n)
		qsort(sc.rows, sc.n, sizeof(*sc.rows), cmp_source_row);
	a->pat_count[PAT_AUTH_SCANNER] = sc.calls + a->scanner_ua_no_src;
	r->scanners = sc.rows;
	r->nscanners = sc.n;

	auth_table_of(a, a->auth_src, a->o.top, &r->auth.by_source, &r->auth.scanners);
	auth_table_of(NULL, a->auth_acc, a->o.top, &r->auth.by_account, NULL);
	spread_guessing(a);
	topk_each(a->key_hours, collect_key_hour, a);
	delays_of(&a->pdd, &r->pdd);
	delays_of(&a->ring, &r->ring_time);

	delays_of(&a->trying_delay, &r->trying_delay);
	delays_of(&a->proxy_delay, &r->proxy_auth.retry_delay);
	delays_of(&a->www_delay, &r->www_auth.retry_delay);
	delays_of(&a->srd, &r->kpi.srd);
	delays_of(&a->rrd, &r->kpi.rrd);
	delays_of(&a->duration, &r->kpi.duration);
	r->kpi.acd_us = a->duration.n ? a->duration_sum / (int64_t)a->duration.n : -1;

	uint64_t denom[PAT_COUNT] = {
		[PAT_STUCK_AFTER_100] = r->trying,
		[PAT_NO_FINAL_NO_100] = r->calls_total,
		[PAT_SLOW_SETUP] = a->pdd.n,
		[PAT_PROXY_AUTH_NOT_RETRIED] = r->proxy_auth.challenged,
		[PAT_PROXY_AUTH_REJECTED] = r->proxy_auth.retried,
		[PAT_WWW_AUTH_NOT_RETRIED] = r->www_auth.challenged,
		[PAT_WWW_AUTH_REJECTED] = r->www_auth.retried,
		[PAT_AUTH_SCANNER] = r->callids_total,
		[PAT_REQUEST_TIMEOUT] = a->calls_with_final,
		[PAT_SERVER_ERRORS] = a->calls_with_final,
		[PAT_GLOBAL_FAILURES] = a->calls_with_final,
		[PAT_AUTH_BREAK_IN] = r->auth.by_source.keys,
		[PAT_AUTH_GUESSING] = r->auth.by_source.keys,
		[PAT_AUTH_SPREAD_GUESSING] = r->auth.by_account.keys,
	};
	r->nproblems = 0;
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!a->pat_count[p])
			continue;
		struct problem *pr = &r->problems[r->nproblems++];
		pr->pid = (enum pattern_id)p;
		pr->severity = knowledge_pattern(pr->pid)->severity;
		if (p == PAT_AUTH_SCANNER)
			pr->severity = sc.got_in + a->scanner_ua_no_src_ok ? SEV_CRITICAL : SEV_LOW;
		pr->count = a->pat_count[p];
		problem_times(a, pr);
		pr->denominator = denom[p] > pr->count ? denom[p] : pr->count;
		pr->nexamples = a->ex[p].n;
		if (a->ex[p].n)
			memcpy(pr->examples, a->ex[p].e, a->ex[p].n * sizeof(struct example));
		a->ex[p].n = 0;	/* ownership of the strings moves to the report */
	}
	qsort(r->problems, r->nproblems, sizeof(r->problems[0]), cmp_problem);

	r->source_keys = topk_count(a->sources);
	r->source_unlisted = topk_unlisted(a->sources);
	breakdown_of(a->by_source, a->o.top, &r->by_source);
	breakdown_of(a->by_ua, a->o.top, &r->by_ua);
	breakdown_of(a->by_dest, a->o.top, &r->by_dest);
	hop_table_of(a->hops, a->o.top, &r->by_hop);
	r->top = a->o.top;
	size_t nhours = topk_count(a->hours);
	r->timeline = nhours ? xcalloc(nhours, sizeof(*r->timeline)) : NULL;
	r->ntimeline = 0;
	topk_each(a->hours, collect_hour, r);
	r->timeline_unlisted = topk_unlisted(a->hours);
	if (r->ntimeline)
		qsort(r->timeline, r->ntimeline, sizeof(*r->timeline), cmp_hour);
	size_t nfine = topk_count(a->fine);
	r->fine_over = nfine > REPORT_FINE_CAP;
	r->fine = nfine && !r->fine_over ? xcalloc(nfine, sizeof(*r->fine)) : NULL;
	r->nfine = 0;
	if (r->fine) {
		topk_each(a->fine, collect_fine, r);
		qsort(r->fine, r->nfine, sizeof(*r->fine), cmp_hour);
	}

	r->examples = a->o.examples;
	r->call_timeout_s = a->o.call_timeout_s;
	r->session_timeout_s = a->o.session_timeout_s;
	r->slow_setup_s = a->o.slow_setup_s;
	r->scanner_threshold = a->o.scanner_threshold;
	r->max_calls = a->o.max_calls;

	/* hand the accumulated model over; files and run are the caller's */
	struct report_file *files = out->files;
	size_t nfiles = out->nfiles;
	*out = *r;
	out->files = files;
	out->nfiles = nfiles;
	memset(r, 0, sizeof(*r));
}

void report_set_gives(struct report *r)
{
	unsigned gives = 0;

	for (size_t i = 0; i < r->nfiles; i++)
		if (r->files[i].records && r->files[i].format)
			gives |= r->files[i].gives;
	r->not_in_log = gives ? GIVES_ALL & ~gives : 0;
	r->auth_log = (gives & GIVES_AUTH) != 0;
}

int report_pattern_given(const struct report *r, enum pattern_id pid)
{
	unsigned given = GIVES_ALL & ~r->not_in_log;

	for (size_t i = 0; i < r->nproblems; i++)
		if (r->problems[i].pid == pid)
			return 1;
	switch (pid) {
	case PAT_STUCK_AFTER_100:
		return (given & GIVES_PROVISIONAL) != 0;
	case PAT_SLOW_SETUP:	/* the INVITE's time, and the 18x that ends the delay */
	case PAT_NO_FINAL_NO_100:
		return (given & GIVES_REQUESTS) && (given & GIVES_PROVISIONAL);
	case PAT_PROXY_AUTH_NOT_RETRIED:
	case PAT_PROXY_AUTH_REJECTED:
	case PAT_WWW_AUTH_NOT_RETRIED:
	case PAT_WWW_AUTH_REJECTED:
		return (given & GIVES_CHALLENGES) != 0;
	case PAT_AUTH_SCANNER:	/* unanswered challenges, or a scanner's User-Agent */
		return (given & (GIVES_CHALLENGES | GIVES_REQUESTS)) != 0;
	case PAT_REQUEST_TIMEOUT:
	case PAT_SERVER_ERRORS:
	case PAT_GLOBAL_FAILURES:
		return (given & GIVES_FINALS) != 0;
	case PAT_AUTH_BREAK_IN:
	case PAT_AUTH_GUESSING:
	case PAT_AUTH_SPREAD_GUESSING:
		return r->auth_log;
	case PAT_COUNT:
		break;
	}
	return 0;
}

void report_release(struct report *r)
{
	baseline_free(r->baseline);
	r->baseline = NULL;
	for (size_t i = 0; i < r->nfiles; i++) {
		free(r->files[i].path);
		free(r->files[i].error);
		free(r->files[i].note);
	}
	free(r->files);
	for (size_t p = 0; p < r->nproblems; p++) {
		for (size_t i = 0; i < r->problems[p].nexamples; i++)
			free(r->problems[p].examples[i].call_id);
		free(r->problems[p].hours);
	}
	for (size_t i = 0; i < r->nscanners; i++) {
		free(r->scanners[i].addr);
		free(r->scanners[i].ua);
	}
	free(r->scanners);
	struct breakdown *bd[] = { &r->by_source, &r->by_ua, &r->by_dest };
	for (int k = 0; k < 3; k++) {
		for (size_t i = 0; i < bd[k]->n; i++)
			free(bd[k]->rows[i].key);
		free(bd[k]->rows);
	}
	for (size_t i = 0; i < r->by_hop.n; i++)
		free(r->by_hop.rows[i].key);
	free(r->by_hop.rows);
	free(r->timeline);
	free(r->fine);
	struct auth_table *at[] = { &r->auth.by_source, &r->auth.by_account };
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < at[k]->n; i++)
			free(at[k]->rows[i].key);
		free(at[k]->rows);
	}
	memset(r, 0, sizeof(*r));
}
