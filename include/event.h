/*
 * event.h - one SIP message as the scanner saw it: the unit that flows from scan to analysis.
 *
 * Strings point into the scanned block and die with it; analysis copies what must outlive
 * the block (Call-ID, source, User-Agent). Lengths are explicit: nothing here is
 * NUL-terminated, and every string may hold any byte (it is attacker-chosen).
 */
#ifndef SIPLOGSCAN_EVENT_H
#define SIPLOGSCAN_EVENT_H

#include <stddef.h>
#include <stdint.h>

/* Methods we count by name; anything else is METHOD_OTHER (an attacker must not be able
 * to grow our tables by inventing method names). */
enum sip_method {
	METHOD_NONE = 0,
	METHOD_INVITE,
	METHOD_ACK,
	METHOD_BYE,
	METHOD_CANCEL,
	METHOD_REGISTER,
	METHOD_OPTIONS,
	METHOD_PRACK,
	METHOD_SUBSCRIBE,
	METHOD_NOTIFY,
	METHOD_PUBLISH,
	METHOD_INFO,
	METHOD_REFER,
	METHOD_MESSAGE,
	METHOD_UPDATE,
	METHOD_OTHER,
	METHOD_COUNT
};

/* Canonical name ("INVITE"; "OTHER" for METHOD_OTHER). */
const char *sip_method_name(enum sip_method m);
/* Exact, case-sensitive match of a method token (RFC 3261 7.1: methods are case-sensitive). */
enum sip_method sip_method_parse(const char *s, size_t n);

struct str {
	const char *p;
	size_t n;
};

/* What an authentication record says (the Asterisk security log and auth notices): the
 * outcome of one authentication, without the messages behind it. */
enum auth_result {
	AUTH_RES_NONE = 0,
	AUTH_RES_CHALLENGE,	/* a challenge was sent (ChallengeSent) */
	AUTH_RES_OK,		/* credentials accepted (SuccessfulAuth) */
	AUTH_RES_FAILED,	/* wrong password or challenge response (InvalidPassword, ...) */
	AUTH_RES_UNKNOWN,	/* no such account or endpoint (InvalidAccountID) */
	AUTH_RES_DENIED,	/* refused by an ACL (FailedACL) */
	AUTH_RES_COUNT
};

#define EV_AUTH_PROXY 0x1	/* request carried Proxy-Authorization */
#define EV_AUTH_WWW   0x2	/* request carried Authorization */
#define EV_AUTH_KNOWN 0x4	/* the format shows whether credentials were present */

#define EV_TS_CARRY      0x1	/* no time of its own: it takes the last time seen in the file */
#define EV_CTX_CLIPPED   0x2	/* its context was cut at the start of a block (see merge.c) */
#define EV_INCOMPLETE    0x4	/* a start line without Call-ID or CSeq: counted, not analysed */
#define EV_ONE_LINE      0x8	/* a whole message on one log line, its line ends escaped */
#define EV_TRANSACTION   0x10	/* an accounting record (profile record = transaction): a
				 * request of cseq_method and its final response `status`, logged
				 * once the transaction ended; the request's own time is unknown */
#define EV_HASHED        0x20	/* callid_hash holds the keyed hash of callid (the engine's
				 * worker computed it with the call table's key), and
				 * callid_shard its shard (callid_shard()) */

struct event {
	int64_t time_us;		/* TIME_UNKNOWN (timeparse.h) when the log has no time; set
					 * from ts by the sequential stage, not by the scanner */
	struct str ts;			/* the timestamp text as logged, may be empty */
	struct str ts_before;		/* an earlier stamp in the same context (a dated log line
					 * before FreeSWITCH's "at 13:00:01.5:"): it dates ts */
	unsigned flags;			/* EV_TS_CARRY, EV_CTX_CLIPPED, EV_INCOMPLETE, EV_ONE_LINE,
					 * EV_TRANSACTION */
	uint64_t offset;		/* byte offset of the start line in the (uncompressed) file */
	enum sip_method method;		/* request method; METHOD_NONE for a response */
	int status;			/* response code 100..699; 0 for a request */
	uint32_t cseq;			/* CSeq number; 0 when absent */
	enum sip_method cseq_method;	/* CSeq method; METHOD_NONE when absent */
	unsigned auth;			/* EV_AUTH_* */
	struct str callid;
	struct str src;			/* source address as logged, may be empty */
	struct str ua;			/* User-Agent, may be empty */
	struct str ruri;		/* request URI (requests, where the log shows it), may be empty */
	struct str from, to;		/* the From and To users, or their headers' values (a
					 * name-addr: see call_set_users()), where logged; may be
					 * empty */
	struct str account;		/* the account an authentication record names, may be empty */
	enum auth_result auth_result;	/* AUTH_RES_NONE unless an authentication record: then
					 * it may have no method, status or Call-ID */
	uint32_t file;			/* index of the input file */
	uint32_t host;			/* --host-from / --host: index of the host (proxy) that
					 * logged it (src/hosts.h); 0 without hosts */
	uint64_t line;			/* 1-based line number of the start line */
	/* set by the engine's worker, where the bytes are still in its cache (pipeline.h) */
	uint64_t callid_hash;		/* with EV_HASHED: SipHash of callid under the run's key */
	int64_t ts_val, before_val;	/* ts and ts_before parsed without their context: the
					 * value and kind (enum time_kind) time_pre() gives; the
					 * merger only resolves them in order (timeparse.h) */
	uint8_t ts_kind, before_kind;
	uint8_t callid_shard;		/* with EV_HASHED: callid_shard(callid) */
};

#endif
