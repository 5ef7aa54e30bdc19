/*
 * test_escape.c - unit tests for src/escape.c: terminal escapes, bidi controls, NUL,
 * invalid and valid UTF-8, JSON, HTML and CSV (formula injection), long strings, and a
 * randomised check that no output ever carries a control character or invalid UTF-8.
 *
 * Inputs are copied into heap buffers of exactly their length, so under AddressSanitizer
 * a read past s[0..n) fails the run. The UTF-8 checker below is written independently of
 * the validator in escape.c (decode first, then reject what RFC 3629 forbids).
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "util.h"

typedef void esc_fn(struct buf *b, const char *s, size_t n);

static struct buf out;

/* Escape s[0..n) with f into a fresh buffer; the result stays valid until the next call. */
static const char *esc_n(esc_fn *f, const char *s, size_t n)
{
	char *copy = xmalloc(n ? n : 1);

	memcpy(copy, s, n);
	buf_reset(&out);
	f(&out, copy, n);
	free(copy);
	return buf_cstr(&out);
}

/* For string literals, embedded NULs included. */
#define ESC(f, lit) esc_n(f, lit, sizeof(lit) - 1)

/*
 * Decode one UTF-8 character at p[0..n): its length, or 0 when invalid. Generic decoding
 * first, then the RFC 3629 rules: shortest form, no surrogates, at most U+10FFFF.
 */
static size_t check_utf8(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		len = 2;
		v = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		len = 3;
		v = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		len = 4;
		v = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (p[k] & 0x3F);
	}
	static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (v < min_cp[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

static int forbidden_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E ||
	       cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* 1 when s[0..n) is valid UTF-8 with no control, bidi control or line/paragraph separator. */
static int output_safe(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = check_utf8(s + i, n - i, &cp);
		if (!len || forbidden_cp(cp))
			return 0;
		i += len;
	}
	return 1;
}

static void test_text(void)
{
	CHECK_EQ_STR(ESC(esc_text, "abc def"), "abc def", "text: plain ASCII unchanged");
	CHECK_EQ_STR(ESC(esc_text, ""), "", "text: empty");
	CHECK_EQ_STR(ESC(esc_text, "\x1b[31mred\x1b[0m"), "\\e[31mred\\e[0m", "text: ESC shown as \\e");
	CHECK_EQ_STR(ESC(esc_text, "a\0b"), "a\\x00b", "text: NUL in the middle");
	CHECK_EQ_STR(ESC(esc_text, "\t\r\n"), "\\t\\r\\n", "text: tab, CR, LF");
	CHECK_EQ_STR(ESC(esc_text, "\x01\x07\x08\x1f\x7f"), "\\x01\\x07\\x08\\x1f\\x7f", "text: C0 and DEL");
	CHECK_EQ_STR(ESC(esc_text, "a\\b"), "a\\\\b", "text: backslash doubled");
	CHECK_EQ_STR(ESC(esc_text, "\\e"), "\\\\e", "text: literal \\e differs from ESC");
	CHECK_EQ_STR(ESC(esc_text, "\"'<>&"), "\"'<>&", "text: quotes and markup unchanged");
	CHECK_EQ_STR(ESC(esc_text, "a\xe2\x80\xae" "b"), "a\\u{202E}b", "text: RLO U+202E");
	CHECK_EQ_STR(ESC(esc_text, "\xc2\x80\xc2\x9b\xc2\x9f"), "\\x80\\x9b\\x9f", "text: C1 controls");

	/* Valid multibyte passes through unchanged. */
	CHECK_EQ_STR(ESC(esc_text, "caf\xc3\xa9"), "caf\xc3\xa9", "text: e-acute");
	CHECK_EQ_STR(ESC(esc_text, "\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac", "text: CJK");
	CHECK_EQ_STR(ESC(esc_text, "\xf0\x9f\x98\x80!"), "\xf0\x9f\x98\x80!", "text: emoji U+1F600");
	CHECK_EQ_STR(ESC(esc_text, "\xc2\xa0"), "\xc2\xa0", "text: U+00A0, first after C1");
	CHECK_EQ_STR(ESC(esc_text, "\xed\x9f\xbf\xee\x80\x80"), "\xed\x9f\xbf\xee\x80\x80",
		     "text: U+D7FF and U+E000 around the surrogates");
	CHECK_EQ_STR(ESC(esc_text, "\xef\xbf\xbd\xf4\x8f\xbf\xbf"), "\xef\xbf\xbd\xf4\x8f\xbf\xbf",
		     "text: U+FFFD and U+10FFFF");
	CHECK_EQ_STR(ESC(esc_text, "\xe2\x80\x8d"), "\xe2\x80\x8d", "text: ZWJ U+200D (emoji sequences) kept");

	/* Invalid UTF-8: each bad byte alone, decoding resumes at the next byte. */
	CHECK_EQ_STR(ESC(esc_text, "\xc3"), "\\xc3", "text: lone lead byte 0xC3");
	CHECK_EQ_STR(ESC(esc_text, "\xc3" "A"), "\\xc3A", "text: 0xC3 then ASCII resumes");
	CHECK_EQ_STR(ESC(esc_text, "\xc3\xc3\xa9"), "\\xc3\xc3\xa9", "text: bad lead, then a valid e-acute");
	CHECK_EQ_STR(ESC(esc_text, "\xff"), "\\xff", "text: 0xFF");
	CHECK_EQ_STR(ESC(esc_text, "\xfe\xf5\xf8"), "\\xfe\\xf5\\xf8", "text: 0xFE 0xF5 0xF8");
	CHECK_EQ_STR(ESC(esc_text, "\xa9"), "\\xa9", "text: stray continuation byte");
	CHECK_EQ_STR(ESC(esc_text, "\xc0\xaf"), "\\xc0\\xaf", "text: overlong C0 AF ('/')");
	CHECK_EQ_STR(ESC(esc_text, "\xc1\xbf"), "\\xc1\\xbf", "text: overlong C1 BF");
	CHECK_EQ_STR(ESC(esc_text, "\xe0\x80\xaf"), "\\xe0\\x80\\xaf", "text: overlong E0 80 AF");
	CHECK_EQ_STR(ESC(esc_text, "\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf", "text: overlong F0 80 80 AF");
	CHECK_EQ_STR(ESC(esc_text, "\xed\xa0\x80"), "\\xed\\xa0\\x80", "text: surrogate ED A0 80 (U+D800)");
	CHECK_EQ_STR(ESC(esc_text, "\xed\xbf\xbf"), "\\xed\\xbf\\xbf", "text: surrogate U+DFFF");
	CHECK_EQ_STR(ESC(esc_text, "\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80", "text: U+110000 too large");
	CHECK_EQ_STR(ESC(esc_text, "\xe6\x97"), "\\xe6\\x97", "text: truncated 3-byte sequence at the end");
	CHECK_EQ_STR(ESC(esc_text, "\xe6\x97" "a"), "\\xe6\\x97" "a", "text: truncated 3-byte, then ASCII");
	CHECK_EQ_STR(ESC(esc_text, "\xf0\x9f\x98"), "\\xf0\\x9f\\x98", "text: truncated emoji");
	CHECK_EQ_STR(ESC(esc_text, "\xf0\x9f\x98\xe6\x97\xa5"), "\\xf0\\x9f\\x98\xe6\x97\xa5",
		     "text: truncated emoji, then a valid CJK character");

	/* The bidi set and its neighbours. */
	static const struct { const char *in; const char *want; } bidi[] = {
		{ "\xd8\x9c", "\\u{061C}" }, { "\xe2\x80\x8e", "\\u{200E}" }, { "\xe2\x80\x8f", "\\u{200F}" },
		{ "\xe2\x80\xaa", "\\u{202A}" }, { "\xe2\x80\xab", "\\u{202B}" }, { "\xe2\x80\xac", "\\u{202C}" },
		{ "\xe2\x80\xad", "\\u{202D}" }, { "\xe2\x80\xae", "\\u{202E}" }, { "\xe2\x81\xa6", "\\u{2066}" },
		{ "\xe2\x81\xa7", "\\u{2067}" }, { "\xe2\x81\xa8", "\\u{2068}" }, { "\xe2\x81\xa9", "\\u{2069}" },
		{ "\xe2\x80\xa8", "\\u{2028}" }, { "\xe2\x80\xa9", "\\u{2029}" },
		{ "\xd8\x9b", "\xd8\x9b" }, { "\xe2\x80\x8c", "\xe2\x80\x8c" }, { "\xe2\x80\xa7", "\xe2\x80\xa7" },
		{ "\xe2\x80\xaf", "\xe2\x80\xaf" }, { "\xe2\x81\xa5", "\xe2\x81\xa5" }, { "\xe2\x81\xaa", "\xe2\x81\xaa" },
	};
	for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
		CHECK_EQ_STR(esc_n(esc_text, bidi[i].in, strlen(bidi[i].in)), bidi[i].want,
			     "text: bidi set member/neighbour %zu -> %s", i, bidi[i].want);

	/* Appends; never resets. */
	struct buf b = { 0 };
	buf_adds(&b, "X=");
	esc_text(&b, "a\x1b", 2);
	CHECK_EQ_STR(buf_cstr(&b), "X=a\\e", "text: appends to the buffer");
	buf_free(&b);
}

static void test_json(void)
{
	CHECK_EQ_STR(ESC(esc_json, "plain/text"), "plain/text", "json: plain, '/' unchanged");
	CHECK_EQ_STR(ESC(esc_json, "say \"hi\" \\o/"), "say \\\"hi\\\" \\\\o/", "json: quote and backslash");
	CHECK_EQ_STR(ESC(esc_json, "\b\f\n\r\t"), "\\b\\f\\n\\r\\t", "json: short escapes");
	CHECK_EQ_STR(ESC(esc_json, "\x01\x1b\x1f\x7f"), "\\u0001\\u001b\\u001f\\u007f",
		     "json: other C0, ESC, DEL as \\u00XX");
	CHECK_EQ_STR(ESC(esc_json, "a\0b"), "a\\u0000b", "json: NUL in the middle");
	CHECK_EQ_STR(ESC(esc_json, "a\xe2\x80\xae" "b"), "a\\u202eb", "json: RLO U+202E");
	CHECK_EQ_STR(ESC(esc_json, "\xe2\x80\xa8\xe2\x80\xa9"), "\\u2028\\u2029", "json: U+2028/U+2029");
	CHECK_EQ_STR(ESC(esc_json, "\xd8\x9c"), "\\u061c", "json: U+061C");
	CHECK_EQ_STR(ESC(esc_json, "\xc2\x85"), "\\u0085", "json: C1 control");
	CHECK_EQ_STR(ESC(esc_json, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
		     "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "json: valid UTF-8 unchanged");
	CHECK_EQ_STR(ESC(esc_json, "\xc3"), "\\u00c3", "json: lone 0xC3 as its Latin-1 reading");
	CHECK_EQ_STR(ESC(esc_json, "\xff"), "\\u00ff", "json: 0xFF");
	CHECK_EQ_STR(ESC(esc_json, "\xc0\xaf"), "\\u00c0\\u00af", "json: overlong C0 AF");
	CHECK_EQ_STR(ESC(esc_json, "\xed\xa0\x80"), "\\u00ed\\u00a0\\u0080", "json: surrogate ED A0 80");
	CHECK_EQ_STR(ESC(esc_json, "<\x2fscript>"), "</script>", "json: markup is not its business");
}

static void test_html(void)
{
	CHECK_EQ_STR(ESC(esc_html, "<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;",
		     "html: script element");
	CHECK_EQ_STR(ESC(esc_html, "\"><img src=x onerror=alert(1)>"),
		     "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", "html: attribute breakout");
	CHECK_EQ_STR(ESC(esc_html, "' onmouseover='x"), "&#39; onmouseover=&#39;x", "html: single quote");
	CHECK_EQ_STR(ESC(esc_html, "a&b&amp;"), "a&amp;b&amp;amp;", "html: ampersand, also before an entity");
	CHECK_EQ_STR(ESC(esc_html, "\x1b[2J\r\n\0"), "\\e[2J\\r\\n\\x00", "html: controls as in text");
	CHECK_EQ_STR(ESC(esc_html, "a\xe2\x80\xae" "b"), "a\\u{202E}b", "html: RLO as in text");
	CHECK_EQ_STR(ESC(esc_html, "\xff\xc3<"), "\\xff\\xc3&lt;", "html: invalid bytes as in text");
	CHECK_EQ_STR(ESC(esc_html, "caf\xc3\xa9"), "caf\xc3\xa9", "html: valid UTF-8 unchanged");
	CHECK_EQ_STR(ESC(esc_html, "a\\b"), "a\\b", "html: backslash is not special in HTML");
}

static void test_csv(void)
{
	CHECK_EQ_STR(ESC(esc_csv, "abc"), "\"abc\"", "csv: normal field quoted");
	CHECK_EQ_STR(ESC(esc_csv, ""), "\"\"", "csv: empty field");
	CHECK_EQ_STR(ESC(esc_csv, "=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"", "csv: DDE formula");
	CHECK_EQ_STR(ESC(esc_csv, "a\"b\"\""), "\"a\"\"b\"\"\"\"\"", "csv: embedded quotes doubled");
	CHECK_EQ_STR(ESC(esc_csv, "=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"",
		     "csv: formula with quotes");
	CHECK_EQ_STR(ESC(esc_csv, "+1"), "\"'+1\"", "csv: leading +");
	CHECK_EQ_STR(ESC(esc_csv, "-1"), "\"'-1\"", "csv: leading -");
	CHECK_EQ_STR(ESC(esc_csv, "@x"), "\"'@x\"", "csv: leading @");
	CHECK_EQ_STR(ESC(esc_csv, "\tx"), "\"'\\tx\"", "csv: leading tab");
	CHECK_EQ_STR(ESC(esc_csv, "\rx"), "\"'\\rx\"", "csv: leading CR");
	CHECK_EQ_STR(ESC(esc_csv, "a=1+2"), "\"a=1+2\"", "csv: only the first character counts");
	CHECK_EQ_STR(ESC(esc_csv, "a\nb,c"), "\"a\\nb,c\"", "csv: newline escaped, comma kept");
	CHECK_EQ_STR(ESC(esc_csv, "\xff\xe2\x80\xae<"), "\"\\xff\\u{202E}<\"", "csv: invalid, bidi as in text");
	CHECK_EQ_STR(ESC(esc_csv, "caf\xc3\xa9"), "\"caf\xc3\xa9\"", "csv: valid UTF-8 unchanged");
}

static void test_long(void)
{
	size_t n = 10240;
	char *big = xmalloc(n);
	struct buf want = { 0 };

	memset(big, 'a', n);
	CHECK(strlen(esc_n(esc_text, big, n)) == n && memcmp(out.p, big, n) == 0,
	      "long: 10 kB of plain ASCII copied unchanged");

	/* 10 kB of a mixed pattern: the expected output is the escaped pattern, repeated. */
	static const char pat[] = "ab\"c\x01\xc3\xa9\xff\xe2\x80\xae.";
	size_t plen = sizeof(pat) - 1, reps = n / plen;
	for (size_t i = 0; i < reps; i++)
		memcpy(big + i * plen, pat, plen);
	for (size_t i = 0; i < reps; i++)
		buf_adds(&want, "ab\\\"c\\u0001\xc3\xa9\\u00ff\\u202e.");
	CHECK_EQ_STR(esc_n(esc_json, big, reps * plen), buf_cstr(&want), "long: 10 kB mixed JSON");
	buf_reset(&want);
	for (size_t i = 0; i < reps; i++)
		buf_adds(&want, "ab\"c\\x01\xc3\xa9\\xff\\u{202E}.");
	CHECK_EQ_STR(esc_n(esc_text, big, reps * plen), buf_cstr(&want), "long: 10 kB mixed text");

	/* A long Call-ID ending in a truncated sequence. */
	memset(big, 'x', n);
	big[n - 2] = (char)0xe6;
	big[n - 1] = (char)0x97;
	const char *r = esc_n(esc_text, big, n);
	CHECK(strlen(r) == n - 2 + 8 && strcmp(r + n - 2, "\\xe6\\x97") == 0,
	      "long: truncated sequence at the end of 10 kB");
	buf_free(&want);
	free(big);
}

/* Random bytes, biased towards the interesting ones: every output keeps its invariants. */
static void test_random(void)
{
	static const unsigned char pick[] = {
		0x00, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, '"', '\'', '\\', '<', '>', '&', '=', '+', '-', '@',
		0x80, 0x9b, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xd8, 0xdf, 0xe0, 0xe2, 0xed, 0xef,
		0xf0, 0xf4, 0xf5, 0xff, 0x80, 0x81, 0x8e, 0x8f, 0xa8, 0xae, 0xa6, 0x9c,
	};
	uint64_t x = 12345;
	unsigned char in[48];
	int bad_text = 0, bad_json = 0, bad_html = 0, bad_csv = 0, bad_plain = 0;

	for (int iter = 0; iter < 20000; iter++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		size_t n = (size_t)(x >> 58) % sizeof(in);
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005u + 1442695040888963407u;
			unsigned r = (unsigned)(x >> 33);
			in[i] = (r & 1) ? pick[(r >> 1) % sizeof(pick)] : (unsigned char)(r >> 8);
		}
		const char *s = (const char *)in;
		const char *o;

		o = esc_n(esc_text, s, n);
		if (!output_safe(o, out.len))
			bad_text++;

		/* Valid, control-free input comes back unchanged from esc_text (no backslash). */
		if (output_safe(s, n) && !memchr(s, '\\', n) && (out.len != n || memcmp(o, s, n) != 0))
			bad_plain++;

		o = esc_n(esc_json, s, n);
		int ok = output_safe(o, out.len);
		for (size_t i = 0; ok && i < out.len; i++) {
			if (o[i] == '\\')
				i++;	/* the escaped character; the next one is free */
			else if (o[i] == '"')
				ok = 0;
		}
		if (!ok)
			bad_json++;

		o = esc_n(esc_html, s, n);
		ok = output_safe(o, out.len) && !strpbrk(o, "<>\"'");
		for (const char *a = strchr(o, '&'); ok && a; a = strchr(a + 1, '&'))
			ok = !strncmp(a, "&amp;", 5) || !strncmp(a, "&lt;", 4) || !strncmp(a, "&gt;", 4) ||
			     !strncmp(a, "&quot;", 6) || !strncmp(a, "&#39;", 5);
		if (!ok)
			bad_html++;

		o = esc_n(esc_csv, s, n);
		ok = output_safe(o, out.len) && out.len >= 2 && o[0] == '"' && o[out.len - 1] == '"';
		for (size_t i = 1; ok && i + 1 < out.len; i++) {
			if (o[i] == '"') {
				ok = o[i + 1] == '"' && i + 2 < out.len;
				i++;
			}
		}
		if (ok && n && s[0] && strchr("=+-@\t\r", s[0]))
			ok = o[1] == '\'';
		if (!ok)
			bad_csv++;
	}
	CHECK_EQ_INT(bad_text, 0, "random: text output valid UTF-8, no controls");
	CHECK_EQ_INT(bad_plain, 0, "random: safe input passes esc_text unchanged");
	CHECK_EQ_INT(bad_json, 0, "random: json output safe, every quote escaped");
	CHECK_EQ_INT(bad_html, 0, "random: html output safe, only the five entities");
	CHECK_EQ_INT(bad_csv, 0, "random: csv output safe, quoted, quotes doubled, formulas neutralised");
}

int main(void)
{
	test_text();
	test_json();
	test_html();
	test_csv();
	test_long();
	test_random();
	buf_free(&out);
	return test_done();
}
