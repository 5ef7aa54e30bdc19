/*
 * escape.h - make attacker-chosen bytes (Call-ID, From, User-Agent, file names) safe for
 * each output. Every string that came from a log goes through one of these before it is
 * written. All functions append to a struct buf and never fail.
 */
#ifndef SIPLOGSCAN_ESCAPE_H
#define SIPLOGSCAN_ESCAPE_H

#include <stddef.h>
#include "util.h"

/*
 * Terminal / plain text: printable ASCII and valid UTF-8 pass through, except:
 *   backslash -> "\\"; C0 controls, DEL, C1 controls (U+0080..U+009F) -> "\xNN" style
 *   (tab "\t", CR "\r", LF "\n", ESC "\e"); bidi controls U+061C, U+200E, U+200F,
 *   U+202A..U+202E, U+2066..U+2069 and U+2028/U+2029 -> "\u{202E}"; bytes that are not
 *   valid UTF-8 (overlong, surrogates, > U+10FFFF, truncated) -> "\xNN" per byte.
 * Output is always valid UTF-8 containing no control characters.
 */
void esc_text(struct buf *b, const char *s, size_t n);

/*
 * JSON string contents (without the surrounding quotes): '"' and '\\' escaped, control
 * characters as \b \f \n \r \t or \u00XX, U+2028/U+2029 and the bidi controls above as
 * \uXXXX, and every byte that is not part of valid UTF-8 as \u00XX (its Latin-1 reading),
 * so the output is valid UTF-8 JSON whatever the input.
 */
void esc_json(struct buf *b, const char *s, size_t n);

/* HTML text or attribute value: & < > " ' escaped as entities; controls and invalid UTF-8
 * as in esc_text. */
void esc_html(struct buf *b, const char *s, size_t n);

/*
 * One CSV field (RFC 4180): always quoted, '"' doubled. A field whose first character is
 * = + - @ TAB or CR gets a leading apostrophe inside the quotes, so spreadsheets show it as
 * text instead of evaluating it (formula injection). Controls/invalid UTF-8 as in esc_text.
 */
void esc_csv(struct buf *b, const char *s, size_t n);

/*
 * A usage error on stderr: "siplogscan: " and fmt with two values given on the command line
 * (a, alen bytes; b, a string) in place of its two %s, each escaped as by esc_text() - a
 * value pasted from a log may hold terminal escapes - then where to read more.
 */
void esc_usage(const char *fmt, const char *a, size_t alen, const char *b);

#endif
