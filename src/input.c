/*
 * input.c - sources: mmap for plain regular files, pread() and inflate for regular gzip files,
 * read() (with a replay buffer for what the sample took) for stdin, pipes and devices.
 *
 * Layers: a raw reader (pread from an offset for a regular file, or the descriptor behind a
 * replay buffer) feeds a decoder (pass-through or inflate). The scanner gets a mapped plain
 * file in blocks; everything else goes through source_read().
 *
 * A regular file is never read past the size it had when it was opened, and a read that ends
 * before that size is a file that shrank: the bytes before are kept, the error says so. A
 * regular gzip file is read with pread() and not mapped, so that its shrinking can never
 * fault in the inflater.
 */
#include "input.h"
#include "inflate.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK (1u << 20)
#define SAMPLE_READ (256u << 10)	/* pread size while sampling a regular file */

struct decoder;

struct source {
	char *path;
	int fd;
	int is_stdin;
	int regular;			/* a regular file: pread() at offsets, size known */
	int gzip;
	int64_t mtime_us;
	uint64_t size;			/* regular files: the size when opened; of a range, its
					 * length */
	uint64_t base;			/* a range's first byte (source_set_range()) */
	uint64_t file_size;		/* regular files: the whole file's size when opened */
	const unsigned char *map;	/* whole file, once mapped */
	size_t map_len;
	int map_tried;
	int faulted;			/* a page of the mapping vanished: reported */
	/* descriptors that can be read once: what the sample read, given out again first */
	struct buf replay;
	int raw_eof;
	int refused;			/* a format we do not read (bzip2, xz...): already reported */
	struct decoder *dec;		/* source_read() state */
	uint64_t skip;			/* bytes still to discard (source_set_skip()) */
};

static void set_error(struct report_file *rf, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void set_error(struct report_file *rf, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	if (rf->status == FILE_ERROR)
		return;		/* the first error is the one that explains the rest */
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	err_msg("'%s': %s", rf->path, buf_cstr(&b));
	rf->status = FILE_ERROR;
	free(rf->error);
	rf->error = buf_cstr(&b);
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Refuse formats we cannot read, naming what to do instead. 0 when acceptable. */
static int check_magic(const unsigned char *p, size_t n, struct report_file *rf)
{
	if (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' && p[3] <= '9') {
		set_error(rf, "bzip2-compressed input is not supported; decompress it: "
			  "bzcat FILE | siplogscan -");
		return -1;
	}
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) {
		set_error(rf, "xz-compressed input is not supported; decompress it: "
			  "xzcat FILE | siplogscan -");
		return -1;
	}
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) {
		set_error(rf, "zstd-compressed input is not supported; decompress it: "
			  "zstdcat FILE | siplogscan -");
		return -1;
	}
	if (n >= 4 && (memcmp(p, "\xd4\xc3\xb2\xa1", 4) == 0 || memcmp(p, "\xa1\xb2\xc3\xd4", 4) == 0 ||
		       memcmp(p, "\x0a\x0d\x0d\x0a", 4) == 0)) {
		set_error(rf, "this is a packet capture, not a log; export its SIP messages as text "
			  "first (for example with sngrep's 'Save as TXT')");
		return -1;
	}
	return 0;
}

static int is_gzip_magic(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static const char *open_hint(int e)
{
	switch (e) {
	case ENOENT: return " (check the path or the glob; a rotated log may have moved)";
	case EACCES: return " (run as a user who can read the logs, e.g. in group adm)";
	case EMFILE: case ENFILE: return " (too many open files: raise 'ulimit -n')";
	case ELOOP: return " (a loop of symbolic links)";
	default: return "";
	}
}

struct source *source_open(const char *path, struct report_file *rf)
{
	struct source *s = xcalloc(1, sizeof(*s));
	struct stat st;

	s->fd = -1;
	s->path = xstrndup(path, strlen(path));
	if (strcmp(path, "-") == 0) {
		s->is_stdin = 1;
		s->fd = 0;
	} else {
		do
			s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		while (s->fd < 0 && errno == EINTR);
		if (s->fd < 0) {
			int e = errno;
			set_error(rf, "cannot open: %s%s", strerror(e), open_hint(e));
			goto fail;
		}
	}
	if (fstat(s->fd, &st) < 0) {
		set_error(rf, "cannot stat: %s", strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		set_error(rf, "is a directory; name the files inside it (for example '%s/*.log*')",
			  path);
		goto fail;
	}
	s->regular = S_ISREG(st.st_mode);
	if (!s->regular) {
		/* stdin, a FIFO, /dev/stdin, a process substitution, a device: read once, as a
		 * stream; its "time" is now */
		s->mtime_us = now_us();
		return s;
	}
	s->mtime_us = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
	s->size = s->file_size = (uint64_t)st.st_size;
	rf->stored_bytes = s->size;
	unsigned char magic[6];
	ssize_t m = s->size ? pread(s->fd, magic, sizeof(magic), 0) : 0;
	if (m < 0) {
		set_error(rf, "read error: %s", strerror(errno));
		goto fail;
	}
	if (check_magic(magic, (size_t)m, rf) < 0)
		goto fail;
	s->gzip = is_gzip_magic(magic, (size_t)m);
	return s;
fail:
	source_close(s);
	return NULL;
}

static void decoder_free(struct decoder *d);

/* The first line start at or after off: off itself when the byte before it ends a line. */
static int line_start(struct source *s, uint64_t off, uint64_t *out)
{
	unsigned char buf[4096];

	if (off == 0 || off >= s->file_size) {
		*out = off < s->file_size ? off : s->file_size;
		return 0;
	}
	for (uint64_t at = off - 1; at < s->file_size;) {
		ssize_t r = pread(s->fd, buf, sizeof(buf), (off_t)at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		const unsigned char *nl = memchr(buf, '\n', (size_t)r);
		if (nl) {
			*out = at + (uint64_t)(nl - buf) + 1;
			return 0;
		}
		at += (uint64_t)r;
	}
	*out = s->file_size;
	return 0;
}

int source_set_range(struct source *s, uint64_t start, uint64_t end, struct report_file *rf)
{
	uint64_t a, b;

	if (!s->regular || s->gzip) {
		set_error(rf, "--range: only a plain regular file can be read in part (a gzip file "
			  "or a stream is a shard as a whole)");
		return -1;
	}
	if (line_start(s, start, &a) < 0 || line_start(s, end, &b) < 0) {
		set_error(rf, "read error: %s", strerror(errno));
		return -1;
	}
	s->base = a;
	s->size = b > a ? b - a : 0;
	rf->stored_bytes = s->size;
	return 0;
}

int source_set_skip(struct source *s, uint64_t skip, struct report_file *rf)
{
	s->skip = skip;
	if (skip == SOURCE_SKIP_ALL)
		rf->stored_bytes = 0;	/* nothing of it is read */
	return 0;
}

void source_range(const struct source *s, uint64_t *start, uint64_t *end)
{
	*start = s->base;
	*end = s->base + s->size;
}

void source_close(struct source *s)
{
	if (!s)
		return;
	decoder_free(s->dec);
	if (s->map)
		munmap((void *)s->map, s->map_len);
	if (s->fd > 0 || (s->fd == 0 && !s->is_stdin))
		close(s->fd);
	buf_free(&s->replay);
	free(s->path);
	free(s);
}

int64_t source_mtime_us(const struct source *s)
{
	return s->mtime_us;
}

int source_stream(const struct source *s)
{
	return !s->regular || s->gzip;
}

int source_once(const struct source *s)
{
	return !s->regular;
}

const char *source_map(struct source *s, size_t *len)
{
	if (!s->regular || s->gzip || s->size == 0 || s->size > SIZE_MAX)
		return NULL;
	if (!s->map_tried) {
		s->map_tried = 1;
		void *m = mmap(NULL, (size_t)s->file_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
		if (m == MAP_FAILED)
			return NULL;	/* out of address space or map count: read it instead */
		madvise(m, (size_t)s->file_size, MADV_SEQUENTIAL);
		s->map = m;
		s->map_len = (size_t)s->file_size;
	}
	if (!s->map)
		return NULL;
	*len = (size_t)s->size;
	return (const char *)s->map + s->base;
}

static void shrank(struct source *s, uint64_t at, struct report_file *rf)
{
	struct stat st;
	uint64_t now = fstat(s->fd, &st) == 0 ? (uint64_t)st.st_size : 0;

	set_error(rf, "file shrank while it was read (from %" PRIu64 " to %" PRIu64 " bytes, at "
		  "byte %" PRIu64 "; logrotate copytruncate or '> FILE'?): the bytes before were "
		  "scanned; scan the rotated copy, or rotate with 'create' instead of "
		  "'copytruncate'", s->size, now, at);
}

void source_fault(struct source *s, uint64_t at, struct report_file *rf)
{
	if (s->faulted)
		return;
	s->faulted = 1;
	shrank(s, at, rf);
}

/* ---- the decoder: plain or gzip, over pread() or the descriptor */

struct decoder {
	struct source *s;
	struct report_file *rf;
	int gzip;
	struct gunzip *gz;
	const unsigned char *zin;	/* compressed input not yet consumed */
	size_t zin_len;
	int member_done;	/* between gzip members */
	int eof;
	uint64_t off;		/* regular files: the next pread() offset */
	size_t replay_pos;	/* descriptors: the next byte of the replay buffer */
	int sampling;		/* descriptors: bytes read past the replay buffer are kept in it */
	unsigned char *rbuf;	/* raw read buffer (gzip) */
	uint64_t consumed;	/* raw input bytes consumed (for progress) */
	int quiet;		/* sampling: errors are neither printed nor recorded */
	int failed;		/* an error is pending: report it on the next read */
};

/* Record a decoding error (unless sampling) and remember it. A regular file that is shorter
 * now than when it was opened shrank under the read (a truncation racing with a read can
 * also leave zeros in what was read): that is the error to report. */
static void dec_error(struct decoder *d, const char *fmt, const char *arg)
{
	struct stat st;

	d->failed = 1;
	if (d->quiet)
		return;
	if (d->s->regular && fstat(d->s->fd, &st) == 0 && (uint64_t)st.st_size < d->s->size)
		shrank(d->s, d->off, d->rf);
	else
		set_error(d->rf, fmt, arg);
}

static struct decoder *decoder_new(struct source *s, struct report_file *rf, int sampling)
{
	struct decoder *d = xcalloc(1, sizeof(*d));

	d->s = s;
	d->rf = rf;
	d->quiet = sampling;
	d->sampling = sampling && !s->regular;
	d->gzip = s->gzip;
	if (d->gzip) {
		d->gz = gunzip_new();
		d->rbuf = xmalloc(READ_CHUNK);
	}
	return d;
}

static void decoder_free(struct decoder *d)
{
	if (!d)
		return;
	gunzip_free(d->gz);
	free(d->rbuf);
	free(d);
}

/* Raw bytes into dst: from the file at d->off (regular), or the replay buffer then the
 * descriptor. 0 at the end, -1 on error (recorded unless sampling). */
static ssize_t raw_read(struct decoder *d, unsigned char *dst, size_t cap)
{
	struct source *s = d->s;
	ssize_t r;

	if (s->regular) {
		if (d->off >= s->size)
			return 0;	/* bytes appended after the open are not ours */
		if (cap > s->size - d->off)
			cap = (size_t)(s->size - d->off);
		do
			r = pread(s->fd, dst, cap, (off_t)(s->base + d->off));
		while (r < 0 && errno == EINTR);
		if (r == 0) {
			if (!d->quiet)
				shrank(s, d->off, d->rf);
			d->failed = 1;
			return -1;
		}
		if (r > 0)
			d->off += (uint64_t)r;
	} else {
		if (d->replay_pos < s->replay.len) {
			size_t n = s->replay.len - d->replay_pos;
			if (n > cap)
				n = cap;
			memcpy(dst, s->replay.p + d->replay_pos, n);
			d->replay_pos += n;
			if (!d->sampling && d->replay_pos == s->replay.len) {
				buf_free(&s->replay);	/* given out again: no longer needed */
				d->replay_pos = 0;
			}
			return (ssize_t)n;
		}
		if (s->raw_eof)
			return 0;
		do
			r = read(s->fd, dst, cap);
		while (r < 0 && errno == EINTR);
		if (r == 0)
			s->raw_eof = 1;
		if (r > 0 && d->sampling) {
			buf_add(&s->replay, dst, (size_t)r);
			d->replay_pos = s->replay.len;
		}
	}
	if (r < 0)
		dec_error(d, "read error: %s", strerror(errno));
	return r;
}

/* Uncompressed bytes into dst; 0 at end, -1 on error (recorded). */
static ssize_t decoder_read(struct decoder *d, char *dst, size_t cap)
{
	if (d->eof)
		return 0;
	if (d->failed)
		return -1;
	if (!d->gzip) {
		ssize_t r = raw_read(d, (unsigned char *)dst, cap);
		if (r > 0)
			d->consumed += (uint64_t)r;
		if (r == 0)
			d->eof = 1;
		return r;
	}
	size_t filled = 0;
	while (filled < cap) {
		if (d->zin_len == 0) {
			ssize_t n = raw_read(d, d->rbuf, READ_CHUNK);
			if (n < 0)
				break;
			if (n == 0) {
				if (!d->member_done) {
					dec_error(d, "truncated gzip stream (the data before the "
						  "damage was scanned; re-copy the file or check it "
						  "with 'gzip -t')%s", "");
					break;
				}
				d->eof = 1;
				break;
			}
			d->zin = d->rbuf;
			d->zin_len = (size_t)n;
			d->consumed += (uint64_t)n;
		}
		if (d->member_done) {
			/* more input after a complete member: another member, zero padding
			 * (tape and some rotators pad), or garbage */
			if (d->zin[0] == 0) {
				while (d->zin_len && d->zin[0] == 0) {
					d->zin++;
					d->zin_len--;
				}
				continue;
			}
			/* (a lone 0x1f at the end of a read may be the start of a member) */
			if (d->zin[0] != 0x1f || (d->zin_len >= 2 && d->zin[1] != 0x8b)) {
				if (!d->quiet)
					err_msg("'%s': data after the end of the gzip stream ignored",
						d->rf->path);
				d->eof = 1;
				break;
			}
			gunzip_reset(d->gz);
			d->member_done = 0;
		}
		size_t produced;
		const char *why = NULL;
		enum gunzip_status st = gunzip_run(d->gz, &d->zin, &d->zin_len,
						   (unsigned char *)dst + filled, cap - filled,
						   &produced, &why);
		filled += produced;
		if (st == GUNZIP_MEMBER_END) {
			d->member_done = 1;
			continue;
		}
		if (st == GUNZIP_ERROR) {
			dec_error(d, "corrupt gzip data (%s); the data before the damage was "
				  "scanned; re-copy the file or check it with 'gzip -t'", why);
			break;
		}
	}
	if (d->failed && filled == 0)
		return -1;
	return (ssize_t)filled;	/* a pending error is returned by the next call */
}

/* ---- the sample */

/*
 * Collects the lines that can hold a record from a byte stream given in pieces: NUL bytes
 * are dropped (a copytruncate hole, or a file preallocated with zeros), lines longer than
 * INPUT_SAMPLE_LINE are left out whole, and collecting stops at budget bytes.
 */
struct sampler {
	struct buf *out;
	size_t budget;		/* out->len to stop at */
	struct buf line;	/* the line being collected */
	int skip;		/* inside a line left out, up to its newline */
};

static void sampler_start(struct sampler *sm, struct buf *out, size_t budget, int mid_line)
{
	sm->out = out;
	sm->budget = out->len + budget;
	buf_reset(&sm->line);
	sm->skip = mid_line;	/* a piece starts mid-line: its first line is not whole */
}

static int sampler_full(const struct sampler *sm)
{
	return sm->out->len >= sm->budget;
}

static void sampler_add(struct sampler *sm, const char *p, size_t n)
{
	while (n && !sampler_full(sm)) {
		const char *nl = memchr(p, '\n', n);
		size_t k = nl ? (size_t)(nl - p) : n;
		/* the line's bytes, NULs left out, a run at a time */
		for (size_t i = 0; i < k && !sm->skip;) {
			const char *z = memchr(p + i, '\0', k - i);
			size_t run = z ? (size_t)(z - p) - i : k - i;
			if (sm->line.len + run > INPUT_SAMPLE_LINE) {
				sm->skip = 1;
				break;
			}
			buf_add(&sm->line, p + i, run);
			i += run + (z != NULL);
		}
		if (!nl)
			return;
		if (!sm->skip) {	/* empty lines too: they end SIP header blocks */
			buf_add(sm->out, sm->line.p, sm->line.len);
			buf_addc(sm->out, '\n');
		}
		buf_reset(&sm->line);
		sm->skip = 0;
		p += k + 1;
		n -= k + 1;
	}
}

/* The end of a piece: its last line, when it ended without a newline at the end of the
 * input (eof); a line cut by the piece's end is left out. */
static void sampler_end(struct sampler *sm, int eof)
{
	if (eof && !sm->skip && sm->line.len && !sampler_full(sm)) {
		buf_add(sm->out, sm->line.p, sm->line.len);
		buf_addc(sm->out, '\n');
	}
	buf_free(&sm->line);
}

/* Sample a regular plain file with pread(): the head, then pieces at a third, two thirds and
 * the end. Never maps it, so a file that shrinks meanwhile just gives a shorter sample. */
static int sample_pread(struct source *s, struct buf *out, struct report_file *rf)
{
	char *tmp = xmalloc(SAMPLE_READ);
	struct sampler sm = {0};
	uint64_t off = 0;
	int ret = 0;

	for (int piece = 0; piece <= INPUT_SAMPLE_PIECES; piece++) {
		uint64_t from = piece == INPUT_SAMPLE_PIECES ?
			(s->size > INPUT_SAMPLE_PIECE ? s->size - INPUT_SAMPLE_PIECE : 0) :
			s->size / INPUT_SAMPLE_PIECES * (uint64_t)piece;
		if (piece > 0) {
			if (from <= off && piece < INPUT_SAMPLE_PIECES)
				continue;	/* the sample already went past this point */
			if (from < off)
				from = off;	/* the end: from where the sample got to */
			buf_addc(out, '\n');	/* ends a message cut by the piece's end */
			off = from;
		}
		sampler_start(&sm, out, piece ? INPUT_SAMPLE_PIECE : INPUT_SAMPLE_HEAD, piece > 0);
		uint64_t limit = off + INPUT_SAMPLE_AHEAD;
		while (!sampler_full(&sm) && off < s->size && off < limit) {
			size_t want = s->size - off < SAMPLE_READ ? (size_t)(s->size - off) :
				      SAMPLE_READ;
			ssize_t r = pread(s->fd, tmp, want, (off_t)(s->base + off));
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				set_error(rf, "read error: %s", strerror(errno));
				ret = -1;
				break;
			}
			if (r == 0)
				break;		/* shrank: the scan will say so */
			sampler_add(&sm, tmp, (size_t)r);
			off += (uint64_t)r;
		}
		sampler_end(&sm, off >= s->size);
		if (ret < 0 || off >= s->size)
			break;
	}
	free(tmp);
	return ret;
}

int source_sample(struct source *s, struct buf *out, struct report_file *rf)
{
	return source_sample_until(s, out, rf, NULL, NULL);
}

int source_head_only(void *ctx, const char *p, size_t n)
{
	(void)ctx;
	(void)p;
	(void)n;
	return 1;
}

int source_sample_until(struct source *s, struct buf *out, struct report_file *rf,
			int (*enough)(void *ctx, const char *p, size_t n), void *ctx)
{
	buf_reset(out);
	if (s->regular && !s->gzip)
		return sample_pread(s, out, rf);

	/* a stream: decode its head; a descriptor keeps what it read for the scan */
	if (!s->regular && !s->replay.len && !s->raw_eof) {
		/* sniff the magic first, so that a refused format is said once */
		unsigned char tmp[8];
		while (s->replay.len < 6 && !s->raw_eof) {
			ssize_t r = read(s->fd, tmp, 6 - s->replay.len);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0) {
				set_error(rf, "read error: %s", strerror(errno));
				return -1;
			}
			if (r == 0)
				s->raw_eof = 1;
			buf_add(&s->replay, tmp, (size_t)r);
		}
		if (check_magic((unsigned char *)s->replay.p, s->replay.len, rf) < 0) {
			s->refused = 1;
			return -1;
		}
		s->gzip = is_gzip_magic((unsigned char *)s->replay.p, s->replay.len);
	}
	struct decoder *d = decoder_new(s, rf, 1);
	struct sampler sm = {0};
	char *tmp = xmalloc(SAMPLE_READ);
	size_t seen = 0;

	/* the head; once it is full, a piece from every INPUT_SAMPLE_STRIDE bytes read ahead, and
	 * the last bytes read (the end of a stream that ended within INPUT_SAMPLE_AHEAD) */
	size_t next_piece = 0;
	int fed = 1;			/* the last read went into the sample */
	struct buf last = {0};		/* else it is kept here, with the one before */
	sampler_start(&sm, out, INPUT_SAMPLE_HEAD, 0);
	while (seen < INPUT_SAMPLE_AHEAD) {
		ssize_t n = decoder_read(d, tmp, SAMPLE_READ);
		if (n <= 0)
			break;		/* errors are reported by the scan, which reads the same bytes */
		if (sampler_full(&sm)) {
			if (!next_piece) {
				if (enough && enough(ctx, out->p, out->len))
					break;	/* the head tells: no need to read on */
				next_piece = seen + INPUT_SAMPLE_STRIDE;
			} else if (seen >= next_piece) {
				sampler_end(&sm, 0);
				buf_addc(out, '\n');
				sampler_start(&sm, out, INPUT_SAMPLE_STREAM_PIECE, 1);
				next_piece = seen + INPUT_SAMPLE_STRIDE;
			}
		}
		fed = !sampler_full(&sm);
		if (fed) {
			sampler_add(&sm, tmp, (size_t)n);
			buf_reset(&last);
		} else {
			if (last.len > SAMPLE_READ) {	/* keep two reads */
				memmove(last.p, last.p + last.len - SAMPLE_READ, SAMPLE_READ);
				last.len = SAMPLE_READ;
			}
			buf_add(&last, tmp, (size_t)n);
		}
		seen += (size_t)n;
	}
	sampler_end(&sm, d->eof && fed);
	if (last.len) {
		buf_addc(out, '\n');
		sampler_start(&sm, out, INPUT_SAMPLE_PIECE, 1);
		sampler_add(&sm, last.p, last.len);
		sampler_end(&sm, d->eof);
	}
	buf_free(&last);
	free(tmp);
	decoder_free(d);
	return 0;
}

ssize_t source_read(struct source *s, char *dst, size_t cap, struct report_file *rf)
{
	if (!s->dec) {
		if (s->refused)
			return -1;	/* said once, when the sample was read */
		if (!s->regular && !s->replay.len && !s->raw_eof) {
			/* not sampled (a forced format): sniff the magic now */
			struct buf ignored = {0};
			int r = source_sample_until(s, &ignored, rf, source_head_only, NULL);
			buf_free(&ignored);
			if (r < 0)
				return -1;
		}
		s->dec = decoder_new(s, rf, 0);
		rf->gzip = s->gzip;
		if (s->skip == SOURCE_SKIP_ALL)
			s->dec->eof = 1;
	}
	/* the bytes read before (source_set_skip()), inflated into dst and dropped; a file that
	 * ends before them gives nothing */
	while (s->skip && s->skip != SOURCE_SKIP_ALL) {
		ssize_t n = decoder_read(s->dec, dst, s->skip < cap ? (size_t)s->skip : cap);
		if (n <= 0)
			return n;
		s->skip -= (uint64_t)n;
	}
	return decoder_read(s->dec, dst, cap);
}

uint64_t source_consumed(const struct source *s)
{
	return s->dec ? s->dec->consumed : 0;
}

void source_finish(struct source *s, struct report_file *rf)
{
	struct stat st;

	if (!s->regular || s->faulted || fstat(s->fd, &st) < 0)
		return;
	uint64_t now = (uint64_t)st.st_size;
	if (now < s->base + s->size) {
		shrank(s, now, rf);
	} else if (now > s->file_size && s->base + s->size == s->file_size && !rf->note) {
		struct buf b = {0};
		buf_printf(&b, "grew by %" PRIu64 " bytes while it was read (a live log): scanned "
			   "up to the %" PRIu64 " bytes it had when opened", now - s->size, s->size);
		rf->note = buf_cstr(&b);
	}
}
