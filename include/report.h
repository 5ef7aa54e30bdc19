/*
 * report.h - the report model: one plain struct, built by analysis, read by the renderers.
 *
 * Nothing here is formatted. Strings that came from a log (Call-IDs, addresses, User-Agents,
 * file names) are raw bytes with a length and must be escaped by each renderer for its output.
 * Everything outside `run` is deterministic: the same input gives the same model whatever the
 * order in which calls were settled.
 */
#ifndef SIPLOGSCAN_REPORT_H
#define SIPLOGSCAN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "knowledge.h"

#define REPORT_SCHEMA "siplogscan.report/2"
#define REPORT_MAX_EXAMPLES 10000	/* --examples at most: the JSON report lists them all */
#define REPORT_SHOWN_EXAMPLES 20	/* the text, HTML and CSV reports show at most these */
/* The HTML report's ladders (src/ladder.h): of the first REPORT_LADDER_EXAMPLES example calls of
 * each problem, at most REPORT_LADDER_MSGS messages each (`siplogscan show` has them all),
 * REPORT_LADDER_RAW bytes read back of each (for its first line), REPORT_LADDER_STR bytes of
 * its address and URI: 55 calls, under 4 MB at most */
#define REPORT_LADDER_EXAMPLES 5
#define REPORT_LADDER_MSGS 50
#define REPORT_LADDER_RAW 1024
#define REPORT_LADDER_STR 120
#define REPORT_CODES 700
#define REPORT_HIST 10
#define REPORT_LABELS 16	/* --label options at most */
/* Upper bounds (ms) of the delay histogram buckets; the last one is open (>= 60 s). */
static const int report_hist_upper_ms[REPORT_HIST] = { 100, 250, 500, 1000, 2000, 5000, 10000,
						       30000, 60000, 0 };

/*
 * What a log format can give (a profile's `gives`, README "Your own log format"). A log of
 * whole SIP messages gives all; an accounting log (Kamailio/OpenSIPS acc) gives only the
 * final response of each transaction it accounted. A figure whose source the inputs do not
 * give is reported as not in the log (text "not in this log", JSON null), never as 0.
 */
enum gives {
	GIVES_REQUESTS = 1 << 0,	/* requests as they arrive, with their times: SRD, RRD,
					 * session times, attempts that got no final */
	GIVES_PROVISIONAL = 1 << 1,	/* 100 Trying and other provisionals: 100 -> final, stuck */
	GIVES_CHALLENGES = 1 << 2,	/* 401/407 challenges and the retries that answer them */
	GIVES_FINALS = 1 << 3,		/* final responses per call: outcomes, KPI ratios */
	GIVES_ALL = (1 << 4) - 1,	/* what a log of SIP messages gives */
	GIVES_AUTH = 1 << 4		/* authentication results (Asterisk security log): the
					 * report's auth section, shown only for such logs */
};

/* ok: read whole; error: could not be read, or damaged (what it yielded before is counted;
 * exit status 2); duplicate: the same file as an earlier input (device and inode), scanned
 * once; unrecognised: read whole, but no format recognised any record in it. */
enum file_status { FILE_OK, FILE_ERROR, FILE_DUPLICATE, FILE_UNRECOGNISED };

struct report_file {
	char *path;
	const char *format;		/* profile name */
	unsigned gives;			/* the profile's GIVES_* */
	int format_auto;		/* picked by --log-format auto */
	int gzip;
	uint64_t bytes;			/* uncompressed bytes scanned */
	uint64_t stored_bytes;		/* size on disk (compressed size for .gz) */
	uint64_t lines;
	uint64_t records;		/* SIP messages recognised */
	uint64_t incomplete;		/* start lines without Call-ID/CSeq */
	uint64_t lines_cut;		/* lines over SCAN_MAX_LINE (1 MiB): cut, not read */
	uint64_t match_limited;		/* candidate records a PCRE2 limit stopped: not read */
	int64_t first_time, last_time;	/* TIME_UNKNOWN when the file has no times */
	enum file_status status;
	char *error;			/* what went wrong and what to do; NULL unless FILE_ERROR */
	char *note;			/* duplicate, unrecognised, or grew while read: why and what
					 * to do; NULL when there is nothing to say */
};

struct example {
	char *call_id;			/* raw bytes, not NUL-terminated content (but NUL-terminated storage) */
	size_t call_id_len;
	uint32_t file;			/* index into report.files */
	uint64_t line;
};

/* Percentiles in microseconds; known == 0 when no delay could be measured (no times). */
struct delays {
	uint64_t n;
	int known;
	int64_t p50, p90, p99, max;
	int64_t sum;		/* of the n delays */
};

struct auth_report {
	uint64_t challenged, retried, accepted, rechallenged, not_retried;
	struct delays retry_delay;
};

/* A ratio reported as a percentage; undefined (null) when den is 0. */
struct ratio {
	uint64_t num, den;
};

/*
 * Telephony KPIs (docs/metrics.md). An attempt is a call with an INVITE request; a challenged
 * INVITE and its retry are one attempt. Its outcome is its first final response that is not a
 * challenge, else the challenge when nothing else came, else none.
 */
struct kpis {
	uint64_t invite_attempts, register_attempts;
	struct ratio ser;	/* RFC 6076 4.6: 2xx / (attempts - 3xx) */
	struct ratio seer;	/* RFC 6076 4.7: 200, 480, 486, 600, 603 / (attempts - 3xx) */
	struct ratio isa;	/* RFC 6076 4.8: 408, 500, 503, 504 / attempts */
	struct ratio scr;	/* RFC 6076 4.9: answered and ended with BYE / attempts */
	struct ratio asr;	/* ITU-T E.411: 2xx / attempts */
	struct ratio ner;	/* ITU-T E.411: 2xx, 480, 486, 487, 600, 603 / attempts */
	struct ratio ira;	/* RFC 6076 4.3: REGISTER 408, 500, 503, 504 or none / attempts */
	uint64_t no_final;	/* INVITE attempts without any final response */
	struct delays srd;	/* RFC 6076 4.2: first INVITE -> first non-100, non-challenge response */
	struct delays rrd;	/* RFC 6076 4.1: first REGISTER -> final, non-challenge response */
	struct delays duration;	/* 2xx -> BYE of completed sessions; ACD is their mean */
	int64_t acd_us;		/* mean session duration, -1 when no session completed */
};

/*
 * Tables keyed by what the log says are bounded, so that memory stays bounded whatever the
 * log holds; past the bound they keep the heaviest keys (src/topk.h) and count what the others
 * had as unlisted: the sources behind auth-scanner (weighed in calls), each breakdown and the
 * per-hour timeline (weighed in attempts).
 */
#define REPORT_SOURCES_CAP 65536
#define REPORT_BREAKDOWN_CAP 16384
#define REPORT_HOURS_CAP 65536
#define REPORT_PROBLEM_HOURS_CAP 1024	/* hours listed per problem: six weeks */
/* The per-5-minute timeline (the HTML chart of a short window) keeps at most a day of
 * buckets: past that it is dropped whole (fine_over), as a window that long is drawn per
 * hour anyway. */
#define REPORT_FINE_US (INT64_C(300) * 1000000)
#define REPORT_FINE_CAP 288

/* Breakdowns by source address, User-Agent and destination (request-URI user@host), and the
 * per-hour timeline. An attempt is a call with an INVITE or a REGISTER request. */
#define REPORT_ROW_CODES 6
struct breakdown_row {
	char *key;			/* raw bytes from the log */
	size_t key_len;
	uint64_t attempts, answered, failed, auth_failed;
	int codes[REPORT_ROW_CODES];	/* most frequent failure codes, most first */
	uint64_t code_n[REPORT_ROW_CODES];
	int ncodes;
};

struct breakdown {
	struct breakdown_row *rows;	/* the top rows, most attempts first */
	size_t n;
	uint64_t keys;			/* keys in the table at the end: every key seen, unless
					 * unlisted is not 0 */
	uint64_t unlisted;		/* attempts counted for keys that were evicted from the
					 * table (REPORT_BREAKDOWN_CAP) */
};

/* One hour: the Call-IDs whose first request fell in it, by kind (as calls_total ...
 * calls_other); answered and failed are of its calls, challenged and auth_failed of its calls
 * and registrations. */
/*
 * Calls by next hop (README "Which hop fails"): the address that sent the replies to a call's
 * forwarded INVITE, as the log shows it (src of the responses), without the caller's own
 * address and the proxy's own (learned from the log: see analysis.c hop_of()). A call is
 * counted once, under one hop. Bounded like the breakdowns (REPORT_BREAKDOWN_CAP, unlisted).
 */
struct hop_row {
	char *key;			/* the hop's address (no transport, no port), raw log bytes */
	size_t key_len;
	uint64_t attempts;		/* calls with an INVITE request */
	uint64_t answered;		/* outcome 2xx */
	uint64_t stuck;			/* 100 Trying, then no final for that INVITE */
	uint64_t timeout;		/* outcome 408 */
	uint64_t server_err;		/* outcome 5xx */
	uint64_t slow;			/* slow setups (post-dial delay above --slow-setup) */
	int codes[REPORT_ROW_CODES];	/* most frequent failure outcomes, most first (0: none) */
	uint64_t code_n[REPORT_ROW_CODES];
	int ncodes;
	/* SRD of its calls (kpi.srd): how many were measured, their sum and the longest; a
	 * mean, not percentiles, so that a row stays a few bytes however many calls it has */
	uint64_t srd_n;
	int64_t srd_sum_us, srd_max_us;
};

struct hop_table {
	int shown;			/* the log gives the source of responses to INVITEs: else
					 * there is no table (not in this log, never zeros) */
	struct hop_row *rows;		/* the top rows, most attempts first */
	size_t n;
	uint64_t keys, unlisted;	/* as in struct breakdown */
	uint64_t no_hop;		/* attempts whose responses came only from the caller or
					 * the proxy itself: no next hop in the log */
};

struct timeline_row {
	int64_t hour;			/* start of the hour of the zone (tz_hour_start), us since epoch */
	uint64_t calls, answered, failed, registrations, options, other;
	uint64_t challenged, auth_failed;
	/* the failed calls' most frequent outcomes (0: no final), most first: failures by code
	 * by hour (the per-hour table only, not the 5-minute one) */
	int codes[REPORT_ROW_CODES];
	uint64_t code_n[REPORT_ROW_CODES];
	int ncodes;
};

/* One settled call, for --calls-csv and --calls-ndjson (strings are raw log bytes, valid
 * during the callback). */
enum auth_outcome { AUTH_NONE, AUTH_NOT_RETRIED, AUTH_ACCEPTED, AUTH_RECHALLENGED };
/* Why a call was settled: the input ended, it was idle (--call-timeout and the others), or
 * --max-calls calls were in flight and it was the least recently active. */
enum settle_reason { SETTLED_END, SETTLED_IDLE, SETTLED_LIMIT };
/* Which of the report's kinds of Call-ID (as totals.calls, .registrations, ...). */
enum call_kind { KIND_CALL, KIND_REGISTRATION, KIND_OPTIONS, KIND_OTHER };

struct call_summary {
	struct str call_id, src, ua, dest;
	uint32_t file;
	uint64_t line;
	int64_t first_time;		/* TIME_UNKNOWN when the log has no times */
	enum sip_method method;		/* the call's initial method */
	int outcome;			/* 0: no final response (see docs/metrics.md) */
	int trying;			/* got 100 Trying on an INVITE */
	int final_after_100;		/* its first final after the 100, 0: stuck */
	int64_t trying_delay_us, srd_us, duration_us;	/* -1 when unknown */
	enum auth_outcome proxy_auth, www_auth;
	enum settle_reason settled;
	int64_t pdd_us, ring_us;	/* post-dial delay, ring time (docs/metrics.md); -1 when
					 * unknown */
	/* what --calls-ndjson adds (docs/calls-ndjson.md) */
	enum call_kind kind;
	int acc;			/* from accounting records: 100, 18x, challenges not logged */
	struct str hop[2];		/* the first two other addresses that answered its INVITE */
	int64_t open_first, open_last;	/* earliest, latest time of its messages; TIME_UNKNOWN */
	int64_t trying_time, ring_time, final_time;	/* its 100, first 18x, first final to an
							 * INVITE that is not a challenge;
							 * TIME_UNKNOWN when none or no time */
	int final_code;			/* first final to its initial method, not a challenge; 0 */
	int attempt;			/* the log shows its INVITE request: an INVITE attempt */
	int answered;			/* its INVITE got a 2xx */
	unsigned proxy_challenges, proxy_retries, www_challenges, www_retries;
	unsigned problems;		/* 1 << enum pattern_id for each problem it counted for */
	struct str from_user, to_user;	/* of its first request that opens a call, where the log
					 * shows them (the xlog snippet's from=/to=, the From and
					 * To headers); empty when not */
	uint64_t hosts;			/* with hosts: 1 << index of each host that logged it */
	const char *host;		/* with hosts: the one that logged its first message (set
					 * by main.c); NULL otherwise */
};

/*
 * --host-from / --host: one row per host (proxy), in the order of the hosts' names. A call
 * seen on several hosts (the same Call-ID in their logs) is one call of the fleet, counted
 * once in the totals, and counted in the row of every host that logged it: the rows may add
 * up to more than the totals.
 */
struct host_row {
	char *name;			/* from the input paths: escape it */
	size_t name_len;
	uint64_t files, bytes, stored_bytes;	/* its inputs (duplicates aside) */
	uint64_t records;		/* SIP messages its inputs held */
	uint64_t callids;		/* Call-IDs of every kind it logged (as callids_total) */
	uint64_t calls;			/* calls (INVITE dialogs) it logged */
	uint64_t shared;		/* of its Call-IDs, those another host logged too */
	uint64_t answered, failed;	/* of its calls: outcome 2xx; any other or none */
	uint64_t stuck;			/* 100 Trying, then no final (stuck-after-100) */
	uint64_t not_retried;		/* challenged (401/407), never retried */
	uint64_t registrations;		/* REGISTER Call-IDs it logged */
};

struct ladders;

/* A --fail-on rule as evaluated (see src/rules.h). */
struct rule_result {
	char text[64];
	double value;		/* the figure the rule looked at; NaN when undefined */
	int fired;
};

/* --baseline: the headline figures of this report beside those of an earlier JSON report
 * (src/baseline.c). Both sides are read from the JSON form, so they are exactly the figures
 * each report shows. */
enum figure_unit { UNIT_COUNT, UNIT_PERCENT, UNIT_MS };
enum trend { TREND_UNKNOWN, TREND_SAME, TREND_BETTER, TREND_WORSE, TREND_CHANGED };

struct baseline_figure {
	const char *id;			/* stable id, e.g. "kpi.ser" (siplogscan's own words) */
	const char *label;		/* for people */
	enum figure_unit unit;
	int have_prev, have_cur;	/* 0: unknown on that side (no times, nothing to measure) */
	double prev, cur;
	enum trend trend;
};

enum baseline_status { BASELINE_OK, BASELINE_MISSING, BASELINE_ERROR };

struct baseline {
	char *path;
	enum baseline_status status;
	char *error;			/* why it could not be used; NULL when ok */
	char *schema;			/* the baseline's schema id; NULL when unreadable */
	char *first_time, *last_time;	/* the baseline's period as it wrote it; NULL when none */
	struct baseline_figure *fig;
	size_t nfig;
};

/* Authentication records (the Asterisk security log, auth notices) by source address and by
 * account: how many of each result (event.h AUTH_RES_*), most failures first. A source with
 * --scanner-threshold failures (failed, unknown account, denied) or more is a scanner. */
struct auth_row {
	char *key;			/* raw bytes from the log */
	size_t key_len;
	uint64_t n[AUTH_RES_COUNT];
	int scanner;			/* by_source only */
};

struct auth_table {
	struct auth_row *rows;		/* the top rows (--top) */
	size_t n;
	uint64_t keys, unlisted;	/* as in struct breakdown */
};

struct auth_results {
	uint64_t n[AUTH_RES_COUNT];	/* every record, by result */
	uint64_t no_source;		/* records without a source address */
	uint64_t scanners;		/* sources flagged */
	struct auth_table by_source, by_account;
};

/* An hour a problem appeared in: its start (UTC, us since epoch; the timeline's buckets) and
 * how many of what the problem counts fell in it (calls; authentication records for
 * auth-break-in and auth-guessing, failures for auth-spread-guessing). */
struct problem_hour {
	int64_t hour;
	uint64_t count;
};

struct problem {
	enum pattern_id pid;
	enum severity severity;		/* as found: the pattern's (knowledge.h), except
					 * auth-scanner: critical when a flagged source got in
					 * (a 2xx after a challenge, or an answered INVITE), else
					 * low (blocked scanning) */
	uint64_t count;
	uint64_t denominator;
	size_t nexamples;
	struct example *examples;	/* nexamples of them (at most --examples), earliest first */
	int64_t first_time, last_time;	/* first and last of what it counts; TIME_UNKNOWN when
					 * none had a time */
	struct problem_hour *hours;	/* the hours it appeared in, in order */
	size_t nhours;
	uint64_t hours_unlisted;	/* counted in hours evicted from the bounded table
					 * (REPORT_PROBLEM_HOURS_CAP); what had no time is in none */
};

struct source_row {
	char *addr;
	size_t addr_len;
	uint64_t calls;
	uint64_t unanswered;		/* challenges never retried */
	uint64_t scanner_ua;		/* calls with a known scanner User-Agent */
	uint64_t accepted;		/* calls with a 2xx to a request that was challenged */
	uint64_t answered;		/* calls whose INVITE got a 2xx (it placed calls) */
	char *ua;			/* one scanner User-Agent seen, raw; may be NULL */
	size_t ua_len;
};

/*
 * --history: the night this run added to, and the trend of the nights kept (owned by
 * src/history.c, freed by report_release()). The trend's figures are rows of the table of
 * figures (src/figures.c), by id: report_trend_ids.
 */
#define REPORT_TREND_FIGS 7
#define REPORT_TREND_MAX 3660		/* --keep at most: ten years of nights */
extern const char *const report_trend_ids[REPORT_TREND_FIGS];

struct report_trend_value {
	int known;			/* 0: unknown that night (nothing to divide by) */
	uint64_t num, den;		/* a count: num (den 0); a ratio: num of den */
};

struct report_trend_night {
	char night[11];			/* YYYY-MM-DD */
	struct report_trend_value v[REPORT_TREND_FIGS];
};

struct report_history {
	char night[11];			/* the night of this run (YYYY-MM-DD, local) */
	unsigned keep;			/* --keep */
	struct report_trend_night *trend;	/* the nights kept, oldest first, this one last */
	size_t ntrend;
	/* this run, not the night: the run section of each report */
	unsigned night_runs;		/* runs in the night, this one included */
	uint64_t bytes_read;		/* new bytes read (uncompressed) */
	uint64_t bytes_skipped;		/* bytes of the inputs read by earlier runs, not read */
};

struct report {
	/* --title, else the host name: heads every report (text, HTML, JSON, CSV). User text,
	 * escaped like log text by every renderer; not owned by the report. */
	const char *title;

	/* input */
	struct report_file *files;
	size_t nfiles;
	int64_t first_time, last_time;
	int have_times;			/* at least one event had a time */
	int subsecond_times;		/* some time had a fraction: else delays are whole seconds */
	unsigned not_in_log;		/* GIVES_ALL bits that none of the formats of the files
					 * with records can give (0 when no file had any) */
	int auth_log;			/* a format of a file with records gives authentication
					 * results (GIVES_AUTH): the auth section is reported */

	/* totals */
	uint64_t records;
	uint64_t requests[METHOD_COUNT];
	uint64_t responses[REPORT_CODES];

	/*
	 * Call-IDs by kind (README "What counts as a call"): each Call-ID opened by a request that
	 * can start one is of one kind, the first that fits: a call (it has an INVITE: an INVITE
	 * dialog), a registration (a REGISTER), an OPTIONS ping, or another transaction
	 * (SUBSCRIBE, NOTIFY, MESSAGE, PUBLISH, REFER, unknown methods). The four add up to
	 * callids_total.
	 */
	uint64_t calls_total;		/* calls: INVITE dialogs */
	uint64_t calls_register;	/* registrations */
	uint64_t calls_options;		/* OPTIONS pings */
	uint64_t calls_other;		/* other transactions */
	uint64_t callids_total;		/* Call-IDs of every kind */
	/* how the Call-IDs (of every kind) were settled, and how many were open at once */
	uint64_t calls_evicted_idle;	/* settled by --call-timeout before the input ended */
	uint64_t calls_settled_early;	/* settled because --max-calls were in flight */
	uint64_t calls_open_at_end;	/* still in flight when the input ended */
	uint64_t calls_peak;		/* most Call-IDs open at once, a Call-ID open from its
					 * first message to its last: per second of log time, or
					 * per message in a log without times (src/peak.h) */

	/* 100 Trying -> final */
	uint64_t trying, stuck;
	uint64_t by_final[REPORT_CODES];
	struct delays trying_delay;
	uint64_t trying_hist[REPORT_HIST];	/* delays by bucket: < report_hist_upper_ms[i] */

	/* INVITE call setup (docs/metrics.md): post-dial delay, from the INVITE that setup
	 * answered (after a challenge, the retry) to the first 18x, else to the first final
	 * that is not a challenge; ring time, from that 18x to the final */
	struct delays pdd, ring_time;
	/* slow setups (post-dial delay above --slow-setup: the slow-setup problem's calls) by
	 * the call's outcome (0: none), the breakdown its advice asks for; by next hop in
	 * struct hop_row */
	uint64_t slow_by_outcome[REPORT_CODES];

	struct auth_report proxy_auth, www_auth;

	struct kpis kpi;

	struct auth_results auth;	/* authentication records; reported when auth_log */

	struct breakdown by_source, by_ua, by_dest;
	struct hop_table by_hop;	/* calls by next hop */
	struct timeline_row *timeline;	/* hours with attempts, in order */
	size_t ntimeline;
	uint64_t timeline_unlisted;	/* attempts of hours evicted from the table (REPORT_HOURS_CAP) */
	struct timeline_row *fine;	/* the same per 5 minutes (REPORT_FINE_US; .hour is the
					 * bucket's start), in order; NULL when fine_over */
	size_t nfine;
	int fine_over;			/* the attempts fell in more than REPORT_FINE_CAP buckets */
	unsigned top;			/* --top */

	/* --host-from / --host: one row per host; NULL and 0 without hosts (no section) */
	struct host_row *hosts;
	size_t nhosts;
	uint64_t callids_shared;	/* Call-IDs logged by more than one host (each counted once
					 * in the totals) */
	const char *host_from;		/* --host-from REGEX as given (for the calls command the
					 * reports show); not owned. NULL: not given */
	int host_globs;			/* --host NAME=GLOB was given, or merge of several
					 * hosts' states (the calls command names it) */
	int host_paths;			/* merge of several hosts' states: the inputs are listed as
					 * HOST:PATH, not paths to read */
	int shared_unknown;		/* merge of several hosts' states: which Call-IDs more
					 * than one host logged is not known; shared and
					 * callids_shared are 0 */

	/* problems, ranked: severity (as found) first, then count, then the pattern's order */
	struct problem problems[PAT_COUNT];
	size_t nproblems;

	/* sources flagged as scanners, most calls first */
	struct source_row *scanners;
	size_t nscanners;
	uint64_t source_keys;		/* source addresses in the table behind auth-scanner */
	uint64_t source_unlisted;	/* calls of sources evicted from it (REPORT_SOURCES_CAP):
					 * not checked for auth-scanner */

	/* --fail-on rules, in the order given */
	struct rule_result rules[32];
	int nrules, rules_fired;

	/* --since / --until, TIME_UNKNOWN when not given: the calls that started in the window,
	 * each counted whole (analysis.c, before_window()) */
	int64_t since, until;
	uint64_t outside;		/* events not counted because of the window: of calls that
					 * started before it, or lying after it and of no call of it */
	uint64_t followed_past_until;	/* calls of the window that had messages at or after
					 * until (their final, BYE...): followed to their end */
	const char *timezone;		/* the zone of zoneless stamps and of the times the text
					 * and HTML show (tz_name()); NULL is UTC */

	/* --baseline; NULL when not asked for */
	struct baseline *baseline;

	/* The ladders of the example calls the HTML report shows (the first
	 * REPORT_LADDER_EXAMPLES of each problem whose examples are calls): looked up by
	 * main.c in a second pass over the inputs, only when an HTML report is written; NULL
	 * when not. ladders_note: why there are none, or what they leave out (an input read
	 * only once, a report merged from states); NULL when there is nothing to say. Owned by
	 * the report; deterministic like the rest (the inputs' events in input order). */
	struct ladders *ladders;
	const char *ladders_note;
	/* --history DIR (src/history.c, docs/history.md); NULL when not asked for */
	struct report_history *history;

	/* options that shaped the figures */
	unsigned examples;
	double call_timeout_s;
	double session_timeout_s;	/* --session-timeout, as applied (never below call_timeout) */
	double slow_setup_s;
	unsigned scanner_threshold;
	uint64_t max_calls;		/* --max-calls */

	/* --label KEY=VALUE, in the order given: constant labels on every series of the
	 * Prometheus output (no other format shows them). Both point into the command line's
	 * "KEY=VALUE" string, which is not changed: the key is its first key_len bytes. */
	struct report_label {
		const char *key, *value;
		size_t key_len;
	} labels[REPORT_LABELS];
	int nlabels;

	/* the run itself: not deterministic */
	struct {
		const char *version;
		unsigned threads;
		double elapsed_s;
		uint64_t bytes;
		double mb_per_s;
	} run;
};

/* Set not_in_log and auth_log from the formats of the files with records (main.c, once the
 * files are scanned). With no such file, the report reads like one of SIP messages. */
void report_set_gives(struct report *r);

/* Whether the formats of the files with records can show pattern pid at all (report.h
 * GIVES_*; the auth patterns need an authentication log): a pattern they cannot show is left
 * out of the Prometheus file and undefined for --fail-on, never a 0. Found is always given. */
int report_pattern_given(const struct report *r, enum pattern_id pid);

void report_release(struct report *r);

/* Add the inputs files[0 .. n) (duplicates aside) to host row r: its files, bytes and
 * messages (main.c for the hosts of one run, state.c for a merge's). */
void host_row_add_files(struct host_row *r, const struct report_file *files, size_t n);

#endif
