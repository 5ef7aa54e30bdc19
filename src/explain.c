/*
 * explain.c - `siplogscan explain`: print the knowledge base at the command line.
 *
 *   siplogscan explain 407                 one code's record
 *   siplogscan explain 100 407 [486...]    the records field by field, one row per code, then
 *                                          the key differences (each later code against the
 *                                          first)
 *   siplogscan explain stuck-after-100     a problem pattern
 *   siplogscan explain --list              every registered code and every pattern
 *
 * Where in the flow: beside the scan. Input is the static tables of src/knowledge.c and the
 * arguments; output is text (wrapped at 100 columns, bold headings on a terminal) or JSON,
 * schema siplogscan.explain/1 (docs/explain-json.md).
 *
 * Invariants:
 *  - The differences between two codes are derived from their records (class, code / 100,
 *    the client_action enum, the sender, when and registration), never written per pair, so
 *    any pair of codes in 100..699 compares, the same code twice and unregistered ones too.
 *  - An unregistered code is explained by its class record (RFC 3261 section 21: an unknown
 *    code is handled as the x00 of its class) and always says that it is not registered.
 *  - Arguments are user input of any length and content: they are never copied into a
 *    fixed-size buffer, and error messages show them through esc_text().
 *  - Everything printed from the tables is ASCII, so text columns are counted in bytes.
 */
#include "explain.h"
#include "escape.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_WIDTH 100
#define SUGGEST_MAX_LEN 64	/* longer words get no "did you mean" (edit distance rows) */

/* ---- code records */

struct code_view {
	int code;
	const struct code_info *ci;	/* the registered record, or the class record */
	int registered;
	enum sip_class cls;
	const struct code_info *x00;	/* the class's x00: how an unregistered code is handled */
};

static int code_view(int code, struct code_view *v)
{
	enum sip_class c = knowledge_class_of(code);

	if (!c)
		return -1;
	v->code = code;
	v->cls = c;
	v->x00 = knowledge_code((int)c * 100);
	v->ci = knowledge_code(code);
	v->registered = v->ci != NULL;
	if (!v->ci)
		v->ci = knowledge_class(code);
	return 0;
}

static int is_final(const struct code_view *v)
{
	return v->cls != SIP_CLASS_PROVISIONAL;
}

/* "407 Proxy Authentication Required" or "499 (not registered)" */
static void code_title(struct buf *b, const struct code_view *v)
{
	if (v->registered)
		buf_printf(b, "%d %s", v->code, v->ci->reason);
	else
		buf_printf(b, "%d (not registered)", v->code);
}

/* "400 Bad Request": the code an unregistered one is handled as */
static void x00_name(struct buf *b, const struct code_view *v)
{
	if (v->x00)
		buf_printf(b, "%d %s", v->x00->code, v->x00->reason);
	else
		buf_printf(b, "%d", (int)v->cls * 100);
}

static const char *action_key(enum client_action a)
{
	switch (a) {
	case ACTION_WAIT:
		return "wait";
	case ACTION_DONE:
		return "done";
	case ACTION_REDIRECT:
		return "redirect";
	case ACTION_AUTH_PROXY:
		return "auth-proxy";
	case ACTION_AUTH_WWW:
		return "auth-www";
	case ACTION_FIX_REQUEST:
		return "fix-request";
	case ACTION_RETRY_LATER:
		return "retry-later";
	case ACTION_TRY_ELSEWHERE:
		return "try-elsewhere";
	case ACTION_GIVE_UP:
		return "give-up";
	}
	return "unknown";
}

const char *explain_action_text(enum client_action a)
{
	switch (a) {
	case ACTION_WAIT:
		return "Nothing to send: wait for more responses (a final response follows).";
	case ACTION_DONE:
		return "Nothing more to do: the request succeeded (a 2xx to an INVITE is "
			"acknowledged with ACK).";
	case ACTION_REDIRECT:
		return "Try the address or addresses given in the Contact header.";
	case ACTION_AUTH_PROXY:
		/* RFC 3261 section 22.3: same Call-ID, CSeq increased, Proxy-Authorization */
		return "Resend the request with Proxy-Authorization and a higher CSeq.";
	case ACTION_AUTH_WWW:
		return "Resend the request with Authorization and a higher CSeq.";
	case ACTION_FIX_REQUEST:
		return "Change the request (headers, body, URI or extensions) and send it again.";
	case ACTION_RETRY_LATER:
		return "Send the same request again later (after Retry-After) or to another server.";
	case ACTION_TRY_ELSEWHERE:
		return "Try another route or server: this destination failed.";
	case ACTION_GIVE_UP:
		return "Give up: the refusal is definitive, do not retry.";
	}
	return "Unknown.";
}

/* The same, as a predicate after "the client" in a sentence of the differences. */
static const char *action_predicate(enum client_action a)
{
	switch (a) {
	case ACTION_WAIT:
		return "has nothing to send and waits for more responses";
	case ACTION_DONE:
		return "is done: the request succeeded (a 2xx to an INVITE is acknowledged with ACK)";
	case ACTION_REDIRECT:
		return "should try the addresses given in the Contact header";
	case ACTION_AUTH_PROXY:
		return "must resend the request with Proxy-Authorization and a higher CSeq";
	case ACTION_AUTH_WWW:
		return "must resend the request with Authorization and a higher CSeq";
	case ACTION_FIX_REQUEST:
		return "must change the request (headers, body, URI or extensions) before sending "
			"it again";
	case ACTION_RETRY_LATER:
		return "may send the same request again later (after Retry-After) or to another "
			"server";
	case ACTION_TRY_ELSEWHERE:
		return "should try another route or server, as this destination failed";
	case ACTION_GIVE_UP:
		return "should give up, as the refusal is definitive";
	}
	return "has no known action";
}

/* "client failure (4xx): final, it ends the transaction" */
static void class_text(struct buf *b, const struct code_view *v)
{
	buf_printf(b, "%s (%dxx): %s", knowledge_class_name(v->cls), (int)v->cls,
		   is_final(v) ? "final, it ends the transaction."
			       : "more responses follow, it does not end the transaction.");
}

static void registered_text(struct buf *b, const struct code_view *v)
{
	if (v->registered) {
		buf_adds(b, "Yes, in the IANA registry of SIP response codes.");
		return;
	}
	buf_printf(b, "No: %d is not in the IANA registry of SIP response codes. RFC 3261 section "
		   "21 treats a code it does not know as the x00 of its class, so a client handles "
		   "%d as ", v->code, v->code);
	x00_name(b, v);
	buf_printf(b, ". The other fields describe the %s class.", knowledge_class_name(v->cls));
}

/* ---- differences */

/* "a client failure (4xx)" */
static void class_phrase(struct buf *b, const struct code_view *v)
{
	buf_printf(b, "a %s (%dxx)", knowledge_class_name(v->cls), (int)v->cls);
}

/* One sentence per call, appended with its '\n'. */
static void diff_class(struct buf *b, const struct code_view *x, const struct code_view *y)
{
	int fx = is_final(x), fy = is_final(y);

	if (fx != fy) {
		const struct code_view *p = fx ? y : x, *f = fx ? x : y;
		/* keep the order of the arguments in the sentence */
		if (p == x)
			buf_printf(b, "%d is provisional (1xx): more responses follow; %d is final, ",
				   p->code, f->code);
		else
			buf_printf(b, "%d is final, ", f->code);
		class_phrase(b, f);
		buf_adds(b, ": it ends the transaction");
		if (p == y)
			buf_printf(b, "; %d is provisional (1xx): more responses follow", p->code);
		buf_adds(b, ".\n");
	} else if (!fx) {
		buf_printf(b, "%d and %d are both provisional (1xx): more responses follow and "
			   "neither ends the transaction.\n", x->code, y->code);
	} else if (x->cls == y->cls) {
		buf_printf(b, "%d and %d are both final %ss (%dxx): each ends the transaction.\n",
			   x->code, y->code, knowledge_class_name(x->cls), (int)x->cls);
	} else {
		buf_printf(b, "%d and %d are both final, so each ends the transaction, but %d is ",
			   x->code, y->code, x->code);
		class_phrase(b, x);
		buf_printf(b, " and %d is ", y->code);
		class_phrase(b, y);
		buf_adds(b, ".\n");
	}
}

static void diff_registered(struct buf *b, const struct code_view *v)
{
	buf_printf(b, "%d is not registered: RFC 3261 treats it as the x00 of its class, ", v->code);
	x00_name(b, v);
	buf_adds(b, ".\n");
}

static void diff_sender(struct buf *b, const struct code_view *x, const struct code_view *y)
{
	if (strcmp(x->ci->sender, y->ci->sender) == 0)
		buf_printf(b, "Both are sent by %s.\n", x->ci->sender);
	else
		buf_printf(b, "%d is sent by %s; %d by %s.\n", x->code, x->ci->sender, y->code,
			   y->ci->sender);
}

static void diff_action(struct buf *b, const struct code_view *x, const struct code_view *y)
{
	enum client_action ax = x->ci->action, ay = y->ci->action;

	if (ax == ay) {
		buf_printf(b, "After either code the client %s.\n", action_predicate(ax));
		return;
	}
	buf_printf(b, "After %d the client %s; after %d the client %s.\n", x->code,
		   action_predicate(ax), y->code, action_predicate(ay));
	/* "expect more responses" against "must act": say it outright when only one waits */
	if ((ax == ACTION_WAIT) != (ay == ACTION_WAIT))
		buf_printf(b, "So %d needs no action from the client, while %d requires it to act.\n",
			   ax == ACTION_WAIT ? x->code : y->code,
			   ax == ACTION_WAIT ? y->code : x->code);
}

static void diff_when(struct buf *b, const struct code_view *v)
{
	/* the record's text as written: it may start with a name (Kamailio, RFC) */
	buf_printf(b, "When you see %d: %s\n", v->code, v->ci->when);
}

int explain_differences(struct buf *out, int a, int b)
{
	struct code_view x, y;
	size_t start = out->len;
	int n = 0;

	if (code_view(a, &x) < 0 || code_view(b, &y) < 0)
		return -1;
	if (a == b) {
		buf_adds(out, "Both are ");
		code_title(out, &x);
		buf_adds(out, ": the same code, so nothing differs.\n");
		return 1;
	}
	diff_class(out, &x, &y);
	if (!x.registered)
		diff_registered(out, &x);
	if (!y.registered)
		diff_registered(out, &y);
	if (x.ci == y.ci) {
		/* two unregistered codes of one class share the class record */
		buf_adds(out, "Otherwise they mean the same: a client handles both as ");
		x00_name(out, &x);
		buf_adds(out, ".\n");
	} else {
		diff_sender(out, &x, &y);
		diff_action(out, &x, &y);
		if (strcmp(x.ci->when, y.ci->when) != 0) {
			diff_when(out, &x);
			diff_when(out, &y);
		}
	}
	for (size_t i = start; i < out->len; i++)
		n += out->p[i] == '\n';
	return n;
}

/* ---- text */

struct tout {
	struct buf *b;
	unsigned width;
	int color;
};

/* first, then the words of text, wrapped; continuation lines start with indent spaces */
static void wrap(struct tout *t, const char *first, unsigned indent, const char *text)
{
	buf_wrap(t->b, first, indent, t->width, text);
}

/* A bold line, wrapped if it is long (the title of a comparison of many codes). */
static void heading(struct tout *t, const char *title)
{
	if (t->color)
		buf_adds(t->b, "\033[1m");
	wrap(t, "", 2, title);
	if (t->color) {
		t->b->len--;	/* the reset goes before the line's end */
		buf_adds(t->b, "\033[0m\n");
	}
}

enum field {
	F_REGISTERED, F_CLASS, F_MEANING, F_WHEN, F_FIX, F_SENDER, F_ACTION, F_RFC, F_COUNT
};

static const char *const field_title[F_COUNT] = {
	[F_REGISTERED] = "Registered",
	[F_CLASS] = "Class",
	[F_MEANING] = "What it means",
	[F_WHEN] = "When you see it",
	[F_FIX] = "How to fix it",
	[F_SENDER] = "Who sends it",
	[F_ACTION] = "What the client must do",
	[F_RFC] = "Defined in",
};

static void field_value(struct buf *b, const struct code_view *v, enum field f)
{
	switch (f) {
	case F_REGISTERED:
		registered_text(b, v);
		break;
	case F_CLASS:
		class_text(b, v);
		break;
	case F_MEANING:
		buf_adds(b, v->ci->meaning);
		break;
	case F_WHEN:
		buf_adds(b, v->ci->when);
		break;
	case F_FIX:
		buf_adds(b, v->ci->fix);
		break;
	case F_SENDER:
		buf_adds(b, v->ci->sender);
		break;
	case F_ACTION:
		buf_adds(b, explain_action_text(v->ci->action));
		break;
	case F_RFC:
		buf_adds(b, v->ci->rfc);
		break;
	case F_COUNT:
		break;
	}
}

/*
 * One code: its title, then each field under its heading. Several: a title line, then each
 * field once with one row per code ("  407  value"), then the differences.
 */
static void text_codes(struct tout *t, const struct code_view *v, size_t n)
{
	struct buf tmp = {0};
	int any_unregistered = 0;

	for (size_t i = 0; i < n; i++)
		any_unregistered |= !v[i].registered;
	if (n == 1) {
		code_title(&tmp, &v[0]);
	} else {
		buf_adds(&tmp, "Compare ");
		for (size_t i = 0; i < n; i++) {
			if (i)
				buf_adds(&tmp, i + 1 == n ? " with " : ", ");
			code_title(&tmp, &v[i]);
		}
	}
	heading(t, buf_cstr(&tmp));
	for (int f = 0; f < F_COUNT; f++) {
		if (f == F_REGISTERED && !any_unregistered)
			continue;
		buf_addc(t->b, '\n');
		heading(t, field_title[f]);
		for (size_t i = 0; i < n; i++) {
			char lead[16];
			buf_reset(&tmp);
			field_value(&tmp, &v[i], (enum field)f);
			if (n == 1)
				snprintf(lead, sizeof(lead), "  ");
			else
				snprintf(lead, sizeof(lead), "  %d  ", v[i].code);
			wrap(t, lead, (unsigned)strlen(lead), buf_cstr(&tmp));
		}
	}
	for (size_t i = 1; i < n; i++) {
		buf_reset(&tmp);
		if (n == 2)
			buf_adds(&tmp, "Key differences");
		else
			buf_printf(&tmp, "Key differences: %d against %d", v[i].code, v[0].code);
		buf_addc(t->b, '\n');
		heading(t, buf_cstr(&tmp));
		buf_reset(&tmp);
		explain_differences(&tmp, v[0].code, v[i].code);
		for (char *s = buf_cstr(&tmp), *e; *s; s = e + 1) {
			e = strchr(s, '\n');
			*e = '\0';
			wrap(t, "  - ", 4, s);
		}
	}
	buf_free(&tmp);
}

static void text_pattern(struct tout *t, const struct pattern_info *p)
{
	struct buf tmp = {0};

	buf_printf(&tmp, "%s: %s", p->id, p->title);
	heading(t, buf_cstr(&tmp));
	buf_printf(t->b, "  severity: %s", knowledge_severity_name(p->severity));
	/* the one pattern whose severity in a report depends on what it found (report.h) */
	if (p->pid == PAT_AUTH_SCANNER)
		buf_printf(t->b, " when a flagged source got in, else %s (see the rule)",
			   knowledge_severity_name(SEV_LOW));
	buf_adds(t->b, "\n\n");
	heading(t, "Detection rule");
	wrap(t, "  ", 2, p->rule);
	buf_addc(t->b, '\n');
	heading(t, "Share relative to");
	wrap(t, "  ", 2, p->denominator);
	buf_addc(t->b, '\n');
	heading(t, "What usually causes it");
	wrap(t, "  ", 2, p->causes);
	buf_addc(t->b, '\n');
	heading(t, "Recommended fix");
	wrap(t, "  ", 2, p->fix);
	buf_free(&tmp);
}

static void text_list(struct tout *t)
{
	size_t n;
	const struct code_info *c = knowledge_codes(&n);

	heading(t, "Response codes (siplogscan explain CODE)");
	for (size_t i = 0; i < n; i++)
		buf_printf(t->b, "  %d  %-40s %s\n", c[i].code, c[i].reason,
			   knowledge_class_name(knowledge_class_of(c[i].code)));
	wrap(t, "  ", 2, "Codes in 100..699 that are not listed are not registered; explain one "
	     "(e.g. siplogscan explain 499) for its class.");
	buf_addc(t->b, '\n');
	heading(t, "Problem patterns (siplogscan explain ID)");
	for (int i = 0; i < PAT_COUNT; i++) {
		const struct pattern_info *p = knowledge_pattern((enum pattern_id)i);
		char lead[64];
		snprintf(lead, sizeof(lead), "  %-24s %-9s ", p->id,
			 knowledge_severity_name(p->severity));
		wrap(t, lead, (unsigned)strlen(lead), p->title);
	}
}

/* ---- JSON */

static void jstr(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	esc_json(b, s, strlen(s));
	buf_addc(b, '"');
}

static void json_code(struct buf *b, const struct code_view *v)
{
	struct buf tmp = {0};

	buf_printf(b, "{\"code\": %d, \"registered\": %s, \"reason\": ", v->code,
		   v->registered ? "true" : "false");
	jstr(b, v->ci->reason);
	buf_printf(b, ", \"class\": \"%s\", \"class_digit\": %d, \"final\": %s, \"handled_as\": %d,\n",
		   knowledge_class_name(v->cls), (int)v->cls, is_final(v) ? "true" : "false",
		   v->registered ? v->code : (int)v->cls * 100);
	buf_adds(b, "     \"rfc\": ");
	jstr(b, v->ci->rfc);
	buf_adds(b, ", \"sender\": ");
	jstr(b, v->ci->sender);
	buf_printf(b, ",\n     \"action\": \"%s\", \"client_must\": ", action_key(v->ci->action));
	jstr(b, explain_action_text(v->ci->action));
	buf_adds(b, ",\n     \"meaning\": ");
	jstr(b, v->ci->meaning);
	buf_adds(b, ",\n     \"when\": ");
	jstr(b, v->ci->when);
	buf_adds(b, ",\n     \"fix\": ");
	jstr(b, v->ci->fix);
	buf_adds(b, ",\n     \"note\": ");
	if (v->registered) {
		buf_adds(b, "null");
	} else {
		registered_text(&tmp, v);
		jstr(b, buf_cstr(&tmp));
	}
	buf_printf(b, ", \"explain\": \"siplogscan explain %d\"}", v->code);
	buf_free(&tmp);
}

static void json_pattern(struct buf *b, const struct pattern_info *p)
{
	buf_printf(b, "{\"id\": \"%s\", \"title\": ", p->id);
	jstr(b, p->title);
	buf_printf(b, ", \"severity\": \"%s\",\n     \"rule\": ", knowledge_severity_name(p->severity));
	jstr(b, p->rule);
	buf_adds(b, ",\n     \"of\": ");
	jstr(b, p->denominator);
	buf_adds(b, ",\n     \"causes\": ");
	jstr(b, p->causes);
	buf_adds(b, ",\n     \"fix\": ");
	jstr(b, p->fix);
	buf_printf(b, ",\n     \"explain\": \"siplogscan explain %s\"}", p->id);
}

/* The sentences in s (one per line) as JSON strings, comma-separated, each on its own line. */
static void json_sentences(struct buf *b, struct buf *s, int *first, const char *indent)
{
	for (char *p = buf_cstr(s), *e; *p; p = e + 1) {
		e = strchr(p, '\n');
		buf_adds(b, *first ? "\n" : ",\n");
		buf_adds(b, indent);
		buf_addc(b, '"');
		esc_json(b, p, (size_t)(e - p));
		buf_addc(b, '"');
		*first = 0;
	}
}

/* compare: the codes after the first are compared with it (not in --list) */
static void json_all(struct buf *b, const struct code_view *v, size_t n, int compare,
		     const struct pattern_info *const *pats, size_t np)
{
	struct buf tmp = {0};
	int first;

	buf_adds(b, "{\n  \"schema\": \"" EXPLAIN_SCHEMA "\",\n  \"codes\": [");
	for (size_t i = 0; i < n; i++) {
		buf_adds(b, i ? ",\n    " : "\n    ");
		json_code(b, &v[i]);
	}
	buf_adds(b, n ? "\n  ],\n" : "],\n");

	buf_adds(b, "  \"differences\": [");
	first = 1;
	for (size_t i = 1; compare && i < n; i++) {
		buf_reset(&tmp);
		explain_differences(&tmp, v[0].code, v[i].code);
		json_sentences(b, &tmp, &first, "    ");
	}
	buf_adds(b, first ? "],\n" : "\n  ],\n");

	buf_adds(b, "  \"comparisons\": [");
	for (size_t i = 1; compare && i < n; i++) {
		buf_printf(b, "%s    {\"codes\": [%d, %d], \"differences\": [", i > 1 ? ",\n" : "\n",
			   v[0].code, v[i].code);
		buf_reset(&tmp);
		explain_differences(&tmp, v[0].code, v[i].code);
		first = 1;
		json_sentences(b, &tmp, &first, "      ");
		buf_adds(b, "\n    ]}");
	}
	buf_adds(b, compare && n > 1 ? "\n  ],\n" : "],\n");

	buf_adds(b, "  \"patterns\": [");
	for (size_t i = 0; i < np; i++) {
		buf_adds(b, i ? ",\n    " : "\n    ");
		json_pattern(b, pats[i]);
	}
	buf_adds(b, np ? "\n  ]\n}\n" : "]\n}\n");
	buf_free(&tmp);
}

/* ---- the request */

int explain_render(struct buf *out, const struct explain_request *req, const struct explain_opts *o)
{
	struct tout t = { out, o->width ? o->width : DEFAULT_WIDTH, o->color && !o->json };
	const struct pattern_info *all_pats[PAT_COUNT];
	const struct pattern_info *const *pats = req->patterns;
	size_t n = req->ncodes, np = req->npatterns;
	struct code_view *v;

	if (req->list) {
		size_t nc;
		const struct code_info *c = knowledge_codes(&nc);
		if (!o->json) {
			text_list(&t);
			return 0;
		}
		v = xcalloc(nc, sizeof(*v));
		for (size_t i = 0; i < nc; i++)
			code_view(c[i].code, &v[i]);
		for (int i = 0; i < PAT_COUNT; i++)
			all_pats[i] = knowledge_pattern((enum pattern_id)i);
		/* a list, not a comparison: no differences */
		json_all(out, v, nc, 0, all_pats, PAT_COUNT);
		free(v);
		return 0;
	}

	v = xcalloc(n ? n : 1, sizeof(*v));
	for (size_t i = 0; i < n; i++) {
		if (code_view(req->codes[i], &v[i]) < 0) {
			free(v);
			return -1;
		}
	}
	if (o->json) {
		json_all(out, v, n, 1, pats, np);
	} else {
		if (n)
			text_codes(&t, v, n);
		for (size_t i = 0; i < np; i++) {
			if (n || i)
				buf_addc(out, '\n');
			text_pattern(&t, pats[i]);
		}
	}
	free(v);
	return 0;
}

/* ---- the command line */

static const char explain_usage[] =
"usage: siplogscan explain [OPTIONS] CODE [CODE...]\n"
"       siplogscan explain [OPTIONS] PATTERN-ID\n"
"       siplogscan explain [OPTIONS] --list\n"
"\n"
"Print what siplogscan knows about a SIP response code: reason phrase, class, what it means,\n"
"when you see it, how to fix it, who sends it, what the client must do, and the defining RFC.\n"
"Codes in 100..699 that IANA has not registered (e.g. 499) are explained by their class.\n"
"Two or more codes are shown side by side, field by field, followed by the key differences\n"
"(every code after the first is compared with the first). A PATTERN-ID (as in the report's\n"
"Problems section, e.g. stuck-after-100) prints the detection rule, what the share is\n"
"relative to, the usual causes and the recommended fix. Codes and pattern ids may be mixed.\n"
"\n"
"  -f, --format FMT     text (default) or json (schema siplogscan.explain/1)\n"
"      --color WHEN     auto (default: only on a terminal without NO_COLOR), always, never\n"
"      --list           every registered code and every problem pattern\n"
"  -h, --help           this help\n"
"\n"
"Examples:\n"
"  siplogscan explain 407                 one code\n"
"  siplogscan explain 100 407             compare two codes\n"
"  siplogscan explain stuck-after-100     a problem pattern from the report\n"
"  siplogscan explain --list -f json      the whole knowledge base as JSON\n"
"\n"
"Exit status: 0 done; 2 unknown word, code outside 100..699, or usage error.\n";

/* the argument, escaped for stderr (its length and content are the user's) */
static const char *shown_arg(struct buf *b, const char *s)
{
	buf_reset(b);
	esc_text(b, s, strlen(s));
	return buf_cstr(b);
}

static int lower_eq(char a, char b)
{
	return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Edit distance between word (ASCII letters compared without case) and id. */
static size_t edit_distance(const char *word, size_t n, const char *id)
{
	size_t m = strlen(id), prev[SUGGEST_MAX_LEN + 1], cur[SUGGEST_MAX_LEN + 1];

	if (m > SUGGEST_MAX_LEN || n > SUGGEST_MAX_LEN)
		return (size_t)-1;
	for (size_t j = 0; j <= m; j++)
		prev[j] = j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= m; j++) {
			size_t d = prev[j - 1] + !lower_eq(word[i - 1], id[j - 1]);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			cur[j] = d;
		}
		memcpy(prev, cur, (m + 1) * sizeof(prev[0]));
	}
	return prev[m];
}

static int contains_nocase(const char *hay, const char *needle, size_t n)
{
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && lower_eq(hay[i], needle[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* The pattern id the user obviously meant, or NULL: a unique id containing the word (3 or
 * more characters), else the unique closest id within a third of its length of edits. */
static const char *suggest(const char *word)
{
	size_t n = strlen(word), best = (size_t)-1;
	const char *hit = NULL, *closest = NULL;
	int hits = 0, ties = 0;

	if (n < 3 || n > SUGGEST_MAX_LEN)
		return NULL;
	for (int i = 0; i < PAT_COUNT; i++) {
		const char *id = knowledge_pattern((enum pattern_id)i)->id;
		size_t d = edit_distance(word, n, id);
		if (contains_nocase(id, word, n)) {
			hit = id;
			hits++;
		}
		if (d < best) {
			best = d;
			closest = id;
			ties = 0;
		} else if (d == best) {
			ties++;
		}
	}
	if (hits == 1)
		return hit;
	if (!ties && closest && best * 3 <= strlen(closest) && best <= 4)
		return closest;
	return NULL;
}

static void list_pattern_ids(void)
{
	fputs("  accepted: a response code 100..699, --list, or a problem pattern id:\n   ", stderr);
	size_t col = 3;
	for (int i = 0; i < PAT_COUNT; i++) {
		const char *id = knowledge_pattern((enum pattern_id)i)->id;
		if (col + 1 + strlen(id) > DEFAULT_WIDTH) {
			fputs("\n   ", stderr);
			col = 3;
		}
		fprintf(stderr, " %s", id);
		col += 1 + strlen(id);
	}
	fputc('\n', stderr);
}

/* An argument made of an optional sign and digits looks like a number: returns 1, with the
 * code in *code when it is written as a code is (three digits), else 0 there (rejected). */
static int numeric_arg(const char *s, int *code)
{
	const char *d = s + (*s == '-' || *s == '+');
	size_t n = strspn(d, "0123456789");

	if (!n || d[n])
		return 0;
	*code = n == 3 && d == s ? atoi(d) : 0;
	return 1;
}

/*
 * If argv[*i] is option lng ("--format", also "--format=V") or shrt ("-f", also "-fV"), set
 * *val to its value (the next argument for "--format V"; NULL when there is none, *i moved
 * past what was used) and return 1; else return 0.
 */
static int take_opt(int argc, char **argv, int *i, const char *lng, const char *shrt,
		    const char **val)
{
	const char *a = argv[*i];
	size_t ln = strlen(lng);

	if (strncmp(a, lng, ln) == 0 && a[ln] == '=') {
		*val = a + ln + 1;
	} else if (shrt && strncmp(a, shrt, 2) == 0 && a[2]) {
		*val = a + 2;
	} else if (strcmp(a, lng) == 0 || (shrt && strcmp(a, shrt) == 0)) {
		*val = *i + 1 < argc ? argv[++*i] : NULL;
	} else {
		return 0;
	}
	return 1;
}

/* Index of val in the NULL-terminated choices, or -1 after reporting the error. */
static int choice(const char *opt, const char *val, const char *const *choices,
		  const char *expected, struct buf *tmp)
{
	for (int k = 0; val && choices[k]; k++)
		if (strcmp(val, choices[k]) == 0)
			return k;
	if (val)
		err_msg("explain: %s: expected %s, got '%s'", opt, expected, shown_arg(tmp, val));
	else
		err_msg("explain: %s: expected %s after it", opt, expected);
	return -1;
}

int explain_main(int argc, char **argv)
{
	static const char *const formats[] = { "text", "json", NULL };
	static const char *const whens[] = { "never", "always", "auto", NULL };
	int json = 0, color = -1, list = 0, dashdash = 0, rc = 2;
	size_t ncodes = 0, npats = 0;
	int *codes = xcalloc((size_t)argc, sizeof(*codes));
	const struct pattern_info **pats = xcalloc((size_t)argc, sizeof(*pats));
	struct buf arg = {0}, out = {0};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;
		int code, k;

		/* "-5" is a (bad) code, not an option */
		if (!dashdash && a[0] == '-' && a[1] && !isdigit((unsigned char)a[1])) {
			if (strcmp(a, "--") == 0) {
				dashdash = 1;
			} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				fputs(explain_usage, stdout);
				rc = 0;
				goto done;
			} else if (strcmp(a, "--list") == 0) {
				list = 1;
			} else if (take_opt(argc, argv, &i, "--format", "-f", &val)) {
				if ((k = choice("--format", val, formats, "text or json", &arg)) < 0)
					goto usage;
				json = k == 1;
			} else if (take_opt(argc, argv, &i, "--color", NULL, &val) ||
				   take_opt(argc, argv, &i, "--colour", NULL, &val)) {
				k = choice("--color", val, whens, "auto, always or never", &arg);
				if (k < 0)
					goto usage;
				color = k == 2 ? -1 : k;
			} else {
				err_msg("explain: unknown option '%s' (accepted: --format text|json, "
					"--color auto|always|never, --list, --help)", shown_arg(&arg, a));
				goto usage;
			}
			continue;
		}
		if (numeric_arg(a, &code)) {
			if (!knowledge_class_of(code)) {
				err_msg("explain: '%s' is not a SIP response code: expected 100..699",
					shown_arg(&arg, a));
				goto usage;
			}
			codes[ncodes++] = code;
			continue;
		}
		const struct pattern_info *p = knowledge_pattern_by_id(a);
		if (p) {
			pats[npats++] = p;
			continue;
		}
		const char *s = suggest(a);
		if (s)
			err_msg("explain: unknown word '%s': did you mean '%s'?", shown_arg(&arg, a),
				s);
		else
			err_msg("explain: unknown word '%s': neither a response code nor a problem "
				"pattern id", shown_arg(&arg, a));
		list_pattern_ids();
		goto usage;
	}
	if (list && (ncodes || npats)) {
		err_msg("explain: --list takes no code or pattern id");
		goto usage;
	}
	if (!list && !ncodes && !npats) {
		err_msg("explain: name a response code (100..699), a problem pattern id, or --list");
		goto usage;
	}
	if (color < 0)
		color = !json && isatty(1) && !getenv("NO_COLOR");

	struct explain_request req = { codes, ncodes, pats, npats, list };
	struct explain_opts o = { json, color, DEFAULT_WIDTH };
	explain_render(&out, &req, &o);	/* every code was checked above */
	if ((out.len && fwrite(out.p, 1, out.len, stdout) != out.len) || fflush(stdout) != 0) {
		err_errno("explain: cannot write to stdout");
		goto done;
	}
	rc = 0;
	goto done;
usage:
	fputs("Try 'siplogscan explain --help' for more information.\n", stderr);
	rc = 2;
done:
	buf_free(&out);
	buf_free(&arg);
	free(pats);
	free(codes);
	return rc;
}
