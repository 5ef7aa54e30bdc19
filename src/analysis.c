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
	struct auth_state pa, wa;
	char *strs;			/* src, ua, dest one after the other (call_str()) */
	uint32_t first_file;
	uint32_t trying_cseq;
	uint32_t key_len;
	uint16_t flags;
	uint16_t final_code, out_code, chal_code;
	uint16_t reg_code;		/* REGISTER: first final that is not a challenge */
	uint16_t src_len;		/* normalised source address of the first request */
	uint16_t ua_len;		/* the first User-Agent */
	uint16_t dest_len;		/* user@host of the first INVITE's request URI */
	uint8_t list;			/* which idle list */
	uint8_t imethod;		/* initial method (enum sip_method), for the outcome */
	uint8_t trying_state;		/* 0 no 100 yet, 1 waiting for final, 2 final seen */
	uint8_t answered, byed;
	char key[];
};

/* Each of a call's strings is kept up to this many bytes (a bounded record per call). */
#define CALL_STR_MAX 256

enum call_str { STR_SRC, STR_UA, STR_DEST };

static struct str call_str(const struct call *c, enum call_str which)
{
	size_t off = 0, n = which == STR_SRC ? c->src_len : which == STR_UA ? c->ua_len : c->dest_len;

	if (!n)
		return (struct str){ NULL, 0 };
	if (which >= STR_UA)
		off += c->src_len;
	if (which == STR_DEST)
		off += c->ua_len;
	return (struct str){ c->strs + off, n };
}

/* Set one of the call's strings (each is set once): the three are copied into a new block. */
static void call_set_str(struct call *c, enum call_str which, const char *p, size_t n)
{
	size_t len[3] = { c->src_len, c->ua_len, c->dest_len };
	struct str old[3] = { call_str(c, STR_SRC), call_str(c, STR_UA), call_str(c, STR_DEST) };

	if (n > CALL_STR_MAX)
		n = CALL_STR_MAX;
	len[which] = n;
	old[which] = (struct str){ p, n };
	char *s = xmalloc(len[0] + len[1] + len[2]), *w = s;
	for (int i = 0; i < 3; i++) {
		if (len[i])
			memcpy(w, old[i].p, len[i]);
		w += len[i];
	}
	free(c->strs);
	c->strs = s;
	c->src_len = (uint16_t)len[0];
	c->ua_len = (uint16_t)len[1];
	c->dest_len = (uint16_t)len[2];
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

/* Authentication records of one source address or account, by result, and where its first
 * record (since it entered the table) is: the example a problem shows. */
struct arow {
	uint64_t n[AUTH_RES_COUNT];
	uint32_t file;
	uint64_t line;			/* 0 until its first record */
};

/* Failed authentications of one account from one source, for auth-spread-guessing: the key
 * is the account's length (2 bytes), the account, then the source. */
struct pair_row {
	uint64_t failures;
	uint32_t file;
	uint64_t line;			/* of its first failure */
};

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
	int64_t duration_sum;
	struct example_set ex[PAT_COUNT];
	uint64_t pat_count[PAT_COUNT];
	uint64_t calls_with_final, finals_after_100;
	uint64_t scanner_ua_no_src;
	struct topk *by_source, *by_ua, *by_dest;	/* struct brow, weighed in attempts */
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

static void fold_source(struct analysis *a, const struct call *c)
{
	uint64_t unanswered = (c->pa.challenged && !c->pa.retried) +
			      (c->wa.challenged && !c->wa.retried);

	if (!c->src_len) {
		if (c->flags & CALL_SCANNER_UA) {
			a->scanner_ua_no_src++;
			example_add(&a->ex[PAT_AUTH_SCANNER], a->o.examples, c->key, c->key_len,
				    c->first_file, c->first_line);
		}
		return;
	}
	struct str src = call_str(c, STR_SRC);
	struct source_stat *s = topk_get(a->sources, src.p, src.n);
	s->calls++;
	s->unanswered += unanswered;
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

static void btab_add(struct topk *t, const char *key, size_t n, int outcome, int auth_failed)
{
	struct brow *r = topk_get(t, key, n);

	r->attempts++;
	if (outcome >= 200 && outcome < 300) {
		r->answered++;
	} else {
		r->failed++;
		int i;
		for (i = 0; i < r->ncodes && r->codes[i] != outcome; i++)
			;
		if (i == r->ncodes && r->ncodes < BROW_CODES) {
			r->codes[r->ncodes] = outcome;
			r->ncodes++;
		}
		if (i < r->ncodes)
			r->code_n[i]++;
	}
	r->auth_failed += (uint64_t)auth_failed;
	topk_add(t, r, 1);
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

	int64_t t = c->flags & CALL_INV_REQ ? c->first_inv : c->first_reg;
	if (t == TIME_UNKNOWN)
		return;
	/* per hour, and per 5 minutes for the chart of a short window (report.h) */
	static const int64_t span[2] = { 3600LL * 1000000, REPORT_FINE_US };
	struct topk *tl[2] = { a->hours, a->fine };
	for (int k = 0; k < 2; k++) {
		int64_t start = t - ((t % span[k]) + span[k]) % span[k];
		struct hour_row *r = topk_get(tl[k], &start, sizeof(start));
		r->t.hour = start;
		r->t.attempts++;
		if (outcome >= 200 && outcome < 300)
			r->t.answered++;
		else
			r->t.failed++;
		r->t.challenged += c->pa.challenged || c->wa.challenged;
		r->t.auth_failed += auth_failed > 0;
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
	};
	a->o.call_fn(a->o.call_ctx, &cs);
}

static void settle(struct analysis *a, struct call *c, enum settle_reason why)
{
	struct report *r = &a->acc;

	list_unlink(a, c);
	htab_del(a->calls, c->key, c->key_len, htab_hash(a->calls, c->key, c->key_len));
	if (c->flags & CALL_COUNTED) {
		r->calls_total++;
		if (why == SETTLED_IDLE)
			r->calls_evicted_idle++;
		else if (why == SETTLED_LIMIT)
			r->calls_settled_early++;
		else
			r->calls_open_at_end++;
	}
	if (c->flags & CALL_INVITE)
		r->calls_invite++;
	if (c->flags & CALL_REGISTER)
		r->calls_register++;

	if (c->trying_state) {
		r->trying++;
		if (c->trying_state == 2) {
			r->by_final[c->final_code]++;
			a->finals_after_100++;
			if (c->final_delay >= 0) {
				int k = 0;
				while (k < REPORT_HIST - 1 &&
				       c->final_delay >= (int64_t)report_hist_upper_ms[k] * 1000)
					k++;
				r->trying_hist[k]++;
				dist_add(&a->trying_delay, c->final_delay);
				if (c->final_delay > a->slow_us)
					pattern_hit(a, PAT_SLOW_SETUP, c);
			}
		} else {
			r->stuck++;
			pattern_hit(a, PAT_STUCK_AFTER_100, c);
		}
	}
	if ((c->flags & CALL_INV_REQ) && !(c->flags & CALL_INV_RESP))
		pattern_hit(a, PAT_NO_FINAL_NO_100, c);

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
	fold_source(a, c);
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
		}
		x->n[ev->auth_result]++;
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
			}
			p->failures++;
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

static void apply(struct call *c, const struct event *ev)
{
	enum sip_method m = ev->status ? ev->cseq_method : ev->method;

	if (opens_call(m)) {
		c->flags |= CALL_COUNTED;
		if (c->imethod == METHOD_NONE)
			c->imethod = m;
	}
	if (m == METHOD_INVITE)
		c->flags |= CALL_INVITE;
	else if (m == METHOD_REGISTER)
		c->flags |= CALL_REGISTER;

	if (!ev->status) {
		if (ev->method == METHOD_INVITE) {
			if (!(c->flags & CALL_INV_REQ))
				c->first_inv = ev->time_us;
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
		if (code > 100 && !challenge && !(c->flags & CALL_SRD)) {
			c->flags |= CALL_SRD;
			c->srd_time = ev->time_us;
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
			c->flags &= (uint16_t)~CALL_EARLY_FINAL;
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
			c->flags &= (uint16_t)~CALL_RINGING;
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

void analysis_event(void *ctx, const struct event *ev)
{
	struct analysis *a = ctx;
	struct report *r = &a->acc;

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
		a->now = ev->time_us;
		evict_idle(a, ev->time_us);
	}

	if (ev->auth_result) {
		auth_record(a, ev);
		if (!ev->status && ev->method == METHOD_NONE)
			return;
	}

	uint64_t h = htab_hash(a->calls, ev->callid.p, ev->callid.n);
	struct call *c = htab_get(a->calls, ev->callid.p, ev->callid.n, h);
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
		c->first_inv = c->first_reg = TIME_UNKNOWN;
		htab_put(a->calls, c->key, c->key_len, h, c);
		list_append(a, c, 0);
		size_t n = htab_count(a->calls);
		if (n > r->calls_peak)
			r->calls_peak = n;
	}
	c->last_time = a->now;
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
	random_seed(seed, sizeof(seed));
	a->calls = htab_new(seed);
	a->sources = topk_new(REPORT_SOURCES_CAP, sizeof(struct source_stat), free_source);
	a->by_source = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_ua = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_dest = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->hours = topk_new(REPORT_HOURS_CAP, sizeof(struct hour_row), NULL);
	/* one bucket more than kept: a full table that evicts is a window longer than a day */
	a->fine = topk_new(REPORT_FINE_CAP + 1, sizeof(struct hour_row), NULL);
	a->auth_src = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct arow), NULL);
	a->auth_acc = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct arow), NULL);
	a->auth_pairs = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct pair_row), NULL);
	if (!a->o.top)
		a->o.top = 10;
	if (!a->o.max_calls)
		a->o.max_calls = ANALYSIS_MAX_CALLS;
	a->now = TIME_UNKNOWN;
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
	topk_free(a->hours);
	topk_free(a->fine);
	topk_free(a->auth_src);
	topk_free(a->auth_acc);
	topk_free(a->auth_pairs);
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
};

static void collect_scanner(void *item, void *ctx)
{
	struct source_stat *s = item;
	struct scan_collect *sc = ctx;
	struct analysis *a = sc->a;

	if (!s->scanner_ua && s->unanswered < a->o.scanner_threshold)
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
	const struct brow *b;
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

	x->b = item;
	x->key = topk_key(bc->t, item, &x->key_len);
}

static int cmp_brow(const void *x, const void *y)
{
	const struct bref *a = x, *b = y;

	if (a->b->attempts != b->b->attempts)
		return a->b->attempts > b->b->attempts ? -1 : 1;
	size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
	int c = memcmp(a->key, b->key, n);
	if (c)
		return c;
	return (a->key_len > b->key_len) - (a->key_len < b->key_len);
}

/* The top rows of a breakdown, most attempts first (ties by key: deterministic). */
static void breakdown_of(const struct topk *t, unsigned top, struct breakdown *out)
{
	struct bcollect bc = { t, xcalloc(topk_count(t) + 1, sizeof(*bc.rows)), 0 };

	topk_each(t, collect_brow, &bc);
	if (bc.n)
		qsort(bc.rows, bc.n, sizeof(*bc.rows), cmp_brow);
	out->keys = topk_count(t);
	out->unlisted = topk_unlisted(t);
	out->n = bc.n < top ? bc.n : top;
	out->rows = out->n ? xcalloc(out->n, sizeof(*out->rows)) : NULL;
	for (size_t i = 0; i < out->n; i++) {
		const struct brow *b = bc.rows[i].b;
		struct breakdown_row *r = &out->rows[i];
		r->key = xstrndup(bc.rows[i].key, bc.rows[i].key_len);
		r->key_len = bc.rows[i].key_len;
		r->attempts = b->attempts;
		r->answered = b->answered;
		r->failed = b->failed;
		r->auth_failed = b->auth_failed;
		/* the most frequent failure codes (ties: lower code first) */
		int used[BROW_CODES] = {0};
		for (int k = 0; k < REPORT_ROW_CODES; k++) {
			int best = -1;
			for (int j = 0; j < b->ncodes; j++) {
				if (used[j])
					continue;
				if (best < 0 || b->code_n[j] > b->code_n[best] ||
				    (b->code_n[j] == b->code_n[best] && b->codes[j] < b->codes[best]))
					best = j;
			}
			if (best < 0)
				break;
			used[best] = 1;
			r->codes[r->ncodes] = b->codes[best];
			r->code_n[r->ncodes] = b->code_n[best];
			r->ncodes++;
		}
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
			if (!first || p->file < first->file ||
			    (p->file == first->file && p->line < first->line))
				first = p;
		}
		if (sources >= 2 && failures >= threshold) {
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

static void collect_fine(void *item, void *ctx)
{
	struct report *r = ctx;

	r->fine[r->nfine++] = ((struct hour_row *)item)->t;
}

static int cmp_problem(const void *x, const void *y)
{
	const struct problem *a = x, *b = y;
	uint64_t wa = a->count * (uint64_t)knowledge_pattern(a->pid)->severity;
	uint64_t wb = b->count * (uint64_t)knowledge_pattern(b->pid)->severity;

	if (wa != wb)
		return wa > wb ? -1 : 1;
	return (int)a->pid - (int)b->pid;
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

	delays_of(&a->trying_delay, &r->trying_delay);
	delays_of(&a->proxy_delay, &r->proxy_auth.retry_delay);
	delays_of(&a->www_delay, &r->www_auth.retry_delay);
	delays_of(&a->srd, &r->kpi.srd);
	delays_of(&a->rrd, &r->kpi.rrd);
	delays_of(&a->duration, &r->kpi.duration);
	r->kpi.acd_us = a->duration.n ? a->duration_sum / (int64_t)a->duration.n : -1;

	uint64_t denom[PAT_COUNT] = {
		[PAT_STUCK_AFTER_100] = r->trying,
		[PAT_NO_FINAL_NO_100] = r->calls_invite,
		[PAT_SLOW_SETUP] = a->finals_after_100,
		[PAT_PROXY_AUTH_NOT_RETRIED] = r->proxy_auth.challenged,
		[PAT_PROXY_AUTH_REJECTED] = r->proxy_auth.retried,
		[PAT_WWW_AUTH_NOT_RETRIED] = r->www_auth.challenged,
		[PAT_WWW_AUTH_REJECTED] = r->www_auth.retried,
		[PAT_AUTH_SCANNER] = r->calls_total,
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
		pr->count = a->pat_count[p];
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
	case PAT_SLOW_SETUP:
		return (given & GIVES_PROVISIONAL) != 0;
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
	for (size_t p = 0; p < r->nproblems; p++)
		for (size_t i = 0; i < r->problems[p].nexamples; i++)
			free(r->problems[p].examples[i].call_id);
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
