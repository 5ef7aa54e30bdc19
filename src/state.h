/*
 * state.h - state files: one shard of an archive analysed alone (--state-out), and the
 * report of any number of them in order (siplogscan merge). docs/state.md gives the format,
 * what merging keeps exact, and how to cut an archive.
 *
 * Where in the flow: main.c ends a run with --state-out by state_write() (instead of the
 * report); `siplogscan merge` reads the states with state_merge(), which fills the report
 * model as analysis_finish() would have for one run over all of the shards' inputs.
 */
#ifndef SIPLOGSCAN_STATE_H
#define SIPLOGSCAN_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "report.h"

#define STATE_MAGIC "SLSSTATE"		/* 8 bytes, then the version */
#define STATE_VERSION 3u		/* 2: the host the shard's logs are of; 3: the aggregates
					 * carry the call figures of its by-host row */
#define STATE_HOST_MAX 64		/* bytes of a host name (--host) */

/* The options a shard was run with that change its figures (docs/state.md). */
struct state_opts {
	double call_timeout_s, ring_timeout_s, session_timeout_s, slow_setup_s;
	uint32_t examples, scanner_threshold, top;
	uint64_t max_calls;
	int32_t window;
	int64_t since, until;
	char tz[128];			/* the zone's name (tz_name()) */
};

/* A byte range of a file (--range): [start, end) cut at line starts; end UINT64_MAX: to
 * its end. */
struct state_range {
	uint64_t start, end;
	/* the file's identity (device, inode, size), when the caller knows it: a merged state
	 * keeps its inputs' (the path may name another file since: logrotate renames); else
	 * (have_id 0) state_write() takes it from the path */
	int have_id;
	uint64_t dev, ino, size;
};

/*
 * Write the state of a shard: its part (analysis_part_end()), its inputs (rep->files, in the
 * order they were read, with ranges[k] for each: start 0 and end UINT64_MAX for a whole
 * file), its options, and the host whose logs it read (--host; NULL: not named). Returns 0,
 * or -1 with a message on stderr.
 */
int state_write(const char *path, const struct analysis_part *p, const struct report *rep,
		const struct state_range *ranges, const struct analysis_opts *o,
		const char *host);

/* NULL when name is a usable host name (--host): 1..STATE_HOST_MAX bytes of letters, digits,
 * '.', '-', '_'; else why not. */
const char *state_host_invalid(const char *name);

/*
 * merge: the states, in the order given (the archive's order), into rep (files too; not
 * run, title, labels, timezone); or, with state_out, into one state written there (rep
 * untouched). States named with a host (--host) are grouped by it: each host's states are
 * merged in the order given, as one archive, and the hosts side by side (their aggregates
 * added, each host's open calls settled at its own end); the files of a named host are
 * listed as HOST:PATH. Several hosts merge into a report only, not into one state. o: the options merge was given; given: which of the
 * result-changing ones were given (STATE_GIVEN_*): each must be what every state was run
 * with. On success o holds the states' options. Returns 0, or -1 with a message on stderr.
 */
enum {
	STATE_GIVEN_CALL_TIMEOUT = 1 << 0,
	STATE_GIVEN_SESSION_TIMEOUT = 1 << 1,
	STATE_GIVEN_SLOW_SETUP = 1 << 2,
	STATE_GIVEN_EXAMPLES = 1 << 3,
	STATE_GIVEN_SCANNER_THRESHOLD = 1 << 4,
	STATE_GIVEN_MAX_CALLS = 1 << 5,
	STATE_GIVEN_WINDOW = 1 << 6,
	STATE_GIVEN_TZ = 1 << 7,
	STATE_GIVEN_TOP = 1 << 8,
};
int state_merge(char *const *paths, size_t n, struct analysis_opts *o, unsigned given,
		const char *tz, const char *state_out, struct report *rep);

/*
 * --history (src/history.c): the calls still open at the end of the states, merged as merge
 * merges them, written to out as a state of their own that the next night starts from: no
 * aggregates, no head (its messages are replayed, as for a report), its inputs those of the
 * states that an open call starts in, with nothing read (their counts zero, each range empty
 * at its end), so that an open call's position still names its file. o as for
 * state_merge(), with the states' options. Returns 0, or -1 with a message on stderr.
 */
int state_carry(char *const *paths, size_t n, struct analysis_opts *o, const char *out);

/*
 * Before a run that adds a state to others (--history): the option that changes the
 * figures and that the state at path was written with otherwise than o (and the zone now
 * set up), or "--host" when it names another host than host (NULL: none), into *differs
 * (NULL: none). Returns 0, or -1 with a message when the state
 * cannot be read (not a state, damaged, another version or build).
 */
int state_check_opts(const char *path, const struct analysis_opts *o, const char *host,
		     const char **differs);

/* The name messages start with ("merge" and "--state-out" by default; "--history"). */
void state_set_caller(const char *name);

#endif
