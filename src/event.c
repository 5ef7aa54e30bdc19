/*
 * event.c - SIP method names (the only code that event.h declares).
 *
 * sip_method_parse() runs twice for every event (the method and the CSeq's): the first byte
 * picks the one or two names it can be, each compared only when its length fits.
 */
#include "event.h"


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

/* s[0..n) is the name of m */
static int is_method(const char *s, size_t n, enum sip_method m)
{
	const char *w = method_names[m];

	if (method_len[m] != n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (w[i] != s[i])
			return 0;
	return 1;
}

enum sip_method sip_method_parse(const char *s, size_t n)
{
	enum sip_method a = METHOD_OTHER, b = METHOD_OTHER;	/* the names s[0] begins */

	if (n == 0)
		return METHOD_NONE;
	switch (s[0]) {
	case 'I': a = METHOD_INVITE; b = METHOD_INFO; break;
	case 'A': a = METHOD_ACK; break;
	case 'B': a = METHOD_BYE; break;
	case 'C': a = METHOD_CANCEL; break;
	case 'R': a = METHOD_REGISTER; b = METHOD_REFER; break;
	case 'O': a = METHOD_OPTIONS; break;
	case 'P': a = METHOD_PRACK; b = METHOD_PUBLISH; break;
	case 'S': a = METHOD_SUBSCRIBE; break;
	case 'N': a = METHOD_NOTIFY; break;
	case 'M': a = METHOD_MESSAGE; break;
	case 'U': a = METHOD_UPDATE; break;
	default: return METHOD_OTHER;
	}
	if (is_method(s, n, a))
		return a;
	if (b != METHOD_OTHER && is_method(s, n, b))
		return b;
	return METHOD_OTHER;
}
