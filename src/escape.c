/*
 * escape.c - make attacker-chosen log bytes safe for a terminal, JSON, HTML and CSV.
 *
 * Where in the flow: the renderers pass every string that came from a log (Call-ID, From,
 * User-Agent, file names) through one of the esc_*() functions before writing it.
 *
 * One loop serves the four outputs (enum esc_mode). It copies the longest run of bytes that
 * need no change - printable ASCII that is not special in that output, and valid UTF-8
 * sequences that are not controls - with a single buf_add(), then escapes one character
 * and starts the next run.
 *
 * Invariants:
 *  - Output is valid UTF-8 and holds no C0/C1 control, DEL, bidi control or U+2028/U+2029,
 *    whatever the input (NUL included); a terminal cannot be driven by it and the reader
 *    sees the text in its logical order.
 *  - UTF-8 is validated by hand (RFC 3629): overlong forms, surrogates U+D800..U+DFFF, code
 *    points above U+10FFFF and truncated sequences are invalid. An invalid sequence is
 *    escaped one byte at a time and decoding resumes at the next byte, so a bad lead byte
 *    never swallows the valid character after it.
 *  - Hex in \xNN is lowercase; \u{XXXX} in text uses uppercase (as Unicode writes code
 *    points); JSON's \uXXXX uses lowercase.
 *  - Nothing here fails: buf_add() exits on out of memory (util.h).
 */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum esc_mode {
	ESC_TEXT = 1,
	ESC_JSON = 2,
	ESC_HTML = 4,
	ESC_CSV = 8,
};

/* Printable ASCII characters that each output has to escape, as a set of esc_mode bits. */
static const unsigned char ascii_special[128] = {
	['\\'] = ESC_TEXT | ESC_JSON,
	['"'] = ESC_JSON | ESC_HTML | ESC_CSV,
	['&'] = ESC_HTML,
	['<'] = ESC_HTML,
	['>'] = ESC_HTML,
	['\''] = ESC_HTML,
};

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/*
 * Length of the valid UTF-8 sequence at p[0..n) (p[0] >= 0x80) and its code point, or 0
 * when p[0] does not start one. The second-byte ranges come from RFC 3629 section 4:
 * E0 needs A0..BF (else overlong), ED needs 80..9F (else a surrogate), F0 needs 90..BF
 * (else overlong), F4 needs 80..8F (else above U+10FFFF); C0, C1 and F5..FF never occur.
 */
static size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp)
{
	unsigned c = p[0];

	if (c < 0xC2)		/* stray continuation byte, or overlong C0/C1 lead */
		return 0;
	if (c < 0xE0) {
		if (n < 2 || (p[1] & 0xC0) != 0x80)
			return 0;
		*cp = (uint32_t)(c & 0x1F) << 6 | (p[1] & 0x3F);
		return 2;
	}
	if (c < 0xF0) {
		if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
			return 0;
		*cp = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
		    (p[3] & 0xC0) != 0x80)
			return 0;
		if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
			return 0;
		*cp = (uint32_t)(c & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		      (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
		return 4;
	}
	return 0;
}

/*
 * Non-ASCII code points that must not reach the output raw: C1 controls (terminals act on
 * U+009B CSI like on ESC [), and the characters that reorder or break displayed text - the
 * bidi controls U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069 (CVE-2021-42574
 * "Trojan Source") and the separators U+2028/U+2029 (line breaks to JavaScript and some
 * viewers).
 */
static inline int cp_special(uint32_t cp)
{
	if (cp < 0xA0)
		return 1;
	if (cp < 0x200E)
		return cp == 0x061C;
	if (cp > 0x2069)
		return 0;
	return cp <= 0x200F || (cp >= 0x2028 && cp <= 0x202E) || cp >= 0x2066;
}

/* "\xNN": a control byte in text/HTML/CSV, or one byte of invalid UTF-8. */
static void put_hex_byte(struct buf *b, unsigned c)
{
	char e[4] = { '\\', 'x', hex_lower[c >> 4 & 0xF], hex_lower[c & 0xF] };

	buf_add(b, e, sizeof(e));
}

/* JSON "\u00NN" / "\uNNNN" (lowercase, as JSON serialisers commonly write it). */
static void put_json_u(struct buf *b, uint32_t cp)
{
	char e[6] = { '\\', 'u', hex_lower[cp >> 12 & 0xF], hex_lower[cp >> 8 & 0xF],
		      hex_lower[cp >> 4 & 0xF], hex_lower[cp & 0xF] };

	buf_add(b, e, sizeof(e));
}

/* Text form of a BMP code point: "\u{202E}". */
static void put_text_u(struct buf *b, uint32_t cp)
{
	char e[8] = { '\\', 'u', '{', hex_upper[cp >> 12 & 0xF], hex_upper[cp >> 8 & 0xF],
		      hex_upper[cp >> 4 & 0xF], hex_upper[cp & 0xF], '}' };

	buf_add(b, e, sizeof(e));
}

/* An ASCII byte that is a control or special in this mode. */
static void put_ascii(struct buf *b, unsigned c, enum esc_mode mode)
{
	if (mode == ESC_JSON) {
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); return;
		case '\\': buf_add(b, "\\\\", 2); return;
		case '\b': buf_add(b, "\\b", 2); return;
		case '\f': buf_add(b, "\\f", 2); return;
		case '\n': buf_add(b, "\\n", 2); return;
		case '\r': buf_add(b, "\\r", 2); return;
		case '\t': buf_add(b, "\\t", 2); return;
		default: put_json_u(b, c); return;	/* other C0 controls and DEL */
		}
	}
	switch (c) {
	case '\\': buf_add(b, "\\\\", 2); return;	/* special in ESC_TEXT only */
	case '"':
		if (mode == ESC_CSV)
			buf_add(b, "\"\"", 2);	/* RFC 4180 2.7 */
		else
			buf_add(b, "&quot;", 6);
		return;
	case '&': buf_add(b, "&amp;", 5); return;
	case '<': buf_add(b, "&lt;", 4); return;
	case '>': buf_add(b, "&gt;", 4); return;
	case '\'': buf_add(b, "&#39;", 5); return;
	case '\t': buf_add(b, "\\t", 2); return;
	case '\r': buf_add(b, "\\r", 2); return;
	case '\n': buf_add(b, "\\n", 2); return;
	case 0x1B: buf_add(b, "\\e", 2); return;
	default: put_hex_byte(b, c); return;		/* other C0 controls and DEL */
	}
}

/* A valid non-ASCII code point that cp_special() flagged. */
static void put_special_cp(struct buf *b, uint32_t cp, enum esc_mode mode)
{
	if (mode == ESC_JSON)
		put_json_u(b, cp);
	else if (cp < 0xA0)
		put_hex_byte(b, cp);	/* C1 control: "\x9b", like the C0 ones */
	else
		put_text_u(b, cp);
}

static void esc_run(struct buf *b, const char *str, size_t n, enum esc_mode mode)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	buf_grow(b, n);		/* the common case: nothing to escape */
	while (i < n) {
		size_t start = i;
		uint32_t cp = 0;
		size_t len = 0;

		/* Longest run that is copied as is. */
		while (i < n) {
			unsigned c = s[i];
			if (c < 0x80) {
				if (c < 0x20 || c == 0x7F || (ascii_special[c] & mode))
					break;
				i++;
				continue;
			}
			len = utf8_seq(s + i, n - i, &cp);
			if (len == 0 || cp_special(cp))
				break;
			i += len;
			len = 0;
		}
		if (i > start)
			buf_add(b, s + start, i - start);
		if (i >= n)
			break;

		/* s[i] needs escaping; len/cp describe it when it is valid non-ASCII. */
		unsigned c = s[i];
		if (c < 0x80) {
			put_ascii(b, c, mode);
			i++;
		} else if (len) {
			put_special_cp(b, cp, mode);
			i += len;
		} else if (mode == ESC_JSON) {
			put_json_u(b, c);	/* invalid byte: its Latin-1 reading */
			i++;
		} else {
			put_hex_byte(b, c);
			i++;
		}
	}
}

void esc_text(struct buf *b, const char *s, size_t n)
{
	esc_run(b, s, n, ESC_TEXT);
}

void esc_json(struct buf *b, const char *s, size_t n)
{
	esc_run(b, s, n, ESC_JSON);
}

void esc_html(struct buf *b, const char *s, size_t n)
{
	esc_run(b, s, n, ESC_HTML);
}

/*
 * OWASP "CSV Injection": spreadsheets evaluate a cell starting with = + - @ (and TAB/CR,
 * which some strip before looking at the next character); a leading apostrophe makes the
 * cell text and is not displayed.
 */
void esc_csv(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '"');
	if (n > 0) {
		switch (s[0]) {
		case '=': case '+': case '-': case '@': case '\t': case '\r':
			buf_addc(b, '\'');
			break;
		default:
			break;
		}
	}
	esc_run(b, s, n, ESC_CSV);
	buf_addc(b, '"');
}

void esc_usage(const char *fmt, const char *a, size_t alen, const char *b)
{
	struct buf ea = {0}, eb = {0};

	esc_text(&ea, a, alen);
	esc_text(&eb, b, strlen(b));
	fprintf(stderr, "siplogscan: ");
	fprintf(stderr, fmt, buf_cstr(&ea), buf_cstr(&eb));
	fprintf(stderr, "\nTry 'siplogscan --help' for more information.\n");
	buf_free(&ea);
	buf_free(&eb);
}
