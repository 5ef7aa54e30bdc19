# infer-colon.log's layout, written by hand (tests/e2e/infer.sh: the inferred layout gives the same report)
name = colon
record = line
prefilter = "Call-ID: "
match = ^(?<ts>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8}) \S+ \S+ msg: (?:(?<status>[0-9]{3})|(?<method>[A-Z]+)) Call-ID: (?<callid>\S+) CSeq: (?<cseq>[0-9]+) (?<cseq_method>[A-Z]+) src: (?<src>\S+) (?:auth: (?:no|(?<auth>yes)) User-Agent: (?<ua>.*)|reason: (?<reason>.*))$
