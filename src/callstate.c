/*
 * callstate.c - the per-call state machines: what each message does to its call.
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
 * Where in the flow: a shard (src/calltab.c) calls call_apply() for each message of a call,
 * in input order. Everything here looks at one call and one message: no table, no clock.
 * Times are never invented: a step whose time the log does not give keeps TIME_UNKNOWN, and
 * its delay is unknown, not 0.
 */
#include "analysis.h"
#include "call.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/*
 * Set one of the call's strings (each is set once). They lie one after the other in the room
 * after the call's key (CALL_INLINE bytes, allocated with the call: one allocation per call),
 * or, when together they do not fit, in a block of their own.
 */
void call_set_str(struct call *c, enum call_str which, const char *p, size_t n)
{
	uint16_t *lens[STR_COUNT] = { &c->src_len, &c->ua_len, &c->dest_len, &c->hop1_len,
				      &c->hop2_len, &c->relay_len, &c->from_len, &c->to_len };
	struct str old[STR_COUNT];
	char tmp[STR_COUNT * CALL_STR_MAX];
	size_t total = 0;

	if (n > CALL_STR_MAX)
		n = CALL_STR_MAX;
	for (int i = 0; i < STR_COUNT; i++)
		old[i] = call_str(c, (enum call_str)i);
	old[which] = (struct str){ p, n };
	/* through tmp: the old strings may lie where the new ones go */
	char *w = tmp;
	for (int i = 0; i < STR_COUNT; i++) {
		if (old[i].n)
			memcpy(w, old[i].p, old[i].n);
		w += old[i].n;
		*lens[i] = (uint16_t)old[i].n;
	}
	total = (size_t)(w - tmp);
	char *room = call_room(c);
	char *s = total <= CALL_INLINE ? room : c->strs && c->strs != room ?
		  xrealloc(c->strs, total) : xmalloc(total);
	memcpy(s, tmp, total);
	c->strs = s;
}

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
int opens_call(enum sip_method m)
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

/*
 * The user of a From or To value as the log gives it: a header's name-addr or addr-spec
 * ("\"Dave\" <sip:dave@example.net>;tag=1" -> "dave", "<tel:+4930123;x=y>" -> "+4930123"),
 * or a user alone (the xlog snippet's from=1001). Empty when a URI has no user.
 */
static struct str value_user(struct str v)
{
	static const char *const schemes[] = { "sips:", "sip:", "tel:", NULL };
	const char *lt = v.n ? memchr(v.p, '<', v.n) : NULL;

	if (lt) {
		v.n -= (size_t)(lt + 1 - v.p);
		v.p = lt + 1;
	}
	for (int i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);
		if (v.n >= n && mem_ieq(v.p, schemes[i], n)) {
			for (size_t k = 0; k < v.n; k++)
				if (v.p[k] == ';' || v.p[k] == '?' || v.p[k] == '>' || v.p[k] == '@' ||
				    (v.p[k] == ':' && k >= n)) {
					/* sip: needs the '@' for a user; tel: is one */
					if (i < 2 && v.p[k] != '@')
						return (struct str){ NULL, 0 };
					return (struct str){ v.p + n, k - n };
				}
			return i < 2 ? (struct str){ NULL, 0 } : (struct str){ v.p + n, v.n - n };
		}
	}
	if (lt)
		return (struct str){ NULL, 0 };		/* another scheme: no user we know */
	return v;
}

static void call_users(struct call *c, const struct event *ev)
{
	struct str f = value_user(ev->from), t = value_user(ev->to);

	if (f.n)
		call_set_str(c, STR_FROM, f.p, f.n);
	if (t.n)
		call_set_str(c, STR_TO, t.p, t.n);
}

/*
 * Which idle limit a call waits under: an answered INVITE without its BYE yet waits
 * --session-timeout (a conversation sends no SIP for minutes, and SCR and ACD need its BYE);
 * one waiting for a final after 100 Trying or a provisional waits Timer C; the rest
 * --call-timeout.
 */
int call_idle_list(const struct call *c)
{
	if (c->answered && !c->byed)
		return 2;
	return c->trying_state == 1 || (c->flags & CALL_RINGING) ? 1 : 0;
}

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
	if (s->retries < UINT8_MAX)
		s->retries++;
}

static void auth_response(struct auth_state *s, const struct event *ev)
{
	if (!s->challenged) {
		s->challenged = 1;
		s->challenges = 1;
		s->method = ev->cseq_method;
		s->chal_cseq = ev->cseq;
		s->chal_time = ev->time_us;
		if (s->pre_cseq > s->chal_cseq && s->pre_method == s->method) {
			/* its retry was logged first: same outcome as in time order, delay 0 */
			s->retried = 1;
			s->retries = 1;
			s->last_retry = s->pre_cseq;
			s->retry_delay = s->pre_time == TIME_UNKNOWN || s->chal_time == TIME_UNKNOWN ? -1
				: s->pre_time > s->chal_time ? s->pre_time - s->chal_time : 0;
		}
		return;
	}
	/* a retry challenged again counts once, however often the challenge is retransmitted */
	if (s->retried && ev->cseq_method == s->method && ev->cseq == s->last_retry &&
	    !s->rechallenged) {
		s->rechallenged = 1;
		if (s->challenges < UINT8_MAX)
			s->challenges++;
	}
}

/* Keep the first two addresses other than the caller's and the relay's that answered the
 * call's INVITE, and what they sent that tells the proxy (fold_hop()). */
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

void call_apply(struct call *c, const struct event *ev)
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
		if (!c->from_len && !c->to_len && (ev->from.n || ev->to.n) &&
		    opens_call(ev->method))
			call_users(c, ev);
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
