/*
 * event.c - SIP method names (the only code that event.h declares).
 *
 * sip_method_parse() runs twice for every event (the method and the CSeq's): it compares a
 * name only when its first byte and its length fit, lengths known in advance.
 */
#include "event.h"

#include <string.h>

static const char *const method_names[METHOD_COUNT] = {
	[METHOD_NONE] = "", [METHOD_INVITE] = "INVITE", [METHOD_ACK] = "ACK",
	[METHOD_BYE] = "BYE", [METHOD_CANCEL] = "CANCEL", [METHOD_REGISTER] = "REGISTER",
	[METHOD_OPTIONS] = "OPTIONS", [METHOD_PRACK] = "PRACK", [METHOD_SUBSCRIBE] = "SUBSCRIBE",
	[METHOD_NOTIFY] = "NOTIFY", [METHOD_PUBLISH] = "PUBLISH", [METHOD_INFO] = "INFO",
	[METHOD_REFER] = "REFER", [METHOD_MESSAGE] = "MESSAGE", [METHOD_UPDATE] = "UPDATE",
	[METHOD_OTHER] = "OTHER",
};

const char *sip_method_name(enum sip_method m)
{
	return (unsigned)m < METHOD_COUNT ? method_names[m] : "OTHER";
}

static const unsigned char method_len[METHOD_COUNT] = {
	[METHOD_INVITE] = 6, [METHOD_ACK] = 3, [METHOD_BYE] = 3, [METHOD_CANCEL] = 6,
	[METHOD_REGISTER] = 8, [METHOD_OPTIONS] = 7, [METHOD_PRACK] = 5, [METHOD_SUBSCRIBE] = 9,
	[METHOD_NOTIFY] = 6, [METHOD_PUBLISH] = 7, [METHOD_INFO] = 4, [METHOD_REFER] = 5,
	[METHOD_MESSAGE] = 7, [METHOD_UPDATE] = 6,
};

enum sip_method sip_method_parse(const char *s, size_t n)
{
	if (n == 0)
		return METHOD_NONE;
	for (int m = METHOD_INVITE; m < METHOD_OTHER; m++) {
		const char *w = method_names[m];
		if (w[0] != s[0] || method_len[m] != n)
			continue;
		size_t i = 1;
		while (i < n && w[i] == s[i])
			i++;
		if (i == n)
			return (enum sip_method)m;
	}
	return METHOD_OTHER;
}
