/*
 * guard.c - SIGBUS on a vanished page of a mapping becomes a jump back to the reader's guard
 * (see guard.h).
 */
#include "guard.h"

#include <signal.h>
#include <stddef.h>
#include <string.h>

/* initial-exec TLS: safe to read in a signal handler */
static __thread sigjmp_buf *guard_env;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	sigjmp_buf *env = guard_env;

	(void)si;
	(void)uc;
	if (env) {
		guard_env = NULL;
		siglongjmp(*env, 1);
	}
	/* not a guarded read: the default action, when the faulting access runs again */
	signal(sig, SIG_DFL);
}

void guard_install(void)
{
	static int done;
	struct sigaction sa;

	if (done)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	done = 1;
}

void guard_enter(sigjmp_buf *env)
{
	guard_env = env;
}

void guard_leave(void)
{
	guard_env = NULL;
}
