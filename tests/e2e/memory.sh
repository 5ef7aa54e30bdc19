#!/bin/sh
# Bounded memory: memory follows the calls in flight and the engine's budget in bytes, not the
# size of the input nor the thread count. A gzip stream, and several at once, stay under
# 128 MiB of peak RSS at any -j up to 64, a plain (mapped) file under 64 MiB (the README's
# Memory section), and the calls settled by --call-timeout are reported. (Not run under
# AddressSanitizer, whose shadow memory and quarantine are not the program's.)
. tests/lib.sh

python3 bench/gen.py --format xlog --size 60 --seed 11 "$T/k.log"
gzip -1 -n -c "$T/k.log" > "$T/k.log.gz"
for i in 1 2 3; do cp "$T/k.log.gz" "$T/k$i.log.gz"; done
rss() { # rss ARGS... -> peak RSS in KiB of one run, report in $T/out
	python3 -c 'import resource,subprocess,sys
with open(sys.argv[1], "wb") as out:
    subprocess.run(sys.argv[2:], check=True, stdout=out)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$T/out" "$BIN" "$@"
}
for j in 16 64; do
	kib=$(rss -q -f json -j$j "$T/k.log.gz")
	ok "one 60 MB gzip stream, -j$j: peak RSS $((kib / 1024)) MiB < 128 MiB" [ "$kib" -lt 131072 ]
done
kib=$(rss -q -f json -j2 "$T/k.log.gz")
ok "one 60 MB gzip stream, -j2: peak RSS $((kib / 1024)) MiB < 128 MiB" [ "$kib" -lt 131072 ]
total=$(jq_get "$T/out" 'r["call_ids"]["total"]')
peak=$(jq_get "$T/out" 'r["call_ids"]["peak_in_flight"]')
settled=$(jq_get "$T/out" 'r["call_ids"]["settled_idle"]')
ok "calls in flight ($peak) far below calls seen ($total)" [ "$((peak * 4))" -lt "$total" ]
ok "settled idle calls are reported ($settled)" [ "$settled" -gt 0 ]
ok "settled idle + settled early + open at the end = Call-IDs" [ "$(jq_get "$T/out" 'r["call_ids"]["settled_idle"] + r["call_ids"]["settled_early"] + r["call_ids"]["open_at_end"]')" = "$total" ]
for j in 4 64; do
	kib=$(rss -q -f json -j$j "$T"/k1.log.gz "$T"/k2.log.gz "$T"/k3.log.gz)
	ok "three gzip streams at once, -j$j: peak RSS $((kib / 1024)) MiB < 128 MiB" [ "$kib" -lt 131072 ]
done
for j in 2 16; do
	kib=$(rss -q -f json -j$j "$T/k.log")
	ok "the same 60 MB plain (mapped), -j$j: peak RSS $((kib / 1024)) MiB < 64 MiB" [ "$kib" -lt 65536 ]
done
finish
