/*
 * scan_fast.c - the built-in "sip" and "kamailio" patterns matched by hand, PCRE2 as reference.
 *
 * Where in the flow: src/scan.c's match() asks fast_match() before pcre2_match() for a pattern
 * whose `fast` kind is set (profile_builtin() sets it, and only when the pattern text is the
 * one the matcher below was derived from: scan_fast_kind()). Profile files and inferred
 * layouts never come here.
 *
 * What it guarantees: an answer other than FAST_UNSURE is the one pcre2_match() gives for the
 * same call - the return code, ov[0..1], every group (unset ones PCRE2_UNSET up to the return
 * code). Each matcher follows its pattern's backtracking order and answers only where that
 * order leaves one outcome; anything else (a CR inside a line, a shape it does not know, a
 * second " src=" that decides where a Call-ID ends) is FAST_UNSURE, and PCRE2 runs.
 *
 * Match limits (SCAN_MATCH_LIMIT): a record that makes PCRE2 stop at a limit is counted, and
 * what PCRE2 found up to there is all it finds. The matchers answer only where PCRE2 certainly
 * stays under the limit; the rest goes to PCRE2, which counts what it counts. Measured
 * (pcre2_match() with the limit searched by bisection, PCRE2 10.42 JIT): a lazy value costs
 * about 3 units a byte, 6 when the line then fails (a CR inside it), and a run of r blanks
 * inside a lazy value r*r (the tail's [ \t]* tries the run from each byte): a 440-blank run
 * alone reaches the limit of 200000. So a matcher answers only over spans of FAST_MAX_SPAN
 * bytes, with no run of FAST_MAX_BLANKS blanks in a lazy value, and never a lazy value that
 * fails on an inner CR: the worst such line, 4096 bytes of "x" and 15 blanks over and over,
 * costs 73000-81000 units (a User-Agent, a status line's reason, a siplog: ua= or reason=),
 * and the lines a search steps over cost about 1 each. tests/unit/test_scan_diff.c holds
 * these cases and the ones just past the rules, where PCRE2 stops.
 *
 * Also here, as they share the SSE2 code: the byte scans under every record (scan_find(),
 * scan_lit_find() for a scanner's literal by its rarest bytes, scan_count_nl(), and in
 * scan_fast.h the header name's token run), each with a portable loop where SSE2 is not
 * there; the last bytes of a range are one 16-byte step ending at its end, not a byte loop.
 */
#include "scan_fast.h"
#include "scan.h"

#include <stdint.h>
#include <string.h>

/* The longest subject span the header and context matchers decide, the longest line the start
 * and siplog: matchers decide, the shortest run of blanks that sends a span to PCRE2 (see
 * "Match limits" above; FAST_MAX_SPAN is in scan_fast.h). */
#define FAST_MAX_LINE 4096
#define FAST_MAX_BLANKS 16

/*
 * FNV-1a hashes of the pattern texts in src/profile.c that the matchers were written for.
 * When a pattern changes, its hash no longer matches and the scanner uses PCRE2 for it (the
 * report stays right, the scan gets slower): re-read the pattern against its matcher below,
 * then put the new hash here (tests/unit/test_scan_diff.c prints it).
 */
#define HASH_SIP_START   0xfe040ef8f77a9137ULL
#define HASH_SIP_HEADER  0x0eb7b52e614d8a07ULL
#define HASH_SIP_CONTEXT 0x8075b3175366d817ULL
#define HASH_XLOG        0x7094e171da2b4476ULL

uint64_t scan_fast_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

enum fast_kind scan_fast_kind(const char *source)
{
	uint32_t nl = 0;
	uint64_t h;

	if (!source || pcre2_config(PCRE2_CONFIG_NEWLINE, &nl) < 0 || nl != PCRE2_NEWLINE_LF)
		return FAST_NONE;
	h = scan_fast_hash(source);
	if (h == HASH_SIP_START)
		return FAST_SIP_START;
	if (h == HASH_SIP_HEADER)
		return FAST_SIP_HEADER;
	if (h == HASH_SIP_CONTEXT)
		return FAST_SIP_CONTEXT;
	if (h == HASH_XLOG)
		return FAST_XLOG;
	return FAST_NONE;
}

/* a[0..k) == b[0..k) for the few bytes of a needle: a loop costs less than a call */
static inline int same(const char *a, const char *b, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/*
 * The literal search: where the needle's first and last bytes both occur at the right
 * distance (two compares of 16 bytes each), the middle is compared; in log text such pairs
 * are rare, so most 16-byte steps end after the two compares. glibc's memmem() is a
 * two-way search that looks at every byte with a branch.
 */
static inline const char *find_pair(const char *h, size_t n, const char *nd, size_t k,
				    size_t a, size_t b)
{
	size_t i = 0;

	if (k == 0)
		return h;
	if (n < k)
		return NULL;
	if (k == 1)
		return memchr(h, nd[0], n);
#ifdef SCAN_SSE2
	const __m128i first = _mm_set1_epi8(nd[a]), last = _mm_set1_epi8(nd[b]);
	for (; i + k - 1 + 16 <= n; i += 16) {
		__m128i bf = _mm_loadu_si128((const __m128i *)(const void *)(h + i + a));
		__m128i bl = _mm_loadu_si128((const __m128i *)(const void *)(h + i + b));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(bf, first),
									   _mm_cmpeq_epi8(bl, last)));
		while (mask) {
			unsigned bit = (unsigned)__builtin_ctz(mask);
			if (same(h + i + bit, nd, k))
				return h + i + bit;
			mask &= mask - 1;
		}
	}
	if (i + k <= n && n >= k - 1 + 16) {
		/* the last starts, fewer than 16: one more step that ends at the end of h, the
		 * starts before i (already tried) masked off - not a memchr() per first byte */
		size_t j = n - (k - 1) - 16;
		__m128i bf = _mm_loadu_si128((const __m128i *)(const void *)(h + j + a));
		__m128i bl = _mm_loadu_si128((const __m128i *)(const void *)(h + j + b));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(bf, first),
									   _mm_cmpeq_epi8(bl, last)));
		mask &= ~0u << (i - j);
		while (mask) {
			unsigned bit = (unsigned)__builtin_ctz(mask);
			if (same(h + j + bit, nd, k))
				return h + j + bit;
			mask &= mask - 1;
		}
		return NULL;
	}
#else
	(void)a;
	(void)b;
#endif
	for (; i + k <= n; i++) {
		const char *c = memchr(h + i, nd[0], n - k + 1 - i);
		if (!c)
			return NULL;
		i = (size_t)(c - h);
		if (same(c + 1, nd + 1, k - 1))
			return c;
	}
	return NULL;
}

const char *scan_find(const char *h, size_t n, const char *nd, size_t k)
{
	return find_pair(h, n, nd, k, 0, k ? k - 1 : 0);
}

/* How rare a byte is in log text: punctuation but the blank is rare, then upper-case letters,
 * then lower-case ones by English letter frequency, then digits; a blank is the commonest. */
static int rarity(unsigned char c)
{
	/* a-z: e is the commonest (2), z the rarest (27) */
	static const unsigned char lower[26] = { 4, 21, 13, 11, 2, 17, 18, 9, 6, 24, 23, 12, 15,
						 7, 5, 20, 26, 10, 8, 3, 14, 22, 16, 25, 19, 27 };

	if (c == ' ' || c == '\t')
		return 0;
	if (c >= '0' && c <= '9')
		return 1;
	if (c >= 'a' && c <= 'z')
		return lower[c - 'a'];
	if (c >= 'A' && c <= 'Z')
		return 40;
	return 50;
}

void scan_lit_init(struct scan_lit *l, const char *nd, size_t k)
{
	size_t a = 0, b = 0;

	for (size_t j = 1; j < k; j++)	/* the rarest byte, then the rarest of the others */
		if (rarity((unsigned char)nd[j]) > rarity((unsigned char)nd[a]))
			a = j;
	b = a == 0 && k > 1 ? 1 : 0;
	for (size_t j = 0; j < k; j++)
		if (j != a && rarity((unsigned char)nd[j]) > rarity((unsigned char)nd[b]))
			b = j;
	l->nd = nd;
	l->k = k;
	l->a = a < b ? a : b;
	l->b = a < b ? b : a;
}

const char *scan_lit_find(const struct scan_lit *l, const char *h, size_t n)
{
	return find_pair(h, n, l->nd, l->k, l->a, l->b);
}

/* Newlines: with SSE2 a compare per 16 bytes whose 0/-1 bytes are summed in 8-bit lanes (255
 * steps at most before they could wrap), then added up with one psadbw; elsewhere eight bytes
 * at a time in a 64-bit word. */
uint64_t scan_count_nl(const char *b, size_t n)
{
	uint64_t c = 0;
	size_t i = 0;

#ifdef SCAN_SSE2
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (n - i >= 16) {
		size_t steps = (n - i) / 16 > 255 ? 255 : (n - i) / 16;
		__m128i acc = zero;
		for (size_t k = 0; k < steps; k++, i += 16)
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(b + i)), nl));
		__m128i sum = _mm_sad_epu8(acc, zero);
		c += (uint64_t)_mm_cvtsi128_si64(sum) + (uint64_t)_mm_extract_epi16(sum, 4);
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, nlw = ones * '\n', low7 = ones * 0x7f;
	for (; n - i >= 8; i += 8) {
		uint64_t x;
		memcpy(&x, b + i, 8);
		x ^= nlw;	/* a newline byte is now zero */
		/* high bit set exactly in the zero bytes, with no carry between bytes */
		uint64_t z = ~(((x & low7) + low7) | x | low7);
		c += ((z >> 7) * ones) >> 56;	/* sum of the eight 0/1 bytes */
	}
#endif
	for (; i < n; i++)
		c += b[i] == '\n';
	return c;
}

static inline int blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline int digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline int upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static inline int alpha(char c)
{
	return upper(c) || lower(c);
}

/* [^ \t\r\n] */
static inline int nonspace(char c)
{
	return c != ' ' && c != '\t' && c != '\r' && c != '\n';
}

/* Case-insensitive (ASCII, as PCRE2's default tables) prefix test of a lower-case word. */
static inline int word_ci(const char *l, size_t n, const char *w, size_t wn)
{
	if (n < wn)
		return 0;
	for (size_t i = 0; i < wn; i++) {
		char c = l[i];
		if (upper(c))
			c = (char)(c | 0x20);
		if (c != w[i])
			return 0;
	}
	return 1;
}

static inline int word(const char *l, size_t n, const char *w, size_t wn)
{
	return n >= wn && memcmp(l, w, wn) == 0;
}

/* A captured group: its number in the pattern and its span. */
struct cap {
	int g;
	size_t a, b;
};

/* Fill the ovector as PCRE2 does for a match [m0, m1) with these groups; the return code is
 * one more than the highest group set. */
static int fill(PCRE2_SIZE *ov, uint32_t ovpairs, size_t m0, size_t m1, const struct cap *c,
		int nc)
{
	int top = 0;

	for (int i = 0; i < nc; i++)
		if (c[i].g > top)
			top = c[i].g;
	if ((uint32_t)top >= ovpairs)
		return FAST_UNSURE;
	ov[0] = m0;
	ov[1] = m1;
	for (int g = 1; g <= top; g++)
		ov[2 * g] = ov[2 * g + 1] = PCRE2_UNSET;
	for (int i = 0; i < nc; i++) {
		ov[2 * c[i].g] = c[i].a;
		ov[2 * c[i].g + 1] = c[i].b;
	}
	return top + 1;
}

/* The number of the first group named f (each of these patterns names it once, or in the
 * context pattern, first in the alternatives the matcher answers). */
static inline int gnum(const struct pattern *pt, enum field f)
{
	return pt->ngroups[f] ? pt->groups[f][0] : 0;
}

/*
 * Where a lazy value [^\r\n]*? that starts at v ends, when `[ \t]*\r?$` follows it and the
 * subject l[..e) holds no CR before its last byte: before the trailing blanks and CR.
 */
static inline size_t lazy_end(const char *l, size_t v, size_t e)
{
	if (e > v && l[e - 1] == '\r')
		e--;
	while (e > v && blank(l[e - 1]))
		e--;
	return e;
}

/* The first CR or LF in l[0..n), n if none: one pass for both. */
static size_t find_crlf(const char *l, size_t n)
{
	size_t i = 0;

#ifdef SCAN_SSE2
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	for (; n - i >= 16; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(l + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, cr),
								      _mm_cmpeq_epi8(b, lf)));
		if (m)
			return i + (unsigned)__builtin_ctz(m);
	}
	if (i < n && n >= 16) {
		/* the last bytes, fewer than 16: one step that ends at the end of l, the bytes
		 * before i (already looked at) masked off */
		size_t j = n - 16;
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(l + j));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, cr),
								      _mm_cmpeq_epi8(b, lf)));
		m &= ~0u << (i - j);
		return m ? j + (unsigned)__builtin_ctz(m) : n;
	}
#endif
	for (; i < n; i++)
		if (l[i] == '\r' || l[i] == '\n')
			return i;
	return n;
}

/* Does l[0..n) hold a run of FAST_MAX_BLANKS (16) or more blanks? With SSE2: a 16-byte chunk
 * of blanks, or the blanks ending one chunk and those starting the next adding up to 16 (a
 * shorter run inside one chunk is harmless). */
static int long_blanks(const char *l, size_t n)
{
	size_t i = 0, run = 0;

#ifdef SCAN_SSE2
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
	for (; n - i >= 16; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(l + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, sp),
								      _mm_cmpeq_epi8(b, tab)));
		if (m == 0xffff)
			return 1;
		/* blanks at the chunk's start join the run before it; those at its end start one */
		if (run + (unsigned)__builtin_ctz(~m) >= FAST_MAX_BLANKS)
			return 1;
		run = m ? (size_t)__builtin_clz(~(m << 16)) : 0;
	}
#endif
	for (; i < n; i++) {
		run = blank(l[i]) ? run + 1 : 0;
		if (run >= FAST_MAX_BLANKS)
			return 1;
	}
	return 0;
}

/*
 * Can PCRE2 be trusted to stay under its limit on the lazy value that starts at l[0] and runs
 * to the line's end at l[n]: no CR but as the last byte, no LF, no run of FAST_MAX_BLANKS
 * blanks? (inner_cr() and long_blanks() in one pass.)
 */
static int lazy_safe(const char *l, size_t n)
{
	size_t i = 0, run = 0;

#ifdef SCAN_SSE2
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	for (; n - i >= 16; i += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(l + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, sp),
								      _mm_cmpeq_epi8(b, tab)));
		unsigned e = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(b, cr),
								      _mm_cmpeq_epi8(b, lf)));
		if (m == 0xffff || run + (unsigned)__builtin_ctz(~m) >= FAST_MAX_BLANKS)
			return 0;
		if (e && !(i + 16 == n && e == 0x8000 && l[n - 1] == '\r'))
			return 0;
		run = m ? (size_t)__builtin_clz(~(m << 16)) : 0;
	}
#endif
	for (; i < n; i++) {
		run = blank(l[i]) ? run + 1 : 0;
		if (run >= FAST_MAX_BLANKS || l[i] == '\n' || (l[i] == '\r' && i != n - 1))
			return 0;
	}
	return 1;
}

/* Does l[from..e) hold a CR anywhere but as its last byte, or any LF? */
static inline int inner_cr(const char *l, size_t from, size_t e)
{
	if (from >= e)
		return 0;
	size_t k = from + find_crlf(l + from, e - from);
	return k < e && !(k == e - 1 && l[k] == '\r');
}

/* A run of [^ \t\r\n] from k (k <= n): 16 bytes a step, as an address or a URI is 20-40. */
static inline size_t run(const char *l, size_t k, size_t n)
{
#ifdef SCAN_SSE2
	const __m128i sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	for (; n - k >= 16; k += 16) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(l + k));
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, sp), _mm_cmpeq_epi8(b, tab)),
				     _mm_or_si128(_mm_cmpeq_epi8(b, cr), _mm_cmpeq_epi8(b, lf))));
		if (m)
			return k + (unsigned)__builtin_ctz(m);
	}
#endif
	while (k < n && nonspace(l[k]))
		k++;
	return k;
}

/*
 * "sip" start, on one line (no multiline mode: ^ is the subject's start):
 *   ^[ \t]*(?:(?<method>[A-Z][A-Za-z0-9_.!%*+`'~-]*) (?<ruri>[^ \t\r\n]+) SIP/2\.0
 *   |SIP/2\.0 (?<status>[1-6][0-9][0-9])(?:[ \t]+(?<reason>[^\r\n]*?))?)[ \t]*\r?$
 * The method and the URI are runs of classes that exclude what follows them, so neither can
 * give back a byte usefully: one outcome per alternative.
 */
static inline int method_char(char c)
{
	static const char extra[] = "_.!%*+`'~-";

	return alpha(c) || digit(c) || (c && memchr(extra, c, sizeof(extra) - 1));
}

static int sip_start(const struct pattern *pt, const char *l, size_t n, size_t start,
		     PCRE2_SIZE *ov, uint32_t ovpairs)
{
	size_t i = 0;

	if (start != 0 || n > FAST_MAX_LINE || memchr(l, '\n', n) || long_blanks(l, n))
		return FAST_UNSURE;
	while (i < n && blank(l[i]))
		i++;
	if (i < n && upper(l[i])) {
		size_t m = i + 1;
		while (m < n && method_char(l[m]))
			m++;
		if (m < n && l[m] == ' ') {
			size_t u = m + 1, ue = run(l, u, n);
			if (ue > u && n - ue >= 8 && memcmp(l + ue, " SIP/2.0", 8) == 0) {
				size_t t = ue + 8;
				while (t < n && blank(l[t]))
					t++;
				if (t < n && l[t] == '\r')
					t++;
				if (t == n) {
					struct cap c[2] = { { gnum(pt, F_METHOD), i, m },
							    { gnum(pt, F_RURI), u, ue } };
					return fill(ov, ovpairs, 0, n, c, 2);
				}
			}
		}
	}
	/* the status line */
	if (n - i < 11 || memcmp(l + i, "SIP/2.0 ", 8) != 0 || l[i + 8] < '1' || l[i + 8] > '6' ||
	    !digit(l[i + 9]) || !digit(l[i + 10]))
		return PCRE2_ERROR_NOMATCH;
	size_t r = i + 11;
	struct cap c[2] = { { gnum(pt, F_STATUS), i + 8, i + 11 }, { 0, 0, 0 } };
	if (r == n || (r + 1 == n && l[r] == '\r'))
		return fill(ov, ovpairs, 0, n, c, 1);
	if (!blank(l[r]))
		return PCRE2_ERROR_NOMATCH;
	if (inner_cr(l, r, n))
		return FAST_UNSURE;	/* the lazy reason fails: PCRE2's work grows with the line */
	while (r < n && blank(l[r]))
		r++;
	c[1].g = gnum(pt, F_REASON);
	c[1].a = r;
	c[1].b = lazy_end(l, r, n);
	return fill(ov, ovpairs, 0, n, c, c[1].g ? 2 : 1);
}

/* The first '\n' in h[p..n), n if none: inline, as the lines it steps over are short (a
 * memchr() call per header line costs more than the line's matching). */
static inline size_t next_nl(const char *h, size_t p, size_t n)
{
#ifdef SCAN_SSE2
	const __m128i lf = _mm_set1_epi8('\n');
	for (; n - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(h + p)), lf));
		if (m)
			return p + (unsigned)__builtin_ctz(m);
	}
#endif
	for (; p < n; p++)
		if (h[p] == '\n')
			return p;
	return n;
}

/* The first line start at or after off in a multiline subject of length n. */
static inline size_t line_start_at(const char *h, size_t n, size_t off)
{
	if (off == 0 || h[off - 1] == '\n')
		return off;
	size_t e = next_nl(h, off, n);
	return e < n ? e + 1 : n;
}

/*
 * "sip" header, multiline, case-insensitive, searched from start:
 *   (?mi)^[ \t]*(?:(?:call-id|i)[ \t]*:[ \t]*(?<callid>[^\r\n]*?)
 *   |cseq[ \t]*:[ \t]*(?<cseq>[0-9]{1,10})[ \t]+(?<cseq_method>[A-Za-z]+)
 *   |(?<auth>proxy-authorization|authorization)[ \t]*:[^\r\n]*?
 *   |user-agent[ \t]*:[ \t]*(?<ua>[^\r\n]*?)
 *   |(?:from|f)[ \t]*:[ \t]*(?<from>[^\r\n]*?)|(?:to|t)[ \t]*:[ \t]*(?<to>[^\r\n]*?))
 *   [ \t]*\r?$
 * A match starts at a line start and ends at that line's end; the alternatives begin with
 * different names, so a line matches one or none ("from" failing at its colon, "f" fails
 * at the 'r' that follows: the same for "to" and "t"). One line, h[p..e):
 */
static enum fast_field header_line(const char *h, size_t p, size_t e, struct fast_line *out)
{
	const char *l = h + p;
	size_t n = e - p, i = 0, k;
	enum fast_field lazy;

	while (i < n && blank(l[i]))
		i++;
	if (i == n)
		return FF_NONE;
	char f = l[i];
	if (upper(f))
		f = (char)(f | 0x20);
	if (f == 'c' && word_ci(l + i, n - i, "call-id", 7)) {
		k = i + 7;
		lazy = FF_CALLID;
	} else if (f == 'i') {
		k = i + 1;
		lazy = FF_CALLID;
	} else if (f == 'u' && word_ci(l + i, n - i, "user-agent", 10)) {
		k = i + 10;
		lazy = FF_UA;
	} else if (f == 'f') {
		k = i + (word_ci(l + i, n - i, "from", 4) ? 4 : 1);
		lazy = FF_FROM;
	} else if (f == 't') {
		k = i + (word_ci(l + i, n - i, "to", 2) ? 2 : 1);
		lazy = FF_TO;
	} else if ((f == 'p' && word_ci(l + i, n - i, "proxy-authorization", 19)) ||
		   (f == 'a' && word_ci(l + i, n - i, "authorization", 13))) {
		k = i + (f == 'p' ? 19 : 13);
		out->a = p + i;
		out->b = p + k;
		while (k < n && blank(l[k]))
			k++;
		if (k == n || l[k] != ':')
			return FF_NONE;
		if (!lazy_safe(l + k, n - k))
			return FF_UNSURE;	/* see "Match limits" */
		return out->kind = FF_AUTH;
	} else if (f == 'c' && word_ci(l + i, n - i, "cseq", 4)) {
		k = i + 4;
		while (k < n && blank(l[k]))
			k++;
		if (k == n || l[k] != ':')
			return FF_NONE;
		k++;
		while (k < n && blank(l[k]))
			k++;
		size_t d = k;
		while (k < n && digit(l[k]))
			k++;
		if (k == d || k - d > 10 || k == n || !blank(l[k]))
			return FF_NONE;
		out->a = p + d;
		out->b = p + k;
		while (k < n && blank(l[k]))
			k++;
		size_t m = k;
		while (k < n && alpha(l[k]))
			k++;
		if (k == m)
			return FF_NONE;
		out->c = p + m;
		out->d = p + k;
		while (k < n && blank(l[k]))
			k++;
		if (k < n && l[k] == '\r')
			k++;
		if (k != n)
			return FF_NONE;
		return out->kind = FF_CSEQ;
	} else {
		return FF_NONE;
	}
	/* Call-ID, i, User-Agent, From, f, To, t: [ \t]*:[ \t]* then a lazy value up to the
	 * trailing blanks */
	while (k < n && blank(l[k]))
		k++;
	if (k == n || l[k] != ':')
		return FF_NONE;
	if (!lazy_safe(l + k, n - k))
		return FF_UNSURE;	/* see "Match limits" */
	k++;
	while (k < n && blank(l[k]))
		k++;
	out->a = p + k;
	out->b = p + lazy_end(l, k, n);
	return out->kind = lazy;
}

/* The ovector of a line's fields, as the pattern's groups hold them. */
static int fill_line(const struct pattern *pt, const struct fast_line *f, size_t m0, size_t m1,
		     PCRE2_SIZE *ov, uint32_t ovpairs)
{
	struct cap c[2] = { { 0, f->a, f->b }, { 0, f->c, f->d } };
	static const enum field of[] = { [FF_CALLID] = F_CALLID, [FF_UA] = F_UA,
					 [FF_AUTH] = F_AUTH, [FF_CSEQ] = F_CSEQ, [FF_TS] = F_TS,
					 [FF_SRC] = F_SRC, [FF_FROM] = F_FROM, [FF_TO] = F_TO };

	c[0].g = gnum(pt, of[f->kind]);
	c[1].g = gnum(pt, F_CSEQ_METHOD);
	return fill(ov, ovpairs, m0, m1, c, f->kind == FF_CSEQ ? 2 : 1);
}

static int sip_header(const struct pattern *pt, const char *h, size_t n, size_t start,
		      PCRE2_SIZE *ov, uint32_t ovpairs)
{
	size_t p = line_start_at(h, n, start);
	struct fast_line f;

	while (p < n) {
		size_t e = next_nl(h, p, n);
		if (e - start > FAST_MAX_SPAN)
			return FAST_UNSURE;
		enum fast_field k = header_line(h, p, e, &f);
		if (k == FF_UNSURE)
			return FAST_UNSURE;
		if (k != FF_NONE)
			return fill_line(pt, &f, p, e, ov, ovpairs);
		p = e < n ? e + 1 : n;
	}
	return n - start > FAST_MAX_SPAN ? FAST_UNSURE : PCRE2_ERROR_NOMATCH;
}

/* The '\n' bytes of p[0..k) (k <= 64) as bits 0..k-1. */
static inline uint64_t nl_mask(const char *p, size_t k)
{
	uint64_t m = 0;
	size_t i = 0;

#ifdef SCAN_SSE2
	const __m128i lf = _mm_set1_epi8('\n');
	for (; k - i >= 16; i += 16)
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + i)), lf)) << i;
	if (i < k && k >= 16) {	/* the rest: a step that ends at k, its bytes before i off */
		unsigned t = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + k - 16)), lf));
		return m | (uint64_t)(t >> (16 - (k - i))) << i;
	}
#endif
	for (; i < k; i++)
		m |= (uint64_t)(p[i] == '\n') << i;
	return m;
}

typedef enum fast_field (*line_classifier)(const char *s, size_t p, size_t e,
					   struct fast_line *out);

/* Every line of s[0..n) through cls, each field found to fn; 0 (nothing handed on yet that
 * matters: the caller runs PCRE2 instead) at the first line cls is unsure of. Inline, so that
 * each caller's cls is called directly (inlined), not through the pointer, once a line. */
static inline __attribute__((always_inline)) int all_lines(const char *s, size_t n,
							    line_classifier cls, fast_line_fn fn,
							    void *ctx)
{
	struct fast_line f;
	size_t p = 0;

	if (n > FAST_MAX_SPAN)
		return 0;
	/* the line ends of 64 bytes at a time as a bit mask: lines of a context are 10-30 bytes,
	 * a search that starts again at each of them cost more than its classifier */
	for (size_t blk = 0; blk < n; blk += 64) {
		for (uint64_t m = nl_mask(s + blk, n - blk < 64 ? n - blk : 64); m; m &= m - 1) {
			size_t e = blk + (size_t)__builtin_ctzll(m);
			enum fast_field k = cls(s, p, e, &f);
			if (k == FF_UNSURE)
				return 0;	/* a line that may match a later alternative */
			if (k != FF_NONE)
				fn(ctx, &f);
			p = e + 1;
		}
	}
	if (p < n) {		/* the last line, without its '\n' */
		enum fast_field k = cls(s, p, n, &f);
		if (k == FF_UNSURE)
			return 0;
		if (k != FF_NONE)
			fn(ctx, &f);
	}
	return 1;
}

int fast_header_lines(const struct pattern *pt, const char *h, size_t n, fast_line_fn fn,
		      void *ctx)
{
	return pt->fast == FAST_SIP_HEADER && all_lines(h, n, header_line, fn, ctx);
}

enum fast_field fast_header_line(const char *h, size_t p, size_t e, struct fast_line *out)
{
	return header_line(h, p, e, out);
}

/*
 * "sip" context, multiline, searched from start (every alternative begins at a line start
 * and stays on its line). Answered: lines that no alternative can begin (by their first
 * byte, and for the lower-case ones by their first word), and the Kamailio sipdump lines
 *   time:[ \t]*(?<ts>[0-9]{9,11}(?:\.[0-9]+)?)        srcip:[ \t]*(?<src>[^ \t\r\n]+)
 * which are the first two alternatives, the only ones that begin with 't' or "sr". Lines
 * that begin with a blank, a digit, an upper-case letter, '[', '<', '-', "recv " or "send "
 * may match a later alternative: FF_UNSURE. A match ends where its group ends (*end).
 */
static enum fast_field context_line(const char *c, size_t p, size_t e, struct fast_line *out)
{
	const char *l = c + p;
	size_t n = e - p, k;

	if (n == 0)
		return FF_NONE;
	char f = l[0];
	if (blank(f) || digit(f) || upper(f) || f == '[' || f == '<' || f == '-')
		return FF_UNSURE;
	if (f == 't') {
		if (!word(l, n, "time:", 5))
			return FF_NONE;
		k = 5;
		while (k < n && blank(l[k]))
			k++;
		size_t d = k;
		while (k < n && digit(l[k]))
			k++;
		if (k - d < 9)
			return FF_NONE;
		if (k - d > 11) {
			k = d + 11;
		} else if (k + 1 < n && l[k] == '.' && digit(l[k + 1])) {
			k += 2;
			while (k < n && digit(l[k]))
				k++;
		}
		out->a = p + d;
		out->b = p + k;
		return out->kind = FF_TS;
	}
	if (f == 's') {
		if (word(l, n, "send ", 5))
			return FF_UNSURE;
		if (!word(l, n, "srcip:", 6))
			return FF_NONE;
		k = 6;
		while (k < n && blank(l[k]))
			k++;
		size_t a = k;
		while (k < n && nonspace(l[k]))
			k++;
		if (k == a)
			return FF_NONE;
		out->a = p + a;
		out->b = p + k;
		return out->kind = FF_SRC;
	}
	if (f == 'r' && word(l, n, "recv ", 5))
		return FF_UNSURE;
	return FF_NONE;
}

static int sip_context(const struct pattern *pt, const char *c, size_t n, size_t start,
		       PCRE2_SIZE *ov, uint32_t ovpairs)
{
	size_t p = line_start_at(c, n, start);
	struct fast_line f;

	if (n - start > FAST_MAX_SPAN)
		return FAST_UNSURE;
	while (p < n) {
		size_t e = next_nl(c, p, n);
		enum fast_field k = context_line(c, p, e, &f);
		if (k == FF_UNSURE)
			return FAST_UNSURE;
		if (k != FF_NONE)
			return fill_line(pt, &f, p, f.b, ov, ovpairs);
		p = e < n ? e + 1 : n;
	}
	return PCRE2_ERROR_NOMATCH;
}

int fast_context_lines(const struct pattern *pt, const char *c, size_t n, fast_line_fn fn,
		       void *ctx)
{
	return pt->fast == FAST_SIP_CONTEXT && all_lines(c, n, context_line, fn, ctx);
}

/*
 * A syslog stamp at l[i..n) followed by [ \t], as the "kamailio" pattern's ts group reads it:
 *   [A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?
 *   |[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]+)?
 *    (?:Z|[+-][0-9]{2}(?::?[0-9]{2})?)?
 * Every shorter way through the optional parts ends before a digit, ':', '+', '.' or 'Z',
 * never before a blank: the greedy reading is followed by a blank, or there is no stamp.
 * Returns the stamp's length, 0 when none.
 */
static inline int hms(const char *l)
{
	return digit(l[0]) && digit(l[1]) && l[2] == ':' && digit(l[3]) && digit(l[4]) &&
	       l[5] == ':' && digit(l[6]) && digit(l[7]);
}

static size_t xlog_stamp(const char *l, size_t i, size_t n)
{
	size_t k;

	if (n - i >= 16 && upper(l[i]) && lower(l[i + 1]) && lower(l[i + 2]) && l[i + 3] == ' ' &&
	    (l[i + 4] == ' ' || digit(l[i + 4])) && digit(l[i + 5]) && l[i + 6] == ' ' &&
	    hms(l + i + 7)) {
		k = i + 15;
		if (k + 1 < n && l[k] == '.' && digit(l[k + 1])) {
			k += 2;
			while (k < n && digit(l[k]))
				k++;
		}
	} else if (n - i >= 20 && digit(l[i]) && digit(l[i + 1]) && digit(l[i + 2]) &&
		   digit(l[i + 3]) && l[i + 4] == '-' && digit(l[i + 5]) && digit(l[i + 6]) &&
		   l[i + 7] == '-' && digit(l[i + 8]) && digit(l[i + 9]) &&
		   (l[i + 10] == 'T' || l[i + 10] == ' ') && hms(l + i + 11)) {
		k = i + 19;
		if (k + 1 < n && (l[k] == '.' || l[k] == ',') && digit(l[k + 1])) {
			k += 2;
			while (k < n && digit(l[k]))
				k++;
		}
		if (k < n && l[k] == 'Z') {
			k++;
		} else if (k + 2 < n && (l[k] == '+' || l[k] == '-') && digit(l[k + 1]) &&
			   digit(l[k + 2])) {
			k += 3;
			if (k + 2 < n && l[k] == ':' && digit(l[k + 1]) && digit(l[k + 2]))
				k += 3;
			else if (k + 1 < n && digit(l[k]) && digit(l[k + 1]))
				k += 2;
		}
	} else {
		return 0;
	}
	return k < n && blank(l[k]) ? k - i : 0;
}


/*
 * "kamailio" match, on one line:
 *   ^(?:<[0-9]{1,3}>[0-9]{0,2} ?)?(?:[A-Z][a-z]{2} (?=[0-9]{4}-))?(?:(?<ts>STAMP)[ \t])?
 *   [^\r\n]*?siplog: (?:req=(?<method>[A-Za-z]+)|rpl=(?<status>[1-6][0-9]{2}))
 *   cseq=(?<cseq>[0-9]{1,10}) (?<cseq_method>[A-Za-z]+) callid=(?<callid>[^\r\n]*?)
 *   src=(?<src>[^ \t\r\n]*)(?: ruri=(?<ruri>[^ \t\r\n]*))?(?: from=(?<from>[^ \t\r\n]*))?
 *   (?: to=(?<to>[^ \t\r\n]*))?(?: auth=(?<auth>yes)?[^ \t\r\n]*)?(?: ua=(?<ua>[^\r\n]*?))?
 *   (?: reason=(?<reason>[^\r\n]*?))?[ \t]*\r?$
 * With no CR inside the line, PCRE2's first way through is the greedy prefix (no "siplog: "
 * fits inside it, so a shorter prefix never finds another), the first "siplog: ", and the
 * Call-ID up to the first " src=". Answered when that way matches; when it fails, a later
 * "siplog: " or " src=" might still match (FAST_UNSURE).
 */
#define FAST_XLOG_FIELDS 13	/* the most fields a siplog: line gives */

/* The fields (c[].g: enum field) of the siplog: line l[0..n), or FAST_UNSURE. siplog: where
 * the first "siplog: " of the line is, when the caller's search found it, else SIZE_MAX. */
static int xlog_fields(const char *l, size_t n, size_t siplog, struct cap *c, int *ncp)
{
	int nc = 0;
	size_t i = 0, k;

	if (n > FAST_MAX_LINE || inner_cr(l, 0, n))
		return FAST_UNSURE;
	if (n && l[0] == '<') {
		for (k = 1; k < n && k < 4 && digit(l[k]); k++)
			;
		if (k > 1 && k < n && l[k] == '>') {
			k++;
			for (size_t d = 0; d < 2 && k < n && digit(l[k]); d++)
				k++;
			if (k < n && l[k] == ' ')
				k++;
			i = k;
		}
	}
	if (n - i >= 9 && upper(l[i]) && lower(l[i + 1]) && lower(l[i + 2]) && l[i + 3] == ' ' &&
	    digit(l[i + 4]) && digit(l[i + 5]) && digit(l[i + 6]) && digit(l[i + 7]) &&
	    l[i + 8] == '-')
		i += 4;
	size_t ts = xlog_stamp(l, i, n);
	if (ts) {
		c[nc++] = (struct cap){ F_TS, i, i + ts };
		i += ts + 1;
	}
	/* the prefix and the stamp cannot hold "siplog: ": the line's first one is after them,
	 * or (a hint from before them) searched again from i */
	const char *hit = siplog != SIZE_MAX && siplog >= i && n >= 8 && siplog <= n - 8 ?
			  l + siplog : scan_find(l + i, n - i, "siplog: ", 8);
	if (!hit)
		return FAST_UNSURE;
	k = (size_t)(hit - l) + 8;
	if (word(l + k, n - k, "req=", 4)) {
		size_t m = k += 4;
		while (k < n && alpha(l[k]))
			k++;
		if (k == m)
			return FAST_UNSURE;
		c[nc++] = (struct cap){ F_METHOD, m, k };
	} else if (word(l + k, n - k, "rpl=", 4) && n - k >= 7 && l[k + 4] >= '1' &&
		   l[k + 4] <= '6' && digit(l[k + 5]) && digit(l[k + 6])) {
		c[nc++] = (struct cap){ F_STATUS, k + 4, k + 7 };
		k += 7;
	} else {
		return FAST_UNSURE;
	}
	if (!word(l + k, n - k, " cseq=", 6))
		return FAST_UNSURE;
	size_t d = k += 6;
	while (k < n && digit(l[k]))
		k++;
	if (k == d || k - d > 10 || k == n || l[k] != ' ')
		return FAST_UNSURE;
	c[nc++] = (struct cap){ F_CSEQ, d, k };
	size_t m = ++k;
	while (k < n && alpha(l[k]))
		k++;
	if (k == m || !word(l + k, n - k, " callid=", 8))
		return FAST_UNSURE;
	c[nc++] = (struct cap){ F_CSEQ_METHOD, m, k };
	size_t cid = k + 8;
	const char *src = scan_find(l + cid, n - cid, " src=", 5);
	if (!src)
		return FAST_UNSURE;
	k = (size_t)(src - l);
	c[nc++] = (struct cap){ F_CALLID, cid, k };
	size_t s0 = k + 5;
	k = run(l, s0, n);
	c[nc++] = (struct cap){ F_SRC, s0, k };
	if (word(l + k, n - k, " ruri=", 6)) {
		size_t r0 = k + 6;
		k = run(l, r0, n);
		c[nc++] = (struct cap){ F_RURI, r0, k };
	}
	if (word(l + k, n - k, " from=", 6)) {
		size_t f0 = k + 6;
		k = run(l, f0, n);
		c[nc++] = (struct cap){ F_FROM, f0, k };
	}
	if (word(l + k, n - k, " to=", 4)) {
		size_t t0 = k + 4;
		k = run(l, t0, n);
		c[nc++] = (struct cap){ F_TO, t0, k };
	}
	if (word(l + k, n - k, " auth=", 6)) {
		k += 6;
		if (word(l + k, n - k, "yes", 3))
			c[nc++] = (struct cap){ F_AUTH, k, k + 3 };
		k = run(l, k, n);
	}
	/* the trailing blanks and CR: the lazy values stop where they begin */
	size_t tail = lazy_end(l, k, n);
	if (long_blanks(l + k, n - k))
		return FAST_UNSURE;	/* see "Match limits" */
	if (word(l + k, n - k, " ua=", 4)) {
		size_t u0 = k + 4;
		const char *r = scan_find(l + u0, n - u0, " reason=", 8);
		size_t t = lazy_end(l, u0, n);
		k = r && (size_t)(r - l) < t ? (size_t)(r - l) : t;
		c[nc++] = (struct cap){ F_UA, u0, k };
		tail = lazy_end(l, k, n);
	}
	if (word(l + k, n - k, " reason=", 8)) {
		size_t r0 = k + 8;
		k = lazy_end(l, r0, n);
		c[nc++] = (struct cap){ F_REASON, r0, k };
		tail = k;
	}
	if (k != tail)
		return FAST_UNSURE;	/* more text: another " src=" may end the Call-ID */
	*ncp = nc;
	return 1;
}

/* The ovector of a siplog: line: the fields' groups. */
static int xlog_line(const struct pattern *pt, const char *l, size_t n, size_t start,
		     PCRE2_SIZE *ov, uint32_t ovpairs)
{
	struct cap c[FAST_XLOG_FIELDS];
	int nc, rc = start ? FAST_UNSURE : xlog_fields(l, n, SIZE_MAX, c, &nc);

	if (rc != 1)
		return rc;
	for (int i = 0; i < nc; i++)
		c[i].g = gnum(pt, (enum field)c[i].g);
	return fill(ov, ovpairs, 0, n, c, nc);
}

int fast_line_fields(const struct pattern *pt, const char *l, size_t n, size_t siplog,
		     struct str *f)
{
	struct cap c[FAST_XLOG_FIELDS];
	int nc;

	if (pt->fast != FAST_XLOG || xlog_fields(l, n, siplog, c, &nc) != 1)
		return 0;
	for (int i = 0; i < F_COUNT; i++)
		f[i] = (struct str){ NULL, 0 };
	for (int i = 0; i < nc; i++)
		f[c[i].g] = (struct str){ l + c[i].a, c[i].b - c[i].a };
	return 1;
}

int fast_match(const struct pattern *pt, const char *subj, size_t len, size_t start,
	       PCRE2_SIZE *ov, uint32_t ovpairs)
{
	switch (pt->fast) {
	case FAST_SIP_START:
		return sip_start(pt, subj, len, start, ov, ovpairs);
	case FAST_SIP_HEADER:
		return sip_header(pt, subj, len, start, ov, ovpairs);
	case FAST_SIP_CONTEXT:
		return sip_context(pt, subj, len, start, ov, ovpairs);
	case FAST_XLOG:
		return xlog_line(pt, subj, len, start, ov, ovpairs);
	default:
		return FAST_UNSURE;
	}
}
