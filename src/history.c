/*
 * history.c - incremental nightly runs (history.h, docs/history.md): the history directory,
 * its lock, version and manifest; which bytes of each input are new; the night's states
 * merged into its report; the trend of the nights kept.
 *
 * Why states: a run that reads only what was appended is a shard of the archive, and
 * src/state.c already merges shards exactly, in time order, calls crossing the cuts
 * included. A night is the list of its runs' states (a run at 00:05 and another at 08:00
 * are two shards of the night); a new night starts from a state that holds only the calls
 * left open at the end of the night before (state_carry()), so that a call whose INVITE was
 * read last night and its final response tonight is settled right, and counted tonight.
 *
 * Nothing is lost on failure: every file is written under a temporary name, flushed and
 * renamed (output.h), and the manifest, renamed last, is what makes a run count. A state of
 * the night beyond what the manifest lists is one of a run that failed: the next run writes
 * over it. Every file of DIR is read as input from an attacker (lengths, counts, dates and
 * numbers checked; the states by state.c), and every table is bounded.
 */
#include "history.h"
#include "figures.h"
#include "htab.h"
#include "input.h"
#include "output.h"
#include "state.h"
#include "timeparse.h"
#include "tz.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define MANIFEST_MAGIC "siplogscan-history-manifest"
#define VERSION_MAGIC "siplogscan history"
#define MANIFEST_MAX (64u << 20)	/* a manifest larger than this is not one we write */
#define PATH_HEX_MAX 8192		/* hex digits of a path kept in the manifest */

/* One input the history knows: who it is and how far it was read. */
struct ident {
	uint64_t serial;		/* who it is to the history's states (below) */
	uint64_t dev, ino;
	uint32_t plen, crc;		/* its first plen (<= HISTORY_PREFIX) uncompressed bytes */
	uint64_t consumed;		/* uncompressed bytes read, up to a line's end */
	uint64_t stored;		/* gzip read to its end: its size on disk then */
	int gzip, complete;		/* complete: a gzip file read to its end */
	char night[11];			/* the last night it was named */
	char *path;			/* as it was last named (for people reading the manifest) */
	int taken;			/* matched by an input of this run */
};

/* An input of this run, planned (history_plan()): its identity now, and the match. */
struct pending {
	struct ident id;
	int match;			/* index in ids, -1: new */
	struct history_plan plan;
};

struct history {
	char *dir;
	int lock_fd;
	char night[11];			/* this run's */
	unsigned keep;
	const char *host;		/* --host NAME: the proxy its states name; NULL: none */
	/* the manifest */
	char last_night[11];		/* the night of the last run ("" when none) */
	unsigned nstates, nruns;	/* of last_night: its states (the carry included), runs */
	struct report_trend_night *trend;
	size_t ntrend;
	struct ident *ids;
	size_t nids, icap;
	/* this run */
	struct pending *pend;
	size_t npend, pcap;
	unsigned states;		/* states of the night before this run's */
	unsigned runs;			/* runs of the night before this one */
	int made_carry;			/* this run wrote the night's carry (000.state) */
	int made_night;			/* this run created the night's directory */
};

static int hist_error(const struct history *h, const char *fmt, ...) ATTR_PRINTF(2, 3);

static int hist_error(const struct history *h, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	err_msg("--history: '%s': %s", h->dir, buf_cstr(&b));
	buf_free(&b);
	return -1;
}

static char *path_in(const struct history *h, const char *a, const char *b)
{
	struct buf p = {0};

	buf_printf(&p, "%s/%s", h->dir, a);
	if (b)
		buf_printf(&p, "/%s", b);
	return buf_cstr(&p);
}

static char *state_path(const struct history *h, const char *night, unsigned k)
{
	struct buf p = {0};

	buf_printf(&p, "%s/nights/%s/%03u.state", h->dir, night, k);
	return buf_cstr(&p);
}

/* YYYY-MM-DD, a date that exists */
static int valid_date(const char *s)
{
	unsigned y, m, d;
	char tail;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return 0;
	if (sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3 || y < 1 || m < 1 || m > 12 ||
	    d < 1)
		return 0;
	/* the day exists in its month */
	static const unsigned mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap);
}

/* Today in the zone set up (--tz, else TZ, else /etc/localtime). */
static void today(char out[11])
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t us = (int64_t)ts.tv_sec * 1000000;
	time_t local = (time_t)(ts.tv_sec + tz_offset(us));
	gmtime_r(&local, &tm);
	char tmp[40];
	snprintf(tmp, sizeof(tmp), "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

/* Read a small file whole; 0, 1 when it does not exist, -1 after errno is set. */
static int read_small(const char *path, struct buf *out, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char tmp[65536];

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	for (;;) {
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		buf_add(out, tmp, (size_t)n);
		if (out->len > max) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* Replace path with b, all or nothing (output.h: temporary, fsync, rename). */
static int write_whole(const char *path, const struct buf *b)
{
	struct output_file *f = output_open(path, "--history");

	if (!f)
		return -1;
	output_append(f, b->p, b->len);
	return output_commit(f);
}

/* The directory's entries reach the disk too (the renames). */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* ---- the manifest */

static void put_hex(struct buf *b, const char *s)
{
	static const char hx[] = "0123456789abcdef";

	if (!*s) {
		buf_addc(b, '-');
		return;
	}
	for (size_t i = 0; s[i] && i < PATH_HEX_MAX / 2; i++) {
		buf_addc(b, hx[(unsigned char)s[i] >> 4]);
		buf_addc(b, hx[(unsigned char)s[i] & 15]);
	}
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *get_hex(const char *s)
{
	size_t n = strlen(s);

	if (strcmp(s, "-") == 0)
		return xstrndup("", 0);
	if (n % 2 || n > PATH_HEX_MAX)
		return NULL;
	char *out = xmalloc(n / 2 + 1);
	for (size_t i = 0; i < n; i += 2) {
		int a = hexval(s[i]), b = hexval(s[i + 1]);
		if (a < 0 || b < 0 || (a == 0 && b == 0)) {
			free(out);
			return NULL;
		}
		out[i / 2] = (char)(a << 4 | b);
	}
	out[n / 2] = '\0';
	return out;
}

/* A decimal number, whole token. */
static int get_num(const char *s, uint64_t *out)
{
	char *end;

	if (!is_digit(*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static void put_value(struct buf *b, const struct report_trend_value *v, int ratio)
{
	if (!v->known)
		buf_adds(b, " -");
	else if (ratio)
		buf_printf(b, " %" PRIu64 "/%" PRIu64, v->num, v->den);
	else
		buf_printf(b, " %" PRIu64, v->num);
}

static int get_value(const char *s, struct report_trend_value *v)
{
	memset(v, 0, sizeof(*v));
	if (strcmp(s, "-") == 0)
		return 0;
	const char *slash = strchr(s, '/');
	char head[32];
	if (slash) {
		if ((size_t)(slash - s) >= sizeof(head))
			return -1;
		memcpy(head, s, (size_t)(slash - s));
		head[slash - s] = '\0';
		if (get_num(head, &v->num) < 0 || get_num(slash + 1, &v->den) < 0 || !v->den ||
		    v->num > v->den)
			return -1;
	} else if (get_num(s, &v->num) < 0) {
		return -1;
	}
	v->known = 1;
	return 0;
}

static int trend_is_ratio(int k)
{
	const struct figure *f = figure_by_id(report_trend_ids[k]);

	return f && f->unit == UNIT_PERCENT;
}

static void manifest_text(const struct history *h, struct buf *b)
{
	buf_printf(b, "%s %u\n", MANIFEST_MAGIC, HISTORY_VERSION);
	if (h->last_night[0])
		buf_printf(b, "night %s %u %u\n", h->last_night, h->nstates, h->nruns);
	for (size_t i = 0; i < h->ntrend; i++) {
		buf_printf(b, "trend %s", h->trend[i].night);
		for (int k = 0; k < REPORT_TREND_FIGS; k++)
			put_value(b, &h->trend[i].v[k], trend_is_ratio(k));
		buf_addc(b, '\n');
	}
	for (size_t i = 0; i < h->nids; i++) {
		const struct ident *d = &h->ids[i];
		buf_printf(b, "input %" PRIu64 " %" PRIu64 " %" PRIu64 " %u %u %" PRIu64 " %d %"
			   PRIu64 " %d %s ", d->serial, d->dev, d->ino, d->plen, d->crc, d->consumed, d->gzip, d->stored,
			   d->complete, d->night);
		put_hex(b, d->path ? d->path : "");
		buf_addc(b, '\n');
	}
	uint32_t crc = (uint32_t)crc32(0, (const Bytef *)b->p, (uInt)b->len);
	buf_printf(b, "end %08x\n", crc);
}

/* Split a line into at most max tokens at spaces; the count, -1 when more. */
static int tokens(char *line, char **tok, int max)
{
	int n = 0;

	for (char *p = line; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int manifest_parse(struct history *h, char *text, size_t len, const char **why)
{
	/* the checksum line ends it: a manifest cut short, or edited, is damaged */
	char *endl = NULL;
	if (len < 14 || text[len - 1] != '\n' || memchr(text, '\0', len)) {
		*why = "is truncated or is not a manifest";
		return -1;
	}
	text[len - 1] = '\0';
	endl = strrchr(text, '\n');
	if (!endl || strncmp(endl + 1, "end ", 4) != 0 || strlen(endl + 1) != 12) {
		*why = "is truncated: it does not end with its checksum line";
		return -1;
	}
	uint32_t want = (uint32_t)strtoul(endl + 5, NULL, 16);
	if ((uint32_t)crc32(0, (const Bytef *)text, (uInt)(endl + 1 - text)) != want) {
		*why = "is damaged: its checksum does not match its contents";
		return -1;
	}
	*endl = '\0';
	char *save = NULL;
	int first = 1;
	size_t tcap = 0;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tok[16];
		int n = tokens(line, tok, 16);
		*why = "holds a line that is not one siplogscan writes";
		if (n < 1)
			return -1;
		if (first) {
			uint64_t v;
			if (n != 2 || strcmp(tok[0], MANIFEST_MAGIC) != 0 || get_num(tok[1], &v) < 0 ||
			    v != HISTORY_VERSION)
				return -1;
			first = 0;
		} else if (strcmp(tok[0], "night") == 0) {
			uint64_t s, r;
			if (n != 4 || !valid_date(tok[1]) || get_num(tok[2], &s) < 0 ||
			    get_num(tok[3], &r) < 0 || s > HISTORY_MAX_RUNS + 1 || r > s ||
			    h->last_night[0])
				return -1;
			memcpy(h->last_night, tok[1], 11);
			h->nstates = (unsigned)s;
			h->nruns = (unsigned)r;
		} else if (strcmp(tok[0], "trend") == 0) {
			if (n != 2 + REPORT_TREND_FIGS || !valid_date(tok[1]) ||
			    h->ntrend >= REPORT_TREND_MAX ||
			    (h->ntrend && strcmp(h->trend[h->ntrend - 1].night, tok[1]) >= 0))
				return -1;
			if (h->ntrend == tcap) {
				tcap = tcap ? tcap * 2 : 32;
				h->trend = xrealloc(h->trend, tcap * sizeof(*h->trend));
			}
			struct report_trend_night *t = &h->trend[h->ntrend];
			memcpy(t->night, tok[1], 11);
			for (int k = 0; k < REPORT_TREND_FIGS; k++)
				if (get_value(tok[2 + k], &t->v[k]) < 0)
					return -1;
			h->ntrend++;
		} else if (strcmp(tok[0], "input") == 0) {
			uint64_t v[8], serial;
			if (n != 12 || h->nids >= HISTORY_MAX_INPUTS || get_num(tok[1], &serial) < 0)
				return -1;
			for (int k = 0; k < 8; k++)
				if (get_num(tok[2 + k], &v[k]) < 0)
					return -1;
			if (v[2] > HISTORY_PREFIX || v[3] > UINT32_MAX || v[5] > 1 || v[7] > 1 ||
			    !valid_date(tok[10]))
				return -1;
			char *path = get_hex(tok[11]);
			if (!path)
				return -1;
			if (h->nids == h->icap) {
				h->icap = h->icap ? h->icap * 2 : 32;
				h->ids = xrealloc(h->ids, h->icap * sizeof(*h->ids));
			}
			struct ident *d = &h->ids[h->nids++];
			memset(d, 0, sizeof(*d));
			d->serial = serial;
			d->dev = v[0];
			d->ino = v[1];
			d->plen = (uint32_t)v[2];
			d->crc = (uint32_t)v[3];
			d->consumed = v[4];
			d->gzip = (int)v[5];
			d->stored = v[6];
			d->complete = (int)v[7];
			memcpy(d->night, tok[10], 11);
			d->path = path;
		} else {
			return -1;
		}
	}
	if (first) {
		*why = "is not a manifest (no first line)";
		return -1;
	}
	/* the night of the last run is the trend's last */
	if (h->last_night[0] && (!h->ntrend || strcmp(h->trend[h->ntrend - 1].night,
						      h->last_night) != 0)) {
		*why = "does not list the trend of its last night";
		return -1;
	}
	return 0;
}

/* ---- opening */

/* DIR holds nothing but what a failed first run may have left (its lock). */
static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "lock") == 0)
			continue;
		empty = 0;
		break;
	}
	closedir(d);
	return empty;
}

/* Can a file be created in dir (root passes every permission check, not a read-only
 * mount, a full disk's inodes, or ACLs)? 0, or -1 with errno. */
static int probe_write(const char *dir)
{
	struct buf p = {0};

	buf_printf(&p, "%s/.probeXXXXXX", dir);
	char *path = buf_cstr(&p);
	int fd = mkstemp(path);
	int e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	free(path);
	errno = e;
	return fd >= 0 ? 0 : -1;
}

static int take_lock(struct history *h)
{
	char *path = path_in(h, "lock", NULL);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		int e = errno;
		free(path);
		return hist_error(h, "cannot open its lock file: %s (give a directory this user "
				  "can write)", strerror(e));
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		char pid[32] = "";
		ssize_t n = e == EWOULDBLOCK ? pread(fd, pid, sizeof(pid) - 1, 0) : -1;
		close(fd);
		free(path);
		if (e != EWOULDBLOCK)
			return hist_error(h, "cannot lock: %s", strerror(e));
		long v = 0;
		if (n > 0) {
			pid[n] = '\0';
			char *end;
			v = strtol(pid, &end, 10);
			if (end == pid || (*end && *end != '\n') || v <= 0)
				v = 0;
		}
		if (v)
			err_msg("--history: another siplogscan run (pid %ld) holds '%s': one run "
				"at a time; wait for it to end, or give another --history", v,
				h->dir);
		else
			err_msg("--history: another process holds '%s' (its lock file is locked): "
				"one run at a time; wait for it to end, or give another --history",
				h->dir);
		return -1;
	}
	free(path);
	h->lock_fd = fd;
	return 0;
}

struct history *history_open(const char *dir, const char *date, unsigned keep)
{
	struct history *h = xcalloc(1, sizeof(*h));
	struct stat st;
	struct buf b = {0};

	h->dir = xstrndup(dir, strlen(dir));
	h->lock_fd = -1;
	h->keep = keep;
	/* a write past `ulimit -f` fails with EFBIG, as a full disk does, instead of ending
	 * the run halfway */
	signal(SIGXFSZ, SIG_IGN);
	if (date && !valid_date(date)) {
		err_msg("--history-date: expected a date, YYYY-MM-DD, got '%s'", date);
		goto fail;
	}
	if (date)
		memcpy(h->night, date, 11);
	else
		today(h->night);

	if (stat(dir, &st) < 0) {
		int e = errno;
		if (e != ENOENT) {
			hist_error(h, "cannot be used: %s%s", strerror(e), e == ENOTDIR ?
				   " (a part of the path is a file, not a directory)" : "");
			goto fail;
		}
		if (mkdir(dir, 0777) < 0) {
			e = errno;
			hist_error(h, "cannot be created: %s%s", strerror(e), e == ENOENT ?
				   " (its parent directory does not exist: create it first)" :
				   e == ENOTDIR ? " (a part of the path is a file, not a "
				   "directory)" : "");
			goto fail;
		}
	} else if (!S_ISDIR(st.st_mode)) {
		hist_error(h, "is not a directory: --history names a directory that siplogscan "
			   "keeps its runs in (created when it does not exist)");
		goto fail;
	}
	if (probe_write(dir) < 0) {
		int e = errno;
		hist_error(h, "cannot be written: %s (give a directory this user can write, "
			   "on a disk with room)", strerror(e));
		goto fail;
	}

	/* the version first: a directory that is not a history is left as it is */
	char *vpath = path_in(h, "version", NULL);
	int r = read_small(vpath, &b, 4096);
	int fresh = 0;
	if (r < 0) {
		hist_error(h, "cannot read its version file: %s", strerror(errno));
		free(vpath);
		goto fail;
	}
	if (r == 1) {
		if (!dir_is_empty(dir)) {
			hist_error(h, "holds files but is not a siplogscan history (it has no "
				   "version file): give a new or empty directory");
			free(vpath);
			goto fail;
		}
		fresh = 1;
	} else {
		unsigned v = 0;
		char tail = 0;
		char *text = buf_cstr(&b);
		b = (struct buf){0};
		int ok = sscanf(text, VERSION_MAGIC " %u%c", &v, &tail) == 2 && tail == '\n' &&
			 strlen(text) < 64;
		free(text);
		if (!ok) {
			hist_error(h, "its version file is not one siplogscan writes (it should "
				   "read '%s %u')", VERSION_MAGIC, HISTORY_VERSION);
			free(vpath);
			goto fail;
		}
		if (v != HISTORY_VERSION) {
			hist_error(h, "is a history of version %u; this siplogscan reads and writes "
				   "history version %u: use the siplogscan that wrote it, or start "
				   "a new history in another directory", v, HISTORY_VERSION);
			free(vpath);
			goto fail;
		}
	}
	if (take_lock(h) < 0) {
		free(vpath);
		goto fail;
	}
	if (fresh) {
		buf_reset(&b);
		buf_printf(&b, "%s %u\n", VERSION_MAGIC, HISTORY_VERSION);
		int w = write_whole(vpath, &b);
		buf_reset(&b);
		if (w < 0) {
			free(vpath);
			goto fail;
		}
	}
	free(vpath);
	/* the lock file says who holds it, for the message of a run that finds it held */
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(h->lock_fd, 0) < 0 || pwrite(h->lock_fd, pid, (size_t)n, 0) != n) {
		hist_error(h, "cannot write its lock file: %s", strerror(errno));
		goto fail;
	}

	char *mpath = path_in(h, "manifest", NULL);
	buf_reset(&b);
	r = read_small(mpath, &b, MANIFEST_MAX);
	free(mpath);
	if (r < 0) {
		hist_error(h, "cannot read its manifest: %s", strerror(errno));
		goto fail;
	}
	if (r == 0) {
		const char *why = NULL;
		size_t len = b.len;
		char *text = buf_cstr(&b);
		b = (struct buf){0};
		int ok = manifest_parse(h, text, len, &why);
		free(text);
		if (ok < 0) {
			hist_error(h, "its manifest %s: restore DIR from a backup, or start a new "
				   "history in another directory", why);
			goto fail;
		}
	}
	if (h->last_night[0] && strcmp(h->night, h->last_night) < 0) {
		hist_error(h, "its last run was on the night of %s, after this run's (%s): the "
			   "nights of a history go forward (check the clock, --tz and "
			   "--history-date)", h->last_night, h->night);
		goto fail;
	}
	buf_free(&b);
	return h;
fail:
	buf_free(&b);
	history_close(h);
	return NULL;
}

void history_close(struct history *h)
{
	if (!h)
		return;
	if (h->lock_fd >= 0) {
		/* no pid left behind: a process that holds the lock later is not named by it */
		if (ftruncate(h->lock_fd, 0) < 0)
			err_errno("--history: '%s': cannot clear its lock file", h->dir);
		close(h->lock_fd);	/* the lock goes with it */
	}
	for (size_t i = 0; i < h->nids; i++)
		free(h->ids[i].path);
	for (size_t i = 0; i < h->npend; i++)
		free(h->pend[i].id.path);
	free(h->ids);
	free(h->pend);
	free(h->trend);
	free(h->dir);
	free(h);
}

static void undo(struct history *h, const char *shard);

/* ---- before the scan */

static void free_paths(char **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i]);
	free(p);
}

static int make_night_dir(struct history *h)
{
	char *nights = path_in(h, "nights", NULL);
	char *night = path_in(h, "nights", h->night);
	int rc = 0;

	if (mkdir(nights, 0777) < 0 && errno != EEXIST)
		rc = hist_error(h, "cannot create '%s': %s", nights, strerror(errno));
	else if (mkdir(night, 0777) == 0)
		h->made_night = 1;
	else if (errno != EEXIST)
		rc = hist_error(h, "cannot create '%s': %s", night, strerror(errno));
	free(nights);
	free(night);
	return rc;
}

int history_prepare(struct history *h, const struct analysis_opts *o, const char *host)
{
	int same = h->last_night[0] && strcmp(h->last_night, h->night) == 0;

	state_set_caller("--history");
	h->host = host;
	if (h->last_night[0] && h->nstates) {
		/* the options are the history's: its last state says which */
		char *last = state_path(h, h->last_night, h->nstates - 1);
		const char *d = NULL;
		int r = state_check_opts(last, o, host, &d);
		free(last);
		if (r < 0)
			return hist_error(h, "holds a state that cannot be read (above): restore "
					  "DIR from a backup, or start a new history in another "
					  "directory");
		if (d)
			return hist_error(h, "was run with another %s: the options that change the "
					  "figures must stay those of the history (give the same, or "
					  "start a new history in another directory)", d);
	}
	if (same) {
		h->states = h->nstates;
		h->runs = h->nruns;
		if (h->states >= HISTORY_MAX_RUNS)
			return hist_error(h, "has %u runs on the night of %s already, the most one "
					  "night keeps", h->states, h->night);
		return 0;
	}
	h->states = h->runs = 0;
	if (make_night_dir(h) < 0)
		return -1;
	if (!h->last_night[0] || !h->nstates)
		return 0;
	/* a new night goes on from the calls left open at the end of the last */
	char **paths = xcalloc(h->nstates, sizeof(*paths));
	for (unsigned k = 0; k < h->nstates; k++)
		paths[k] = state_path(h, h->last_night, k);
	char *carry = state_path(h, h->night, 0);
	struct analysis_opts co = *o;
	int r = state_carry(paths, h->nstates, &co, carry);	/* it keeps their host */
	free_paths(paths, h->nstates);
	free(carry);
	if (r < 0) {
		undo(h, NULL);	/* the night's directory, when this run made it */
		return hist_error(h, "the calls left open on the night of %s could not be "
				  "carried over (above): the history is as it was", h->last_night);
	}
	h->made_carry = 1;
	h->states = 1;
	return 0;
}

/* ---- one input */

/* The end of the last complete line of a plain file of size bytes: a line being written
 * is left for the next run. */
static int last_line_end(int fd, uint64_t size, uint64_t from, uint64_t *out)
{
	char tmp[65536];
	uint64_t at = size;

	while (at > from) {
		size_t n = at - from > sizeof(tmp) ? sizeof(tmp) : (size_t)(at - from);
		ssize_t r = pread(fd, tmp, n, (off_t)(at - n));
		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)n)
			return -1;
		const char *nl = memrchr(tmp, '\n', n);
		if (nl) {
			*out = at - n + (uint64_t)(nl - tmp) + 1;
			return 0;
		}
		at -= n;
	}
	*out = from;
	return 0;
}

int history_plan(struct history *h, const char *path, struct history_plan *p)
{
	struct report_file rf = { .path = (char *)path };
	struct stat st;
	char prefix[HISTORY_PREFIX];
	size_t plen = 0;

	memset(p, 0, sizeof(*p));
	p->slot = -1;
	if (h->npend >= HISTORY_MAX_INPUTS) {
		err_msg("--history: more than %d inputs in one run", HISTORY_MAX_INPUTS);
		return -1;
	}
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;	/* the scan says why */
	struct source *s = source_open(path, &rf);
	if (!s)
		goto unread;
	p->gzip = source_stream(s);
	while (plen < sizeof(prefix)) {
		ssize_t n = source_read(s, prefix + plen, sizeof(prefix) - plen, &rf);
		if (n <= 0)
			break;
		plen += (size_t)n;
	}
	source_close(s);
	if (rf.status != FILE_OK)
		goto unread;

	struct pending pe = { .match = -1 };
	pe.id.dev = (uint64_t)st.st_dev;
	pe.id.ino = (uint64_t)st.st_ino;
	pe.id.plen = (uint32_t)plen;
	pe.id.crc = (uint32_t)crc32(0, (const Bytef *)prefix, (uInt)plen);
	pe.id.gzip = p->gzip;
	pe.id.path = xstrndup(path, strlen(path));
	/* who it is: the same file (device and inode) with the first bytes it had, else a file
	 * that starts with the bytes of one read before (renamed and compressed by logrotate) */
	for (int pass = 0; pass < 2 && pe.match < 0; pass++)
		for (size_t i = 0; i < h->nids; i++) {
			struct ident *d = &h->ids[i];
			if (d->taken || d->plen > plen || (pass == 0 && (d->dev != pe.id.dev ||
									 d->ino != pe.id.ino)))
				continue;
			if (pass == 1 && !d->plen)
				continue;	/* nothing to know it by but its inode */
			if ((uint32_t)crc32(0, (const Bytef *)prefix, d->plen) != d->crc)
				continue;
			pe.match = (int)i;
			break;
		}
	const struct ident *d = pe.match >= 0 ? &h->ids[pe.match] : NULL;
	if (d && !p->gzip && d->consumed > (uint64_t)st.st_size) {
		/* shorter than what was read: rewritten, a new file; the old one is forgotten */
		memcpy(h->ids[pe.match].night, "0000-00-00", 11);
		h->ids[pe.match].taken = 1;
		d = NULL;
	}
	if (d && p->gzip && d->gzip && d->complete && d->stored == (uint64_t)st.st_size) {
		p->skip = SOURCE_SKIP_ALL;	/* read to its end before, and unchanged */
		p->skipped = d->consumed;
	} else if (p->gzip) {
		p->skip = d ? d->consumed : 0;
		p->skipped = p->skip;
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		uint64_t from = d ? d->consumed : 0, end = from;
		int r = fd >= 0 ? last_line_end(fd, (uint64_t)st.st_size, from, &end) : -1;
		if (fd >= 0)
			close(fd);
		if (r < 0) {
			free(pe.id.path);
			return -1;
		}
		p->ranged = 1;
		p->start = from;
		p->end = end;
		p->skipped = from;
	}
	/* the states know an input by its serial, not its inode: logrotate frees the inode of
	 * the file it compresses, and the new live log may get it back (merge would take its
	 * bytes for the old file's, read twice) */
	if (!d) {
		pe.match = -1;
		uint8_t r[8];
		random_seed(r, sizeof(r));
		memcpy(&pe.id.serial, r, sizeof(r));
		pe.id.serial >>= 1;	/* a positive number in the manifest, never 0 */
		pe.id.serial |= 1;
	} else {
		pe.id.serial = d->serial;
		h->ids[pe.match].taken = 1;
	}
	pe.id.stored = (uint64_t)st.st_size;
	p->slot = (int)h->npend;
	pe.plan = *p;
	if (h->npend == h->pcap) {
		h->pcap = h->pcap ? h->pcap * 2 : 32;
		h->pend = xrealloc(h->pend, h->pcap * sizeof(*h->pend));
	}
	h->pend[h->npend++] = pe;
	return 0;
unread:
	free(rf.error);
	free(rf.note);
	return -1;
}

/* ---- after the scan */

static void trend_of(const struct report *r, const char *night, struct report_trend_night *t)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->night, night, 11);
	for (int k = 0; k < REPORT_TREND_FIGS; k++) {
		const struct figure *f = figure_by_id(report_trend_ids[k]);
		struct figure_value v;
		if (!f)
			continue;
		figure_value(f, r, &v);
		t->v[k].known = v.known;
		if (!v.known)
			continue;
		if (f->unit == UNIT_PERCENT) {
			t->v[k].num = v.num;
			t->v[k].den = v.den;
		} else {
			t->v[k].num = v.v > 0 ? (uint64_t)v.v : 0;
		}
	}
}

/* Remove a night's directory and the states in it (pruned by --keep). */
static void remove_night(const struct history *h, const char *night)
{
	char *dir = path_in(h, "nights", night);
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			struct buf p = {0};
			buf_printf(&p, "%s/%s", dir, e->d_name);
			char *f = buf_cstr(&p);
			unlink(f);
			free(f);
		}
		closedir(d);
	}
	rmdir(dir);
	free(dir);
}

/* The nights not in the trend any more (--keep), and what a failed run left. */
static void prune(const struct history *h)
{
	char *dir = path_in(h, "nights", NULL);
	DIR *d = opendir(dir);
	struct dirent *e;
	char (*gone)[11] = NULL;
	size_t n = 0;

	free(dir);
	if (!d)
		return;
	while ((e = readdir(d)) && n < REPORT_TREND_MAX * 2) {
		if (!valid_date(e->d_name))
			continue;
		size_t i = 0;
		while (i < h->ntrend && strcmp(h->trend[i].night, e->d_name) != 0)
			i++;
		if (i < h->ntrend)
			continue;
		gone = xrealloc(gone, (n + 1) * sizeof(*gone));
		memcpy(gone[n++], e->d_name, 11);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++)
		remove_night(h, gone[i]);
	free(gone);
}

/* Undo what this run wrote in the night (its state, the carry, the directory). */
static void undo(struct history *h, const char *shard)
{
	if (shard)
		unlink(shard);
	if (h->made_carry) {
		char *c = state_path(h, h->night, 0);
		unlink(c);
		free(c);
	}
	if (h->made_night) {
		char *dir = path_in(h, "nights", h->night);
		rmdir(dir);
		free(dir);
	}
}

int history_finish(struct history *h, struct analysis *an, struct report *rep,
		   const struct history_plan *plans, struct analysis_opts *o)
{
	struct analysis_part part;
	size_t nf = rep->nfiles;
	struct state_range *rg = xcalloc(nf ? nf : 1, sizeof(*rg));
	uint64_t bytes_read = 0, skipped = 0;

	/* the shard: each input's bytes as read, under the identity it was planned with */
	for (size_t k = 0; k < nf; k++) {
		const struct history_plan *p = &plans[k];
		const struct report_file *f = &rep->files[k];
		rg[k] = (struct state_range){ 0, UINT64_MAX, 0, 0, 0, 0 };
		bytes_read += f->bytes;
		if (p->slot < 0)
			continue;
		const struct ident *id = &h->pend[p->slot].id;
		skipped += p->skipped;
		if (p->ranged)
			rg[k] = (struct state_range){ p->start, p->end, 1, id->dev, id->serial,
						      id->stored };
		else if (p->skip == SOURCE_SKIP_ALL)
			rg[k] = (struct state_range){ p->skipped, p->skipped, 1, id->dev, id->serial,
						      id->stored };
		else
			rg[k] = (struct state_range){ p->skip, p->skip + f->bytes, 1, id->dev,
						      id->serial, id->stored };
	}
	char *shard = state_path(h, h->night, h->states);
	analysis_part_end(an, &part);
	int rc = state_write(shard, &part, rep, rg, o, h->host);
	analysis_part_release(&part);
	if (rc < 0) {
		free(rg);
		undo(h, NULL);
		free(shard);
		return hist_error(h, "this run's state could not be written (above): the history "
				  "is as it was");
	}

	/* the night's report: its states merged in order, this run's last */
	unsigned n = h->states + 1;
	char **paths = xcalloc(n, sizeof(*paths));
	for (unsigned k = 0; k < n; k++)
		paths[k] = state_path(h, h->night, k);
	struct report night = { 0 };
	struct analysis_opts mo = *o;
	rc = state_merge(paths, n, &mo, STATE_GIVEN_TOP, NULL, NULL, &night);
	free_paths(paths, n);
	if (rc < 0) {
		free(rg);
		undo(h, shard);
		free(shard);
		return hist_error(h, "the night's states could not be merged (above): the "
				  "history is as it was");
	}
	*o = mo;

	/* the manifest: the inputs, how far each was read; the night, its trend */
	for (size_t k = 0; k < nf; k++) {
		const struct history_plan *p = &plans[k];
		if (p->slot < 0)
			continue;
		struct pending *pe = &h->pend[p->slot];
		struct ident id = pe->id;
		memcpy(id.night, h->night, 11);
		id.consumed = p->ranged ? p->end : p->skip == SOURCE_SKIP_ALL ? p->skipped :
			      p->skip + rep->files[k].bytes;
		id.complete = p->gzip && rep->files[k].status == FILE_OK;
		if (pe->match >= 0) {
			struct ident *d = &h->ids[pe->match];
			if (d->plen > id.plen) {	/* keep the longer prefix it is known by */
				id.plen = d->plen;
				id.crc = d->crc;
			}
			free(d->path);
			*d = id;
		} else {
			if (h->nids == h->icap) {
				h->icap = h->icap ? h->icap * 2 : 32;
				h->ids = xrealloc(h->ids, h->icap * sizeof(*h->ids));
			}
			h->ids[h->nids++] = id;
		}
		pe->id.path = NULL;	/* the manifest's now */
	}
	struct report_trend_night t;
	trend_of(&night, h->night, &t);
	if (!h->ntrend || strcmp(h->trend[h->ntrend - 1].night, h->night) != 0) {
		h->trend = xrealloc(h->trend, (h->ntrend + 1) * sizeof(*h->trend));
		h->ntrend++;
	}
	h->trend[h->ntrend - 1] = t;
	if (h->ntrend > h->keep) {
		size_t drop = h->ntrend - h->keep;
		memmove(h->trend, h->trend + drop, h->keep * sizeof(*h->trend));
		h->ntrend = h->keep;
	}
	/* an input not named since the oldest night kept is forgotten; so are the oldest
	 * named when there are more than the manifest keeps */
	size_t w = 0;
	for (size_t i = 0; i < h->nids; i++) {
		if (strcmp(h->ids[i].night, h->trend[0].night) < 0 ||
		    (h->nids - i > HISTORY_MAX_INPUTS - w && strcmp(h->ids[i].night, h->night))) {
			free(h->ids[i].path);
			continue;
		}
		h->ids[w++] = h->ids[i];
	}
	h->nids = w;
	memcpy(h->last_night, h->night, 11);
	h->nstates = h->states + 1;
	h->nruns = h->runs + 1;
	struct buf m = {0};
	manifest_text(h, &m);
	char *mpath = path_in(h, "manifest", NULL);
	rc = write_whole(mpath, &m);
	buf_free(&m);
	free(mpath);
	free(rg);
	if (rc < 0) {
		report_release(&night);
		undo(h, shard);
		free(shard);
		return hist_error(h, "its manifest could not be written (above): the history is "
				  "as it was");
	}
	free(shard);
	sync_dir(h->dir);
	prune(h);

	/* the night's report replaces the shard's */
	report_release(rep);
	*rep = night;
	struct report_history *rh = xcalloc(1, sizeof(*rh));
	memcpy(rh->night, h->night, 11);
	rh->keep = h->keep;
	rh->ntrend = h->ntrend;
	rh->trend = xmalloc(h->ntrend * sizeof(*rh->trend));
	memcpy(rh->trend, h->trend, h->ntrend * sizeof(*rh->trend));
	rh->night_runs = h->nruns;
	rh->bytes_read = bytes_read;
	rh->bytes_skipped = skipped;
	rep->history = rh;
	return 0;
}
