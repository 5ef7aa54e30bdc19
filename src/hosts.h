/*
 * hosts.h - several proxies in one run (--host-from REGEX, --host NAME=GLOB): which host each
 * input belongs to, and the engine that reads each host's files in their own time order and
 * hands the analysis the hosts' events interleaved by log time.
 *
 * Why: the logs of a fleet read one proxy after the other make the log clock jump back at each
 * proxy's first file, and every call of a proxy-day stays in flight until the input ends.
 * Read side by side, the calls in flight are those of the fleet at one moment.
 *
 * The order (deterministic, whatever the threads and block sizes): events are merged by
 * (time, host index); the events of one host keep their order; an event without a time takes
 * its host's previous key (the first ones, before any time, go first). Host indices follow
 * the host names' byte order, so the order of the arguments does not matter either.
 */
#ifndef SIPLOGSCAN_HOSTS_H
#define SIPLOGSCAN_HOSTS_H

#include <stddef.h>
#include <stdint.h>

#include "pipeline.h"

#define HOSTS_MAX 64		/* hosts in one run: a call's hosts are a 64-bit mask */
#define HOST_NAME_MAX_LEN 255	/* bytes of a host's name */

/* --host-from and --host, as given */
struct host_rules {
	const char *from;		/* --host-from REGEX, or NULL */
	struct host_glob {
		const char *name;	/* NAME=GLOB as given: the name is its first name_len bytes */
		size_t name_len;
		const char *glob;
	} glob[HOSTS_MAX * 4];
	int nglob;
};

/* Add one --host NAME=GLOB; -1 after a usage message. */
int hosts_add_glob(struct host_rules *r, const char *arg);

/*
 * The host of every path: names[] (sorted by bytes, *nnames of them, each malloc'ed and
 * NUL-terminated) and host_of[i] for paths[i]. -1 after a usage message (exit 2): a bad
 * regex, an input no rule names, more than HOSTS_MAX hosts.
 */
int hosts_assign(const struct host_rules *r, char *const *paths, size_t n, char ***names,
		 unsigned *nnames, unsigned *host_of);

/*
 * pipeline_run() for inputs grouped by host: host h has in[first[h] .. first[h + 1]), already
 * in that host's time order. Each host is read by a pipeline of its own, in a thread of its
 * own, with a share of o's threads (at least one) and of the memory budgets; fn gets every
 * event from the calling thread, ev->file counted over all of in and ev->host set. Returns
 * as pipeline_run() does.
 */
int hosts_run(struct pipeline_input *in, size_t n, const size_t *first, unsigned nhosts,
	      const struct pipeline_opts *o, event_fn fn, void *ctx);

#endif
