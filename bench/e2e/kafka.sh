#!/usr/bin/env bash
# Kafka end-to-end throughput into librdkafka's mock cluster (`iotsim kafka-mock`, in its own process): IotSim's kafka
# sink against kcat -P producing the same messages (IotSim's own JSON lines, pre-generated), in the same run; with
# and without the iotsim.* headers (kcat gets the same three with -H); and the columnar format in readings/s.
# Every producer waits for all delivery reports (acks=1, the default). Times include process start.
# Usage: bench/e2e/kafka.sh [rounds] [devices]; needs kcat (scripts/install-deps.sh) and a built CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
devices=${2:-1000}
iotsim=${IOTSIM:-src/IotSim.Cli/bin/Release/net10.0/iotsim}
work=$(mktemp -d /tmp/iotsim-kafkabench-XXXXXX)
"$iotsim" kafka-mock --brokers 1 --topic kcat:32 --topic kcath:32 --topic json:32 --topic jsonh:32 --topic columnar:32 > "$work/mock.out" 2>"$work/mock.err" &
mock=$!
trap 'kill $mock 2>/dev/null; wait $mock 2>/dev/null; rm -rf "$work"' EXIT
until [ -s "$work/mock.out" ]; do sleep 0.1; kill -0 $mock || { cat "$work/mock.err"; exit 1; }; done
brokers=$(head -1 "$work/mock.out")
common="fleet: { industries: [mining], devices: $devices, interval: 1s }
time: { start: 2026-01-01T00:00:00Z, duration: 2m }
anomalies: { enabled: false }"
printf '%s\nsinks: [ { type: file, format: jsonl, path: %s/json } ]\n' "$common" "$work" > "$work/file.yaml"
printf '%s\nsinks: [ { type: kafka, brokers: "%s", topic: json, key: none } ]\n' "$common" "$brokers" > "$work/json.yaml"
printf '%s\nsinks: [ { type: kafka, brokers: "%s", topic: jsonh, key: none, headers: true } ]\n' "$common" "$brokers" > "$work/jsonh.yaml"
# The columnar run is 10x longer (20 min of data), so process start does not dominate it.
printf '%s\nsinks: [ { type: kafka, brokers: "%s", topic: columnar, format: columnar } ]\n' "${common/duration: 2m/duration: 20m}" "$brokers" > "$work/columnar.yaml"
"$iotsim" run "$work/file.yaml" -q
file=$(ls "$work"/json/*.jsonl)
messages=$(wc -l < "$file")
echo "messages: $messages ($(( $(stat -c %s "$file") / messages )) bytes each on average); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
now() { date +%s.%N; }
kc() { kcat -P -q -b "$brokers" -t "$1" -l "$file" "${@:2}"; }
declare -a k kh j jh c
for r in $(seq "$rounds"); do
  t0=$(now); kc kcat; t1=$(now); k+=("$(echo "$messages / ($t1 - $t0)" | bc -l)")
  t0=$(now); "$iotsim" run "$work/json.yaml" -q; t1=$(now); j+=("$(echo "$messages / ($t1 - $t0)" | bc -l)")
  t0=$(now); kc kcath -H iotsim.scenario=jsonh -H iotsim.seed=42 -H iotsim.shard=0/1; t1=$(now); kh+=("$(echo "$messages / ($t1 - $t0)" | bc -l)")
  t0=$(now); "$iotsim" run "$work/jsonh.yaml" -q; t1=$(now); jh+=("$(echo "$messages / ($t1 - $t0)" | bc -l)")
  t0=$(now); "$iotsim" run "$work/columnar.yaml" -q; t1=$(now); c+=("$(echo "10 * $messages / ($t1 - $t0)" | bc -l)")
  printf 'round %d msgs/s: kcat %.0f, iotsim json %.0f; with headers: kcat %.0f, iotsim %.0f; columnar %.0f readings/s\n' \
    "$r" "${k[-1]}" "${j[-1]}" "${kh[-1]}" "${jh[-1]}" "${c[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mk=$(median "${k[@]}"); mj=$(median "${j[@]}"); mkh=$(median "${kh[@]}"); mjh=$(median "${jh[@]}"); mc=$(median "${c[@]}")
printf 'median msgs/s: kcat %.0f, iotsim json %.0f (%.2fx kcat); with 3 headers: kcat %.0f, iotsim json %.0f (%.2fx); columnar %.0f readings/s\n' \
  "$mk" "$mj" "$(echo "$mj/$mk" | bc -l)" "$mkh" "$mjh" "$(echo "$mjh/$mkh" | bc -l)" "$mc"
