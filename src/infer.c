/*
 * infer.c - turn an operator's own one-line log layout into a line profile (see infer.h).
 *
 * Three steps, each over the whole sample:
 *   1. tokens: each line is cut into labelled values ("cid=abc", "CSeq: 1 INVITE",
 *      'ua="Zoiper 5"') and bare tokens (a method or status code, "1/INVITE", an address, a
 *      quoted string, "[...]", other words). A labelled User-Agent, reason or unknown value
 *      runs to the next label or the end of the line, so it may hold spaces; a one-word field
 *      (Call-ID, address, method ...) ends at its first space, a CSeq after its method
 *      ("cseq=1 INVITE"); a quoted value ends at its closing quote. A
 *      line is a candidate when it holds a Call-ID (under a Call-ID label, or in brackets)
 *      and a method or code. Its layout is the sequence of its tokens from the first field
 *      on (labels and kinds; not the values).
 *   2. votes: candidate lines with the same layout are counted together, and so is each
 *      label over all candidate lines. A layout is used when at least INFER_MIN_SHARE of the
 *      candidate lines have it, every label in it is used by INFER_LABEL_SHARE of them, and
 *      it names each field once (credentials aside: "pauth= wauth="). What a slot holds is
 *      decided from its label and what the majority of its values look like.
 *   3. text: one 'match =' per layout used, most lines first. Every literal (labels, words)
 *      is escaped character by character, never pasted: log text cannot add regex syntax.
 *
 * It runs once per input on at most the sample, so it is written for clarity, not speed.
 */
#include "infer.h"
#include "detect.h"
#include "input.h"
#include "profile.h"
#include "report.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INFER_MAX_LINE 4096	/* longer lines are not looked at */
#define INFER_MAX_LINES 20000	/* lines of the sample looked at */
#define MAX_TOKS 40
#define MAX_LAYOUTS 64
#define MAX_LABELS 128
#define LABEL_MAX 32
#define WORD_MAX 64
#define INFER_MIN_SHARE 20	/* a layout needs 1/20 (5 %) of the candidate lines ... */
#define INFER_LABEL_SHARE 5	/* ... and each of its labels 1/5 (20 %) of them */

enum tok_kind { T_KV, T_WORD, T_MC, T_CSEQ, T_ADDR, T_QUOTED, T_BRACKET };

/* what a label names; FV_* beyond the profile's fields */
enum { FV_NONE = -1, FV_MC = F_COUNT, FV_FROM };

struct tok {
	enum tok_kind kind;
	const char *lab, *v;		/* T_KV: label and value (quotes included) */
	size_t labn, vn;
	char sep;			/* T_KV: '=' or ':' */
	char cseq_sep;			/* T_CSEQ: the character between number and method */
	char trail;			/* ',' or ';' after the value ("ci=abc, cs=1"), or 0 */
	int vocab;			/* T_KV: field its label names, FV_MC, FV_FROM or FV_NONE */
};

/* what the values of one slot looked like, over the lines of a layout */
struct shape {
	unsigned quoted, space, method, code, num, num_method, slash, addr, callid, trail;
};

struct slot {
	enum tok_kind kind;
	char label[LABEL_MAX + 1];
	char sep, cseq_sep, trail;
	int vocab;
	char word[WORD_MAX + 1];	/* T_WORD: its text in the first line */
	int word_varies;
	struct shape sh;
	int field;			/* decided: a field, FV_MC, or FV_NONE (read over) */
};

#define MAX_LEAD_VARS 8

struct lead_var {
	char w[2][WORD_MAX + 1];	/* nearest the first field first */
	int nw;
	unsigned lines;
};

struct layout {
	char *sig;
	struct slot s[MAX_TOKS];
	int n;
	unsigned lines;
	struct lead_var var[MAX_LEAD_VARS];	/* the words before the first field, as seen */
	int nvar, lead_overflow;
	char lead[2][WORD_MAX + 1];	/* decided: the words most lines have there */
	int nlead;
	int used;
};

struct label_count {
	char label[LABEL_MAX + 1];
	unsigned lines;
};

struct infer {
	struct layout lay[MAX_LAYOUTS];
	int nlay;
	struct label_count lab[MAX_LABELS];
	int nlab;
	unsigned candidates, other_layouts;
};

/* --- vocabulary ------------------------------------------------------------------------ */

static const struct { const char *name; int field; } vocab[] = {
	{ "ci", F_CALLID }, { "cid", F_CALLID }, { "callid", F_CALLID }, { "call", F_CALLID },
	{ "cs", F_CSEQ }, { "cseq", F_CSEQ }, { "seq", F_CSEQ },
	{ "csm", F_CSEQ_METHOD }, { "cm", F_CSEQ_METHOD }, { "cseqmethod", F_CSEQ_METHOD },
	{ "rm", FV_MC }, { "m", FV_MC }, { "method", FV_MC }, { "req", FV_MC },
	{ "request", FV_MC }, { "rs", FV_MC }, { "code", FV_MC }, { "status", FV_MC },
	{ "rpl", FV_MC }, { "reply", FV_MC }, { "response", FV_MC }, { "resp", FV_MC },
	{ "msg", FV_MC }, { "sipmsg", FV_MC }, { "statuscode", FV_MC },
	{ "rr", F_REASON }, { "reason", F_REASON }, { "phrase", F_REASON },
	{ "si", F_SRC }, { "src", F_SRC }, { "source", F_SRC }, { "srcip", F_SRC },
	{ "ip", F_SRC }, { "peer", F_SRC }, { "remote", F_SRC }, { "from", FV_FROM },
	{ "ua", F_UA }, { "useragent", F_UA }, { "agent", F_UA },
	{ "ru", F_RURI }, { "ruri", F_RURI }, { "uri", F_RURI }, { "requri", F_RURI },
	{ "au", F_AUTH }, { "adu", F_AUTH }, { "auth", F_AUTH }, { "cred", F_AUTH },
	{ "creds", F_AUTH }, { "credentials", F_AUTH }, { "pauth", F_AUTH }, { "wauth", F_AUTH },
	{ "authuser", F_AUTH }, { "authorization", F_AUTH }, { "proxyauthorization", F_AUTH },
};

static int vocab_field(const char *lab, size_t n)
{
	char norm[LABEL_MAX + 1];
	size_t k = 0;

	for (size_t i = 0; i < n && k < LABEL_MAX; i++)
		if (lab[i] != '-' && lab[i] != '_' && lab[i] != '.')
			norm[k++] = (char)tolower((unsigned char)lab[i]);
	norm[k] = 0;
	for (size_t i = 0; i < sizeof(vocab) / sizeof(vocab[0]); i++)
		if (strcmp(norm, vocab[i].name) == 0)
			return vocab[i].field;
	return FV_NONE;
}

/* --- value shapes ---------------------------------------------------------------------- */

/* A method the analysis knows by name (include/event.h), exactly as written. */
static int is_method(const char *p, size_t n)
{
	enum sip_method m = sip_method_parse(p, n);

	return m != METHOD_NONE && m != METHOD_OTHER;
}

static int is_code(const char *p, size_t n)
{
	return n == 3 && p[0] >= '1' && p[0] <= '6' && isdigit((unsigned char)p[1]) &&
	       isdigit((unsigned char)p[2]);
}

static size_t digits(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)p[i]))
		i++;
	return i;
}

static int all_alpha(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalpha((unsigned char)p[i]))
			return 0;
	return n > 0;
}

/* "1/INVITE", "1:INVITE": the separator, or 0 */
static char cseq_slash(const char *p, size_t n)
{
	size_t d = digits(p, n);

	if (d == 0 || d > 10 || d + 1 >= n || (p[d] != '/' && p[d] != ':'))
		return 0;
	return all_alpha(p + d + 1, n - d - 1) ? p[d] : 0;
}

/* 10.0.0.1, 10.0.0.1:5060, udp:10.0.0.1:5060, [2001:db8::1]:5060, sip:10.0.0.1:5060 */
static int is_addr(const char *p, size_t n)
{
	size_t dots = 0, colons = 0, digit = 0;

	if (n < 3 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '.')
			dots++;
		else if (c == ':')
			colons++;
		else if (isdigit(c))
			digit++;
		else if (!isalpha(c) && c != '[' && c != ']')
			return 0;
	}
	return digit >= 4 && (dots == 3 || colons >= 2);
}

/* A Call-ID under a Call-ID label: 1..256 bytes, no space or quote */
static int is_callid(const char *p, size_t n)
{
	if (n < 1 || n > 256)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '"')
			return 0;
	return 1;
}

/* A Call-ID without a label ("[...]"): also 6 bytes at least, with a digit */
static int is_bare_callid(const char *p, size_t n)
{
	int digit = 0;

	for (size_t i = 0; i < n; i++)
		digit |= isdigit((unsigned char)p[i]) != 0;
	return n >= 6 && digit && is_callid(p, n);
}


static void shape_add(struct shape *sh, const char *v, size_t n)
{
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		sh->quoted++;
		v++;
		n -= 2;
	}
	if (memchr(v, ' ', n) || memchr(v, '\t', n))
		sh->space++;
	sh->method += is_method(v, n);
	sh->code += is_code(v, n);
	size_t d = digits(v, n);
	if (d && d <= 10 && d == n)
		sh->num++;
	if (d && d <= 10 && d + 1 < n && v[d] == ' ' && all_alpha(v + d + 1, n - d - 1))
		sh->num_method++;
	sh->slash += cseq_slash(v, n) != 0;
	sh->addr += is_addr(v, n);
	sh->callid += is_callid(v, n);
}

static int most(unsigned part, unsigned lines)
{
	return 2 * part > lines;
}

/* --- tokens ---------------------------------------------------------------------------- */

/* A label at p (in line [p, e)): its length, with *sep set; 0 when none. A ':' label must be
 * a known one and be followed by a space ("INFO: " is a log level, "Call-ID: " a label). */
static size_t label_at(const char *p, const char *e, char *sep)
{
	size_t n = 0;

	if (p >= e || !isalpha((unsigned char)*p))
		return 0;
	while (p + n < e && n <= LABEL_MAX &&
	       (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-' || p[n] == '.'))
		n++;
	if (n > LABEL_MAX || p + n >= e)
		return 0;
	if (p[n] == '=') {
		*sep = '=';
		return n;
	}
	if (p[n] == ':' && p + n + 1 < e && (p[n + 1] == ' ' || p[n + 1] == '\t') &&
	    vocab_field(p, n) != FV_NONE) {
		*sep = ':';
		return n;
	}
	return 0;
}

/* Is a label at p, and p at the start of a token? */
static int kv_start(const char *line, const char *p, const char *e)
{
	char sep;

	return (p == line || p[-1] == ' ' || p[-1] == '\t') && label_at(p, e, &sep) > 0;
}

static const char *skip_sep(const char *p, const char *e, char sep)
{
	p++;	/* the '=' or ':' */
	if (sep == ':')
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
	return p;
}

/* The end of a value that starts at v: a quoted one at its closing quote followed by the
 * end or by a label; any other at the next label. */
static const char *value_end(const char *line, const char *v, const char *e)
{
	if (v < e && *v == '"') {
		for (const char *q = v + 1; q < e; q++) {
			if (*q != '"')
				continue;
			const char *r = q + 1;
			while (r < e && (*r == ' ' || *r == '\t'))
				r++;
			if (r == e || (r > q + 1 && kv_start(line, r, e)))
				return q + 1;
		}
	}
	for (const char *q = v; q < e; q++)
		if ((*q == ' ' || *q == '\t') && kv_start(line, q + 1, e)) {
			while (q > v && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			return q;
		}
	const char *q = e;
	while (q > v && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	return q;
}

/* A value that is one word (a Call-ID, an address, a method ...) ends at the first space;
 * a CSeq may go on with its method ("cseq=1 INVITE"). ve: where the next label starts. */
static const char *word_value_end(const char *v, const char *ve, int cseq)
{
	const char *q = v;

	while (q < ve && *q != ' ' && *q != '\t')
		q++;
	if (cseq && q < ve && digits(v, (size_t)(q - v)) == (size_t)(q - v)) {
		const char *m = q;
		while (m < ve && (*m == ' ' || *m == '\t'))
			m++;
		const char *me = m;
		while (me < ve && isupper((unsigned char)*me))
			me++;
		if (me < ve && (*me == ',' || *me == ';') && (me + 1 == ve || me[1] == ' '))
			me++;
		if (me > m && (me == ve || *me == ' ' || *me == '\t' || me[-1] == ',' ||
			       me[-1] == ';'))
			q = me;
	}
	return q;
}

/* "ci=abc," : the value is "abc", the ',' a separator */
static void cut_trail(struct tok *k)
{
	if (k->vn > 1 && (k->v[k->vn - 1] == ',' || k->v[k->vn - 1] == ';'))
		k->trail = k->v[--k->vn];
}

/* Cut [line, e) into tokens; returns how many (at most MAX_TOKS; -1 when there are more). */
static int tokenize(const char *line, const char *e, struct tok *t)
{
	int n = 0;
	const char *p = line;

	for (;;) {
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p >= e)
			return n;
		if (n == MAX_TOKS)
			return -1;
		struct tok *k = &t[n++];
		memset(k, 0, sizeof(*k));
		char sep;
		size_t ln = label_at(p, e, &sep);
		if (ln) {
			k->kind = T_KV;
			k->lab = p;
			k->labn = ln;
			k->sep = sep;
			k->vocab = vocab_field(p, ln);
			k->v = skip_sep(p + ln, e, sep);
			const char *ve = value_end(line, k->v, e);
			if (k->vocab != F_UA && k->vocab != F_REASON && k->vocab != FV_NONE &&
			    *k->v != '"')
				ve = word_value_end(k->v, ve, k->vocab == F_CSEQ);
			k->vn = (size_t)(ve - k->v);
			p = ve;
			cut_trail(k);
			continue;
		}
		const char *q = p;
		char trail = 0;
		if (*p == '"') {
			/* to the closing quote that ends a token */
			for (q = p + 1; q < e; q++)
				if (*q == '"' && (q + 1 == e || q[1] == ' ' || q[1] == '\t'))
					break;
			q = q < e ? q + 1 : e;
			k->kind = T_QUOTED;
		} else {
			while (q < e && *q != ' ' && *q != '\t')
				q++;
			size_t n2 = (size_t)(q - p);
			if (n2 > 1 && (p[n2 - 1] == ',' || p[n2 - 1] == ';'))
				trail = p[--n2];
			if (*p == '[' && n2 > 2 && p[n2 - 1] == ']')
				k->kind = T_BRACKET;
			else if (is_method(p, n2) || is_code(p, n2))
				k->kind = T_MC;
			else if ((k->cseq_sep = cseq_slash(p, n2)) != 0)
				k->kind = T_CSEQ;
			else if (is_addr(p, n2))
				k->kind = T_ADDR;
			else
				k->kind = T_WORD;
		}
		k->v = p;
		k->vn = (size_t)(q - p) - (trail != 0);
		k->trail = trail;
		p = q;
	}
}

/* The first token that holds a field: a labelled field, a method or code, "[Call-ID]" */
static int body_start(const struct tok *t, int n)
{
	for (int i = 0; i < n; i++) {
		if (t[i].kind == T_KV && t[i].vocab != FV_NONE && t[i].vocab != FV_FROM)
			return i;
		if (t[i].kind == T_MC)
			return i;
		if (t[i].kind == T_BRACKET && is_bare_callid(t[i].v + 1, t[i].vn - 2))
			return i;
	}
	return -1;
}

/* A candidate line: a Call-ID and a method or code among its tokens. */
static int candidate(const struct tok *t, int n)
{
	int cid = 0, mc = 0;

	for (int i = 0; i < n; i++) {
		const struct tok *k = &t[i];
		if (k->kind == T_KV && k->vocab == F_CALLID)
			cid = 1;
		else if (k->kind == T_BRACKET && is_bare_callid(k->v + 1, k->vn - 2))
			cid = 1;
		else if (k->kind == T_MC || (k->kind == T_KV && k->vocab == FV_MC))
			mc = 1;
	}
	return cid && mc;
}

static void signature(struct buf *b, const struct tok *t, int from, int n)
{
	static const char kinds[] = { [T_KV] = 'K', [T_WORD] = 'W', [T_MC] = 'M', [T_CSEQ] = 'C',
				      [T_ADDR] = 'A', [T_QUOTED] = 'Q', [T_BRACKET] = 'B' };

	for (int i = from; i < n; i++) {
		buf_addc(b, kinds[t[i].kind]);
		if (t[i].kind == T_KV) {
			buf_add(b, t[i].lab, t[i].labn);
			buf_addc(b, t[i].sep);
		} else if (t[i].kind == T_CSEQ) {
			buf_addc(b, t[i].cseq_sep);
		}
		buf_addc(b, ' ');
	}
}

static void count_labels(struct infer *in, const struct tok *t, int n)
{
	for (int i = 0; i < n; i++) {
		if (t[i].kind != T_KV)
			continue;
		int dup = 0;
		for (int k = 0; k < i; k++)
			dup |= t[k].kind == T_KV && t[k].labn == t[i].labn &&
			       memcmp(t[k].lab, t[i].lab, t[i].labn) == 0;
		if (dup)
			continue;
		int j;
		for (j = 0; j < in->nlab; j++)
			if (strlen(in->lab[j].label) == t[i].labn &&
			    memcmp(in->lab[j].label, t[i].lab, t[i].labn) == 0)
				break;
		if (j == in->nlab) {
			if (in->nlab == MAX_LABELS)
				continue;
			memcpy(in->lab[j].label, t[i].lab, t[i].labn);
			in->lab[j].label[t[i].labn] = 0;
			in->nlab++;
		}
		in->lab[j].lines++;
	}
}

static unsigned label_lines(const struct infer *in, const char *label)
{
	for (int j = 0; j < in->nlab; j++)
		if (strcmp(in->lab[j].label, label) == 0)
			return in->lab[j].lines;
	return 0;
}

/* The words just before the first field (at most two, not a log level or program tag ending
 * in ':'), as one of the layout's lead variants. */
static void lead_words(struct layout *l, const struct tok *t, int body)
{
	struct lead_var v = {0};

	for (int i = body - 1; i >= 0 && v.nw < 2; i--) {
		const struct tok *k = &t[i];
		if (k->kind != T_WORD || k->vn > WORD_MAX || k->v[k->vn - 1] == ':')
			break;
		memcpy(v.w[v.nw], k->v, k->vn);
		v.w[v.nw][k->vn] = 0;
		v.nw++;
	}
	for (int i = 0; i < l->nvar; i++) {
		struct lead_var *o = &l->var[i];
		if (o->nw == v.nw && strcmp(o->w[0], v.w[0]) == 0 && strcmp(o->w[1], v.w[1]) == 0) {
			o->lines++;
			return;
		}
	}
	if (l->nvar < MAX_LEAD_VARS) {
		v.lines = 1;
		l->var[l->nvar++] = v;
	} else {
		l->lead_overflow = 1;	/* too many to list: no lead */
	}
}

/* The lead: the words every line of the layout has there (two, one or none). Words that vary
 * ("REPLY" and "SL-REPLY") are left to the prefix: the labels and fields still anchor it. */
static void decide_lead(struct layout *l)
{
	l->nlead = 0;
	for (int want = 2; want >= 1 && !l->nlead; want--) {
		int all = !l->lead_overflow;
		for (int k = 0; k < l->nvar && all; k++) {
			const struct lead_var *a = &l->var[0], *b = &l->var[k];
			all = b->nw >= want && strcmp(a->w[0], b->w[0]) == 0 &&
			      (want == 1 || strcmp(a->w[1], b->w[1]) == 0);
		}
		if (all && l->nvar) {
			for (int w = 0; w < want; w++)
				strcpy(l->lead[w], l->var[0].w[w]);
			l->nlead = want;
		}
	}
}

/* Is a Call-ID label at p (label_at() and vocab_field() say F_CALLID), told quickly? */
static int callid_label_at(const char *p, const char *e)
{
	char norm[8];
	size_t n = 0, k = 0;

	if (!isalpha((unsigned char)*p))
		return 0;
	for (; p + n < e && n <= LABEL_MAX; n++) {
		char c = p[n];
		if (c == '-' || c == '_' || c == '.')
			continue;
		if (!isalnum((unsigned char)c))
			break;
		if (k == sizeof(norm) - 1)
			return 0;	/* longer than any Call-ID label */
		norm[k++] = (char)tolower((unsigned char)c);
	}
	if (n > LABEL_MAX || p + n >= e ||
	    !(p[n] == '=' || (p[n] == ':' && p + n + 1 < e && (p[n + 1] == ' ' || p[n + 1] == '\t'))))
		return 0;
	norm[k] = 0;
	/* every Call-ID label starts "ci" or "ca": most labels are told without the vocabulary */
	return norm[0] == 'c' && (norm[1] == 'i' || norm[1] == 'a') && vocab_field(norm, k) == F_CALLID;
}

/* A quick look before the tokens: a candidate's Call-ID is a token under a Call-ID label or
 * in brackets, and every token starts the line or follows a space or tab. Most lines of
 * other formats (SIP headers, SDP, acc records) are passed over here, untokenised. */
static int may_hold_callid(const char *line, const char *e)
{
	for (const char *p = line; p < e; p++) {
		if (p > line && p[-1] != ' ' && p[-1] != '\t')
			continue;
		if (*p == '[' || callid_label_at(p, e))
			return 1;
	}
	return 0;
}

static void add_line(struct infer *in, const char *line, const char *e)
{
	struct tok t[MAX_TOKS];

	if (!may_hold_callid(line, e))
		return;
	int n = tokenize(line, e, t);

	if (n <= 0 || !candidate(t, n))
		return;
	int body = body_start(t, n);
	if (body < 0)
		return;
	in->candidates++;
	count_labels(in, t + body, n - body);
	struct buf sig = {0};
	signature(&sig, t, body, n);
	char *s = buf_cstr(&sig);
	int j;
	for (j = 0; j < in->nlay; j++)
		if (strcmp(in->lay[j].sig, s) == 0)
			break;
	if (j == in->nlay) {
		if (in->nlay == MAX_LAYOUTS) {
			in->other_layouts++;
			free(s);
			return;
		}
		struct layout *l = &in->lay[in->nlay++];
		memset(l, 0, sizeof(*l));
		l->sig = s;
		l->n = n - body;
		for (int i = 0; i < l->n; i++) {
			const struct tok *k = &t[body + i];
			struct slot *sl = &l->s[i];
			sl->kind = k->kind;
			sl->sep = k->sep;
			sl->cseq_sep = k->cseq_sep;
			sl->vocab = k->kind == T_KV ? k->vocab : FV_NONE;
			if (k->kind == T_KV) {
				memcpy(sl->label, k->lab, k->labn);
				sl->label[k->labn] = 0;
			}
			if (k->kind == T_WORD && k->vn <= WORD_MAX) {
				memcpy(sl->word, k->v, k->vn);
				sl->word[k->vn] = 0;
			} else if (k->kind == T_WORD) {
				sl->word_varies = 1;
			}
		}
	} else {
		free(s);
	}
	struct layout *l = &in->lay[j];
	l->lines++;
	lead_words(l, t, body);
	for (int i = 0; i < l->n; i++) {
		const struct tok *k = &t[body + i];
		struct slot *sl = &l->s[i];
		if (k->kind == T_WORD && !sl->word_varies &&
		    (strlen(sl->word) != k->vn || memcmp(sl->word, k->v, k->vn) != 0))
			sl->word_varies = 1;
		if (k->trail) {
			sl->trail = k->trail;
			sl->sh.trail++;
		}
		if (k->kind == T_BRACKET)
			shape_add(&sl->sh, k->v + 1, k->vn - 2);
		else
			shape_add(&sl->sh, k->v, k->vn);
	}
}

/* --- deciding what each slot holds ------------------------------------------------------ */

/* Decide each slot's field; 0 when the layout is usable. */
static int decide(const struct infer *in, struct layout *l)
{
	int have[F_COUNT] = {0}, mc = 0;

	for (int i = 0; i < l->n; i++) {
		struct slot *sl = &l->s[i];
		const struct shape *sh = &sl->sh;
		unsigned n = l->lines;
		sl->field = FV_NONE;
		switch (sl->kind) {
		case T_KV:
			if (label_lines(in, sl->label) * INFER_LABEL_SHARE < in->candidates)
				return -1;	/* a label few lines use: not this layout */
			switch (sl->vocab) {
			case F_CALLID:
				if (most(sh->callid, n))
					sl->field = F_CALLID;
				break;
			case F_CSEQ:
				if (most(sh->num + sh->num_method + sh->slash, n))
					sl->field = F_CSEQ;
				break;
			case F_CSEQ_METHOD:
				if (most(sh->method, n))
					sl->field = F_CSEQ_METHOD;
				break;
			case FV_MC:
				if (most(sh->method + sh->code, n))
					sl->field = FV_MC;
				break;
			case F_SRC:
			case FV_FROM:
				if (most(sh->addr, n))
					sl->field = F_SRC;
				break;
			case F_UA:
			case F_REASON:
			case F_RURI:
			case F_AUTH:
				sl->field = sl->vocab;
				break;
			default:
				/* an unknown label whose every value is a method or code */
				if (sh->method + sh->code == n && n >= 2)
					sl->field = FV_MC;
			}
			break;
		case T_MC:
			sl->field = FV_MC;
			break;
		case T_CSEQ:
			sl->field = F_CSEQ;
			break;
		case T_BRACKET:
			if (most(sh->callid, n))
				sl->field = F_CALLID;
			break;
		case T_ADDR:
			sl->field = F_SRC;
			break;
		case T_QUOTED:
			sl->field = F_REASON;
			break;
		case T_WORD:
			break;
		}
		if (sl->field == FV_MC) {
			if (mc++)
				sl->field = FV_NONE;	/* the first method or code is the one */
			continue;
		}
		if (sl->field == FV_NONE || sl->field == F_AUTH)
			continue;
		if (have[sl->field]++) {
			/* a second bare address or quoted string is something else; a label
			 * for a field named twice is a layout the lines disagree on */
			if (sl->kind == T_KV && sl->vocab != FV_FROM)
				return -1;
			sl->field = FV_NONE;
		}
	}
	/* a quoted string is a reason only after a status code */
	for (int i = 0; i < l->n; i++)
		if (l->s[i].kind == T_QUOTED && l->s[i].field == F_REASON) {
			int code = 0;
			for (int k = 0; k < i; k++)
				code |= l->s[k].field == FV_MC && l->s[k].sh.code > 0;
			if (!code)
				l->s[i].field = FV_NONE;
		}
	if (!have[F_CALLID] || !mc)
		return -1;
	return 0;
}

/* --- the profile text ------------------------------------------------------------------ */

/* Append s[0..n) as a regex literal: every byte that is not a letter, digit, '_' or space is
 * escaped, so nothing copied from a log can be regex syntax (or end a line of the file). */
static void re_literal(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isalnum(c) || c == '_')
			buf_addc(b, (char)c);
		else if (c == ' ')
			buf_adds(b, "[ \\t]+");
		else if (c > 0x20 && c < 0x7f)
			buf_printf(b, "\\%c", c);
		else
			buf_printf(b, "\\x%02x", c);
	}
}

#define NOSP "[^ \\t\\r\\n]"
#define METHOD_RE "[A-Za-z][A-Za-z0-9_.!%*+`'~-]*"

/* The pattern for one value of a layout of `lines` lines. `last`: nothing follows it. */
static void value_re(struct buf *b, const struct slot *sl, unsigned lines, int last)
{
	const struct shape *sh = &sl->sh;
	int quoted = sl->kind == T_QUOTED || (sl->kind == T_KV && most(sh->quoted, lines));
	const char *any = quoted ? "[^\"\\r\\n]" : NOSP;
	const char *rest = last && quoted ? ".*" : ".*?";

	if (sl->kind == T_BRACKET) {
		if (sl->field == F_CALLID)
			buf_adds(b, "\\[(?<callid>" NOSP "+?)\\]");
		else
			buf_adds(b, "\\[" NOSP "*\\]");
		if (most(sh->trail, lines))
			buf_printf(b, "\\%c?", sl->trail);
		return;
	}
	if (quoted)
		buf_addc(b, '"');	/* the quotes stay outside the group */
	switch (sl->field) {
	case F_CALLID:
		buf_printf(b, "(?<callid>%s+?)", any);
		break;
	case F_CSEQ:
		if (sl->kind == T_CSEQ)
			buf_printf(b, "(?<cseq>[0-9]{1,10})\\%c(?<cseq_method>[A-Za-z]+)",
				   sl->cseq_sep);
		else if (sh->slash)
			buf_adds(b, "(?<cseq>[0-9]{1,10})[/:](?<cseq_method>[A-Za-z]+)");
		else if (sh->num_method)
			buf_adds(b, "(?<cseq>[0-9]{1,10})(?:[ \\t]+(?<cseq_method>[A-Za-z]+))?");
		else
			buf_adds(b, "(?<cseq>[0-9]{1,10})");
		break;
	case F_CSEQ_METHOD:
		buf_adds(b, "(?<cseq_method>[A-Za-z]+)");
		break;
	case FV_MC:
		if (!sh->code)
			buf_adds(b, "(?<method>" METHOD_RE ")");
		else if (!sh->method)
			buf_adds(b, "(?<status>[1-6][0-9]{2})");
		else
			buf_adds(b, "(?:(?<status>[1-6][0-9]{2})|(?<method>" METHOD_RE "))");
		break;
	case F_SRC:
		buf_printf(b, "(?<src>%s+?)", any);
		break;
	case F_RURI:
		buf_printf(b, "(?<ruri>%s*?)", any);
		break;
	case F_UA:
		buf_printf(b, "(?<ua>%s)", rest);
		break;
	case F_REASON:
		buf_printf(b, "(?<reason>%s)", rest);
		break;
	case F_AUTH:
		/* captured unless the value says "none": "no", "0" (a header's length), empty or
		 * "<null>" (no auth user); so yes/no, lengths and user names all work, also when
		 * the sample held only one kind */
		buf_printf(b, "(?:(?i:<null>|-|none|null|0|no|false|off|n)?(?=[ \\t\",;]|\\r?$)"
			   "|(?<auth>%s+?))", any);
		break;
	default:
		if (sl->kind == T_WORD && !sl->word_varies)
			re_literal(b, sl->word, strlen(sl->word));
		else if (sl->kind == T_WORD || sl->kind == T_ADDR || sl->kind == T_CSEQ ||
			 sl->kind == T_MC)
			buf_adds(b, NOSP "+");
		else if (sh->space || quoted)
			buf_adds(b, rest);
		else
			buf_adds(b, NOSP "*?");
	}
	if (quoted)
		buf_addc(b, '"');
	if (most(sh->trail, lines))
		buf_printf(b, "\\%c?", sl->trail);	/* ',' or ';' */
}

/* Optional syslog priority, journalctl weekday, then an RFC 3339 or BSD stamp (as the
 * built-in kamailio format); Kamailio's stderr log has none. */
#define PREFIX_RE \
	"^(?:<[0-9]{1,3}>[0-9]{0,2} ?)?(?:[A-Z][a-z]{2} (?=[0-9]{4}-))?" \
	"(?:(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?" \
	"|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?" \
	"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)[ \\t])?"

static void match_re(struct buf *b, const struct layout *l)
{
	buf_adds(b, PREFIX_RE);
	buf_adds(b, "(?:.*?[ \\t])??");	/* the rest of the prefix, up to a token's start */
	for (int i = l->nlead - 1; i >= 0; i--) {
		re_literal(b, l->lead[i], strlen(l->lead[i]));
		buf_adds(b, "[ \\t]+");
	}
	for (int i = 0; i < l->n; i++) {
		const struct slot *sl = &l->s[i];
		if (i)
			buf_adds(b, "[ \\t]+");
		if (sl->kind == T_KV) {
			re_literal(b, sl->label, strlen(sl->label));
			buf_adds(b, sl->sep == '=' ? "=" : ":[ \\t]*");
		}
		value_re(b, sl, l->lines, i == l->n - 1);
	}
	buf_adds(b, "[ \\t]*\\r?$");
}

static const char *const field_words[] = {
	[F_TS] = "time", [F_STATUS] = "status code", [F_REASON] = "reason",
	[F_METHOD] = "method", [F_CALLID] = "Call-ID", [F_CSEQ] = "CSeq",
	[F_CSEQ_METHOD] = "CSeq method", [F_SRC] = "source", [F_UA] = "User-Agent",
	[F_AUTH] = "credentials", [F_RURI] = "request URI",
};

/* "Call-ID in cid=", "method or status code bare" ... for the summary and the comments */
static void describe(struct buf *b, const struct layout *l)
{
	int first = 1;

	for (int i = 0; i < l->n; i++) {
		const struct slot *sl = &l->s[i];
		if (sl->field == FV_NONE)
			continue;
		const char *what = sl->field == FV_MC ?
			(!sl->sh.code ? "method" : !sl->sh.method ? "status code" : "method or status code") :
			field_words[sl->field];
		buf_printf(b, "%s%s ", first ? "" : ", ", what);
		first = 0;
		if (sl->kind == T_KV)
			buf_printf(b, "in '%s%s'", sl->label, sl->sep == '=' ? "=" : ": ");
		else if (sl->kind == T_BRACKET)
			buf_adds(b, "in [...]");
		else if (sl->kind == T_QUOTED)
			buf_adds(b, "quoted");
		else
			buf_adds(b, "unlabelled");
	}
}

/* The longest literal every used layout holds: the prefilter; NULL when none. */
static const char *common_literal(const struct infer *in, struct buf *b)
{
	const struct layout *best = NULL;
	size_t bestn = 0;
	char cand[LABEL_MAX + 2 * WORD_MAX + 4];

	for (int li = 0; li < in->nlay; li++) {
		const struct layout *l = &in->lay[li];
		if (!l->used)
			continue;
		for (int c = -1; c < l->n; c++) {
			if (c < 0) {
				if (!l->nlead)
					continue;
				if (l->nlead == 2)
					snprintf(cand, sizeof(cand), "%s %s", l->lead[1], l->lead[0]);
				else
					snprintf(cand, sizeof(cand), "%s", l->lead[0]);
			} else if (l->s[c].kind == T_KV) {
				snprintf(cand, sizeof(cand), "%s%c", l->s[c].label, l->s[c].sep);
			} else {
				continue;
			}
			size_t n = strlen(cand);
			int ok = n > bestn;
			for (const char *p = cand; *p && ok; p++)
				ok = isalnum((unsigned char)*p) || strchr(" _.:=<>[]/-", *p);
			for (int k = 0; k < in->nlay && ok; k++) {
				const struct layout *o = &in->lay[k];
				int found = 0;
				if (!o->used)
					continue;
				char oc[LABEL_MAX + 2 * WORD_MAX + 4];
				if (o->nlead == 2)
					snprintf(oc, sizeof(oc), "%s %s", o->lead[1], o->lead[0]);
				else
					snprintf(oc, sizeof(oc), "%s", o->nlead ? o->lead[0] : "");
				found = strstr(oc, cand) != NULL;
				for (int s = 0; s < o->n && !found; s++)
					if (o->s[s].kind == T_KV) {
						snprintf(oc, sizeof(oc), "%s%c", o->s[s].label,
							 o->s[s].sep);
						found = strcmp(oc, cand) == 0 ||
							(c < 0 && strstr(oc, cand) != NULL);
					}
				ok = found;
			}
			if (ok) {
				best = l;
				bestn = n;
				buf_reset(b);
				buf_adds(b, cand);
			}
		}
	}
	return best ? buf_cstr(b) : NULL;
}

static int by_lines(const void *a, const void *b)
{
	const struct layout *x = a, *y = b;

	return x->lines < y->lines ? 1 : x->lines > y->lines ? -1 : strcmp(x->sig, y->sig);
}

int infer_profile_text(const char *sample, size_t len, struct buf *text, struct buf *summary)
{
	struct infer *in = xcalloc(1, sizeof(*in));
	const char *p = sample, *end = sample + len;
	unsigned nlines = 0;
	int rc = -1;

	while (p < end && nlines < INFER_MAX_LINES) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *le = e;
		while (le > p && le[-1] == '\r')
			le--;
		if (le - p <= INFER_MAX_LINE)
			add_line(in, p, le);
		nlines++;
		p = nl ? nl + 1 : end;
	}
	qsort(in->lay, (size_t)in->nlay, sizeof(in->lay[0]), by_lines);
	unsigned used_lines = 0, nused = 0;
	int any_cseq = 0, any_request = 0, any_reply = 0;
	for (int i = 0; i < in->nlay && nused < PROFILE_MAX_MATCH; i++) {
		struct layout *l = &in->lay[i];
		if (l->lines < 2 || l->lines * INFER_MIN_SHARE < in->candidates || decide(in, l) < 0)
			continue;
		decide_lead(l);
		l->used = 1;
		nused++;
		used_lines += l->lines;
		for (int k = 0; k < l->n; k++) {
			any_cseq |= l->s[k].field == F_CSEQ;
			any_request |= l->s[k].field == FV_MC && l->s[k].sh.method;
			any_reply |= l->s[k].field == FV_MC && l->s[k].sh.code;
		}
	}
	if (used_lines < INFER_MIN_LINES) {
		if (!in->candidates)
			buf_adds(summary, "no line holds a labelled Call-ID (ci=, cid=, callid=, "
				 "call_id=, Call-ID: ...) and a method or status code");
		else
			buf_printf(summary, "%u line%s hold%s a Call-ID and a method or status code, "
				   "but only %u agree on a layout (at least %d needed)",
				   in->candidates, in->candidates == 1 ? "" : "s",
				   in->candidates == 1 ? "s" : "", used_lines, INFER_MIN_LINES);
		goto out;
	}

	struct buf lit = {0};
	int top_req = 0;
	const char *pre = common_literal(in, &lit);
	/* the summary names the fields of the layout of requests with the most lines */
	const struct layout *top = NULL;
	for (int i = 0; i < in->nlay; i++) {
		const struct layout *l = &in->lay[i];
		int req = 0;
		for (int k = 0; k < l->n; k++)
			req |= l->s[k].field == FV_MC && l->s[k].sh.method;
		if (l->used && (!top || (req && !top_req))) {
			top = l;
			top_req = req;
		}
	}
	buf_printf(summary, "layout inferred from %u of %u candidate lines (%u layout%s): ",
		   used_lines, in->candidates, nused, nused == 1 ? "" : "s");
	describe(summary, top);
	if (!any_cseq)
		buf_adds(summary, "; no CSeq in it: retries after 401/407 cannot be followed");
	if (!any_request)
		buf_adds(summary, "; replies only");
	else if (!any_reply)
		buf_adds(summary, "; requests only");

	buf_adds(text, "# Inferred by siplogscan (--log-format auto) from a log's sample; review it,\n"
		 "# save it and pass it with --log-format FILE (syntax: man siplogscan, PROFILES).\n");
	buf_printf(text, "# %u of %u candidate lines are in the layouts below.\n", used_lines,
		   in->candidates);
	if (!any_cseq)
		buf_adds(text, "# No CSeq in this layout: retries after 401/407 cannot be followed.\n");
	buf_adds(text, "name = inferred\nrecord = line\n");
	if (pre)
		buf_printf(text, "prefilter = \"%s\"\n", pre);
	for (int i = 0; i < in->nlay; i++) {
		const struct layout *l = &in->lay[i];
		if (!l->used)
			continue;
		buf_printf(text, "# %u lines: ", l->lines);
		describe(text, l);
		buf_adds(text, "\nmatch = ");
		match_re(text, l);
		buf_addc(text, '\n');
	}
	buf_free(&lit);
	rc = 0;
out:
	for (int i = 0; i < in->nlay; i++)
		free(in->lay[i].sig);
	free(in);
	return rc;
}

int infer_same(const struct profile *a, const struct profile *b)
{
	if (strcmp(a->name, b->name) != 0 || strcmp(a->origin, b->origin) != 0 ||
	    a->kind != b->kind || a->nmatch != b->nmatch ||
	    (a->prefilter == NULL) != (b->prefilter == NULL) ||
	    (a->prefilter && strcmp(a->prefilter, b->prefilter) != 0))
		return 0;
	for (int i = 0; i < a->nmatch; i++)
		if (strcmp(a->match[i].source, b->match[i].source) != 0)
			return 0;
	return 1;
}

static int whole_sample(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 0;	/* never enough: the head and the later pieces */
}

/* What 'profile --infer' prints: the layout a scan infers, from the lines no built-in reads */
struct printed {
	struct buf text, why;
	struct profile *p;
	int asked;
};

static const struct profile *infer_printed(void *ctx, const char *lines, size_t n)
{
	struct printed *pr = ctx;

	pr->asked = 1;
	if (infer_profile_text(lines, n, &pr->text, &pr->why) == 0)
		pr->p = profile_parse(pr->text.p, pr->text.len, "inferred");
	return pr->p;
}

static const char infer_usage[] =
	"Usage: siplogscan profile --infer FILE...\n"
	"Print the profile that --log-format auto infers from the samples of the FILEs (an\n"
	"operator's own one-line layout: labels such as cid= cseq= src= ua=). Save it, review\n"
	"it, and pass it with --log-format FILE.\n";

int infer_main(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(infer_usage, stdout);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "--infer") != 0) {
		fputs(infer_usage, stderr);
		return 2;
	}
	struct buf all = {0};
	int rc = 0;
	for (int i = 2; i < argc; i++) {
		struct report_file rf = { .path = xstrndup(argv[i], strlen(argv[i])) };
		struct buf sample = {0};
		struct source *s = source_open(argv[i], &rf);	/* its errors name rf.path */
		if (!s || source_sample_until(s, &sample, &rf, whole_sample, NULL) != 0)
			rc = 2;	/* the source says why */
		if (s)
			source_close(s);
		buf_add(&all, sample.p ? sample.p : "", sample.len);
		buf_addc(&all, '\n');
		buf_free(&sample);
		free(rf.path);
		free(rf.error);
		free(rf.note);
	}
	if (rc == 0) {
		const struct profile *cand[8];
		struct printed pr = {0};
		struct detect_result d;
		int n = 0;
		for (int i = 0; profile_builtin_names[i] && n < 8; i++)
			if ((cand[n] = profile_builtin(profile_builtin_names[i])))
				n++;
		detect_format(cand, n, infer_printed, &pr, all.p, all.len, 0, &d);
		for (int i = 0; i < n; i++)
			profile_free((struct profile *)cand[i]);
		if (!pr.asked)
			buf_adds(&pr.why, "every line of the sample is read by a built-in format");
		if (!pr.p) {
			/* a text that does not compile is not printed */
			err_msg("no layout inferred%s: %s", d.profile ? " from the lines that no "
				"built-in format reads" : "", buf_cstr(&pr.why));
			rc = 2;
		} else {
			fwrite(pr.text.p, 1, pr.text.len, stdout);
			err_msg("%s", buf_cstr(&pr.why));
		}
		profile_free(pr.p);
		buf_free(&pr.text);
		buf_free(&pr.why);
	}
	buf_free(&all);
	return rc;
}
