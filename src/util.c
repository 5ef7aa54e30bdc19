/*
 * util.c - error reporting, checked allocation, growable buffers.
 */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* read by the workers of a pass, set before it starts and after it ends */
static atomic_int err_muted;

void err_mute(int on)
{
	atomic_store(&err_muted, on);
}

int err_msg(const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&err_muted))
		return -1;
	fputs("siplogscan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int err_errno(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	if (atomic_load(&err_muted))
		return -1;
	fputs("siplogscan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	return -1;
}

static void (*fatal_cleanup)(void);

void fatal_set_cleanup(void (*fn)(void))
{
	fatal_cleanup = fn;
}

void fatal_exit(void)
{
	if (fatal_cleanup)
		fatal_cleanup();
	_exit(2);	/* other threads may be running: no atexit handlers, no stdio flush */
}

static void out_of_memory(size_t n)
{
	fprintf(stderr, "siplogscan: out of memory allocating %zu bytes (lower --max-calls or "
		"--threads, or split the input)\n", n);
	fatal_exit();
}

#ifdef SIPLOGSCAN_FAILPOINTS
/*
 * Test builds only (make check's sanitizer build): the checked allocator fails on purpose, so
 * that tests/e2e/oom.sh can make every allocation site run out of memory in turn.
 * SIPLOGSCAN_FAIL_ALLOC=N fails the Nth checked allocation of the run (1-based);
 * SIPLOGSCAN_ALLOC_COUNT=1 prints how many there were when the process exits.
 */
#include <stdatomic.h>

static atomic_ulong alloc_count;
static unsigned long alloc_fail_at;
static atomic_int alloc_init;

static void alloc_report(void)
{
	fprintf(stderr, "siplogscan: checked allocations: %lu\n", (unsigned long)alloc_count);
}

static int alloc_should_fail(void)
{
	int expected = 0;

	if (atomic_compare_exchange_strong(&alloc_init, &expected, 1)) {
		const char *f = getenv("SIPLOGSCAN_FAIL_ALLOC");
		alloc_fail_at = f ? strtoul(f, NULL, 10) : 0;
		if (getenv("SIPLOGSCAN_ALLOC_COUNT"))
			atexit(alloc_report);
		atomic_store(&alloc_init, 2);
	}
	while (atomic_load(&alloc_init) != 2)
		;
	return atomic_fetch_add(&alloc_count, 1) + 1 == alloc_fail_at;
}
#else
static int alloc_should_fail(void)
{
	return 0;
}
#endif

void *xmalloc(size_t n)
{
	void *p = alloc_should_fail() ? NULL : malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = alloc_should_fail() ? NULL : calloc(n ? n : 1, sz ? sz : 1);

	if (!p)
		out_of_memory(n * sz);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = alloc_should_fail() ? NULL : realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
}

void buf_add(struct buf *b, const void *data, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

void buf_addc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->p[b->len++] = c;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_cstr(struct buf *b)
{
	buf_grow(b, 0);
	b->p[b->len] = '\0';
	return b->p;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int mem_ieq(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = x[i], d = y[i];
		if (c >= 'A' && c <= 'Z')
			c += 32;
		if (d >= 'A' && d <= 'Z')
			d += 32;
		if (c != d)
			return 0;
	}
	return 1;
}

const char *parse_decimal(const char *s, double *out)
{
	const char *p = s;
	size_t ndig = 0;

	if (*p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		ndig++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			ndig++;
	if (!ndig)
		return NULL;
	if (*p == 'e' || *p == 'E') {
		const char *e = p + 1;
		if (*e == '-' || *e == '+')
			e++;
		if (*e < '0' || *e > '9')
			return NULL;
		while (*e >= '0' && *e <= '9')
			e++;
		p = e;
	}
	/* the grammar above is a subset of strtod()'s, so it reads exactly these bytes; an
	 * overflow gives HUGE_VAL, an underflow a value next to 0, which is fine */
	char *end;
	double v = strtod(s, &end);
	if (end != p || !isfinite(v))
		return NULL;
	*out = v;
	return p;
}

struct arena_chunk {
	struct arena_chunk *next;
	char data[];
};

#define ARENA_CHUNK (256u << 10)

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	if (n > a->left) {
		size_t sz = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		struct arena_chunk *c = xmalloc(sizeof(*c) + sz);
		if (sz == n && a->head) {
			/* a large piece gets its own chunk behind the current one */
			c->next = a->head->next;
			a->head->next = c;
			a->total += n;
			return c->data;
		}
		c->next = a->head;
		a->head = c;
		a->p = c->data;
		a->left = sz;
	}
	void *r = a->p;
	a->p += n;
	a->left -= n;
	a->total += n;
	return r;
}

const char *arena_dup(struct arena *a, const char *s, size_t n)
{
	if (!n)
		return NULL;
	char *d = arena_alloc(a, n);
	memcpy(d, s, n);
	return d;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	memset(a, 0, sizeof(*a));
}

void buf_wrap(struct buf *b, const char *first, unsigned cont, unsigned width, const char *text)
{
	size_t col = strlen(first);
	int fresh = 1;		/* nothing written on this line yet after first */

	buf_adds(b, first);
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (!w)
			break;
		if (!fresh && col + 1 + w > width) {
			buf_addc(b, '\n');
			for (unsigned i = 0; i < cont; i++)
				buf_addc(b, ' ');
			col = cont;
		} else if (!fresh) {
			buf_addc(b, ' ');
			col++;
		}
		buf_add(b, p, w);
		col += w;
		p += w;
		fresh = 0;
	}
	buf_addc(b, '\n');
}
