/*
 * product.c - the SIP server a log without SIP records comes from, by its own line prefixes
 * (see product.h), and what to switch on in it.
 *
 * A line is read from its start: an Asterisk "[stamp] LEVEL[pid]" or FreeSWITCH "date time
 * [LEVEL] file.c:" prefix, else the tokens up to the first one that ends in ':' (the syslog
 * tag, or Kamailio's and OpenSIPS's level): a tag names its program, a level is recognised by
 * the layout that follows it. Whatever comes after that first ':' token is the message, which
 * anyone who can send a packet may have written, and is not looked at.
 */
#include "product.h"
#include "util.h"

#include <string.h>

static const char *const names[PRODUCT_COUNT] = {
	[PRODUCT_KAMAILIO] = "Kamailio", [PRODUCT_OPENSIPS] = "OpenSIPS",
	[PRODUCT_ASTERISK] = "Asterisk", [PRODUCT_FREESWITCH] = "FreeSWITCH",
};

/* Short: the note that holds one is cut at 800 bytes in the text and HTML reports */
static const char *const advice[PRODUCT_COUNT] = {
	[PRODUCT_KAMAILIO] =
		"Kamailio logs no SIP by default: load the sipdump module "
		"(modparam(\"sipdump\", \"enable\", 1)), or add our xlog snippet "
		"samples/kamailio-xlog.cfg, or log transactions with acc (README.md: "
		"Make your proxy log SIP)",
	[PRODUCT_OPENSIPS] =
		"OpenSIPS logs no SIP by default: log xlog lines in the layout of "
		"samples/kamailio-xlog.cfg ($proto for $pr), or send the messages to a HEP server "
		"with siptrace and proto_hep (README.md: Make your proxy log SIP)",
	[PRODUCT_ASTERISK] =
		"Asterisk logs no SIP by default: run 'pjsip set logger on' (chan_sip: 'sip set "
		"debug on') and keep verbose lines, e.g. logger.conf 'full => notice,warning,error,"
		"verbose,debug', then 'logger reload' (README.md: Make your proxy log SIP)",
	[PRODUCT_FREESWITCH] =
		"FreeSWITCH logs no SIP by default: run 'sofia global siptrace on' in fs_cli, or "
		"set <param name=\"sip-trace\" value=\"yes\"/> in the SIP profile (README.md: Make "
		"your proxy log SIP)",
};

const char *product_name(enum product p)
{
	return p > PRODUCT_UNKNOWN && p < PRODUCT_COUNT ? names[p] : NULL;
}

const char *product_advice(enum product p)
{
	return p > PRODUCT_UNKNOWN && p < PRODUCT_COUNT ? advice[p] : NULL;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_word(char c)
{
	return is_upper(c) || is_digit(c) || (c >= 'a' && c <= 'z') || c == '_' || c == '-';
}

/* The length of the run of characters at p (before e) for which ok() holds. */
static size_t run_of(const char *p, const char *e, int (*ok)(char))
{
	const char *q = p;

	while (q < e && ok(*q))
		q++;
	return (size_t)(q - p);
}

static int starts(const char *p, const char *e, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(e - p) >= n && memcmp(p, s, n) == 0;
}

/* Is p[0..n) one of the words of the NULL-ended list? */
static int one_of(const char *p, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && memcmp(p, *list, n) == 0)
			return 1;
	return 0;
}

/* Step *q over n digits, or over the text s; 0 (and *q unmoved) when they are not there. */
static int take_digits(const char **q, const char *e, size_t n)
{
	if (run_of(*q, e, is_digit) < n)
		return 0;
	*q += n;
	return 1;
}

static int take(const char **q, const char *e, const char *s)
{
	if (!starts(*q, e, s))
		return 0;
	*q += strlen(s);
	return 1;
}

/* "[Nov 24 13:00:01] VERBOSE[1234][C-00000001] pbx.c: ..." (logger.conf's log files; the
 * stamp follows dateformat), or a verbose line as the console shows it: "    -- Executing [". */
static int asterisk_line(const char *p, const char *e)
{
	static const char *const levels[] = { "VERBOSE", "NOTICE", "WARNING", "ERROR", "DEBUG",
					      "DTMF", "SECURITY", "FAX", NULL };

	if (p < e && *p == '[') {
		const char *q = memchr(p, ']', (size_t)(e - p) < 48 ? (size_t)(e - p) : 48);
		if (!q)
			return 0;
		q++;
		if (!take(&q, e, " "))
			return 0;
		size_t n = run_of(q, e, is_upper);
		if (!one_of(q, n, levels))
			return 0;
		q += n;
		if (!take(&q, e, "[") || !(n = run_of(q, e, is_digit)))
			return 0;
		q += n;
		if (!take(&q, e, "]"))
			return 0;
		if (take(&q, e, "[C-")) {	/* the call's id */
			q += run_of(q, e, is_hex);
			if (!take(&q, e, "]"))
				return 0;
		}
		take(&q, e, ":");
		return take(&q, e, " ");
	}
	p += run_of(p, e, is_blank);
	return starts(p, e, "-- Executing [") || starts(p, e, "== Spawn extension (");
}

/* "[<uuid> ]2026-11-24 13:00:01.123456[ 97.50%] [NOTICE] switch_core.c:2500 ..." */
static int freeswitch_line(const char *p, const char *e)
{
	static const char *const levels[] = { "DEBUG", "INFO", "NOTICE", "WARNING", "ERR",
					      "CRIT", "ALERT", "CONSOLE", NULL };
	const char *q = p;

	if (run_of(q, e, is_word) == 36 && q + 36 < e && q[8] == '-' && q[36] == ' ')
		q += 37;	/* the call's uuid */
	if (!take_digits(&q, e, 4) || !take(&q, e, "-") || !take_digits(&q, e, 2) ||
	    !take(&q, e, "-") || !take_digits(&q, e, 2) || !take(&q, e, " ") ||
	    !take_digits(&q, e, 2) || !take(&q, e, ":") || !take_digits(&q, e, 2) ||
	    !take(&q, e, ":") || !take_digits(&q, e, 2) || !take(&q, e, "."))
		return 0;
	q += run_of(q, e, is_digit);
	if (!take(&q, e, " "))
		return 0;
	if (q < e && is_digit(*q)) {	/* the CPU idle time: "97.50% " */
		q += run_of(q, e, is_digit);
		if (!take(&q, e, ".") || !take_digits(&q, e, 1))
			return 0;
		q += run_of(q, e, is_digit);
		if (!take(&q, e, "% "))
			return 0;
	}
	if (!take(&q, e, "["))
		return 0;
	size_t n = run_of(q, e, is_upper);
	if (!one_of(q, n, levels))
		return 0;
	q += n;
	if (!take(&q, e, "] "))
		return 0;
	n = run_of(q, e, is_word);	/* the source file: switch_core.c:2500 */
	q += n;
	return n && take(&q, e, ".c:") && q < e && is_digit(*q);
}

/* A level as Kamailio and OpenSIPS write it: an upper-case word, 3 to 9 letters. */
static size_t level(const char *p, const char *e)
{
	size_t n = run_of(p, e, is_upper);

	return n >= 3 && n <= 9 ? n : 0;
}

/* The layout after the level decides: "INFO: <core> [core/main.c:3055]: ...", "NOTICE:
 * <script>: ...", "INFO: rr [rr_mod.c:188]: ..." is Kamailio's, "INFO:core:main: ..." (level,
 * module, function) OpenSIPS's. */
static enum product body(const char *p, const char *e)
{
	size_t n = level(p, e);
	const char *q = p + n;

	if (!n || !take(&q, e, ":"))
		return PRODUCT_UNKNOWN;
	if (take(&q, e, " ")) {
		if (take(&q, e, "<")) {
			n = run_of(q, e, is_word);
			q += n;
			return n && take(&q, e, ">") ? PRODUCT_KAMAILIO : PRODUCT_UNKNOWN;
		}
		n = run_of(q, e, is_word);
		q += n;
		return n && take(&q, e, " [") ? PRODUCT_KAMAILIO : PRODUCT_UNKNOWN;
	}
	for (int i = 0; i < 2; i++) {	/* module:function: */
		n = run_of(q, e, is_word);
		q += n;
		if (!n || !take(&q, e, ":"))
			return PRODUCT_UNKNOWN;
	}
	return q == e || *q == ' ' ? PRODUCT_OPENSIPS : PRODUCT_UNKNOWN;
}

/* A syslog tag "/usr/sbin/opensips[2201]:" or "kamailio:" names its program. */
static enum product tag(const char *t, const char *te)
{
	static const struct { const char *name; enum product p; } progs[] = {
		{ "kamailio", PRODUCT_KAMAILIO }, { "opensips", PRODUCT_OPENSIPS },
		{ "asterisk", PRODUCT_ASTERISK }, { "freeswitch", PRODUCT_FREESWITCH },
	};
	const char *end = te - 1;	/* the ':' */

	if (end > t && end[-1] == ']') {	/* "[pid]": digits only */
		const char *close = end - 1, *open = memchr(t, '[', (size_t)(close - t));
		size_t digits = open ? run_of(open + 1, close, is_digit) : 0;
		if (!digits || open + 1 + digits != close)
			return PRODUCT_UNKNOWN;
		end = open;
	}
	for (const char *s = t; s < end; s++)
		if (*s == '/')
			t = s + 1;
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		if ((size_t)(end - t) == strlen(progs[i].name) &&
		    memcmp(t, progs[i].name, (size_t)(end - t)) == 0)
			return progs[i].p;
	return PRODUCT_UNKNOWN;
}

static enum product classify(const char *p, const char *e)
{
	if (asterisk_line(p, e))
		return PRODUCT_ASTERISK;
	if (freeswitch_line(p, e))
		return PRODUCT_FREESWITCH;
	/* the tokens up to the first that ends in ':' (a stamp's "13:00:01" does not) */
	for (int i = 0; i < 8 && p < e; i++) {
		p += run_of(p, e, is_blank);
		const char *t = p;
		while (p < e && !is_blank(*p))
			p++;
		if (p == t || p[-1] != ':')
			continue;
		enum product k = body(t, e);
		if (k != PRODUCT_UNKNOWN)
			return k;
		k = tag(t, p);
		if (k != PRODUCT_UNKNOWN)
			return k;
		/* another program's tag: its message may still be Kamailio's or OpenSIPS's (a
		 * log_name of the operator's choice), by the layout after it */
		p += run_of(p, e, is_blank);
		const char *m = p;
		while (p < e && !is_blank(*p))
			p++;
		return p > m && p[-1] == ':' ? body(m, e) : PRODUCT_UNKNOWN;
	}
	return PRODUCT_UNKNOWN;
}

void product_guess(const char *sample, size_t len, struct product_guess *out)
{
	uint64_t votes[PRODUCT_COUNT] = {0};

	memset(out, 0, sizeof(*out));
	if (!sample)
		return;
	const char *p = sample, *end = sample + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		while (e > p && (e[-1] == '\r' || is_blank(e[-1])))
			e--;
		if (run_of(p, e, is_blank) < (size_t)(e - p)) {
			out->lines++;
			votes[classify(p, e)]++;
		}
		p = nl ? nl + 1 : end;
	}
	enum product best = PRODUCT_KAMAILIO;
	for (int k = PRODUCT_KAMAILIO + 1; k < PRODUCT_COUNT; k++)
		if (votes[k] > votes[best])
			best = (enum product)k;
	if (votes[best] * 2 > out->lines) {	/* more than half: ties and few lines never */
		out->product = best;
		out->votes = votes[best];
	}
}
