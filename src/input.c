/*
 * input.c - sources: mmap for plain files, zlib for gzip (multi-member), read() for stdin.
 *
 * Layers: a raw reader (a mapped file, or a descriptor with a replay buffer for what the
 * sample already took from stdin) feeds a decoder (pass-through or inflate). The scanner gets
 * a whole mapped plain file in one call; everything else goes through a 4 MiB window whose
 * unfinished tail (an incomplete record) is carried to the next round.
 */
#include "input.h"
#include "inflate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define WINDOW (4u << 20)
#define READ_CHUNK (1u << 20)

struct decoder;

struct source {
	char *path;
	int fd;
	int is_stdin;
	int gzip;
	int64_t mtime_us;
	uint64_t size;
	const unsigned char *map;	/* whole file, when mapped */
	size_t map_len;
	/* raw reader state for descriptors */
	struct buf replay;		/* bytes already read (sample), given out again first */
	size_t replay_pos;
	int raw_eof;
	int sampling;			/* the sample may only look at the replay buffer */
	int refused;			/* a format we do not read (bzip2, xz...): already reported */
	struct decoder *dec;		/* source_read() state */
};

static void set_error(struct report_file *rf, const char *fmt, ...) ATTR_PRINTF(2, 3);

static void set_error(struct report_file *rf, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

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
	if (n >= 3 && memcmp(p, "BZh", 3) == 0 && n >= 4 && p[3] >= '1' && p[3] <= '9') {
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

struct source *source_open(const char *path, struct report_file *rf)
{
	struct source *s = xcalloc(1, sizeof(*s));
	struct stat st;

	s->fd = -1;
	s->path = xstrndup(path, strlen(path));
	if (strcmp(path, "-") == 0) {
		s->is_stdin = 1;
		s->fd = 0;
		s->mtime_us = now_us();
		return s;
	}
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		int e = errno;
		set_error(rf, "cannot open: %s%s", strerror(e),
			  e == ENOENT ? " (check the path or the glob)" :
			  e == EACCES ? " (run as a user who can read the logs, e.g. in group adm)" : "");
		goto fail;
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
	s->mtime_us = (int64_t)st.st_mtim.tv_sec * 1000000 + st.st_mtim.tv_nsec / 1000;
	if (S_ISREG(st.st_mode)) {
		s->size = (uint64_t)st.st_size;
		rf->stored_bytes = s->size;
		if (s->size > 0) {
			void *m = mmap(NULL, (size_t)s->size, PROT_READ, MAP_PRIVATE, s->fd, 0);
			if (m == MAP_FAILED) {
				set_error(rf, "cannot map: %s", strerror(errno));
				goto fail;
			}
			madvise(m, (size_t)s->size, MADV_SEQUENTIAL);
			s->map = m;
			s->map_len = (size_t)s->size;
		}
		if (check_magic(s->map, s->map_len, rf) < 0)
			goto fail;
		s->gzip = s->map_len >= 2 && s->map[0] == 0x1f && s->map[1] == 0x8b;
	}
	/* pipes and character devices (a named pipe, /dev/stdin) are read like stdin */
	return s;
fail:
	source_close(s);
	return NULL;
}

static void decoder_release(struct decoder *d);

void source_close(struct source *s)
{
	if (!s)
		return;
	if (s->dec) {
		decoder_release(s->dec);
		free(s->dec);
	}
	if (s->map)
		munmap((void *)s->map, s->map_len);
	if (s->fd > 0)
		close(s->fd);
	buf_free(&s->replay);
	free(s->path);
	free(s);
}

int64_t source_mtime_us(const struct source *s)
{
	return s->mtime_us;
}

const char *source_map(const struct source *s, size_t *len)
{
	if (!s->map || s->gzip)
		return NULL;
	*len = s->map_len;
	return (const char *)s->map;
}

/* Raw bytes from a descriptor source: the replay buffer first, then read(). */
static ssize_t raw_read(struct source *s, unsigned char *dst, size_t cap)
{
	if (s->replay_pos < s->replay.len) {
		size_t n = s->replay.len - s->replay_pos;
		if (n > cap)
			n = cap;
		memcpy(dst, s->replay.p + s->replay_pos, n);
		s->replay_pos += n;
		return (ssize_t)n;
	}
	if (s->raw_eof || s->sampling)
		return 0;
	for (;;) {
		ssize_t r = read(s->fd, dst, cap);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			s->raw_eof = 1;
		return r;
	}
}

/* Fill the replay buffer with the first bytes of a descriptor source (to sniff it). */
static int raw_prefetch(struct source *s, size_t want, struct report_file *rf)
{
	unsigned char tmp[65536];

	while (s->replay.len < want && !s->raw_eof) {
		ssize_t r = read(s->fd, tmp, sizeof(tmp));
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
	return 0;
}

/* ---- the decoder: plain or gzip, over the map or the raw reader */

struct decoder {
	struct source *s;
	struct report_file *rf;
	int gzip;
	struct gunzip *gz;
	const unsigned char *zin;	/* compressed input not yet consumed */
	size_t zin_len;
	int member_done;	/* between gzip members */
	int eof;
	const unsigned char *in;	/* mapped input, when mapped */
	size_t in_len, in_pos;
	size_t in_released;		/* mapped input before this was given back */
	unsigned char *rbuf;		/* raw read buffer, for descriptors */
	uint64_t consumed;		/* raw input bytes consumed (for progress) */
	int quiet;			/* sampling: errors are neither printed nor recorded */
	int failed;			/* an error is pending: report it on the next read */
};

/* Record a decoding error (unless sampling) and remember it. */
static void dec_error(struct decoder *d, const char *fmt, const char *arg)
{
	d->failed = 1;
	if (!d->quiet)
		set_error(d->rf, fmt, arg);
}

static int decoder_init(struct decoder *d, struct source *s, struct report_file *rf, int quiet)
{
	memset(d, 0, sizeof(*d));
	d->s = s;
	d->rf = rf;
	d->quiet = quiet;
	if (s->map) {
		d->in = s->map;
		d->in_len = s->map_len;
	} else {
		if (s->refused)
			return -1;	/* said once, when the sample was read */
		if (raw_prefetch(s, 6, rf) < 0)
			return -1;
		if (check_magic((unsigned char *)s->replay.p, s->replay.len, rf) < 0) {
			s->refused = 1;
			return -1;
		}
		s->gzip = s->replay.len >= 2 && (unsigned char)s->replay.p[0] == 0x1f &&
			  (unsigned char)s->replay.p[1] == 0x8b;
		d->rbuf = xmalloc(READ_CHUNK);
	}
	d->gzip = s->gzip;
	if (d->gzip)
		d->gz = gunzip_new();
	return 0;
}

static void decoder_release(struct decoder *d)
{
	gunzip_free(d->gz);
	free(d->rbuf);
}

/* Next raw input; returns bytes available at *p (0 at end), -1 on error. */
static ssize_t decoder_input(struct decoder *d, const unsigned char **p)
{
	if (!d->rbuf) {
		/* a mapped file, a piece at a time; the pieces already inflated are given back,
		 * so that resident memory does not grow with the compressed file */
		size_t done = d->in_pos & ~(size_t)4095;
		if (done > d->in_released) {
			madvise((void *)(d->in + d->in_released), done - d->in_released, MADV_DONTNEED);
			d->in_released = done;
		}
		*p = d->in + d->in_pos;
		size_t n = d->in_len - d->in_pos;
		if (n > READ_CHUNK)
			n = READ_CHUNK;
		d->in_pos += n;
		return (ssize_t)n;
	}
	ssize_t r = raw_read(d->s, d->rbuf, READ_CHUNK);
	if (r < 0) {
		dec_error(d, "read error: %s", strerror(errno));
		return -1;
	}
	*p = d->rbuf;
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
		if (d->in) {	/* a mapped plain file is never read through here */
			d->eof = 1;
			return 0;
		}
		ssize_t r = raw_read(d->s, (unsigned char *)dst, cap);
		if (r < 0) {
			dec_error(d, "read error: %s", strerror(errno));
			return -1;
		}
		d->consumed += (uint64_t)(r > 0 ? r : 0);
		if (r == 0)
			d->eof = 1;
		return r;
	}
	size_t filled = 0;
	while (filled < cap) {
		if (d->zin_len == 0) {
			const unsigned char *p;
			ssize_t n = decoder_input(d, &p);
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
			d->zin = p;
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

int source_sample(struct source *s, struct buf *out, struct report_file *rf)
{
	struct decoder d;
	int ret = 0;

	buf_reset(out);
	if (s->map && !s->gzip) {
		size_t n = s->map_len < INPUT_SAMPLE_BYTES ? s->map_len : INPUT_SAMPLE_BYTES;
		buf_add(out, s->map, n);
		return 0;
	}
	if (!s->map && s->fd >= 0) {
		/* descriptor: read ahead into the replay buffer; the scan sees it again */
		if (raw_prefetch(s, INPUT_SAMPLE_BYTES, rf) < 0)
			return -1;
	}
	/* errors in the sample are reported by the scan, which reads the same bytes */
	if (decoder_init(&d, s, rf, 1) < 0) {
		decoder_release(&d);
		return -1;
	}
	buf_grow(out, INPUT_SAMPLE_BYTES);
	s->sampling = 1;
	while (out->len < INPUT_SAMPLE_BYTES) {
		ssize_t n = decoder_read(&d, out->p + out->len, INPUT_SAMPLE_BYTES - out->len);
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	decoder_release(&d);
	s->sampling = 0;
	s->replay_pos = 0;
	return ret;
}

ssize_t source_read(struct source *s, char *dst, size_t cap, struct report_file *rf)
{
	if (!s->dec) {
		s->dec = xcalloc(1, sizeof(*s->dec));
		if (decoder_init(s->dec, s, rf, 0) < 0) {
			s->dec->failed = 1;
			return -1;
		}
		rf->gzip = s->gzip;
	}
	if (s->map && !s->gzip) {	/* a mapped plain file read as a stream */
		size_t n = s->map_len - s->dec->in_pos;
		if (n > cap)
			n = cap;
		memcpy(dst, s->map + s->dec->in_pos, n);
		s->dec->in_pos += n;
		s->dec->consumed += n;
		return (ssize_t)n;
	}
	return decoder_read(s->dec, dst, cap);
}

uint64_t source_consumed(const struct source *s)
{
	return s->dec ? s->dec->consumed : 0;
}
