# An operator's own Kamailio xlog layout, read by siplogscan --log-format FILE.
# The lines come from tests/live/kamailio-xlog-custom.cfg (the live test runs it in a real
# Kamailio 5.6 next to the siplog snippet):
#   xlog("L_INFO", "CALLTRACE [$ci] <- $rm $cs/$(hdr(CSeq){s.select,1, }) from $si:$sp pauth=$(hdr(Proxy-Authorization){s.len}) wauth=$(hdr(Authorization){s.len}) agent=\"$ua\"\n");
#   xlog("L_INFO", "CALLTRACE [$ci] <- $rs $cs/$(hdr(CSeq){s.select,1, }) from $si:$sp \"$rr\"\n");
# ("->" instead of "<-" for the replies Kamailio generates itself). A missing header's length
# is printed as <null> or 0: only a length from 1 up means the request carried credentials.
# The time is optional: RFC 3339 (rsyslog RSYSLOG_FileFormat, journalctl -o short-iso[-precise])
# or BSD syslog; Kamailio's stderr log has none.
name = kamailio-calltrace
record = line
prefilter = "CALLTRACE ["
match = ^(?:(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?|[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}) )?.*?CALLTRACE \[(?<callid>.+?)\] (?:<-|->) (?<method>[A-Z][A-Z0-9_.!%*+`'~-]*) (?<cseq>[0-9]{1,10})/(?<cseq_method>[A-Za-z]+) from (?<src>\S+) pauth=(?:(?<auth>[1-9][0-9]*)|\S*) wauth=(?:(?<auth>[1-9][0-9]*)|\S*) agent="(?<ua>.*)"$
match = ^(?:(?<ts>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?|[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}) )?.*?CALLTRACE \[(?<callid>.+?)\] (?:<-|->) (?<status>[1-6][0-9]{2}) (?<cseq>[0-9]{1,10})/(?<cseq_method>[A-Za-z]+) from (?<src>\S+) "(?<reason>.*)"$
