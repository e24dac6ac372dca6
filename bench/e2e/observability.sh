#!/bin/bash
# Null-sink throughput of one binary with the live view and metrics off (--progress 0), with progress lines, and with
# the live view in a tmux terminal, against an OLD binary (e.g. before a change); alternating rounds, medians.
# usage: OLD=path/to/old/iotsim NEW=artifacts/aot/iotsim bench/e2e/observability.sh [rounds]
n=${1:-5}
args="--industries all --devices 1000 --interval 1s --duration 10m --sink null"
rate() { grep -oE "= [0-9,]+ readings/s" | head -1 | tr -d ',=' | awk '{print $1}'; }
for i in $(seq $n); do
  echo "old $(${OLD:?set OLD to the binary to compare with} run $args 2>&1 | rate)"
  echo "off $(${NEW:-artifacts/aot/iotsim} run $args --progress 0 2>&1 | rate)"
  echo "lines $(${NEW:-artifacts/aot/iotsim} run $args --progress 1s 2>&1 | rate)"
  tmux new-session -d -s ovh -x 200 -y 40 "${NEW:-artifacts/aot/iotsim} run $args; sleep 60"
  until tmux capture-pane -p -t ovh | grep -q "readings/s"; do sleep 0.3; done
  echo "live $(tmux capture-pane -p -J -t ovh | rate)"
  tmux kill-session -t ovh
done > /tmp/iotsim-ovh.txt
for k in old off lines live; do echo "$k median $(grep "^$k " /tmp/iotsim-ovh.txt | awk '{print $2}' | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}') all: $(grep "^$k " /tmp/iotsim-ovh.txt | awk '{printf "%.0f ", $2/1e6}')"; done
