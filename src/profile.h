/*
 * profile.h - log formats as data.
 *
 * A profile says how records start and which PCRE2 patterns, with named groups, pull the
 * fields out of them. Group names: ts status reason method callid cseq cseq_method src ua auth
 * ruri (the request URI: where a call goes); for authentication records (the Asterisk security
 * log) account and one of auth_ok auth_failed auth_unknown auth_denied challenge, whichever
 * matched (such a record needs no callid, method or status); any other name is ignored. A name may appear in
 * several alternatives (PCRE2_DUPNAMES):
 * the first group of that name that matched wins.
 *
 * Two record kinds:
 *   line     one record per line; `match` patterns are tried in order on each candidate line.
 *   message  whole SIP messages inside a text log: a `start` pattern recognises the request or
 *            status line (status, reason, method), `header` is matched over the header lines
 *            (callid, cseq, cseq_method, ua, auth), `context` over the lines just before the
 *            start line (ts, src: a sipdump "time:" line, an Asterisk "[date] ... from UDP:ip"
 *            line, a FreeSWITCH "recv ... at 13:00:01.123:" line).
 *   transaction  one line per transaction, an accounting record (Kamailio/OpenSIPS acc): each
 *            `match` needs both a method and a status; the record stands for the request and
 *            its final response, logged when the transaction ended (event.h EV_TRANSACTION).
 * `gives` lists what the format can show (report.h GIVES_*: requests provisional challenges
 * finals, or all); the default is all, and finals for a transaction profile.
 * A literal `prefilter`, when given, must occur in every record's start line: only lines that
 * contain it are handed to PCRE2.
 *
 * Profiles are compiled once (JIT) and then read-only: share them between threads freely.
 */
#ifndef SIPLOGSCAN_PROFILE_H
#define SIPLOGSCAN_PROFILE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

enum field {
	F_TS, F_STATUS, F_REASON, F_METHOD, F_CALLID, F_CSEQ, F_CSEQ_METHOD, F_SRC, F_UA, F_AUTH,
	F_RURI, F_ACCOUNT, F_AUTH_OK, F_AUTH_FAILED, F_AUTH_UNKNOWN, F_AUTH_DENIED, F_CHALLENGE,
	F_FROM, F_TO,		/* the From and To users (a header's URI: its user is taken) */
	F_COUNT
};

#define PATTERN_MAX_DUPS 16

struct pattern {
	char *source;			/* the regex text, for messages */
	pcre2_code *re;
	int ngroups[F_COUNT];		/* how many groups carry each field name */
	int groups[F_COUNT][PATTERN_MAX_DUPS];
	int fast;			/* enum fast_kind (src/scan_fast.h): a built-in pattern that
					 * a hand-written matcher answers first; 0 for all others */
};

enum record_kind { RECORD_LINE, RECORD_MESSAGE };

#define PROFILE_MAX_MATCH 8

struct profile {
	char *name;
	char *origin;			/* "built-in" or the profile file's path */
	enum record_kind kind;
	char *prefilter;		/* literal, may be NULL */
	size_t prefilter_len;
	struct pattern match[PROFILE_MAX_MATCH];	/* line records */
	int nmatch;
	struct pattern start, header, context;		/* message records */
	int shows_auth;			/* the format shows whether credentials were sent */
	int transaction;		/* record = transaction (a line kind) */
	unsigned gives;			/* GIVES_* (report.h) */
};

/* Names of the built-in profiles, NULL-terminated: "sip", "kamailio", "acc". */
extern const char *const profile_builtin_names[];

/* Compile a built-in profile by name. NULL (with a message) when unknown or on failure. */
struct profile *profile_builtin(const char *name);

/*
 * Load and compile a profile file (syntax in README "Your own log format"). On error prints
 * "siplogscan: 'FILE' line N: ..." and returns NULL.
 */
struct profile *profile_load(const char *path);

/* Parse profile text (the file's content); origin names it in messages. */
struct profile *profile_parse(const char *text, size_t len, const char *origin);

void profile_free(struct profile *p);

/* Field index of a group name, or -1. */
int profile_field_index(const char *name, size_t len);

#endif
