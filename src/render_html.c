/*
 * render_html.c - the report model as one self-contained HTML5 page.
 *
 * Where in the flow: report model -> bytes, like render_text.c and render_json.c. The page is
 * meant to be mailed, archived and opened offline: the CSS is inline, the charts are inline
 * SVG built here, and there is no script, font, image, stylesheet or link to anything outside
 * the file (every href is a fragment: the table of contents, "#problems"). It reads on a
 * laptop and prints on A4.
 *
 * Invariants:
 * - Every string that came from a log (Call-IDs, file paths, User-Agents, source addresses,
 *   destinations, error messages) goes through esc_html(), in text and in attributes alike;
 *   the static text of src/knowledge.c goes through it too, so no byte of the model is ever
 *   markup. The output is valid UTF-8 without control characters other than newline.
 * - Deterministic: everything outside the <footer>'s run line depends only on the model;
 *   there is no clock here and no hash order.
 * - Renderers never count: every figure is in the model; bars are scaled from its counts.
 */
#include "render.h"
#include "baseline.h"
#include "escape.h"
#include "figures.h"
#include "ladder.h"
#include "timeparse.h"
#include "tz.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_SHOWN_ID 200	/* bytes of a Call-ID shown; the JSON report has it whole */
#define MAX_SHOWN_KEY 120	/* bytes of an address, User-Agent or destination */

/* Chart geometry (SVG user units; the SVG scales down with the page). */
#define CH_W      740
#define CH_LABEL  262		/* right edge of the labels */
#define CH_BAR0   272		/* left edge of the bars */
#define CH_BARMAX 390		/* longest bar */
#define CH_ROW    24
#define CH_BAR_H  16

static const char css[] =
	":root{--fg:#1f2328;--muted:#59636e;--line:#d8dee4;--bg2:#f6f8fa;--accent:#0b5cad;"
	"--c1:#7b8794;--c2:#2f9e44;--c3:#1c7ed6;--c4:#e67700;--c5:#e03131;--c6:#9c36b5}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%}\n"
	"body{margin:0;color:var(--fg);background:#fff;font:14px/1.45 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"Noto Sans\",\"Liberation Sans\",sans-serif}\n"
	"code,.mono,.cid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
	"monospace;font-size:12.5px}\n"
	".wrap{max-width:1120px;margin:0 auto;padding:0 24px}\n"
	"header.top{background:var(--bg2);border-bottom:1px solid var(--line);padding:20px 0 16px}\n"
	"header.top h1{margin:0 0 2px;font-size:22px;font-weight:650}\n"
	"header.top .sub{color:var(--muted);margin:0 0 12px}\n"
	"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:0}\n"
	"dl.meta dt{color:var(--muted)}\n"
	"dl.meta dd{margin:0;overflow-wrap:anywhere}\n"
	"section{margin:26px 0;break-inside:auto}\n"
	"h2{font-size:17px;font-weight:650;margin:0 0 10px;padding-bottom:5px;"
	"border-bottom:1px solid var(--line);break-after:avoid}\n"
	"h3{font-size:14px;font-weight:650;margin:14px 0 6px;break-after:avoid}\n"
	"p{margin:6px 0}\n"
	".muted,.note{color:var(--muted)}\n"
	".note{font-size:12.5px}\n"
	".tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(138px,1fr));gap:10px}\n"
	".tile{border:1px solid var(--line);border-radius:8px;padding:9px 12px;background:#fff;"
	"break-inside:avoid}\n"
	".tile .v{font-size:22px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.2}\n"
	".tile .k{font-weight:600}\n"
	".tile .d{color:var(--muted);font-size:12px}\n"
	".tile.bad .v{color:var(--c5)}\n"
	".cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:18px}\n"
	".card{border:1px solid var(--line);border-radius:8px;padding:12px 14px;break-inside:avoid}\n"
	".card h3{margin-top:0}\n"
	"table{border-collapse:collapse;width:100%;font-size:13px}\n"
	"th,td{text-align:left;vertical-align:top;padding:5px 8px;border-bottom:1px solid var(--line)}\n"
	"th{background:var(--bg2);font-weight:600;white-space:nowrap}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr{break-inside:avoid}\n"
	"table.kv{width:auto}\n"
	"table.kv th{background:none;font-weight:normal;color:var(--muted);padding-left:0}\n"
	".cid{word-break:break-all;overflow-wrap:anywhere}\n"
	".brk{overflow-wrap:anywhere}\n"
	"td.t{white-space:nowrap}\n"
	"table.grid th.n{width:104px}\n"
	".len{color:var(--muted);white-space:nowrap}\n"
	"svg.chart{display:block;width:100%;max-width:740px;height:auto}\n"
	"svg.chart text{font-size:12.5px;fill:var(--fg);font-family:inherit}\n"
	"svg.chart text.cnt{fill:var(--muted);font-variant-numeric:tabular-nums}\n"
	"svg.spark rect{fill:var(--accent)}\nsvg.spark rect.none{fill:var(--line)}\n"
	"svg.stack{display:block;width:100%;height:auto;margin:6px 0}\n"
	".k1{fill:var(--c1)}.k2{fill:var(--c2)}.k3{fill:var(--c3)}"
	".k4{fill:var(--c4)}.k5{fill:var(--c5)}.k6{fill:var(--c6)}\n"
	".legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin:4px 0 8px}\n"
	".sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;"
	"vertical-align:-1px}\n"
	".sw.k1{background:var(--c1)}.sw.k2{background:var(--c2)}.sw.k3{background:var(--c3)}"
	".sw.k4{background:var(--c4)}.sw.k5{background:var(--c5)}.sw.k6{background:var(--c6)}\n"
	".chips{display:flex;flex-wrap:wrap;gap:6px}\n"
	".chip{border:1px solid var(--line);border-radius:12px;padding:1px 9px;background:var(--bg2);"
	"font-variant-numeric:tabular-nums}\n"
	".badge{display:inline-block;border-radius:4px;padding:1px 7px;font-size:11px;font-weight:700;"
	"letter-spacing:.04em;text-transform:uppercase;color:#fff;white-space:nowrap;"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	".s1{background:#868e96}.s2{background:#1971c2}.s3{background:#f59f00;color:#1f2328}"
	".s4{background:#e8590c}.s5{background:#c92a2a}\n"
	"table.problems{table-layout:fixed}\n"
	"table.problems col.c-rank{width:34px}table.problems col.c-sev{width:92px}"
	"table.problems col.c-prob{width:19%}table.problems col.c-count{width:118px}"
	"table.problems col.c-share{width:64px}\n"
	"table.problems td{padding:9px 8px}\n"
	"table.problems tr.prob td{border-bottom:none;padding-bottom:4px}\n"
	"table.problems tr.more td{padding-top:0}\n"
	"table.problems .pid{font-weight:650;overflow-wrap:anywhere}\n"
	"table.problems .title{margin:2px 0 0}\n"
	"table.problems .pop{white-space:normal}\n"
	"table.problems td.share{font-weight:650}\n"
	"table.problems td.txt{font-size:12.5px}\n"
	".explain{float:right;color:var(--muted);font-size:12.5px;margin-left:16px}\n"
	".calls{color:var(--muted);font-size:12.5px}\n"
	".where{color:var(--muted);margin-right:8px}\n"
	"details.ladder{margin:2px 0 8px}\n"
	"table.ladder{font-size:12px;margin:4px 0}\n"
	"table.ladder td,table.ladder th{padding:3px 6px}\n"
	"table.ladder td.mk{color:var(--c4)}\n"
	"table.ladder .ln{color:var(--muted);font-size:11.5px}\n"
	".delays{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:baseline;margin:4px 0}\n"
	".delays span{white-space:nowrap}\n"
	"details{margin:4px 0}\n"
	"summary{cursor:pointer;color:var(--accent)}\n"
	"details ul{margin:4px 0 0;padding-left:18px}\n"
	"details li{margin:3px 0}\n"
	".alert{border:1px solid #f1aeb5;background:#fff5f5;border-radius:8px;padding:10px 14px}\n"
	".err{color:var(--c5);font-weight:600}\n"
	"td.better{color:var(--c2);font-weight:600}td.worse{color:var(--c5);font-weight:600}"
	"tr.same td{color:var(--muted)}\n"
	"a{color:var(--accent)}\n"
	"nav.toc{margin:14px 0 0;display:flex;flex-wrap:wrap;gap:2px 12px;font-size:13px}\n"
	".tile .t{font-size:12px;margin-top:3px}\n"
	".tile .t.better{color:var(--c2)}.tile .t.worse{color:var(--c5)}\n"
	"footer{border-top:1px solid var(--line);margin-top:30px;padding:12px 0 30px;color:var(--muted);"
	"font-size:12.5px}\n"
	"@media print{body{font-size:11px}.wrap{max-width:none;padding:0}"
	"header.top{background:none;padding-top:0}section{margin:16px 0}"
	"summary{color:var(--fg)}details>ul{display:block}"
	"details::details-content{content-visibility:visible;display:block}"
	/* a ladder is printed only when it was opened: 55 of them would be pages */
	"details.ladder:not([open])::details-content{content-visibility:hidden;display:none}"
	".tile,.card{border-color:#bbb}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* ------------------------------------------------------------------------------------ */
/* small formatting helpers                                                             */

/* Static or model text that is NUL-terminated (knowledge, profile names): escaped too. */
static void h(struct buf *b, const char *s)
{
	if (s)
		esc_html(b, s, strlen(s));
}

/* "12.5%" as every format writes a share (fmt_ratio), or "–" when there is nothing to
 * divide by. */
static void pct(struct buf *b, uint64_t n, uint64_t d)
{
	if (d)
		fmt_ratio(b, n, d, RATIO_PEOPLE);
	else
		buf_adds(b, "\xe2\x80\x93");
}

/* A time as people read it: in the zone of tz.h, with its offset (time_format_local). */
static void tstamp(struct buf *b, int64_t t)
{
	char tmp[TIME_LOCAL_MAX];

	if (t == TIME_UNKNOWN)
		buf_adds(b, "unknown");
	else
		buf_adds(b, time_format_local(t, tmp));
}

/* The label of a per-hour row: "2026-11-24T13:00" in UTC (the hour of time_format_hour()
 * with its minutes), "2026-11-24 13:00 +01:00" in a zone. */
static char *hour_label(int64_t hour, char *tmp)
{
	time_format_hour(hour, tmp);
	if (tz_is_utc())
		strcat(tmp, ":00");
	return tmp;
}

/* A log-controlled string, escaped, shortened to max bytes of input (never inside a UTF-8
 * sequence) with its length shown, as the text report does. */
static void shown(struct buf *b, const char *s, size_t n, size_t max)
{
	if (n <= max) {
		esc_html(b, s, n);
		return;
	}
	size_t cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	esc_html(b, s, cut);
	buf_printf(b, "\xe2\x80\xa6 <span class=\"len\">(%zu bytes)</span>", n);
}

static void code_name(struct buf *b, int code)
{
	const struct code_info *ci = knowledge_code(code);

	buf_printf(b, "%d ", code);
	if (ci)
		h(b, ci->reason);
	else
		buf_adds(b, "(unregistered)");
}

static int code_class(int code)
{
	int k = (int)knowledge_class_of(code);

	return k >= 1 && k <= 6 ? k : 1;
}

static void section_open(struct buf *b, const char *id, const char *title)
{
	buf_printf(b, "<section id=\"%s\">\n<h2>", id);
	h(b, title);
	buf_adds(b, "</h2>\n");
}

/* ------------------------------------------------------------------------------------ */
/* charts                                                                               */

/* Horizontal bars, one per response code with a non-zero count, labelled
 * "407 Proxy Authentication Required" and coloured by class. */
static void code_chart(struct buf *b, const uint64_t *counts, int from, const char *what)
{
	uint64_t max = 0;
	int n = 0;

	for (int c = from; c < REPORT_CODES; c++) {
		if (!counts[c])
			continue;
		n++;
		if (counts[c] > max)
			max = counts[c];
	}
	if (!n)
		return;
	int height = n * CH_ROW + 6;
	buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", CH_W, height,
		   CH_W, height);
	h(b, what);
	buf_adds(b, "\">\n");
	int y = 3;
	for (int c = from; c < REPORT_CODES; c++) {
		if (!counts[c])
			continue;
		/* at least 2 units, so a count of 1 next to a million still shows */
		uint64_t w = max ? (counts[c] * CH_BARMAX + max / 2) / max : 0;
		if (w < 2)
			w = 2;
		buf_adds(b, "<g><title>");
		code_name(b, c);
		buf_adds(b, ": ");
		fmt_num(b, counts[c]);
		buf_printf(b, "</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\">", CH_LABEL,
			   y + CH_BAR_H - 4);
		code_name(b, c);
		buf_printf(b, "</text><rect class=\"k%d\" x=\"%d\" y=\"%d\" width=\"%" PRIu64
			   "\" height=\"%d\" rx=\"2\"/><text class=\"cnt\" x=\"%" PRIu64 "\" y=\"%d\">",
			   code_class(c), CH_BAR0, y, w, CH_BAR_H, CH_BAR0 + w + 6, y + CH_BAR_H - 4);
		fmt_num(b, counts[c]);
		buf_adds(b, "</text></g>\n");
		y += CH_ROW;
	}
	buf_adds(b, "</svg>\n");
}

/* The 100 -> final delays by bucket (report_hist_upper_ms), as vertical bars. */
static void hist_chart(struct buf *b, const uint64_t *hist)
{
	const int w = 600, top = 18, plot_h = 110, base = top + plot_h, left = 10;
	const double slot = (double)(w - left) / REPORT_HIST;
	uint64_t max = 1;

	for (int k = 0; k < REPORT_HIST; k++)
		if (hist[k] > max)
			max = hist[k];
	buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		   "role=\"img\" aria-label=\"100 Trying to final delay histogram\">\n", w,
		   base + 20, w, base + 20);
	for (int k = 0; k < REPORT_HIST; k++) {
		int ms = report_hist_upper_ms[k];
		char label[24];
		if (!ms)
			snprintf(label, sizeof(label), "\xe2\x89\xa5%ds", report_hist_upper_ms[k - 1] / 1000);
		else if (ms < 1000)
			snprintf(label, sizeof(label), "<%dms", ms);
		else
			snprintf(label, sizeof(label), "<%ds", ms / 1000);
		double hgt = (double)hist[k] * plot_h / (double)max;
		if (hist[k] && hgt < 1)
			hgt = 1;
		double x = left + slot * k;
		buf_printf(b, "<g><title>%s: ", label);
		fmt_num(b, hist[k]);
		buf_printf(b, "</title><rect class=\"k1\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			   "height=\"%.1f\"/><text class=\"cnt\" x=\"%.1f\" y=\"%.1f\">", x + 4,
			   base - hgt, slot - 8, hgt, x + 6, base - hgt - 4);
		if (hist[k])
			fmt_num(b, hist[k]);
		buf_printf(b, "</text><text x=\"%.1f\" y=\"%d\">%s</text></g>\n", x + 4, base + 14,
			   label);
	}
	buf_adds(b, "</svg>\n");
}

static void class_legend(struct buf *b, const uint64_t *counts, int from)
{
	int seen[7] = {0};

	for (int c = from; c < REPORT_CODES; c++)
		if (counts[c])
			seen[code_class(c)] = 1;
	buf_adds(b, "<div class=\"legend\">");
	for (int k = 1; k <= 6; k++) {
		if (!seen[k])
			continue;
		buf_printf(b, "<span><span class=\"sw k%d\"></span>%dxx ", k, k);
		h(b, knowledge_class_name((enum sip_class)k));
		buf_adds(b, "</span>");
	}
	buf_adds(b, "</div>\n");
}

struct seg {
	const char *label;
	uint64_t n;
	int klass;		/* colour class k1..k6 */
};

/* One stacked bar (a whole, split into parts) with a legend under it. */
static void stack_bar(struct buf *b, const struct seg *s, int n, uint64_t total, const char *what)
{
	const int W = 600, H = 18;
	uint64_t x = 0;

	if (!total)
		return;
	buf_printf(b, "<svg class=\"stack\" viewBox=\"0 0 %d %d\" "
		   "width=\"%d\" height=\"%d\" preserveAspectRatio=\"none\" role=\"img\" "
		   "aria-label=\"", W, H, W, H);
	h(b, what);
	buf_adds(b, "\">\n");
	for (int i = 0; i < n; i++) {
		if (!s[i].n)
			continue;
		uint64_t w = (s[i].n * (uint64_t)W + total / 2) / total;
		if (x + w > (uint64_t)W)
			w = (uint64_t)W - x;
		buf_adds(b, "<g><title>");
		h(b, s[i].label);
		buf_adds(b, ": ");
		fmt_num(b, s[i].n);
		buf_printf(b, "</title><rect class=\"k%d\" x=\"%" PRIu64 "\" y=\"0\" width=\"%" PRIu64
			   "\" height=\"%d\"/></g>\n", s[i].klass, x, w, H);
		x += w;
	}
	buf_adds(b, "</svg>\n<div class=\"legend\">");
	for (int i = 0; i < n; i++) {
		buf_printf(b, "<span><span class=\"sw k%d\"></span>", s[i].klass);
		h(b, s[i].label);
		buf_adds(b, " ");
		fmt_num(b, s[i].n);
		buf_adds(b, " (");
		pct(b, s[i].n, total);
		buf_adds(b, ")</span>");
	}
	buf_adds(b, "</div>\n");
}

/* ------------------------------------------------------------------------------------ */
/* sections                                                                             */

static void header(struct buf *b, const struct report *r)
{
	uint64_t bytes = 0, lines = 0, recs = 0;
	size_t bad = 0;

	for (size_t i = 0; i < r->nfiles; i++) {
		bytes += r->files[i].bytes;
		lines += r->files[i].lines;
		recs += r->files[i].records;
		bad += r->files[i].status == FILE_ERROR || r->files[i].status == FILE_UNRECOGNISED;
	}
	/* --title (the host name by default): user text, escaped as log text is */
	buf_adds(b, "<header class=\"top\"><div class=\"wrap\">\n<h1>");
	if (r->title && *r->title)
		shown(b, r->title, strlen(r->title), 400);
	else
		buf_adds(b, "SIP log report");
	buf_adds(b, "</h1>\n<p class=\"sub\">SIP log report \xc2\xb7 siplogscan ");
	h(b, r->run.version);
	buf_adds(b, " \xc2\xb7 figures defined in docs/metrics.md \xc2\xb7 times in ");
	h(b, tz_is_utc() ? "UTC" : tz_name());
	buf_adds(b, "</p>\n<dl class=\"meta\">\n<dt>Time range</dt><dd>");
	if (r->have_times) {
		tstamp(b, r->first_time);
		buf_adds(b, " \xe2\x80\x93 ");
		tstamp(b, r->last_time);
		buf_adds(b, " (");
		fmt_dur(b, r->last_time - r->first_time);
		buf_adds(b, ")");
	} else if ((r->since != TIME_UNKNOWN || r->until != TIME_UNKNOWN) && !r->records &&
		   r->outside) {
		buf_adds(b, "none: nothing in the window, every record lies outside it");
	} else {
		buf_adds(b, "unknown: the log has no timestamps, so delays are unknown");
	}
	buf_adds(b, "</dd>\n<dt>Input</dt><dd>");
	fmt_num(b, r->nfiles);
	buf_adds(b, r->nfiles == 1 ? " file, " : " files, ");
	fmt_bytes(b, bytes);
	buf_adds(b, ", ");
	fmt_num(b, lines);
	buf_adds(b, " lines, ");
	fmt_num(b, recs);
	buf_printf(b, " %s", records_noun(r, -1, 0));
	if (bad) {
		buf_adds(b, ", <a class=\"err\" href=\"#input\">");
		fmt_num(b, bad);
		buf_adds(b, " unreadable or damaged</a>");
	}
	buf_adds(b, "</dd>\n");
	if (r->nfiles == 1) {
		buf_adds(b, "<dt>File</dt><dd class=\"mono brk\">");
		shown(b, r->files[0].path, strlen(r->files[0].path), 400);
		buf_adds(b, "</dd>\n");
	}
	if (r->since != TIME_UNKNOWN || r->until != TIME_UNKNOWN) {
		buf_adds(b, "<dt>Window</dt><dd>");
		if (r->since != TIME_UNKNOWN)
			tstamp(b, r->since);
		else
			buf_adds(b, "the start");
		buf_adds(b, " until ");
		if (r->until != TIME_UNKNOWN)
			tstamp(b, r->until);
		else
			buf_adds(b, "the end");
		/* a call counts whole in the window it started in (analysis.c before_window()) */
		buf_adds(b, " (--since/--until): the calls that started in it; ");
		fmt_num(b, r->outside);
		buf_printf(b, " %s left out, ", records_noun(r, -1, 0));
		fmt_num(b, r->followed_past_until);
		buf_printf(b, " call%s followed past its end</dd>\n",
			   r->followed_past_until == 1 ? "" : "s");
	}
	buf_adds(b, "<dt>Calls</dt><dd>");
	if (r->not_in_log & GIVES_FINALS) {
		buf_adds(b, "not in this log (its format shows authentications, not calls)");
	} else {
		fmt_num(b, r->calls_total);
		buf_adds(b, " (INVITE dialogs)</dd>\n<dt>Other traffic</dt><dd>");
		fmt_num(b, r->calls_register);
		buf_adds(b, " registrations, ");
		fmt_num(b, r->calls_options);
		buf_adds(b, " OPTIONS pings, ");
		fmt_num(b, r->calls_other);
		buf_adds(b, " other transactions; ");
		fmt_num(b, r->calls_peak);
		buf_adds(b, " Call-IDs in flight at most");
	}
	buf_adds(b, "</dd>\n<dt>Problems</dt><dd>");
	if (!r->nproblems) {
		buf_adds(b, "none found");
	} else {
		size_t by_sev[6] = {0};
		for (size_t i = 0; i < r->nproblems; i++)
			by_sev[r->problems[i].severity]++;
		buf_printf(b, "<a href=\"#problems\">%zu pattern%s</a>", r->nproblems,
			   r->nproblems == 1 ? "" : "s");
		for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
			if (!by_sev[s])
				continue;
			buf_printf(b, " <span class=\"badge s%d\">%zu ", s, by_sev[s]);
			h(b, knowledge_severity_name((enum severity)s));
			buf_adds(b, "</span>");
		}
	}
	buf_adds(b, "</dd>\n</dl>\n</div></header>\n");
}

static void section_rules(struct buf *b, const struct report *r)
{
	if (!r->nrules)
		return;
	section_open(b, "rules", "Rules (--fail-on)");
	buf_adds(b, r->rules_fired ? "<div class=\"alert\">\n" : "<div>\n");
	buf_adds(b, "<table class=\"kv\">\n");
	for (int i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];
		buf_printf(b, "<tr><td>%s</td><td class=\"mono\">",
			   rr->fired ? "<span class=\"badge s5\">holds</span>" : "ok");
		esc_html(b, rr->text, strnlen(rr->text, sizeof(rr->text)));
		buf_adds(b, "</td><td class=\"muted\">");
		if (!isfinite(rr->value)) {
			buf_adds(b, "undefined: nothing to measure");
		} else {
			buf_adds(b, "value ");
			fmt_rule_value(b, rr->value);
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n</div>\n</section>\n");
}

static void section_limits(struct buf *b, const struct report *r)
{
	struct limit_row rows[LIMIT_ROWS];
	size_t n = report_limit_rows(r, rows);

	if (!n)
		return;
	section_open(b, "limits", "Limits");
	buf_adds(b, "<p class=\"note\">Memory is bounded: at most --max-calls calls are held at "
		 "once, and each table keyed by the log keeps its heaviest keys. What that left out "
		 "is not in the figures below.</p>\n<table class=\"kv\">\n");
	for (size_t i = 0; i < n; i++) {
		const char *l = rows[i].label;
		buf_adds(b, "<tr><td>");
		/* a row's name starts with a capital, a pattern id (auth-scanner) aside */
		size_t w = strcspn(l, " ");
		if (l[0] >= 'a' && l[0] <= 'z' && !memchr(l, '-', w)) {
			buf_addc(b, (char)(l[0] - 32));
			l++;
		}
		h(b, l);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, rows[i].n);
		buf_adds(b, "</td><td class=\"muted\">");
		h(b, rows[i].what);
		buf_adds(b, " (");
		h(b, rows[i].before);
		fmt_num(b, rows[i].bound);
		h(b, rows[i].after);
		buf_adds(b, ")</td></tr>\n");
	}
	buf_adds(b, "</table>\n</section>\n");
}

/*
 * What a KPI tile adds under its figure: the change against the --baseline figure fig (its
 * id, "kpi.ser") and each --fail-on rule on that figure: named rule (rules.c: "ser<95"), or
 * on its change ("change:kpi.ser<-2"), with whether it holds. Nothing when neither is given.
 */
static void tile_notes(struct buf *b, const struct report *r, const char *fig, const char *rule)
{
	const struct baseline *bl = r->baseline;

	for (size_t i = 0; bl && bl->status == BASELINE_OK && fig && i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		if (strcmp(g->id, fig) != 0)
			continue;
		const char *tn = g->trend == TREND_BETTER ? " better" : g->trend == TREND_WORSE ?
				 " worse" : "";
		buf_printf(b, "<div class=\"t%s\">", tn);
		struct buf c = {0};
		fmt_change(&c, g);
		if (c.len) {
			esc_html(b, c.p, c.len);
			buf_adds(b, " since the baseline");
		} else {
			buf_adds(b, "baseline: unknown");
		}
		buf_free(&c);
		buf_adds(b, "</div>");
	}
	for (int i = 0; i < r->nrules; i++) {
		const struct rule_result *rr = &r->rules[i];
		size_t n = strcspn(rr->text, "<>=!");
		int own = rule && strlen(rule) == n && strncmp(rr->text, rule, n) == 0;
		int change = fig && n == 7 + strlen(fig) && strncmp(rr->text, "change:", 7) == 0 &&
			     strncmp(rr->text + 7, fig, n - 7) == 0;
		if (!own && !change)
			continue;
		buf_printf(b, "<div class=\"t%s\">target ", rr->fired ? " worse" : "");
		esc_html(b, rr->text, strnlen(rr->text, sizeof(rr->text)));
		buf_adds(b, rr->fired ? ": <span class=\"badge s5\">holds</span>" : ": ok");
		buf_adds(b, "</div>");
	}
}

/* A KPI ratio of the table of figures: its value, abbreviation, words and num / den. */
static void tile_ratio(struct buf *b, const struct figure *f, const struct report *r)
{
	struct figure_value v;

	figure_value(f, r, &v);
	buf_adds(b, "<div class=\"tile\"><div class=\"v\">");
	pct(b, v.num, v.den);
	buf_adds(b, "</div><div class=\"k\">");
	h(b, f->abbr);
	buf_adds(b, "</div><div class=\"d\">");
	h(b, figure_words(f));
	buf_adds(b, "<br>");
	fmt_num(b, v.num);
	buf_adds(b, " / ");
	fmt_num(b, v.den);
	buf_adds(b, "</div>");
	tile_notes(b, r, f->id, f->rule);
	buf_adds(b, "</div>\n");
}

static void tile_delays(struct buf *b, const struct report *r, const char *key, const char *name,
			const struct delays *d, const char *fig)
{
	buf_adds(b, "<div class=\"tile\"><div class=\"v\">");
	if (d->known && d->n)
		fmt_dur(b, d->p50);
	else
		buf_adds(b, "\xe2\x80\x93");
	buf_printf(b, "</div><div class=\"k\">%s p50</div><div class=\"d\">", key);
	h(b, name);
	buf_adds(b, "<br>");
	if (d->known && d->n) {
		buf_adds(b, "p90 ");
		fmt_dur(b, d->p90);
		buf_adds(b, ", ");
		fmt_num(b, d->n);
		buf_adds(b, " measured");
	} else {
		buf_adds(b, d->n ? "unknown (no timestamps)" : "nothing measured");
	}
	buf_adds(b, "</div>");
	tile_notes(b, r, fig, NULL);
	buf_adds(b, "</div>\n");
}

/* A figure the formats of the log cannot give: say so instead of showing 0. */
static int not_given(struct buf *b, const struct report *r, unsigned what, const char *why)
{
	if (!(r->not_in_log & what))
		return 0;
	buf_adds(b, "<p class=\"muted\">not in this log: ");
	h(b, why);
	buf_adds(b, "</p>\n");
	return 1;
}

static void section_kpis(struct buf *b, const struct report *r)
{
	const struct kpis *k = &r->kpi;

	section_open(b, "kpis", "Telephony KPIs");
	if (not_given(b, r, GIVES_FINALS, "its format shows no call outcomes")) {
		buf_adds(b, "</section>\n");
		return;
	}
	buf_adds(b, "<p class=\"note\">RFC 6076 and ITU-T E.411, as defined in docs/metrics.md. ");
	fmt_num(b, k->invite_attempts);
	buf_adds(b, " INVITE attempts (a challenged INVITE and its retry count once), ");
	fmt_num(b, k->register_attempts);
	buf_adds(b, " REGISTER attempts.</p>\n<div class=\"tiles\">\n");
	for (size_t i = 0; i < nfigures; i++)
		if (figures[i].show & FIG_KPI)
			tile_ratio(b, &figures[i], r);
	if (r->not_in_log & GIVES_REQUESTS) {
		buf_adds(b, "</div>\n");
		not_given(b, r, GIVES_REQUESTS, "SRD, RRD, ACD and attempts without a final (its "
			  "format shows no request as it arrived)");
		buf_adds(b, "</section>\n");
		return;
	}
	tile_delays(b, r, "SRD", "INVITE \xe2\x86\x92 first answer", &k->srd, "kpi.srd.p50");
	tile_delays(b, r, "RRD", "REGISTER \xe2\x86\x92 final", &k->rrd, "kpi.rrd.p50");
	buf_adds(b, "<div class=\"tile\"><div class=\"v\">");
	if (k->acd_us >= 0)
		fmt_dur(b, k->acd_us);
	else
		buf_adds(b, "\xe2\x80\x93");
	buf_adds(b, "</div><div class=\"k\">ACD</div><div class=\"d\">mean answer \xe2\x86\x92 BYE<br>");
	fmt_num(b, k->duration.n);
	buf_adds(b, k->duration.n == 1 ? " completed session</div>" : " completed sessions</div>");
	tile_notes(b, r, "kpi.acd", NULL);
	buf_adds(b, "</div>\n");
	buf_printf(b, "<div class=\"tile%s\"><div class=\"v\">", k->no_final ? " bad" : "");
	fmt_num(b, k->no_final);
	buf_adds(b, "</div><div class=\"k\">No final</div><div class=\"d\">INVITE attempts without "
		 "any final response</div>");
	tile_notes(b, r, "kpi.no_final", NULL);
	buf_adds(b, "</div>\n</div>\n");
	if (!r->subsecond_times && r->have_times)
		buf_adds(b, "<p class=\"note\">The log's timestamps have whole seconds: each delay is "
			 "\xc2\xb1 1 s.</p>\n");
	buf_adds(b, "</section>\n");
}

/*
 * --history: each headline figure night by night, as bars (an SVG a figure, a bar a night,
 * its value in its tooltip; an unknown value is a short grey bar), and the values in a table.
 * Dates are checked YYYY-MM-DD by history.c; escaped all the same.
 */
#define SPARK_W 360
#define SPARK_H 36

static void section_history(struct buf *b, const struct report *r)
{
	const struct report_history *hi = r->history;

	if (!hi || !hi->ntrend)
		return;
	section_open(b, "trend", "Trend (--history)");
	buf_adds(b, "<p>Night of ");
	h(b, hi->night);
	buf_printf(b, "; %zu night%s kept (--keep %u), oldest first.</p>\n", hi->ntrend,
		   hi->ntrend == 1 ? "" : "s", hi->keep);
	buf_adds(b, "<table class=\"trend\">\n<thead><tr><th>Figure</th><th>By night</th>"
		 "<th class=\"n\">");
	h(b, hi->trend[hi->ntrend - 1].night);
	buf_adds(b, "</th></tr></thead>\n<tbody>\n");
	double slot = (double)SPARK_W / (double)hi->ntrend;
	for (int k = 0; k < REPORT_TREND_FIGS; k++) {
		/* a KPI on its scale (0..100 %), a count on the largest night's */
		double max = report_trend_ratio(k) ? 100 : 0;
		for (size_t i = 0; i < hi->ntrend; i++) {
			const struct report_trend_value *v = &hi->trend[i].v[k];
			double x = !v->known ? 0 : report_trend_ratio(k) ?
				   100.0 * (double)v->num / (double)v->den : (double)v->num;
			max = x > max ? x : max;
		}
		buf_adds(b, "<tr><td>");
		h(b, report_trend_names[k]);
		buf_printf(b, "</td><td><svg class=\"spark\" viewBox=\"0 0 %d %d\" width=\"%d\" "
			   "height=\"%d\" role=\"img\" aria-label=\"", SPARK_W, SPARK_H, SPARK_W,
			   SPARK_H);
		h(b, report_trend_names[k]);
		buf_adds(b, " by night\">");
		for (size_t i = 0; i < hi->ntrend; i++) {
			const struct report_trend_value *v = &hi->trend[i].v[k];
			double x = !v->known ? 0 : report_trend_ratio(k) ?
				   100.0 * (double)v->num / (double)v->den : (double)v->num;
			double hgt = max > 0 ? x * (SPARK_H - 2) / max : 0;
			if (hgt < 1.5)
				hgt = 1.5;	/* a zero still shows where the night is */
			buf_adds(b, "<g><title>");
			h(b, hi->trend[i].night);
			buf_adds(b, ": ");
			fmt_trend_value(b, v, k, RATIO_PEOPLE, "unknown");
			buf_printf(b, "</title><rect%s x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\"/></g>", v->known ? "" : " class=\"none\"",
				   slot * (double)i, SPARK_H - hgt,
				   slot > 30 ? 24 : slot > 2 ? slot * 0.8 : slot, hgt);
		}
		buf_adds(b, "</svg></td><td class=\"n\">");
		fmt_trend_value(b, &hi->trend[hi->ntrend - 1].v[k], k, RATIO_PEOPLE, "unknown");
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody>\n</table>\n<table class=\"trend\">\n<thead><tr><th>Night</th>");
	for (int k = 0; k < REPORT_TREND_FIGS; k++) {
		buf_adds(b, "<th class=\"n\">");
		h(b, report_trend_names[k]);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = hi->ntrend; i-- > 0;) {
		buf_adds(b, "<tr><td>");
		h(b, hi->trend[i].night);
		buf_adds(b, "</td>");
		for (int k = 0; k < REPORT_TREND_FIGS; k++) {
			buf_adds(b, "<td class=\"n\">");
			fmt_trend_value(b, &hi->trend[i].v[k], k, RATIO_PEOPLE, "unknown");
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

static void section_baseline(struct buf *b, const struct report *r)
{
	const struct baseline *bl = r->baseline;

	if (!bl)
		return;
	section_open(b, "baseline", "Change since the baseline");
	buf_adds(b, "<p>Baseline <span class=\"mono brk\">");
	esc_html(b, bl->path, strlen(bl->path));
	buf_adds(b, "</span>");
	if (bl->status != BASELINE_OK) {
		buf_adds(b, bl->status == BASELINE_ERROR ? ": <span class=\"err\">" : ": <span>");
		h(b, bl->error);
		buf_adds(b, "</span></p>\n</section>\n");
		return;
	}
	if (bl->first_time && bl->last_time) {
		buf_adds(b, ", ");
		esc_html(b, bl->first_time, strlen(bl->first_time));
		buf_adds(b, " to ");
		esc_html(b, bl->last_time, strlen(bl->last_time));
	}
	buf_adds(b, ".</p>\n<table class=\"baseline\">\n<thead><tr><th>Figure</th>"
		 "<th class=\"n\">Baseline</th><th class=\"n\">Now</th><th class=\"n\">Change</th>"
		 "<th></th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct baseline_figure *g = &bl->fig[i];
		const char *tn = baseline_trend_name(g->trend);
		buf_printf(b, "<tr%s><td>", g->trend == TREND_SAME ? " class=\"same\"" : "");
		h(b, g->label);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_figure(b, g->unit, g->have_prev, g->prev);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_figure(b, g->unit, g->have_cur, g->cur);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_change(b, g);
		buf_printf(b, "</td><td class=\"%s\">%s</td></tr>\n", tn ? tn : "unknown",
			   g->trend == TREND_BETTER || g->trend == TREND_WORSE ? tn : "");
	}
	buf_adds(b, "</tbody>\n</table>\n</section>\n");
}

static void section_input(struct buf *b, const struct report *r)
{
	section_open(b, "input", "Input files");
	if (!r->nfiles) {
		buf_adds(b, "<p class=\"muted\">no input</p>\n</section>\n");
		return;
	}
	buf_adds(b, "<table>\n<tr><th>Status</th><th>File</th><th>Format</th><th class=\"n\">Size"
		 "</th><th class=\"n\">Lines</th><th class=\"n\">");
	/* the noun of every file's records: a capital for a column heading */
	const char *noun = records_noun(r, -1, 0);
	buf_printf(b, "%c%s</th><th>First</th><th>Last</th></tr>\n",
		   noun[0] >= 'a' && noun[0] <= 'z' ? noun[0] - 'a' + 'A' : noun[0], noun + 1);
	for (size_t i = 0; i < r->nfiles; i++) {
		const struct report_file *f = &r->files[i];
		int red = f->status == FILE_ERROR || f->status == FILE_UNRECOGNISED;
		buf_printf(b, "<tr><td>%s%s%s</td><td class=\"mono brk\">",
			   red ? "<span class=\"badge s5\">" : "", file_status_name(f->status),
			   red ? "</span>" : "");
		shown(b, f->path, strlen(f->path), 400);
		if (f->status == FILE_ERROR && f->error) {
			buf_adds(b, "<div class=\"err\">");
			shown(b, f->error, strlen(f->error), 800);
			buf_adds(b, "</div>");
		}
		if (f->note) {
			buf_printf(b, "<div class=\"%s\">", red ? "err" : "muted");
			shown(b, f->note, strlen(f->note), 800);
			buf_adds(b, "</div>");
		}
		if (f->lines_cut || f->match_limited) {
			buf_adds(b, "<div class=\"err\">");
			if (f->lines_cut) {
				fmt_num(b, f->lines_cut);
				buf_adds(b, " line(s) over 1 MiB not read (cut for length)");
			}
			if (f->match_limited) {
				buf_adds(b, f->lines_cut ? "; " : "");
				fmt_num(b, f->match_limited);
				buf_adds(b, " record(s) stopped by a pattern-matching limit");
			}
			buf_adds(b, "</div>");
		}
		buf_adds(b, "</td><td>");
		if (f->format) {
			h(b, f->format);
			if (f->format_auto)
				buf_adds(b, " <span class=\"muted\">(detected)</span>");
		}
		buf_adds(b, "</td><td class=\"n\">");
		fmt_bytes(b, f->bytes);
		if (f->gzip) {
			buf_adds(b, "<br><span class=\"muted\">");
			fmt_bytes(b, f->stored_bytes);
			buf_adds(b, " gzip</span>");
		}
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, f->lines);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, f->records);
		if (f->incomplete) {
			buf_adds(b, "<br><span class=\"muted\">");
			fmt_num(b, f->incomplete);
			buf_adds(b, " incomplete</span>");
		}
		buf_adds(b, "</td><td class=\"mono t\">");
		if (f->first_time != TIME_UNKNOWN)
			tstamp(b, f->first_time);
		buf_adds(b, "</td><td class=\"mono t\">");
		if (f->last_time != TIME_UNKNOWN)
			tstamp(b, f->last_time);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n</section>\n");
}

static void section_traffic(struct buf *b, const struct report *r)
{
	int any = 0;

	section_open(b, "responses", "Requests and responses");
	buf_adds(b, "<h3>Requests by method</h3>\n<div class=\"chips\">");
	for (int m = METHOD_INVITE; m < METHOD_COUNT; m++) {
		if (!r->requests[m])
			continue;
		buf_adds(b, "<span class=\"chip\">");
		h(b, sip_method_name(m));
		buf_adds(b, " <b>");
		fmt_num(b, r->requests[m]);
		buf_adds(b, "</b></span>");
		any = 1;
	}
	if (!any)
		buf_adds(b, "<span class=\"muted\">none</span>");
	buf_adds(b, "</div>\n<h3>Responses by code</h3>\n");
	any = 0;
	for (int c = 100; c < REPORT_CODES; c++)
		any |= r->responses[c] != 0;
	if (!any) {
		buf_adds(b, "<p class=\"muted\">no responses</p>\n</section>\n");
		return;
	}
	class_legend(b, r->responses, 100);
	code_chart(b, r->responses, 100, "Responses by code");
	buf_adds(b, "</section>\n");
}

/* "100 -> final  p50 1.00 s  p90 2.00 s  p99 2.00 s  max 2.00 s  (15 measured)" */
static void delays_line(struct buf *b, const struct report *r, const char *label,
			const struct delays *d)
{
	buf_adds(b, "<div class=\"delays\"><span class=\"muted\">");
	h(b, label);
	buf_adds(b, "</span>");
	if (!d->known) {
		buf_adds(b, "<span>unknown (the log has no timestamps)</span></div>\n");
		return;
	}
	static const char *const names[] = { "p50", "p90", "p99", "max" };
	const int64_t v[] = { d->p50, d->p90, d->p99, d->max };
	for (int i = 0; i < 4; i++) {
		buf_printf(b, "<span>%s <b>", names[i]);
		fmt_dur(b, v[i]);
		buf_adds(b, "</b></span>");
	}
	buf_adds(b, "<span class=\"muted\">");
	fmt_num(b, d->n);
	buf_adds(b, " measured</span></div>\n");
	if (!r->subsecond_times)
		buf_adds(b, "<p class=\"note\">whole-second timestamps: each delay is \xc2\xb1 1 s</p>\n");
}

static void section_trying(struct buf *b, const struct report *r)
{
	section_open(b, "trying", "100 Trying \xe2\x86\x92 final response (INVITE)");
	if (not_given(b, r, GIVES_PROVISIONAL, "its format shows no 100 Trying")) {
		buf_adds(b, "</section>\n");
		return;
	}
	if (!r->trying) {
		buf_adds(b, "<p class=\"muted\">no INVITE received 100 Trying</p>\n</section>\n");
		return;
	}
	buf_adds(b, "<div class=\"tiles\">\n<div class=\"tile\"><div class=\"v\">");
	fmt_num(b, r->trying);
	buf_adds(b, "</div><div class=\"k\">100 Trying</div><div class=\"d\">INVITE calls</div></div>\n"
		 "<div class=\"tile\"><div class=\"v\">");
	fmt_num(b, r->trying - r->stuck);
	buf_adds(b, "</div><div class=\"k\">Final response</div><div class=\"d\">");
	pct(b, r->trying - r->stuck, r->trying);
	buf_printf(b, "</div></div>\n<div class=\"tile%s\"><div class=\"v\">", r->stuck ? " bad" : "");
	fmt_num(b, r->stuck);
	buf_adds(b, "</div><div class=\"k\">Stuck</div><div class=\"d\">");
	pct(b, r->stuck, r->trying);
	buf_adds(b, " never got a final</div></div>\n</div>\n");
	int any = 0;
	for (int c = 200; c < REPORT_CODES; c++)
		any |= r->by_final[c] != 0;
	if (any) {
		buf_adds(b, "<h3>Final responses after 100 Trying</h3>\n");
		code_chart(b, r->by_final, 200, "Final responses after 100 Trying");
	}
	buf_adds(b, "<h3>Delay</h3>\n");
	delays_line(b, r, "100 \xe2\x86\x92 final", &r->trying_delay);
	if (r->trying_delay.n)
		hist_chart(b, r->trying_hist);
	buf_adds(b, "</section>\n");
}

/* Post-dial delay and ring time: what slow-setup looks at, and what it leaves out. */
static void section_setup(struct buf *b, const struct report *r)
{
	section_open(b, "setup", "Call setup (INVITE): post-dial delay and ring time");
	if (not_given(b, r, GIVES_REQUESTS | GIVES_PROVISIONAL,
		      "its format shows no INVITE as it came, or no 18x")) {
		buf_adds(b, "</section>\n");
		return;
	}
	delays_line(b, r, "post-dial delay (INVITE \xe2\x86\x92 18x, else final)", &r->pdd);
	delays_line(b, r, "ring time (18x \xe2\x86\x92 final)", &r->ring_time);
	struct buf s = {0};
	fmt_slow_by_outcome(&s, r);
	buf_adds(b, "<p class=\"note\">");
	h(b, buf_cstr(&s));
	buf_adds(b, "</p>\n");
	buf_reset(&s);
	if (fmt_slow_by_hop(&s, r, esc_text)) {	/* escaped for people, then for HTML */
		buf_adds(b, "<p class=\"note\">");
		h(b, buf_cstr(&s));
		buf_adds(b, "</p>\n");
	}
	buf_free(&s);
	buf_adds(b, "</section>\n");
}

static void auth_card(struct buf *b, const struct report *r, const char *title,
		      const struct auth_report *a, const char *none)
{
	buf_adds(b, "<div class=\"card\">\n<h3>");
	h(b, title);
	buf_adds(b, "</h3>\n");
	if (!a->challenged) {
		buf_adds(b, "<p class=\"muted\">");
		h(b, none);
		buf_adds(b, "</p>\n</div>\n");
		return;
	}
	const struct seg segs[] = {
		{ "accepted", a->accepted, 2 },
		{ "challenged again", a->rechallenged, 5 },
		{ "never retried", a->not_retried, 4 },
	};
	buf_adds(b, "<p>");
	fmt_num(b, a->challenged);
	buf_adds(b, " calls challenged: ");
	fmt_num(b, a->retried);
	buf_adds(b, " retried, ");
	fmt_num(b, a->not_retried);
	buf_adds(b, " never retried (");
	pct(b, a->not_retried, a->challenged);
	buf_adds(b, ")</p>\n");
	stack_bar(b, segs, 3, a->challenged, title);
	if (a->retried) {
		buf_adds(b, "<p>Last retry: ");
		fmt_num(b, a->accepted);
		buf_adds(b, " accepted, ");
		fmt_num(b, a->rechallenged);
		buf_adds(b, " challenged again, credentials rejected (");
		pct(b, a->rechallenged, a->retried);
		buf_adds(b, " of the retried)</p>\n");
		delays_line(b, r, "challenge \xe2\x86\x92 retry", &a->retry_delay);
	}
	buf_adds(b, "</div>\n");
}

static void section_auth(struct buf *b, const struct report *r)
{
	section_open(b, "auth", "Authentication challenges \xe2\x86\x92 retry");
	if (not_given(b, r, GIVES_CHALLENGES, "its format shows no challenges or retries")) {
		buf_adds(b, "</section>\n");
		return;
	}
	buf_adds(b, "<div class=\"cols\">\n");
	auth_card(b, r, "407 Proxy Authentication Required \xe2\x86\x92 retry", &r->proxy_auth,
		  "no request was challenged with 407");
	auth_card(b, r, "401 Unauthorized \xe2\x86\x92 retry", &r->www_auth,
		  "no request was challenged with 401");
	buf_adds(b, "</div>\n</section>\n");
}

/* The timeline drawn: per hour, or per 15 or 5 minutes when the window is short. */
#define HOUR_US (INT64_C(3600) * 1000000)
#define DAY_US (24 * HOUR_US)
#define FINE5_SPAN (6 * HOUR_US)	/* a window shorter than this: 5-minute buckets */
#define FINE15_SPAN DAY_US		/* shorter than this: 15-minute buckets */

/*
 * Attempts, failures and challenges per bucket: three thin bars per bucket on one scale.
 * rows are n consecutive buckets of step us from rows[0].hour (empty ones included, so a
 * quiet hour shows as a gap); unit names a bucket ("hour", "5 minutes").
 */
static void timeline_chart(struct buf *b, const struct timeline_row *rows, size_t n,
			   int64_t step, const char *unit)
{
	const int w = 840, top = 8, plot_h = 160, base = top + plot_h, label_h = 30;
	const int left = 44;
	uint64_t max = 1;
	char tmp[TIME_LOCAL_MAX + 4];

	for (size_t i = 0; i < n; i++) {
		/* challenges count registrations too: they can outgrow the calls */
		if (rows[i].calls > max)
			max = rows[i].calls;
		if (rows[i].challenged > max)
			max = rows[i].challenged;
	}
	double slot = (double)(w - left - 4) / (double)n;
	double bar = slot / 3.6 < 14 ? slot / 3.6 : 14;
	size_t every = (size_t)(60.0 / slot) + 1;	/* a label every ~60 px */

	buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		   "role=\"img\" aria-label=\"calls, failed calls and challenges per %s\">\n",
		   w, base + label_h, w, base + label_h, unit);
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"currentColor\"/>\n",
		   left, base, w - 2, base);
	buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 4, top + 10);
	fmt_num(b, max);
	buf_printf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n", left - 4,
		   base);
	for (size_t i = 0; i < n; i++) {
		const struct timeline_row *t = &rows[i];
		const uint64_t v[3] = { t->calls, t->failed, t->challenged };
		static const int klass[3] = { 1, 4, 3 };	/* grey, failure orange, blue */
		double x = left + 2 + slot * (double)i;
		/* "2026-11-24T13:05:00Z" or "2026-11-24 13:05:00 +01:00": the date and the time of
		 * day sit at the same places in both */
		time_format_local(t->hour, tmp);
		buf_printf(b, "<g><title>%.10s %.5s", tmp, tmp + 11);
		if (step != HOUR_US) {
			time_format_local(t->hour + step, tmp);
			buf_printf(b, " to %.5s", tmp + 11);
		}
		buf_adds(b, " ");
		h(b, tz_is_utc() ? "UTC" : tz_name());
		buf_adds(b, ": ");
		fmt_num(b, t->calls);
		buf_adds(b, " calls, ");
		fmt_num(b, t->failed);
		buf_adds(b, " failed, ");
		fmt_num(b, t->challenged);
		buf_adds(b, " challenged; ");
		fmt_num(b, t->registrations);
		buf_adds(b, " registrations, ");
		fmt_num(b, t->options);
		buf_adds(b, " OPTIONS, ");
		fmt_num(b, t->other);
		buf_adds(b, " other</title>");
		for (int k = 0; k < 3; k++) {
			double hgt = (double)v[k] * plot_h / (double)max;
			if (v[k] && hgt < 1)
				hgt = 1;
			buf_printf(b, "<rect class=\"k%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				   "height=\"%.1f\"/>", klass[k], x + bar * k, base - hgt, bar * 0.9, hgt);
		}
		buf_adds(b, "</g>\n");
		if (i % every == 0) {
			time_format_local(t->hour, tmp);
			/* "13" for hours, "13:05" for finer buckets */
			buf_printf(b, "<text x=\"%.1f\" y=\"%d\">%.*s</text>\n", x, base + 16,
				   step == HOUR_US ? 2 : 5, tmp + 11);
		}
	}
	buf_printf(b, "</svg>\n<div class=\"legend\"><span><span class=\"sw k1\"></span>calls</span>"
		   "<span><span class=\"sw k4\"></span>failed calls</span><span><span class=\"sw k3\">"
		   "</span>challenged</span><span>%s on the axis, ", step == HOUR_US ? "hours" : "times");
	h(b, tz_is_utc() ? "UTC" : tz_name());
	buf_adds(b, "</span></div>\n");
}

/* rows (sorted, sparse) summed into the dense buckets of step us from `from` to `to`
 * (exclusive); returns how many, at most max. */
static size_t dense(const struct timeline_row *rows, size_t n, int64_t step, int64_t from,
		    int64_t to, struct timeline_row *out, size_t max)
{
	size_t m = (size_t)((to - from) / step);

	m = m < max ? m : max;
	for (size_t i = 0; i < m; i++)
		out[i] = (struct timeline_row){ .hour = from + (int64_t)i * step };
	for (size_t i = 0; i < n; i++) {
		if (rows[i].hour < from || rows[i].hour >= to)
			continue;
		size_t k = (size_t)((rows[i].hour - from) / step);
		if (k >= m)
			continue;
		out[k].calls += rows[i].calls;
		out[k].answered += rows[i].answered;
		out[k].failed += rows[i].failed;
		out[k].registrations += rows[i].registrations;
		out[k].options += rows[i].options;
		out[k].other += rows[i].other;
		out[k].challenged += rows[i].challenged;
		out[k].auth_failed += rows[i].auth_failed;
	}
	return m;
}

static int64_t floor_to(int64_t t, int64_t step)
{
	return t - ((t % step) + step) % step;
}

/* The start of the zone's day that holds t (its midnight as an instant; on the day the
 * clocks change, the offset of t's own side of the change). */
static int64_t day_of(int64_t t)
{
	int64_t off = (int64_t)tz_offset(t) * 1000000;

	return floor_to(t + off, DAY_US) - off;
}

/*
 * The charts of the timeline: one window shorter than FINE5_SPAN is drawn per 5 minutes,
 * shorter than FINE15_SPAN per 15 (from the model's 5-minute buckets, report.h); a longer one
 * per hour, one chart per day of the zone when it spans several (each day 00..23, so that days
 * compare). Every chart has at most 97 buckets (a day and a part bucket at each end).
 */
static void timeline_charts(struct buf *b, const struct report *r)
{
	struct timeline_row d[100];
	char tmp[TIME_LOCAL_MAX];
	const struct timeline_row *first = &r->timeline[0], *last = &r->timeline[r->ntimeline - 1];

	if (r->fine && r->nfine >= 2) {
		int64_t span = r->fine[r->nfine - 1].hour + REPORT_FINE_US - r->fine[0].hour;
		int64_t step = span <= FINE5_SPAN ? REPORT_FINE_US : 3 * REPORT_FINE_US;
		if (span <= FINE15_SPAN) {
			int64_t from = floor_to(r->fine[0].hour, step);
			int64_t to = floor_to(r->fine[r->nfine - 1].hour, step) + step;
			size_t m = dense(r->fine, r->nfine, step, from, to, d, 100);
			buf_printf(b, "<h3>Per %d minutes</h3>\n", (int)(step / 60000000));
			timeline_chart(b, d, m, step, step == REPORT_FINE_US ? "5 minutes" :
				       "15 minutes");
			return;
		}
	}
	int64_t day0 = day_of(first->hour), dayn = day_of(last->hour);
	if (day0 == dayn) {
		size_t m = dense(r->timeline, r->ntimeline, HOUR_US, first->hour,
				 last->hour + HOUR_US, d, 24);
		timeline_chart(b, d, m, HOUR_US, "hour");
		return;
	}
	/* several days: one chart each; days without an attempt are left out (the table says
	 * which hours there were) */
	for (size_t i = 0; i < r->ntimeline;) {
		int64_t day = day_of(r->timeline[i].hour);
		size_t m = dense(r->timeline, r->ntimeline, HOUR_US, day, day + DAY_US, d, 24);
		time_format_local(day, tmp);
		tmp[10] = '\0';	/* the date */
		buf_printf(b, "<h3 id=\"day-%s\">%s</h3>\n", tmp, tmp);
		timeline_chart(b, d, m, HOUR_US, "hour");
		while (i < r->ntimeline && r->timeline[i].hour < day + DAY_US)
			i++;
	}
}

static void section_timeline(struct buf *b, const struct report *r)
{
	char tmp[TIME_LOCAL_MAX + 4];

	if (!r->ntimeline)
		return;
	struct buf title = {0};
	buf_printf(&title, "Per hour (%s)", tz_is_utc() ? "UTC" : tz_name());
	section_open(b, "hours", buf_cstr(&title));	/* escapes it */
	buf_free(&title);
	if (r->ntimeline == 1 && !(r->fine && r->nfine >= 2)) {
		/* one hour and one bucket says nothing the totals do not: no chart */
		hour_label(r->timeline[0].hour, tmp);
		buf_printf(b, "<p class=\"note\">Every Call-ID falls in one hour, %s; the chart "
			   "appears when the log spans two hours or more.</p>\n</section>\n", tmp);
		return;
	}
	timeline_charts(b, r);
	buf_adds(b, "<table class=\"grid\">\n<tr><th>Hour</th><th class=\"n\">Calls</th><th class=\"n\">"
		 "Answered</th><th class=\"n\">Failed</th><th class=\"n\">Registrations</th>"
		 "<th class=\"n\">OPTIONS</th><th class=\"n\">Other</th><th class=\"n\">Challenged"
		 "</th><th class=\"n\">Auth failed</th></tr>\n");
	for (size_t i = 0; i < r->ntimeline; i++) {
		const struct timeline_row *t = &r->timeline[i];
		hour_label(t->hour, tmp);
		buf_printf(b, "<tr><td class=\"mono\">%s</td>", tmp);
		const uint64_t v[] = { t->calls, t->answered, t->failed, t->registrations,
				       t->options, t->other, t->challenged, t->auth_failed };
		for (int k = 0; k < 8; k++) {
			buf_adds(b, "<td class=\"n\">");
			fmt_num(b, v[k]);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table>\n</section>\n");
}

static void auth_results_table(struct buf *b, const char *what, const struct auth_table *t)
{
	if (!t->n)
		return;
	buf_printf(b, "<table class=\"grid\">\n<tr><th>%s</th><th class=\"n\">Challenges</th>"
		   "<th class=\"n\">Accepted</th><th class=\"n\">Failed</th><th class=\"n\">"
		   "Unknown account</th><th class=\"n\">Denied (ACL)</th></tr>\n", what);
	for (size_t i = 0; i < t->n; i++) {
		const struct auth_row *x = &t->rows[i];
		buf_adds(b, "<tr><td class=\"mono brk\">");
		shown(b, x->key, x->key_len, MAX_SHOWN_KEY);
		if (x->scanner)
			buf_adds(b, " <span class=\"err\">scanner</span>");
		buf_adds(b, "</td>");
		static const int order[] = { AUTH_RES_CHALLENGE, AUTH_RES_OK, AUTH_RES_FAILED,
					     AUTH_RES_UNKNOWN, AUTH_RES_DENIED };
		for (int k = 0; k < 5; k++) {
			buf_adds(b, "<td class=\"n\">");
			fmt_num(b, x->n[order[k]]);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table>\n");
	if (t->keys > t->n) {
		buf_adds(b, "<p class=\"note\">");
		fmt_num(b, t->keys - t->n);
		buf_adds(b, " more not shown (--top, or the JSON report)</p>\n");
	}
}

/* Authentication records (Asterisk security log, auth notices): only for such logs. */
static void section_auth_results(struct buf *b, const struct report *r)
{
	const struct auth_results *a = &r->auth;

	if (!r->auth_log)
		return;
	section_open(b, "auth-results", "Authentication results (security log)");
	buf_adds(b, "<p>");
	fmt_auth_counts(b, a);
	buf_adds(b, "; ");
	fmt_num(b, a->scanners);
	buf_printf(b, " source%s with %u or more failures (likely scanners: see <a "
		   "href=\"#problems\">Problems</a>).</p>\n", a->scanners == 1 ? "" : "s",
		   r->scanner_threshold);
	auth_results_table(b, "Source", &a->by_source);
	auth_results_table(b, "Account", &a->by_account);
	buf_adds(b, "</section>\n");
}

/* A row's most frequent failures: "486 ×4, none ×2", each code with its name on hover. */
static void top_failures(struct buf *b, const int *codes, const uint64_t *n, int ncodes)
{
	for (int k = 0; k < ncodes && k < REPORT_ROW_CODES; k++) {
		if (k)
			buf_adds(b, ", ");
		if (codes[k] > 0 && codes[k] < REPORT_CODES) {
			buf_printf(b, "<span title=\"");
			code_name(b, codes[k]);
			buf_printf(b, "\">%d</span>", codes[k]);
		} else {
			buf_adds(b, "none");
		}
		buf_adds(b, " \xc3\x97");
		fmt_num(b, n[k]);
	}
}

static void section_breakdown(struct buf *b, const char *id, const char *title,
			      const struct breakdown *d)
{
	if (!d->n)
		return;
	section_open(b, id, title);
	buf_adds(b, "<table class=\"grid\">\n<tr><th></th><th class=\"n\">Attempts</th><th class=\"n\">Answered"
		 "</th><th class=\"n\">Failed</th><th class=\"n\">Auth failed</th>"
		 "<th>Top failures</th></tr>\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct breakdown_row *row = &d->rows[i];
		buf_adds(b, "<tr><td class=\"mono brk\">");
		shown(b, row->key, row->key_len, MAX_SHOWN_KEY);
		buf_adds(b, "</td>");
		const uint64_t v[] = { row->attempts, row->answered, row->failed, row->auth_failed };
		for (int k = 0; k < 4; k++) {
			buf_adds(b, "<td class=\"n\">");
			fmt_num(b, v[k]);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "<td>");
		top_failures(b, row->codes, row->code_n, row->ncodes);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n");
	if (d->keys > d->n) {
		buf_adds(b, "<p class=\"note\">");
		fmt_num(b, d->keys - d->n);
		buf_adds(b, " more not shown (--top, or the JSON report)</p>\n");
	}
	buf_adds(b, "</section>\n");
}

/* --host-from / --host only: each host's share of the fleet (report.h struct host_row). */
static void section_hosts(struct buf *b, const struct report *r)
{
	static const char *const head[] = { "Files", "Messages", "Call-IDs", "Calls", "Answered",
					    "Failed", "Stuck after 100", "Not retried", "Shared" };
	enum { NC = 9 };

	if (!r->nhosts)
		return;
	section_open(b, "hosts", "By host");
	buf_adds(b, "<table class=\"grid\">\n<tr><th></th>");
	for (int k = 0; k < NC; k++)
		buf_printf(b, "<th class=\"n\">%s</th>", head[k]);
	buf_adds(b, "</tr>\n");
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct host_row *x = &r->hosts[i];
		const uint64_t v[NC] = { x->files, x->records, x->callids, x->calls, x->answered,
					 x->failed, x->stuck, x->not_retried, x->shared };
		buf_adds(b, "<tr><td class=\"mono brk\">");
		shown(b, x->name, x->name_len, MAX_SHOWN_KEY);
		buf_adds(b, "</td>");
		for (int k = 0; k < NC; k++) {
			buf_adds(b, "<td class=\"n\">");
			if (k == NC - 1 && r->shared_unknown)
				buf_adds(b, "-");	/* not known: see the note */
			else
				fmt_num(b, v[k]);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table>\n<p class=\"note\">");
	if (r->shared_unknown) {
		/* merge: each host's states had a call table of their own (docs/state.md) */
		buf_adds(b, "Merged from each host's states: which Call-IDs more than one host "
			 "logged is not known. Such a Call-ID is a call in the row of each host "
			 "that logged it, and in the totals once per host.</p>\n</section>\n");
		return;
	}
	fmt_num(b, r->callids_shared);
	buf_adds(b, " Call-IDs were logged by more than one host: each is counted once in the "
		 "totals, and in the row of every host that logged it.</p>\n</section>\n");
}

/* Calls by next hop (README "Which hop fails"); said so when the log does not show where
 * responses came from. */
static void section_hops(struct buf *b, const struct report *r)
{
	const struct hop_table *h = &r->by_hop;

	if (r->not_in_log & GIVES_FINALS || !r->kpi.invite_attempts)
		return;
	section_open(b, "hops", "Calls by next hop");
	if (!h->shown) {
		buf_adds(b, "<p class=\"note\">Not in this log: its responses do not say where they "
			 "came from.</p>\n</section>\n");
		return;
	}
	if (!h->n) {
		buf_adds(b, "<p class=\"note\">None: every response came from the caller or the proxy "
			 "itself.</p>\n</section>\n");
		return;
	}
	buf_adds(b, "<table class=\"grid\">\n<tr><th>Next hop</th><th class=\"n\">Attempts</th>"
		 "<th class=\"n\">Answered</th><th class=\"n\">Stuck after 100</th>"
		 "<th class=\"n\">408</th><th class=\"n\">5xx</th><th>Top failures</th>"
		 "<th class=\"n\">SRD mean</th><th class=\"n\">SRD max</th></tr>\n");
	for (size_t i = 0; i < h->n; i++) {
		const struct hop_row *row = &h->rows[i];
		buf_adds(b, "<tr><td class=\"mono brk\">");
		shown(b, row->key, row->key_len, MAX_SHOWN_KEY);
		buf_adds(b, "</td>");
		const uint64_t v[] = { row->attempts, row->answered, row->stuck, row->timeout,
				       row->server_err };
		for (int k = 0; k < 5; k++) {
			buf_adds(b, "<td class=\"n\">");
			fmt_num(b, v[k]);
			buf_adds(b, "</td>");
		}
		buf_adds(b, "<td>");
		top_failures(b, row->codes, row->code_n, row->ncodes);
		buf_adds(b, "</td><td class=\"n\">");
		if (row->srd_n) {
			fmt_ms(b, row->srd_sum_us / (int64_t)row->srd_n);
			buf_adds(b, " ms</td><td class=\"n\">");
			fmt_ms(b, row->srd_max_us);
			buf_adds(b, " ms</td></tr>\n");
		} else {
			buf_adds(b, "\xe2\x80\x93</td><td class=\"n\">\xe2\x80\x93</td></tr>\n");
		}
	}
	buf_adds(b, "</table>\n");
	if (h->keys > h->n) {
		buf_adds(b, "<p class=\"note\">");
		fmt_num(b, h->keys - h->n);
		buf_adds(b, " more not shown (--top, or the JSON report)</p>\n");
	}
	if (h->no_hop) {
		buf_adds(b, "<p class=\"note\">");
		fmt_num(b, h->no_hop);
		buf_adds(b, " more attempts were answered only by the caller or the proxy itself: no "
			 "next hop.</p>\n");
	}
	buf_adds(b, "</section>\n");
}

/*
 * An example call's ladder (src/ladder.h, the rows of `siplogscan show`) in a collapsed
 * block: time and delta, sender, request or status, CSeq, marks, file:line with the first
 * line as logged. Nothing when the call is not in the ladders or none of its messages was
 * found again (an input read only once).
 */
static void ladder_block(struct buf *b, const struct report *r, const struct example *e)
{
	static const char *const cls[LADDER_CELLS] = {
		[LADDER_TIME] = "mono t", [LADDER_DELTA] = "n", [LADDER_FROM] = "mono brk",
		[LADDER_MESSAGE] = "mono brk", [LADDER_CSEQ] = "mono t", [LADDER_MARKS] = "mk",
		[LADDER_AT] = "mono brk",
	};
	const struct ladder_call *c = ladders_find(r->ladders, e->call_id, e->call_id_len);
	struct buf cell[LADDER_CELLS] = { {0} };
	struct ladder_walk w;
	const struct ladder_msg *m;

	if (!c || !c->n)
		return;
	buf_printf(b, "<details class=\"ladder\"><summary>Ladder: %zu message%s</summary>\n"
		   "<table class=\"ladder\">\n<tr><th>Time</th><th class=\"n\">Delta</th>"
		   "<th>From</th><th>Message</th><th>CSeq</th><th>Marks</th><th>At</th></tr>\n",
		   c->n + c->dropped, c->n + c->dropped == 1 ? "" : "s");
	ladder_walk_start(&w);
	while ((m = ladder_next(&w, r->ladders, c, esc_html, cell))) {
		buf_adds(b, "<tr>");
		for (int k = 0; k < LADDER_CELLS; k++) {
			buf_printf(b, "<td class=\"%s\">", cls[k]);
			buf_add(b, cell[k].p, cell[k].len);
			if (k == LADDER_AT && m->raw) {
				buf_adds(b, "<div class=\"ln\">");
				ladder_first_line(b, m, esc_html);
				buf_adds(b, "</div>");
			}
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</table>\n");
	if (c->dropped) {
		buf_adds(b, "<p class=\"note\">... and ");
		fmt_num(b, c->dropped);
		buf_printf(b, " more message%s, not shown (at most %d): <code>siplogscan show"
			   "</code> lists them all.</p>\n", c->dropped == 1 ? "" : "s",
			   REPORT_LADDER_MSGS);
	}
	buf_adds(b, "</details>");
	for (int k = 0; k < LADDER_CELLS; k++)
		buf_free(&cell[k]);
}

static void example_item(struct buf *b, const struct report *r, const struct example *e,
			 int ladder)
{
	buf_adds(b, "<li>");
	if (e->file < r->nfiles) {
		const char *path = r->files[e->file].path;
		buf_adds(b, "<span class=\"mono brk where\">");
		shown(b, path, strlen(path), 200);
		buf_printf(b, ":%" PRIu64 "</span> ", e->line);
	}
	buf_adds(b, "<span class=\"cid\">");
	shown(b, e->call_id, e->call_id_len, MAX_SHOWN_ID);
	buf_adds(b, "</span>");
	if (ladder)
		ladder_block(b, r, e);
	buf_adds(b, "</li>\n");
}

static void section_problems(struct buf *b, const struct report *r)
{
	section_open(b, "problems", "Problems");
	if (!r->nproblems) {
		buf_adds(b, "<p>None found.</p>\n</section>\n");
		return;
	}
	buf_adds(b, "<p class=\"note\">Most important first (severity, then count). Each share "
		 "is relative to the population named under its count.");
	if (r->ladders)
		buf_printf(b, " The first %d example calls of each problem have their ladder: "
			   "the messages of the Call-ID in log order (at most %d; <code>siplogscan "
			   "show</code> gives them all).", REPORT_LADDER_EXAMPLES, REPORT_LADDER_MSGS);
	buf_adds(b, "</p>\n");
	if (r->ladders_note) {
		buf_adds(b, "<p class=\"note\">");
		h(b, r->ladders_note);
		buf_adds(b, "</p>\n");
	}
	buf_adds(b, "<table class=\"problems\">\n<colgroup><col class=\"c-rank\"><col class=\"c-sev\">"
		 "<col class=\"c-prob\"><col class=\"c-count\"><col class=\"c-share\"><col>"
		 "<col></colgroup>\n<tr><th class=\"n\">#</th><th>Severity</th><th>Problem</th>"
		 "<th class=\"n\">Count</th><th class=\"n\">Share</th><th>What it means</th>"
		 "<th>Fix</th></tr>\n");
	for (size_t i = 0; i < r->nproblems; i++) {
		const struct problem *p = &r->problems[i];
		const struct pattern_info *pi = knowledge_pattern(p->pid);
		buf_printf(b, "<tr class=\"prob\" id=\"p-%s\"><td class=\"n\">%zu</td><td>"
			   "<span class=\"badge s%d\">", pi->id, i + 1, (int)p->severity);
		h(b, knowledge_severity_name(p->severity));
		buf_adds(b, "</span></td>\n<td><div class=\"pid mono\">");
		h(b, pi->id);
		buf_adds(b, "</div><div class=\"title\">");
		h(b, pi->title);
		buf_adds(b, "</div>");
		if (p->pid == PAT_AUTH_SCANNER) {
			buf_adds(b, p->severity == SEV_CRITICAL ?
				 "<div class=\"note\">possible break-in: a flagged source got a 2xx"
				 "</div>" : "<div class=\"note\">blocked scanning: no flagged source "
				 "got a 2xx</div>");
			if (r->nscanners) {
				buf_adds(b, "<div class=\"note\"><a href=\"#scanners\">");
				fmt_num(b, r->nscanners);
				buf_printf(b, " source%s</a></div>", r->nscanners == 1 ? "" : "s");
			}
		}
		buf_adds(b, "</td>\n<td class=\"n\">");
		fmt_num(b, p->count);
		buf_adds(b, "<div class=\"note pop\">of ");
		fmt_num(b, p->denominator);
		buf_adds(b, " ");
		h(b, pi->denominator);
		buf_adds(b, "</div></td><td class=\"n share\">");
		pct(b, p->count, p->denominator);
		buf_adds(b, "</td>\n<td class=\"txt\">");
		h(b, pi->causes);
		buf_adds(b, "</td>\n<td class=\"txt\">");
		h(b, pi->fix);
		buf_adds(b, "</td></tr>\n<tr class=\"more\"><td></td><td colspan=\"6\">"
			 "<div class=\"explain\">More: <code>siplogscan explain ");
		h(b, pi->id);
		buf_adds(b, "</code></div>");
		if (problem_lists_calls(p->pid)) {
			struct buf w[CALLS_COMMAND_WORDS] = { {0} };
			size_t nw = calls_command_words(r, p->pid, w);
			buf_adds(b, "<div class=\"calls\">All its calls: <code>");
			for (size_t k = 0; k < nw; k++) {
				if (k)
					buf_addc(b, ' ');
				esc_html(b, w[k].p, w[k].len);
			}
			buf_adds(b, "</code></div>");
			for (size_t k = 0; k < CALLS_COMMAND_WORDS; k++)
				buf_free(&w[k]);
		}
		struct buf when = {0};
		fmt_problem_when(&when, p);
		if (when.len) {
			buf_adds(b, "<div class=\"note\">");
			h(b, buf_cstr(&when));
			buf_adds(b, "</div>");
		}
		buf_free(&when);
		if (p->nexamples) {
			static const char *const what[][2] = {
				[EXAMPLE_CALL] = { "call", "file:line, Call-ID" },
				[EXAMPLE_SOURCE] = { "source", "first record, address" },
				[EXAMPLE_ACCOUNT] = { "account", "first failure, account" },
			};
			buf_printf(b, "<details><summary>%zu example %s%s (%s)</summary>\n<ul>\n",
				   p->nexamples, what[pi->example][0], p->nexamples == 1 ? "" : "s",
				   what[pi->example][1]);
			for (size_t k = 0; k < p->nexamples && k < REPORT_SHOWN_EXAMPLES; k++)
				example_item(b, r, &p->examples[k],
					     pi->example == EXAMPLE_CALL && k < REPORT_LADDER_EXAMPLES);
			if (p->nexamples > REPORT_SHOWN_EXAMPLES) {
				buf_adds(b, "<li>... and ");
				fmt_num(b, p->nexamples - REPORT_SHOWN_EXAMPLES);
				buf_adds(b, " more (the JSON report lists them)</li>\n");
			}
			buf_adds(b, "</ul></details>");
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n</section>\n");
}

static void section_scanners(struct buf *b, const struct report *r)
{
	if (!r->nscanners)
		return;
	section_open(b, "scanners", "Scanner sources");
	buf_adds(b, "<p class=\"note\">Sources flagged by <code>auth-scanner</code>: a known scanner "
		 "User-Agent, or at least ");
	buf_printf(b, "%u", r->scanner_threshold);
	buf_adds(b, " challenges left unanswered (--scanner-threshold).</p>\n<table class=\"grid\">\n<tr><th>Source"
		 "</th><th class=\"n\">Calls</th><th class=\"n\">Unanswered challenges</th>"
		 "<th class=\"n\">Scanner User-Agent calls</th><th class=\"n\">2xx after a "
		 "challenge</th><th class=\"n\">INVITEs answered</th><th>User-Agent</th></tr>\n");
	for (size_t i = 0; i < r->nscanners; i++) {
		const struct source_row *s = &r->scanners[i];
		buf_adds(b, "<tr><td class=\"mono brk\">");
		shown(b, s->addr, s->addr_len, MAX_SHOWN_KEY);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, s->calls);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, s->unanswered);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, s->scanner_ua);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, s->accepted);
		buf_adds(b, "</td><td class=\"n\">");
		fmt_num(b, s->answered);
		buf_adds(b, "</td><td class=\"brk\">");
		if (s->ua)
			shown(b, s->ua, s->ua_len, MAX_SHOWN_KEY);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n</section>\n");
}

static void footer(struct buf *b, const struct report *r)
{
	buf_adds(b, "<footer><div class=\"wrap\">\n<p>Options: --call-timeout ");
	fmt_double(b, "%g s", r->call_timeout_s, "unknown");
	buf_adds(b, ", --session-timeout ");
	fmt_double(b, "%g s", r->session_timeout_s, "unknown");
	buf_adds(b, ", --slow-setup ");
	fmt_double(b, "%g s", r->slow_setup_s, "unknown");
	buf_printf(b, ", --scanner-threshold %u, --examples %u, --top %u, --max-calls %" PRIu64
		   ".</p>\n", r->scanner_threshold, r->examples, r->top, r->max_calls);
	/* the run: the only part of the page that differs between two runs on the same input */
	buf_adds(b, "<p class=\"run\">siplogscan ");
	h(b, r->run.version);
	buf_adds(b, ": scanned ");
	fmt_bytes(b, r->run.bytes);
	fmt_run(b, r);
	if (r->history) {
		buf_printf(b, "; run %u of the night of ", r->history->night_runs);
		h(b, r->history->night);
		buf_adds(b, " (--history): ");
		fmt_bytes(b, r->history->bytes_read);
		buf_adds(b, " new, ");
		fmt_bytes(b, r->history->bytes_skipped);
		buf_adds(b, " read before");
	}
	buf_adds(b, ".</p>\n");
	buf_adds(b, "</div></footer>\n");
}

/*
 * A table of contents: a link to each section the page has, in the order of render_html().
 * Each condition is the one under which its section_*() writes the section.
 */
static void toc(struct buf *b, const struct report *r)
{
	struct limit_row rows[LIMIT_ROWS];
	const struct { const char *id, *title; int shown; } s[] = {
		{ "rules", "Rules", r->nrules > 0 },
		{ "limits", "Limits", report_limit_rows(r, rows) > 0 },
		{ "kpis", "KPIs", 1 },
		{ "hosts", "Hosts", r->nhosts > 0 },
		{ "hours", "Per hour", r->ntimeline > 0 },
		{ "auth-results", "Authentication results", r->auth_log },
		{ "baseline", "Baseline", r->baseline != NULL },
		{ "trend", "Trend", r->history != NULL && r->history->ntrend > 0 },
		{ "responses", "Requests and responses", 1 },
		{ "trying", "100 Trying", 1 },
		{ "auth", "Challenges", 1 },
		{ "problems", "Problems", 1 },
		{ "scanners", "Scanners", r->nscanners > 0 },
		{ "sources", "Sources", r->by_source.n > 0 },
		{ "user-agents", "User-Agents", r->by_ua.n > 0 },
		{ "destinations", "Destinations", r->by_dest.n > 0 },
		{ "input", "Input files", 1 },
	};

	buf_adds(b, "<nav class=\"toc\" aria-label=\"Contents\"><span class=\"muted\">Contents:"
		 "</span>");
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (s[i].shown)
			buf_printf(b, " <a href=\"#%s\">%s</a>", s[i].id, s[i].title);
	buf_adds(b, "</nav>\n");
}

void render_html(struct buf *b, const struct report *r)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 /* belt and braces: should an escape ever be missed, nothing runs or loads */
		 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		 "style-src 'unsafe-inline'\">\n"
		 "<meta name=\"generator\" content=\"siplogscan\">\n<title>");
	if (r->title && *r->title) {
		shown(b, r->title, strlen(r->title), 200);
		buf_adds(b, " \xe2\x80\x93 ");
	}
	buf_adds(b, "SIP log report");
	if (r->have_times) {
		buf_adds(b, " \xe2\x80\x93 ");
		tstamp(b, r->first_time);
	}
	buf_adds(b, "</title>\n<style>\n");
	buf_adds(b, css);
	buf_adds(b, "</style>\n</head>\n<body>\n");
	header(b, r);
	buf_adds(b, "<main class=\"wrap\">\n");
	toc(b, r);
	section_rules(b, r);
	section_limits(b, r);
	section_kpis(b, r);
	section_hosts(b, r);
	section_timeline(b, r);		/* near the top: when it happened */
	section_auth_results(b, r);
	section_baseline(b, r);
	section_history(b, r);
	section_traffic(b, r);
	section_trying(b, r);
	section_setup(b, r);
	section_auth(b, r);
	section_problems(b, r);
	section_scanners(b, r);
	section_breakdown(b, "sources", "Top sources (attempts: calls with INVITE or REGISTER)",
			  &r->by_source);
	section_breakdown(b, "user-agents", "Top User-Agents", &r->by_ua);
	section_breakdown(b, "destinations", "Top destinations (request URI)", &r->by_dest);
	section_hops(b, r);
	section_input(b, r);
	buf_adds(b, "</main>\n");
	footer(b, r);
	buf_adds(b, "</body>\n</html>\n");
}
