#!/usr/bin/env bash
# SQLite end-to-end throughput, one generator thread: narrow (3 M rows) and wide (600 k rows of the reference
# sensor_readings table), indexes built at the end, process start included. Usage: bench/e2e/sqlite.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
iotsim=${IOTSIM:-src/IotSim.Cli/bin/Release/net10.0/iotsim}
work=$(mktemp -d /tmp/iotsim-sqlitebench-XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for shape in narrow wide; do
  table=readings; [ "$shape" = wide ] && table=sensor_readings
  printf 'fleet: { industries: [environmental], devices: 1000, interval: 1s }\ntime: { start: 2026-01-01T00:00:00Z, duration: 10m }\noutput: { shape: %s }\nengine: { threads: 1 }\nsinks: [ { type: sqlite, path: %s/t.db, recreate: true } ]\n' "$shape" "$work" > "$work/s.yaml"
  declare -a rates=()
  for r in $(seq "$rounds"); do
    t0=$(now); "$iotsim" run "$work/s.yaml" -q; t1=$(now)
    rows=$(sqlite3 "$work/t.db" "SELECT count(*) FROM $table")
    rates+=("$(echo "$rows / ($t1 - $t0)" | bc -l)")
  done
  printf '%s: %s rows, median %.0f rows/s over %d rounds (min %.0f, max %.0f)\n' "$shape" "$rows" "$(median "${rates[@]}")" "$rounds" \
    "$(printf '%s\n' "${rates[@]}" | sort -g | head -1)" "$(printf '%s\n' "${rates[@]}" | sort -g | tail -1)"
done
