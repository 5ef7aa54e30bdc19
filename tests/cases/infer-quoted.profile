# infer-quoted.log's layout, written by hand (tests/e2e/infer.sh: the inferred layout gives the same report)
name = quoted
record = line
prefilter = callid="
match = <script>: (?:in|out) (?:(?<status>[0-9]{3})|(?<method>[A-Z]+)) callid="(?<callid>[^"]+)" cseq="(?<cseq>[0-9]+)" csm="(?<cseq_method>[A-Z]+)" src="(?<src>[^"]+)" (?:auth="(?<auth>[^"]+)?" ua="(?<ua>.*)"|reason="(?<reason>.*)")$
