/*
 * test_infer.c - the inferred profile (src/infer.c) on in-memory samples: what it reads, that
 * whatever it writes compiles, and that log text never becomes regex syntax.
 */
#include "infer.h"
#include "profile.h"
#include "testhelp.h"

#include <stdlib.h>
#include <string.h>

/* the fields a line gives under profile p: "callid|cseq|method|status|src|ua|auth", or NULL */
static char *read_line(const struct profile *p, const char *line)
{
	static const int want[] = { F_CALLID, F_CSEQ, F_METHOD, F_STATUS, F_SRC, F_UA, F_AUTH };
	static char out[512];
	size_t len = strlen(line);

	for (int i = 0; i < p->nmatch; i++) {
		const struct pattern *pt = &p->match[i];
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(pt->re, NULL);
		int rc = pcre2_match(pt->re, (PCRE2_SPTR)line, len, 0, 0, md, NULL);
		if (rc < 0) {
			pcre2_match_data_free(md);
			continue;
		}
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		out[0] = 0;
		for (size_t f = 0; f < sizeof(want) / sizeof(want[0]); f++) {
			const char *v = "";
			int vn = 0;
			for (int k = 0; k < pt->ngroups[want[f]]; k++) {
				int g = pt->groups[want[f]][k];
				if (g < rc && ov[2 * g] != PCRE2_UNSET) {
					v = line + ov[2 * g];
					vn = (int)(ov[2 * g + 1] - ov[2 * g]);
					break;
				}
			}
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.*s", f ? "|" : "",
				 vn, v);
		}
		pcre2_match_data_free(md);
		return out;
	}
	return NULL;
}

static struct profile *infer(const char *sample, struct buf *why)
{
	struct buf text = {0};
	struct profile *p = NULL;

	if (infer_profile_text(sample, strlen(sample), &text, why) == 0)
		p = profile_parse(text.p, text.len, "test");
	buf_free(&text);
	return p;
}

static void test_labels(void)
{
	const char *s =
		"Nov 24 13:00:01 h k[1]: REQ method=INVITE ci=a1@h cs=1 INVITE si=10.0.0.1:5060 au=<null> ua=Zoiper 5\n"
		"Nov 24 13:00:01 h k[1]: REPLY code=407 ci=a1@h cs=1 INVITE si=10.0.0.9:5060 reason=Proxy Auth\n"
		"Nov 24 13:00:02 h k[1]: REQ method=INVITE ci=a1@h cs=2 INVITE si=10.0.0.1:5060 au=alice ua=Zoiper 5\n"
		"Nov 24 13:00:02 h k[1]: REPLY code=200 ci=a1@h cs=2 INVITE si=10.0.0.9:5060 reason=OK\n"
		"Nov 24 13:00:03 h k[1]: REQ method=BYE ci=a1@h cs=3 BYE si=10.0.0.1:5060 au=<null> ua=Zoiper 5\n";
	struct buf why = {0};
	struct profile *p = infer(s, &why);

	CHECK(p != NULL, "labelled layout inferred (%s)", why.len ? buf_cstr(&why) : "");
	if (!p)
		return;
	CHECK_EQ_STR(p->name, "inferred", "profile name");
	CHECK(p->shows_auth, "au= shows credentials");
	CHECK_EQ_STR(read_line(p, "Nov 24 13:00:02 h k[1]: REQ method=INVITE ci=a1@h cs=2 INVITE "
			       "si=10.0.0.1:5060 au=alice ua=Zoiper 5"),
		     "a1@h|2|INVITE||10.0.0.1:5060|Zoiper 5|alice", "request fields");
	CHECK_EQ_STR(read_line(p, "Nov 24 13:00:01 h k[1]: REQ method=INVITE ci=a1@h cs=1 INVITE "
			       "si=10.0.0.1:5060 au=<null> ua=Zoiper 5"),
		     "a1@h|1|INVITE||10.0.0.1:5060|Zoiper 5|", "<null> is no credentials");
	CHECK_EQ_STR(read_line(p, "Nov 24 13:00:01 h k[1]: REPLY code=407 ci=a1@h cs=1 INVITE "
			       "si=10.0.0.9:5060 reason=Proxy Auth"),
		     "a1@h|1||407|10.0.0.9:5060||", "reply fields");
	/* a User-Agent that holds other keys is the rest of the line */
	CHECK_EQ_STR(read_line(p, "Nov 24 13:00:09 h k[1]: REQ method=INVITE ci=x1@h cs=1 INVITE "
			       "si=6.6.6.6:5060 au=<null> ua=evil ci=y@h cs=9 si=1.1.1.1:1"),
		     "x1@h|1|INVITE||6.6.6.6:5060|evil ci=y@h cs=9 si=1.1.1.1:1|", "hostile UA");
	profile_free(p);
	buf_free(&why);
}

static void test_too_few(void)
{
	struct buf why = {0};
	struct profile *p = infer("REQ method=INVITE ci=a1@h cs=1 INVITE\n"
				  "REPLY code=100 ci=a1@h cs=1 INVITE\n", &why);

	CHECK(p == NULL, "two lines: nothing inferred");
	CHECK(why.len && strstr(buf_cstr(&why), "at least 4 needed"), "says why: %s",
	      why.len ? buf_cstr(&why) : "");
	buf_free(&why);
	why = (struct buf){0};
	CHECK(infer("", &why) == NULL && why.len, "empty sample: nothing inferred, with a reason");
	buf_free(&why);
}

/* credentials the sample never showed are still read: a length, a user, "yes" */
static void test_auth_unseen(void)
{
	struct buf s = {0}, why = {0};

	for (int i = 0; i < 6; i++)
		buf_printf(&s, "in INVITE cid=c%d cseq=1 cred=0\n", i);
	struct profile *p = infer(buf_cstr(&s), &why);
	CHECK(p != NULL && p->shows_auth, "cred= shows credentials");
	if (p) {
		CHECK_EQ_STR(read_line(p, "in INVITE cid=z cseq=2 cred=312"), "z|2|INVITE||||312",
			     "a length never seen in the sample");
		CHECK_EQ_STR(read_line(p, "in INVITE cid=z cseq=2 cred=bob"), "z|2|INVITE||||bob",
			     "a user name");
		CHECK_EQ_STR(read_line(p, "in INVITE cid=z cseq=2 cred=<null>"), "z|2|INVITE||||",
			     "<null>: none");
		CHECK_EQ_STR(read_line(p, "in INVITE cid=z cseq=2 cred=no"), "z|2|INVITE||||",
			     "no: none");
	}
	profile_free(p);
	buf_free(&s);
	buf_free(&why);
}

/* values followed by ',' ("method=INVITE, callid=abc, cseq=1 INVITE,") */
static void test_commas(void)
{
	struct buf s = {0}, why = {0};

	for (int i = 0; i < 3; i++) {
		buf_printf(&s, "k: method=INVITE, callid=c%d@h, cseq=1, src_ip=10.0.0.%d, port=5060\n", i, i);
		buf_printf(&s, "k: code=200, callid=c%d@h, cseq=1 INVITE, src_ip=10.0.0.9\n", i);
	}
	struct profile *p = infer(buf_cstr(&s), &why);
	CHECK(p != NULL, "comma-separated layout inferred");
	if (p) {
		CHECK_EQ_STR(read_line(p, "k: method=BYE, callid=z@h, cseq=2, src_ip=10.1.1.1, port=1"),
			     "z@h|2|BYE||10.1.1.1||", "request fields without the commas");
		CHECK_EQ_STR(read_line(p, "k: code=486, callid=z@h, cseq=2 INVITE, src_ip=10.1.1.2"),
			     "z@h|2||486|10.1.1.2||", "reply fields without the commas");
	}
	profile_free(p);
	buf_free(&s);
	buf_free(&why);
}

/* words full of regex syntax before the fields are matched as themselves */
static void test_literals(void)
{
	static const char *const words[] = { "(a|b)+", "\\E.*", "[x", "$^", "\\Q(", "#", "(?{", "a\\" };
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		struct buf s = {0}, why = {0};
		for (int i = 0; i < 6; i++)
			buf_printf(&s, "p: %s INVITE ci=c%d@h cs=1 INVITE\n", words[w], i);
		struct profile *p = infer(buf_cstr(&s), &why);
		CHECK(p != NULL, "lead word '%s': inferred", words[w]);
		if (p) {
			char line[128];
			snprintf(line, sizeof(line), "p: %s INVITE ci=z9@h cs=4 INVITE", words[w]);
			CHECK_EQ_STR(read_line(p, line), "z9@h|4|INVITE||||", "lead word '%s' read",
				     words[w]);
			snprintf(line, sizeof(line), "p: %sX INVITE ci=z9@h cs=4 INVITE", words[w]);
			CHECK(read_line(p, line) == NULL, "lead word '%s' is a literal", words[w]);
		}
		profile_free(p);
		buf_free(&s);
		buf_free(&why);
	}
}

/* whatever the sample, an inferred profile compiles */
static void test_compiles(void)
{
	static const char *const parts[] = { "ci=", "cid=", "callid=", "cseq=", "cs=", "INVITE",
		"200", "src=", "si=", "ua=", "\"", "[abc1234@h]", "1/INVITE", "10.0.0.1:5060", "code=",
		"method=", "REQ", "x=", "Call-ID: ", "CSeq: ", "au=", "(", "\\", "]", "*", "<null>" };
	static const char *const vals[] = { "", "abc123@h", "1", " ", "\"q 1\"", "\\E", "(?" };
	unsigned seed = 1, inferred = 0, bad = 0;

	for (int round = 0; round < 300; round++) {
		struct buf s = {0}, text = {0}, why = {0};
		int lines = 4 + round % 20, n = 2 + round % 10, part[12];
		/* one random layout per round (a Call-ID label and a method first), random values */
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			part[k] = k == 0 ? 0 : k == 1 ? 5 :
				  (int)((seed >> 16) % (sizeof(parts) / sizeof(parts[0])));
		}
		for (int l = 0; l < lines; l++) {
			for (int k = 0; k < n; k++) {
				seed = seed * 1103515245u + 12345u;
				int v = k == 0 ? 1 : k == 1 ? 0 :
					(int)((seed >> 8) % (sizeof(vals) / sizeof(vals[0])));
				buf_printf(&s, "%s%s%s", k ? " " : "", parts[part[k]], vals[v]);
			}
			buf_addc(&s, '\n');
		}
		if (infer_profile_text(s.p, s.len, &text, &why) == 0) {
			inferred++;
			struct profile *p = profile_parse(text.p, text.len, "test");
			bad += p == NULL;
			profile_free(p);
		}
		buf_free(&s);
		buf_free(&text);
		buf_free(&why);
	}
	CHECK(inferred > 0, "random samples: %u of 300 inferred", inferred);
	CHECK_EQ_INT(bad, 0, "every inferred profile compiles");
}

int main(void)
{
	test_labels();
	test_too_few();
	test_auth_unseen();
	test_commas();
	test_literals();
	test_compiles();
	return test_done();
}
