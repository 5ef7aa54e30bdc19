/*
 * main.c - options, wiring of the stages, exit code.
 *
 *   files -> input (mmap / zlib) -> scan (prefilter + PCRE2 JIT) -> analysis (calls) ->
 *   report model (+ --baseline) -> renderers -> stdout and/or -o FILEs
 *
 * Exit codes: 0 ran and nothing was wrong with the input; 2 usage error, or an input could
 * not be read or was damaged (the others were still scanned and the report says which).
 */
#include "main.h"
#include "analysis.h"
#include "baseline.h"
#include "calls.h"
#include "detect.h"
#include "escape.h"
#include "explain.h"
#include "history.h"
#include "figures.h"
#include "hosts.h"
#include "htab.h"
#include "infer.h"
#include "input.h"
#include "knowledge.h"
#include "ladder.h"
#include "order.h"
#include "output.h"
#include "pipeline.h"
#include "product.h"
#include "profile.h"
#include "render.h"
#include "rules.h"
#include "scan.h"
#include "state.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define VERSION "0.1.0"

enum out_format { OUT_TEXT, OUT_JSON, OUT_CSV, OUT_HTML, OUT_PROM, OUT_NFORMATS };
static const char *const format_names[] = { "text", "json", "csv", "html", "prom" };

#define MAX_OUTPUTS 8
#define MAX_RANGES 16

struct output {
	const char *path;	/* NULL: stdout */
	enum out_format format;
};

struct options {
	enum out_format format;
	int format_given;
	struct output out[MAX_OUTPUTS];
	int nout;
	const char *baseline;	/* --baseline FILE */
	const char *log_format;
	int quiet;
	int color;		/* -1 auto */
	unsigned threads;	/* 0: online CPUs */
	size_t block_size;
	struct rules rules;	/* --fail-on */
	const char *calls_csv;	/* --calls-csv FILE */
	const char *calls_ndjson;	/* --calls-ndjson FILE (.gz: gzip) */
	const char *since, *until;
	struct report_label labels[REPORT_LABELS];	/* --label, checked */
	int nlabels;
	const char *tz;		/* --tz ZONE; NULL: TZ, else /etc/localtime */
	const char *title;	/* --title TEXT; NULL: the host name */
	unsigned width;		/* --width N; 0: the terminal's, else $COLUMNS, else 80 */
	struct analysis_opts an;
	const char *state_out;	/* --state-out FILE */
	const char *host;	/* --host NAME: the proxy whose logs the shard is */
	struct range_opt {	/* --range FILE:START-END */
		const char *path;
		size_t path_len;
		uint64_t start, end;
	} range[MAX_RANGES];
	int nrange;
	int merge;		/* siplogscan merge STATE... */
	const char *history;	/* --history DIR */
	unsigned keep;		/* --keep N */
	int keep_given;
	const char *history_date;	/* --history-date YYYY-MM-DD */
	struct host_rules hosts;	/* --host-from, --host */
	unsigned given;		/* STATE_GIVEN_*: the options merge must find in the states */
};

static const char usage_text[] =
"usage: siplogscan [OPTIONS] [FILE...]\n"
"       siplogscan explain CODE [CODE...] | PATTERN-ID | --list   (see explain --help)\n"
"       siplogscan profile --infer FILE...   print the profile inferred from your own layout\n"
"       siplogscan merge [OPTIONS] STATE...  the report of shards scanned with --state-out\n"
"       siplogscan calls [FILTERS] FILE...   the calls behind a figure (see calls --help)\n"
"       siplogscan show CALLID FILE...       one call's messages as a ladder (show --help)\n"
"\n"
"Scan SIP proxy logs (Kamailio, OpenSIPS, Asterisk, FreeSWITCH, sipdump, ngrep/sngrep text),\n"
"follow every call by Call-ID and report what happened, which problems appeared, and how to\n"
"fix them. FILEs may be plain or gzipped (detected by content) and are read oldest first:\n"
"kamailio.log.2.gz, kamailio.log.1, kamailio.log. '-' (or no FILE with a pipe) reads stdin.\n"
"\n"
"Report:\n"
"  -f, --format FMT         text (default), json, csv (summary tables), html (one\n"
"                           self-contained page), prom (Prometheus textfile collector)\n"
"  -o, --output FILE        write the report to FILE instead of stdout, in the format its name\n"
"                           says (.json .csv .html .prom .txt), else in --format; repeat it\n"
"                           for several formats at once; '-o -' is stdout\n"
"      --baseline FILE      compare the headline figures with the JSON report of an earlier\n"
"                           run (nightly trends); a FILE that does not exist yet is noted\n"
"      --examples N         example Call-IDs per problem (default 3, at most 10000; the\n"
"                           text and HTML reports show the first 20)\n"
"      --top N              rows per breakdown: sources, User-Agents, destinations, next hops\n"
"                           (default 10)\n"
"      --calls-csv FILE     also write one CSV row per call to FILE (docs/csv.md)\n"
"      --calls-ndjson FILE  also write one JSON object per line per call to FILE, gzip when\n"
"                           it ends in .gz (docs/calls-ndjson.md)\n"
"      --label KEY=VALUE    a constant label on every series of the prom output, e.g.\n"
"                           proxy=sbc1 (up to 16; KEY a Prometheus label name)\n"
"      --title TEXT         the heading of every report (default: the host name)\n"
"      --width N            columns of the text report (default: the terminal's width,\n"
"                           else $COLUMNS, else 80 for a file, a pipe or a mail; at\n"
"                           least 60, at most 200)\n"
"      --color WHEN         auto (default: only on a terminal), always, never\n"
"  -q, --quiet              no progress or notes on stderr (errors still appear); with\n"
"                           --fail-on, no report either unless a rule fires (for cron)\n"
"      --fail-on RULES      exit 1 when a rule holds, e.g. stuck>0,proxy-auth-rejected>5%,ser<95\n"
"                           (a problem id: count, or share with %; a figure NAME below; with\n"
"                           --baseline, change:ID: change:kpi.ser<-2,change:calls<-50%;\n"
"                           attempts-fall>50%: INVITE attempts fell by more than half)\n"
"      --since TIME         only calls that started at or after TIME: 2026-11-24,\n"
"                           2026-11-24T13:00, today, yesterday, -24h, -30m, -7d (dates and\n"
"                           times without an offset are in the --tz zone; 2026-11-24T13:00Z\n"
"                           is UTC); a call is followed to its end past --until\n"
"      --until TIME         only calls that started before TIME (same forms); a window with\n"
"                           no SIP record exits 2 and says what each input held\n"
"      --tz ZONE            the zone of stamps that carry none (BSD syslog, ISO without\n"
"                           offset, Asterisk, FreeSWITCH), an IANA name such as\n"
"                           Europe/Berlin (default: $TZ, else /etc/localtime); stamps with\n"
"                           an offset keep it; text and HTML show times in ZONE, JSON and\n"
"                           CSV in UTC (list: timedatectl list-timezones)\n"
"\n"
"Input:\n"
"  -l, --log-format FMT     auto (default: detected per file from a sample), sip (whole SIP\n"
"                           messages: sipdump, siptrace, pjsip logger, sofia siptrace,\n"
"                           ngrep/sngrep), kamailio (one-line xlog records, see\n"
"                           samples/kamailio-xlog.cfg), acc (Kamailio/OpenSIPS acc records:\n"
"                           outcomes only), asterisk-security, asterisk-auth (Asterisk's\n"
"                           security log, auth NOTICEs), or the path of a profile file that\n"
"                           describes your own layout (see the man page, PROFILES); auto\n"
"                           also infers a one-line layout (cid= cseq= src= ua= ...) from\n"
"                           the lines no built-in reads; the format that reads the most\n"
"                           records wins, and the report says which\n"
"  -j, --threads N          worker threads (default: the number of online CPUs); the\n"
"                           call analysis runs on half as many more, at most 8\n"
"      --block-size SIZE    bytes per block, e.g. 64K, 4M, 1G (default: 4M at -j1 and\n"
"                           -j2, smaller with more threads, to stay in the memory\n"
"                           budget); the report is the same whatever -j and --block-size\n"
"\n"
"Several proxies in one run (README, \"Several proxies in one run\"):\n"
"      --host-from REGEX    the host (proxy) of each input: a PCRE2 pattern applied to its\n"
"                           path, its first group (else the whole match) the host's name,\n"
"                           e.g. '/logs/([^/]+)/'; each host's files are read in their own\n"
"                           time order and the hosts side by side, by log time; a Call-ID\n"
"                           logged by several hosts is one call; the report adds a by-host\n"
"                           breakdown. Every input must match; at most 64 hosts (a larger\n"
"                           fleet: a state per proxy, --host NAME below, and merge)\n"
"      --host NAME=GLOB     the same by name: the inputs whose path matches GLOB (fnmatch;\n"
"                           '*' matches '/' too) belong to host NAME; repeat it, per host\n"
"\n"
"Analysis:\n"
"      --call-timeout SEC   settle a call idle this long in log time (default 32, Timer B;\n"
"                           an INVITE ringing after a provisional response waits 180 s)\n"
"      --session-timeout SEC  an answered call waits this long for its BYE (default 7200;\n"
"                           SCR and ACD count a session only when its BYE is seen)\n"
"      --slow-setup SEC     post-dial delay (INVITE -> first 18x, else final) above this is\n"
"                           slow-setup (default 5)\n"
"      --scanner-threshold N  unanswered challenges (in an authentication log, failed\n"
"                           authentications) from one source that make it a scanner\n"
"                           (default 10)\n"
"      --max-calls N        Call-IDs (calls, registrations, ...) held in memory at once,\n"
"                           1000..100000000 (default 1000000), shared out over the\n"
"                           call table's 64 shards; past its share, a shard settles\n"
"                           its least recently active Call-ID early\n"
"\n"
"Shards (docs/state.md):\n"
"      --state-out FILE     write the state of this shard of an archive to FILE instead of a\n"
"                           report: every aggregate, the calls still open at its end, and\n"
"                           the messages at its start that may belong to calls of the\n"
"                           shard before it; 'siplogscan merge STATE...' (the states in\n"
"                           the archive's order, then report options) writes the report\n"
"                           one run over all of the shards' inputs would have written;\n"
"                           'siplogscan merge --state-out FILE STATE...' merges states\n"
"                           into one state (merging is associative)\n"
"      --range FILE:START-END  read only bytes START to END of FILE (a plain file named as\n"
"                           an input), cut at line starts: from the first line that starts\n"
"                           at or after START to the first at or after END (empty: the\n"
"                           end), so that the ranges of adjacent shards tile the file\n"
"      --host NAME          (no '=') with --state-out or --history: the proxy whose logs\n"
"                           these are (letters, digits, '.', '-', '_'). merge takes each\n"
"                           host's states in order as one archive, and the hosts side by\n"
"                           side: proxies that log at the same time merge into one report\n"
"\n"
"Nightly runs (docs/history.md):\n"
"      --history DIR        read only what is new since the last run with this DIR (the\n"
"                           bytes appended, the tail of a file rotated and compressed since)\n"
"                           and report the night: the runs of the local date the run\n"
"                           starts on, and the calls left open before; DIR keeps each\n"
"                           night's state and headline figures, and every report shows\n"
"                           the trend of the nights kept (created when it does not exist)\n"
"      --keep N             nights kept in DIR, 1..3660 (default 30): older ones are pruned\n"
"      --history-date DATE  the night of this run, YYYY-MM-DD, instead of today (for tests\n"
"                           and back-filling; nights go forward)\n"
"\n"
"  -h, --help               this help;  -V, --version  the version\n"
"\n";

/* After the options, the figures section written from the table (src/figures.c), then: */
static const char usage_examples[] =
"Examples:\n"
"  siplogscan /var/log/kamailio.log*                  text report on stdout\n"
"  siplogscan -o report.json /var/log/kamailio.log*   JSON report (schema siplogscan.report/2)\n"
"  siplogscan --baseline monday.json -o tuesday.json -o tuesday.html -o - tuesday.log\n"
"                                                     text on stdout, JSON and HTML files,\n"
"                                                     each figure beside Monday's\n"
"  zcat old.log.gz | siplogscan -                     from stdin\n"
"  siplogscan --log-format acme.profile proxy.log     your own xlog layout\n"
"  siplogscan explain 407                             what a code means and how to fix it\n"
"  siplogscan explain 100 407                         compare two codes, key differences\n"
"  siplogscan explain stuck-after-100                 a problem pattern from the report\n"
"\n"
"Exit status: 0 done; 1 a --fail-on rule held; 2 usage error, an input that could not be\n"
"read, was damaged or shrank while read (the other files are still scanned and the report\n"
"names it), no SIP record in any input or in the window, or an output that could not be\n"
"written.\n"
"Ctrl-C (SIGINT) or SIGTERM stops a run with no report and no temporary file left.\n"
"Documentation: man siplogscan, README.md.\n";

/*
 * A usage error: fmt with the values given on the command line (two %s at most), shown
 * escaped as in the text report: a value pasted from a log may hold terminal escapes.
 */
static int usage_error2(const char *fmt, const char *a, const char *b)
{
	esc_usage(fmt, a, strlen(a), b);
	return 2;
}

static int usage_error(const char *fmt, const char *arg)
{
	return usage_error2(fmt, arg, "");
}

/*
 * --label KEY=VALUE: a constant label for every Prometheus series. A mistake is a usage
 * error that says what is allowed, at once: written out, a bad name or a name twice in a
 * sample would make the textfile collector refuse the whole file, every night.
 */
static int add_label(struct options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	const char *why;

	if (!eq)
		return usage_error("--label: expected KEY=VALUE (proxy=sbc1), got '%s'", arg);
	why = prom_label_check(arg, (size_t)(eq - arg), eq + 1);
	if (why)
		return usage_error2("--label: '%s': %s", arg, why);
	for (int i = 0; i < o->nlabels; i++)
		if (o->labels[i].key_len == (size_t)(eq - arg) &&
		    !memcmp(o->labels[i].key, arg, o->labels[i].key_len))
			return usage_error("--label: '%s': KEY is given twice", arg);
	if (o->nlabels == REPORT_LABELS)
		return usage_error("--label: at most %s labels", "16");
	o->labels[o->nlabels++] = (struct report_label){ arg, eq + 1, (size_t)(eq - arg) };
	return 0;
}

/* A decimal number within [lo, hi]: no NaN, infinity, hex or spaces (parse_decimal). */
static int parse_double(const char *s, double lo, double hi, double *out)
{
	double v;
	const char *end = parse_decimal(s, &v);

	if (!end || *end || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

/* Decimal digits only (strtoul() alone takes spaces, '+' and '-'), within [lo, hi]. */
static int parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* "4M", "64K", "1G", "4096", "64KiB" -> bytes within [lo, hi]; a size whose unit would
 * overflow 64 bits is refused, not wrapped (17179869185G is not 1G). */
static int parse_size(const char *s, size_t lo, size_t hi, size_t *out)
{
	char *end;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (v > (~0ULL >> shift))
		return -1;
	v <<= shift;
	if (shift && *end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end || v < lo || v > hi)
		return -1;
	*out = (size_t)v;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- progress line on a terminal */

struct progress {
	int on;
	double start, last;
	uint64_t total;		/* stored bytes of all inputs (a gzip input: compressed) */
	int stream;		/* an input is gzip (or a pipe): what it holds is unknown */
	size_t nfiles;
};

/*
 * "siplogscan: 412.3 MB read, 2 of 5 files, 38% of 1100.0 MB on disk, 950 MB/s, about 12 s
 * left" on a terminal ("412.3 of 1100.0 MB, 2 of 5 files, ..." when every input is a plain
 * file). Bytes read and the rate count uncompressed bytes, as the report's MB/s does;
 * with a gzip input the total to read is not known before its end, so the share and the time
 * left go by the bytes on disk read so far (stored), which grow in step with the work.
 */
static void progress_cb(void *ctx, uint64_t stored, uint64_t bytes, size_t files_done)
{
	struct progress *p = ctx;
	double t = now_s();

	if (!p->on || t - p->last < 0.25)
		return;
	p->last = t;
	double el = t - p->start + 1e-9;
	double rate = bytes / el / 1e6;
	if (p->stream)
		fprintf(stderr, "\r\033[Ksiplogscan: %.1f MB read, %zu of %zu files, %.0f%% of "
			"%.1f MB on disk", bytes / 1e6, files_done, p->nfiles,
			p->total ? 100.0 * stored / p->total : 0.0, p->total / 1e6);
	else	/* plain files: what is read is what is on disk */
		fprintf(stderr, "\r\033[Ksiplogscan: %.1f of %.1f MB, %zu of %zu files", bytes / 1e6,
			p->total / 1e6, files_done, p->nfiles);
	fprintf(stderr, ", %.0f MB/s", rate);
	if (stored > 0 && p->total > stored)
		fprintf(stderr, ", about %.0f s left", el * (double)(p->total - stored) / stored);
}

static void progress_end(struct progress *p)
{
	if (p->on && p->last > 0)
		fprintf(stderr, "\r\033[K");
}

/* ---- the run */

struct input {
	char *path;
	struct profile *profile;	/* owned by the profile cache */
	int format_auto;
	int undetected;			/* auto, and no format recognised its sample */
	struct product_guess product;	/* of a sample no format read (product.h) */
	int stream;			/* gzip, or not a regular file */
	struct source *src;		/* kept open when it can be read only once (stdin, pipes) */
	int64_t first_time;
	int64_t date_hint;		/* first full date in the sample (timeline_set_hint) */
	size_t arg_index;
	int have_id;			/* dev and ino are known */
	dev_t dev;
	ino_t ino;
	int ranged;			/* --range: only these bytes, as cut (source_range()) */
	uint64_t range_start, range_end;
	uint64_t skip;			/* --history: a gzip file's bytes read before */
	struct history_plan hp;		/* --history: what is new in it (slot -1: no plan) */
	struct report_file rf;
};

/*
 * The same bytes are counted once: an input that is the same file (device and inode) as an
 * earlier one - named twice, through a hard or symbolic link, "./x" and "x", a glob that
 * matches what was also named - is marked a duplicate and not scanned. 1 when it is one.
 */
static int same_file_as_earlier(struct input *in, size_t i, int quiet)
{
	struct stat st;
	int r = strcmp(in[i].path, "-") == 0 ? fstat(0, &st) : stat(in[i].path, &st);

	if (r < 0)
		return 0;	/* the open says why */
	in[i].have_id = 1;
	in[i].dev = st.st_dev;
	in[i].ino = st.st_ino;
	for (size_t k = 0; k < i; k++) {
		if (!in[k].have_id || in[k].dev != st.st_dev || in[k].ino != st.st_ino)
			continue;
		struct buf b = {0};
		buf_printf(&b, "the same file as '%s' (named twice, or through a link): scanned once",
			   in[k].path);
		in[i].rf.status = FILE_DUPLICATE;
		in[i].rf.note = buf_cstr(&b);
		if (!quiet)
			err_msg("note: '%s': %s", in[i].path, in[i].rf.note);
		return 1;
	}
	return 0;
}

struct profile_cache {
	struct profile *p[64];	/* built-ins, a given profile, and one per input inferred */
	int n;
};

static struct profile *cached_builtin(struct profile_cache *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->p[i]->name, name) == 0)
			return c->p[i];
	struct profile *p = profile_builtin(name);
	if (p && c->n < 64)
		c->p[c->n++] = p;
	return p;
}

/* Columns of the text report: --width, else the width of the terminal that stdout is,
 * else $COLUMNS (stdout only: a file named by -o is read elsewhere), else 80, the width a
 * mail or a cron log reads well in. Kept within RENDER_MIN_WIDTH..RENDER_MAX_WIDTH. */
static unsigned text_width(const struct output *x, unsigned given)
{
	unsigned w = given;

	if (!w && !x->path) {
		struct winsize ws;
		const char *env = getenv("COLUMNS");
		if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
			w = ws.ws_col;
		else if (env && parse_uint(env, 1, 100000, &w) < 0)
			w = 0;	/* not a number: as if unset */
	}
	if (!w)
		w = 80;
	return w < RENDER_MIN_WIDTH ? RENDER_MIN_WIDTH : w > RENDER_MAX_WIDTH ?
	       RENDER_MAX_WIDTH : w;
}

static void render_one(struct buf *b, const struct report *rep, const struct output *x,
		       int color, unsigned width)
{
	switch (x->format) {
	case OUT_JSON:
		render_json(b, rep);
		break;
	case OUT_CSV:
		render_csv(b, rep);
		break;
	case OUT_HTML:
		render_html(b, rep);
		break;
	case OUT_PROM:
		render_prom(b, rep);
		break;
	default: {
		if (color < 0)
			color = !x->path && isatty(1) && !getenv("NO_COLOR");
		struct render_opts ro = { .color = color, .width = text_width(x, width) };
		render_text(b, rep, &ro);
	}
	}
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

/* Something that is written in place, not replaced (output.h): a device or a FIFO. */
static int is_device(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* --calls-csv and --calls-ndjson: rows are written as calls settle, each through a buffer,
 * into a temporary file that replaces the previous one only when the run succeeds
 * (output.h); both from the same rows, so either may be given, or both */
enum { CALLS_CSV, CALLS_NDJSON, CALLS_OUTS };

struct calls_out {
	struct output_file *f[CALLS_OUTS];
	const struct report *rep;
	struct buf b[CALLS_OUTS];
	const struct run_hooks *h;	/* a subcommand's, or NULL */
	const char **file_host;		/* with hosts: the host of each input (by event.file) */
};

static void calls_flush(struct calls_out *co, int i)
{
	if (co->b[i].len)
		output_append(co->f[i], co->b[i].p, co->b[i].len);
	buf_reset(&co->b[i]);
}

static void call_row(void *ctx, const struct call_summary *row)
{
	struct calls_out *co = ctx;
	const char *path = row->file < co->rep->nfiles ? co->rep->files[row->file].path : "";
	struct call_summary with_host;
	const struct call_summary *cs = row;

	if (co->file_host && row->file < co->rep->nfiles) {
		/* the host that logged its first message */
		with_host = *row;
		with_host.host = co->file_host[row->file];
		cs = &with_host;
	}

	if (co->f[CALLS_CSV])
		render_calls_csv_row(&co->b[CALLS_CSV], cs, path);
	if (co->f[CALLS_NDJSON])
		render_calls_ndjson_row(&co->b[CALLS_NDJSON], cs, path);
	if (co->h && co->h->call_fn)
		co->h->call_fn(co->h->ctx, cs, path);
	for (int i = 0; i < CALLS_OUTS; i++)
		if (co->b[i].len > (64u << 10))
			calls_flush(co, i);
}

/* Open the per-call outputs that were asked for; -1 after a message (none left open). */
static int calls_open(struct calls_out *co, const char *csv, const char *ndjson)
{
	const char *path[CALLS_OUTS] = { csv, ndjson };
	const char *what[CALLS_OUTS] = { "--calls-csv", "--calls-ndjson" };

	for (int i = 0; i < CALLS_OUTS; i++) {
		if (!path[i])
			continue;
		co->f[i] = output_open(path[i], what[i]);
		if (!co->f[i] || (i == CALLS_NDJSON && has_suffix(path[i], ".gz") &&
				  output_gzip(co->f[i]) < 0)) {
			for (int k = 0; k <= i; k++) {
				output_abort(co->f[k]);
				co->f[k] = NULL;
			}
			return -1;
		}
	}
	if (co->f[CALLS_CSV])
		render_calls_csv_header(&co->b[CALLS_CSV]);
	return 0;
}

/* The format an output file's name asks for; -1 when the name says nothing. */
static int format_of_name(const char *path)
{
	static const struct { const char *suffix; enum out_format f; } names[] = {
		{ ".json", OUT_JSON }, { ".csv", OUT_CSV }, { ".html", OUT_HTML },
		{ ".htm", OUT_HTML }, { ".prom", OUT_PROM }, { ".txt", OUT_TEXT },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (has_suffix(path, names[i].suffix))
			return (int)names[i].f;
	return -1;
}

/* Each -o gets its format: the one its name says, else --format; no -o is stdout. */
static int resolve_outputs(struct options *o)
{
	int used = 0, nstdout = 0;

	if (!o->nout) {
		o->out[o->nout++] = (struct output){ NULL, o->format };
		return 0;
	}
	for (int i = 0; i < o->nout; i++) {
		struct output *x = &o->out[i];
		int f = strcmp(x->path, "-") == 0 ? -1 : format_of_name(x->path);
		if (strcmp(x->path, "-") == 0) {
			x->path = NULL;
			nstdout++;
		}
		x->format = f < 0 ? o->format : (enum out_format)f;
		used |= x->format == o->format;
		for (int k = 0; k < i; k++)
			if (x->path && o->out[k].path && strcmp(x->path, o->out[k].path) == 0)
				return usage_error("-o: '%s' is named twice", x->path);
	}
	if (nstdout > 1)
		return usage_error("%s", "-o -: stdout can be named once");
	if (o->format_given && !used) {
		fprintf(stderr, "siplogscan: --format %s is taken by no output: -o %s is written "
			"as %s, by its name; leave out --format, or add '-o -' to also write %s on "
			"stdout\n", format_names[o->format], o->out[0].path,
			format_names[o->out[0].format], format_names[o->format]);
		return 2;
	}
	return 0;
}

/*
 * --log-format auto: the format that reads the most records of the sample, among the
 * built-ins and the layout inferred from the sample (detect.h, infer.h). The inferred
 * profile is the choice's until an input keeps it.
 */
struct choice {
	struct detect_result d;
	struct profile *inferred;	/* compiled from the sample; NULL when none was inferred */
	struct buf why;			/* what inference found, or why it found nothing */
};

static const struct profile *infer_lines(void *ctx, const char *lines, size_t n)
{
	struct choice *c = ctx;
	struct buf text = {0};

	if (infer_profile_text(lines, n, &text, &c->why) == 0)
		c->inferred = profile_parse(text.p, text.len, "inferred");
	buf_free(&text);
	return c->inferred;
}

static void choose_format(struct choice *c, const struct profile *const *cand, int ncand,
			  const char *p, size_t n, int64_t mtime)
{
	profile_free(c->inferred);
	c->inferred = NULL;
	buf_reset(&c->why);
	detect_format(cand, ncand, infer_lines, c, p, n, mtime, &c->d);
}

static void add_note(struct report_file *rf, const char *text)
{
	struct buf b = {0};

	if (rf->note)
		buf_printf(&b, "%s; ", rf->note);
	buf_adds(&b, text);
	free(rf->note);
	rf->note = buf_cstr(&b);
}

/* The inferred layout won: the input keeps it, in the cache (the files of one log, a rotated
 * set, share one profile). NULL when the cache is full. */
static struct profile *keep_inferred(struct input *x, struct choice *c,
				     struct profile_cache *cache, int quiet)
{
	struct profile *p = c->inferred;
	int i = 0, cap = (int)(sizeof(cache->p) / sizeof(cache->p[0]));

	while (i < cache->n && !infer_same(cache->p[i], p))
		i++;
	if (i < cache->n) {
		profile_free(p);
		p = cache->p[i];
	} else if (cache->n < cap) {
		cache->p[cache->n++] = p;
	} else {
		err_msg("'%s': its layout is not read: more than %d different layouts in one run",
			x->path, cap - 2);
		return NULL;
	}
	c->inferred = NULL;
	if (!quiet)
		err_msg("'%s': %s; %s ('siplogscan profile --infer' prints the profile)", x->path,
			c->d.builtin_records ? "a layout of its own reads more records than any "
			"built-in format" : "no built-in format", buf_cstr(&c->why));
	buf_adds(&c->why, "; 'siplogscan profile --infer FILE' prints the profile");
	add_note(&x->rf, buf_cstr(&c->why));
	return p;
}

/* A mixed log: what the chosen format leaves unread, and how to read it, in the note. */
static void note_mixed(struct input *x, const struct detect_result *d, int quiet)
{
	struct buf b = {0};
	unsigned long long n = (unsigned long long)d->other_records;

	if (!d->profile || !d->other)
		return;
	buf_printf(&b, "mixed: its sample also holds %llu record%s of calls that format %s does "
		   "not read: ", n, n == 1 ? "" : "s", d->profile->name);
	if (strcmp(d->other->origin, "built-in") == 0)
		buf_printf(&b, "format %s reads them (--log-format %s)", d->other->name,
			   d->other->name);
	else
		buf_adds(&b, "lines of a layout of its own ('siplogscan profile --infer FILE' "
			 "prints a profile that reads them: --log-format PROFILE)");
	add_note(&x->rf, buf_cstr(&b));
	if (!quiet)
		err_msg("note: '%s': %s", x->path, buf_cstr(&b));
	buf_free(&b);
}

/* A stream's sample stops at its head when the head shows the format (input.h); the result
 * is kept, so the head is not looked at twice. */
struct head_check {
	const struct profile *const *cand;
	int ncand;
	int64_t mtime;
	int done;
	size_t len;
	struct choice c;
};

static int head_enough(void *ctx, const char *p, size_t n)
{
	struct head_check *hc = ctx;

	choose_format(&hc->c, hc->cand, hc->ncand, p, n, hc->mtime);
	hc->done = 1;
	hc->len = n;
	return hc->c.d.profile != NULL;
}

/*
 * A non-empty input in which no record was recognised is never a quiet zero: it is marked
 * unrecognised, with what to do, on stderr (even with --quiet) and in the report.
 */
static void check_recognised(struct report *rep, const struct input *in,
			     const struct order_item *ord, const char *log_format)
{
	for (size_t k = 0; k < rep->nfiles; k++) {
		struct report_file *f = &rep->files[k];
		const struct input *x = &in[ord[k].arg_index];
		if (f->status == FILE_DUPLICATE || x->ranged)
			continue;	/* a range may hold no record: a piece of the file */
		if (f->status != FILE_OK || f->records || f->incomplete || !f->bytes)
			continue;
		struct buf b = {0};
		if (x->format_auto) {
			buf_printf(&b, "no SIP message or siplog record recognised in %llu bytes (tried "
				   "the formats", (unsigned long long)f->bytes);
			for (int i = 0; profile_builtin_names[i]; i++)
				buf_printf(&b, "%s %s", i ? (profile_builtin_names[i + 1] ? "," : " and") :
					   "", profile_builtin_names[i]);
			buf_adds(&b, ")");
		}
		else
			buf_printf(&b, "no record recognised in %llu bytes with --log-format %s; check "
				   "that the format fits this log (try --log-format auto)",
				   (unsigned long long)f->bytes, log_format);
		const struct product_guess *g = &x->product;
		if (g->product != PRODUCT_UNKNOWN)
			buf_printf(&b, "; it looks like a log of %s (%llu of %llu sampled lines), and "
				   "%s", product_name(g->product),
				   (unsigned long long)g->votes, (unsigned long long)g->lines,
				   product_advice(g->product));
		else if (x->format_auto)
			buf_adds(&b, "; its lines are not those of Kamailio, OpenSIPS, Asterisk or "
				 "FreeSWITCH, and no one-line layout of its own could be inferred: if "
				 "it logs SIP in another layout, describe it with --log-format PROFILE "
				 "(man siplogscan, PROFILES)");
		f->status = FILE_UNRECOGNISED;
		free(f->note);	/* "grew while read" says less than this */
		f->note = buf_cstr(&b);
		err_msg("'%s': %s", f->path, f->note);
	}
}

/*
 * No data is an alarm: a run whose inputs held no SIP record, or whose window (--since/--until)
 * held none, is an error, -1 (exit status 2), with what each input held, on stderr even with
 * --quiet - a night on which logging was switched off or rsyslog broke must not pass as a
 * quiet one. The report is still written: it shows the same.
 */
static int check_data(const struct report *rep)
{
	int window = rep->since != TIME_UNKNOWN || rep->until != TIME_UNKNOWN;
	uint64_t records = 0;
	size_t usable = 0;
	char t1[TIME_LOCAL_MAX], t2[TIME_LOCAL_MAX];

	if (rep->records)
		return 0;
	for (size_t k = 0; k < rep->nfiles; k++) {
		records += rep->files[k].records;
		usable += rep->files[k].status != FILE_DUPLICATE;
	}
	if (records && window)
		err_msg("no SIP record in the window from %s until %s (--since/--until): nothing to "
			"report on; each input:",
			rep->since != TIME_UNKNOWN ? time_format_local(rep->since, t1) : "the start",
			rep->until != TIME_UNKNOWN ? time_format_local(rep->until, t2) : "the end");
	else
		err_msg("no SIP record in any input (%zu read): nothing to report on; each input:",
			usable);
	size_t shown = 0;
	for (size_t k = 0; k < rep->nfiles && shown < 20; k++) {
		const struct report_file *f = &rep->files[k];
		struct buf b = {0};
		if (f->status == FILE_DUPLICATE)
			continue;
		shown++;
		if (f->records) {
			/* its records all lie outside the window (else the window had some) */
			fmt_num(&b, f->records);
			buf_printf(&b, " %s", records_noun(rep, (int)k, 0));
			if (f->first_time != TIME_UNKNOWN)
				buf_printf(&b, ", %s to %s", time_format_local(f->first_time, t1),
					   time_format_local(f->last_time, t2));
			buf_adds(&b, ", none in the window");
		} else {
			buf_adds(&b, f->status == FILE_ERROR ? "could not be read" :
				 f->status == FILE_UNRECOGNISED ? "no record recognised" :
				 f->bytes ? "no record" : "empty");
			buf_printf(&b, ", %llu bytes, %llu lines", (unsigned long long)f->bytes,
				   (unsigned long long)f->lines);
		}
		if (f->format)
			buf_printf(&b, ", format %s", f->format);
		fprintf(stderr, "  %s: %s\n", f->path, buf_cstr(&b));
		buf_free(&b);
	}
	if (usable > shown)
		fprintf(stderr, "  ... and %zu more\n", usable - shown);
	fprintf(stderr, "  check: %s\n", records && window ?
		"did SIP logging stop (switched off, rsyslog down, a changed log target)? are "
		"these the files of that window (not rotated away, not yet to be written), and is "
		"the window right?" :
		"is SIP logging switched off, or the log going elsewhere (rsyslog down, a changed "
		"log target or facility)? are these the right files?");
	return -1;
}

/*
 * The HTML report's ladders of its example calls (include/report.h rep->ladders): the inputs
 * of the scan again, as the first pass had them. NULL for merge: it has no inputs.
 */
struct ladder_pass {
	struct pipeline_input *in;	/* the first pass's (its sources already closed) */
	const int *once;		/* in[k] could be read only once (stdin, a pipe) */
	size_t n;
	unsigned threads;
	size_t block_size;
	const size_t *host_first;	/* --host-from/--host: the hosts' inputs (hosts.h) */
	unsigned nhosts;		/* 0: none */
};

/*
 * The ladders: the first REPORT_LADDER_EXAMPLES example calls of each problem whose examples
 * are calls are looked up in a second pass of the engine over the same inputs, with no
 * analysis: an event tap keeps their events (ladder.h), then their lines are read back. Only
 * for an HTML output: the other formats pay nothing. The inputs' errors were reported by the
 * first pass: this one says nothing more.
 */
static void html_ladders(struct report *rep, const struct ladder_pass *lp)
{
	/* the page shows a message's first line, and the start of a long address or URI */
	struct ladders *l = ladders_new(REPORT_LADDER_MSGS, REPORT_LADDER_RAW, REPORT_LADDER_STR);

	for (size_t p = 0; p < rep->nproblems; p++) {
		const struct problem *pr = &rep->problems[p];
		if (knowledge_pattern(pr->pid)->example != EXAMPLE_CALL)
			continue;
		for (size_t k = 0; k < pr->nexamples && k < REPORT_LADDER_EXAMPLES; k++)
			ladders_add(l, pr->examples[k].call_id, pr->examples[k].call_id_len);
	}
	if (!l->ncalls) {
		ladders_free(l);
		return;
	}
	if (!lp) {
		rep->ladders_note = rep->history ?
				    "No ladders of the example calls: the night's report is merged "
				    "from its runs' states (--history), which hold no messages; "
				    "'siplogscan show CALLID FILE...' on the logs gives one." :
				    "No ladders of the example calls: this report was merged from "
				    "state files, which hold no messages; 'siplogscan show CALLID "
				    "FILE...' on the logs gives one.";
		ladders_free(l);
		return;
	}
	size_t nonce = 0, nscan = 0;
	for (size_t k = 0; k < lp->n; k++) {
		nonce += lp->once[k] && lp->in[k].profile;
		nscan += lp->in[k].profile != NULL;
	}
	if (nonce && nonce == nscan) {
		rep->ladders_note = "No ladders of the example calls: the input was read from stdin "
				    "or a pipe, which can be read only once; name the log files to "
				    "get them.";
		ladders_free(l);
		return;
	}
	if (nonce)
		rep->ladders_note = "The ladders leave out the messages of the inputs read from "
				    "stdin or a pipe, which can be read only once.";

	struct pipeline_input *in = xcalloc(lp->n, sizeof(*in));
	struct report_file *rf = xcalloc(lp->n, sizeof(*rf));
	for (size_t k = 0; k < lp->n; k++) {
		in[k] = lp->in[k];
		in[k].src = NULL;
		if (lp->once[k])
			in[k].profile = NULL;	/* read already: not scanned */
		rf[k] = (struct report_file){ .path = rep->files[k].path,
					      .first_time = TIME_UNKNOWN,
					      .last_time = TIME_UNKNOWN };
		in[k].rf = &rf[k];
	}
	ladders_files(l, in, lp->n);
	for (size_t k = 0; k < lp->n; k++)
		l->f[k].once = lp->once[k];
	/* the workers hash each Call-ID with the set's key: the tap looks up their hashes */
	struct pipeline_opts po = { .threads = lp->threads, .block_size = lp->block_size,
				    .callid_seed = l->seed };
	l->engine_seed = 1;
	err_mute(1);
	/* a call two proxies logged: its messages in log time, as the first pass saw them */
	if (lp->nhosts)
		hosts_run(in, lp->n, lp->host_first, lp->nhosts, &po, ladders_event, l);
	else
		pipeline_run(in, lp->n, &po, ladders_event, l);
	err_mute(0);
	for (size_t k = 0; k < lp->n; k++) {
		free(rf[k].error);
		free(rf[k].note);
	}
	free(rf);
	free(in);
	ladders_read_back(l);
	rep->ladders = l;
}

/*
 * The report made (scan or merge): its heading and run section, --baseline, --fail-on, and
 * every output. lp: the scan's inputs, for the HTML report's ladders (NULL for merge).
 * Returns the exit code; releases rep.
 */
static int write_report(struct options *o, struct report *rep, double t0, int exit_code,
			int no_report, const struct ladder_pass *lp)
{
	rep->timezone = tz_name();
	double el = now_s() - t0;
	uint64_t bytes = 0;
	for (size_t i = 0; i < rep->nfiles; i++)
		bytes += rep->files[i].bytes;
	if (rep->history)
		bytes = rep->history->bytes_read;	/* this run's, not the night's */
	/* the heading of every format: --title, else this host's name */
	char host[256];
	rep->title = o->title;
	if (!rep->title) {
		if (gethostname(host, sizeof(host)) < 0)
			strcpy(host, "siplogscan");
		host[sizeof(host) - 1] = '\0';	/* truncated names need not end in one */
		rep->title = host;
	}
	rep->run.version = VERSION;
	rep->run.threads = o->threads;
	rep->run.elapsed_s = el;
	rep->run.bytes = bytes;
	rep->run.mb_per_s = el > 0 ? (double)bytes / 1e6 / el : 0;

	if (o->baseline) {
		/* compared through the JSON form, before anything is written: the baseline may
		 * be the very file this run replaces */
		struct buf cur = {0};
		render_json(&cur, rep);
		rep->baseline = baseline_compare(o->baseline, cur.p, cur.len);
		buf_free(&cur);
		if (rep->baseline->status == BASELINE_ERROR) {
			err_msg("--baseline: '%s' %s", o->baseline, rep->baseline->error);
			exit_code = 2;
		} else if (rep->baseline->status == BASELINE_MISSING && !o->quiet) {
			err_msg("note: --baseline: '%s' %s", o->baseline, rep->baseline->error);
		}
	}
	/* the rules last: a rule may be on a change since the baseline */
	if (rules_eval(&o->rules, rep) > 0 && exit_code == 0)
		exit_code = 1;
	for (int i = 0; i < rep->nrules; i++) {
		struct buf v = {0};
		if (!rep->rules[i].fired)
			continue;
		fmt_rule_value(&v, rep->rules[i].value);	/* as the reports write it */
		err_msg("--fail-on: '%s' holds (value %s)", rep->rules[i].text, buf_cstr(&v));
		buf_free(&v);
	}

	/* for cron: with --quiet and --fail-on, stdout stays empty unless a rule fired; a
	 * subcommand writes what it took from the run instead of the report */
	int silent = (o->quiet && o->rules.n && !rep->rules_fired) || no_report;
	for (int i = 0; i < o->nout; i++)
		if (o->out[i].format == OUT_HTML && (o->out[i].path || !silent)) {
			html_ladders(rep, lp);
			/* the run took the second pass too */
			rep->run.elapsed_s = el = now_s() - t0;
			rep->run.mb_per_s = el > 0 ? (double)bytes / 1e6 / el : 0;
			break;
		}
	struct buf out[OUT_NFORMATS] = { {0} };
	int done[OUT_NFORMATS] = {0};
	for (int i = 0; i < o->nout; i++) {
		const struct output *x = &o->out[i];
		if (!x->path && silent)
			continue;
		struct buf *b = &out[x->format];
		if (!done[x->format] || x->format == OUT_TEXT) {
			buf_reset(b);
			done[x->format] = 1;
			render_one(b, rep, x, o->color, o->width);
		}
		if (output_write(x->path, b) < 0)
			exit_code = 2;
	}
	for (int f = 0; f < OUT_NFORMATS; f++)
		buf_free(&out[f]);
	report_release(rep);
	return exit_code;
}

/* What hosts_assign() gave. */
static void hosts_release(char **names, unsigned n, unsigned *host_of)
{
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(host_of);
}

/* The by-host rows' names and inputs (the analysis filled in their calls): host h's files are
 * rep->files[first[h] .. first[h + 1]). */
static void hosts_report(struct report *rep, char *const *names, const size_t *first)
{
	for (size_t h = 0; h < rep->nhosts; h++) {
		struct host_row *r = &rep->hosts[h];
		r->name = xstrndup(names[h], strlen(names[h]));
		r->name_len = strlen(names[h]);
		host_row_add_files(r, rep->files + first[h], first[h + 1] - first[h]);
	}
}

/* --range FILE:START-END (the last ':' ends FILE: a range has none) */
static int parse_range(struct options *o, const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char *end;

	if (o->nrange == MAX_RANGES)
		return usage_error("--range: at most %s ranges", "16");
	if (!colon || colon == arg)
		return usage_error("--range: expected FILE:START-END (bytes; END may be empty: the "
				   "end), got '%s'", arg);
	struct range_opt *r = &o->range[o->nrange];
	const char *p = colon + 1;
	errno = 0;
	r->start = strtoull(p, &end, 10);
	if (end == p || *end != '-' || errno || *p == '-' || *p == '+')
		return usage_error("--range: expected FILE:START-END (bytes; END may be empty: the "
				   "end), got '%s'", arg);
	p = end + 1;
	r->end = UINT64_MAX;
	if (*p) {
		r->end = strtoull(p, &end, 10);
		if (end == p || *end || errno || *p == '-' || *p == '+' || r->end < r->start)
			return usage_error("--range: expected FILE:START-END with END not before "
					   "START, got '%s'", arg);
	}
	r->path = arg;
	r->path_len = (size_t)(colon - arg);
	for (int i = 0; i < o->nrange; i++)
		if (o->range[i].path_len == r->path_len &&
		    memcmp(o->range[i].path, arg, r->path_len) == 0)
			return usage_error("--range: '%s' names a file that an earlier --range "
					   "names: one range per file and run", arg);
	o->nrange++;
	return 0;
}

/* The --range of an input path, or NULL. */
static const struct range_opt *range_of(const struct options *o, const char *path)
{
	for (int i = 0; i < o->nrange; i++)
		if (strlen(path) == o->range[i].path_len &&
		    memcmp(path, o->range[i].path, o->range[i].path_len) == 0)
			return &o->range[i];
	return NULL;
}

/*
 * --state-out: the shard's part of the analysis and its inputs (whole files), instead of a
 * report (src/state.c).
 */
static int write_state(const struct options *o, struct analysis *an, const struct report *rep,
		       const struct input *in, const struct order_item *ord)
{
	struct analysis_part part;
	struct state_range *rg = xcalloc(rep->nfiles ? rep->nfiles : 1, sizeof(*rg));

	for (size_t k = 0; k < rep->nfiles; k++) {
		const struct input *x = &in[ord[k].arg_index];
		rg[k] = x->ranged ? (struct state_range){ .start = x->range_start,
							  .end = x->range_end } :
				    (struct state_range){ .start = 0, .end = UINT64_MAX };
	}
	analysis_part_end(an, &part);
	int rc = state_write(o->state_out, &part, rep, rg, &o->an, o->host);
	analysis_part_release(&part);
	free(rg);
	return rc;
}

/*
 * siplogscan merge STATE...: the report of the shards' states, in the archive's order
 * (src/state.c), written as a run over all of their inputs writes it.
 */
static int merge_main(struct options *o, int n, char **paths)
{
	double t0 = now_s();
	struct report rep = {0};

	if (n < 1)
		return usage_error("%s", "merge: name the state files (written with --state-out), "
				   "in the archive's order");
	for (int i = 0; i < o->nout; i++)
		if (o->out[i].path && output_check(o->out[i].path, "-o") < 0)
			return 2;
	if (o->state_out && output_check(o->state_out, "--state-out") < 0)
		return 2;
	if (state_merge(paths, (size_t)n, &o->an, o->given, o->tz, o->state_out, &rep) < 0)
		return 2;
	if (o->state_out)
		return 0;	/* the states merged into one, no report */
	o->threads = 1;		/* the run section's: merge runs in one thread */
	int exit_code = 0;
	report_set_gives(&rep);
	memcpy(rep.labels, o->labels, sizeof(rep.labels));
	rep.nlabels = o->nlabels;
	if (check_data(&rep) < 0)
		exit_code = 2;
	return write_report(o, &rep, t0, exit_code, 0, NULL);
}

/* A subcommand's look at every event before the analysis (struct run_hooks) */
struct event_tap {
	const struct run_hooks *h;
	struct analysis *an;
};

static void tap_event(void *ctx, const struct event *ev)
{
	struct event_tap *t = ctx;

	t->h->event_fn(t->h->ctx, ev);
	analysis_event(t->an, ev);
}

int siplogscan_main(int argc, char **argv)
{
	optind = 0;	/* getopt from the start: siplogscan_main() may run more than once */
	if (argc > 1 && strcmp(argv[1], "explain") == 0)
		return explain_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "profile") == 0)
		return infer_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "calls") == 0)
		return calls_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "show") == 0)
		return show_main(argc - 1, argv + 1);
	return siplogscan_run(argc, argv, NULL);
}

int siplogscan_run(int argc, char **argv, const struct run_hooks *h)
{
	optind = 0;
	int merge = !h && argc > 1 && strcmp(argv[1], "merge") == 0;
	if (merge) {
		argc--;
		argv++;
	}
	output_install();
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "log-format", required_argument, NULL, 'l' },
		{ "examples", required_argument, NULL, 'E' },
		{ "call-timeout", required_argument, NULL, 'T' },
		{ "session-timeout", required_argument, NULL, 'D' },
		{ "slow-setup", required_argument, NULL, 'S' },
		{ "scanner-threshold", required_argument, NULL, 'N' },
		{ "max-calls", required_argument, NULL, 'M' },
		{ "title", required_argument, NULL, 'I' },
		{ "width", required_argument, NULL, 'W' },
		{ "color", required_argument, NULL, 'C' },
		{ "colour", required_argument, NULL, 'C' },
		{ "threads", required_argument, NULL, 'j' },
		{ "top", required_argument, NULL, 't' },
		{ "calls-csv", required_argument, NULL, 'c' },
		{ "calls-ndjson", required_argument, NULL, 'n' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "tz", required_argument, NULL, 'Z' },
		{ "block-size", required_argument, NULL, 'B' },
		{ "label", required_argument, NULL, 'L' },
		{ "state-out", required_argument, NULL, 'X' },
		{ "range", required_argument, NULL, 'R' },
		{ "host", required_argument, NULL, 'H' },
		{ "host-from", required_argument, NULL, 'A' },
		{ "history", required_argument, NULL, 'Y' },
		{ "keep", required_argument, NULL, 'K' },
		{ "history-date", required_argument, NULL, 'y' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = {
		.format = OUT_TEXT, .log_format = "auto", .color = -1,
		.an = { .call_timeout_s = 32, .ring_timeout_s = 180, .session_timeout_s = 7200,
			.slow_setup_s = 5,
			.examples = 3, .scanner_threshold = 10, .top = 10,
			.max_calls = ANALYSIS_MAX_CALLS },
	};
	int c, exit_code = 0;

	o.merge = merge;
	while ((c = getopt_long(argc, argv, "f:o:l:j:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = OUT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.format = OUT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				o.format = OUT_CSV;
			else if (strcmp(optarg, "html") == 0)
				o.format = OUT_HTML;
			else if (strcmp(optarg, "prom") == 0)
				o.format = OUT_PROM;
			else
				return usage_error("--format: expected text, json, csv, html or prom, got '%s'",
						   optarg);
			o.format_given = 1;
			break;
		case 'o':
			if (o.nout == MAX_OUTPUTS)
				return usage_error("-o: at most %s outputs", "8");
			o.out[o.nout++].path = optarg;
			break;
		case 'b':
			o.baseline = optarg;
			break;
		case 'l':
			o.log_format = optarg;
			break;
		case 'E':
			if (parse_uint(optarg, 0, REPORT_MAX_EXAMPLES, &o.an.examples) < 0)
				return usage_error("--examples: expected 0..10000, got '%s'", optarg);
			o.given |= STATE_GIVEN_EXAMPLES;
			break;
		case 'T':
			if (parse_double(optarg, 0.001, 86400 * 7, &o.an.call_timeout_s) < 0)
				return usage_error("--call-timeout: expected seconds, 0.001..604800, got '%s'",
						   optarg);
			o.given |= STATE_GIVEN_CALL_TIMEOUT;
			break;
		case 'D':
			if (parse_double(optarg, 0.001, 86400 * 7, &o.an.session_timeout_s) < 0)
				return usage_error("--session-timeout: expected seconds, 0.001..604800, "
						   "got '%s'", optarg);
			o.given |= STATE_GIVEN_SESSION_TIMEOUT;
			break;
		case 'S':
			if (parse_double(optarg, 0, 86400, &o.an.slow_setup_s) < 0)
				return usage_error("--slow-setup: expected seconds, 0..86400, got '%s'", optarg);
			o.given |= STATE_GIVEN_SLOW_SETUP;
			break;
		case 'N':
			if (parse_uint(optarg, 1, 1000000, &o.an.scanner_threshold) < 0)
				return usage_error("--scanner-threshold: expected 1..1000000, got '%s'", optarg);
			o.given |= STATE_GIVEN_SCANNER_THRESHOLD;
			break;
		case 'M': {
			unsigned n;
			if (parse_uint(optarg, 1000, 100000000, &n) < 0)
				return usage_error("--max-calls: expected 1000..100000000, got '%s'", optarg);
			o.an.max_calls = n;
			o.given |= STATE_GIVEN_MAX_CALLS;
			break;
		}
		case 'C':
			if (strcmp(optarg, "auto") == 0)
				o.color = -1;
			else if (strcmp(optarg, "always") == 0)
				o.color = 1;
			else if (strcmp(optarg, "never") == 0)
				o.color = 0;
			else
				return usage_error("--color: expected auto, always or never, got '%s'", optarg);
			break;
		case 'j':
			if (parse_uint(optarg, 1, PIPELINE_MAX_THREADS, &o.threads) < 0)
				return usage_error("--threads: expected 1..256, got '%s'", optarg);
			break;
		case 'B':
			if (parse_size(optarg, 4096, (size_t)1 << 30, &o.block_size) < 0)
				return usage_error("--block-size: expected 4K..1G (bytes, or with K, M, G), "
						   "got '%s'", optarg);
			break;
		case 'c':
			o.calls_csv = optarg;
			break;
		case 'n':
			o.calls_ndjson = optarg;
			break;
		case 'I':
			o.title = optarg;
			break;
		case 'W':
			/* a narrower width is taken as the narrowest layout, RENDER_MIN_WIDTH */
			if (parse_uint(optarg, 1, 10000, &o.width) < 0)
				return usage_error("--width: expected columns, 1..10000, got '%s'", optarg);
			break;
		case 't':
			if (parse_uint(optarg, 1, 10000, &o.an.top) < 0)
				return usage_error("--top: expected 1..10000, got '%s'", optarg);
			o.given |= STATE_GIVEN_TOP;
			break;
		case 'F':
			if (rules_parse(&o.rules, optarg) < 0)
				return 2;
			break;
		case 'L':
			if (add_label(&o, optarg) != 0)
				return 2;
			break;
		case 's':
			o.since = optarg;
			o.given |= STATE_GIVEN_WINDOW;
			break;
		case 'u':
			o.until = optarg;
			o.given |= STATE_GIVEN_WINDOW;
			break;
		case 'Z':
			o.tz = optarg;
			o.given |= STATE_GIVEN_TZ;
			break;
		case 'X':
			o.state_out = optarg;
			break;
		case 'R':
			if (parse_range(&o, optarg) != 0)
				return 2;
			break;
		case 'H': {
			if (strchr(optarg, '=')) {	/* NAME=GLOB: one of the hosts of this run */
				if (hosts_add_glob(&o.hosts, optarg) < 0)
					return 2;
				break;
			}
			/* NAME: the proxy of a shard's state */
			const char *why = state_host_invalid(optarg);
			if (why)
				return usage_error2("--host: '%s': %s", optarg, why);
			o.host = optarg;
			break;
		}
		case 'Y':
			o.history = optarg;
			break;
		case 'K':
			if (parse_uint(optarg, 1, REPORT_TREND_MAX, &o.keep) < 0)
				return usage_error("--keep: expected nights, 1..3660, got '%s'", optarg);
			o.keep_given = 1;
			break;
		case 'y':
			o.history_date = optarg;
			break;
		case 'A':
			o.hosts.from = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'h': {
			struct buf figs = {0};
			figures_help(&figs);
			fputs(usage_text, stdout);
			fwrite(figs.p, 1, figs.len, stdout);
			fputs("\n", stdout);
			fputs(usage_examples, stdout);
			buf_free(&figs);
			return 0;
		}
		case 'V':
			printf("siplogscan %s\n", VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'siplogscan --help' for more information.\n");
			return 2;
		}
	}
	if ((o.keep_given || o.history_date) && !o.history)
		return usage_error("%s: give --history DIR too", o.keep_given ? "--keep" :
				   "--history-date");
	if (o.history && (o.merge || o.state_out || o.nrange))
		return usage_error("%s", o.merge ? "--history: merge reads states; --history is "
				   "for a scan of the logs themselves" : o.state_out ?
				   "--history keeps its own states in DIR: give either --history "
				   "or --state-out" : "--history reads what is new in each file "
				   "itself: give either --history or --range");
	if (o.history && (o.since || o.until))
		return usage_error("%s", "--history: the nights are its windows (what was appended "
				   "since the last run): leave out --since and --until");
	for (int i = 0; o.history && i < o.nlabels; i++)
		if (o.labels[i].key_len == 5 && !memcmp(o.labels[i].key, "night", 5))
			return usage_error("%s", "--label night=...: with --history the prom output "
					   "labels each night's series with night: give the label "
					   "another name");
	if (o.history && (o.calls_csv || o.calls_ndjson))
		return usage_error2("%s: %s", o.calls_csv ? "--calls-csv" : "--calls-ndjson",
				    "per-call rows come from one scan of the whole archive: with "
				    "--history, a run reads only what is new, and the calls that "
				    "cross from one run to the next are finished by the next");
	if (o.hosts.from && o.hosts.nglob)
		return usage_error("%s", "--host-from and --host NAME=GLOB: give one or the other (a "
				   "pattern that names every input's host, or one NAME=GLOB per host)");
	if (o.host && (o.hosts.from || o.hosts.nglob))
		return usage_error("%s", "--host NAME names the one proxy of a shard's state "
				   "(--state-out); --host-from and --host NAME=GLOB name the hosts of "
				   "one run: give one or the other");
	if ((o.hosts.from || o.hosts.nglob) && (o.state_out || o.merge || o.history))
		return usage_error2("%s: %s", o.hosts.from ? "--host-from" : "--host NAME=GLOB",
				    o.merge ? "merge reads each state's host: give --host NAME to "
				    "the scan of each proxy's shard (docs/state.md)" :
				    o.state_out ? "a state holds one proxy's logs: scan each proxy "
				    "with --state-out FILE --host NAME, then merge the states "
				    "(docs/state.md), or scan the hosts together without --state-out" :
				    "a history holds one proxy's nights: give each proxy a --history "
				    "DIR of its own, or scan the hosts together without --history");
	if (o.nrange && o.merge)
		return usage_error("%s", "--range: merge reads states; give it to the scans of the "
				   "shards");
	if (o.host && !o.state_out && !o.history)
		return usage_error("%s", o.merge ? "--host: merge reads the host from each state; "
				   "give --host to the scans of the shards" :
				   "--host names the proxy of a shard's state: give it with "
				   "--state-out (or --history)");
	if (o.state_out && (o.nout || o.format_given || o.baseline || o.rules.n))
		return usage_error("%s", "--state-out writes a state, not a report: give -o, "
				   "--format, --baseline and --fail-on to 'siplogscan merge'");
	if ((o.state_out || o.merge) && (o.calls_csv || o.calls_ndjson))
		return usage_error2("%s: %s", o.calls_csv ? "--calls-csv" : "--calls-ndjson",
				    "per-call rows come from one scan of the whole archive: a state "
				    "holds aggregates, and the calls that cross its ends are finished "
				    "only by merge");
	if (resolve_outputs(&o) != 0)
		return 2;
	if (rules_need_baseline(&o.rules) && !o.baseline)
		return usage_error("%s", "--fail-on: a change:ID or attempts-fall rule compares with "
				   "the baseline: give --baseline FILE (the JSON report of an "
				   "earlier run)");
	/* the zone first: --since/--until dates and every zoneless stamp are read in it */
	switch (tz_setup(o.tz)) {
	case TZ_UNKNOWN_NAME:
		return usage_error2("--tz: unknown time zone '%s': give an IANA name such as "
				    "Europe/Berlin (list them with 'timedatectl list-timezones' or "
				    "'ls %s')", o.tz, tz_dir());
	case TZ_UNKNOWN_ENV:
		return usage_error2("the TZ environment variable ('%s') names no time zone: give "
				    "--tz with an IANA name such as Europe/Berlin (list them with "
				    "'timedatectl list-timezones' or 'ls %s')", getenv("TZ"), tz_dir());
	}
	int64_t since = TIME_UNKNOWN, until = TIME_UNKNOWN;
	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		int64_t now = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		if (o.since && (since = rules_parse_time(o.since, now, 0)) == TIME_UNKNOWN)
			return usage_error("--since: expected a date or time (2026-11-24, "
					   "2026-11-24T13:00), today, yesterday or -24h/-30m/-7d, "
					   "within 0001-01-01..9999-12-31, got '%s'", o.since);
		if (o.until && (until = rules_parse_time(o.until, now, 1)) == TIME_UNKNOWN)
			return usage_error("--until: expected a date or time (2026-11-24, "
					   "2026-11-24T13:00), today, yesterday or -24h/-30m/-7d, "
					   "within 0001-01-01..9999-12-31, got '%s'", o.until);
		/* an empty window would scan everything to report nothing, with exit 0 */
		if (o.since && o.until && until <= since) {
			char st[TIME_LOCAL_MAX], ut[TIME_LOCAL_MAX];
			struct buf fmt = {0};
			buf_printf(&fmt, "--until '%%s' (%s) is not after --since '%%s' (%s): the window "
				   "holds no time; give an --until later than --since",
				   time_format_local(until, ut), time_format_local(since, st));
			usage_error2(buf_cstr(&fmt), o.until, o.since);
			buf_free(&fmt);
			return 2;
		}
	}
	o.an.window = o.since || o.until;
	o.an.since = since;
	o.an.until = until;
	if (o.merge)
		return merge_main(&o, argc - optind, argv + optind);

	/* inputs */
	size_t nin = (size_t)(argc - optind);
	char *stdin_only[] = { "-" };
	char **paths = argv + optind;
	if (nin == 0) {
		if (isatty(0))
			return usage_error("%s", "no input: name log files, or '-' to read stdin");
		paths = stdin_only;
		nin = 1;
	}
	size_t nstdin = 0;
	for (size_t i = 0; i < nin; i++)
		nstdin += strcmp(paths[i], "-") == 0;
	for (int r = 0; r < o.nrange; r++) {
		size_t i = 0;
		while (i < nin && !(strlen(paths[i]) == o.range[r].path_len &&
				    memcmp(paths[i], o.range[r].path, o.range[r].path_len) == 0))
			i++;
		if (i == nin)
			return usage_error("--range: '%s' names no input: name the file as an input "
					   "too", o.range[r].path);
	}
	if (nstdin > 1)
		return usage_error("%s", "'-' (stdin) named more than once");
	if (nstdin && o.history)
		return usage_error("%s", "--history: stdin cannot be remembered (it has no name, "
				   "device or inode to read on from next time): name the log files");

	/* every output is checked before the scan: a mistake in a name should cost no scan */
	for (int i = 0; i < o.nout; i++)
		if (o.out[i].path && output_check(o.out[i].path, "-o") < 0)
			return 2;
	if (o.calls_csv && output_check(o.calls_csv, "--calls-csv") < 0)
		return 2;
	if (o.calls_ndjson && output_check(o.calls_ndjson, "--calls-ndjson") < 0)
		return 2;
	/* two outputs into one file: the later rename would leave one of them, silently (a
	 * device such as /dev/null is written in place and may be named twice) */
	if (o.calls_ndjson && !is_device(o.calls_ndjson)) {
		if (o.calls_csv && strcmp(o.calls_ndjson, o.calls_csv) == 0)
			return usage_error("--calls-ndjson: '%s' is also the --calls-csv file",
					   o.calls_ndjson);
		for (int i = 0; i < o.nout; i++)
			if (o.out[i].path && strcmp(o.out[i].path, o.calls_ndjson) == 0)
				return usage_error("--calls-ndjson: '%s' is also an -o file",
						   o.calls_ndjson);
	}
	if (o.state_out && output_check(o.state_out, "--state-out") < 0)
		return 2;
	/* the hosts, before any input is opened: a path no rule names costs no scan */
	char **host_names = NULL;
	unsigned nhosts = 0;
	unsigned *host_of = NULL;
	if (o.hosts.from || o.hosts.nglob) {
		host_of = xcalloc(nin, sizeof(*host_of));
		if (hosts_assign(&o.hosts, paths, nin, &host_names, &nhosts, host_of) < 0) {
			free(host_of);
			return 2;
		}
		o.an.hosts = nhosts;
		for (int i = 0; i < o.nlabels; i++)
			if (o.labels[i].key_len == 4 && !memcmp(o.labels[i].key, "host", 4)) {
				hosts_release(host_names, nhosts, host_of);
				return usage_error("%s", "--label host=...: with --host-from or --host the "
						   "prom output labels each host's series with host: "
						   "give the label another name");
			}
	}

	/* the history before the scan: a directory that cannot be used costs no scan */
	struct history *hist = NULL;
	if (o.history) {
		hist = history_open(o.history, o.history_date, o.keep_given ? o.keep :
				    HISTORY_KEEP_DEFAULT);
		if (!hist || history_prepare(hist, &o.an, o.host) < 0) {
			history_close(hist);
			return 2;
		}
	}

	struct profile_cache cache = {0};
	struct profile *forced = NULL;
	if (strcmp(o.log_format, "auto") != 0) {
		int builtin = 0;
		for (int i = 0; profile_builtin_names[i]; i++)
			builtin |= strcmp(o.log_format, profile_builtin_names[i]) == 0;
		forced = builtin ? cached_builtin(&cache, o.log_format) : profile_load(o.log_format);
		if (!forced) {
			history_close(hist);
			hosts_release(host_names, nhosts, host_of);
			return 2;
		}
		if (!builtin)
			cache.p[cache.n++] = forced;
	}

	struct calls_out co = { .h = h };
	if (h && h->call_fn) {
		o.an.call_fn = call_row;
		o.an.call_ctx = &co;
	}
	if (o.calls_csv || o.calls_ndjson) {
		if (calls_open(&co, o.calls_csv, o.calls_ndjson) < 0) {
			history_close(hist);
			for (int i = 0; i < cache.n; i++)
				profile_free(cache.p[i]);
			hosts_release(host_names, nhosts, host_of);
			return 2;
		}
		o.an.call_fn = call_row;
		o.an.call_ctx = &co;
	}

	double t0 = now_s();
	struct input *in = xcalloc(nin, sizeof(*in));
	struct order_item *ord = xcalloc(nin, sizeof(*ord));
	struct buf sample = {0};
	uint64_t total_stored = 0;
	const struct profile *cand[8];
	int ncand = 0;
	for (int i = 0; profile_builtin_names[i] && ncand < 8; i++) {
		struct profile *p = cached_builtin(&cache, profile_builtin_names[i]);
		if (p)
			cand[ncand++] = p;
	}
	for (size_t i = 0; i < nin; i++) {
		in[i].path = paths[i];
		in[i].arg_index = i;
		in[i].first_time = in[i].date_hint = TIME_UNKNOWN;
		in[i].rf.path = xstrndup(paths[i], strlen(paths[i]));
		in[i].rf.first_time = in[i].rf.last_time = TIME_UNKNOWN;
		in[i].hp.slot = -1;
		ord[i] = (struct order_item){ paths[i], TIME_UNKNOWN, i };
		if (same_file_as_earlier(in, i, o.quiet))
			continue;
		struct source *s = source_open(paths[i], &in[i].rf);
		if (!s)
			continue;

		int64_t mt = source_mtime_us(s);
		in[i].stream = source_stream(s);
		/* with a format given, the head is all the sample is for (its first time) */
		struct head_check hc = { .cand = cand, .ncand = ncand, .mtime = mt };
		if (source_sample_until(s, &sample, &in[i].rf, forced ? source_head_only : head_enough,
					&hc) == 0) {
			if (forced) {
				in[i].profile = forced;
				scan_count_sample(forced, sample.p ? sample.p : "", sample.len, mt,
						  &in[i].first_time, &in[i].date_hint);
				if (in[i].first_time == TIME_UNKNOWN)	/* maybe no record */
					product_guess(sample.p, sample.len, &in[i].product);
			} else {
				if (!hc.done || hc.len != sample.len)
					choose_format(&hc.c, cand, ncand, sample.p, sample.len, mt);
				struct detect_result d = hc.c.d;
				if (d.profile && d.profile == hc.c.inferred &&
				    !(d.profile = keep_inferred(&in[i], &hc.c, &cache, o.quiet)))
					detect_format(cand, ncand, NULL, NULL, sample.p, sample.len, mt,
						      &d);
				else if (!d.profile && hc.c.why.len)
					/* part of the "unrecognised" error, which --quiet does not hide */
					err_msg("'%s': no layout inferred: %s", paths[i],
						buf_cstr(&hc.c.why));
				note_mixed(&in[i], &d, o.quiet);
				in[i].profile = d.profile ? (struct profile *)d.profile : cached_builtin(&cache, "sip");
				in[i].format_auto = 1;
				in[i].first_time = d.first_time;
				in[i].date_hint = d.date_hint;
				in[i].undetected = !d.profile;
				if (!d.profile)
					product_guess(sample.p, sample.len, &in[i].product);
				if (!d.profile && sample.len && !o.quiet)
					err_msg("'%s': no SIP message or siplog record in its sample "
						"(head and %d later points); scanning it as 'sip' (another "
						"layout: --log-format PROFILE)", paths[i], INPUT_SAMPLE_PIECES);
				else if (d.profile && !o.quiet && isatty(2))
					err_msg("'%s': format %s (detected)", paths[i], d.profile->name);
			}
		}
		/* a range: its format is the whole file's (the sample above), so that every shard
		 * of the file reads it alike */
		const struct range_opt *rg = range_of(&o, paths[i]);
		if (rg && in[i].rf.status == FILE_OK) {
			if (in[i].profile && in[i].profile->kind == RECORD_MESSAGE) {
				const char *why = "--range: its format keeps whole SIP messages over "
						  "several lines, which a cut may split: a file in "
						  "this format is a shard as a whole";
				err_msg("'%s': %s", paths[i], why);
				in[i].rf.status = FILE_ERROR;
				in[i].rf.error = xstrndup(why, strlen(why));
			} else if (source_set_range(s, rg->start, rg->end, &in[i].rf) == 0) {
				in[i].ranged = 1;
				source_range(s, &in[i].range_start, &in[i].range_end);
			}
		}
		/* --history: only what is new since the last run (history.h) */
		if (hist && in[i].rf.status == FILE_OK &&
		    history_plan(hist, paths[i], &in[i].hp) == 0) {
			if (in[i].hp.ranged) {
				if (source_set_range(s, in[i].hp.start, in[i].hp.end, &in[i].rf) == 0) {
					in[i].ranged = 1;
					source_range(s, &in[i].range_start, &in[i].range_end);
				}
			} else {
				in[i].skip = in[i].hp.skip;
				if (in[i].skip == SOURCE_SKIP_ALL)
					in[i].rf.stored_bytes = 0;
			}
		}
		profile_free(hc.c.inferred);	/* when it was not kept */
		buf_free(&hc.c.why);
		total_stored += in[i].rf.stored_bytes;
		if (source_once(s))
			in[i].src = s;	/* cannot be opened twice: the scan reads on from the sample */
		else
			source_close(s);
		ord[i].first_time = in[i].first_time;
	}
	buf_free(&sample);
	/* with hosts, each host's files in their own time order, host after host (hosts_run()
	 * reads them side by side); host h's are ord[host_first[h] .. host_first[h + 1]) */
	size_t *host_first = NULL;
	if (nhosts) {
		host_first = xcalloc(nhosts + 1, sizeof(*host_first));
		struct order_item *by = xcalloc(nin ? nin : 1, sizeof(*by));
		size_t k = 0;
		for (unsigned hh = 0; hh < nhosts; hh++) {
			host_first[hh] = k;
			for (size_t i = 0; i < nin; i++)
				if (host_of[ord[i].arg_index] == hh)
					by[k++] = ord[i];
			order_files(by + host_first[hh], k - host_first[hh]);
		}
		host_first[nhosts] = k;
		memcpy(ord, by, nin * sizeof(*ord));
		free(by);
	} else {
		order_files(ord, nin);
	}

	/* scan in chronological order, in parallel, merged in order */
	if (!o.threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o.threads = n < 1 ? 1 : n > PIPELINE_MAX_THREADS ? PIPELINE_MAX_THREADS : (unsigned)n;
	}
	struct report rep = {0};
	rep.files = xcalloc(nin, sizeof(*rep.files));
	rep.nfiles = nin;
	co.rep = &rep;
	if (nhosts) {
		co.file_host = xcalloc(nin ? nin : 1, sizeof(*co.file_host));
		for (unsigned hh = 0; hh < nhosts; hh++)
			for (size_t k = host_first[hh]; k < host_first[hh + 1]; k++)
				co.file_host[k] = host_names[hh];
	}
	/* one key for the call table's hash, which the engine's workers hash Call-IDs with */
	uint8_t seed[16];
	random_seed(seed, sizeof(seed));
	o.an.seed = seed;
	/* the call analysis runs on half as many threads as the scan (its shards spread over
	 * them; at -j2 and below, in this thread), at most ANALYSIS_MAX_THREADS: each thread costs
	 * its own aggregates, batches and wake-ups. Measured on 2 CPUs at -j2: the analysis in
	 * this thread was 5-12% faster than on two threads of its own */
	o.an.threads = o.threads / 2 < ANALYSIS_MAX_THREADS ? o.threads / 2 : ANALYSIS_MAX_THREADS;
	o.an.state = o.state_out != NULL || hist;
	struct analysis *an = analysis_new(&o.an);
	struct pipeline_input *pin = xcalloc(nin, sizeof(*pin));
	struct history_plan *plans = xcalloc(nin, sizeof(*plans));
	for (size_t k = 0; k < nin; k++) {
		struct input *x = &in[ord[k].arg_index];
		rep.files[k] = x->rf;
		if (x->profile) {
			rep.files[k].format = x->profile->name;
			rep.files[k].gives = x->profile->gives;
			rep.files[k].format_auto = x->format_auto;
		}
		pin[k] = (struct pipeline_input){ .path = x->path, .profile = x->profile,
						  .src = x->src, .stream = x->stream,
						  .rf = &rep.files[k], .date_hint = x->date_hint,
						  .ranged = x->ranged, .range_start = x->range_start,
						  .range_end = x->range_end, .skip = x->skip };
		plans[k] = x->hp;
		x->src = NULL;
	}
	struct progress prog = { .on = !o.quiet && isatty(2) && !(h && h->no_report), .start = t0,
				 .total = total_stored,
				 .nfiles = nin };
	for (size_t i = 0; i < nin; i++)
		prog.stream |= in[i].stream;
	struct pipeline_opts po = { .threads = o.threads, .block_size = o.block_size,
				    .callid_seed = seed,
				    .progress = progress_cb, .progress_ctx = &prog };
	struct event_tap tap = { h, an };
	if (h && h->files_fn)
		h->files_fn(h->ctx, pin, nin);
	/* for the HTML report's ladders: which inputs the scan reads once (it closes them) */
	int *once = xcalloc(nin ? nin : 1, sizeof(*once));
	for (size_t k = 0; k < nin; k++)
		once[k] = pin[k].src != NULL || !strcmp(pin[k].path, "-");
	event_fn efn = h && h->event_fn ? tap_event : analysis_event;
	void *ectx = h && h->event_fn ? (void *)&tap : an;
	if ((nhosts ? hosts_run(pin, nin, host_first, nhosts, &po, efn, ectx) :
		      pipeline_run(pin, nin, &po, efn, ectx)) < 0)
		exit_code = 2;
	progress_end(&prog);
	check_recognised(&rep, in, ord, o.log_format);
	if (o.state_out) {
		free(plans);
		if (write_state(&o, an, &rep, in, ord) < 0)
			exit_code = 2;
		analysis_free(an);
		report_release(&rep);
		goto done;
	}

	if (hist) {
		/* the night's report, from its states, this run's added (history.h) */
		int hr = history_finish(hist, an, &rep, plans, &o.an);
		analysis_free(an);
		history_close(hist);
		free(plans);
		if (hr < 0) {
			report_release(&rep);
			exit_code = 2;
			goto done;
		}
	} else {
		free(plans);
		analysis_finish(an, &rep);
		analysis_free(an);
	}
	if (nhosts) {
		hosts_report(&rep, host_names, host_first);
		rep.host_from = o.hosts.from;
		rep.host_globs = o.hosts.nglob > 0;
	}
	report_set_gives(&rep);
	memcpy(rep.labels, o.labels, sizeof(rep.labels));
	rep.nlabels = o.nlabels;
	if (check_data(&rep) < 0)
		exit_code = 2;
	for (int i = 0; i < CALLS_OUTS; i++) {
		if (!co.f[i])
			continue;
		calls_flush(&co, i);
		if (output_commit(co.f[i]) < 0)
			exit_code = 2;
		buf_free(&co.b[i]);
	}
	struct ladder_pass lp = { pin, once, nin, o.threads, o.block_size, host_first, nhosts };
	/* --history: the report is the night's, its inputs those of every run of the night */
	exit_code = write_report(&o, &rep, t0, exit_code, h && h->no_report,
				 o.history ? NULL : &lp);
done:
	free(pin);
	free(once);
	for (int i = 0; i < cache.n; i++)
		profile_free(cache.p[i]);
	hosts_release(host_names, nhosts, host_of);
	free(host_first);
	free(co.file_host);
	free(in);
	free(ord);
	return exit_code;
}
