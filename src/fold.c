/*
 * fold.c - settled calls into aggregates: KPIs, delays, problems, breakdowns, hours, next hops,
 * sources; authentication records; merging folds (see fold.h).
 *
 * Determinism: every aggregate is a sum, a multiset (dist), a min/max, a "smallest positions"
 * set (examples), or a figure computed from the whole set at the end (the next hop from all
 * votes, the peak of open Call-IDs from all calls), so neither the order in which calls
 * settle nor the fold they settle into changes it. The tables keyed by strings from the log
 * are bounded: they are fed by the ordered pass alone (fold_ordered()), in one order.
 */
#include "fold.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* The start of the hour that t falls in: the buckets of the per-hour timeline, and of the
 * hours each problem appeared in (one function, so that both always agree). */
static int64_t hour_of(int64_t t)
{
	/* the zone's wall-clock hour (tz.h): a 30-minute zone has its own boundaries, the day
	 * the clocks go back has two rows for the repeated hour */
	return tz_hour_start(t);
}

/* Count w things of pattern p at time t in its first/last time and its hours. */
static void pattern_time(struct fold *a, enum pattern_id p, int64_t t, uint64_t w)
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
static void key_hour_add(struct fold *a, enum key_hour_kind kind, const char *key, size_t n,
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
void example_add(struct example_set *s, unsigned max, const char *id, size_t len,
			uint32_t file, uint64_t line)
{
	size_t i = s->n;

	while (i > 0 && (s->e[i - 1].file > file ||
			 (s->e[i - 1].file == file && s->e[i - 1].line > line)))
		i--;
	if (i >= max)
		return;
	if (s->n == max) {
		free(s->e[max - 1].call_id);
		s->n--;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? (s->cap * 2 < max ? s->cap * 2 : max) : (max < 4 ? max : 4);
		s->e = xrealloc(s->e, s->cap * sizeof(*s->e));
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
	s->n = s->cap = 0;
}

/* the call's problems (c->problems, its --calls-ndjson row) are a 16-bit set */
_Static_assert(PAT_COUNT <= 16, "struct call problems holds one bit per pattern");

static void pattern_hit(struct fold *a, enum pattern_id p, struct call *c)
{
	c->problems |= (uint16_t)(1u << p);
	a->pat_count[p]++;
	pattern_time(a, p, c->start_time, 1);
	example_add(&a->ex[p], a->o.examples, c->key, c->key_len, c->first_file, c->first_line);
}

static void fold_auth(struct fold *a, struct call *c, const struct auth_state *s,
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
static void fold_source(struct fold *a, const struct call *c, int outcome)
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
		if (ua.n && (!s->ua || c->first_file < s->ua_file ||
			     (c->first_file == s->ua_file && c->first_line < s->ua_line))) {
			free(s->ua);
			s->ua = xstrndup(ua.p, ua.n);
			s->ua_len = ua.n;
			s->ua_file = c->first_file;
			s->ua_line = c->first_line;
		}
	}
	example_add(&s->ex, a->o.examples, c->key, c->key_len, c->first_file, c->first_line);
	topk_add(a->sources, s, 1);
}

/* Count n calls of a failure code in a row's list (up to BROW_CODES different codes; merging
 * rows adds theirs). */
static void code_add(int *codes, uint64_t *code_n, int *ncodes, int code, uint64_t n)
{
	int i;

	for (i = 0; i < *ncodes && codes[i] != code; i++)
		;
	if (i == *ncodes && *ncodes < BROW_CODES) {
		codes[*ncodes] = code;
		(*ncodes)++;
	}
	if (i < *ncodes)
		code_n[i] += n;
}

static void code_count(int *codes, uint64_t *code_n, int *ncodes, int code)
{
	code_add(codes, code_n, ncodes, code, 1);
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
 * more likely the proxy's own 100). The votes of every call decide (resolve_hops()).
 */

/* Whether the votes make addr the proxy's own: more signs than half the calls it
 * answered (an address that left the bounded table has no votes: not the proxy). */
static int is_proxy(struct fold *a, struct str addr)
{
	const struct hop_vote *v = topk_find(a->hop_votes, addr.p, addr.n);

	return v && v->proxy * 2 > v->calls;
}

static void hop_vote(struct fold *a, struct str addr, int signs)
{
	struct hop_vote *v = topk_get(a->hop_votes, addr.p, addr.n);

	v->calls++;
	v->proxy += (uint64_t)signs;
	topk_add(a->hop_votes, v, 1);
}

/* A slow setup: the post-dial delay is above --slow-setup (the slow-setup problem's rule). */
static int slow_setup(const struct fold *a, const struct call *c)
{
	int64_t pdd = (c->flags & CALL_INV_REQ) && (c->flags & CALL_SETUP) ?
		      delta(c->setup_time, c->pdd_start) : -1;

	return pdd >= 0 && pdd > a->slow_us;
}

static void hrow_add(struct hrow *r, const struct call *c, int outcome)
{
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
}

/*
 * The next-hop table, one settled INVITE attempt at a time: its votes, and its figures under
 * its candidate hops - the first two responders that are neither the caller nor the relay,
 * each as two length bytes and the address. Which candidate is the hop is decided at the
 * end, from every call's votes (resolve_hops()), so that no call is judged on the votes of
 * the calls that happened to settle before it.
 */
static void fold_hop(struct fold *a, const struct call *c, int outcome)
{
	if (!(c->flags & CALL_INV_REQ))
		return;
	struct str src = call_str(c, STR_SRC), relay = call_str(c, STR_RELAY);
	struct str h[2] = { call_str(c, STR_HOP1), call_str(c, STR_HOP2) };
	int both_trying = (c->hop_flags & (HOP1_TRYING | HOP2_TRYING)) == (HOP1_TRYING | HOP2_TRYING);
	int proxy[2] = { both_trying + ((c->hop_flags & HOP1_CHAL) != 0),
			 (c->hop_flags & HOP2_CHAL) != 0 };
	unsigned char key[2 * (2 + CALL_STR_MAX)];
	size_t n = 0;
	int kept = 0;

	if (relay.n)
		hop_vote(a, relay, 1);
	for (int i = 0; i < 2; i++) {
		int keep = h[i].n && !str_eq(h[i], src) && !str_eq(h[i], relay);
		size_t len = keep ? h[i].n : 0;
		if (keep) {
			hop_vote(a, h[i], proxy[i]);
			kept = 1;
		}
		key[n++] = (unsigned char)(len >> 8);
		key[n++] = (unsigned char)len;
		if (len)
			memcpy(key + n, h[i].p, len);
		n += len;
	}
	if (!kept) {
		a->acc.by_hop.no_hop++;
		return;
	}
	struct hrow *r = topk_get(a->hop_cands, key, n);
	hrow_add(r, c, outcome);
	r->slow += slow_setup(a, c);
	topk_add(a->hop_cands, r, 1);
}

static void merge_hrow(void *into, const void *from, void *ctx)
{
	struct hrow *d = into;
	const struct hrow *f = from;

	(void)ctx;
	d->attempts += f->attempts;
	d->answered += f->answered;
	d->stuck += f->stuck;
	d->timeout += f->timeout;
	d->server_err += f->server_err;
	d->slow += f->slow;
	for (int i = 0; i < f->ncodes; i++)
		code_add(d->codes, d->code_n, &d->ncodes, f->codes[i], f->code_n[i]);
	if (f->srd_n && (!d->srd_n || f->srd_max > d->srd_max))
		d->srd_max = f->srd_max;
	d->srd_n += f->srd_n;
	d->srd_sum += f->srd_sum;
}

/*
 * Of a call's candidates, the later that the votes do not make the proxy's; the earlier,
 * where both remain, is more likely the proxy's own 100 (see above).
 */
static void resolve_one(void *rec, void *ctx)
{
	struct fold *a = ctx;
	size_t len, n1, n2;
	const unsigned char *k = (const unsigned char *)topk_key(a->hop_cands, rec, &len);
	const struct hrow *r = rec;

	n1 = (size_t)k[0] << 8 | k[1];
	n2 = (size_t)k[2 + n1] << 8 | k[3 + n1];
	struct str h[2] = { { (const char *)k + 2, n1 }, { (const char *)k + 4 + n1, n2 } };
	for (int i = 1; i >= 0; i--) {
		if (h[i].n && !is_proxy(a, h[i])) {
			struct hrow *d = topk_get(a->hops, h[i].p, h[i].n);
			merge_hrow(d, r, NULL);
			topk_add(a->hops, d, topk_weight(rec) - topk_error(rec));
			return;
		}
	}
	a->acc.by_hop.no_hop += r->attempts;
}

void fold_resolve_hops(struct fold *a)
{
	topk_each(a->hop_cands, resolve_one, a);
}

/* Breakdowns and the timeline of one settled attempt. */
static void fold_breakdowns(struct fold *a, const struct call *c, int outcome)
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
static void fold_hour(struct fold *a, const struct call *c, int outcome)
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
			if (outcome >= 200 && outcome < 300) {
				r->t.answered++;
			} else {
				r->t.failed++;
				code_count(r->codes, r->code_n, &r->ncodes, outcome);
			}
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
static void fold_kpis(struct fold *a, const struct call *c, int outcome)
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

/* A counted call in a by-host row (report.h struct host_row). */
static void row_add(struct host_row *r, const struct call *c, int outcome, int shared)
{
	r->callids++;
	r->shared += (uint64_t)shared;
	r->not_retried += (uint64_t)((c->pa.challenged && !c->pa.retried) ||
				     (c->wa.challenged && !c->wa.retried));
	if (c->flags & CALL_INVITE) {
		r->calls++;
		if (outcome >= 200 && outcome < 300)
			r->answered++;
		else
			r->failed++;
	} else if (c->flags & CALL_REGISTER) {
		r->registrations++;
	}
	r->stuck += c->trying_state == 1;
}

/* A call in the row of every host that logged it. */
static void fold_hosts(struct fold *a, const struct call *c, int outcome)
{
	int shared = (c->hosts & (c->hosts - 1)) != 0;

	for (unsigned h = 0; h < a->o.hosts; h++)
		if (c->hosts >> h & 1)
			row_add(&a->acc.hosts[h], c, outcome, shared);
}

/* The call figures of row y added to x's (their names and inputs are the caller's). */
static void row_merge(struct host_row *x, const struct host_row *y)
{
	x->callids += y->callids;
	x->calls += y->calls;
	x->shared += y->shared;
	x->answered += y->answered;
	x->failed += y->failed;
	x->stuck += y->stuck;
	x->not_retried += y->not_retried;
	x->registrations += y->registrations;
}

static enum auth_outcome auth_outcome_of(const struct auth_state *s)
{
	if (!s->challenged)
		return AUTH_NONE;
	if (!s->retried)
		return AUTH_NOT_RETRIED;
	return s->rechallenged ? AUTH_RECHALLENGED : AUTH_ACCEPTED;
}

static void emit_summary(struct fold *a, const struct call *c, int outcome,
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
		.kind = c->flags & CALL_INVITE ? KIND_CALL : c->flags & CALL_REGISTER ?
			KIND_REGISTRATION : c->flags & CALL_OPTIONS ? KIND_OPTIONS : KIND_OTHER,
		.acc = (c->flags & CALL_ACC) != 0,
		.open_first = c->open_first, .open_last = c->open_last,
		.trying_time = c->trying_state ? c->trying_time : TIME_UNKNOWN,
		.ring_time = c->flags & CALL_RANG ? c->setup_time : TIME_UNKNOWN,
		/* setup ended with the final, or the final ended the ringing (callstate.c) */
		.final_time = !(c->flags & CALL_SETUP) ? TIME_UNKNOWN :
			      !(c->flags & CALL_RANG) ? c->setup_time :
			      c->flags & CALL_RING_END ? c->ring_end : TIME_UNKNOWN,
		.final_code = c->out_code, .attempt = (c->flags & CALL_INV_REQ) != 0,
		.answered = c->answered,
		.proxy_challenges = c->pa.challenges, .proxy_retries = c->pa.retries,
		.www_challenges = c->wa.challenges, .www_retries = c->wa.retries,
		.problems = c->problems, .hosts = c->hosts,
		.from_user = call_str(c, STR_FROM), .to_user = call_str(c, STR_TO),
	};
	/* the addresses fold_hop() chooses the next hop from: the caller's and the relay's
	 * are not candidates */
	struct str src = call_str(c, STR_SRC), relay = call_str(c, STR_RELAY);
	int nh = 0;
	for (int i = 0; i < 2; i++) {
		struct str h = call_str(c, i ? STR_HOP2 : STR_HOP1);
		if ((c->flags & CALL_INV_REQ) && h.n && !str_eq(h, src) && !str_eq(h, relay))
			cs.hop[nh++] = h;
	}
	a->o.call_fn(a->o.call_ctx, &cs);
}

/*
 * Fold a settled call c (out of its shard) into a: the figures of its whole life and its
 * problems. The tables keyed by strings from the log and its row wait for the ordered pass
 * (fold_ordered()): c goes on a->settled.
 */
void fold_call(struct fold *a, struct call *c, enum settle_reason why)
{
	struct report *r = &a->acc;

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
		/* by message number only while no Call-ID had a time: then the time is used */
		if (c->open_first != TIME_UNKNOWN) {
			peak_add(&a->open_time, c->open_first / 1000000, c->open_last / 1000000);
			peak_release(&a->open_seq);
		} else if (!a->open_time.n) {
			peak_add(&a->open_seq, (int64_t)c->first_seq, (int64_t)c->last_seq);
		}
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
	fold_hour(a, c, outcome);
	if (slow_setup(a, c))
		r->slow_by_outcome[outcome < REPORT_CODES ? outcome : 0]++;
	if (outcome) {
		a->calls_with_final++;
		if (outcome == 408)
			pattern_hit(a, PAT_REQUEST_TIMEOUT, c);
		else if (outcome >= 500 && outcome < 600)
			pattern_hit(a, PAT_SERVER_ERRORS, c);
		else if (outcome >= 600)
			pattern_hit(a, PAT_GLOBAL_FAILURES, c);
	}
	if (c->flags & CALL_COUNTED)
		row_add(&a->own, c, outcome, 0);
	if (r->hosts && (c->flags & CALL_COUNTED)) {
		fold_hosts(a, c, outcome);
		r->callids_shared += (c->hosts & (c->hosts - 1)) != 0;
	}
	/* the tables keyed by strings from the log, and the row, wait for the ordered pass */
	c->outcome = (uint16_t)outcome;
	c->why = (uint8_t)why;
	settled_push(&a->settled, c);
}

/*
 * The ordered pass, one settled call at a time (src/analysis.c calls it in the order of
 * first messages, whatever thread settled the call): the tables keyed by strings from the
 * log, which are bounded and so depend on the order they are fed in, and the call's row.
 */
void fold_ordered(struct fold *a, struct call *c)
{
	fold_breakdowns(a, c, c->outcome);
	fold_hop(a, c, c->outcome);
	if (a->o.call_fn && (c->flags & CALL_COUNTED))
		emit_summary(a, c, c->outcome, (enum settle_reason)c->why);
	fold_source(a, c, c->outcome);
	call_free(c);
}

/* ---- authentication records */

/*
 * An authentication record (event.h auth_result) says how one authentication ended, not which
 * messages carried it: it is counted by source address and by account, and never enters the
 * call table (its Call-ID, when it has one, opened no call that the log shows).
 */
void fold_auth_record(struct fold *a, const struct event *ev)
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

/* The message figures (totals, the time range) of one event that counts in the window. */
void fold_count_event(struct report *r, const struct event *ev)
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

/* ---- construction and the final model */

/* What a source's record owns (topk.h calls it when the record leaves the table). */
static void free_source(void *rec)
{
	struct source_stat *s = rec;

	example_set_release(&s->ex);
	free(s->ua);
}

struct fold *fold_new(const struct analysis_opts *o)
{
	struct fold *a = xcalloc(1, sizeof(*a));

	a->o = *o;
	a->call_timeout_us = (int64_t)(a->o.call_timeout_s * 1e6);
	a->ring_timeout_us = (int64_t)(a->o.ring_timeout_s * 1e6);
	a->session_timeout_us = (int64_t)(a->o.session_timeout_s * 1e6);
	a->slow_us = (int64_t)(a->o.slow_setup_s * 1e6);
	a->sources = topk_new(REPORT_SOURCES_CAP, sizeof(struct source_stat), free_source);
	a->by_source = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_ua = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->by_dest = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct brow), NULL);
	a->hop_cands = topk_new(REPORT_BREAKDOWN_CAP, sizeof(struct hrow), NULL);
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
	a->acc.since = a->o.since;
	a->acc.until = a->o.until;
	if (a->o.hosts) {
		a->acc.hosts = xcalloc(a->o.hosts, sizeof(*a->acc.hosts));
		a->acc.nhosts = a->o.hosts;
	}
	return a;
}

void fold_free(struct fold *a)
{
	if (!a)
		return;
	topk_free(a->sources);
	topk_free(a->by_source);
	topk_free(a->by_ua);
	topk_free(a->by_dest);
	topk_free(a->hop_cands);
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
	peak_release(&a->open_time);
	peak_release(&a->open_seq);
	settled_free(&a->settled);
	report_release(&a->acc);
	free(a);
}

/* ---- merging folds: every record adds up (see struct fold) */

/* Both sets are sorted by (file, line): one merge, not an insertion each (--examples may be
 * 10,000, and every analysis thread's sets are merged). from keeps its own. */
static void example_merge(struct example_set *into, const struct example_set *from,
			  unsigned max)
{
	size_t n = into->n + from->n < max ? into->n + from->n : max, i = 0, k = 0, o = 0;
	struct example *e;

	if (!from->n)
		return;
	e = xmalloc(n * sizeof(*e));
	while (o < n) {
		const struct example *x = i < into->n ? &into->e[i] : NULL;
		const struct example *y = k < from->n ? &from->e[k] : NULL;
		if (x && (!y || x->file < y->file || (x->file == y->file && x->line <= y->line))) {
			e[o++] = *x;
			i++;
		} else {
			e[o] = *y;
			e[o++].call_id = xstrndup(y->call_id, y->call_id_len);
			k++;
		}
	}
	for (; i < into->n; i++)	/* past max */
		free(into->e[i].call_id);
	free(into->e);
	into->e = e;
	into->n = into->cap = n;
}

static void merge_source(void *into, const void *from, void *ctx)
{
	struct source_stat *d = into;
	const struct source_stat *f = from;
	const struct fold *a = ctx;

	if (!d->calls)
		d->first_time = d->last_time = TIME_UNKNOWN;
	d->calls += f->calls;
	d->unanswered += f->unanswered;
	d->scanner_ua += f->scanner_ua;
	d->accepted += f->accepted;
	d->answered += f->answered;
	d->timed += f->timed;
	span_add(&d->first_time, &d->last_time, f->first_time);
	span_add(&d->first_time, &d->last_time, f->last_time);
	if (f->ua && (!d->ua || f->ua_file < d->ua_file ||
		      (f->ua_file == d->ua_file && f->ua_line < d->ua_line))) {
		free(d->ua);
		d->ua = xstrndup(f->ua, f->ua_len);
		d->ua_len = f->ua_len;
		d->ua_file = f->ua_file;
		d->ua_line = f->ua_line;
	}
	example_merge(&d->ex, &f->ex, a->o.examples);
}

static void merge_brow(void *into, const void *from, void *ctx)
{
	struct brow *d = into;
	const struct brow *f = from;

	(void)ctx;
	d->attempts += f->attempts;
	d->answered += f->answered;
	d->failed += f->failed;
	d->auth_failed += f->auth_failed;
	for (int i = 0; i < f->ncodes; i++)
		code_add(d->codes, d->code_n, &d->ncodes, f->codes[i], f->code_n[i]);
}

static void merge_vote(void *into, const void *from, void *ctx)
{
	struct hop_vote *d = into;
	const struct hop_vote *f = from;

	(void)ctx;
	d->calls += f->calls;
	d->proxy += f->proxy;
}

static void merge_hour(void *into, const void *from, void *ctx)
{
	struct hour_row *dh = into;
	const struct hour_row *fh = from;
	struct timeline_row *d = &dh->t;
	const struct timeline_row *f = &fh->t;

	(void)ctx;
	for (int i = 0; i < fh->ncodes; i++)
		code_add(dh->codes, dh->code_n, &dh->ncodes, fh->codes[i], fh->code_n[i]);
	d->hour = f->hour;
	d->calls += f->calls;
	d->answered += f->answered;
	d->failed += f->failed;
	d->registrations += f->registrations;
	d->options += f->options;
	d->other += f->other;
	d->challenged += f->challenged;
	d->auth_failed += f->auth_failed;
}

static void merge_i64(void *into, const void *from, void *ctx)
{
	(void)ctx;
	*(int64_t *)into = *(const int64_t *)from;
}

/* The earlier of two positions (file, line); line 0: none yet. */
static void first_pos(uint32_t *file, uint64_t *line, uint32_t f, uint64_t l)
{
	if (l && (!*line || f < *file || (f == *file && l < *line))) {
		*file = f;
		*line = l;
	}
}

static void merge_arow(void *into, const void *from, void *ctx)
{
	struct arow *d = into;
	const struct arow *f = from;

	uint64_t records = 0;

	(void)ctx;
	for (int i = 0; i < AUTH_RES_COUNT; i++)
		records += d->n[i];
	if (!records && !d->line)
		d->first_time = d->last_time = TIME_UNKNOWN;	/* it enters now */
	for (int i = 0; i < AUTH_RES_COUNT; i++)
		d->n[i] += f->n[i];
	first_pos(&d->file, &d->line, f->file, f->line);
	span_add(&d->first_time, &d->last_time, f->first_time);
	span_add(&d->first_time, &d->last_time, f->last_time);
	d->timed += f->timed;
	d->spread |= f->spread;
}

static void merge_pair(void *into, const void *from, void *ctx)
{
	struct pair_row *d = into;
	const struct pair_row *f = from;

	(void)ctx;
	if (!d->failures && !d->line)
		d->first_time = d->last_time = TIME_UNKNOWN;	/* it enters now */
	d->failures += f->failures;
	first_pos(&d->file, &d->line, f->file, f->line);
	span_add(&d->first_time, &d->last_time, f->first_time);
	span_add(&d->first_time, &d->last_time, f->last_time);
}

static void merge_auth_figures(struct auth_report *d, const struct auth_report *f)
{
	d->challenged += f->challenged;
	d->not_retried += f->not_retried;
	d->retried += f->retried;
	d->rechallenged += f->rechallenged;
	d->accepted += f->accepted;
}

static void span_merge(int64_t *first, int64_t *last, int64_t f, int64_t l)
{
	span_add(first, last, f);
	span_add(first, last, l);
}

/* The figures settled calls and counted messages add to the model (report.h, struct report:
 * those analysis owns). */
static void merge_acc(struct report *d, const struct report *f)
{
	d->records += f->records;
	d->outside += f->outside;
	for (int i = 0; i < REPORT_CODES; i++) {
		d->responses[i] += f->responses[i];
		d->by_final[i] += f->by_final[i];
		d->slow_by_outcome[i] += f->slow_by_outcome[i];
	}
	for (int i = 0; i < METHOD_COUNT; i++)
		d->requests[i] += f->requests[i];
	if (f->have_times) {
		if (!d->have_times || f->first_time < d->first_time)
			d->first_time = f->first_time;
		if (!d->have_times || f->last_time > d->last_time)
			d->last_time = f->last_time;
		d->have_times = 1;
	}
	d->subsecond_times |= f->subsecond_times;
	d->callids_total += f->callids_total;
	d->calls_total += f->calls_total;
	d->calls_register += f->calls_register;
	d->calls_options += f->calls_options;
	d->calls_other += f->calls_other;
	d->followed_past_until += f->followed_past_until;
	d->calls_evicted_idle += f->calls_evicted_idle;
	d->calls_settled_early += f->calls_settled_early;
	d->calls_open_at_end += f->calls_open_at_end;
	d->trying += f->trying;
	d->stuck += f->stuck;
	for (int i = 0; i < REPORT_HIST; i++)
		d->trying_hist[i] += f->trying_hist[i];
	merge_auth_figures(&d->proxy_auth, &f->proxy_auth);
	merge_auth_figures(&d->www_auth, &f->www_auth);
	struct kpis *k = &d->kpi;
	const struct kpis *fk = &f->kpi;
	struct ratio *dr[] = { &k->asr, &k->ner, &k->ser, &k->seer, &k->isa, &k->scr, &k->ira };
	const struct ratio *fr[] = { &fk->asr, &fk->ner, &fk->ser, &fk->seer, &fk->isa, &fk->scr,
				     &fk->ira };
	for (size_t i = 0; i < sizeof(dr) / sizeof(dr[0]); i++) {
		dr[i]->num += fr[i]->num;
		dr[i]->den += fr[i]->den;
	}
	k->invite_attempts += fk->invite_attempts;
	k->register_attempts += fk->register_attempts;
	k->no_final += fk->no_final;
	for (int i = 0; i < AUTH_RES_COUNT; i++)
		d->auth.n[i] += f->auth.n[i];
	d->auth.no_source += f->auth.no_source;
	d->by_hop.shown |= f->by_hop.shown;
	d->by_hop.no_hop += f->by_hop.no_hop;
	d->callids_shared += f->callids_shared;
	for (size_t h = 0; h < d->nhosts && h < f->nhosts; h++)
		row_merge(&d->hosts[h], &f->hosts[h]);
}

/* Add everything of from into into (from keeps its records; free it after). */
void fold_merge(struct fold *into, struct fold *from)
{
	struct fold *a = into;

	merge_acc(&a->acc, &from->acc);
	row_merge(&a->own, &from->own);
	topk_merge(a->sources, from->sources, merge_source, a);
	struct dist *dd[] = { &a->trying_delay, &a->proxy_delay, &a->www_delay, &a->srd, &a->rrd,
			      &a->duration, &a->pdd, &a->ring };
	struct dist *fd[] = { &from->trying_delay, &from->proxy_delay, &from->www_delay,
			      &from->srd, &from->rrd, &from->duration, &from->pdd, &from->ring };
	for (size_t i = 0; i < sizeof(dd) / sizeof(dd[0]); i++)
		dist_merge(dd[i], fd[i]);
	a->duration_sum += from->duration_sum;
	for (int p = 0; p < PAT_COUNT; p++) {
		example_merge(&a->ex[p], &from->ex[p], a->o.examples);
		a->pat_count[p] += from->pat_count[p];
		struct pat_times *d = &a->pt[p];
		const struct pat_times *f = &from->pt[p];
		span_merge(&d->first, &d->last, f->first, f->last);
		d->timed += f->timed;
		if (f->hours) {
			if (!d->hours)
				d->hours = topk_new(REPORT_PROBLEM_HOURS_CAP, sizeof(int64_t), NULL);
			topk_merge(d->hours, f->hours, merge_i64, NULL);
		}
	}
	topk_merge(a->key_hours, from->key_hours, NULL, NULL);
	a->calls_with_final += from->calls_with_final;
	a->scanner_ua_no_src += from->scanner_ua_no_src;
	a->scanner_ua_no_src_ok += from->scanner_ua_no_src_ok;
	topk_merge(a->by_source, from->by_source, merge_brow, NULL);
	topk_merge(a->by_ua, from->by_ua, merge_brow, NULL);
	topk_merge(a->by_dest, from->by_dest, merge_brow, NULL);
	topk_merge(a->hop_cands, from->hop_cands, merge_hrow, NULL);
	topk_merge(a->hop_votes, from->hop_votes, merge_vote, NULL);
	topk_merge(a->hours, from->hours, merge_hour, NULL);
	topk_merge(a->fine, from->fine, merge_hour, NULL);
	peak_merge(&a->open_time, &from->open_time);
	peak_merge(&a->open_seq, &from->open_seq);
	/* authentication records are all counted by the first fold (analysis_event()): the
	 * analysis threads' tables are empty; the shards of an archive (src/state.c) each have
	 * theirs */
	topk_merge(a->auth_src, from->auth_src, merge_arow, NULL);
	topk_merge(a->auth_acc, from->auth_acc, merge_arow, NULL);
	topk_merge(a->auth_pairs, from->auth_pairs, merge_pair, NULL);
}
