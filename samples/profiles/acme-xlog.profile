# acme-xlog.profile - a worked example of a user profile (see README, "Your own log format").
#
# ACME's proxies log with their own xlog lines, not with samples/kamailio-xlog.cfg:
#
#   request_route { xlog("L_INFO", "ACME in $rm cid=$ci cseq=$cs from=$si:$sp cred=$(hdr(Proxy-Authorization){s.len}) ua=\"$ua\"\n"); ... }
#   onreply_route { xlog("L_INFO", "ACME in $rs cid=$ci cseq=$cs $rm from=$si:$sp\n"); }
#
# rsyslog writes them with RFC 3339 stamps:
#
#   2026-11-24T13:00:01.120+01:00 edge1 kamailio[2345]: INFO: <script>: ACME in INVITE cid=... cseq=1 from=198.51.100.7:5060 cred=0 ua="Zoiper rv2.10.19.6"
#   2026-11-24T13:00:01.121+01:00 edge1 kamailio[2345]: INFO: <script>: ACME in 407 cid=... cseq=1 INVITE from=192.0.2.1:5060
#
# A request carries credentials when cred= is a positive length (0 or <null> means none),
# so only that case is captured by the auth group.

name = acme
record = line
# only lines containing this literal reach the regular expressions
prefilter = ACME in
# requests (CSeq method = request method, so no cseq_method group is needed)
match = ^(?<ts>\S+) \S+ \S+ \S+ <script>: ACME in (?<method>[A-Z]+) cid=(?<callid>\S+) cseq=(?<cseq>[0-9]+) from=(?<src>\S+) cred=(?:0|<null>|(?<auth>[1-9][0-9]*)) ua="(?<ua>.*)"$
# replies
match = ^(?<ts>\S+) \S+ \S+ \S+ <script>: ACME in (?<status>[1-6][0-9][0-9]) cid=(?<callid>\S+) cseq=(?<cseq>[0-9]+) (?<cseq_method>[A-Z]+) from=(?<src>\S+)$
