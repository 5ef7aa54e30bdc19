/*
 * event.c - SIP method names (the only code that event.h declares).
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

enum sip_method sip_method_parse(const char *s, size_t n)
{
	if (n == 0)
		return METHOD_NONE;
	for (int m = METHOD_INVITE; m < METHOD_OTHER; m++)
		if (strlen(method_names[m]) == n && memcmp(method_names[m], s, n) == 0)
			return (enum sip_method)m;
	return METHOD_OTHER;
}
