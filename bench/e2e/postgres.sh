#!/usr/bin/env bash
# PostgreSQL end-to-end throughput: IotSim's binary COPY sink against `psql \copy ... (format binary)` of the same
# rows from a file, in the same run, on a throwaway server (fsync off). Usage: bench/e2e/postgres.sh [rounds] [devices]
# Prints one line per measurement and the medians; needs postgresql-15 (scripts/install-deps.sh) and a built CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-5}
devices=${2:-1000}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
iotsim=${IOTSIM:-src/IotSim.Cli/bin/Release/net10.0/iotsim}
work=$(mktemp -d /tmp/iotsim-pgbench-XXXXXX)
port=$((20000 + RANDOM % 20000))
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
as_pg "$bin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB" start >/dev/null
trap 'as_pg "$bin/pg_ctl" -D "$work/data" -m fast -w stop >/dev/null; rm -rf "$work"' EXIT
psql=(psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres)
cat > "$work/s.yaml" <<YAML
fleet: { industries: [mining], devices: $devices, interval: 1s }
time: { start: 2026-01-01T00:00:00Z, duration: 5m }
anomalies: { enabled: false }
sinks: [ { type: postgres, dimensions: true, connection: "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres" } ]
YAML
sed 's/dimensions: true,/dimensions: true, parallelism: 2,/' "$work/s.yaml" > "$work/s2.yaml"
"$iotsim" run "$work/s.yaml" -q
rows=$("${psql[@]}" -tAc "SELECT count(*) FROM readings")
"${psql[@]}" -c "\\copy readings TO '$work/rows.bin' (FORMAT binary)"
"${psql[@]}" -c "\\copy (SELECT * FROM readings WHERE device_id % 2 = 0) TO '$work/half0.bin' (FORMAT binary)"
"${psql[@]}" -c "\\copy (SELECT * FROM readings WHERE device_id % 2 = 1) TO '$work/half1.bin' (FORMAT binary)"
echo "rows: $rows ($(du -h "$work/rows.bin" | cut -f1) binary COPY file); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
now() { date +%s.%N; }
declare -a psql_r psql2_r one_r two_r
for r in $(seq "$rounds"); do
  "${psql[@]}" -c "TRUNCATE readings"
  t0=$(now); "${psql[@]}" -c "\\copy readings FROM '$work/rows.bin' (FORMAT binary)"; t1=$(now)
  psql_r+=("$(echo "$rows / ($t1 - $t0)" | bc -l)")
  "${psql[@]}" -c "TRUNCATE readings"
  t0=$(now)
  "${psql[@]}" -c "\\copy readings FROM '$work/half0.bin' (FORMAT binary)" & other=$!
  "${psql[@]}" -c "\\copy readings FROM '$work/half1.bin' (FORMAT binary)"
  wait "$other"
  t1=$(now)
  psql2_r+=("$(echo "$rows / ($t1 - $t0)" | bc -l)")
  "${psql[@]}" -c "TRUNCATE readings"
  t0=$(now); "$iotsim" run "$work/s.yaml" -q; t1=$(now)
  one_r+=("$(echo "$rows / ($t1 - $t0)" | bc -l)")
  "${psql[@]}" -c "TRUNCATE readings"
  t0=$(now); "$iotsim" run "$work/s2.yaml" -q; t1=$(now)
  two_r+=("$(echo "$rows / ($t1 - $t0)" | bc -l)")
  got=$("${psql[@]}" -tAc "SELECT count(*) FROM readings")
  [ "$got" -eq "$rows" ] || { echo "row count $got != $rows"; exit 1; }
  printf 'round %d: psql %.0f rows/s, 2 psql in parallel %.0f, iotsim 1 conn %.0f, iotsim 2 conns %.0f\n' "$r" "${psql_r[-1]}" "${psql2_r[-1]}" "${one_r[-1]}" "${two_r[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mp=$(median "${psql_r[@]}"); mp2=$(median "${psql2_r[@]}"); m1=$(median "${one_r[@]}"); m2=$(median "${two_r[@]}")
printf 'median rows/s (iotsim: process start and table checks included): psql \\copy %.0f; 2 psql in parallel %.0f (%.2fx); iotsim 1 connection %.0f (%.2fx); 2 connections %.0f (%.2fx)\n' "$mp" "$mp2" "$(echo "$mp2/$mp" | bc -l)" "$m1" "$(echo "$m1/$mp" | bc -l)" "$m2" "$(echo "$m2/$mp" | bc -l)"
