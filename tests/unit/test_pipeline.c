/*
 * test_pipeline.c - unit tests for the engine (src/pipeline.c and its stages chunk.c, pool.c,
 * merge.c): the event stream its callback sees is the same, event for event, whatever the
 * thread count and block size, on mapped files and gzip streams alike.
 *
 * Where tests/e2e/determinism.sh compares reports, this compares what the engine hands on:
 * every field of every event (offset, line, time, method, status, CSeq, Call-ID, source,
 * User-Agent, request URI) and the per-file totals, against one thread with one block. It
 * also checks the work the workers do for the merger: each event's Call-ID hash is the
 * call table's keyed SipHash of its Call-ID (EV_HASHED), and no event still points at its
 * timestamp text (the workers parsed it; nothing after them may read a mapping).
 * Run from the repository root (it reads samples/).
 */
#include "testhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "htab.h"
#include "pipeline.h"
#include "profile.h"
#include "timeparse.h"

struct digest {
	const uint8_t *seed;
	uint64_t h;		/* a chained hash of every event's fields */
	uint64_t n;
	int bad_hash;		/* events whose callid_hash is not SipHash(seed, callid) */
	int ts_left;		/* events that still carry timestamp text */
	int timed;		/* events with a time */
};

static void mix(struct digest *d, const void *p, size_t n)
{
	uint8_t key[16];

	memcpy(key, &d->h, sizeof(d->h));
	memset(key + 8, 0x5a, 8);
	d->h = siphash13(key, p, n) ^ (d->h * 31 + n);
}

static void mix_str(struct digest *d, struct str s)
{
	mix(d, &s.n, sizeof(s.n));
	if (s.n)
		mix(d, s.p, s.n);
}

static void on_event(void *ctx, const struct event *ev)
{
	struct digest *d = ctx;
	int64_t f[8] = { ev->time_us, (int64_t)ev->offset, (int64_t)ev->line, ev->method,
			 ev->status, ev->cseq, ev->cseq_method, ev->file };

	mix(d, f, sizeof(f));
	mix_str(d, ev->callid);
	mix_str(d, ev->src);
	mix_str(d, ev->ua);
	mix_str(d, ev->ruri);
	mix_str(d, ev->account);
	if (!(ev->flags & EV_HASHED) ||
	    ev->callid_hash != siphash13(d->seed, ev->callid.p, ev->callid.n))
		d->bad_hash++;
	if (ev->ts.n || ev->ts_before.n)
		d->ts_left++;
	d->timed += ev->time_us != TIME_UNKNOWN;
	d->n++;
}

struct sample {
	const char *path;
	const char *profile;
};

/* time-of-day stamps (FreeSWITCH), BSD syslog, RFC 3339 plain and gzip, message dumps */
static const struct sample samples[] = {
	{ "samples/other/freeswitch-siptrace.log", "sip" },
	{ "samples/other/ngrep-byline.txt", "sip" },
	{ "samples/other/asterisk-pjsip.log.gz", "sip" },
	{ "samples/other/tshark-V.txt.gz", "sip" },
	{ "samples/other/mixed-crlf.log", "sip" },
	{ "samples/kamailio/kamailio-rfc3339.log", "kamailio" },
	{ "samples/kamailio/kamailio-rfc3339.log.gz", "kamailio" },
	{ "samples/kamailio/syslog-bsd/kamailio.log", "kamailio" },
};
#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

/* One run over every sample; the digest of the events and of the per-file totals. */
static struct digest run(const uint8_t seed[16], unsigned threads, size_t block)
{
	struct profile *prof[NSAMPLES];
	struct pipeline_input in[NSAMPLES];
	struct report_file rf[NSAMPLES];
	struct digest d = { .seed = seed };

	memset(rf, 0, sizeof(rf));
	for (size_t i = 0; i < NSAMPLES; i++) {
		prof[i] = profile_builtin(samples[i].profile);
		rf[i].path = xstrndup(samples[i].path, strlen(samples[i].path));
		rf[i].first_time = rf[i].last_time = TIME_UNKNOWN;
		in[i] = (struct pipeline_input){ .path = samples[i].path, .profile = prof[i],
						 .rf = &rf[i], .date_hint = TIME_UNKNOWN };
	}
	struct pipeline_opts po = { .threads = threads, .block_size = block, .callid_seed = seed };
	int rc = pipeline_run(in, NSAMPLES, &po, on_event, &d);
	for (size_t i = 0; i < NSAMPLES; i++) {
		uint64_t t[7] = { rf[i].bytes, rf[i].lines, rf[i].records, rf[i].incomplete,
				  (uint64_t)rf[i].first_time, (uint64_t)rf[i].last_time,
				  (uint64_t)rf[i].status };
		mix(&d, t, sizeof(t));
		free(rf[i].path);
		free(rf[i].error);
		free(rf[i].note);
		profile_free(prof[i]);
	}
	if (rc != 0)
		d.bad_hash = -1000000;
	return d;
}

int main(void)
{
	uint8_t seed[16];

	random_seed(seed, sizeof(seed));
	struct digest ref = run(seed, 1, 64u << 20);
	CHECK(ref.n > 900, "the samples give events (%llu)", (unsigned long long)ref.n);
	CHECK(ref.timed * 10 > (int)ref.n * 9, "nearly all of them with a time (%d)", ref.timed);
	CHECK_EQ_INT(ref.bad_hash, 0, "every Call-ID hashed with the call table's key");
	CHECK_EQ_INT(ref.ts_left, 0, "no event still points at its timestamp text");

	static const unsigned threads[] = { 1, 2, 3, 8 };
	static const size_t blocks[] = { 4096, 5000, 65536, 0 };
	for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
		for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
			struct digest d = run(seed, threads[t], blocks[b]);
			CHECK(d.n == ref.n && d.h == ref.h && d.bad_hash == 0 && d.ts_left == 0,
			      "-j%u, block %zu: the same %llu events, fields and file totals",
			      threads[t], blocks[b], (unsigned long long)d.n);
		}
	}
	return test_done();
}
