#!/usr/bin/env bash
# Release build: NativeAOT binaries for linux-x64 (x86-64-v3 and x86-64-v4) and linux-arm64 into
# artifacts/release/<version>/, each as a bare binary and as a .tar.gz with the native libraries of the sqlite and
# kafka sinks beside it, plus SHA256SUMS. Stops at the first error.
# Usage: scripts/release.sh [VERSION]   (default: the CLI project's Version property)
# linux-arm64 is cross-compiled: it needs clang, gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and
# binutils-aarch64-linux-gnu (scripts/arm64-check.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

version=${1:-$(dotnet msbuild src/IotSim.Cli -getProperty:Version)}
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] || { echo "bad version '$version'"; exit 1; }
out=artifacts/release/$version
rm -rf "$out"
mkdir -p "$out"
# Archive entries get the last commit's time, so the same binaries give the same archives.
mtime=$(git log -1 --format=%ct 2>/dev/null || echo 0)

build() { # $1 name suffix, $2 runtime identifier, the rest: extra publish properties
  local name="iotsim-$version-$1" rid=$2; shift 2
  local pub="artifacts/release/publish/$name"
  rm -rf "$pub"
  echo "== $name"
  dotnet publish src/IotSim.Cli -c Release -r "$rid" -p:PublishAot=true -p:Version="$version" "$@" -o "$pub" -nologo -v q
  cp "$pub/iotsim" "$out/$name"
  local stage="artifacts/release/publish/stage/$name"
  rm -rf "$stage"
  mkdir -p "$stage"
  cp "$pub/iotsim" "$pub/libe_sqlite3.so" "$pub/librdkafka.so" "$stage/"
  tar -C "$(dirname "$stage")" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$mtime" -cf - "$name" | gzip -9n >"$out/$name.tar.gz"
}
# Check what a binary accelerates; NativeAOT refuses to start on a CPU without its instruction set, so the
# x86-64-v4 binary is run only where AVX-512 is present.
widths() { "$@" bench --devices 10 --duration 10s --repeat 1 | head -n 1; }

build linux-x64-v3 linux-x64 -p:IlcInstructionSet=x86-64-v3
build linux-x64-v4 linux-x64 -p:IlcInstructionSet=x86-64-v4
build linux-arm64 linux-arm64

if [ "$(uname -m)" = x86_64 ]; then
  widths "$out/iotsim-$version-linux-x64-v3" | grep -q 'Vector512 False, Vector256 True' || { echo "x64-v3 binary: unexpected vector widths"; exit 1; }
  if grep -qw avx512f /proc/cpuinfo; then
    widths "$out/iotsim-$version-linux-x64-v4" | grep -q 'Vector512 True' || { echo "x64-v4 binary: Vector512 not accelerated"; exit 1; }
  fi
fi
file -b "$out/iotsim-$version-linux-arm64" | grep -q 'ARM aarch64' || { echo "linux-arm64 binary is not an aarch64 executable"; exit 1; }

(cd "$out" && sha256sum -- iotsim-* >SHA256SUMS)
rm -rf artifacts/release/publish
echo "release $version in $out:"
(cd "$out" && ls -l iotsim-* | awk '{printf "  %12d  %s\n", $5, $9}')
