/*
 * knowledge.h - what siplogscan knows about SIP: response codes and problem patterns.
 *
 * Where in the flow: read-only data used by analysis (pattern ids, severities), by the
 * renderers (advice printed next to the figures) and by `siplogscan explain`.
 * All text lives in src/knowledge.c, one table, written for operators in our own words.
 * Everything returned points into static storage: never free it; safe from any thread.
 */
#ifndef SIPLOGSCAN_KNOWLEDGE_H
#define SIPLOGSCAN_KNOWLEDGE_H

#include <stddef.h>

enum sip_class {
	SIP_CLASS_PROVISIONAL = 1,	/* 1xx */
	SIP_CLASS_SUCCESS,		/* 2xx */
	SIP_CLASS_REDIRECTION,		/* 3xx */
	SIP_CLASS_CLIENT_FAILURE,	/* 4xx */
	SIP_CLASS_SERVER_FAILURE,	/* 5xx */
	SIP_CLASS_GLOBAL_FAILURE,	/* 6xx */
};

/* What the client (the UAC that sent the request) has to do on receiving the code. */
enum client_action {
	ACTION_WAIT = 1,	/* provisional: keep waiting for a final response, nothing to send */
	ACTION_DONE,		/* success: transaction complete (ACK a 2xx INVITE answer) */
	ACTION_REDIRECT,	/* try the Contact(s) given in the response */
	ACTION_AUTH_PROXY,	/* resend with Proxy-Authorization (407) */
	ACTION_AUTH_WWW,	/* resend with Authorization (401) */
	ACTION_FIX_REQUEST,	/* change the request (headers, body, URI, extensions) and resend */
	ACTION_RETRY_LATER,	/* same request may succeed later (Retry-After, another server) */
	ACTION_TRY_ELSEWHERE,	/* this destination failed; another route/server may work */
	ACTION_GIVE_UP,		/* stop: the callee or the network refused definitively */
};

struct code_info {
	int code;			/* 100..699; for class records 100, 200, ... 600 */
	const char *reason;		/* canonical reason phrase, e.g. "Proxy Authentication Required" */
	const char *rfc;		/* defining document, e.g. "RFC 3261 section 21.4.8" */
	const char *sender;		/* who typically sends it, e.g. "a proxy that wants credentials" */
	enum client_action action;
	const char *meaning;		/* what it means, one or two sentences */
	const char *when;		/* when operators typically see it */
	const char *fix;		/* how to fix it, when it is a problem; for normal codes say so */
};

/* Record of a registered code, or NULL when the code is not IANA-registered. */
const struct code_info *knowledge_code(int code);

/*
 * Record describing a code's class (code field 100, 200, ... 600, reason e.g. "Client Failure"),
 * used as the fallback for unregistered codes. NULL when code is outside 100..699.
 */
const struct code_info *knowledge_class(int code);

/* Registered codes in ascending order; *n receives the count. */
const struct code_info *knowledge_codes(size_t *n);

/* Human name of a class: "provisional", "success", "redirection", "client failure",
 * "server failure", "global failure". */
const char *knowledge_class_name(enum sip_class c);

/* Class of a code 100..699 (code / 100); 0 outside that range. */
enum sip_class knowledge_class_of(int code);

enum severity {
	SEV_INFO = 1,
	SEV_LOW = 2,
	SEV_MEDIUM = 3,
	SEV_HIGH = 4,
	SEV_CRITICAL = 5,
};

const char *knowledge_severity_name(enum severity s);	/* "info" ... "critical" */

/* Problem patterns. The enum order is the table order in src/knowledge.c. */
enum pattern_id {
	PAT_STUCK_AFTER_100,
	PAT_NO_FINAL_NO_100,
	PAT_SLOW_SETUP,
	PAT_PROXY_AUTH_NOT_RETRIED,
	PAT_PROXY_AUTH_REJECTED,
	PAT_WWW_AUTH_NOT_RETRIED,
	PAT_WWW_AUTH_REJECTED,
	PAT_AUTH_SCANNER,
	PAT_REQUEST_TIMEOUT,
	PAT_SERVER_ERRORS,
	PAT_GLOBAL_FAILURES,
	PAT_AUTH_BREAK_IN,
	PAT_AUTH_GUESSING,
	PAT_AUTH_SPREAD_GUESSING,
	PAT_COUNT
};

/* What a pattern's examples name: a call (Call-ID, file:line of its first message), or a
 * source address or an account of authentication records (file:line of its first record). */
enum example_kind { EXAMPLE_CALL = 0, EXAMPLE_SOURCE, EXAMPLE_ACCOUNT };

/* The name of what examples of kind k are, as the JSON and CSV reports key them: "call_id",
 * "source", "account". */
const char *knowledge_example_key(enum example_kind k);

struct pattern_info {
	enum pattern_id pid;
	const char *id;			/* stable id, e.g. "stuck-after-100" (used in JSON and explain) */
	const char *title;		/* one line */
	enum severity severity;
	const char *rule;		/* detection rule, precise, as siplogscan applies it */
	const char *denominator;	/* what the share is relative to, e.g. "INVITE calls with 100 Trying" */
	const char *causes;		/* what usually causes it */
	const char *fix;		/* the recommended fix, concrete steps for operators */
	enum example_kind example;
};

const struct pattern_info *knowledge_pattern(enum pattern_id pid);
/* Lookup by id string; NULL when unknown. */
const struct pattern_info *knowledge_pattern_by_id(const char *id);

#endif
