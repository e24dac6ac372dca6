#!/usr/bin/env bash
# Line protocol end-to-end throughput into VictoriaMetrics: IotSim's influx sink against curl posting the same
# pre-encoded payload (one curl, and two in parallel on halves), in the same run, on a throwaway server.
# Usage: bench/e2e/victoria.sh [rounds] [devices]; needs victoria-metrics (scripts/install-deps.sh) and a built CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
devices=${2:-500}
iotsim=${IOTSIM:-src/IotSim.Cli/bin/Release/net10.0/iotsim}
work=$(mktemp -d /tmp/iotsim-vmbench-XXXXXX)
port=$((20000 + RANDOM % 20000))
victoria-metrics -httpListenAddr=127.0.0.1:$port -storageDataPath="$work/data" -retentionPeriod=100y -loggerLevel=ERROR >/dev/null 2>&1 &
vm=$!
trap 'kill $vm; wait $vm 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.1; done
common="fleet: { industries: [mining], devices: $devices, interval: 1s }
time: { start: 2026-01-01T00:00:00Z, duration: 5m }
anomalies: { enabled: false }"
printf '%s\nsinks: [ { type: file, format: line, path: %s/lp } ]\n' "$common" "$work" > "$work/file.yaml"
printf '%s\nsinks: [ { type: influx, server: victoriametrics, url: "http://127.0.0.1:%s" } ]\n' "$common" "$port" > "$work/one.yaml"
printf '%s\nsinks: [ { type: influx, server: victoriametrics, url: "http://127.0.0.1:%s", parallelism: 2 } ]\n' "$common" "$port" > "$work/two.yaml"
"$iotsim" run "$work/file.yaml" -q
file=$(ls "$work"/lp/*.lp)
readings=$(wc -l < "$file")
split -n l/2 "$file" "$work/half."
echo "readings: $readings ($(du -h "$file" | cut -f1) of line protocol); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
now() { date +%s.%N; }
post() { curl -sf -o /dev/null -X POST --data-binary "@$1" "http://127.0.0.1:$port/write"; }
declare -a c1 c2 i1 i2
for r in $(seq "$rounds"); do
  t0=$(now); post "$file"; t1=$(now); c1+=("$(echo "$readings / ($t1 - $t0)" | bc -l)")
  t0=$(now); post "$work/half.aa" & other=$!; post "$work/half.ab"; wait "$other"; t1=$(now); c2+=("$(echo "$readings / ($t1 - $t0)" | bc -l)")
  t0=$(now); "$iotsim" run "$work/one.yaml" -q; t1=$(now); i1+=("$(echo "$readings / ($t1 - $t0)" | bc -l)")
  t0=$(now); "$iotsim" run "$work/two.yaml" -q; t1=$(now); i2+=("$(echo "$readings / ($t1 - $t0)" | bc -l)")
  printf 'round %d: curl %.0f readings/s, 2 curls %.0f, iotsim 1 writer %.0f, iotsim 2 writers %.0f\n' "$r" "${c1[-1]}" "${c2[-1]}" "${i1[-1]}" "${i2[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m1=$(median "${c1[@]}"); m2=$(median "${c2[@]}"); n1=$(median "${i1[@]}"); n2=$(median "${i2[@]}")
best=$(printf '%s\n%s\n' "$m1" "$m2" | sort -g | tail -1)
printf 'median readings/s (iotsim: process start included): curl %.0f; 2 curls %.0f; iotsim 1 writer %.0f (%.2fx the faster curl); 2 writers %.0f (%.2fx)\n' \
  "$m1" "$m2" "$n1" "$(echo "$n1/$best" | bc -l)" "$n2" "$(echo "$n2/$best" | bc -l)"
