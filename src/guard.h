/*
 * guard.h - read a memory-mapped file that may shrink under us, without dying of SIGBUS.
 *
 * A plain log is scanned through its mapping (the customer's design: no copy). When the file
 * is truncated while we read it (logrotate's copytruncate, an operator's '> kamailio.log'),
 * touching a page past the new end raises SIGBUS. Code that reads a mapping runs inside a
 * guard: the process-wide SIGBUS handler jumps back to the guard of the thread that faulted,
 * which then reports "file shrank while it was read" for that input and goes on with the
 * others. A SIGBUS outside any guard keeps its default action.
 *
 *	sigjmp_buf env;
 *	if (sigsetjmp(env, 1) == 0) {
 *		guard_enter(&env);
 *		... read the mapping ...
 *		guard_leave();
 *	} else {
 *		guard_leave();
 *		... the mapping faulted: nothing read after the fault may be trusted ...
 *	}
 *
 * sigsetjmp(env, 1) restores the signal mask on the jump, so SIGBUS is not left blocked.
 * Objects changed between sigsetjmp() and the fault must be volatile or not read after it.
 * Costs one sigprocmask() per guarded call: guard whole blocks, not lines.
 */
#ifndef SIPLOGSCAN_GUARD_H
#define SIPLOGSCAN_GUARD_H

#include <setjmp.h>

/* Install the SIGBUS handler (once per process; idempotent). */
void guard_install(void);

/* This thread's reads of mappings are guarded by env until guard_leave(). Not nested. */
void guard_enter(sigjmp_buf *env);
void guard_leave(void);

#endif
