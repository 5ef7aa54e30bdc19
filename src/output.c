/*
 * output.c - report files replaced at once, checked before the scan, removed on a signal
 * (see output.h).
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ---- the registry of temporary files, read by the signal handler */

#define MAX_TEMPS 16

static char temp_path[MAX_TEMPS][PATH_MAX];
static volatile sig_atomic_t temp_used[MAX_TEMPS];

/* Hold the signals that end the run while the registry or stdout is being changed. */
static void hold_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void release_signals(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int temp_register(const char *path)
{
	sigset_t old;
	int slot = -1;

	if (strlen(path) >= PATH_MAX)
		return -1;
	hold_signals(&old);
	for (int i = 0; i < MAX_TEMPS; i++)
		if (!temp_used[i]) {
			strcpy(temp_path[i], path);
			temp_used[i] = 1;
			slot = i;
			break;
		}
	release_signals(&old);
	return slot;
}

static void temp_forget(int slot)
{
	sigset_t old;

	if (slot < 0)
		return;
	hold_signals(&old);
	temp_used[slot] = 0;
	release_signals(&old);
}

/* Async-signal-safe: unlink() and nothing else. */
static void temps_remove(void)
{
	for (int i = 0; i < MAX_TEMPS; i++)
		if (temp_used[i]) {
			unlink(temp_path[i]);
			temp_used[i] = 0;
		}
}

static void on_signal(int sig)
{
	static const char msg[] = "siplogscan: interrupted: no report written\n";

	temps_remove();
	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing more to do */
	}
	/* SA_RESETHAND restored the default action: die of the signal once this returns */
	raise(sig);
}

void output_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction cur;
		/* a signal ignored by whoever started us (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &cur) == 0 && cur.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
	fatal_set_cleanup(temps_remove);
}

/* ---- checks */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrndup(".", 1);
	if (slash == path)
		return xstrndup("/", 1);
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * The kernel's protected_symlinks rule for the link at path: following it is allowed unless
 * its directory is sticky and world-writable and the link is owned neither by us nor by the
 * directory's owner. 0 when allowed, -1 after a message.
 */
static int link_allowed(const char *path, const struct stat *lst, const char *what)
{
	char *dir = dir_of(path);
	struct stat dst;
	int ok = 1;

	if (stat(dir, &dst) == 0 && (dst.st_mode & S_ISVTX) && (dst.st_mode & S_IWOTH) &&
	    lst->st_uid != geteuid() && lst->st_uid != dst.st_uid)
		ok = 0;
	if (!ok)
		err_msg("%s: '%s' is a symbolic link in the world-writable sticky directory '%s', "
			"owned by another user (uid %u): refusing to write through it; remove it or "
			"write elsewhere", what, path, dir, (unsigned)lst->st_uid);
	free(dir);
	return ok ? 0 : -1;
}

/* The file an output path names: a link's target (a link to a link too), after the rule
 * above for each link. NULL after a message. */
static char *resolve(const char *path, const char *what)
{
	char *cur = xstrndup(path, strlen(path));

	for (int hops = 0; hops < 40; hops++) {
		struct stat lst;
		if (lstat(cur, &lst) < 0 || !S_ISLNK(lst.st_mode))
			return cur;
		if (link_allowed(cur, &lst, what) < 0)
			break;
		char target[PATH_MAX];
		ssize_t n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0)
			break;
		target[n] = '\0';
		if (target[0] == '/') {
			free(cur);
			cur = xstrndup(target, (size_t)n);
		} else {
			char *dir = dir_of(cur);
			struct buf b = {0};
			buf_printf(&b, "%s/%s", dir, target);
			free(dir);
			free(cur);
			cur = buf_cstr(&b);
		}
	}
	free(cur);
	return NULL;
}

int output_check(const char *path, const char *what)
{
	char *real = resolve(path, what);
	struct stat st;
	int ret = 0;

	if (!real)
		return -1;
	if (stat(real, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			err_msg("%s: '%s' is a directory; name a file in it", what, path);
			ret = -1;
		} else if (S_ISREG(st.st_mode)) {
			/* replaced by rename: the directory must take a new file */
			goto dir;
		}
		free(real);
		return ret;	/* a device or a FIFO is written in place */
	}
dir:;
	char *dir = dir_of(real);
	struct stat dst;
	if (stat(dir, &dst) < 0 || !S_ISDIR(dst.st_mode)) {
		err_msg("%s: cannot write '%s': the directory '%s' does not exist; create it "
			"(install -d '%s') or write elsewhere", what, path, dir, dir);
		ret = -1;
	} else {
		/* the only sure test is to make a file there: exactly what the write will do */
		struct buf tmp = {0};
		buf_printf(&tmp, "%s/.siplogscan-check.XXXXXX", dir);
		int fd = mkstemp(buf_cstr(&tmp));
		if (fd < 0) {
			err_errno("%s: cannot write '%s' (a new file in '%s')", what, path, dir);
			ret = -1;
		} else {
			close(fd);
			unlink(tmp.p);
		}
		buf_free(&tmp);
	}
	free(dir);
	free(real);
	return ret;
}

/* ---- writing */

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

struct output_file {
	char *path;		/* where it goes */
	char *tmp;		/* where it is written meanwhile */
	int fd;
	int slot;		/* in the registry */
	int failed;
	const char *what;
	z_stream *z;		/* output_gzip(): appended bytes are deflated */
};

struct output_file *output_open(const char *path, const char *what)
{
	char *real = resolve(path, what);
	struct stat st;

	if (!real)
		return NULL;
	struct output_file *f = xcalloc(1, sizeof(*f));
	f->path = real;
	f->what = what;
	f->slot = -1;
	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		/* a device or a FIFO: written in place */
		f->fd = open(real, O_WRONLY | O_CLOEXEC);
		if (f->fd < 0) {
			err_errno("%s: cannot write '%s'", what, path);
			output_abort(f);
			return NULL;
		}
		return f;
	}
	struct buf tmp = {0};
	buf_printf(&tmp, "%s.tmpXXXXXX", real);
	sigset_t old;
	hold_signals(&old);	/* registered before a signal can see it exist */
	f->fd = mkstemp(buf_cstr(&tmp));
	if (f->fd >= 0)
		f->slot = temp_register(tmp.p);
	release_signals(&old);
	f->tmp = buf_cstr(&tmp);
	if (f->fd < 0) {
		err_errno("%s: cannot write '%s' (creating '%s')", what, path, f->tmp);
		free(f->tmp);
		f->tmp = NULL;
		output_abort(f);
		return NULL;
	}
	mode_t um = umask(0);
	umask(um);
	if (fchmod(f->fd, 0666 & ~um) < 0) {
		err_errno("%s: cannot write '%s'", what, path);
		output_abort(f);
		return NULL;
	}
	return f;
}

static int write_out(struct output_file *f, const void *p, size_t n)
{
	if (f->failed)
		return -1;
	if (write_all(f->fd, p, n) < 0) {
		err_errno("%s: cannot write '%s'", f->what, f->path);
		f->failed = 1;
		return -1;
	}
	return 0;
}

/*
 * Level 1: the rows are written from the ordered pass, which the whole analysis waits for.
 * On 22.8 MB of --calls-ndjson rows (25,000 calls) level 1 took 0.09 s for 1.9 MB, the
 * default 6 took 0.14 s for 1.4 MB. zlib writes the gzip header with mtime 0, so the same
 * rows give the same bytes.
 */
int output_gzip(struct output_file *f)
{
	f->z = xcalloc(1, sizeof(*f->z));
	if (deflateInit2(f->z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(f->z);
		f->z = NULL;
		err_msg("%s: cannot compress '%s' (zlib)", f->what, f->path);
		f->failed = 1;
		return -1;
	}
	return 0;
}

/* Deflate n bytes at p (flush: Z_NO_FLUSH, or Z_FINISH to end the stream) and write out. */
static int deflate_out(struct output_file *f, const void *p, size_t n, int flush)
{
	unsigned char out[64 << 10];
	z_stream *z = f->z;
	int r;

	z->next_in = (unsigned char *)(uintptr_t)p;
	do {
		/* avail_in is 32 bits: a larger append goes in pieces */
		size_t piece = n > (1u << 30) ? (1u << 30) : n;
		z->avail_in = (unsigned)piece;
		n -= piece;
		do {
			z->next_out = out;
			z->avail_out = sizeof(out);
			r = deflate(z, n ? Z_NO_FLUSH : flush);
			if (r == Z_STREAM_ERROR) {
				err_msg("%s: cannot compress '%s' (zlib)", f->what, f->path);
				f->failed = 1;
				return -1;
			}
			if (write_out(f, out, sizeof(out) - z->avail_out) < 0)
				return -1;
		} while (z->avail_out == 0 || (flush == Z_FINISH && !n && r != Z_STREAM_END));
	} while (n);
	return 0;
}

int output_append(struct output_file *f, const void *p, size_t n)
{
	if (f->failed)
		return -1;
	return f->z ? deflate_out(f, p, n, Z_NO_FLUSH) : write_out(f, p, n);
}

int output_commit(struct output_file *f)
{
	if (f->z && !f->failed)
		deflate_out(f, "", 0, Z_FINISH);
	int ret = f->failed ? -1 : 0;

	if (!ret && f->tmp && fsync(f->fd) < 0) {
		err_errno("%s: cannot write '%s' (fsync)", f->what, f->path);
		ret = -1;
	}
	if (close(f->fd) < 0 && !ret) {
		err_errno("%s: cannot write '%s'", f->what, f->path);
		ret = -1;
	}
	f->fd = -1;
	if (!ret && f->tmp && rename(f->tmp, f->path) < 0) {
		err_errno("%s: cannot write '%s' (renaming '%s')", f->what, f->path, f->tmp);
		ret = -1;
	}
	if (!ret && f->tmp) {
		temp_forget(f->slot);
		f->slot = -1;
		free(f->tmp);
		f->tmp = NULL;
	}
	output_abort(f);	/* removes the temporary file only when it is still there */
	return ret;
}

void output_abort(struct output_file *f)
{
	if (!f)
		return;
	if (f->z) {
		deflateEnd(f->z);
		free(f->z);
	}
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp) {
		unlink(f->tmp);
		temp_forget(f->slot);
	}
	free(f->tmp);
	free(f->path);
	free(f);
}

int output_write(const char *path, const struct buf *b)
{
	if (!path) {
		sigset_t old;
		hold_signals(&old);	/* a signal now ends the run after the whole report */
		fflush(stdout);
		int r = write_all(1, b->p, b->len);
		release_signals(&old);
		if (r < 0)
			return err_errno("cannot write the report to stdout");
		return 0;
	}
	struct output_file *f = output_open(path, "-o");
	if (!f)
		return -1;
	output_append(f, b->p, b->len);
	return output_commit(f);
}
