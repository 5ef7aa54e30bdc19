#!/usr/bin/env python3
"""gen-week.py - a week of one Kamailio proxy's syslog, as rsyslog and logrotate leave it.

Two steps (tests/e2e/nightly.sh runs both; tests/nightly/README shows them by hand):

  gen-week.py week DIR [--seed N] [--zone ZONE]
      writes the week's log files ("generations": what one kamailio.log held between two
      rotations) to DIR, with index.json describing them;
  gen-week.py snapshot DIR 'YYYY-MM-DD HH:MM' TARGET
      fills TARGET with /var/log as it looked at that local time: kamailio.log (live, cut at
      that moment), kamailio.log.1 (plain), kamailio.log.2.gz ... kamailio.log.7.gz.

The proxy: Kamailio with samples/kamailio-xlog.cfg, logging through rsyslog's traditional
format (BSD stamps in local time, no year, whole seconds) in the zone Europe/Berlin. The
week 2026-10-20 22:00 .. 2026-10-29 06:25 local holds the end of CEST on Sunday 2026-10-25
(02:00-03:00 comes twice). logrotate (Debian): daily at 06:25 (cron.daily), rotate 7,
compress, delaycompress, notifempty, create. A file's mtime is the time of its last line
(an empty one: the time logrotate created it), so that the year of a BSD stamp is inferred.

Traffic, the same every run for a seed: 200 users (phones behind NAT re-register every
10 minutes, the others every 30) and outbound calls via the proxy to three gateways
(50/35/15 %), about 3,000 calls on a weekday, 1,650 on Saturday, 1,200 on Sunday, on a daily
curve. A call: INVITE, the proxy's 407 (sl), ACK, the INVITE with credentials, the proxy's
100 (tm), the gateway's 100, 180/183 after a post-dial delay of 0.5-4 s, then 200 after
3-40 s of ringing (BYE after the call), or 486, 480, CANCEL + 487, 603, rarely 404, 503 or
the proxy's 408 (together 1 %). Every local midnight one call rings across it (INVITE at
23:59:58, answered 2-7 s after midnight). The gateways answer the proxy's OPTIONS probes
(dispatcher, every 60 s); the probes themselves are sent by the proxy and not logged
(request_route does not run for them), their replies are. A source or two a day probes
REGISTER with a scanner User-Agent.

Incidents (local time):
  Thu 10-22 10:00-11:00  gateway 1 silent: it sends 100 Trying and then nothing, while it
                         still answers OPTIONS (so dispatcher probing keeps it). Kamailio tm
                         does not leave the transaction open: fr_inv_timer (120 s, the
                         default kamailio.cfg) ends it with a 408 the proxy sends itself;
                         callers who hang up first (25 %) send CANCEL and get the proxy's
                         487 when tm gives up the branch (fr_timer, 30 s later).
  Sat 10-24 16:20-17:00  gateway 1 answers every INVITE with 503 after its 100.
  Mon 10-26 02:10-02:40  a scanner (203.0.113.66, friendly-scanner) sends 3,000 REGISTERs
                         with wrong passwords (401, retried, 401 again) and 600 INVITEs to
                         premium numbers (407, never retried).
  Mon 10-26 ~23:50       a config deploy restarts Kamailio without the siplog route: no SIP
                         line until it is fixed on Wed 10-28 at 09:12 (restart lines only).
                         The restart is placed where no INVITE awaits its final response.
"""
import argparse
import datetime
import gzip
import json
import os
import random
import shutil
import sys
import time
import zoneinfo

PROXY = "udp:192.0.2.10:5060"
GATEWAYS = ["192.0.2.21", "192.0.2.22", "192.0.2.23"]
GW_SHARE = [0.50, 0.35, 0.15]
HOST = "sbc1"
PIDS = [2101, 2102, 2103, 2104, 2105, 2106, 2107, 2108]
UAS = ["Yealink SIP-T46S 66.86.0.15", "Zoiper rv2.10.19.8", "Linphone/5.0.16 (belle-sip/5.0.16)",
       "MicroSIP/3.21.3", "Bria 6.5.2 stamp 112473", "Grandstream GXP2170 1.0.11.23",
       "snom D785/10.1.141.13", "Cisco-CP8845/14.1.1"]
# share of the day's calls in each local hour
CURVE = [0.4, 0.25, 0.15, 0.1, 0.1, 0.25, 0.7, 2.0, 5.0, 8.0, 9.0, 8.5, 6.5, 7.0, 8.5, 8.5,
         8.0, 6.5, 4.0, 2.5, 1.8, 1.2, 0.8, 0.5]
CALLS_PER_DAY = {0: 3000, 1: 3000, 2: 3000, 3: 3000, 4: 3000, 5: 1650, 6: 1200}  # Mon=0

START = "2026-10-20 22:00"	# traffic starts (local)
END = "2026-10-29 06:25"	# the last generation ends (local)
ROTATE_AT = (6, 25)		# logrotate from cron.daily
ROTATE_KEEP = 7

SILENT_GW = ("2026-10-22 10:00", "2026-10-22 11:00", 0)
BURST_503 = ("2026-10-24 16:20", "2026-10-24 17:00", 0)
SCANNER = ("2026-10-26 02:10", "2026-10-26 02:40", "203.0.113.66")
LOG_STOP = "2026-10-26 23:50"	# the first moment after this with no INVITE pending
LOG_RESUME = "2026-10-28 09:12"

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


class Zone:
	"""UTC seconds -> rsyslog's BSD stamp in the zone, cached per second."""

	def __init__(self, name):
		self.tz = zoneinfo.ZoneInfo(name)
		self.off = {}
		self.stamps = {}

	def offset(self, t):
		h = int(t // 3600)
		o = self.off.get(h)
		if o is None:
			dt = datetime.datetime.fromtimestamp(h * 3600, datetime.timezone.utc)
			o = self.off[h] = int(dt.astimezone(self.tz).utcoffset().total_seconds())
		return o

	def stamp(self, t):
		s = int(t)
		v = self.stamps.get(s)
		if v is None:
			g = time.gmtime(s + self.offset(s))
			v = self.stamps[s] = "%s %2d %02d:%02d:%02d" % (MONTHS[g.tm_mon - 1], g.tm_mday,
								     g.tm_hour, g.tm_min, g.tm_sec)
		return v

	def utc(self, local):
		"""'YYYY-MM-DD HH:MM' local -> UTC seconds (the first of a repeated hour)."""
		dt = datetime.datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=self.tz)
		return dt.timestamp()

	def local(self, t):
		return datetime.datetime.fromtimestamp(t, self.tz)


class Week:
	def __init__(self, seed, zone):
		self.rnd = random.Random(seed)
		self.z = Zone(zone)
		self.ev = []		# (utc seconds, sequence, text after the stamp)
		self.seq = 0
		self.invites = []	# (INVITE time, final time) of every call, for LOG_STOP

	def add(self, t, text):
		self.seq += 1
		self.ev.append((t, self.seq, text))

	def req(self, t, method, cseq, cmethod, callid, src, frm, to, auth, ua, ruri=None):
		ru = " ruri=%s" % ruri if ruri else ""
		self.add(t, "siplog: req=%s cseq=%d %s callid=%s src=%s%s from=%s to=%s auth=%s ua=%s"
			 % (method, cseq, cmethod, callid, src, ru, frm, to, auth, ua))

	def rpl(self, t, code, cseq, cmethod, callid, src, frm, to, reason):
		self.add(t, "siplog: rpl=%d cseq=%d %s callid=%s src=%s from=%s to=%s reason=%s"
			 % (code, cseq, cmethod, callid, src, frm, to, reason))

	# --- users and registrations -------------------------------------------------------

	def make_users(self):
		r = self.rnd
		self.users = []
		for i in range(200):
			nat = r.random() < 0.6
			ip = "198.51.100.%d" % (i + 20)
			port = r.randint(20000, 60000) if nat else 5060
			self.users.append({
				"user": str(2000 + i),
				"src": "udp:%s:%d" % (ip, port),
				"ua": r.choice(UAS),
				"interval": 600 if nat else 1800,
				"regid": "%08x@%s" % (r.getrandbits(32), ip),
				"cseq": r.randint(1, 50),
			})

	def registrations(self, t0, t1):
		r = self.rnd
		for u in self.users:
			t = t0 + r.uniform(0, u["interval"])
			while t < t1:
				c = u["cseq"]
				cid = u["regid"]
				self.req(t, "REGISTER", c, "REGISTER", cid, u["src"], u["user"], u["user"], "no",
					 u["ua"], "sip:sbc.example.net")
				self.rpl(t + 0.002, 401, c, "REGISTER", cid, PROXY, u["user"], u["user"],
					 "Unauthorized")
				t2 = t + r.uniform(0.03, 0.25)
				self.req(t2, "REGISTER", c + 1, "REGISTER", cid, u["src"], u["user"], u["user"],
					 "yes", u["ua"], "sip:sbc.example.net")
				self.rpl(t2 + 0.004, 200, c + 1, "REGISTER", cid, PROXY, u["user"], u["user"], "OK")
				u["cseq"] = c + 2
				t += u["interval"] + r.uniform(-5, 5)

	def options(self, t0, t1):
		r = self.rnd
		n = 0
		t = t0
		while t < t1:
			for g in GATEWAYS:
				n += 1
				cid = "%x-ds-%d@192.0.2.10" % (int(t), n)
				self.rpl(t + r.uniform(0.005, 0.04), 200, 10, "OPTIONS", cid, "udp:%s:5060" % g,
					 "sbc", "gw", "OK")
			t += 60

	# --- calls ---------------------------------------------------------------------------

	def incident(self, inc, t):
		return self.z.utc(inc[0]) <= t < self.z.utc(inc[1])

	def call(self, t, u=None, force=None):
		r = self.rnd
		u = u or r.choice(self.users)
		gi = force[0] if force else r.choices(range(3), GW_SHARE)[0]
		gw = "udp:%s:5060" % GATEWAYS[gi]
		num = "49%d" % r.randint(300000000, 899999999)
		cid = "%016x@%s" % (r.getrandbits(64), u["src"].split(":")[1])
		ruri = "sip:%s@sbc.example.net" % num
		frm, to, ua, src = u["user"], num, u["ua"], u["src"]
		# challenge and retry
		self.req(t, "INVITE", 1, "INVITE", cid, src, frm, to, "no", ua, ruri)
		self.rpl(t + 0.003, 407, 1, "INVITE", cid, PROXY, frm, to, "Proxy Authentication Required")
		self.req(t + 0.04, "ACK", 1, "ACK", cid, src, frm, to, "no", ua, ruri)
		t = t + r.uniform(0.06, 0.3)
		start = t
		self.req(t, "INVITE", 2, "INVITE", cid, src, frm, to, "yes", ua, ruri)
		self.rpl(t + 0.002, 100, 2, "INVITE", cid, PROXY, frm, to, "Trying")
		t += r.uniform(0.01, 0.06)
		self.rpl(t, 100, 2, "INVITE", cid, gw, frm, to, "Trying")
		if force:
			outcome = force[1]
		elif self.incident(SILENT_GW, start) and gi == SILENT_GW[2]:
			outcome = "silent"
		elif self.incident(BURST_503, start) and gi == BURST_503[2]:
			outcome = "503"
		else:
			outcome = r.choices(["200", "486", "480", "cancel", "404", "603", "503", "408"],
					    [70, 9.5, 7, 10, 0.6, 1.5, 0.2, 0.2])[0]
		pdd = min(4.0, max(0.5, r.lognormvariate(0.3, 0.5)))
		if outcome == "silent":
			if r.random() < 0.25:
				tc = start + r.uniform(8, 30)
				self.req(tc, "CANCEL", 2, "CANCEL", cid, src, frm, to, "no", ua, ruri)
				end = tc + 30
				self.rpl(end, 487, 2, "INVITE", cid, PROXY, frm, to, "Request Terminated")
			else:
				end = start + 120
				self.rpl(end, 408, 2, "INVITE", cid, PROXY, frm, to, "Request Timeout")
			self.req(end + 0.05, "ACK", 2, "ACK", cid, src, frm, to, "no", ua, ruri)
			self.invites.append((start, end))
			return
		if outcome in ("404", "503"):
			end = t + (r.uniform(0.05, 0.4) if outcome == "503" else pdd)
			self.rpl(end, int(outcome), 2, "INVITE", cid, gw, frm, to,
				 "Not Found" if outcome == "404" else "Service Unavailable")
			self.req(end + 0.04, "ACK", 2, "ACK", cid, src, frm, to, "no", ua, ruri)
			self.invites.append((start, end))
			return
		if outcome == "408":	# a gateway hiccup: 100, then nothing until fr_inv_timer
			end = start + 120
			self.rpl(end, 408, 2, "INVITE", cid, PROXY, frm, to, "Request Timeout")
			self.req(end + 0.05, "ACK", 2, "ACK", cid, src, frm, to, "no", ua, ruri)
			self.invites.append((start, end))
			return
		t = start + pdd
		if r.random() < 0.75:
			self.rpl(t, 180, 2, "INVITE", cid, gw, frm, to, "Ringing")
		else:
			self.rpl(t, 183, 2, "INVITE", cid, gw, frm, to, "Session Progress")
		ring = force[2] if force else r.uniform(3, 40)
		if outcome == "480":
			ring = max(ring, r.uniform(25, 40))
		end = t + ring
		if outcome == "cancel":
			self.req(end, "CANCEL", 2, "CANCEL", cid, src, frm, to, "no", ua, ruri)
			self.rpl(end + 0.03, 200, 2, "CANCEL", cid, gw, frm, to, "OK")
			end += 0.05
			self.rpl(end, 487, 2, "INVITE", cid, gw, frm, to, "Request Terminated")
		elif outcome == "200":
			self.rpl(end, 200, 2, "INVITE", cid, gw, frm, to, "OK")
		else:
			reason = {"486": "Busy Here", "480": "Temporarily Unavailable", "603": "Decline"}
			self.rpl(end, int(outcome), 2, "INVITE", cid, gw, frm, to, reason[outcome])
		self.req(end + 0.04, "ACK", 2, "ACK", cid, src, frm, to, "no", ua, ruri)
		self.invites.append((start, end))
		if outcome != "200":
			return
		dur = min(7000.0, r.lognormvariate(4.6, 1.0))
		tb = end + dur
		if r.random() < 0.55:
			self.req(tb, "BYE", 3, "BYE", cid, src, frm, to, "no", ua, ruri)
			self.rpl(tb + 0.03, 200, 3, "BYE", cid, gw, frm, to, "OK")
		else:
			self.req(tb, "BYE", 101, "BYE", cid, gw, to, frm, "no", "gw-%d" % (gi + 1))
			self.rpl(tb + 0.05, 200, 101, "BYE", cid, src, to, frm, "OK")

	def calls(self, t0, t1):
		r = self.rnd
		t = t0 - t0 % 60
		while t < t1:
			loc = self.z.local(t)
			# calls per second in this local hour; Poisson arrivals within the minute
			rate = CALLS_PER_DAY[loc.weekday()] * CURVE[loc.hour] / sum(CURVE) / 3600.0
			s = t + r.expovariate(rate)
			while s < t + 60:
				if s >= t0:
					self.call(s)
				s += r.expovariate(rate)
			t += 60
		# a call ringing across every local midnight, answered at 00:00:03
		day = self.z.local(t0).date()
		while True:
			day += datetime.timedelta(days=1)
			m = datetime.datetime(day.year, day.month, day.day, tzinfo=self.z.tz).timestamp()
			if m >= t1:
				break
			self.call(m - 2.08, force=(0, "200", 4.0))	# gateway 1, 4 s of ringing

	# --- the scanner -------------------------------------------------------------------

	def scanners(self, t0, t1):
		r = self.rnd
		# background: a source or two each day probing a few extensions
		day = self.z.local(t0).date()
		while True:
			m = datetime.datetime(day.year, day.month, day.day, tzinfo=self.z.tz).timestamp()
			if m >= t1:
				break
			for k in range(r.randint(1, 2)):
				ts = m + r.uniform(0, 86000)
				if t0 <= ts < t1:
					ip = "203.0.113.%d" % r.randint(100, 250)
					self.scan(ts, ip, r.randint(15, 40), 0, r.choice(["sipcli/v1.8", "sipvicious"]))
			day += datetime.timedelta(days=1)
		a, b = self.z.utc(SCANNER[0]), self.z.utc(SCANNER[1])
		self.scan(a, SCANNER[2], 3000, 600, "friendly-scanner", b - a)

	def scan(self, t, ip, nreg, ninv, ua, span=None):
		r = self.rnd
		src = "udp:%s:%d" % (ip, r.choice([5060, 5070, 5080]))
		n = nreg + ninv
		step = (span / n) if span else 0.2
		for i in range(n):
			cid = "%x%04x" % (r.getrandbits(40), i)
			ext = str(r.randint(100, 9999))
			if i < nreg:
				self.req(t, "REGISTER", 1, "REGISTER", cid, src, ext, ext, "no", ua, "sip:192.0.2.10")
				self.rpl(t + 0.002, 401, 1, "REGISTER", cid, PROXY, ext, ext, "Unauthorized")
				if ninv:	# the burst tries a password; background probes do not
					self.req(t + 0.01, "REGISTER", 2, "REGISTER", cid, src, ext, ext, "yes", ua,
						 "sip:192.0.2.10")
					self.rpl(t + 0.012, 401, 2, "REGISTER", cid, PROXY, ext, ext, "Unauthorized")
			else:
				num = "00882%d" % r.randint(10000000, 99999999)
				ru = "sip:%s@192.0.2.10" % num
				self.req(t, "INVITE", 1, "INVITE", cid, src, ext, num, "no", ua, ru)
				self.rpl(t + 0.002, 407, 1, "INVITE", cid, PROXY, ext, num,
					 "Proxy Authentication Required")
				self.req(t + 0.01, "ACK", 1, "ACK", cid, src, ext, num, "no", ua, ru)
			t += step * r.uniform(0.5, 1.5)

	# --- the logging gap ---------------------------------------------------------------

	def logging_gap(self):
		"""(stop, resume): the stop is the first moment after LOG_STOP with no INVITE
		waiting for its final response (a restart then loses no transaction's end)."""
		t = self.z.utc(LOG_STOP)
		busy = sorted((a, b) for a, b in self.invites if b > t)
		for a, b in busy:
			if a > t:
				break
			t = max(t, b + 0.5)
		if self.z.local(t).hour != 23:
			sys.exit("gen-week.py: no quiet moment for the restart before midnight")
		return t, self.z.utc(LOG_RESUME)

	def restart_lines(self, t, pid):
		for i, msg in enumerate([
			"INFO: <core> [main.c:2879]: main(): processes (at least): 37 - shm size: "
			"268435456 - pkg size: 8388608",
			"INFO: <core> [core/udp_server.c:154]: probe_max_receive_buffer(): SO_RCVBUF "
			"is initially 212992",
			"INFO: rr [../outbound/api.h:52]: ob_load_api(): unable to import bind_ob - "
			"maybe module is not loaded",
			"NOTICE: dispatcher [dispatch.c:2948]: ds_ping_reply_callback(): probing all "
			"destinations"]):
			self.add(t + i * 0.01, msg)

	def build(self):
		t0, t1 = self.z.utc(START), self.z.utc(END)
		self.make_users()
		self.registrations(t0, t1)
		self.options(t0, t1)
		self.calls(t0, t1)
		self.scanners(t0, t1)
		stop, resume = self.logging_gap()
		self.ev = [e for e in self.ev if e[0] < stop or e[0] >= resume]
		self.restart_lines(stop, 3101)
		self.restart_lines(resume - 1, 3301)
		self.ev = [e for e in self.ev if t0 <= e[0] < t1]
		self.ev.sort()
		return stop, resume


def rotations(z, t0, t1):
	"""The times logrotate runs (06:25 local each day) in (t0, t1]."""
	out = []
	day = z.local(t0).date()
	while True:
		rt = datetime.datetime(day.year, day.month, day.day, *ROTATE_AT, tzinfo=z.tz).timestamp()
		if rt >= t1:
			return out
		if rt > t0:
			out.append(rt)
		day += datetime.timedelta(days=1)


def write_week(args):
	w = Week(args.seed, args.zone)
	stop, resume = w.build()
	z = w.z
	os.makedirs(args.dir, exist_ok=True)
	t0, t1 = z.utc(START), z.utc(END)
	# generations: notifempty skips a rotation while the live file is still empty
	gens = []
	cur = {"start": t0, "lines": 0}
	i = 0
	ev = w.ev
	for rt in rotations(z, t0, t1) + [None]:
		j = i
		while j < len(ev) and (rt is None or ev[j][0] < rt):
			j += 1
		cur.setdefault("from", i)
		cur["to"] = j
		i = j
		if rt is None:
			break
		if cur["to"] > cur["from"]:
			cur["end"] = rt
			gens.append(cur)
			cur = {"start": rt}
	cur["end"] = t1
	gens.append(cur)
	index = []
	pids = w.rnd		# after the traffic: the same seed, the same worker pids
	for n, g in enumerate(gens):
		name = "gen%02d.log" % n
		path = os.path.join(args.dir, name)
		times = []
		with open(path, "w", encoding="ascii", newline="\n") as f:
			for t, _, text in ev[g["from"]:g["to"]]:
				f.write("%s %s kamailio[%d]: %s%s\n" % (
					z.stamp(t), HOST, pids.choice(PIDS),
					"NOTICE: <script>: " if text.startswith("siplog:") else "", text))
				times.append(t)
		# mtime: the last line, or when logrotate created the (still empty) file
		mt = times[-1] if times else g["start"]
		os.utime(path, (mt, mt))
		# for snapshots: lines written before each whole minute, and the last one's time
		cut0 = g["start"] - g["start"] % 60
		cuts = []
		k = 0
		m = cut0
		while m <= g["end"] + 60:
			while k < len(times) and times[k] < m:
				k += 1
			cuts.append((k, times[k - 1] if k else None))
			m += 60
		index.append({"file": name, "start": g["start"], "end": g["end"], "mtime": mt,
			      "lines": len(times), "cut0": cut0, "cuts": cuts})
	meta = {"zone": args.zone, "seed": args.seed, "start": t0, "end": t1, "log_stop": stop,
		"log_resume": resume, "generations": index}
	with open(os.path.join(args.dir, "index.json"), "w") as f:
		json.dump(meta, f, indent=1)
	print("%d lines in %d files, logging gap %s .. %s" % (
		len(ev), len(gens), z.local(stop).strftime("%a %m-%d %H:%M:%S"),
		z.local(resume).strftime("%a %m-%d %H:%M:%S")), file=sys.stderr)


def snapshot(args):
	meta = json.load(open(os.path.join(args.dir, "index.json")))
	z = Zone(meta["zone"])
	at = z.utc(args.at)
	os.makedirs(args.target, exist_ok=True)
	for f in os.listdir(args.target):
		if f.startswith("kamailio.log"):
			os.unlink(os.path.join(args.target, f))
	gens = [g for g in meta["generations"] if g["start"] <= at]
	if not gens:
		sys.exit("gen-week.py: %s is before the week" % args.at)
	live = gens[-1]
	src = os.path.join(args.dir, live["file"])
	dst = os.path.join(args.target, "kamailio.log")
	# the live file up to the moment: the index has, for each whole minute of the
	# generation, how many of its lines come before it and the time of the last of them
	cut = live["cuts"][min(len(live["cuts"]) - 1, int((at - live["cut0"]) // 60))]
	with open(src, encoding="ascii") as f, open(dst, "w", encoding="ascii") as o:
		for k, line in enumerate(f):
			if k >= cut[0]:
				break
			o.write(line)
	last = cut[1] if cut[0] else live["start"]
	os.utime(dst, (last, last))
	for k, g in enumerate(reversed(gens[:-1][-ROTATE_KEEP:])):
		src = os.path.join(args.dir, g["file"])
		if k == 0:
			dst = os.path.join(args.target, "kamailio.log.1")
			shutil.copyfile(src, dst)
		else:
			gz = src + ".gz"
			if not os.path.exists(gz):
				with open(src, "rb") as f, gzip.GzipFile(gz, "wb", 1, mtime=int(g["mtime"])) as o:
					shutil.copyfileobj(f, o)
			dst = os.path.join(args.target, "kamailio.log.%d.gz" % (k + 1))
			shutil.copyfile(gz, dst)
		os.utime(dst, (g["mtime"], g["mtime"]))


def main():
	ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
				     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
	sub = ap.add_subparsers(dest="cmd", required=True)
	p = sub.add_parser("week", help="write the week's log generations to DIR")
	p.add_argument("dir")
	p.add_argument("--seed", type=int, default=1)
	p.add_argument("--zone", default="Europe/Berlin")
	p = sub.add_parser("snapshot", help="TARGET as /var/log looked at a local time")
	p.add_argument("dir")
	p.add_argument("at", help="local time, 'YYYY-MM-DD HH:MM'")
	p.add_argument("target")
	args = ap.parse_args()
	if args.cmd == "week":
		write_week(args)
	else:
		snapshot(args)


if __name__ == "__main__":
	main()
