/*
 * tz.c - the zone of zoneless stamps: wall clock <-> UTC, offsets, local hours.
 *
 * Why the C library and not our own TZif reader: glibc already reads every TZif version and
 * the POSIX rule at the end of a "slim" file (the years after its last transition), which a
 * reader of our own would have to repeat. Its price is a lock and a few hundred nanoseconds
 * per localtime_r(), too much for tens of millions of records, so it only fills caches:
 *  - the offset of a UTC hour (tz_offset): every instant of an hour without a change of
 *    offset has the same one, so one entry answers every record of that hour;
 *  - the reading of a wall-clock hour (tz_to_utc): one offset (an ordinary hour), two (the
 *    hour that the autumn change repeats) or none (the spring gap, then the instant of the
 *    change). An hour whose start and end read differently (a zone that changes at :30) is
 *    not cached; it costs a few localtime_r() per record for that one hour.
 * The caches are per thread (_Thread_local), so no lock of ours is taken. The zone itself is
 * set once, by tz_setup() before any thread starts, through TZ and tzset(); a generation
 * number empties every cache when a unit test sets another zone.
 *
 * Offsets are found by probing: a wall time w has the candidate offsets in force a day
 * before and a day after it (no zone changes twice within two days), and a candidate o holds
 * when the instant w - o really has offset o.
 */
#include "tz.h"
#include "timeparse.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define US_PER_SEC	INT64_C(1000000)

/* instants localtime_r() is asked about: 0001-01-01 .. 9999-12-31, plus two days */
#define SEC_MIN		(INT64_C(-62135596800) - 2 * 86400)
#define SEC_MAX		(INT64_C(253402300799) + 2 * 86400)

static struct {
	int utc;		/* 1: offset 0 always; the libc is never asked */
	unsigned gen;		/* bumped by every tz_setup(): the caches check it */
	char name[256];
} zone = { 1, 1, "UTC" };

static inline int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b < 0)
		q--;
	return q;
}

/* The offset (seconds east) in force at the instant s (seconds since the epoch). */
static int32_t libc_offset(int64_t s)
{
	struct tm tm;
	time_t tt;

	if (s < SEC_MIN)
		s = SEC_MIN;
	if (s > SEC_MAX)
		s = SEC_MAX;
	tt = (time_t)s;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int32_t)tm.tm_gmtoff;
}

int32_t tz_offset(int64_t t)
{
	static _Thread_local struct { unsigned gen; int64_t hour; int32_t off; } c;

	if (zone.utc)
		return 0;
	int64_t s = floor_div(t, US_PER_SEC), h = floor_div(s, 3600);
	if (c.gen == zone.gen && c.hour == h)
		return c.off;
	int32_t a = libc_offset(h * 3600), b = libc_offset(h * 3600 + 3599);
	if (a != b)
		return libc_offset(s);	/* the offset changes within this hour */
	c.gen = zone.gen;
	c.hour = h;
	c.off = a;
	return a;
}

/* How a wall-clock second reads: n = 1 (one offset), 2 (the repeated hour: off[0] gives the
 * earlier instant) or 0 (the spring gap: change is the instant the clock jumped). */
struct reading {
	int n;
	int32_t off[2];
	int64_t change;
};

static void classify(int64_t w, struct reading *r)
{
	int32_t oa = libc_offset(w - 86400), ob = libc_offset(w + 86400);

	memset(r, 0, sizeof(*r));
	if (libc_offset(w - oa) == oa)
		r->off[r->n++] = oa;
	if (ob != oa && libc_offset(w - ob) == ob)
		r->off[r->n++] = ob;
	if (r->n == 2 && r->off[0] < r->off[1]) {
		/* the larger offset is the earlier instant (w - off) */
		int32_t x = r->off[0];
		r->off[0] = r->off[1];
		r->off[1] = x;
	}
	if (r->n)
		return;
	/* The gap: lo = w - max has the offset before the change, hi = w - min the one after;
	 * bisect for the first second of the new offset. */
	int64_t lo = w - (oa > ob ? oa : ob), hi = w - (oa < ob ? oa : ob);
	int32_t before = libc_offset(lo);
	if (oa == ob || libc_offset(hi) == before) {
		/* two changes within two days, which no zone has: read it with oa */
		r->n = 1;
		r->off[0] = oa;
		return;
	}
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;
		if (libc_offset(mid) == before)
			lo = mid;
		else
			hi = mid;
	}
	r->change = hi;
}

static int same_reading(const struct reading *a, const struct reading *b)
{
	return a->n == b->n && a->off[0] == b->off[0] && a->off[1] == b->off[1] &&
	       a->change == b->change;
}

int64_t tz_to_utc(int64_t wall, int64_t prev)
{
	static _Thread_local struct { unsigned gen; int64_t hour; struct reading r; } c;
	struct reading tmp;
	const struct reading *r;

	if (zone.utc || wall == TIME_UNKNOWN)
		return wall;
	int64_t s = floor_div(wall, US_PER_SEC), h = floor_div(s, 3600);
	if (c.gen == zone.gen && c.hour == h) {
		r = &c.r;
	} else {
		struct reading end;
		classify(h * 3600, &tmp);
		classify(h * 3600 + 3599, &end);
		if (same_reading(&tmp, &end)) {
			c.gen = zone.gen;
			c.hour = h;
			c.r = tmp;
			r = &c.r;
		} else {
			classify(s, &tmp);	/* a change inside this wall hour */
			r = &tmp;
		}
	}
	if (r->n == 0)
		return r->change * US_PER_SEC;
	int64_t a = wall - (int64_t)r->off[0] * US_PER_SEC;
	if (r->n == 1 || prev == TIME_UNKNOWN || a >= prev - TZ_REORDER_SLACK_US)
		return a;
	/* the earlier reading would go back in time: the log is in the second pass */
	return wall - (int64_t)r->off[1] * US_PER_SEC;
}

int64_t tz_hour_start(int64_t t)
{
	const int64_t hour = 3600 * US_PER_SEC;
	int64_t off = (int64_t)tz_offset(t) * US_PER_SEC;

	return floor_div(t + off, hour) * hour - off;
}

const char *tz_name(void)
{
	return zone.name;
}

int tz_is_utc(void)
{
	return zone.utc;
}

const char *tz_dir(void)
{
	const char *d = getenv("TZDIR");

	return d && *d ? d : "/usr/share/zoneinfo";
}

/* Names of UTC itself: offset 0 for ever, shown as "...Z" like a zone of their own. */
static int utc_alias(const char *name)
{
	static const char *const names[] = {
		"UTC", "UCT", "Universal", "Zulu", "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich",
	};

	if (!strncmp(name, "Etc/", 4))
		name += 4;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* An IANA name: "Area/Location" of letters, digits and ._+- ; no empty, "." or ".."
 * component, so it cannot leave the zone folder. */
static int valid_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= sizeof(zone.name) || name[0] == '/')
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '+' || c == '-' || c == '/'))
			return 0;
		if ((p == name || p[-1] == '/') &&
		    (c == '/' || (c == '.' && (p[1] == '/' || !p[1] ||
					       (p[1] == '.' && (p[2] == '/' || !p[2]))))))
			return 0;
	}
	return name[n - 1] != '/';
}

/* A regular file that starts with the TZif magic (RFC 8536): not zone.tab, not a folder. */
static int is_tzif(const char *path)
{
	char magic[4];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4)
		ok = memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

static void use_zone(const char *name, const char *path)
{
	char tzvar[4200];

	snprintf(zone.name, sizeof(zone.name), "%s", name);
	zone.utc = utc_alias(name);
	zone.gen++;
	/* ":path" makes the C library read that file; UTC needs no file (and no tzdata) */
	if (zone.utc || !path)
		snprintf(tzvar, sizeof(tzvar), "UTC0");
	else
		snprintf(tzvar, sizeof(tzvar), ":%s", path);
	setenv("TZ", tzvar, 1);
	tzset();
}

/* A named zone: its file under the zone folder. 0, or -1 when there is none. */
static int use_named(const char *name)
{
	char path[4096];

	if (utc_alias(name)) {
		use_zone(name, NULL);
		return 0;
	}
	if (!valid_name(name))
		return -1;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", tz_dir(), name) >= sizeof(path) ||
	    !is_tzif(path))
		return -1;
	use_zone(name, path);
	return 0;
}

/* The name a zone file is known by: what follows "zoneinfo/" in its path (a link such as
 * /etc/localtime -> /usr/share/zoneinfo/Europe/Berlin), else fallback. */
static void name_of_path(const char *path, const char *fallback, char *out, size_t n)
{
	char target[4096];
	ssize_t k = readlink(path, target, sizeof(target) - 1);
	const char *p = path, *z;

	if (k > 0) {
		target[k] = '\0';
		p = target;
	}
	if ((z = strstr(p, "zoneinfo/")) && valid_name(z + 9))
		snprintf(out, n, "%s", z + 9);
	else
		snprintf(out, n, "%s", fallback);
}

/* TZ unset: /etc/localtime, named by its link or by Debian's /etc/timezone. */
static void use_localtime(void)
{
	const char *lt = "/etc/localtime";
	char name[256], line[256];

	if (!is_tzif(lt)) {
		use_zone("UTC", NULL);
		return;
	}
	name_of_path(lt, "localtime", name, sizeof(name));
	if (!strcmp(name, "localtime")) {
		FILE *f = fopen("/etc/timezone", "r");
		if (f) {
			if (fgets(line, sizeof(line), f)) {
				line[strcspn(line, "\r\n")] = '\0';
				if (valid_name(line))
					snprintf(name, sizeof(name), "%s", line);
			}
			fclose(f);
		}
	}
	use_zone(name, lt);
}

int tz_setup(const char *name)
{
	if (name)
		return use_named(name) < 0 ? TZ_UNKNOWN_NAME : 0;

	const char *env = getenv("TZ");
	if (!env) {
		use_localtime();
		return 0;
	}
	if (*env == ':')
		env++;
	if (!*env || !strcmp(env, "UTC0")) {
		/* an empty TZ is UTC to the C library too; "UTC0" is the POSIX form of UTC (what
		 * use_zone() sets TZ to for UTC, which a later tz_setup() in the same process - a
		 * fuzz target's next run - reads back) */
		use_zone("UTC", NULL);
		return 0;
	}
	if (env[0] == '/') {
		char n[256];
		if (!is_tzif(env))
			return TZ_UNKNOWN_ENV;
		name_of_path(env, env, n, sizeof(n));
		use_zone(n, env);
		return 0;
	}
	return use_named(env) < 0 ? TZ_UNKNOWN_ENV : 0;
}
