# infer-labels.log's layout, written by hand (tests/e2e/infer.sh: the inferred layout gives the same report)
name = labels
record = line
prefilter = " ci="
match = ^(?<ts>\S+) \S+ \S+ \S+ <script>: REQ method=(?<method>[A-Z]+) ci=(?<callid>\S+) cs=(?<cseq>[0-9]+) (?<cseq_method>[A-Z]+) si=(?<src>\S+) au=(?:<null>|(?<auth>\S+)) ua=(?<ua>.*)$
match = ^(?<ts>\S+) \S+ \S+ \S+ <script>: (?:SL-)?REPLY code=(?<status>[0-9]{3}) ci=(?<callid>\S+) cs=(?<cseq>[0-9]+) (?<cseq_method>[A-Z]+) si=(?<src>\S+) reason=(?<reason>.*)$
