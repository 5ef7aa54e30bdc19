/*
 * test_input.c - unit tests for src/input.c against src/input.h: files and stdin to bytes.
 *
 * Temporary files in /tmp (mkstemp), gzip made in memory with zlib's deflate (gzip wrapper)
 * and, where the gzip program exists, by `gzip -c` (a header with the file name). Checked:
 *   - source_open errors (a missing file, a directory) set rf->status and rf->error;
 *   - source_map: the whole file for a plain file, NULL for gzip and empty files;
 *   - source_read returns the whole uncompressed content of a plain file, a gzip file, a
 *     multi-member gzip (also members larger than one read), zero padding after the last
 *     member; a truncated gzip gives the data before the damage, then -1 with "truncated";
 *     a corrupt one -1 with "corrupt";
 *   - source_sample gives the first INPUT_SAMPLE_HEAD bytes (whole lines) and does not
 *     disturb a later source_read, for a mapped file, a gzip file, a named pipe (FIFO,
 *     written by a child process) and stdin (a pipe on descriptor 0);
 *   - bzip2, xz, zstd and pcap magic bytes are refused with the command to use instead;
 *   - source_mtime_us and source_consumed.
 * Both gzip backends (ISA-L and zlib) must pass: make check runs this in build/ and build-zlib/.
 */
#include "testhelp.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"
#include "report.h"
#include "util.h"

static char tmpdir[] = "/tmp/siplogscan-input-XXXXXX";
static int nfiles;

/* ---- data */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* Log-like text of at least n bytes (compresses, but not to nothing). */
static void log_text(struct buf *b, size_t n)
{
	unsigned k = 0;

	buf_reset(b);
	while (b->len < n) {
		uint64_t r = rng();
		buf_printf(b, "Nov 24 13:%02u:%02u pbx kamailio[%u]: siplog: req=INVITE cseq=%u "
			   "callid=%08x%08x@10.0.%u.%u src=udp:192.0.2.%u:5060\n",
			   (unsigned)(k / 60 % 60), (unsigned)(k % 60), 1000 + (unsigned)(r % 16),
			   (unsigned)(r >> 8 & 7), (unsigned)r, (unsigned)(r >> 32),
			   (unsigned)(r >> 20 & 255), (unsigned)(r >> 28 & 255), (unsigned)(r >> 40 & 255));
		k++;
	}
}

/* Bytes that do not compress. */
static void random_bytes(struct buf *b, size_t n)
{
	buf_reset(b);
	buf_grow(b, n);
	for (size_t i = 0; i < n; i += 8) {
		uint64_t r = rng();
		memcpy(b->p + i, &r, n - i < 8 ? n - i : 8);
	}
	b->len = n;
}

/* One gzip member of p[0..n), appended to out (zlib deflate with the gzip wrapper). */
static void gzip_member(struct buf *out, const void *p, size_t n)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t bound = deflateBound(&z, (uLong)n) + 64;
	buf_grow(out, bound);
	z.next_in = (unsigned char *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (unsigned char *)out->p + out->len;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	out->len += bound - z.avail_out;
	deflateEnd(&z);
}

/* ---- files */

static char *write_file(const void *p, size_t n)
{
	char *path = xmalloc(strlen(tmpdir) + 32);

	sprintf(path, "%s/f%d", tmpdir, nfiles++);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		exit(2);
	}
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w <= 0) {
			perror("write");
			exit(2);
		}
		c += w;
		n -= (size_t)w;
	}
	close(fd);
	return path;
}

static void rf_init(struct report_file *rf, const char *path)
{
	memset(rf, 0, sizeof(*rf));
	rf->path = xstrndup(path, strlen(path));
}

static void rf_release(struct report_file *rf)
{
	free(rf->path);
	free(rf->error);
	memset(rf, 0, sizeof(*rf));
}

static int has(const char *s, const char *what)
{
	return s && strstr(s, what) != NULL;
}

/* Read the source to its end (or error) in reads of at most cap bytes; returns the last
 * source_read() result (0 at the end, -1 on error). */
static ssize_t read_all(struct source *s, struct report_file *rf, struct buf *out, size_t cap)
{
	char *tmp = xmalloc(cap);
	ssize_t r;

	buf_reset(out);
	while ((r = source_read(s, tmp, cap, rf)) > 0)
		buf_add(out, tmp, (size_t)r);
	free(tmp);
	return r;
}

static int same(const struct buf *b, const void *p, size_t n)
{
	return b->len == n && (n == 0 || memcmp(b->p, p, n) == 0);
}

/* The head of the sample of content: its lines with NUL bytes dropped, those longer than
 * INPUT_SAMPLE_LINE left out, until INPUT_SAMPLE_HEAD bytes are collected (what input.h
 * promises, written out independently). */
static void head_sample(struct buf *out, const struct buf *in)
{
	size_t i = 0;

	while (i < in->len && out->len < INPUT_SAMPLE_HEAD) {
		const char *nl = memchr(in->p + i, '\n', in->len - i);
		size_t e = nl ? (size_t)(nl - in->p) : in->len, kept = 0;
		for (size_t k = i; k < e; k++)
			kept += in->p[k] != '\0';
		if (kept <= INPUT_SAMPLE_LINE && (nl || kept)) {
			for (size_t k = i; k < e; k++)
				if (in->p[k] != '\0')
					buf_addc(out, in->p[k]);
			buf_addc(out, '\n');
		}
		i = e + 1;
	}
}

/* The sample of content read from its start (no pieces): exactly its head sample, then
 * (a regular file over INPUT_SAMPLE_HEAD) pieces from later points, after an empty line. */
static int sample_ok(const struct buf *smp, const struct buf *want)
{
	struct buf h = {0};

	head_sample(&h, want);
	int ok = smp->len >= h.len && memcmp(smp->p, h.p, h.len) == 0 &&
		 (smp->len == h.len || smp->p[h.len] == '\n');
	buf_free(&h);
	return ok;
}

static int is_prefix(const struct buf *b, const void *p, size_t n)
{
	return b->len <= n && (b->len == 0 || memcmp(b->p, p, b->len) == 0);
}

/* Open path, take a sample when asked, read everything; check what came back. */
static void check_file(const char *what, const char *path, const struct buf *want,
		       int sample, size_t cap)
{
	struct report_file rf;
	struct buf got = {0}, smp = {0};

	rf_init(&rf, path);
	struct source *s = source_open(path, &rf);
	CHECK(s != NULL && rf.status == FILE_OK && !rf.error, "%s: opened", what);
	if (!s) {
		rf_release(&rf);
		return;
	}
	if (sample) {
		CHECK_EQ_INT(source_sample(s, &smp, &rf), 0, "%s: sample", what);
		CHECK(sample_ok(&smp, want), "%s: the sample is the head (got %zu bytes)", what,
		      smp.len);
	}
	ssize_t r = read_all(s, &rf, &got, cap);
	CHECK_EQ_INT(r, 0, "%s: read to the end without error", what);
	CHECK(same(&got, want->p, want->len), "%s: the whole content (%zu bytes, got %zu)", what,
	      want->len, got.len);
	CHECK(rf.status == FILE_OK && !rf.error, "%s: no error recorded", what);
	source_close(s);
	buf_free(&got);
	buf_free(&smp);
	rf_release(&rf);
}

/* Read a damaged file: the data before the damage (a prefix when prefix is set), then -1
 * with an error naming the damage. */
static void check_damaged(const char *what, const char *path, const struct buf *orig,
			  size_t at_least, int prefix, const char *word)
{
	struct report_file rf;
	struct buf got = {0};

	rf_init(&rf, path);
	struct source *s = source_open(path, &rf);
	CHECK(s != NULL, "%s: opened", what);
	if (s) {
		ssize_t r = read_all(s, &rf, &got, 65536);
		CHECK_EQ_INT(r, -1, "%s: -1 after the data", what);
		if (prefix)
			CHECK(is_prefix(&got, orig->p, orig->len) && got.len >= at_least,
			      "%s: the data before the damage (%zu bytes, at least %zu)", what,
			      got.len, at_least);
		CHECK(rf.status == FILE_ERROR, "%s: status FILE_ERROR", what);
		CHECK(has(rf.error, word), "%s: error mentions '%s': %s", what, word,
		      rf.error ? rf.error : "(none)");
		source_close(s);
	}
	buf_free(&got);
	rf_release(&rf);
}

/* ---- tests */

static void test_errors(void)
{
	struct report_file rf;
	char path[256];

	snprintf(path, sizeof(path), "%s/does-not-exist.log", tmpdir);
	rf_init(&rf, path);
	CHECK(source_open(path, &rf) == NULL, "missing file: NULL");
	CHECK(rf.status == FILE_ERROR, "missing file: FILE_ERROR");
	CHECK(has(rf.error, "cannot open"), "missing file: error says so: %s",
	      rf.error ? rf.error : "(none)");
	rf_release(&rf);

	rf_init(&rf, tmpdir);
	CHECK(source_open(tmpdir, &rf) == NULL, "directory: NULL");
	CHECK(rf.status == FILE_ERROR, "directory: FILE_ERROR");
	CHECK(has(rf.error, "directory"), "directory: error says so: %s",
	      rf.error ? rf.error : "(none)");
	rf_release(&rf);
}

static void test_plain(void)
{
	struct buf data = {0}, got = {0};
	struct report_file rf;
	size_t len = 0;

	log_text(&data, 300u << 10);		/* more than a sample */
	char *path = write_file(data.p, data.len);
	rf_init(&rf, path);
	struct source *s = source_open(path, &rf);
	CHECK(s != NULL, "plain: opened");
	if (s) {
		const char *m = source_map(s, &len);
		CHECK(m != NULL && len == data.len && memcmp(m, data.p, len) == 0,
		      "plain: source_map gives the whole file");
		source_close(s);
	}
	rf_release(&rf);
	check_file("plain, sample then read", path, &data, 1, 65536);
	check_file("plain, read in odd pieces", path, &data, 0, 7777);

	/* modification time and the bytes consumed */
	struct timespec ts[2] = { { 1700000000, 123456000 }, { 1700000000, 123456000 } };
	CHECK(utimensat(AT_FDCWD, path, ts, 0) == 0, "plain: set the mtime");
	rf_init(&rf, path);
	s = source_open(path, &rf);
	if (s) {
		CHECK_EQ_INT(source_mtime_us(s), INT64_C(1700000000123456), "plain: source_mtime_us");
		CHECK_EQ_INT(rf.stored_bytes, data.len, "plain: stored_bytes is the size");
		read_all(s, &rf, &got, 1 << 20);
		CHECK_EQ_INT(source_consumed(s), data.len, "plain: source_consumed after reading");
		source_close(s);
	}
	rf_release(&rf);
	unlink(path);
	free(path);

	/* an empty file: nothing mapped, nothing read */
	path = write_file("", 0);
	rf_init(&rf, path);
	s = source_open(path, &rf);
	CHECK(s != NULL, "empty: opened");
	if (s) {
		CHECK(source_map(s, &len) == NULL, "empty: source_map NULL");
		CHECK_EQ_INT(read_all(s, &rf, &got, 4096), 0, "empty: read gives 0");
		CHECK_EQ_INT(got.len, 0, "empty: no bytes");
		source_close(s);
	}
	rf_release(&rf);
	unlink(path);
	free(path);
	buf_free(&got);
	buf_free(&data);
}

static void test_gzip(void)
{
	struct buf data = {0}, data2 = {0}, gz = {0}, all = {0}, got = {0};
	struct report_file rf;
	size_t len = 1;

	/* one member */
	log_text(&data, 400u << 10);
	gzip_member(&gz, data.p, data.len);
	char *path = write_file(gz.p, gz.len);
	rf_init(&rf, path);
	struct source *s = source_open(path, &rf);
	CHECK(s != NULL && source_map(s, &len) == NULL, "gzip: source_map NULL");
	if (s) {
		CHECK_EQ_INT(read_all(s, &rf, &got, 65536), 0, "gzip: read to the end");
		CHECK(same(&got, data.p, data.len), "gzip: the whole uncompressed content");
		CHECK(rf.gzip, "gzip: rf->gzip set");
		CHECK_EQ_INT(source_consumed(s), gz.len, "gzip: consumed the whole compressed file");
		source_close(s);
	}
	rf_release(&rf);
	check_file("gzip, sample then read", path, &data, 1, 65536);
	check_file("gzip, small reads", path, &data, 0, 1000);
	unlink(path);
	free(path);

	/* two members, then zero padding */
	log_text(&data2, 70u << 10);
	buf_reset(&gz);
	gzip_member(&gz, data.p, data.len);
	gzip_member(&gz, data2.p, data2.len);
	buf_reset(&all);
	buf_add(&all, data.p, data.len);
	buf_add(&all, data2.p, data2.len);
	path = write_file(gz.p, gz.len);
	check_file("gzip, two members", path, &all, 1, 65536);
	unlink(path);
	free(path);
	static const char zeros[3000];
	buf_add(&gz, zeros, sizeof(zeros));
	path = write_file(gz.p, gz.len);
	check_file("gzip, two members and zero padding", path, &all, 1, 65536);
	unlink(path);
	free(path);

	/* three incompressible members, each larger than one read of the file, and an empty one */
	buf_reset(&gz);
	buf_reset(&all);
	for (int i = 0; i < 3; i++) {
		random_bytes(&data2, (3u << 19) + 17 * (unsigned)i);
		gzip_member(&gz, data2.p, data2.len);
		buf_add(&all, data2.p, data2.len);
	}
	gzip_member(&gz, "", 0);
	buf_add(&gz, zeros, 5);
	path = write_file(gz.p, gz.len);
	check_file("gzip, large members", path, &all, 1, 1u << 20);
	unlink(path);
	free(path);

	/* made by the gzip program (a header with the file's name) */
	char *plain = write_file(data.p, data.len);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "gzip -c '%s' 2>/dev/null", plain);
	FILE *pp = popen(cmd, "r");
	buf_reset(&gz);
	if (pp) {
		char tmp[65536];
		size_t n;
		while ((n = fread(tmp, 1, sizeof(tmp), pp)) > 0)
			buf_add(&gz, tmp, n);
		if (pclose(pp) != 0)
			buf_reset(&gz);
	}
	if (gz.len > 10 && (gz.p[3] & 0x08)) {
		path = write_file(gz.p, gz.len);
		check_file("gzip -c (FNAME header)", path, &data, 1, 65536);
		unlink(path);
		free(path);
	} else {
		printf("ok %d - # SKIP no gzip program\n", ++test_n);
	}
	unlink(plain);
	free(plain);

	buf_free(&data);
	buf_free(&data2);
	buf_free(&gz);
	buf_free(&all);
	buf_free(&got);
}

static void test_damaged(void)
{
	struct buf data = {0}, gz = {0}, bad = {0};

	log_text(&data, 600u << 10);
	gzip_member(&gz, data.p, data.len);

	/* cut at 60%: the data before the cut, then "truncated" */
	buf_add(&bad, gz.p, gz.len * 6 / 10);
	char *path = write_file(bad.p, bad.len);
	check_damaged("truncated at 60%", path, &data, data.len / 3, 1, "truncated");
	unlink(path);
	free(path);

	/* the trailer cut short: all the data, then "truncated" */
	buf_reset(&bad);
	buf_add(&bad, gz.p, gz.len - 4);
	path = write_file(bad.p, bad.len);
	check_damaged("truncated in the trailer", path, &data, data.len, 1, "truncated");
	unlink(path);
	free(path);

	/* a complete member, then a second one cut short */
	buf_reset(&bad);
	buf_add(&bad, gz.p, gz.len);
	buf_add(&bad, gz.p, gz.len / 2);
	path = write_file(bad.p, bad.len);
	check_damaged("second member truncated", path, &data, data.len, 0, "truncated");
	unlink(path);
	free(path);

	/* an invalid block type right after the header */
	buf_reset(&bad);
	buf_add(&bad, gz.p, gz.len);
	bad.p[10] = 0x07;	/* BFINAL 1, BTYPE 11 (reserved) */
	path = write_file(bad.p, bad.len);
	check_damaged("invalid deflate block", path, &data, 0, 0, "corrupt");
	unlink(path);
	free(path);

	/* a wrong CRC-32 in the trailer: the data, then "corrupt" */
	buf_reset(&bad);
	buf_add(&bad, gz.p, gz.len);
	bad.p[gz.len - 8] ^= 0x5a;
	path = write_file(bad.p, bad.len);
	check_damaged("wrong CRC", path, &data, 0, 1, "corrupt");
	unlink(path);
	free(path);

	/* not deflate (compression method 7) */
	buf_reset(&bad);
	buf_add(&bad, gz.p, gz.len);
	bad.p[2] = 7;
	path = write_file(bad.p, bad.len);
	check_damaged("unknown compression method", path, &data, 0, 0, "corrupt");
	unlink(path);
	free(path);

	buf_free(&data);
	buf_free(&gz);
	buf_free(&bad);
}

static void test_refused(void)
{
	static const struct {
		const char *what;
		const char *magic;
		size_t n;
		const char *advice;
	} cases[] = {
		{ "bzip2", "BZh91AY&SY\x01\x02\x03\x04", 14, "bzcat" },
		{ "xz", "\xfd" "7zXZ\0\0\x04\xe6\xd6\xb4\x46", 12, "xzcat" },
		{ "zstd", "\x28\xb5\x2f\xfd\x24\x05\x29\x00\x00", 9, "zstdcat" },
		{ "pcap", "\xd4\xc3\xb2\xa1\x02\x00\x04\x00", 8, "packet capture" },
		{ "pcapng", "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00", 8, "packet capture" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct report_file rf;
		char *path = write_file(cases[i].magic, cases[i].n);
		rf_init(&rf, path);
		struct source *s = source_open(path, &rf);
		CHECK(s == NULL && rf.status == FILE_ERROR, "%s: refused", cases[i].what);
		CHECK(has(rf.error, cases[i].advice), "%s: advice '%s': %s", cases[i].what,
		      cases[i].advice, rf.error ? rf.error : "(none)");
		source_close(s);
		rf_release(&rf);
		unlink(path);
		free(path);
	}
	/* "BZ" followed by something else is just text */
	struct buf want = {0};
	buf_adds(&want, "BZh is not bzip2 here\n");
	char *path = write_file(want.p, want.len);
	check_file("text starting with BZh", path, &want, 1, 4096);
	unlink(path);
	free(path);
	buf_free(&want);
}

/* ---- pipes: a FIFO and stdin, written by a child process */

static pid_t writer(const char *fifo, int fd, const struct buf *data)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	signal(SIGPIPE, SIG_DFL);
	if (fifo)
		fd = open(fifo, O_WRONLY);
	if (fd < 0)
		_exit(3);
	const char *p = data->p;
	size_t n = data->len;
	while (n) {
		ssize_t w = write(fd, p, n > 50000 ? 50000 : n);	/* several writes */
		if (w <= 0)
			_exit(4);
		p += w;
		n -= (size_t)w;
	}
	close(fd);
	_exit(0);
}

static int reap(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void check_fifo(const char *what, const struct buf *bytes, const struct buf *want,
		       int sample, const char *fail_word)
{
	char fifo[256];
	struct report_file rf;
	struct buf got = {0}, smp = {0};
	size_t len = 1;

	snprintf(fifo, sizeof(fifo), "%s/fifo%d", tmpdir, nfiles++);
	if (mkfifo(fifo, 0600) != 0) {
		CHECK(0, "%s: mkfifo: %s", what, strerror(errno));
		return;
	}
	pid_t pid = writer(fifo, -1, bytes);
	rf_init(&rf, fifo);
	struct source *s = source_open(fifo, &rf);
	CHECK(s != NULL && source_map(s, &len) == NULL, "%s: opened, nothing mapped", what);
	if (s) {
		if (sample) {
			source_sample(s, &smp, &rf);
			if (!fail_word)
				CHECK(sample_ok(&smp, want), "%s: the sample is the head (got %zu "
				      "bytes)", what, smp.len);
		}
		ssize_t r = read_all(s, &rf, &got, 65536);
		if (fail_word) {
			CHECK(r == -1 && rf.status == FILE_ERROR && has(rf.error, fail_word),
			      "%s: -1, error mentions '%s': %s", what, fail_word,
			      rf.error ? rf.error : "(none)");
		} else {
			CHECK_EQ_INT(r, 0, "%s: read to the end", what);
			CHECK(same(&got, want->p, want->len), "%s: the whole content after the "
			      "sample (%zu bytes, got %zu)", what, want->len, got.len);
		}
		source_close(s);
	}
	int st = reap(pid);
	if (!fail_word)
		CHECK_EQ_INT(st, 0, "%s: the writer finished", what);
	unlink(fifo);
	buf_free(&got);
	buf_free(&smp);
	rf_release(&rf);
}

static void test_pipes(void)
{
	struct buf data = {0}, gz = {0}, bz = {0};

	signal(SIGPIPE, SIG_IGN);
	log_text(&data, 700u << 10);
	check_fifo("fifo plain, sample then read", &data, &data, 1, NULL);
	check_fifo("fifo plain, read only", &data, &data, 0, NULL);
	gzip_member(&gz, data.p, data.len);
	gzip_member(&gz, "tail\n", 5);
	buf_add(&data, "tail\n", 5);
	check_fifo("fifo gzip, sample then read", &gz, &data, 1, NULL);
	buf_adds(&bz, "BZh91AY&SY not really bzip2");
	check_fifo("fifo bzip2 refused", &bz, &bz, 0, "bzcat");

	/* a truncated gzip through a pipe */
	struct buf cut = {0};
	buf_add(&cut, gz.p, gz.len / 2);
	check_fifo("fifo gzip truncated", &cut, &data, 1, "truncated");
	buf_free(&cut);

	/* stdin: a pipe on descriptor 0, sampled, then read */
	int saved = dup(0), pfd[2];
	if (saved >= 0 && pipe(pfd) == 0) {
		pid_t pid = writer(NULL, pfd[1], &gz);
		close(pfd[1]);
		dup2(pfd[0], 0);
		close(pfd[0]);
		struct report_file rf;
		struct buf smp = {0}, got = {0};
		rf_init(&rf, "-");
		struct source *s = source_open("-", &rf);
		CHECK(s != NULL, "stdin: opened");
		if (s) {
			CHECK_EQ_INT(source_sample(s, &smp, &rf), 0, "stdin: sample");
			CHECK(sample_ok(&smp, &data), "stdin: the sample is the head, inflated");
			CHECK_EQ_INT(read_all(s, &rf, &got, 65536), 0, "stdin: read to the end");
			CHECK(same(&got, data.p, data.len), "stdin: the whole content after the sample");
			source_close(s);
		}
		CHECK(fcntl(0, F_GETFD) != -1, "stdin: descriptor 0 left open by source_close");
		dup2(saved, 0);
		close(saved);
		CHECK_EQ_INT(reap(pid), 0, "stdin: the writer finished");
		rf_release(&rf);
		buf_free(&smp);
		buf_free(&got);
	} else {
		CHECK(0, "stdin: pipe: %s", strerror(errno));
	}
	buf_free(&data);
	buf_free(&gz);
	buf_free(&bz);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	test_errors();
	test_plain();
	test_gzip();
	test_damaged();
	test_refused();
	test_pipes();
	rmdir(tmpdir);
	return test_done();
}
