/*
 * test_hosts.c - unit tests for src/hosts.c: inputs to hosts (--host-from: the first group,
 * else the whole match; --host globs; names in byte order; no match, too many hosts), and
 * hosts_run(): the hosts' events merged by (time, host), each host's in its own order, file
 * numbers over all inputs, the host index set; the same for every thread count and block
 * size, and the same events as one pipeline per host.
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hosts.h"
#include "profile.h"
#include "timeparse.h"
#include "util.h"

static void test_assign(void)
{
	char *paths[] = { "/logs/b/k.log", "/logs/a/k.log.1", "/logs/b/k.log.1", "/logs/a/k.log" };
	struct host_rules r = { .from = "/logs/([^/]+)/" };
	char **names = NULL;
	unsigned n = 0, of[4];

	CHECK(hosts_assign(&r, paths, 4, &names, &n, of) == 0, "--host-from: assigned");
	CHECK_EQ_INT(n, 2, "two hosts");
	CHECK(n == 2 && strcmp(names[0], "a") == 0 && strcmp(names[1], "b") == 0,
	      "names in byte order");
	CHECK(of[0] == 1 && of[1] == 0 && of[2] == 1 && of[3] == 0, "each path's host");
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);

	/* no group: the whole match */
	struct host_rules w = { .from = "sbc[0-9]+" };
	char *p2[] = { "/x/sbc12-k.log", "/x/sbc3-k.log" };
	CHECK(hosts_assign(&w, p2, 2, &names, &n, of) == 0 && n == 2 &&
	      strcmp(names[0], "sbc12") == 0 && of[1] == 1, "no group: the whole match");
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);

	/* globs; '*' crosses '/' */
	struct host_rules g = {0};
	CHECK(hosts_add_glob(&g, "east=/srv/*/east/*") == 0 && hosts_add_glob(&g, "west=*west*") == 0,
	      "--host rules added");
	char *p3[] = { "/srv/x/east/k.log", "/srv/west/k.log" };
	CHECK(hosts_assign(&g, p3, 2, &names, &n, of) == 0 && n == 2 && of[0] == 0 && of[1] == 1 &&
	      strcmp(names[1], "west") == 0, "--host: by glob");
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);

	fprintf(stderr, "(the usage messages below are expected)\n");
	char *p4[] = { "/logs/a/k.log", "/elsewhere/k.log" };
	CHECK(hosts_assign(&r, p4, 2, &names, &n, of) < 0, "a path no host matches: refused");
	struct host_rules bad = { .from = "(" };
	CHECK(hosts_assign(&bad, p4, 1, &names, &n, of) < 0, "a bad pattern: refused");
	struct host_rules empty = { .from = "/logs/([^/]*)/" };
	char *p5[] = { "/logs//k.log" };
	CHECK(hosts_assign(&empty, p5, 1, &names, &n, of) < 0, "an empty name: refused");
	CHECK(hosts_add_glob(&g, "=x") < 0 && hosts_add_glob(&g, "x=") < 0 &&
	      hosts_add_glob(&g, "x") < 0, "--host without NAME or GLOB: refused");

	/* the bound */
	char *many[HOSTS_MAX + 1], buf[HOSTS_MAX + 1][32];
	unsigned mof[HOSTS_MAX + 1];
	for (int i = 0; i <= HOSTS_MAX; i++) {
		snprintf(buf[i], sizeof(buf[i]), "/logs/h%02d/k.log", i);
		many[i] = buf[i];
	}
	CHECK(hosts_assign(&r, many, HOSTS_MAX + 1, &names, &n, mof) < 0, "65 hosts: refused");
	CHECK(hosts_assign(&r, many, HOSTS_MAX, &names, &n, mof) == 0 && n == HOSTS_MAX &&
	      mof[HOSTS_MAX - 1] == HOSTS_MAX - 1, "64 hosts: taken");
	for (unsigned i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* ---- hosts_run() */

#define MAXEV 4096

struct seen {
	size_t n;
	int64_t t[MAXEV];
	uint32_t host[MAXEV], file[MAXEV];
	uint64_t line[MAXEV];
	char id[MAXEV][16];
};

static void on_event(void *ctx, const struct event *ev)
{
	struct seen *s = ctx;

	if (s->n == MAXEV)
		return;
	s->t[s->n] = ev->time_us;
	s->host[s->n] = ev->host;
	s->file[s->n] = ev->file;
	s->line[s->n] = ev->line;
	snprintf(s->id[s->n], sizeof(s->id[0]), "%.*s", (int)ev->callid.n, ev->callid.p);
	s->n++;
}

/* An xlog line at second sec + us microseconds of 2026-12-01T10:00 */
static void xlog(FILE *f, int sec, int us, const char *cid)
{
	fprintf(f, "2026-12-01T10:00:%02d.%06d+00:00 px kamailio[1]: NOTICE: <script>: siplog: "
		"req=OPTIONS cseq=1 OPTIONS callid=%s src=udp:10.0.0.1:5060 auth=no ua=U\n",
		sec, us, cid);
}

static void test_run(void)
{
	char dir[] = "/tmp/test_hosts.XXXXXX";
	char path[4][64];
	struct profile *prof = profile_builtin("kamailio");

	CHECK(mkdtemp(dir) != NULL && prof, "temporary directory, profile");
	/* host 0: files 0 and 1 (its older and newer); host 1: file 2; host 2: file 3. Ties at
	 * 10:00:01.000000 between every host; host 1 goes back in time within its file */
	for (int i = 0; i < 4; i++)
		snprintf(path[i], sizeof(path[i]), "%s/f%d.log", dir, i);
	FILE *f = fopen(path[0], "w");
	xlog(f, 0, 0, "a1");
	xlog(f, 1, 0, "a2");
	fclose(f);
	f = fopen(path[1], "w");
	xlog(f, 1, 0, "a3");
	xlog(f, 3, 0, "a4");
	fclose(f);
	f = fopen(path[2], "w");
	xlog(f, 1, 0, "b1");
	xlog(f, 0, 500000, "b2");	/* back in time: stays after b1 */
	xlog(f, 2, 0, "b3");
	fclose(f);
	f = fopen(path[3], "w");
	for (int i = 0; i < 1000; i++) {	/* enough for several batches */
		char id[16];
		snprintf(id, sizeof(id), "c%d", i);
		xlog(f, 1, i, id);
	}
	fclose(f);

	/* the order wanted, by (time, host), each host's own order kept */
	const char *want[] = { "a1", "a2", "a3", "b1", "b2", "c0" };
	struct seen *ref = NULL;
	size_t first[] = { 0, 2, 3, 4 };
	unsigned threads[] = { 1, 2, 3, 8 };
	size_t blocks[] = { 0, 4096 };
	int same = 1;
	for (int ti = 0; ti < 4; ti++)
		for (int bi = 0; bi < 2; bi++) {
			struct pipeline_input in[4];
			struct report_file rf[4];
			struct seen *s = xcalloc(1, sizeof(*s));
			memset(rf, 0, sizeof(rf));
			for (int i = 0; i < 4; i++) {
				rf[i].path = xstrndup(path[i], strlen(path[i]));
				rf[i].first_time = rf[i].last_time = TIME_UNKNOWN;
				in[i] = (struct pipeline_input){ .path = path[i], .profile = prof,
								 .rf = &rf[i],
								 .date_hint = TIME_UNKNOWN };
			}
			struct pipeline_opts po = { .threads = threads[ti], .block_size = blocks[bi] };
			int rc = hosts_run(in, 4, first, 3, &po, on_event, s);
			for (int i = 0; i < 4; i++)
				free(rf[i].path);
			if (!ref) {
				CHECK(rc == 0, "hosts_run: every input read");
				CHECK_EQ_INT(s->n, 1007, "every event handed on");
				int order = 1;
				for (int k = 0; k < 6; k++)
					order &= strcmp(s->id[k], want[k]) == 0;
				/* ties at 10:00:01 by host; b2 (10:00:00.5, after b1 in its file)
				 * then goes first, before c0 (10:00:01.000000) */
				CHECK(order, "(time, host) order");
				int hostfile = 1;
				for (size_t k = 0; k < s->n; k++) {
					int want_host = s->id[k][0] - 'a';
					hostfile &= (int)s->host[k] == want_host;
					hostfile &= s->file[k] >= first[want_host] &&
						    s->file[k] < first[want_host + 1];
				}
				CHECK(hostfile, "every event's host index and file number");
				int c_order = 1;
				for (size_t k = 1; k < s->n; k++)
					if (s->id[k][0] == 'c' && s->id[k - 1][0] == 'c')
						c_order &= atoi(s->id[k] + 1) == atoi(s->id[k - 1] + 1) + 1;
				CHECK(c_order, "one host's events keep their order across batches");
				int b_order = 1;
				for (size_t k = 0, bi2 = 1; k < s->n; k++)
					if (s->id[k][0] == 'b')
						b_order &= s->id[k][1] - '0' == (int)bi2++;
				CHECK(b_order, "a host whose time goes back keeps its order");
				ref = s;
			} else {
				same &= rc == 0 && s->n == ref->n &&
					memcmp(s->id, ref->id, sizeof(s->id)) == 0 &&
					memcmp(s->file, ref->file, sizeof(s->file)) == 0 &&
					memcmp(s->line, ref->line, sizeof(s->line)) == 0;
				free(s);
			}
		}
	CHECK(same, "the same events in the same order for -j1/2/3/8 and block sizes");
	free(ref);
	for (int i = 0; i < 4; i++)
		unlink(path[i]);
	rmdir(dir);
	profile_free(prof);
}

int main(void)
{
	test_assign();
	test_run();
	return test_done();
}
