/*
 * render_text.c - the report model as text for a terminal or an email.
 *
 * Lines stay within 100 columns (prose is wrapped; an over-long Call-ID is shortened with its
 * length shown, the JSON report has it whole). Colour only when asked (a terminal). Every
 * string from a log goes through esc_text(): no control character reaches the terminal.
 */
#include "render.h"
#include "escape.h"
#include "timeparse.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define MAX_SHOWN_ID 80

struct tctx {
	struct buf *b;
	const struct render_opts *o;
	unsigned width;
};

static const char *sgr(const struct tctx *t, const char *code)
{
	return t->o->color ? code : "";
}

static void num(struct buf *b, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%" PRIu64, v);

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf_addc(b, ',');
		buf_addc(b, tmp[i]);
	}
}

static void bytes_h(struct buf *b, uint64_t v)
{
	static const char *const unit[] = { "B", "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	if (u == 0)
		buf_printf(b, "%" PRIu64 " B", v);
	else
		buf_printf(b, "%.1f %s", d, unit[u]);
}

/* A duration for people: "850 ms", "2.35 s", "4 min 05 s". */
static void dur(struct buf *b, int64_t us)
{
	if (us < 0) {
		buf_adds(b, "unknown");
	} else if (us < 10000) {
		buf_printf(b, "%.1f ms", (double)us / 1000.0);
	} else if (us < 1000000) {
		buf_printf(b, "%" PRId64 " ms", (us + 500) / 1000);
	} else if (us < 120000000) {
		buf_printf(b, "%.2f s", (double)us / 1e6);
	} else {
		int64_t s = (us + 500000) / 1000000;
		buf_printf(b, "%" PRId64 " min %02" PRId64 " s", s / 60, s % 60);
	}
}

static void pct(struct buf *b, uint64_t n, uint64_t d)
{
	if (!d)
		return;
	buf_printf(b, " (%.1f%%)", 100.0 * (double)n / (double)d);
}

/* Append text wrapped at the width: the first line starts with indent spaces and the label,
 * continuation lines with indent + 2 spaces. */
static void wrap(struct tctx *t, unsigned indent, const char *label, const char *text)
{
	char first[64];

	snprintf(first, sizeof(first), "%*s%s", (int)indent, "", label ? label : "");
	buf_wrap(t->b, first, indent + 2, t->width, text);
}

/* A log-controlled string, escaped and shortened to max bytes of input. */
static void shown(struct buf *b, const char *s, size_t n, size_t max)
{
	if (n <= max) {
		esc_text(b, s, n);
		return;
	}
	size_t cut = max;
	/* do not cut inside a UTF-8 sequence */
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	esc_text(b, s, cut);
	buf_printf(b, "... (%zu bytes)", n);
}

/* "     examples: kamailio.log.1:1234  CALL-ID", the Call-ID shortened to fit the width */
static void example_line(struct tctx *t, const struct report *r, const struct example *e, int first)
{
	struct buf *b = t->b;
	size_t start = b->len;

	buf_adds(b, first ? "     examples: " : "               ");
	if (e->file < r->nfiles) {
		const char *path = r->files[e->file].path;
		shown(b, path, strlen(path), 60);
		buf_printf(b, ":%" PRIu64 "  ", e->line);
	}
	struct buf id = {0};
	esc_text(&id, e->call_id, e->call_id_len);
	size_t room = t->width > b->len - start + 24 ? t->width - (b->len - start) : 24;
	if (id.len <= room) {
		buf_add(b, id.p, id.len);
	} else {
		char tail[40];
		int tn = snprintf(tail, sizeof(tail), "... (%zu bytes)", e->call_id_len);
		size_t cut = room > (size_t)tn ? room - (size_t)tn : 0;
		/* never cut inside a UTF-8 sequence */
		while (cut > 0 && ((unsigned char)id.p[cut] & 0xc0) == 0x80)
			cut--;
		buf_add(b, id.p, cut);
		buf_adds(b, tail);
	}
	buf_addc(b, '\n');
	buf_free(&id);
}

static void heading(struct tctx *t, const char *title)
{
	buf_printf(t->b, "\n%s%s%s\n", sgr(t, "\033[1m"), title, sgr(t, "\033[0m"));
}

static void code_name(struct buf *b, int code)
{
	const struct code_info *ci = knowledge_code(code);

	buf_printf(b, "%d %s", code, ci ? ci->reason : "(unregistered)");
}

static void section_input(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	uint64_t bytes = 0, lines = 0, recs = 0;
	size_t bad = 0;
	char t1[40], t2[40];

	for (size_t i = 0; i < r->nfiles; i++) {
		bytes += r->files[i].bytes;
		lines += r->files[i].lines;
		recs += r->files[i].records;
		bad += r->files[i].status != FILE_OK;
	}
	heading(t, "Input");
	buf_printf(b, "  %zu file%s, ", r->nfiles, r->nfiles == 1 ? "" : "s");
	bytes_h(b, bytes);
	buf_adds(b, ", ");
	num(b, lines);
	buf_adds(b, " lines, ");
	num(b, recs);
	buf_adds(b, " SIP messages");
	if (bad)
		buf_printf(b, ", %s%zu unreadable or damaged%s", sgr(t, "\033[31m"), bad, sgr(t, "\033[0m"));
	buf_adds(b, "\n");
	if (r->have_times) {
		buf_printf(b, "  from %s to %s (", time_format(r->first_time, t1),
			   time_format(r->last_time, t2));
		dur(b, r->last_time - r->first_time);
		buf_adds(b, ")\n");
	} else {
		buf_adds(b, "  the log has no timestamps: delays are unknown, idle calls are never "
			 "settled early\n");
	}
	if (r->since != TIME_UNKNOWN || r->until != TIME_UNKNOWN) {
		buf_printf(b, "  only events from %s", r->since != TIME_UNKNOWN ?
			   time_format(r->since, t1) : "the start");
		buf_printf(b, " until %s (--since/--until): ", r->until != TIME_UNKNOWN ?
			   time_format(r->until, t2) : "the end");
		num(b, r->outside);
		buf_adds(b, " left out\n");
	}
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		buf_printf(b, "  %s%-5s%s ", f->status == FILE_OK ? "" : sgr(t, "\033[31m"),
			   f->status == FILE_OK ? "ok" : "ERROR", f->status == FILE_OK ? "" : sgr(t, "\033[0m"));
		shown(b, f->path, strlen(f->path), 200);
		if (f->format)
			buf_printf(b, "  %s%s", f->format, f->format_auto ? " (detected)" : "");
		buf_adds(b, "  ");
		bytes_h(b, f->bytes);
		buf_adds(b, "  ");
		num(b, f->records);
		buf_adds(b, " msgs\n");
		if (f->error) {
			buf_adds(b, "        ");
			shown(b, f->error, strlen(f->error), 400);
			buf_adds(b, "\n");
		}
	}
}

static void section_totals(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	int any = 0;

	heading(t, "Totals");
	buf_adds(b, "  requests   ");
	size_t col = 13;
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++) {
		if (!r->requests[m])
			continue;
		struct buf item = {0};
		buf_printf(&item, "%s ", sip_method_name(m));
		num(&item, r->requests[m]);
		if (col + item.len + 3 > t->width) {
			buf_adds(b, "\n             ");
			col = 13;
		} else if (any) {
			buf_adds(b, "   ");
			col += 3;
		}
		buf_add(b, item.p, item.len);
		col += item.len;
		buf_free(&item);
		any = 1;
	}
	buf_adds(b, any ? "\n" : "none\n");
	buf_adds(b, "  responses");
	any = 0;
	for (int c = 100; c < REPORT_CODES; c++) {
		if (!r->responses[c])
			continue;
		struct buf item = {0};
		code_name(&item, c);
		buf_printf(b, "%s%-40s", any ? "             " : "  ", item.p ? buf_cstr(&item) : "");
		num(b, r->responses[c]);
		buf_adds(b, "\n");
		buf_free(&item);
		any = 1;
	}
	if (!any)
		buf_adds(b, "  none\n");
	buf_adds(b, "  calls      ");
	num(b, r->calls_total);
	buf_adds(b, " (");
	num(b, r->calls_invite);
	buf_adds(b, " with INVITE, ");
	num(b, r->calls_register);
	buf_adds(b, " with REGISTER); ");
	num(b, r->calls_peak);
	buf_adds(b, " in flight at most\n");
}

static void delays_line(struct tctx *t, const struct report *r, const char *label,
			const struct delays *d)
{
	struct buf *b = t->b;

	buf_printf(b, "  %s", label);
	if (!d->known) {
		buf_adds(b, "unknown (the log has no timestamps)\n");
		return;
	}
	buf_adds(b, "p50 ");
	dur(b, d->p50);
	buf_adds(b, ", p90 ");
	dur(b, d->p90);
	buf_adds(b, ", p99 ");
	dur(b, d->p99);
	buf_adds(b, ", max ");
	dur(b, d->max);
	buf_adds(b, " (");
	num(b, d->n);
	buf_adds(b, " measured)\n");
	if (!r->subsecond_times)
		buf_adds(b, "    the log's timestamps have whole seconds: each delay is +- 1 s\n");
}

static void section_trying(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;

	heading(t, "100 Trying -> final response (INVITE)");
	if (!r->trying) {
		buf_adds(b, "  no INVITE received 100 Trying\n");
		return;
	}
	buf_adds(b, "  ");
	num(b, r->trying);
	buf_adds(b, " calls got 100 Trying: ");
	num(b, r->trying - r->stuck);
	buf_adds(b, " reached a final response, ");
	num(b, r->stuck);
	buf_adds(b, " stuck");
	pct(b, r->stuck, r->trying);
	buf_adds(b, "\n");
	for (int c = 200; c < REPORT_CODES; c++) {
		if (!r->by_final[c])
			continue;
		struct buf item = {0};
		code_name(&item, c);
		buf_printf(b, "    %-40s", buf_cstr(&item));
		num(b, r->by_final[c]);
		buf_adds(b, "\n");
		buf_free(&item);
	}
	delays_line(t, r, "100 -> final: ", &r->trying_delay);
}

static void section_auth(struct tctx *t, const struct report *r, const char *title,
			 const struct auth_report *a, const char *none)
{
	struct buf *b = t->b;

	heading(t, title);
	if (!a->challenged) {
		buf_printf(b, "  %s\n", none);
		return;
	}
	buf_adds(b, "  ");
	num(b, a->challenged);
	buf_adds(b, " calls challenged: ");
	num(b, a->retried);
	buf_adds(b, " retried, ");
	num(b, a->not_retried);
	buf_adds(b, " never retried");
	pct(b, a->not_retried, a->challenged);
	buf_adds(b, "\n");
	if (a->retried) {
		buf_adds(b, "  last retry: ");
		num(b, a->accepted);
		buf_adds(b, " accepted, ");
		num(b, a->rechallenged);
		buf_adds(b, " challenged again (credentials rejected)");
		pct(b, a->rechallenged, a->retried);
		buf_adds(b, "\n");
	}
	if (a->retried)
		delays_line(t, r, "challenge -> retry: ", &a->retry_delay);
}

static void kpi_item(struct buf *b, const char *name, const struct ratio *q)
{
	if (q->den)
		buf_printf(b, "%s %.1f%%", name, 100.0 * (double)q->num / (double)q->den);
	else
		buf_printf(b, "%s -", name);
}

static void section_kpis(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	const struct kpis *k = &r->kpi;

	heading(t, "Telephony KPIs (RFC 6076, ITU-T E.411; definitions in docs/metrics.md)");
	if (!k->invite_attempts && !k->register_attempts) {
		buf_adds(b, "  no INVITE or REGISTER attempts\n");
		return;
	}
	buf_adds(b, "  ");
	num(b, k->invite_attempts);
	buf_adds(b, " INVITE attempts (a challenged INVITE and its retry count once), ");
	num(b, k->register_attempts);
	buf_adds(b, " REGISTER\n  ");
	kpi_item(b, "SER", &k->ser);
	buf_adds(b, "   ");
	kpi_item(b, "SEER", &k->seer);
	buf_adds(b, "   ");
	kpi_item(b, "ISA", &k->isa);
	buf_adds(b, "   ");
	kpi_item(b, "SCR", &k->scr);
	buf_adds(b, "   ");
	kpi_item(b, "ASR", &k->asr);
	buf_adds(b, "   ");
	kpi_item(b, "NER", &k->ner);
	buf_adds(b, "   ");
	kpi_item(b, "IRA", &k->ira);
	buf_adds(b, "\n");
	if (k->invite_attempts)
		delays_line(t, r, "SRD (INVITE -> first answer): ", &k->srd);
	if (k->register_attempts)
		delays_line(t, r, "RRD (REGISTER -> final): ", &k->rrd);
	if (k->duration.n) {
		buf_adds(b, "  ACD ");
		dur(b, k->acd_us);
		buf_adds(b, " over ");
		num(b, k->duration.n);
		buf_adds(b, " completed sessions (answer -> BYE)\n");
	}
}

static void section_breakdown(struct tctx *t, const char *title, const struct breakdown *d)
{
	struct buf *b = t->b;

	if (!d->n)
		return;
	heading(t, title);
	buf_printf(b, "  %-36s %8s %8s %8s %8s  %s\n", "", "attempts", "answered", "failed",
		   "auth-bad", "top failures");
	for (size_t i = 0; i < d->n; i++) {
		const struct breakdown_row *r = &d->rows[i];
		struct buf key = {0};
		buf_adds(b, "  ");
		shown(&key, r->key, r->key_len, r->key_len <= 36 ? 36 : 20);
		/* pad by columns: the key is escaped UTF-8, count code points */
		size_t cols = 0;
		for (size_t k = 0; k < key.len; k++)
			cols += ((unsigned char)key.p[k] & 0xc0) != 0x80;
		buf_add(b, key.p, key.len);
		for (; cols < 36; cols++)
			buf_addc(b, ' ');
		buf_free(&key);
		buf_printf(b, " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " ", r->attempts,
			   r->answered, r->failed, r->auth_failed);
		for (int k = 0; k < r->ncodes && k < 3; k++) {
			if (r->codes[k])
				buf_printf(b, " %d:%" PRIu64, r->codes[k], r->code_n[k]);
			else
				buf_printf(b, " none:%" PRIu64, r->code_n[k]);
		}
		buf_adds(b, "\n");
	}
	if (d->keys > d->n) {
		buf_adds(b, "  ... ");
		num(b, d->keys - d->n);
		buf_adds(b, " more (--top, or the JSON report)\n");
	}
}

static void section_timeline(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	char tmp[40];

	if (r->ntimeline < 2)
		return;		/* one hour says nothing a total does not */
	heading(t, "Per hour (UTC)");
	buf_printf(b, "  %-16s %8s %8s %8s %10s %8s\n", "hour", "attempts", "answered", "failed",
		   "challenged", "auth-bad");
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *h = &r->timeline[i];
		time_format(h->hour, tmp);
		tmp[13] = '\0';	/* 2026-11-24T13 */
		buf_printf(b, "  %-16s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %10" PRIu64 " %8" PRIu64
			   "\n", tmp, h->attempts, h->answered, h->failed, h->challenged, h->auth_failed);
	}
}

static void section_problems(struct tctx *t, const struct report *r)
{
	struct buf *b = t->b;
	static const char *const sev_color[] = { "", "\033[2m", "\033[36m", "\033[33m",
						 "\033[31m", "\033[1;31m" };

	heading(t, "Problems (most important first: severity x count)");
	if (!r->nproblems) {
		buf_adds(b, "  none found\n");
		return;
	}
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		char sev[16];
		snprintf(sev, sizeof(sev), "%s", knowledge_severity_name(pi->severity));
		for (char *c = sev; *c; c++)
			*c = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		buf_printf(b, "\n  %zu. %s[%s]%s %s%s%s\n", i + 1, sgr(t, sev_color[pi->severity]), sev,
			   sgr(t, "\033[0m"), sgr(t, "\033[1m"), pi->id, sgr(t, "\033[0m"));
		wrap(t, 5, NULL, pi->title);
		buf_adds(b, "     ");
		num(b, p->count);
		buf_adds(b, " of ");
		num(b, p->denominator);
		buf_printf(b, " %s", pi->denominator);
		pct(b, p->count, p->denominator);
		buf_adds(b, "\n");
		if (p->pid == PAT_AUTH_SCANNER) {
			for (size_t k = 0; k < r->nscanners && k < 5; k++) {
				const struct source_row *s = &r->scanners[k];
				buf_adds(b, "     source ");
				shown(b, s->addr, s->addr_len, 60);
				buf_adds(b, ": ");
				num(b, s->calls);
				buf_adds(b, " calls, ");
				num(b, s->unanswered);
				buf_adds(b, " unanswered challenges");
				if (s->ua) {
					buf_adds(b, ", User-Agent ");
					shown(b, s->ua, s->ua_len, 40);
				}
				buf_adds(b, "\n");
			}
			if (r->nscanners > 5)
				buf_printf(b, "     ... and %zu more sources (see the JSON report)\n",
					   r->nscanners - 5);
		}
		for (size_t k = 0; k < p->nexamples; k++)
			example_line(t, r, &p->examples[k], k == 0);
		wrap(t, 5, "Means: ", pi->causes);
		wrap(t, 5, "Fix: ", pi->fix);
		buf_printf(b, "     More: siplogscan explain %s\n", pi->id);
	}
}

void render_text(struct buf *b, const struct report *r, const struct render_opts *o)
{
	struct tctx t = { b, o, o->width ? o->width : 100 };

	buf_printf(b, "%ssiplogscan %s report%s\n", sgr(&t, "\033[1m"), r->run.version,
		   sgr(&t, "\033[0m"));
	if (r->nrules) {
		heading(&t, "Rules (--fail-on)");
		for (int i = 0; i < r->nrules; i++) {
			const struct rule_result *rr = &r->rules[i];
			buf_printf(b, "  %s%-5s%s %s", rr->fired ? sgr(&t, "\033[1;31m") : "",
				   rr->fired ? "HOLDS" : "ok", rr->fired ? sgr(&t, "\033[0m") : "",
				   rr->text);
			if (rr->value != rr->value)
				buf_adds(b, "  (undefined: nothing to measure)\n");
			else
				buf_printf(b, "  (value %g)\n", rr->value);
		}
	}
	section_input(&t, r);
	section_totals(&t, r);
	section_trying(&t, r);
	section_auth(&t, r, "407 Proxy Authentication Required -> retry", &r->proxy_auth,
		     "no request was challenged with 407");
	section_auth(&t, r, "401 Unauthorized -> retry", &r->www_auth,
		     "no request was challenged with 401");
	section_kpis(&t, r);
	section_timeline(&t, r);
	section_breakdown(&t, "Top sources (attempts: calls with INVITE or REGISTER)", &r->by_source);
	section_breakdown(&t, "Top User-Agents", &r->by_ua);
	section_breakdown(&t, "Top destinations (request URI)", &r->by_dest);
	section_problems(&t, r);
	buf_printf(b, "\nScanned ");
	bytes_h(b, r->run.bytes);
	buf_printf(b, " in %.2f s (%.0f MB/s, %u thread%s).\n", r->run.elapsed_s, r->run.mb_per_s,
		   r->run.threads, r->run.threads == 1 ? "" : "s");
}
