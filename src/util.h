/*
 * util.h - small helpers shared by every stage: error reporting, a growable byte buffer,
 * checked allocation.
 *
 * Errors: one reporting path. err_msg()/err_errno() print "siplogscan: ..." to stderr and
 * return -1, so callers write `return err_msg("...");`. Messages say what failed, on what,
 * and what to do.
 */
#ifndef SIPLOGSCAN_UTIL_H
#define SIPLOGSCAN_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#if defined(__GNUC__)
#define ATTR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ATTR_PRINTF(a, b)
#endif

/* Byte classes of log text, locale-free: a digit, and a blank (space or tab, RFC 5234 WSP). */
static inline int is_digit(char c)
{
	return (unsigned)((unsigned char)c - '0') < 10u;
}

static inline int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The end of a run that cannot go on (out of memory, a library that cannot start): removes
 * the temporary files of the outputs being written (the hook set with fatal_set_cleanup())
 * and exits with status 2 at once, from any thread, without a half-written report.
 */
void fatal_exit(void) __attribute__((noreturn));
void fatal_set_cleanup(void (*fn)(void));

/* Print "siplogscan: <message>\n" on stderr; return -1. */
int err_msg(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* Same, with ": <strerror(errno)>" appended. */
int err_errno(const char *fmt, ...) ATTR_PRINTF(1, 2);
/* While muted, err_msg() and err_errno() print nothing (they still return -1): for a second
 * pass over inputs whose errors the first pass reported already (main.c, the HTML report's
 * ladders). */
void err_mute(int on);

/* Allocation that never returns NULL: on failure prints a message and ends the process with
 * fatal_exit(). Running out of memory is the one error we do not propagate (see README,
 * "Memory"). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
char *xstrndup(const char *s, size_t n);

/* Growable byte buffer. Zero-initialise (struct buf b = {0};), append, buf_free(). */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) ATTR_PRINTF(2, 3);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Ensure b->p is NUL-terminated (not counted in len) and return it. */
char *buf_cstr(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/*
 * Arena: many small allocations freed at once (the strings of a batch of events). Memory
 * never moves, so pointers into it stay valid until arena_free().
 */
struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	char *p;
	size_t left;
	size_t total;		/* bytes handed out */
};

void *arena_alloc(struct arena *a, size_t n);
/* Copy n bytes (not terminated) into the arena; returns the copy. */
const char *arena_dup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/*
 * Append first, then the words of text (split at spaces) wrapped at width columns: each
 * continuation line starts with cont spaces; a newline ends the paragraph. For our own prose
 * (ASCII); log strings are escaped and laid out by the renderers.
 */
void buf_wrap(struct buf *b, const char *first, unsigned cont, unsigned width, const char *text);

/* Case-insensitive ASCII comparison of n bytes. */
int mem_ieq(const void *a, const void *b, size_t n);

/*
 * A decimal number as people type one in an option: an optional '-', digits with an optional
 * fraction ("32", "0.5", ".5", "5."), an optional exponent ("1e3"). Returns the first byte
 * after it, with its value in *out; NULL when s does not start with one, or its value is not
 * finite (1e999). Unlike strtod() alone: no spaces, no '+', no hex ("0x1p3"), and never NaN
 * or infinity, which would pass every range check (NaN fails each comparison).
 */
const char *parse_decimal(const char *s, double *out);

#endif
