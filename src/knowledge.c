/*
 * knowledge.c - what siplogscan knows about SIP: every IANA-registered response code, a
 * fallback record per class for the codes nobody registered, and the problem patterns
 * that analysis detects.
 *
 * Where in the flow: read-only data. Analysis takes pattern ids and severities from here,
 * the renderers print the advice next to the figures, and `siplogscan explain` prints a
 * record whole. Nothing here parses or counts.
 *
 * Invariants:
 *  - codes[] holds the IANA "Session Initiation Protocol (SIP) Parameters / Response Codes"
 *    registry, sorted by code with no duplicates, so knowledge_code() can binary-search it.
 *    Codes from obsolete RFC 2543 (409, 411) and private codes (Kamailio's 477, 478) are
 *    not registered and are answered with their class record instead.
 *  - classes[c - 1] describes class c (1xx .. 6xx); RFC 3261 section 21 says an unknown
 *    code is handled as the x00 of its class, and the class records say so.
 *  - patterns[] is indexed by enum pattern_id, and each entry repeats its own pid.
 *  - Every text field is non-empty printable ASCII written in our own words for operators;
 *    tests/unit/test_knowledge.c checks all of this.
 *
 * Everything is static const: no allocation, no state, safe from any thread.
 */
#include "knowledge.h"

#include <string.h>

/*
 * The registry, ascending. Field order per entry: reason phrase as registered, the
 * defining document, who sends it, what the UAC does next, then meaning / when / fix.
 * 202 is deprecated by RFC 6665 but still registered and still seen, so it stays.
 */
static const struct code_info codes[] = {
	{
		.code = 100,
		.reason = "Trying",
		.rfc = "RFC 3261 section 21.1.1",
		.sender = "the next hop (proxy, B2BUA or UAS) as soon as it takes the INVITE",
		.action = ACTION_WAIT,
		.meaning = "The next hop received the INVITE and is working on it. It stops the "
			"sender's INVITE retransmissions on that hop; it is hop-by-hop, so a "
			"stateful proxy never forwards it upstream.",
		.when = "On almost every INVITE, within milliseconds, once from each stateful hop "
			"(Kamailio and OpenSIPS tm send it on t_relay()). Rare on non-INVITE "
			"requests.",
		.fix = "No fix needed: it is the normal first answer. Abnormal is a 100 followed "
			"by nothing for many seconds (pattern stuck-after-100), or an INVITE that "
			"never gets one (pattern no-final-no-100), which means the request or its "
			"replies are lost between the hops.",
	},
	{
		.code = 180,
		.reason = "Ringing",
		.rfc = "RFC 3261 section 21.1.2",
		.sender = "the called user agent (phone, PBX, gateway) while it alerts the user",
		.action = ACTION_WAIT,
		.meaning = "The callee's device is alerting; the caller plays local ringback "
			"unless early media arrives. With a To tag it creates an early dialog.",
		.when = "On most answered and unanswered calls, typically 0.5 to 5 s after the "
			"INVITE. A call that rings and then ends in 480 or 487 is a no-answer or "
			"a hang-up, not a fault.",
		.fix = "No fix needed. Abnormal: 180 followed by a long wait that ends in 408 "
			"(compare the callee's no-answer timer with Kamailio fr_inv_timer or "
			"OpenSIPS fr_inv_timeout), or callers hearing no ringback because their "
			"device expects early media (183 with SDP) instead of a bare 180.",
	},
	{
		.code = 181,
		.reason = "Call Is Being Forwarded",
		.rfc = "RFC 3261 section 21.1.3",
		.sender = "a proxy, PBX or application server that diverts the call",
		.action = ACTION_WAIT,
		.meaning = "The call is being diverted to another destination (call forwarding, "
			"follow-me, hunt group).",
		.when = "On calls to users with forwarding active, usually alongside a Diversion "
			"or History-Info header.",
		.fix = "No fix needed. If forwarded calls then fail, follow the later responses "
			"on the same Call-ID: the new target is what to check, and forwarding "
			"loops show up as 482 or 483.",
	},
	{
		.code = 182,
		.reason = "Queued",
		.rfc = "RFC 3261 section 21.1.4",
		.sender = "a PBX or call-centre queue holding the call",
		.action = ACTION_WAIT,
		.meaning = "The callee cannot take the call now, but the server queued it instead "
			"of rejecting it; the final response comes when an agent is free. Several "
			"182 may arrive.",
		.when = "On calls into ACD and queue systems; rare on plain proxies.",
		.fix = "No fix needed. Long queue waits can trip an INVITE timer on the way "
			"(Kamailio fr_inv_timer, RFC 3261 Timer C): raise it on routes toward "
			"queue servers, or let the queue answer with 200 and play music on hold "
			"instead.",
	},
	{
		.code = 183,
		.reason = "Session Progress",
		.rfc = "RFC 3261 section 21.1.5",
		.sender = "the called side or a PSTN gateway, usually with SDP for early media",
		.action = ACTION_WAIT,
		.meaning = "Call progress not covered by the other 1xx codes. With an SDP body it "
			"opens early media: ringback tones, announcements or an IVR heard before "
			"the call is answered.",
		.when = "Very common from PSTN gateways and carriers: ringback and 'number not in "
			"service' announcements travel as early media after a 183.",
		.fix = "No fix needed. Problems around it are media: no or one-way early audio "
			"points to NAT or SDP handling (rtpengine or rtpproxy must also rewrite "
			"the SDP of the 183 in onreply_route; check Asterisk direct_media and "
			"rtp_symmetric, FreeSWITCH ext-rtp-ip).",
	},
	{
		.code = 199,
		.reason = "Early Dialog Terminated",
		.rfc = "RFC 6228 sections 5 and 6",
		.sender = "a forking proxy or UAS that ends one early dialog while others go on",
		.action = ACTION_WAIT,
		.meaning = "One branch of a forked call was ended before the final response, so "
			"the caller can release what it kept for that early dialog (early media, "
			"resources). Sent only to callers that advertise the option tag 199.",
		.when = "Rare: IMS and other networks with parallel forking, when one branch "
			"rejects the call while others still ring.",
		.fix = "No fix needed; it is informational. If callers misbehave after it, check "
			"that they advertise the 199 option tag only when they really handle it.",
	},
	{
		.code = 200,
		.reason = "OK",
		.rfc = "RFC 3261 section 21.2.1",
		.sender = "the UAS, registrar or server that completed the request",
		.action = ACTION_DONE,
		.meaning = "The request succeeded. For INVITE the call is answered and the caller "
			"must ACK; for REGISTER the response lists the Contact bindings and their "
			"expiry.",
		.when = "On every answered call, successful REGISTER, OPTIONS keepalive, BYE and "
			"most in-dialog requests.",
		.fix = "No fix needed. Abnormal: a 200 for an INVITE retransmitted again and "
			"again, which means the ACK does not arrive (check Record-Route, NAT and "
			"the Contact on the ACK path), or a REGISTER 200 granting a much shorter "
			"expiry than requested.",
	},
	{
		.code = 202,
		.reason = "Accepted",
		.rfc = "RFC 6665 section 8.3.1 (deprecated; first defined in RFC 3265)",
		.sender = "a UAS accepting a REFER or SUBSCRIBE (older implementations)",
		.action = ACTION_DONE,
		.meaning = "The request was accepted but its outcome is not known yet. RFC 6665 "
			"deprecated it, so new implementations answer 200, but the code stays "
			"registered and is still common.",
		.when = "On REFER (call transfer) and SUBSCRIBE answered by older phones and PBXs.",
		.fix = "No fix needed; treat it like 200. If a transfer stalls after 202, read "
			"the NOTIFY requests that follow: their message/sipfrag bodies carry the "
			"real transfer result.",
	},
	{
		.code = 204,
		.reason = "No Notification",
		.rfc = "RFC 5839 section 7.1",
		.sender = "a notifier answering a SUBSCRIBE refresh",
		.action = ACTION_DONE,
		.meaning = "The subscription refresh succeeded and the notifier skips the NOTIFY "
			"because the subscriber's cached state (identified by an entity tag) is "
			"still current.",
		.when = "On refreshed SUBSCRIBE in presence or dialog-event deployments that use "
			"conditional notification; rare elsewhere.",
		.fix = "No fix needed. If subscribers show stale state afterwards, turn off "
			"conditional notification (entity tags) on the presence server or the "
			"client.",
	},
	{
		.code = 300,
		.reason = "Multiple Choices",
		.rfc = "RFC 3261 section 21.3.1",
		.sender = "a redirect server or UAS that knows several targets",
		.action = ACTION_REDIRECT,
		.meaning = "The address resolves to several locations, listed in Contact; the "
			"client may pick one and send a new request there.",
		.when = "Rare in production; from redirect servers or routing engines that offer "
			"several routes.",
		.fix = "No fix needed when the redirect is followed. Calls that end at a 3xx mean "
			"nobody follows redirects: in Kamailio or OpenSIPS handle them in "
			"failure_route with the uac_redirect module (get_redirects(), then "
			"t_relay()); in Asterisk see redirect_method on the pjsip endpoint.",
	},
	{
		.code = 301,
		.reason = "Moved Permanently",
		.rfc = "RFC 3261 section 21.3.2",
		.sender = "a redirect server or UAS whose user moved for good",
		.action = ACTION_REDIRECT,
		.meaning = "The user is no longer at the Request-URI; the client should use the "
			"Contact address now and for future requests.",
		.when = "Rare: changed numbers, retired domains or accounts moved to another "
			"server.",
		.fix = "Update the stored address (speed dial, routing table, dialplan) to the "
			"Contact given. If calls end at 301, the caller or proxy does not follow "
			"redirects (see 300).",
	},
	{
		.code = 302,
		.reason = "Moved Temporarily",
		.rfc = "RFC 3261 section 21.3.3",
		.sender = "a redirect server, routing engine or PBX implementing call forwarding "
			"by redirect",
		.action = ACTION_REDIRECT,
		.meaning = "Retry this request at the Contact address(es) in the response; the "
			"change is for this request only.",
		.when = "Common from redirect servers, least-cost-routing and number-portability "
			"engines, SBCs that answer routing queries, and forwarding done by "
			"redirect.",
		.fix = "No fix needed when followed. If calls end at 302, the proxy or PBX does "
			"not follow redirects: Kamailio or OpenSIPS failure_route with "
			"uac_redirect get_redirects() and t_relay(), Asterisk redirect_method on "
			"the endpoint, FreeSWITCH manual-redirect. Repeated 302 to the same "
			"target is a redirect loop.",
	},
	{
		.code = 305,
		.reason = "Use Proxy",
		.rfc = "RFC 3261 section 21.3.4",
		.sender = "a server that insists on being reached through a given proxy",
		.action = ACTION_REDIRECT,
		.meaning = "The resource must be reached through the proxy named in the Contact "
			"header.",
		.when = "Very rare; many clients ignore it because it could be used to divert "
			"signalling.",
		.fix = "Set the caller's outbound proxy to the address in Contact if it is "
			"legitimate. A 305 from an unknown party should be ignored.",
	},
	{
		.code = 380,
		.reason = "Alternative Service",
		.rfc = "RFC 3261 section 21.3.5",
		.sender = "a server that wants the call made differently (mostly IMS emergency "
			"handling)",
		.action = ACTION_REDIRECT,
		.meaning = "The call failed, but the response body describes alternative services "
			"that may work. IMS uses it to tell a device to redial a number as an "
			"emergency call.",
		.when = "Rare: IMS networks answering a normal INVITE to an emergency number.",
		.fix = "Outside emergency call flows, read the body and ask the network that sent "
			"it what it expects; the caller probably lacks a feature the network "
			"relies on.",
	},
	{
		.code = 400,
		.reason = "Bad Request",
		.rfc = "RFC 3261 section 21.4.1",
		.sender = "any hop whose parser rejected the message",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The request is malformed: a syntax error, a missing or duplicated "
			"mandatory header (Via, To, From, Call-ID, CSeq, Max-Forwards) or a "
			"broken body. The reason phrase or a Warning header often names the field.",
		.when = "After firmware upgrades, after header rewriting in the proxy script "
			"(append_hf, remove_hf, subst), with odd characters in display names, or "
			"from scanners sending junk.",
		.fix = "Capture the exact request (sngrep, Kamailio siptrace or sipdump, Asterisk "
			"'pjsip set logger on') and compare it with the reason phrase; fix the "
			"header manipulation in the routing script or the sender's settings. "
			"Kamailio sanity_check() rejects such requests at the edge with a clear "
			"reason.",
	},
	{
		.code = 401,
		.reason = "Unauthorized",
		.rfc = "RFC 3261 section 21.4.2",
		.sender = "a registrar or UAS that wants credentials (WWW-Authenticate)",
		.action = ACTION_AUTH_WWW,
		.meaning = "The request needs digest authentication: resend it with an "
			"Authorization header computed from the WWW-Authenticate challenge. "
			"Registrars and user agents use 401, proxies use 407.",
		.when = "On the first REGISTER of every registration (normal), and on INVITE when "
			"a PBX or carrier authenticates calls as a UAS.",
		.fix = "Normal once per request. A problem when no retry follows (the client has "
			"no credentials, or the 401 never reached it) or the retry gets 401 again "
			"(wrong username, password or realm: Kamailio www_authorize() or "
			"auth_check() and the subscriber table, Asterisk auth section, FreeSWITCH "
			"directory user). Many usernames failing from one address is a "
			"brute-force scan.",
	},
	{
		.code = 402,
		.reason = "Payment Required",
		.rfc = "RFC 3261 section 21.4.3",
		.sender = "a billing platform or carrier (the code is formally reserved)",
		.action = ACTION_GIVE_UP,
		.meaning = "Reserved by RFC 3261 for future use; in practice billing and prepaid "
			"systems use it to refuse calls for lack of credit.",
		.when = "Rare: from a carrier or billing platform when the account balance or "
			"credit limit is exhausted.",
		.fix = "Check the account balance and credit limit with the carrier or billing "
			"system; calls keep failing until it is topped up or the limit raised.",
	},
	{
		.code = 403,
		.reason = "Forbidden",
		.rfc = "RFC 3261 section 21.4.4",
		.sender = "a proxy, registrar, PBX or carrier refusing by policy",
		.action = ACTION_GIVE_UP,
		.meaning = "The server understood the request and refuses it; credentials will "
			"not change that. Typical reasons are no permission for the destination, "
			"a source address not allowed, or an account that is blocked.",
		.when = "Calls to destinations outside the account's plan (international, "
			"premium), carriers rejecting an unknown source IP or a caller ID the "
			"trunk does not own, registrations from blocked addresses, and as the "
			"usual answer to scanners. Right after a 401/407 retry it often means "
			"wrong credentials.",
		.fix = "Read the reason phrase and the refusing server's log. Check source ACLs "
			"(Kamailio permissions allow_source_address(), Asterisk pjsip identify "
			"and acl, FreeSWITCH apply-inbound-acl), the caller ID the carrier "
			"expects in From or P-Asserted-Identity, dialplan permissions, and the "
			"credentials if it follows an authentication retry.",
	},
	{
		.code = 404,
		.reason = "Not Found",
		.rfc = "RFC 3261 section 21.4.5",
		.sender = "a proxy, registrar or PBX with no user or route for the Request-URI",
		.action = ACTION_GIVE_UP,
		.meaning = "The user does not exist in the domain of the Request-URI, or that "
			"domain is not served here.",
		.when = "Calls to mistyped or unprovisioned numbers, users whose registration "
			"expired (lookup() finds no contact), dialplans without a matching rule, "
			"a wrong domain in the Request-URI, and scanners probing extensions.",
		.fix = "Check the user and domain of the Request-URI. For a local user check the "
			"registration (kamctl ul show, opensips-cli -x mi ul_dump, Asterisk "
			"'pjsip show contacts', FreeSWITCH 'sofia status profile internal reg'); "
			"for a number check the dialplan or routing table; for the domain check "
			"Kamailio alias= or the domain module.",
	},
	{
		.code = 405,
		.reason = "Method Not Allowed",
		.rfc = "RFC 3261 section 21.4.6",
		.sender = "a UAS or server that knows the method but does not allow it here",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The method is understood but not allowed for this address; the Allow "
			"header lists the methods that are.",
		.when = "MESSAGE, SUBSCRIBE, PUBLISH or REFER sent to a PBX that does not allow "
			"them, or REGISTER sent to a proxy that is not a registrar.",
		.fix = "Send the method only where the Allow header permits it, or enable the "
			"feature on the server (for example Asterisk allow_subscribe on the "
			"endpoint); otherwise turn the feature off on the client (presence, BLF, "
			"messaging).",
	},
	{
		.code = 406,
		.reason = "Not Acceptable",
		.rfc = "RFC 3261 section 21.4.7",
		.sender = "a UAS that cannot produce a response body of any type the client "
			"accepts",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server could answer only with content types that the request's "
			"Accept header excludes.",
		.when = "Rare: SUBSCRIBE or MESSAGE with a narrow Accept header, for example a "
			"presence format the server does not produce.",
		.fix = "Align the client's Accept header with what the server produces (for "
			"presence, application/pidf+xml).",
	},
	{
		.code = 407,
		.reason = "Proxy Authentication Required",
		.rfc = "RFC 3261 section 21.4.8",
		.sender = "a proxy that wants credentials (Proxy-Authenticate)",
		.action = ACTION_AUTH_PROXY,
		.meaning = "The proxy wants digest credentials: resend the request with a "
			"Proxy-Authorization header computed from the challenge, same Call-ID, "
			"CSeq increased by one.",
		.when = "On the first INVITE of every authenticated call: 407, ACK, then a second "
			"INVITE with Proxy-Authorization is the normal sequence.",
		.fix = "Normal once per call. A problem when no retry follows (the client has no "
			"credentials for the realm, or the 407 was lost) or the retry is "
			"challenged again (wrong username or password, realm mismatch: Kamailio "
			"proxy_authorize() or auth_check() realm and the subscriber table, "
			"Asterisk outbound_auth, FreeSWITCH gateway username and password). Many "
			"unanswered 407 from one source is a scanner.",
	},
	{
		.code = 408,
		.reason = "Request Timeout",
		.rfc = "RFC 3261 section 21.4.9",
		.sender = "a proxy or UAS whose timer expired, very often the local proxy's tm "
			"module",
		.action = ACTION_RETRY_LATER,
		.meaning = "No final response could be obtained in time: the next hop never "
			"answered, or the callee did not pick up before the no-answer timer. The "
			"same request may be retried later.",
		.when = "Calls to phones that went offline without unregistering (stale contact, "
			"closed NAT binding), unreachable gateways, and unanswered calls when "
			"fr_inv_timer is shorter than the ring time. Kamailio and OpenSIPS "
			"generate it themselves when fr_timer or fr_inv_timer fires.",
		.fix = "Find which hop generated it (Server or User-Agent header, Via). Probe "
			"next hops (dispatcher ds_ping_interval, Asterisk qualify_frequency), "
			"keep NAT bindings alive (nathelper natping_interval, shorter "
			"registration expiry behind NAT), and set fr_inv_timer to the intended "
			"ring time with a failure_route to voicemail or failover.",
	},
	{
		.code = 410,
		.reason = "Gone",
		.rfc = "RFC 3261 section 21.4.10",
		.sender = "a server that knows the user existed but has no forwarding address",
		.action = ACTION_GIVE_UP,
		.meaning = "The user used to exist here, no longer does, and no new address is "
			"known; the condition is meant to be permanent.",
		.when = "Ported-out, disconnected or deprovisioned numbers and accounts.",
		.fix = "Remove the number from the caller's routing or address book. If it should "
			"be active, check provisioning and number porting on the destination side.",
	},
	{
		.code = 412,
		.reason = "Conditional Request Failed",
		.rfc = "RFC 3903 section 11.2.1",
		.sender = "an event state compositor (presence server) receiving PUBLISH",
		.action = ACTION_FIX_REQUEST,
		.meaning = "A PUBLISH refresh named an entity tag (SIP-If-Match) that the server "
			"no longer knows, usually because the publication expired or the server "
			"restarted.",
		.when = "Presence deployments after a presence server restart, or when clients "
			"refresh publications too late.",
		.fix = "The client should publish its full state again without SIP-If-Match. If "
			"it repeats, refresh earlier on the client, and check that the presence "
			"server keeps publications across restarts.",
	},
	{
		.code = 413,
		.reason = "Request Entity Too Large",
		.rfc = "RFC 3261 section 21.4.11",
		.sender = "a server or SBC with a body size limit",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The message body (usually SDP or a multipart body) is larger than the "
			"server will process.",
		.when = "INVITEs with large SDP (many codecs, ICE candidates, video) or multipart "
			"bodies, often over UDP.",
		.fix = "Trim the offer (fewer codecs, no unused media lines), move large messages "
			"to TCP, and check size limits on the receiving server and SBCs.",
	},
	{
		.code = 414,
		.reason = "Request-URI Too Long",
		.rfc = "RFC 3261 section 21.4.12",
		.sender = "a server with a Request-URI length limit",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The Request-URI is longer than the server is willing to interpret.",
		.when = "Rare: URIs that gain parameters on every pass through a misconfigured "
			"proxy or B2BUA, or malicious traffic.",
		.fix = "Find what appends parameters to the Request-URI (URI manipulation in the "
			"script, a routing loop that adds a parameter each time) and strip or "
			"stop it.",
	},
	{
		.code = 415,
		.reason = "Unsupported Media Type",
		.rfc = "RFC 3261 section 21.4.13",
		.sender = "a UAS or server that cannot handle the body format",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The body's content type, encoding or language is not supported for "
			"this method; Accept, Accept-Encoding or Accept-Language in the response "
			"say what is.",
		.when = "MESSAGE with a content type the server refuses, INFO carrying DTMF in a "
			"format the peer does not take, INVITE with multipart bodies (SIP-I/ISUP "
			"from SS7 gateways).",
		.fix = "Send what the Accept header lists: switch DTMF to RFC 4733 "
			"telephone-events instead of SIP INFO, turn off ISUP or multipart bodies "
			"on the gateway, or strip the extra part at the proxy.",
	},
	{
		.code = 416,
		.reason = "Unsupported URI Scheme",
		.rfc = "RFC 3261 section 21.4.14",
		.sender = "a server that does not know the Request-URI scheme",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The scheme of the Request-URI (tel:, sips:, urn: and so on) is not "
			"supported by the server.",
		.when = "tel: URIs sent to a proxy that only takes sip:, or sips: sent toward a "
			"hop without TLS.",
		.fix = "Convert tel: URIs to sip:number@domain;user=phone at the edge, and send "
			"sips: only to TLS-capable hops.",
	},
	{
		.code = 417,
		.reason = "Unknown Resource-Priority",
		.rfc = "RFC 4412 section 12.4",
		.sender = "a server that does not know the Resource-Priority namespace",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The request required resource-priority handling (Require: "
			"resource-priority) with a namespace or value the server does not know; "
			"Accept-Resource-Priority lists what it does.",
		.when = "Government and emergency priority schemes (WPS, GETS) crossing networks "
			"that do not support them.",
		.fix = "Remove Require: resource-priority where the peer cannot honour it, or "
			"configure the namespaces on the receiving side; compare with "
			"Accept-Resource-Priority in the response.",
	},
	{
		.code = 420,
		.reason = "Bad Extension",
		.rfc = "RFC 3261 section 21.4.15",
		.sender = "a proxy or UAS that does not support an extension the request requires",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The request listed an extension in Require or Proxy-Require that the "
			"server does not support; the Unsupported header names it.",
		.when = "Devices that require 100rel, timer or replaces toward servers without "
			"them, and proxies receiving a Proxy-Require they do not know.",
		.fix = "Read the Unsupported header, then either make the extension optional on "
			"the sender (100rel 'supported' instead of 'required') or enable it on "
			"the receiver (Asterisk 100rel, FreeSWITCH enable-100rel).",
	},
	{
		.code = 421,
		.reason = "Extension Required",
		.rfc = "RFC 3261 section 21.4.16",
		.sender = "a UAS that needs an extension the client did not offer",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server needs an extension that is missing from the request's "
			"Supported header; the Require header of the response names it.",
		.when = "Servers that insist on reliable provisional responses (100rel/PRACK) or "
			"session timers, and IMS cores that insist on sec-agree or path.",
		.fix = "Enable the named extension on the client (PRACK, session timers, path), "
			"or relax the requirement on the server.",
	},
	{
		.code = 422,
		.reason = "Session Interval Too Small",
		.rfc = "RFC 4028 section 6",
		.sender = "a UAS or proxy with a higher minimum session timer",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The Session-Expires in the request is below the server's minimum; "
			"Min-SE in the response gives the lowest value accepted, and the client "
			"should retry with it.",
		.when = "On INVITE between devices with different session timer settings; "
			"normally followed at once by a successful retry.",
		.fix = "Normal when the retry follows. If calls fail, align the timers: Asterisk "
			"timers_min_se and timers_sess_expires, FreeSWITCH "
			"minimum-session-expires and session-timeout, Kamailio sst min_se. The "
			"protocol minimum is 90 s.",
	},
	{
		.code = 423,
		.reason = "Interval Too Brief",
		.rfc = "RFC 3261 section 21.4.17",
		.sender = "a registrar or notifier with a minimum expiry",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The requested expiry (REGISTER Expires or the Contact expires "
			"parameter, or a SUBSCRIBE) is shorter than the server allows; "
			"Min-Expires gives the minimum.",
		.when = "Phones behind NAT set to very short registration intervals (30 to 60 s) "
			"to keep the pinhole open.",
		.fix = "Raise the client's registration interval to at least Min-Expires and keep "
			"NAT alive with keepalives instead (Kamailio nathelper natping_interval, "
			"CRLF or OPTIONS keepalives on the phone), or lower the minimum (Kamailio "
			"registrar min_expires, Asterisk aor minimum_expiration).",
	},
	{
		.code = 424,
		.reason = "Bad Location Information",
		.rfc = "RFC 6442 section 4.3",
		.sender = "a server that needs location (Geolocation) to route the request",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The location in the request (Geolocation header or PIDF-LO body) was "
			"malformed, could not be dereferenced, or did not suit the recipient.",
		.when = "Emergency calls and location-based routing in carrier networks.",
		.fix = "Check the location conveyance on the device or gateway (Geolocation "
			"header, PIDF-LO body) against what the receiving network requires. "
			"Emergency call failures are urgent.",
	},
	{
		.code = 425,
		.reason = "Bad Alert Message",
		.rfc = "RFC 8876 section 5.1",
		.sender = "an emergency services network receiving an automated alert",
		.action = ACTION_FIX_REQUEST,
		.meaning = "A non-interactive emergency alert (for example from sensors or "
			"vehicles, carrying a CAP payload) was so malformed that no emergency "
			"response could be determined.",
		.when = "Only in emergency services networks that take automated alerts.",
		.fix = "Read the AlertMsg-Error header returned with the response and fix the CAP "
			"payload at the system that generates the alerts.",
	},
	{
		.code = 428,
		.reason = "Use Identity Header",
		.rfc = "RFC 8224 section 6.2.2",
		.sender = "a STIR verification service at a carrier interconnect",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The verifier requires a signed caller identity (Identity header, "
			"STIR/SHAKEN) and the request carried none.",
		.when = "Carrier interconnects that enforce STIR/SHAKEN signing.",
		.fix = "Sign outgoing calls (a STIR/SHAKEN authentication service, Asterisk "
			"res_stir_shaken) or have the upstream carrier sign them; confirm with "
			"the peer which attestation it requires.",
	},
	{
		.code = 429,
		.reason = "Provide Referrer Identity",
		.rfc = "RFC 3892 section 5",
		.sender = "a transfer target that requires a Referred-By token",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The transfer target wants a valid Referred-By token before accepting "
			"the request a REFER triggered.",
		.when = "Rare: call transfers between systems that enforce referrer identity.",
		.fix = "Have the transferring side send Referred-By (signed where required), or "
			"relax the policy on the transfer target.",
	},
	{
		.code = 430,
		.reason = "Flow Failed",
		.rfc = "RFC 5626 section 11.5",
		.sender = "an edge proxy using SIP Outbound",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "One connection (flow) to a registered device instance failed; other "
			"flows of the same registration may still work.",
		.when = "Deployments with SIP Outbound and several connections per device; "
			"normally seen only between the edge proxy and the authoritative proxy.",
		.fix = "The authoritative proxy should try another flow. If all flows fail, the "
			"device lost its connections: check CRLF or STUN keepalives and the "
			"TCP/TLS connection lifetime on the edge proxy (Kamailio outbound module, "
			"tcp_connection_lifetime).",
	},
	{
		.code = 433,
		.reason = "Anonymity Disallowed",
		.rfc = "RFC 5079 section 5",
		.sender = "a UAS or proxy that refuses anonymous requests",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server refuses the request because the caller is anonymous "
			"(Privacy: id, anonymous From).",
		.when = "Calls with withheld caller ID toward users or carriers that reject "
			"anonymous calls.",
		.fix = "If the caller is legitimate, send an identity the peer trusts (drop "
			"Privacy: id, or provide P-Asserted-Identity on a trusted trunk). "
			"Otherwise this is policy working as intended.",
	},
	{
		.code = 436,
		.reason = "Bad Identity Info",
		.rfc = "RFC 8224 section 6.2.2",
		.sender = "a STIR verification service",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The verifier could not obtain the credential (certificate) that the "
			"Identity header's info parameter points to.",
		.when = "STIR/SHAKEN interconnects when the certificate URL is unreachable or "
			"returns an error.",
		.fix = "Check that the certificate URL in the Identity header is reachable over "
			"HTTPS from the verifier and serves a valid certificate chain.",
	},
	{
		.code = 437,
		.reason = "Unsupported Credential",
		.rfc = "RFC 8224 section 6.2.2",
		.sender = "a STIR verification service",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The verifier has the signing credential but does not accept it "
			"(untrusted certification authority, unsupported algorithm). The code was "
			"previously named Unsupported Certificate.",
		.when = "STIR/SHAKEN when a certificate is expired or issued by an authority the "
			"verifier does not trust.",
		.fix = "Renew or reissue the STIR/SHAKEN certificate from an authority the peer "
			"trusts, and check its validity dates.",
	},
	{
		.code = 438,
		.reason = "Invalid Identity Header",
		.rfc = "RFC 8224 section 6.2.2",
		.sender = "a STIR verification service",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The Identity header's signature did not verify: signed fields were "
			"changed, the Date is out of range, or the key does not match the "
			"certificate.",
		.when = "STIR/SHAKEN when an SBC or B2BUA rewrites From, To or Date after "
			"signing, or clocks are wrong.",
		.fix = "Sign after the last change to From, To and Date, keep clocks synchronised "
			"with NTP, and check that the signing key matches the published "
			"certificate.",
	},
	{
		.code = 439,
		.reason = "First Hop Lacks Outbound Support",
		.rfc = "RFC 5626 section 11.6",
		.sender = "a registrar that supports SIP Outbound when the edge proxy does not",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The registrar supports SIP Outbound but the first-hop proxy does not, "
			"so the outbound registration the client asked for cannot work.",
		.when = "REGISTER with reg-id and +sip.instance through an edge proxy without RFC "
			"5626 support.",
		.fix = "Enable Outbound on the edge proxy (Kamailio outbound module with Path), "
			"or disable SIP Outbound on the client.",
	},
	{
		.code = 440,
		.reason = "Max-Breadth Exceeded",
		.rfc = "RFC 5393 section 6.2",
		.sender = "a forking proxy",
		.action = ACTION_GIVE_UP,
		.meaning = "A proxy wanted to fork the request, but the remaining Max-Breadth did "
			"not allow enough parallel branches.",
		.when = "Heavy parallel forking: many devices registered per user, or forking "
			"loops between proxies.",
		.fix = "Reduce parallel forking (fewer contacts per address of record, or "
			"sequential forking), look for forking loops between proxies, or raise "
			"the Max-Breadth set by the first proxy.",
	},
	{
		.code = 469,
		.reason = "Bad Info Package",
		.rfc = "RFC 6086 section 11.6",
		.sender = "a UAS receiving INFO for a package it did not accept",
		.action = ACTION_FIX_REQUEST,
		.meaning = "An INFO request used an Info-Package that the receiver never listed "
			"in Recv-Info.",
		.when = "INFO-based DTMF or application data between devices that negotiated "
			"different packages.",
		.fix = "Send only INFO packages the peer listed in Recv-Info; for DTMF prefer RFC "
			"4733 telephone-events in RTP.",
	},
	{
		.code = 470,
		.reason = "Consent Needed",
		.rfc = "RFC 5360 section 5.9.2",
		.sender = "a URI-list relay (conference or bulk messaging server)",
		.action = ACTION_FIX_REQUEST,
		.meaning = "A URI-list service lacks permission to contact at least one "
			"recipient; Permission-Missing lists them.",
		.when = "Rare: consent-based conference and messaging services.",
		.fix = "Obtain permission from the listed recipients, or remove them from the "
			"list.",
	},
	{
		.code = 480,
		.reason = "Temporarily Unavailable",
		.rfc = "RFC 3261 section 21.4.18",
		.sender = "a registrar-proxy, PBX or the callee's device",
		.action = ACTION_RETRY_LATER,
		.meaning = "The callee exists but cannot be reached right now (not registered, do "
			"not disturb, no answer); Retry-After may say when to try again.",
		.when = "Very common: calls to users with no current registration, "
			"do-not-disturb, PBXs that map no answer to 480, and carriers when a "
			"mobile subscriber is unreachable.",
		.fix = "Usually not a network fault. If it is high for users who should be "
			"online, check their registrations (expired, or registered on another "
			"node without shared usrloc), NAT keepalives, and what the PBX sends on "
			"no answer.",
	},
	{
		.code = 481,
		.reason = "Call/Transaction Does Not Exist",
		.rfc = "RFC 3261 section 21.4.19",
		.sender = "a UAS or stateful proxy that has no matching dialog or transaction",
		.action = ACTION_GIVE_UP,
		.meaning = "The request did not match any dialog or transaction at the receiver: "
			"a BYE, re-INVITE, ACK or CANCEL for a call it does not know.",
		.when = "BYE or re-INVITE after one side already ended the call, CANCEL arriving "
			"after the final response, in-dialog requests sent to another node after "
			"failover, or in-dialog requests that bypass a dialog-stateful proxy "
			"because Record-Route is missing.",
		.fix = "Check that every proxy that must see in-dialog requests calls "
			"record_route() and handles loose_route() correctly, that Contacts behind "
			"NAT are fixed (nathelper fix_nated_contact()), and whether a session "
			"timer or call duration limit ended the dialog on one side.",
	},
	{
		.code = 482,
		.reason = "Loop Detected",
		.rfc = "RFC 3261 section 21.4.20",
		.sender = "a proxy that received its own request again",
		.action = ACTION_GIVE_UP,
		.meaning = "The proxy saw the request come back to itself with the same branch, "
			"so it stopped a routing loop.",
		.when = "Routing loops between proxies and PBXs (a PBX sending unknown numbers "
			"back to the proxy that sent them), and alias or domain misconfiguration.",
		.fix = "Read the Via headers to find the loop and make routing terminal (never "
			"route back to the source). Check Kamailio alias= and uri==myself tests, "
			"and dispatcher or gateway entries that point at the proxy itself.",
	},
	{
		.code = 483,
		.reason = "Too Many Hops",
		.rfc = "RFC 3261 section 21.4.21",
		.sender = "the proxy where Max-Forwards ran out",
		.action = ACTION_GIVE_UP,
		.meaning = "Max-Forwards reached zero before the request got to its destination.",
		.when = "Routing loops that change the branch on every pass (so 482 does not "
			"fire), or long legitimate chains that started with a low Max-Forwards.",
		.fix = "Find the loop in the Via list as for 482. Kamailio "
			"mf_process_maxfwd_header() answers 483 when the count runs out; a "
			"legitimate long chain needs the standard initial value of 70.",
	},
	{
		.code = 484,
		.reason = "Address Incomplete",
		.rfc = "RFC 3261 section 21.4.22",
		.sender = "a proxy or PBX whose dialplan needs more digits",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The dialled number is incomplete; more digits are needed to route it.",
		.when = "Overlap dialling, phones that send after a short inter-digit timeout, "
			"and dialplans expecting a longer number format.",
		.fix = "Fix the phone's dial plan or digit map and inter-digit timeout, or the "
			"number normalisation in the proxy (prefixes, country code).",
	},
	{
		.code = 485,
		.reason = "Ambiguous",
		.rfc = "RFC 3261 section 21.4.23",
		.sender = "a server whose lookup matched several users",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The Request-URI matches more than one user; Contact may list the "
			"candidates.",
		.when = "Rare: directory-style lookups by partial name or duplicate alias entries.",
		.fix = "Dial a more specific address, and remove duplicates from the directory or "
			"alias table.",
	},
	{
		.code = 486,
		.reason = "Busy Here",
		.rfc = "RFC 3261 section 21.4.24",
		.sender = "the callee's device or PBX",
		.action = ACTION_RETRY_LATER,
		.meaning = "The callee's device is busy (already in a call, call waiting off, all "
			"lines in use); another location such as voicemail may still take the "
			"call.",
		.when = "Ordinary busy calls, and PBXs or trunks refusing when a line or channel "
			"limit is reached.",
		.fix = "Normal user behaviour. A high rate toward one destination may be a line "
			"or channel limit (Asterisk device_state_busy_at, trunk capacity) rather "
			"than people being busy.",
	},
	{
		.code = 487,
		.reason = "Request Terminated",
		.rfc = "RFC 3261 section 21.4.25",
		.sender = "the UAS or proxy whose pending INVITE was cancelled",
		.action = ACTION_GIVE_UP,
		.meaning = "The INVITE was cancelled (CANCEL, or BYE for an early dialog) before "
			"a final response: the caller hung up, or a forking proxy stopped the "
			"other branches after one answered.",
		.when = "On every call abandoned while ringing, and on each losing branch of a "
			"parallel fork.",
		.fix = "Normal. A high share may mean callers give up during long post-dial delay "
			"(see slow-setup) or forking to many devices; check ring timeouts.",
	},
	{
		.code = 488,
		.reason = "Not Acceptable Here",
		.rfc = "RFC 3261 section 21.4.26",
		.sender = "the callee or a media-aware B2BUA/SBC",
		.action = ACTION_FIX_REQUEST,
		.meaning = "Nothing in the SDP offer can be accepted here: codecs, media types, "
			"encryption or transport do not match. The same request might work at "
			"another location.",
		.when = "Codec mismatch between phones and trunks (G.729 only against G.711 "
			"only), SRTP required against plain RTP offered, a T.38 re-INVITE "
			"refused, video offered to audio-only devices.",
		.fix = "Compare the offer's m= lines and codecs with what the callee allows: "
			"Asterisk allow, disallow and media_encryption, FreeSWITCH "
			"inbound-codec-prefs and outbound-codec-prefs, transcoding on the SBC or "
			"rtpengine. For fax, check T.38 on both sides.",
	},
	{
		.code = 489,
		.reason = "Bad Event",
		.rfc = "RFC 6665 section 8.3.2",
		.sender = "a notifier that does not support the event package",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The SUBSCRIBE or PUBLISH named an event package the server does not "
			"support.",
		.when = "Phones subscribing to dialog (BLF), message-summary (voicemail) or "
			"presence on servers without that package.",
		.fix = "Enable the package on the server (Kamailio presence_dialog or "
			"presence_mwi, Asterisk hints and mailboxes, FreeSWITCH presence) or turn "
			"the feature off on the phone.",
	},
	{
		.code = 491,
		.reason = "Request Pending",
		.rfc = "RFC 3261 section 21.4.27",
		.sender = "a UAS with its own re-INVITE or UPDATE still pending in the dialog",
		.action = ACTION_RETRY_LATER,
		.meaning = "A re-INVITE or UPDATE crossed another one in the same dialog (glare); "
			"each side retries after a random delay.",
		.when = "Both sides re-INVITE at once: hold and resume, session timer refreshes, "
			"a switch to T.38, media updates by B2BUAs.",
		.fix = "Normal when the retry follows (the Call-ID owner waits 2.1 to 4 s, the "
			"other side 0 to 2 s). If it persists, make one side the session "
			"refresher (refresher=uac or uas) and stop B2BUAs from re-INVITEing on "
			"every media event.",
	},
	{
		.code = 493,
		.reason = "Undecipherable",
		.rfc = "RFC 3261 section 21.4.28",
		.sender = "a UAS that cannot decrypt an S/MIME body",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The request carried an encrypted (S/MIME) body that the receiver "
			"cannot decrypt.",
		.when = "Very rare; S/MIME is hardly used in SIP.",
		.fix = "Disable S/MIME on the sender, or install the right key on the receiver.",
	},
	{
		.code = 494,
		.reason = "Security Agreement Required",
		.rfc = "RFC 3329 section 2.3",
		.sender = "a server requiring sec-agree, typically an IMS P-CSCF",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server wants a security mechanism agreement (IPsec or TLS) before "
			"it processes the request; Security-Server lists the mechanisms it offers.",
		.when = "IMS and VoLTE registration through a P-CSCF, as a normal step of the "
			"first REGISTER.",
		.fix = "Normal in IMS when the retry follows. Otherwise enable sec-agree on the "
			"client with one of the listed mechanisms, or drop the requirement for "
			"devices that cannot do it.",
	},
	{
		.code = 500,
		.reason = "Server Internal Error",
		.rfc = "RFC 3261 section 21.5.1",
		.sender = "a server that hit an unexpected condition",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "The server failed on an unexpected condition (script error, database "
			"failure, module fault) and could not complete the request; a retry after "
			"a few seconds or on another server may work.",
		.when = "Kamailio and OpenSIPS scripts replying 500 when t_relay() fails or a "
			"database lookup errors, Asterisk and FreeSWITCH on dialplan or module "
			"errors, and backend outages.",
		.fix = "Read the generating server's log at the same timestamp. For Kamailio, a "
			"failed t_relay() (no route, DNS failure, send error) is the common "
			"cause; check database connectivity, module errors and resource limits "
			"(file descriptors, shared memory set with -m).",
	},
	{
		.code = 501,
		.reason = "Not Implemented",
		.rfc = "RFC 3261 section 21.5.2",
		.sender = "a UAS or server that does not implement the method",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server does not support the functionality the request needs, "
			"usually the method itself.",
		.when = "UPDATE, PRACK, MESSAGE, INFO or PUBLISH sent to devices that do not "
			"implement them.",
		.fix = "Stop sending the method to this peer (send UPDATE only to peers that list "
			"it in Allow) or upgrade the peer.",
	},
	{
		.code = 502,
		.reason = "Bad Gateway",
		.rfc = "RFC 3261 section 21.5.3",
		.sender = "a gateway or proxy that got an invalid answer from the next network",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "A gateway or proxy received an invalid response from the server "
			"beyond it, or could not use the network behind it.",
		.when = "PSTN gateways with a down E1/T1 or PRI, carriers with interconnect "
			"problems, proxies receiving malformed replies.",
		.fix = "Check the gateway's downstream link (ISDN layer status, carrier trunk "
			"state) and its log, and route around it: fail over on 502 in "
			"failure_route (dispatcher ds_next_dst(), OpenSIPS drouting).",
	},
	{
		.code = 503,
		.reason = "Service Unavailable",
		.rfc = "RFC 3261 section 21.5.4",
		.sender = "an overloaded or unrouteable server, very often the local proxy itself",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "The server is overloaded, in maintenance, or has no route or capacity "
			"for the request; Retry-After may say when to come back, and a proxy "
			"should try another server.",
		.when = "Very common: Kamailio dispatcher with every destination down, carriers "
			"at capacity or refusing an unregistered trunk, PBXs at their channel "
			"limit, and locally generated 503 when DNS or the transport fails.",
		.fix = "Find the generating hop (Server or User-Agent header, Via). For a proxy "
			"check dispatcher state (kamcmd dispatcher.list, probing with "
			"ds_ping_interval and ds_probing_mode) and fail over in failure_route "
			"with ds_next_dst(). For trunks check registration and concurrent call "
			"limits with the carrier. For overload check CPU, worker counts "
			"(children, tcp_children) and database latency.",
	},
	{
		.code = 504,
		.reason = "Server Time-out",
		.rfc = "RFC 3261 section 21.5.5",
		.sender = "a server that waited too long for a server it depends on",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "A server working on the request did not get a timely answer from "
			"another server it relied on (next hop, DNS, ENUM, database).",
		.when = "Gateways and B2BUAs whose outbound leg timed out, and slow ENUM, number "
			"portability or DNS lookups.",
		.fix = "Find the slow dependency in the generating host's log: DNS resolver "
			"latency, ENUM or number-portability queries, an unreachable next hop. "
			"Add failover on 504 in failure_route.",
	},
	{
		.code = 505,
		.reason = "Version Not Supported",
		.rfc = "RFC 3261 section 21.5.6",
		.sender = "a server receiving a SIP version other than SIP/2.0",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The SIP version in the request line is not supported; everything in "
			"use is SIP/2.0.",
		.when = "Almost only from broken clients, fuzzers, or non-SIP traffic hitting the "
			"SIP port.",
		.fix = "Identify the sender and fix or block it; legitimate devices always send "
			"SIP/2.0.",
	},
	{
		.code = 513,
		.reason = "Message Too Large",
		.rfc = "RFC 3261 section 21.5.7",
		.sender = "a server or SBC with a message size limit",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The message is larger than the server can process.",
		.when = "Large INVITEs over UDP (big SDP, long Via and Record-Route lists) beyond "
			"the size limit, and fragmented UDP that firewalls drop.",
		.fix = "Send large requests over TCP (RFC 3261 section 18.1.1 switches to TCP for "
			"requests within 200 bytes of the path MTU or above 1300 bytes), trim "
			"headers and SDP, and check fragment handling on firewalls and SBCs.",
	},
	{
		.code = 555,
		.reason = "Push Notification Service Not Supported",
		.rfc = "RFC 8599 section 8.1",
		.sender = "a proxy or registrar without support for the push provider",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The server does not support the push notification service named in "
			"the pn-provider URI parameter.",
		.when = "Mobile softphones registering with push parameters (pn-provider, "
			"pn-prid) through a proxy that does not support that provider.",
		.fix = "Configure push support for that provider on the proxy, or make the app "
			"register without push parameters.",
	},
	{
		.code = 580,
		.reason = "Precondition Failure",
		.rfc = "RFC 3312 section 8",
		.sender = "a UAS that cannot meet the preconditions in the offer",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The answerer cannot or will not meet the preconditions (QoS "
			"reservation, security) that the SDP offer requires.",
		.when = "Calls from IMS, VoLTE or cable networks that use QoS preconditions "
			"toward endpoints without precondition support.",
		.fix = "Have the SBC remove Require: precondition and the precondition SDP "
			"attributes toward endpoints that lack support, or enable preconditions "
			"on the callee.",
	},
	{
		.code = 600,
		.reason = "Busy Everywhere",
		.rfc = "RFC 3261 section 21.6.1",
		.sender = "the callee's system, knowing no other location will answer",
		.action = ACTION_GIVE_UP,
		.meaning = "The callee is busy and no other location (voicemail, other devices) "
			"will take the call; as a 6xx it stops all forking.",
		.when = "Rare: some PBXs and mobile networks use it instead of 486.",
		.fix = "Normal user state. Because 6xx stops forking, make sure it does not keep "
			"calls from voicemail: map it to 486 on the B2BUA if other branches "
			"should still be tried.",
	},
	{
		.code = 603,
		.reason = "Decline",
		.rfc = "RFC 3261 section 21.6.2",
		.sender = "the callee's device or a call-screening service",
		.action = ACTION_GIVE_UP,
		.meaning = "The callee explicitly declined the call (reject button, call "
			"screening, blocking list); no other location should be tried.",
		.when = "Users rejecting calls, call-blocking and anti-spam features; some "
			"carriers also use it for blocked routes.",
		.fix = "Normal user action. A burst from one carrier or destination suggests "
			"blocking based on caller ID: check the caller ID you send and its "
			"STIR/SHAKEN attestation.",
	},
	{
		.code = 604,
		.reason = "Does Not Exist Anywhere",
		.rfc = "RFC 3261 section 21.6.3",
		.sender = "a server with authoritative number or user data",
		.action = ACTION_GIVE_UP,
		.meaning = "The server knows for certain that the user in the Request-URI does "
			"not exist anywhere.",
		.when = "Numbers not in service, as reported by carriers or number databases.",
		.fix = "Correct the dialled number or the routing data; if the number should "
			"exist, check porting and routing databases with the carrier.",
	},
	{
		.code = 606,
		.reason = "Not Acceptable",
		.rfc = "RFC 3261 section 21.6.4",
		.sender = "the callee's device",
		.action = ACTION_FIX_REQUEST,
		.meaning = "The callee was reached but cannot support the session described "
			"(media, bandwidth, addressing) at any location.",
		.when = "Media mismatches reported as global, for example video-only or data "
			"sessions offered to voice-only users.",
		.fix = "Same checks as 488: compare the SDP offer with the callee's capabilities, "
			"adjust codecs and media, and transcode at the SBC where needed.",
	},
	{
		.code = 607,
		.reason = "Unwanted",
		.rfc = "RFC 8197 section 4",
		.sender = "the callee or their device flagging the call",
		.action = ACTION_GIVE_UP,
		.meaning = "The callee marked the call as unwanted (spam, robocall); networks may "
			"use the signal to adjust how they treat future calls from that caller.",
		.when = "Networks and phones with anti-robocall features, when users report a "
			"call as spam.",
		.fix = "If your outbound calls receive it, review calling patterns and caller ID "
			"use (numbers you own, signed with a good attestation, sane call rates) "
			"and talk to the terminating carrier about number reputation.",
	},
	{
		.code = 608,
		.reason = "Rejected",
		.rfc = "RFC 8688 section 3",
		.sender = "an intermediary (call analytics or anti-fraud engine), not the callee",
		.action = ACTION_GIVE_UP,
		.meaning = "An intermediary rejected the call, typically call analytics judging "
			"it unwanted; a Call-Info header may give a contact for disputing the "
			"block.",
		.when = "Carrier anti-spam engines blocking calls on caller ID reputation or "
			"missing attestation.",
		.fix = "Use the contact in Call-Info to dispute the block, make sure the caller "
			"ID is yours and signed with full STIR/SHAKEN attestation, and contact "
			"the terminating carrier.",
	},
};

#define N_CODES (sizeof(codes) / sizeof(codes[0]))

/*
 * One record per class, for codes IANA has not registered (499, 477, 409 ...).
 * The action follows the x00 code of the class, as RFC 3261 section 21 prescribes.
 */
static const struct code_info classes[] = {
	{
		.code = 100,
		.reason = "Provisional (unregistered code)",
		.rfc = "RFC 3261 section 21.1",
		.sender = "the next hop or the called side (private or non-standard code)",
		.action = ACTION_WAIT,
		.meaning = "A 1xx code that IANA has not registered. RFC 3261 section 21 requires "
			"a client that does not know a code to treat it as the x00 of its class, "
			"so it counts as 100 Trying: the request is in progress and has no "
			"outcome yet.",
		.when = "From vendor extensions or implementations that misuse the code space; "
			"rare.",
		.fix = "No fix normally needed. Identify the sender (Server or User-Agent header) "
			"and ask its vendor to use a registered code.",
	},
	{
		.code = 200,
		.reason = "Success (unregistered code)",
		.rfc = "RFC 3261 section 21.2",
		.sender = "the UAS or server that handled the request (private or non-standard "
			"code)",
		.action = ACTION_DONE,
		.meaning = "A 2xx code that IANA has not registered. By the class rule of RFC "
			"3261 section 21 it is handled as 200 OK: the request succeeded.",
		.when = "Rare: vendor extensions or HTTP habits such as 201 or 203.",
		.fix = "No fix needed for the call. Ask the sender's vendor to use 200 so that "
			"every hop reads the outcome the same way.",
	},
	{
		.code = 300,
		.reason = "Redirection (unregistered code)",
		.rfc = "RFC 3261 section 21.3",
		.sender = "a redirect server or UAS (private or non-standard code)",
		.action = ACTION_REDIRECT,
		.meaning = "A 3xx code that IANA has not registered. By the class rule of RFC "
			"3261 section 21 it is handled as 300 Multiple Choices: try the Contact "
			"addresses given.",
		.when = "Rare: vendor extensions or HTTP habits such as 303 or 307.",
		.fix = "If calls end there, make sure the proxy follows redirects (uac_redirect "
			"in failure_route), and ask the sender's vendor to use 302.",
	},
	{
		.code = 400,
		.reason = "Client failure (unregistered code)",
		.rfc = "RFC 3261 section 21.4",
		.sender = "a proxy or UAS (private or non-standard code)",
		.action = ACTION_FIX_REQUEST,
		.meaning = "A 4xx code that IANA has not registered. By the class rule of RFC "
			"3261 section 21 it is handled as 400 Bad Request: this request failed at "
			"this server and must not be repeated unchanged.",
		.when = "Kamailio and OpenSIPS answer 477 (error sending to the next hop) and 478 "
			"(unresolvable destination) themselves when t_relay() fails; gateways and "
			"PBXs map internal errors to other private 4xx codes.",
		.fix = "Read the reason phrase and the generating host's log. For 477 or 478 from "
			"Kamailio or OpenSIPS, check the next hop's address, DNS (SRV and A "
			"records) and whether the transport to it is up.",
	},
	{
		.code = 500,
		.reason = "Server failure (unregistered code)",
		.rfc = "RFC 3261 section 21.5",
		.sender = "a server that failed (private or non-standard code)",
		.action = ACTION_TRY_ELSEWHERE,
		.meaning = "A 5xx code that IANA has not registered. By the class rule of RFC "
			"3261 section 21 it is handled as 500 Server Internal Error: the server "
			"failed, and another server may succeed.",
		.when = "From gateways, carriers and SBCs that use private 5xx codes for internal "
			"or routing errors.",
		.fix = "Read the reason phrase and the generating server's log at the same time, "
			"and fail over to another destination in failure_route while the fault "
			"lasts.",
	},
	{
		.code = 600,
		.reason = "Global failure (unregistered code)",
		.rfc = "RFC 3261 section 21.6",
		.sender = "the callee's system or an intermediary (private or non-standard code)",
		.action = ACTION_GIVE_UP,
		.meaning = "A 6xx code that IANA has not registered. By the class rule of RFC "
			"3261 section 21 it is handled as 600 Busy Everywhere: the call failed "
			"definitively and no other location should be tried.",
		.when = "Rare: vendor extensions.",
		.fix = "Read the reason phrase; if the call should have been tried elsewhere, map "
			"the code to a 4xx on the B2BUA and ask the sender's vendor to use a "
			"registered code.",
	},
};

_Static_assert(sizeof(classes) / sizeof(classes[0]) == SIP_CLASS_GLOBAL_FAILURE,
	"one class record per SIP class, 1xx to 6xx");

/*
 * Problem patterns, indexed by enum pattern_id so that knowledge_pattern() is a plain
 * array access. A rule is worded as analysis applies it; change both together.
 */
static const struct pattern_info patterns[] = {
	[PAT_STUCK_AFTER_100] = {
		.pid = PAT_STUCK_AFTER_100,
		.id = "stuck-after-100",
		.title = "INVITE stuck after 100 Trying",
		.severity = SEV_HIGH,
		.rule = "An INVITE transaction received 100 Trying but no final response (>=200) "
			"for the same CSeq before the call went idle for --call-timeout seconds "
			"(180 s once a provisional response arrived, RFC 3261 Timer C) or the log "
			"ended.",
		.denominator = "INVITE calls that received 100 Trying",
		.causes = "The next hop accepted the INVITE and then died, hung or lost it; "
			"responses from further downstream are dropped by NAT or a firewall on "
			"the way back; a wrong Via, rport or Record-Route sends responses to an "
			"unreachable address; a TCP or TLS connection between hops was lost; "
			"fr_inv_timer or Timer C is set so long that nothing times out; or an "
			"overloaded media gateway or PBX accepts calls it never completes.",
		.fix = "Follow one stuck Call-ID on the downstream leg with sngrep or a packet "
			"capture to see which hop stops answering. Keep Kamailio tm fr_timer and "
			"fr_inv_timer (OpenSIPS fr_timeout and fr_inv_timeout) short enough that "
			"a silent hop produces a 408, and fail over in a failure_route "
			"(t_on_failure(), ds_next_dst()). Enable dispatcher probing "
			"(ds_ping_interval, ds_probing_mode) so dead gateways leave the set. "
			"Behind NAT use force_rport(), fix_nated_contact() and keepalives, and on "
			"multihomed proxies make sure Record-Route advertises reachable addresses "
			"(mhomed, advertise).",
	},
	[PAT_NO_FINAL_NO_100] = {
		.pid = PAT_NO_FINAL_NO_100,
		.id = "no-final-no-100",
		.title = "INVITE with no response at all",
		.severity = SEV_HIGH,
		.rule = "An INVITE never received any response at all (not even 100 Trying) "
			"before the call went idle for --call-timeout seconds or the log ended.",
		.denominator = "INVITE calls",
		.causes = "The request never reached the next hop or nothing came back: wrong "
			"destination address or port, a DNS SRV or NAPTR answer pointing nowhere, "
			"a firewall blocking SIP in either direction, the next hop down, a "
			"transport mismatch (UDP sent to a TCP or TLS-only peer), large UDP "
			"INVITEs lost to fragmentation, or a log that shows only requests and not "
			"replies.",
		.fix = "Check with sngrep or tcpdump on the proxy whether the INVITE leaves and "
			"whether anything returns. Verify the destination after routing (Kamailio "
			"$du and $ru, DNS SRV records), firewall rules in both directions and the "
			"transport the peer expects. For large INVITEs over UDP switch to TCP or "
			"trim the SDP. Keep fr_timer short (Kamailio default 30 s) so a "
			"failure_route can try another destination. If the log format does not "
			"record replies, this pattern says nothing: check --format.",
	},
	[PAT_SLOW_SETUP] = {
		.pid = PAT_SLOW_SETUP,
		.id = "slow-setup",
		.title = "Slow call setup (long post-dial delay)",
		.severity = SEV_MEDIUM,
		.rule = "The post-dial delay of an INVITE call was longer than --slow-setup "
			"seconds (default 5): the time from the INVITE to the first 18x "
			"response (180, 181, 182, 183: the caller hears ringback or early "
			"media), or to the first final response that is not a 401/407 "
			"challenge when no 18x came (RFC 6076 Session Request Delay). For a "
			"challenged call it runs from the retry that carried the credentials, "
			"not from the first INVITE (RFC 6076 section 3.3): the challenge round "
			"trip is not what the caller waits for. Ring time (18x to the final "
			"response) is people answering, not the network: it is reported as "
			"its own distribution and never counts here. Only measured where the "
			"log has the INVITE's time and shows provisional responses.",
		.denominator = "INVITE calls with a measured post-dial delay",
		.causes = "Sequential failover through dead gateways, each waiting a full "
			"fr_timer; slow DNS, ENUM or number-portability lookups; database-backed "
			"routing under load; overloaded PBXs or gateways; a carrier that sends "
			"no 18x and only answers or fails late; forking to many devices of "
			"which none rings.",
		.fix = "Break the slow calls down by final code and next hop. Probe gateways "
			"(dispatcher ds_ping_interval) so that failover skips dead ones, shorten "
			"fr_timer for next hops that should answer at once (t_set_fr() per "
			"route), check DNS resolver latency and the DNS cache, database query "
			"times, and the load on the PBX or gateway that answers late. A "
			"threshold of a few seconds follows the post-selection delay objectives "
			"of ITU-T E.721; raise --slow-setup for routes known to be slower "
			"(international, mobile).",
	},
	[PAT_PROXY_AUTH_NOT_RETRIED] = {
		.pid = PAT_PROXY_AUTH_NOT_RETRIED,
		.id = "proxy-auth-not-retried",
		.title = "407 challenge not answered",
		.severity = SEV_MEDIUM,
		.rule = "A request was challenged with 407 and no later request of the same "
			"method on the same Call-ID with a higher CSeq (carrying "
			"Proxy-Authorization where the log shows headers) followed.",
		.denominator = "calls challenged with 407",
		.causes = "The client has no credentials for this realm (a trunk or phone not set "
			"up for authentication), the 407 never reached it (NAT, wrong Via), the "
			"client refuses the realm or algorithm offered, or the sender is a "
			"scanner that never had credentials.",
		.fix = "If the sources are many and unknown, this is scan noise: see "
			"auth-scanner. For a known peer, configure outbound authentication "
			"(Asterisk outbound_auth, FreeSWITCH gateway username and password, the "
			"phone's SIP account), or trust the peer by source address instead of "
			"digest (Kamailio allow_source_address(), OpenSIPS "
			"check_source_address()) and skip the challenge. Check that the 407 "
			"leaves toward the address in Via (received and rport).",
	},
	[PAT_PROXY_AUTH_REJECTED] = {
		.pid = PAT_PROXY_AUTH_REJECTED,
		.id = "proxy-auth-rejected",
		.title = "Credentials rejected after 407",
		.severity = SEV_HIGH,
		.rule = "The last retry after a 407 (higher CSeq, with Proxy-Authorization) was "
			"challenged with 407 again: the credentials were rejected.",
		.denominator = "calls challenged with 407 and retried",
		.causes = "Wrong password or username, a realm mismatch, HA1 stored for another "
			"realm or username form (user against user@domain), a client reusing an "
			"expired nonce, or a brute-force attack guessing passwords.",
		.fix = "Compare username and realm in Proxy-Authorization with the subscriber "
			"record (Kamailio subscriber table, calculate_ha1, the realm passed to "
			"proxy_authorize() or auth_check(); OpenSIPS auth_db). On the calling "
			"side check Asterisk outbound_auth and FreeSWITCH gateway credentials. If "
			"many usernames fail from one address, treat it as an attack "
			"(auth-scanner).",
	},
	[PAT_WWW_AUTH_NOT_RETRIED] = {
		.pid = PAT_WWW_AUTH_NOT_RETRIED,
		.id = "www-auth-not-retried",
		.title = "401 challenge not answered",
		.severity = SEV_MEDIUM,
		.rule = "A request was challenged with 401 and no later request of the same "
			"method on the same Call-ID with a higher CSeq (carrying Authorization "
			"where the log shows headers) followed.",
		.denominator = "calls challenged with 401",
		.causes = "Mostly REGISTER: the device has no or empty credentials, the 401 is "
			"lost on the way back (NAT, firewall), the device waits for its next "
			"registration cycle instead of retrying, or the sender is a scanner "
			"probing extensions.",
		.fix = "Check the device's account settings (authentication username and "
			"password) and that the 401 reaches it (Via received and rport, NAT). "
			"Server side: the realm in Kamailio www_authorize() or auth_check(), the "
			"Asterisk endpoint's auth section, the FreeSWITCH directory user. For "
			"scanners see auth-scanner.",
	},
	[PAT_WWW_AUTH_REJECTED] = {
		.pid = PAT_WWW_AUTH_REJECTED,
		.id = "www-auth-rejected",
		.title = "Credentials rejected after 401",
		.severity = SEV_HIGH,
		.rule = "The last retry after a 401 (higher CSeq, with Authorization) was "
			"challenged with 401 again: the credentials were rejected.",
		.denominator = "calls challenged with 401 and retried",
		.causes = "Wrong password, an authentication username that differs from the "
			"extension (phones provisioned with the wrong auth ID), a realm mismatch, "
			"HA1 computed for another realm, or password guessing by an attacker.",
		.fix = "Compare username and realm in Authorization with the account: Kamailio "
			"subscriber table and calculate_ha1, Asterisk 'pjsip show auth', the "
			"FreeSWITCH directory user's password. Reprovision the device if its auth "
			"ID is wrong. Repeated failures from one address are an attack: ban it "
			"(fail2ban, pike, firewall) and see auth-scanner.",
	},
	[PAT_AUTH_SCANNER] = {
		.pid = PAT_AUTH_SCANNER,
		.id = "auth-scanner",
		.title = "SIP scanner or password brute force",
		.severity = SEV_CRITICAL,
		.rule = "One source address left --scanner-threshold (default 10) or more "
			"challenges unanswered, or sent a request with a User-Agent of a known "
			"scanner (friendly-scanner, sipvicious, sipcli, sip-scan, "
			"VaxSIPUserAgent, pplsip, iWar, sundayddr, SIPVicious, smap). The "
			"severity follows the evidence: critical (a possible break-in) when a "
			"flagged source got a 2xx to a request that was challenged (its "
			"credentials were accepted) or to an INVITE (it placed calls); low "
			"(blocked scanning) otherwise. The flagged sources are listed.",
		.denominator = "Call-IDs (calls, registrations, other)",
		.causes = "SIP scanners and password brute-forcers (SIPVicious and its clones) "
			"sweep the Internet for open PBXs and weak accounts: they send OPTIONS, "
			"REGISTER and INVITE for many usernames, ignore the challenges or try "
			"password lists, aiming at toll fraud.",
		.fix = "Block at the edge: Kamailio pike (pike_check_req()) with an htable ban "
			"list that expires entries, OpenSIPS pike, fail2ban jails on the Asterisk "
			"or FreeSWITCH security log, firewall rules that limit 5060 and 5061 to "
			"known peers, APIBAN blocklists. Drop requests with scanner User-Agents "
			"without replying. Disable guest and anonymous calls (FreeSWITCH "
			"auth-calls, no anonymous endpoint in Asterisk, chan_sip allowguest=no "
			"and alwaysauthreject=yes), use long random passwords and non-numeric "
			"auth usernames, and watch outbound calls to premium and international "
			"destinations.",
	},
	[PAT_REQUEST_TIMEOUT] = {
		.pid = PAT_REQUEST_TIMEOUT,
		.id = "request-timeout",
		.title = "Calls ending in 408 Request Timeout",
		.severity = SEV_MEDIUM,
		.rule = "A call's final response was 408 Request Timeout.",
		.denominator = "Call-IDs with a final response (calls, registrations, other)",
		.causes = "A next hop that does not answer in time (Kamailio and OpenSIPS "
			"generate 408 themselves when fr_timer or fr_inv_timer fires), phones "
			"that went away without unregistering (stale contact, closed NAT "
			"binding), unanswered calls where fr_inv_timer is shorter than the "
			"intended ring time, unreachable gateways.",
		.fix = "Find the hop that generated the 408 (Server or User-Agent header, Via). "
			"Probe next hops (dispatcher ds_ping_interval, Asterisk "
			"qualify_frequency) and remove dead ones; keep NAT bindings alive "
			"(nathelper natping_interval, short registration expiry behind NAT); set "
			"fr_inv_timer to the intended ring time and send 408 to voicemail or the "
			"next destination in failure_route.",
	},
	[PAT_SERVER_ERRORS] = {
		.pid = PAT_SERVER_ERRORS,
		.id = "server-errors",
		.title = "Calls ending in a 5xx server failure",
		.severity = SEV_HIGH,
		.rule = "A call's final response was 5xx.",
		.denominator = "Call-IDs with a final response (calls, registrations, other)",
		.causes = "Dead or overloaded destinations (503 from Kamailio dispatcher with no "
			"destination left, carriers at capacity), trunks that are unregistered or "
			"over their channel limit, script or database errors (500), a gateway's "
			"network link down (502), upstream timeouts (504).",
		.fix = "Break the failures down by code and by the hop that generated them "
			"(Server or User-Agent header, Via). For 502, 503 and 504 fail over in "
			"failure_route (t_on_failure() with ds_next_dst(), OpenSIPS drouting), "
			"probe destinations, and check trunk registrations and call limits with "
			"the carrier. For 500 read the generating server's log at the same time. "
			"Honour Retry-After on 503 instead of retrying at once.",
	},
	[PAT_GLOBAL_FAILURES] = {
		.pid = PAT_GLOBAL_FAILURES,
		.id = "global-failures",
		.title = "Calls ending in a 6xx global failure",
		.severity = SEV_LOW,
		.rule = "A call's final response was 6xx (busy everywhere, declined, does not "
			"exist anywhere, unwanted, rejected).",
		.denominator = "Call-IDs with a final response (calls, registrations, other)",
		.causes = "Mostly decisions by the called user (603 Decline, 600 Busy "
			"Everywhere), numbers not in service (604), media mismatches reported as "
			"global (606), and carrier call blocking of unwanted calls (607, 608), "
			"often based on caller ID reputation.",
		.fix = "Usually nothing to fix in the network. A rise in 607 or 608 on your "
			"outbound traffic means carriers block your calls: check caller ID "
			"validity, STIR/SHAKEN attestation and call rates, and contact the "
			"terminating carrier. A rise in 604 points to stale number lists; 606 "
			"needs the codec checks described for 488. Make sure no B2BUA turns a 4xx "
			"into a 6xx, which stops forking to voicemail.",
	},
	[PAT_AUTH_BREAK_IN] = {
		.pid = PAT_AUTH_BREAK_IN,
		.id = "auth-break-in",
		.title = "Password guessing that then authenticated: possible break-in",
		.severity = SEV_CRITICAL,
		.rule = "In an authentication log (Asterisk security log or authentication "
			"notices), one source address had --scanner-threshold (default 10) or more "
			"failed authentications (wrong password, unknown account, denied by an ACL) "
			"and also at least one successful authentication (SuccessfulAuth).",
		.denominator = "sources in the authentication log",
		.causes = "A source that guessed passwords and then got in has most likely found "
			"a valid password: expect toll fraud (calls to premium and international "
			"numbers) within minutes or hours. Less often it is a legitimate device "
			"behind the same NAT address as a scanner, or a phone that retried a wrong "
			"password many times before someone corrected it.",
		.fix = "Treat it as a break-in until shown otherwise. Find the account that "
			"succeeded from that address (the security log's SuccessfulAuth lines, "
			"AccountID), change its password to a long random one at once, block the "
			"address (firewall, fail2ban), and look for calls it placed in the CDRs "
			"(international and premium destinations, calls at night). Limit what "
			"each endpoint may dial (separate contexts, no international without a "
			"PIN) and set a spending limit with the carrier. If the address is a known "
			"office NAT, fix the device that keeps failing and still block the "
			"scanner behind it.",
		.example = EXAMPLE_SOURCE,
	},
	[PAT_AUTH_GUESSING] = {
		.pid = PAT_AUTH_GUESSING,
		.id = "auth-guessing",
		.title = "Password or account guessing, so far refused",
		.severity = SEV_HIGH,
		.rule = "In an authentication log (Asterisk security log or authentication "
			"notices), one source address had --scanner-threshold (default 10) or more "
			"failed authentications (wrong password, unknown account, denied by an ACL) "
			"and no successful authentication.",
		.denominator = "sources in the authentication log",
		.causes = "A SIP scanner or password brute-forcer (SIPVicious and its clones) is "
			"trying account names and password lists against the PBX, aiming at toll "
			"fraud. Every attempt was refused so far; a weak password is what it "
			"needs. Sometimes a misconfigured phone repeating a wrong password.",
		.fix = "Block the source and make guessing pointless. Enable fail2ban's asterisk "
			"jail on this log (it bans addresses after a few failures), or block the "
			"address in the firewall; better, allow 5060 and 5061 only from your "
			"phones' and carriers' addresses instead of exposing them to the Internet, "
			"and use ACLs on endpoints (pjsip.conf acl, contact_acl; sip.conf "
			"permit/deny). Make the PBX answer the same whether an account exists or "
			"not (chan_sip alwaysauthreject=yes; res_pjsip does so by default) and "
			"rate-limit unknown requests (pjsip.conf global unidentified_request_count, "
			"unidentified_request_period). Use long random passwords and auth "
			"usernames that are not the extension number. If the source is one of "
			"yours, fix the device's credentials.",
		.example = EXAMPLE_SOURCE,
	},
	[PAT_AUTH_SPREAD_GUESSING] = {
		.pid = PAT_AUTH_SPREAD_GUESSING,
		.id = "auth-spread-guessing",
		.title = "One account guessed from many addresses",
		.severity = SEV_HIGH,
		.rule = "In an authentication log, one account had --scanner-threshold (default "
			"10) or more failed authentications (wrong password, unknown account, "
			"denied by an ACL) from two or more source addresses, counting only "
			"sources that stayed below --scanner-threshold themselves (those are "
			"auth-guessing or auth-break-in).",
		.denominator = "accounts in the authentication log",
		.causes = "A botnet guessing one account's password from many addresses, each "
			"staying under per-address limits such as fail2ban's maxretry; or one "
			"account shared by many devices (a roaming softphone, several phones on "
			"one extension) with a wrong or changed password.",
		.fix = "Look at the account's failures by source in the security log. If the "
			"sources are unknown, banning addresses one by one will not stop it: allow "
			"5060 and 5061 only from known networks, set a long random password on "
			"the account now, give it an auth username that is not the extension "
			"number, and restrict where it may register from (pjsip.conf endpoint "
			"acl or contact_acl, sip.conf permit/deny). If the devices are yours, "
			"update the password on every one of them.",
		.example = EXAMPLE_ACCOUNT,
	},
};

_Static_assert(sizeof(patterns) / sizeof(patterns[0]) == PAT_COUNT,
	"one pattern record per enum pattern_id");

const struct code_info *knowledge_code(int code)
{
	size_t lo = 0, hi = N_CODES;

	/* 75 sorted entries: at most 7 probes, and no index table to keep in step. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (codes[mid].code == code)
			return &codes[mid];
		if (codes[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

enum sip_class knowledge_class_of(int code)
{
	if (code < 100 || code > 699)
		return (enum sip_class)0;	/* documented "no class" value */
	return (enum sip_class)(code / 100);
}

const struct code_info *knowledge_class(int code)
{
	enum sip_class c = knowledge_class_of(code);

	return c ? &classes[c - 1] : NULL;
}

const struct code_info *knowledge_codes(size_t *n)
{
	if (n)
		*n = N_CODES;
	return codes;
}

const char *knowledge_class_name(enum sip_class c)
{
	switch (c) {
	case SIP_CLASS_PROVISIONAL:
		return "provisional";
	case SIP_CLASS_SUCCESS:
		return "success";
	case SIP_CLASS_REDIRECTION:
		return "redirection";
	case SIP_CLASS_CLIENT_FAILURE:
		return "client failure";
	case SIP_CLASS_SERVER_FAILURE:
		return "server failure";
	case SIP_CLASS_GLOBAL_FAILURE:
		return "global failure";
	}
	/* Callers print the result: a string, never NULL, even for a bad value. */
	return "unknown";
}

const char *knowledge_severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_LOW:
		return "low";
	case SEV_MEDIUM:
		return "medium";
	case SEV_HIGH:
		return "high";
	case SEV_CRITICAL:
		return "critical";
	}
	return "unknown";
}

const struct pattern_info *knowledge_pattern(enum pattern_id pid)
{
	/* The unsigned compare also rejects negative values cast into the enum. */
	if ((unsigned)pid >= (unsigned)PAT_COUNT)
		return NULL;
	return &patterns[pid];
}

const char *knowledge_example_key(enum example_kind k)
{
	switch (k) {
	case EXAMPLE_CALL:
		return "call_id";
	case EXAMPLE_SOURCE:
		return "source";
	case EXAMPLE_ACCOUNT:
		return "account";
	}
	return "call_id";
}

const struct pattern_info *knowledge_pattern_by_id(const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < PAT_COUNT; i++)
		if (strcmp(patterns[i].id, id) == 0)
			return &patterns[i];
	return NULL;
}
