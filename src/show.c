/*
 * show.c - `siplogscan show CALLID FILE...`: one call's messages in log order as a ladder,
 * what the analysis saw in them, and the problems it counted for with their fix.
 *
 * The call is the report's own: the run is a report's run (main.h siplogscan_run()) over
 * every event of every input, because what settles a call (the log clock that makes it idle,
 * --max-calls) depends on every message of the log, not on this call's alone. The ladder is
 * src/ladder.c's, the HTML report's too: its set of one Call-ID watches the events go by and
 * keeps those of the Call-ID, and only after the run reads their lines back from the inputs
 * (an input that can be read only once, stdin or a pipe, gives the ladder without them).
 * This file adds the call's summary as --calls-ndjson gets it, and what it means.
 *
 * Everything from the log is escaped for a terminal (esc_text()); what is kept is bounded:
 * SHOW_MAX_MSGS messages, SHOW_MAX_CALLS summaries, LADDER_RAW_MAX bytes of a message.
 */
#include "calls.h"
#include "escape.h"
#include "knowledge.h"
#include "ladder.h"
#include "main.h"
#include "render.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX_MSGS 10000
#define SHOW_MAX_CALLS 16

struct show {
	struct ladders *l;		/* the one Call-ID's */
	const char *id;
	size_t id_len;
	struct call_summary cs[SHOW_MAX_CALLS];
	size_t ncs;
	struct arena a;
};

static struct str keep(struct arena *a, struct str s)
{
	return s.n ? (struct str){ arena_dup(a, s.p, s.n), s.n } : (struct str){ NULL, 0 };
}

static void on_files(void *ctx, const struct pipeline_input *in, size_t n)
{
	struct show *s = ctx;

	ladders_files(s->l, in, n);
}

static void on_event(void *ctx, const struct event *ev)
{
	struct show *s = ctx;

	ladders_event(s->l, ev);
}

static void on_call(void *ctx, const struct call_summary *cs, const char *path)
{
	struct show *s = ctx;

	(void)path;
	if (cs->call_id.n != s->id_len || memcmp(cs->call_id.p, s->id, s->id_len) ||
	    s->ncs == SHOW_MAX_CALLS)
		return;
	struct call_summary *c = &s->cs[s->ncs++];
	*c = *cs;
	c->call_id = keep(&s->a, cs->call_id);
	c->src = keep(&s->a, cs->src);
	c->ua = keep(&s->a, cs->ua);
	c->dest = keep(&s->a, cs->dest);
	c->hop[0] = keep(&s->a, cs->hop[0]);
	c->hop[1] = keep(&s->a, cs->hop[1]);
	c->from_user = keep(&s->a, cs->from_user);
	c->to_user = keep(&s->a, cs->to_user);
}

/* ---- what the analysis saw */

static void put_str(struct buf *b, struct str v)
{
	if (v.n)
		esc_text(b, v.p, v.n);
	else
		buf_addc(b, '-');
}

static void dur_line(struct buf *b, const char *label, int64_t us)
{
	if (us < 0)
		return;
	buf_printf(b, "  %s ", label);
	fmt_dur(b, us);
	buf_addc(b, '\n');
}

static const char *const auth_words[] = { "not challenged", "challenged, never retried",
					  "challenged, retried, accepted",
					  "challenged, retried, challenged again (rejected)" };

static void summary(struct buf *b, const struct call_summary *c, const struct show *s)
{
	static const char *const kinds[] = { [KIND_CALL] = "call (INVITE dialog)",
		[KIND_REGISTRATION] = "registration", [KIND_OPTIONS] = "OPTIONS ping",
		[KIND_OTHER] = "other transaction" };
	static const char *const why[] = { [SETTLED_END] = "open when the input ended",
		[SETTLED_IDLE] = "settled when it went idle",
		[SETTLED_LIMIT] = "settled early: --max-calls calls were in flight" };
	char t[TIME_LOCAL_MAX];

	buf_printf(b, "  %s, opened by %s at ", kinds[c->kind], sip_method_name(c->method));
	const char *path = c->file < s->l->nf ? s->l->f[c->file].path : "";
	esc_text(b, path, strlen(path));
	buf_printf(b, ":%llu; %s\n", (unsigned long long)c->line, why[c->settled]);
	if (c->src.n || c->dest.n || c->hop[0].n) {
		buf_adds(b, "  from ");
		put_str(b, c->src);
		if (c->dest.n) {
			buf_adds(b, " to ");
			esc_text(b, c->dest.p, c->dest.n);
		}
		if (c->hop[0].n) {
			buf_adds(b, ", answered by ");
			esc_text(b, c->hop[0].p, c->hop[0].n);
			if (c->hop[1].n) {
				buf_adds(b, " then ");
				esc_text(b, c->hop[1].p, c->hop[1].n);
			}
		}
		buf_addc(b, '\n');
	}
	if (c->from_user.n || c->to_user.n) {
		buf_adds(b, "  users: from ");
		put_str(b, c->from_user);
		buf_adds(b, " to ");
		put_str(b, c->to_user);
		buf_addc(b, '\n');
	}
	if (c->ua.n) {
		buf_adds(b, "  User-Agent ");
		esc_text(b, c->ua.p, c->ua.n);
		buf_addc(b, '\n');
	}
	buf_adds(b, "  outcome: ");
	if (!c->outcome)
		buf_adds(b, "no final response");
	else
		buf_printf(b, "%d%s", c->outcome, c->final_code ? "" : " (a challenge that stood)");
	buf_addc(b, '\n');
	if (c->acc) {
		buf_adds(b, "  from accounting records: 100 Trying, 18x and challenges are not "
			 "logged\n");
	} else if (c->trying) {
		buf_adds(b, "  100 Trying");
		if (c->trying_time != TIME_UNKNOWN)
			buf_printf(b, " at %s", time_format_local(c->trying_time, t));
		if (c->final_after_100) {
			buf_printf(b, " -> final %d", c->final_after_100);
			if (c->trying_delay_us >= 0) {
				buf_adds(b, " after ");
				fmt_dur(b, c->trying_delay_us);
			}
		} else {
			buf_adds(b, " -> no final response for that transaction: stuck");
		}
		buf_addc(b, '\n');
	} else if (c->method == METHOD_INVITE && c->attempt) {
		buf_adds(b, "  no 100 Trying\n");
	}
	if (!c->acc) {
		if (c->proxy_auth || c->proxy_challenges)
			buf_printf(b, "  407 -> retry: %s (%u challenge%s, %u retr%s)\n",
				   auth_words[c->proxy_auth], c->proxy_challenges,
				   c->proxy_challenges == 1 ? "" : "s", c->proxy_retries,
				   c->proxy_retries == 1 ? "y" : "ies");
		if (c->www_auth || c->www_challenges)
			buf_printf(b, "  401 -> retry: %s (%u challenge%s, %u retr%s)\n",
				   auth_words[c->www_auth], c->www_challenges,
				   c->www_challenges == 1 ? "" : "s", c->www_retries,
				   c->www_retries == 1 ? "y" : "ies");
	}
	dur_line(b, "post-dial delay (INVITE -> 18x, else final):", c->pdd_us);
	dur_line(b, "ring time (18x -> final):", c->ring_us);
	dur_line(b, "session request delay (INVITE -> first answer):", c->srd_us);
	dur_line(b, "duration (answer -> BYE):", c->duration_us);
	if (!c->problems) {
		buf_adds(b, "  counted in no problem of the report\n");
		return;
	}
	for (int p = 0; p < PAT_COUNT; p++) {
		if (!(c->problems & (1u << p)))
			continue;
		const struct pattern_info *pi = knowledge_pattern((enum pattern_id)p);
		buf_printf(b, "\n  problem %s: %s\n", pi->id, pi->title);
		buf_wrap(b, "    Fix: ", 6, 80, pi->fix);
		buf_printf(b, "    More: siplogscan explain %s\n", pi->id);
	}
}

static const char show_usage[] =
"usage: siplogscan show [OPTIONS] CALLID FILE...\n"
"\n"
"Print one call's messages in log order as a ladder: time and the time since the message\n"
"before, the sender's address where the log shows it, the request (with its URI) or the\n"
"status, the CSeq, marks for what the analysis reads in it (100, challenge, retry with\n"
"credentials, final, retransmission) and the file and line of each, with its first line.\n"
"Then what the analysis of the whole logs made of the call - the same as the report's -\n"
"and each problem it counted for, with the fix. CALLID is matched exactly, as bytes.\n"
"\n"
"      --raw                each message as logged, every line of it (escaped)\n"
"  -h, --help               this help\n"
"\n"
"Exit status: 0 shown; 1 no message of CALLID in the logs; 2 usage error or an input that\n"
"could not be read.\n"
"\n";

int show_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "raw", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		CALLS_RUN_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct show s = {0};
	int raw = 0;
	char **rargv = xcalloc((size_t)argc * 2 + 4, sizeof(*rargv));
	int rargc = 0, c;

	rargv[rargc++] = "siplogscan";
	optind = 0;
	while ((c = getopt_long(argc, argv, "h" CALLS_RUN_SHORT, longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			raw = 1;
			break;
		case 'h':
			fputs(show_usage, stdout);
			fputs(calls_run_usage, stdout);
			free(rargv);
			return 0;
		default:
			if (calls_run_option(c, optarg, rargv, &rargc))
				break;
			fprintf(stderr, "Try 'siplogscan show --help' for more information.\n");
			free(rargv);
			return 2;
		}
	}
	if (argc - optind < 2) {
		free(rargv);
		fprintf(stderr, "siplogscan show: expected a Call-ID and the log files\n"
			"Try 'siplogscan show --help' for more information.\n");
		return 2;
	}
	s.id = argv[optind++];
	s.id_len = strlen(s.id);
	s.l = ladders_new(SHOW_MAX_MSGS, LADDER_RAW_MAX, 0);
	ladders_add(s.l, s.id, s.id_len);
	const struct ladder_call *lc = &s.l->calls[0];
	rargv[rargc++] = "--";
	while (optind < argc)
		rargv[rargc++] = argv[optind++];

	struct run_hooks h = { .ctx = &s, .files_fn = on_files, .event_fn = on_event,
			       .call_fn = on_call, .no_report = 1 };
	int rc = siplogscan_run(rargc, rargv, &h);
	free(rargv);

	struct buf b = {0};
	buf_adds(&b, "Call-ID ");
	esc_text(&b, s.id, s.id_len);
	if (!lc->n) {
		buf_adds(&b, ": no message with this Call-ID in the logs");
		err_msg("show: %s", buf_cstr(&b));
		rc = rc == 2 ? 2 : 1;
	} else {
		ladders_read_back(s.l);
		size_t n = lc->n + lc->dropped;
		buf_printf(&b, ": %zu message%s", n, n == 1 ? "" : "s");
		if (!tz_is_utc())
			buf_printf(&b, ", times in %s", tz_name());
		buf_adds(&b, "\n\n");
		ladder_text(&b, s.l, lc, raw);
		buf_adds(&b, "\nWhat the analysis saw\n");
		if (!s.ncs)
			buf_adds(&b, "  the report counts this Call-ID in no call, registration or "
				 "transaction: none of its messages is a request that opens one, or it "
				 "started before --since\n");
		for (size_t i = 0; i < s.ncs; i++) {
			if (s.ncs > 1)
				buf_printf(&b, "%s  Call-ID seen as call %zu of %zu (it went idle and "
					   "came back)\n", i ? "\n" : "", i + 1, s.ncs);
			summary(&b, &s.cs[i], &s);
		}
		if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			err_errno("show: cannot write stdout");
			rc = 2;
		}
	}
	buf_free(&b);
	ladders_free(s.l);
	arena_free(&s.a);
	return rc;
}
