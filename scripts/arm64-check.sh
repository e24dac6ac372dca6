#!/usr/bin/env bash
# Cross-compiles the linux-arm64 NativeAOT binary on an x64 Debian host, runs it under qemu-user and checks that its
# files are byte-identical to the x64 binary's for the same scenario (CSV and JSON Lines, narrow and wide).
# Usage: scripts/arm64-check.sh [X64_BINARY]   (default: publishes linux-x64 into artifacts/aot first)
# Installs gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, binutils-aarch64-linux-gnu, qemu-user, clang and file when
# missing.
# Exits 1 on any difference, naming the files that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

bash scripts/install-deps.sh file clang gcc-aarch64-linux-gnu libc6-dev-arm64-cross binutils-aarch64-linux-gnu qemu-user

x64=${1:-}
if [ -z "$x64" ]; then
  dotnet publish src/IotSim.Cli -c Release -r linux-x64 -p:PublishAot=true -o artifacts/aot -nologo -v q
  x64=artifacts/aot/iotsim
fi
dotnet publish src/IotSim.Cli -c Release -r linux-arm64 -p:PublishAot=true -o artifacts/aot-arm64 -nologo -v q
arm64=(qemu-aarch64 -L /usr/aarch64-linux-gnu artifacts/aot-arm64/iotsim)
for f in iotsim libe_sqlite3.so librdkafka.so; do
  file -bL "artifacts/aot-arm64/$f" | grep -q 'ARM aarch64' || { echo "arm64 check: artifacts/aot-arm64/$f is not an aarch64 ELF"; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Every industry (all sensor types, daylight and seasonal cycles, anomaly episodes, equipment stops) and dirty
# delivery; each binary at its own default width (V256 on x64-v3, V128 on arm64) and arm64 also forced to scalar.
cat >"$work/s.yaml" <<'EOF'
seed: 20260621
fleet: { industries: [all], devices: 3, device: { id_style: city } }
time: { start: 2026-06-21T23:58:00Z, duration: 4m }
dirty: { late: 0.01, duplicates: 0.01, nulls: 0.01, clock_skew: 0.05 }
EOF
run_all() { # $1 folder; the rest: the binary's command line
  local dir=$1; shift
  "$@" run "$work/s.yaml" --sink file -o "$dir/csv" --output-format csv -q
  "$@" run "$work/s.yaml" --sink file -o "$dir/jsonl" --output-format jsonl -q
  "$@" run "$work/s.yaml" --shape wide --sink file -o "$dir/wide" --output-format csv -q
}
run_all "$work/x64" "$x64"
run_all "$work/arm64" "${arm64[@]}"
"${arm64[@]}" run "$work/s.yaml" --simd scalar --sink file -o "$work/arm64-scalar/csv" --output-format csv -q

(cd "$work/x64" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$work/x64.sums"
(cd "$work/arm64" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$work/arm64.sums"
(cd "$work/arm64-scalar" && find . -type f | LC_ALL=C sort | xargs sha256sum) >"$work/arm64-scalar.sums"
files=$(wc -l <"$work/x64.sums")
if [ "$files" -gt 0 ] && cmp -s "$work/x64.sums" "$work/arm64.sums" && grep -qxF -f "$work/arm64-scalar.sums" "$work/x64.sums"; then
  rows=$(($(cat "$work"/x64/csv/*.csv | wc -l) - 1))
  echo "arm64 vs x64: identical ($files files, $rows rows, sha256 of the file list $(sha256sum <"$work/x64.sums" | cut -c1-16))"
  sed 's/^/  /' "$work/x64.sums"
else
  echo "arm64 vs x64: DIFFERENT"
  diff "$work/x64.sums" "$work/arm64.sums" || true
  for f in $(cd "$work/x64" && find . -type f | LC_ALL=C sort); do
    where=$(cmp "$work/x64/$f" "$work/arm64/$f" 2>&1) && continue
    echo "$where"
    line=$(sed -n 's/.*line \([0-9]*\).*/\1/p' <<<"$where")
    [ -n "$line" ] || continue
    echo "  x64:   $(sed -n "${line}p" "$work/x64/$f" | cut -c1-300)"
    echo "  arm64: $(sed -n "${line}p" "$work/arm64/$f" | cut -c1-300)"
  done
  diff "$work/x64.sums" "$work/arm64-scalar.sums" >/dev/null || echo "(arm64 --simd scalar: csv $(cut -c1-16 "$work/arm64-scalar.sums"))"
  exit 1
fi
