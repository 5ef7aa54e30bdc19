/*
 * profile.c - built-in log formats and the profile-file parser.
 *
 * Built-in profiles are written in the same text syntax an operator uses for --log-format FILE
 * and go through the same parser: a format is data, never a code path of its own. Patterns are
 * compiled once with JIT; a profile is read-only after profile_parse() returns.
 */
#include "profile.h"
#include "report.h"
#include "scan_fast.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const profile_builtin_names[] = { "sip", "kamailio", "acc", "asterisk-security",
					       "asterisk-auth", NULL };

/*
 * Whole SIP messages wherever they appear in a text log. The start line may be indented
 * (FreeSWITCH); header names are case-insensitive and have compact forms (RFC 3261 7.3.3: "i"
 * is Call-ID). A '.' ending a line is text (a Call-ID may end in one): the scanner takes off
 * the one that ngrep -W byline prints for each CR before these patterns see the message, and
 * turns tshark's dissector tree into the message's lines (src/scan.c, escaped messages). The
 * context lines before the start line give the time and the sender:
 *   Kamailio sipdump      "time: 1700000000.123456", "srcip: 10.0.0.1"
 *   FreeSWITCH siptrace   "recv 612 bytes from udp/[10.0.0.1]:5060 at 13:00:01.123456:"
 *   ngrep -W byline       "U 2026/11/24 13:00:01.123456 10.0.0.1:5060 -> 10.0.0.2:5060"
 *   sngrep text export    "2026/11/24 13:00:01.123456 10.0.0.1:5060 -> 10.0.0.2:5060"
 *   Asterisk full log     "[Nov 24 13:00:01] VERBOSE[123] res_pjsip_logger.c: <--- Received
 *                          SIP request (938 bytes) from UDP:10.0.0.1:5060 --->"
 *   pjsua / MicroSIP      "13:40:02.190 pjsua_core.c .RX 482 bytes ... from UDP 203.0.113.20:5060:"
 *   baresip -s (1.0)      "#", then "UDP 127.0.0.1:5062 -> 127.0.0.1:5060" (no time)
 *   linphonec -l (5.1)    "2026-12-02 09:05:15:409 belle-sip-message-channel [0x55..]: message sent
 *                          to [UDP://127.0.0.2:5060], size: [1080] bytes" (ms after a ':')
 *   SIPp -trace_msg       "----------------------------------------------- 2026-11-24 13:00:01.123456"
 *                          (local time, read as UTC), then "UDP message sent (612 bytes):"
 *   tshark -V             "Arrival Time: Nov 24, 2026 13:00:01.123456789 UTC", "Epoch Time:
 *                          1795525201.123456789 seconds", "Internet Protocol Version 4, Src:
 *                          10.0.0.1, Dst: 10.0.0.2" (the last time wins: Epoch Time, which
 *                          tshark prints after Arrival Time, has no zone to get wrong)
 *   syslog / ISO prefixes of ordinary log lines.
 */
static const char builtin_sip[] =
	"name = sip\n"
	"record = message\n"
	"prefilter = SIP/2.0\n"
	"start = ^[ \\t]*(?:(?<method>[A-Z][A-Za-z0-9_.!%*+`'~-]*) (?<ruri>[^ \\t\\r\\n]+) SIP/2\\.0"
		"|SIP/2\\.0 (?<status>[1-6][0-9][0-9])(?:[ \\t]+(?<reason>[^\\r\\n]*?))?)[ \\t]*\\r?$\n"
	"header = (?mi)^[ \\t]*(?:(?:call-id|i)[ \\t]*:[ \\t]*(?<callid>[^\\r\\n]*?)"
		"|cseq[ \\t]*:[ \\t]*(?<cseq>[0-9]{1,10})[ \\t]+(?<cseq_method>[A-Za-z]+)"
		"|(?<auth>proxy-authorization|authorization)[ \\t]*:[^\\r\\n]*?"
		"|user-agent[ \\t]*:[ \\t]*(?<ua>[^\\r\\n]*?)"
		"|(?:from|f)[ \\t]*:[ \\t]*(?<from>[^\\r\\n]*?)|(?:to|t)[ \\t]*:[ \\t]*(?<to>[^\\r\\n]*?))"
		"[ \\t]*\\r?$\n"
	"context = (?m)^(?:time:[ \\t]*(?<ts>[0-9]{9,11}(?:\\.[0-9]+)?)"
		"|srcip:[ \\t]*(?<src>[^ \\t\\r\\n]+)"
		"|[ \\t]*recv [0-9]+ bytes from [A-Za-z]+/(?<src>[^ \\t\\r\\n]+) at (?<ts>[0-9:.]+):"
		"|[ \\t]*send [0-9]+ bytes to [^ \\t\\r\\n]+ at (?<ts>[0-9:.]+):"
		"|[UT] (?<ts>[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9:.]+) (?<src>[^ \\t\\r\\n]+) -> "
		"|(?<ts>[0-9]{4}[-/][0-9]{2}[-/][0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
			"(?:[.,][0-9]+|:[0-9]{3}(?![0-9]))?"
			"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)(?:[ \\t]+(?<src>[^ \\t\\r\\n]+) -> )?"
		"|\\[(?<ts>[^\\]\\r\\n]{8,40})\\](?:[^\\r\\n]*?<--- Received SIP (?:request|response)"
			" \\([0-9]+ bytes\\) from [A-Za-z]+:(?<src>[^ \\t\\r\\n>]+))?"
		"|<--- (?:Received SIP (?:request|response) \\([0-9]+ bytes\\) from|SIP read from)"
			" [A-Za-z]+:(?<src>[^ \\t\\r\\n>]+)"
		"|(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?) "
		"|(?<ts>[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3,6})[ \\t](?:[^\\r\\n]*? RX [0-9]+ bytes"
			" [^\\r\\n]*? from [A-Za-z]+ (?<src>[^ \\t\\r\\n]+):[0-9]+:)?"
		"|(?:(?:UTC )?Arrival|Epoch) Time: (?<ts>[A-Z][a-z]{2} [ 0-9]?[0-9], [0-9]{4} [0-9:.]+"
			" [A-Z]{3}|[0-9]{9,11}(?:\\.[0-9]+)?(?= seconds))"
		"|Internet Protocol Version [46], Src: (?<src>[^ ,\\t\\r\\n]+), Dst: "
		"|(?:UDP|TCP|TLS|WSS?) (?<src>[^ \\t\\r\\n]+) -> [^ \\t\\r\\n]+[ \\t]*\\r?$"
		"|-{10,} (?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?)[ \\t]*\\r?$)\n";

/*
 * One-line records written by the xlog snippet in samples/kamailio-xlog.cfg, in syslog files
 * (BSD "Nov 24 13:00:01" or RFC 3339 prefixes), journalctl output or Kamailio's stderr log
 * (no time at all):
 *   ... siplog: req=INVITE cseq=1 INVITE callid=abc@h src=udp:10.0.0.1:5060
 *       ruri=sip:2001@example.com from=1001 to=2001 auth=no ua=Zoiper
 *   ... siplog: rpl=407 cseq=1 INVITE callid=abc@h src=udp:10.0.0.9:5060 from=1001 to=2001
 *       reason=Proxy Authentication Required
 * ruri, from and to (no spaces: the snippet escapes the users) are optional, so that the
 * snippet's older lines, without them, are read too.
 * The stamp may follow a syslog priority ("<13>1 2026-11-24T13:00:01Z ...", RFC 5424 as rsyslog
 * forwards it) or a weekday ("Tue 2026-11-24 13:00:01.5 UTC ...", journalctl -o short-full).
 */
static const char builtin_kamailio[] =
	"name = kamailio\n"
	"record = line\n"
	"prefilter = \"siplog: \"\n"	/* quoted: keep the space */
	"match = ^(?:<[0-9]{1,3}>[0-9]{0,2} ?)?(?:[A-Z][a-z]{2} (?=[0-9]{4}-))?"
		"(?:(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?"
		"|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?"
		"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)[ \\t])?[^\\r\\n]*?"
		"siplog: (?:req=(?<method>[A-Za-z]+)|rpl=(?<status>[1-6][0-9]{2}))"
		" cseq=(?<cseq>[0-9]{1,10}) (?<cseq_method>[A-Za-z]+) callid=(?<callid>[^\\r\\n]*?)"
		" src=(?<src>[^ \\t\\r\\n]*)(?: ruri=(?<ruri>[^ \\t\\r\\n]*))?"
		"(?: from=(?<from>[^ \\t\\r\\n]*))?(?: to=(?<to>[^ \\t\\r\\n]*))?"
		"(?: auth=(?<auth>yes)?[^ \\t\\r\\n]*)?"
		"(?: ua=(?<ua>[^\\r\\n]*?))?(?: reason=(?<reason>[^\\r\\n]*?))?[ \\t]*\\r?$\n";

/*
 * What Kamailio and OpenSIPS log when SIP logging is off: the acc module's syslog records, one
 * per accounted transaction, written when it ends (samples/kamailio/acc/; tests/live):
 *   ... NOTICE: acc [acc.c:287]: acc_log_request(): ACC: transaction answered:
 *       timestamp=1700000000;method=INVITE;from_tag=a;to_tag=b;call_id=abc@h;code=200;
 *       reason=OK;src_user=alice;src_domain=example.net;src_ip=192.0.2.10;...
 * "call missed" (log_missed_flag) and a failed "transaction answered"
 * (failed_transaction_flag) may both account one INVITE; "call ended" is OpenSIPS's CDR
 * (created=...;call_start_time=...;duration=...;setuptime=... before method). The core
 * fields come in this order in both products; src_ip is one of Kamailio's default
 * log_extra fields. The time is the syslog stamp, else the record's own timestamp=.
 */
static const char builtin_acc[] =
	"name = acc\n"
	"record = transaction\n"
	"gives = finals\n"
	"prefilter = \"ACC: \"\n"
	"match = ^(?:<[0-9]{1,3}>[0-9]{0,2} ?)?(?:[A-Z][a-z]{2} (?=[0-9]{4}-))?"
		"(?:(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?"
		"|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?"
		"(?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)[ \\t])?[^\\r\\n]*?"
		"ACC: [a-z]+(?: [a-z]+){0,3}: (?:timestamp=(?<ts>[0-9]{9,11})|created=[0-9]+)"
		"(?:;[a-z_]+=[0-9.]*){0,8}"
		";method=(?<method>[A-Za-z]+);from_tag=[^;\\r\\n]*;to_tag=[^;\\r\\n]*"
		";call_id=(?<callid>[^;\\r\\n]+);code=(?<status>[1-6][0-9]{2})"
		";reason=(?<reason>[^;\\r\\n]*)(?:[^\\r\\n]*?;src_ip=(?<src>[^;\\r\\n]*))?\n";

/*
 * Asterisk's security log (logger.conf: "security => security"), one event per line, its
 * fields in the order res_security_log writes them (the wiki's "Security Log File Format"):
 *   [Nov 24 13:00:01] SECURITY[1234] res_security_log.c: SecurityEvent="InvalidPassword",
 *   EventTV="...",Severity="Error",Service="PJSIP",EventVersion="2",AccountID="100",
 *   SessionID="abc@h",LocalAddress="IPV4/UDP/192.0.2.1/5060",
 *   RemoteAddress="IPV4/UDP/203.0.113.9/5060",Challenge="...",...
 * Each value is a quoted string with \" inside escaped: the pattern steps over whole
 * key="value" pairs, so that no value can pass for a key. The events that say how an
 * authentication ended are read; SessionID is the SIP Call-ID.
 */
#define AST_V "(?:[^\"\\\\\\r\\n]++|\\\\.)*+"	/* possessive: a value never backtracks */
static const char builtin_asterisk_security[] =
	"name = asterisk-security\n"
	"gives = auth\n"
	"prefilter = SecurityEvent=\"\n"
	"match = ^\\[(?<ts>[^\\]\\r\\n]{8,40})\\] SECURITY\\[[0-9]+\\](?:\\[[^\\]\\r\\n]*\\])? "
		"res_security_log\\.c: SecurityEvent=\"(?:(?<auth_ok>SuccessfulAuth)"
		"|(?<auth_failed>InvalidPassword|ChallengeResponseFailed)"
		"|(?<auth_unknown>InvalidAccountID)|(?<auth_denied>FailedACL)"
		"|(?<challenge>ChallengeSent))\""
		"(?:,[A-Za-z]+=\"" AST_V "\")*?,AccountID=\"(?<account>" AST_V ")\""
		"(?:,[A-Za-z]+=\"" AST_V "\")*?,SessionID=\"(?<callid>" AST_V ")\""
		"(?:,[A-Za-z]+=\"" AST_V "\")*?,RemoteAddress=\"IPV[46]/[A-Za-z]+/"
		"(?<src>[^/\"\\\\\\r\\n]+)/[0-9]+\"\n";
#undef AST_V

/*
 * The authentication failures Asterisk logs as NOTICEs in its messages/full log, with the
 * From URI's user as the account:
 *   [Nov 24 13:00:01] NOTICE[1234] res_pjsip/pjsip_distributor.c: Request 'INVITE' from
 *     '"100" <sip:100@192.0.2.1>' failed for '203.0.113.9:5060' (callid: abc@x) - Failed to
 *     authenticate            (or: No matching endpoint found, Not match Endpoint ACL)
 *   [Nov 24 13:00:01] NOTICE[1234] chan_sip.c: Registration from '"100" <sip:100@192.0.2.1>'
 *     failed for '203.0.113.9:5060' - Wrong password   (No matching peer found, ...)
 * The reason must end the line, and the From URI and the Call-ID are read greedily: the last
 * "' failed for '" and the last ") - " are Asterisk's own, so that a From URI or a Call-ID
 * holding those words cannot name another source or result.
 */
static const char builtin_asterisk_auth[] =
	"name = asterisk-auth\n"
	"gives = auth\n"
	"prefilter = \"' failed for '\"\n"
	"match = ^\\[(?<ts>[^\\]\\r\\n]{8,40})\\] NOTICE\\[[0-9]+\\](?:\\[[^\\]\\r\\n]*\\])? "
		"(?:res_pjsip/pjsip_distributor\\.c|chan_sip\\.c): (?:Request '[A-Za-z]+'|Registration)"
		" from '(?:\"[^\"\\r\\n]*\" ?)?<?sips?:(?<account>[^@>;'\\r\\n]*)@[^\\r\\n]*'"
		" failed for '(?<src>[^'\\r\\n]+)'(?: \\(callid: (?<callid>[^\\r\\n]*)\\))? - "
		"(?:(?<auth_failed>Failed to authenticate|Wrong password|Username/auth name mismatch)"
		"|(?<auth_unknown>No matching endpoint found|No matching peer found)"
		"|(?<auth_denied>Not match Endpoint ACL|Not match Endpoint Contact ACL"
		"|Device does not match ACL|ACL error \\(permit/deny\\)))\\r?$\n";

static const char *const field_names[F_COUNT] = {
	[F_TS] = "ts", [F_STATUS] = "status", [F_REASON] = "reason", [F_METHOD] = "method",
	[F_CALLID] = "callid", [F_CSEQ] = "cseq", [F_CSEQ_METHOD] = "cseq_method",
	[F_SRC] = "src", [F_UA] = "ua", [F_AUTH] = "auth", [F_RURI] = "ruri",
	[F_ACCOUNT] = "account", [F_AUTH_OK] = "auth_ok", [F_AUTH_FAILED] = "auth_failed",
	[F_AUTH_UNKNOWN] = "auth_unknown", [F_AUTH_DENIED] = "auth_denied",
	[F_CHALLENGE] = "challenge", [F_FROM] = "from", [F_TO] = "to",
};

int profile_field_index(const char *name, size_t len)
{
	for (int f = 0; f < F_COUNT; f++)
		if (strlen(field_names[f]) == len && memcmp(field_names[f], name, len) == 0)
			return f;
	return -1;
}

/* Compile one pattern and index its named groups by field. */
static int pattern_compile(struct pattern *pt, const char *src, size_t len,
			   const char *origin, int lineno, const char *key)
{
	int errcode;
	PCRE2_SIZE erroff;
	uint32_t count, entry_size;
	PCRE2_SPTR table;

	pt->source = xstrndup(src, len);
	pt->re = pcre2_compile((PCRE2_SPTR)src, len, PCRE2_DUPNAMES, &errcode, &erroff, NULL);
	if (!pt->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		return err_msg("'%s' line %d: %s: bad regular expression at offset %zu: %s",
			       origin, lineno, key, (size_t)erroff, (char *)msg);
	}
	if (pcre2_jit_compile(pt->re, PCRE2_JIT_COMPLETE) != 0)
		err_msg("'%s' line %d: %s: JIT compilation failed, matching without JIT (slower)",
			origin, lineno, key);
	pcre2_pattern_info(pt->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(pt->re, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	pcre2_pattern_info(pt->re, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *e = table + (size_t)i * entry_size;
		int group = (e[0] << 8) | e[1];
		const char *name = (const char *)e + 2;
		int f = profile_field_index(name, strlen(name));
		if (f < 0) {
			continue;	/* other names are the author's own helpers */
		}
		if (pt->ngroups[f] == PATTERN_MAX_DUPS)
			return err_msg("'%s' line %d: %s: more than %d groups named '%s'", origin,
				       lineno, key, PATTERN_MAX_DUPS, name);
		pt->groups[f][pt->ngroups[f]++] = group;
	}
	return 0;
}

static void pattern_release(struct pattern *pt)
{
	pcre2_code_free(pt->re);
	free(pt->source);
	memset(pt, 0, sizeof(*pt));
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nmatch; i++)
		pattern_release(&p->match[i]);
	pattern_release(&p->start);
	pattern_release(&p->header);
	pattern_release(&p->context);
	free(p->name);
	free(p->origin);
	free(p->prefilter);
	free(p);
}

static int has(const struct pattern *pt, enum field f)
{
	return pt->re && pt->ngroups[f] > 0;
}

static int profile_check(struct profile *p)
{
	const char *o = p->origin;

	if (!p->name)
		return err_msg("'%s': missing 'name = ...'", o);
	if (p->kind == RECORD_LINE) {
		if (p->nmatch == 0)
			return err_msg("'%s': a line profile needs at least one 'match = REGEX'", o);
		for (int i = 0; i < p->nmatch; i++) {
			const struct pattern *m = &p->match[i];
			if (has(m, F_AUTH_OK) || has(m, F_AUTH_FAILED) || has(m, F_AUTH_UNKNOWN) ||
			    has(m, F_AUTH_DENIED) || has(m, F_CHALLENGE))
				continue;	/* an authentication record: its outcome is enough */
			if (!has(m, F_CALLID))
				return err_msg("'%s': match #%d has no (?<callid>...) group", o, i + 1);
			if (!has(m, F_STATUS) && !has(m, F_METHOD))
				return err_msg("'%s': match #%d needs a (?<status>...) or "
					       "(?<method>...) group", o, i + 1);
			if (p->transaction && (!has(m, F_STATUS) ||
					       (!has(m, F_METHOD) && !has(m, F_CSEQ_METHOD))))
				return err_msg("'%s': match #%d: a transaction record needs a "
					       "(?<status>...) and a (?<method>...) group", o, i + 1);
			if (has(m, F_AUTH))
				p->shows_auth = 1;
		}
	} else {
		if (!p->start.re || !p->header.re)
			return err_msg("'%s': a message profile needs 'start = REGEX' and "
				       "'header = REGEX'", o);
		if (!has(&p->start, F_STATUS) && !has(&p->start, F_METHOD))
			return err_msg("'%s': 'start' needs a (?<status>...) or (?<method>...) group", o);
		if (!has(&p->header, F_CALLID))
			return err_msg("'%s': 'header' needs a (?<callid>...) group", o);
		if (has(&p->header, F_AUTH))
			p->shows_auth = 1;
	}
	return 0;
}

static int prefilter_unescape(struct profile *p, const char *v, size_t n)
{
	/* Only "\t" and "\\" are special, so a literal can hold a tab or end in a space
	 * (which the value trimming would otherwise eat: write "siplog:\x20" as "siplog: "
	 * by quoting the value in double quotes). */
	struct buf b = {0};

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n && v[i + 1] == 't') {
			buf_addc(&b, '\t');
			i++;
		} else if (v[i] == '\\' && i + 1 < n && v[i + 1] == '\\') {
			buf_addc(&b, '\\');
			i++;
		} else {
			buf_addc(&b, v[i]);
		}
	}
	if (b.len == 0) {
		buf_free(&b);
		return 0;
	}
	p->prefilter = buf_cstr(&b);
	p->prefilter_len = b.len;
	return 0;
}

/* gives = WORD...: what the format can show (report.h GIVES_*); "all" is every one */
static int gives_parse(struct profile *p, const char *v, size_t n, const char *origin,
		       int lineno)
{
	static const struct { const char *word; unsigned bit; } words[] = {
		{ "requests", GIVES_REQUESTS }, { "provisional", GIVES_PROVISIONAL },
		{ "challenges", GIVES_CHALLENGES }, { "finals", GIVES_FINALS }, { "all", GIVES_ALL },
		{ "auth", GIVES_AUTH },
	};
	unsigned gives = 0;

	for (size_t i = 0; i < n;) {
		size_t k = i, w;
		while (k < n && v[k] != ' ' && v[k] != '\t' && v[k] != ',')
			k++;
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (strlen(words[w].word) == k - i && memcmp(words[w].word, v + i, k - i) == 0)
				break;
		if (k > i && w == sizeof(words) / sizeof(words[0]))
			return err_msg("'%s' line %d: gives: unknown '%.*s' (expected requests, "
				       "provisional, challenges, finals, auth or all)", origin, lineno,
				       (int)(k - i), v + i);
		if (k > i)
			gives |= words[w].bit;
		i = k + 1;
	}
	if (!(gives & (GIVES_FINALS | GIVES_AUTH)))
		return err_msg("'%s' line %d: gives: a format gives at least 'finals' or 'auth'",
			       origin, lineno);
	p->gives = gives;
	return 0;
}

struct profile *profile_parse(const char *text, size_t len, const char *origin)
{
	struct profile *p = xcalloc(1, sizeof(*p));
	const char *s = text, *end = text + len;
	int lineno = 0;

	p->origin = xstrndup(origin, strlen(origin));
	p->kind = RECORD_LINE;
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *le = nl ? nl : end;
		const char *k = s, *ke, *v, *ve;

		lineno++;
		s = nl ? nl + 1 : end;
		while (k < le && (*k == ' ' || *k == '\t'))
			k++;
		ve = le;
		while (ve > k && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		if (k == ve || *k == '#')
			continue;
		const char *eq = memchr(k, '=', (size_t)(ve - k));
		if (!eq) {
			err_msg("'%s' line %d: expected 'key = value' (keys: name record gives "
				"prefilter match start header context)", origin, lineno);
			goto fail;
		}
		ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		v = eq + 1;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		size_t kn = (size_t)(ke - k), vn = (size_t)(ve - v);
#define KEY(lit) (kn == sizeof(lit) - 1 && memcmp(k, lit, kn) == 0)
		if (KEY("name")) {
			free(p->name);
			p->name = xstrndup(v, vn);
		} else if (KEY("record")) {
			p->transaction = 0;
			if (vn == 4 && memcmp(v, "line", 4) == 0) {
				p->kind = RECORD_LINE;
			} else if (vn == 7 && memcmp(v, "message", 7) == 0) {
				p->kind = RECORD_MESSAGE;
			} else if (vn == 11 && memcmp(v, "transaction", 11) == 0) {
				p->kind = RECORD_LINE;
				p->transaction = 1;
			} else {
				err_msg("'%s' line %d: record: expected 'line', 'message' or "
					"'transaction'", origin, lineno);
				goto fail;
			}
		} else if (KEY("gives")) {
			if (gives_parse(p, v, vn, origin, lineno) < 0)
				goto fail;
		} else if (KEY("prefilter")) {
			free(p->prefilter);
			p->prefilter = NULL;
			if (prefilter_unescape(p, v, vn) < 0)
				goto fail;
		} else if (KEY("match")) {
			if (p->nmatch == PROFILE_MAX_MATCH) {
				err_msg("'%s' line %d: at most %d 'match' lines", origin, lineno,
					PROFILE_MAX_MATCH);
				goto fail;
			}
			if (pattern_compile(&p->match[p->nmatch++], v, vn, origin, lineno, "match") < 0)
				goto fail;
		} else if (KEY("start") || KEY("header") || KEY("context")) {
			struct pattern *pt = KEY("start") ? &p->start : KEY("header") ? &p->header
										 : &p->context;
			pattern_release(pt);
			if (pattern_compile(pt, v, vn, origin, lineno, k[0] == 's' ? "start" :
					    k[0] == 'h' ? "header" : "context") < 0)
				goto fail;
		} else {
			err_msg("'%s' line %d: unknown key '%.*s' (keys: name record gives prefilter "
				"match start header context)", origin, lineno, (int)kn, k);
			goto fail;
		}
#undef KEY
	}
	if (!p->gives)
		p->gives = p->transaction ? GIVES_FINALS : GIVES_ALL;
	if (profile_check(p) < 0)
		goto fail;
	return p;
fail:
	profile_free(p);
	return NULL;
}

struct profile *profile_builtin(const char *name)
{
	const char *text = NULL;

	if (strcmp(name, "sip") == 0)
		text = builtin_sip;
	else if (strcmp(name, "kamailio") == 0)
		text = builtin_kamailio;
	else if (strcmp(name, "acc") == 0)
		text = builtin_acc;
	else if (strcmp(name, "asterisk-security") == 0)
		text = builtin_asterisk_security;
	else if (strcmp(name, "asterisk-auth") == 0)
		text = builtin_asterisk_auth;
	if (!text) {
		err_msg("unknown log format '%s' (built-in: auto, sip, kamailio, acc, asterisk-security, "
			"asterisk-auth; or a profile file path)",
			name);
		return NULL;
	}
	struct profile *p = profile_parse(text, strlen(text), "built-in");
	if (p) {
		free(p->origin);
		p->origin = xstrndup("built-in", 8);
	}
	/* the two formats with hand-written matchers (src/scan_fast.c); each pattern keeps its
	 * matcher only while its text is the one the matcher was written for */
	if (p && (strcmp(name, "sip") == 0 || strcmp(name, "kamailio") == 0)) {
		p->start.fast = scan_fast_kind(p->start.source);
		p->header.fast = scan_fast_kind(p->header.source);
		p->context.fast = scan_fast_kind(p->context.source);
		for (int i = 0; i < p->nmatch; i++)
			p->match[i].fast = scan_fast_kind(p->match[i].source);
	}
	return p;
}

struct profile *profile_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char tmp[4096];
	size_t n;

	if (!f) {
		err_errno("cannot open profile '%s'", path);
		return NULL;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		buf_add(&b, tmp, n);
		if (b.len > (1u << 20)) {
			fclose(f);
			buf_free(&b);
			err_msg("'%s': profile larger than 1 MiB; is this really a profile file?", path);
			return NULL;
		}
	}
	if (ferror(f)) {
		err_errno("cannot read profile '%s'", path);
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	struct profile *p = profile_parse(b.p ? b.p : "", b.len, path);
	buf_free(&b);
	return p;
}
