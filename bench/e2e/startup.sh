#!/usr/bin/env bash
# Start-up and memory budgets of a NativeAOT binary: time from exec to the first reading on standard output
# (console sink, one environmental device, backfill; median of N), and the maximum RSS of a small realtime run.
# Usage: bench/e2e/startup.sh [BINARY] [N]   e.g. bench/e2e/startup.sh artifacts/aot/iotsim 51
# Budget: first reading within 50 ms (median). A launcher such as "qemu-aarch64 -L /usr/aarch64-linux-gnu" can go
# before the binary in IOTSIM_LAUNCHER.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-artifacts/aot/iotsim}
n=${2:-51}
[ -x "$bin" ] || { echo "no binary at $bin (dotnet publish src/IotSim.Cli -c Release -r linux-x64 -o artifacts/aot)"; exit 1; }

python3 - "$bin" "$n" "${IOTSIM_LAUNCHER:-}" <<'EOF'
import statistics, subprocess, sys, time
binary, n, launcher = sys.argv[1], int(sys.argv[2]), sys.argv[3].split()
cmd = launcher + [binary, "run", "--industries", "environmental", "--devices", "1", "--duration", "1s",
                  "--start", "2026-01-01T00:00:00Z", "-q"]
first, total = [], []
for i in range(n + 1):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    t1 = time.perf_counter()
    p.stdout.read()
    p.wait()
    t2 = time.perf_counter()
    if p.returncode != 0 or not line:
        sys.exit(f"run failed (exit {p.returncode})")
    if i > 0:  # the first run warms the page cache
        first.append((t1 - t0) * 1000); total.append((t2 - t0) * 1000)
first.sort()
print(f"first reading: median {statistics.median(first):.1f} ms, min {first[0]:.1f}, p90 {first[int(0.9 * (n - 1))]:.1f} "
      f"({n} runs); exit: median {statistics.median(total):.1f} ms")
EOF

rss=$( { /usr/bin/time -f '%M' ${IOTSIM_LAUNCHER:-} "$bin" run scenarios/realtime-demo.yaml --duration 10s -q >/dev/null; } 2>&1 | tail -n 1)
echo "realtime-demo (3 devices, wide JSON to stdout, 10 s): max RSS $((rss / 1024)) MiB ($rss KiB)"
echo "binary: $(stat -c %s "$bin") bytes"
