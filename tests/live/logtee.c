/*
 * logtee.c - LD_PRELOAD helper for the siplogscan live samples.
 *
 * Kamailio logs either to stderr (log_stderror=yes / -E) or to syslog, never
 * both. To get both forms from the SAME run, Kamailio is started in syslog
 * mode with this library preloaded: every syslog() call made by Kamailio is
 * passed unchanged to the C library (so the syslog forms are genuine) and the
 * same message is also written to stderr, prefixed exactly as Kamailio's own
 * stderr logging does it.
 *
 * Kamailio's core logging macro (LOG_FX in core/dprint.h) prints
 *     stderr: "%2d(%d) " "%s: %.*s%s%s%s" fmt   (process_no, my_pid(), ...)
 *     syslog:            "%s: %.*s%s%s%s" fmt
 * i.e. the stderr line is "%2d(%d) " followed by the syslog message. The
 * process number and pid are read from Kamailio's exported symbols
 * process_no and my_pid(). Each line is emitted with a single write(2).
 *
 * In syslog mode Kamailio points its own stderr to /dev/null, so the copy is
 * appended to the file named by the LOGTEE_FILE environment variable (opened
 * with O_APPEND by each process; reopened if the descriptor was closed or
 * reused). Without LOGTEE_FILE nothing is copied.
 *
 * With LOGTEE_JOURNAL set to the path of systemd-journald's syslog socket
 * (/run/systemd/journal/dev-log), each message is also sent there as one
 * datagram "<PRI>IDENT[PID]: MESSAGE", which is what glibc's syslog() sends
 * to /dev/log when journald owns it (journald takes the time of reception
 * and the sender's credentials; journalctl then prints the journal form).
 *
 * Build: cc -shared -fPIC -O2 -o logtee.so logtee.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/types.h>
#include <unistd.h>

static int tee_fd = -1;
static dev_t tee_dev;
static ino_t tee_ino;
static pid_t tee_pid;

static int tee_open(void)
{
	const char *path = getenv("LOGTEE_FILE");
	struct stat st;

	if(tee_fd >= 0 && tee_pid == getpid() && fstat(tee_fd, &st) == 0
			&& st.st_dev == tee_dev && st.st_ino == tee_ino)
		return tee_fd;
	tee_fd = -1;
	if(!path || !*path)
		return -1;
	tee_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if(tee_fd < 0)
		return -1;
	if(fstat(tee_fd, &st) != 0) {
		tee_fd = -1;
		return -1;
	}
	tee_dev = st.st_dev;
	tee_ino = st.st_ino;
	tee_pid = getpid();
	return tee_fd;
}

static int jr_fd = -1;
static pid_t jr_pid;
static int jr_facility = LOG_USER;
static char jr_ident[64] = "kamailio";

void openlog(const char *ident, int option, int facility)
{
	static void (*real)(const char *, int, int);

	if(!real)
		real = (void (*)(const char *, int, int))dlsym(RTLD_NEXT, "openlog");
	if(ident)
		snprintf(jr_ident, sizeof(jr_ident), "%s", ident);
	if(facility)
		jr_facility = facility;
	if(real)
		real(ident, option, facility);
}

/* one datagram to journald's syslog socket, as glibc's syslog() would send it */
static void tee_journal(int pri, const char *fmt, va_list ap)
{
	const char *path = getenv("LOGTEE_JOURNAL");
	struct sockaddr_un sa;
	char buf[16384];
	int n, m;

	if(!path || !*path || strlen(path) >= sizeof(sa.sun_path))
		return;
	if(jr_fd < 0 || jr_pid != getpid()) {
		jr_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		jr_pid = getpid();
		if(jr_fd < 0)
			return;
	}
	if((pri & LOG_FACMASK) == 0)
		pri |= jr_facility;
	n = snprintf(buf, sizeof(buf), "<%d>%s[%d]: ", pri, jr_ident, (int)getpid());
	if(n < 0 || n >= (int)sizeof(buf))
		return;
	m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if(m < 0)
		return;
	n += m;
	if(n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	if(sendto(jr_fd, buf, n, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return;
}

static void tee_stderr(const char *fmt, va_list ap)
{
	int fd;
	static int *pno;
	static int (*kpid)(void);
	char buf[16384];
	int n, m;

	if(!pno)
		pno = (int *)dlsym(RTLD_DEFAULT, "process_no");
	if(!kpid)
		kpid = (int (*)(void))dlsym(RTLD_DEFAULT, "my_pid");
	n = snprintf(buf, sizeof(buf), "%2d(%d) ", pno ? *pno : 0,
			kpid ? kpid() : (int)getpid());
	if(n < 0 || n >= (int)sizeof(buf))
		return;
	m = vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	if(m < 0)
		return;
	n += m;
	if(n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	fd = tee_open();
	if(fd < 0)
		return;
	if(write(fd, buf, n) < 0)
		return;
}

void syslog(int pri, const char *fmt, ...)
{
	va_list ap, ap2;

	va_list ap3;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	va_copy(ap3, ap);
	vsyslog(pri, fmt, ap);
	tee_stderr(fmt, ap2);
	tee_journal(pri, fmt, ap3);
	va_end(ap3);
	va_end(ap2);
	va_end(ap);
}

void __syslog_chk(int pri, int flag, const char *fmt, ...)
{
	va_list ap, ap2;

	(void)flag;
	va_list ap3;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	va_copy(ap3, ap);
	vsyslog(pri, fmt, ap);
	tee_stderr(fmt, ap2);
	tee_journal(pri, fmt, ap3);
	va_end(ap3);
	va_end(ap2);
	va_end(ap);
}
