/*
 * scan_fast.h - hand-written matchers that stand in for some of the built-in PCRE2 patterns.
 *
 * Where in the flow: src/scan.c calls PCRE2 through one function, match(); for a pattern that
 * has a fast matcher (struct pattern's `fast`, set by profile_builtin() only) it asks
 * fast_match() first. The answer is either exactly what pcre2_match() would return for the
 * same subject and start offset - the return code and the ovector, group by group - or
 * FAST_UNSURE, and then the scanner calls PCRE2 as before. So PCRE2 stays the reference: the
 * fast matchers only answer the shapes they decide with certainty (see scan_fast.c), and a
 * differential test (tests/unit/test_scan_diff.c, tests/fuzz/fuzz_diff.c) feeds the same bytes
 * to both and fails on any difference in the events.
 */
#ifndef SIPLOGSCAN_SCAN_FAST_H
#define SIPLOGSCAN_SCAN_FAST_H

#include "event.h"
#include "profile.h"

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__) && defined(__x86_64__)
#include <emmintrin.h>
#define SCAN_SSE2 1
#endif

enum fast_kind {
	FAST_NONE = 0,
	FAST_SIP_START,		/* "sip" start: request or status line */
	FAST_SIP_HEADER,	/* "sip" header: Call-ID, CSeq, Authorization, User-Agent */
	FAST_SIP_CONTEXT,	/* "sip" context: Kamailio sipdump's time: and srcip: lines */
	FAST_XLOG,		/* "kamailio" match: one siplog: line */
};

#define FAST_UNSURE (-1000)	/* no answer: ask PCRE2 */

/*
 * The fast matcher written for exactly this pattern text, or FAST_NONE. The text is compared
 * by hash with the one each matcher was derived from, so that a changed pattern (a layout
 * added to `context`, say) silently goes back to PCRE2 rather than to a matcher that no
 * longer agrees with it. Also FAST_NONE when PCRE2 was built with a newline other than LF
 * (^ and $ would mean something else).
 */
enum fast_kind scan_fast_kind(const char *source);
/* The hash scan_fast_kind() compares (FNV-1a, 64 bits), for the tests to print. */
uint64_t scan_fast_hash(const char *source);

/*
 * pcre2_match(pt->re, subj, len, start, 0, ...) by hand: > 0 with ov[] (ovpairs pairs) filled
 * as PCRE2 fills it, PCRE2_ERROR_NOMATCH, or FAST_UNSURE.
 */
int fast_match(const struct pattern *pt, const char *subj, size_t len, size_t start,
	       PCRE2_SIZE *ov, uint32_t ovpairs);

/*
 * The same matchers over a whole "sip" header block or context at once, for the scanner's
 * loops that would call pcre2_match() line after line (headers_of(), context_of() in
 * src/scan.c): fn() gets, in order, each line the pattern matches with the fields it
 * captures - what those loops would read from the groups. Returns 0 when it cannot answer
 * the whole span (fn may have had the lines before the one it could not answer: the caller
 * resets what fn set), and the caller loops over match() as before.
 */
enum fast_field { FF_NONE = 0, FF_CALLID, FF_UA, FF_AUTH, FF_CSEQ, FF_TS, FF_SRC, FF_FROM, FF_TO,
		  FF_UNSURE };

struct fast_line {
	enum fast_field kind;
	size_t a, b;	/* the value (the header name for FF_AUTH, the number for FF_CSEQ) */
	size_t c, d;	/* FF_CSEQ: the method */
};

typedef void (*fast_line_fn)(void *ctx, const struct fast_line *f);
int fast_header_lines(const struct pattern *pt, const char *h, size_t n, fast_line_fn fn,
		      void *ctx);
int fast_context_lines(const struct pattern *pt, const char *c, size_t n, fast_line_fn fn,
		       void *ctx);

/*
 * One line h[p..e) of a "sip" header block (no '\n' in it), as fast_header_lines() reads each
 * of its lines: FF_NONE, a field in *out, or FF_UNSURE (then the whole block goes to PCRE2).
 * src/scan.c's message_extent() takes the fields while it walks the header lines anyway, so
 * that they are not walked a second time; a block longer than FAST_MAX_SPAN is PCRE2's, as
 * fast_header_lines() leaves it.
 */
#define FAST_MAX_SPAN 4096
enum fast_field fast_header_line(const char *h, size_t p, size_t e, struct fast_line *out);

/* Can fast_header_line() give other than FF_NONE for the line l[0..n) that starts with a
 * letter? By its first two bytes: Call-ID, CSeq, i, User-Agent, Proxy-Authorization,
 * Authorization, From, f, To, t; most other header lines - Via, Contact, Content-Length,
 * Allow - are answered here without the call. */
static inline int fast_header_first(const char *l, size_t n)
{
	char c = (char)(l[0] | 0x20), d = n > 1 ? (char)(l[1] | 0x20) : 0;

	switch (c) {
	case 'c': return d == 'a' || d == 's';
	case 'i': return n == 1 || l[1] == ':' || l[1] == ' ' || l[1] == '\t';
	case 'u': return d == 's';
	case 'p': return d == 'r';
	case 'a': return d == 'u';
	case 'f': return d == 'r' || n == 1 || l[1] == ':' || l[1] == ' ' || l[1] == '\t';
	case 't': return d == 'o' || n == 1 || l[1] == ':' || l[1] == ' ' || l[1] == '\t';
	default: return 0;
	}
}

/*
 * A "kamailio" siplog: line l[0..n) by its hand-written matcher: 1 with f[F_*] set to the
 * fields its groups capture ({NULL, 0} for those that took no part, as src/scan.c's group()
 * reads them), or 0 when the matcher does not answer (then match() and PCRE2). siplog: the
 * offset of the line's first "siplog: " when the caller's prefilter found it (no second
 * search), else SIZE_MAX.
 */
int fast_line_fields(const struct pattern *pt, const char *l, size_t n, size_t siplog,
		     struct str *f);

/*
 * The byte scans under every record: the first occurrence of needle[0..k) in h[0..n) (NULL
 * if none; memmem()'s contract), and the number of '\n' bytes in b[0..n). Sixteen bytes at a
 * time with SSE2 where the compiler targets it, a portable loop elsewhere; neither reads
 * outside the range given.
 */
const char *scan_find(const char *h, size_t n, const char *needle, size_t k);
uint64_t scan_count_nl(const char *b, size_t n);

/* A literal searched through a whole input (a scanner's prefilter): scan_find()'s answer,
 * with the two bytes compared first chosen once, for their rarity in log text, rather than
 * the first and the last ("siplog: " by 'p' and ':', not by 's' and a blank seven bytes on,
 * which most syslog lines hold). */
struct scan_lit {
	const char *nd;
	size_t k;
	size_t a, b;	/* the needle bytes compared first, a < b (a == b when k == 1) */
};
void scan_lit_init(struct scan_lit *l, const char *needle, size_t k);
const char *scan_lit_find(const struct scan_lit *l, const char *h, size_t n);

/*
 * RFC 3261 25.1 token bytes: alphanumerics and -.!%*_+`'~. scan_token_end(l, t, n): the end
 * of the run of them in l[t..n) - a header name, read for every header line of every message,
 * so with SSE2 16 bytes at once (a compare loop per byte ended in a mispredicted branch per
 * line). Never reads outside l[0..n).
 */
static inline int scan_is_token(char c)
{
	static const uint64_t set[2] = { 0x03ff6ca200000000ULL, 0x47ffffff87fffffeULL };
	unsigned char u = (unsigned char)c;

	return u < 128 && (set[u >> 6] >> (u & 63)) & 1;
}

static inline size_t scan_token_end(const char *l, size_t t, size_t n)
{
#ifdef SCAN_SSE2
	/* v in [lo, lo + span] (bytes, unsigned): min(v - lo, span) == v - lo */
#define TOKEN_IN(v, lo, span) _mm_cmpeq_epi8(_mm_min_epu8(_mm_sub_epi8(v, _mm_set1_epi8(lo)), \
	_mm_set1_epi8(span)), _mm_sub_epi8(v, _mm_set1_epi8(lo)))
	for (; n - t >= 16; t += 16) {
		__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(l + t));
		__m128i lc = _mm_or_si128(c, _mm_set1_epi8(0x20));	/* A-Z to a-z */
		__m128i r = _mm_or_si128(TOKEN_IN(lc, 'a', 25), TOKEN_IN(c, '0', 9));
		r = _mm_or_si128(r, _mm_or_si128(TOKEN_IN(c, '*', 1), TOKEN_IN(c, '-', 1)));
		r = _mm_or_si128(r, _mm_or_si128(TOKEN_IN(c, '_', 1),
						 _mm_cmpeq_epi8(c, _mm_set1_epi8('!'))));
		r = _mm_or_si128(r, _mm_or_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8('%')),
						 _mm_cmpeq_epi8(c, _mm_set1_epi8('\''))));
		r = _mm_or_si128(r, _mm_cmpeq_epi8(c, _mm_set1_epi8('~')));
		unsigned m = (unsigned)_mm_movemask_epi8(r);
		if (m != 0xffff)
			return t + (unsigned)__builtin_ctz(~m);
	}
#undef TOKEN_IN
#endif
	while (t < n && scan_is_token(l[t]))
		t++;
	return t;
}

#endif
