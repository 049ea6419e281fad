#!/bin/sh
# A tool stopped by a signal leaves no temporary file, and the outputs that were in place stay as
# they were (README, "Reliability"):
#   signal_cleanup.sh SIGNAL WORK_DIR TRAIN_TOOL RESAMPLE_TOOL DATA_DIR
# SIGNAL is a name (INT, TERM, HUP, QUIT, PIPE) sent with kill to imbalance-train while it trains
# with --json and --report, or XFSZ: imbalance-resample writing beyond a file-size limit (the
# kernel's signal, in the middle of the write).
set -u
signal=$1 work=$2 train=$3 resample=$4 data=$5
dir="$work/signal_$signal"
rm -rf "$dir" && mkdir -p "$dir" || exit 1
fail() { echo "FAIL ($signal): $*" >&2; ls -la "$dir" >&2; exit 1; }
temporaries() { find "$dir" -name '*.tmp-*' | wc -l; }

if [ "$signal" = XFSZ ]; then
  echo old > "$dir/out.csv"
  # 2 blocks of 512 or 1024 bytes: the 80 rows plus SMOTE's need more.
  (ulimit -f 2 && exec "$resample" -i "$data/small_imbalanced.csv" -o "$dir/out.csv" --label-column species \
    -m smote --seed 2) 2>"$dir/stderr.txt"
  status=$?
  [ "$status" -gt 128 ] || fail "expected death by SIGXFSZ, exit status $status"
  [ "$(cat "$dir/out.csv")" = old ] || fail "the old output changed"
  [ "$(temporaries)" -eq 0 ] || fail "a temporary file was left"
  echo "SIGXFSZ: status $status, no temporary, the old output intact"
  exit 0
fi

echo old-json > "$dir/run.json"
echo old-html > "$dir/run.html"
# A background job of a script inherits SIGINT and SIGQUIT ignored: env gives them their default
# action back, as an interactive shell's job would have them.
env --default-signal=INT,QUIT "$train" --train "$data/lt_train.csv" --test "$data/lt_test.csv" --label-column kind \
  --epochs 100000000 -q --json "$dir/run.json" --report "$dir/run.html" 2>"$dir/stderr.txt" &
pid=$!
waited=0
while [ "$(temporaries)" -lt 2 ]; do
  waited=$((waited + 1))
  [ "$waited" -le 600 ] || { kill -s KILL "$pid"; fail "no temporary files after 60 s"; }
  sleep 0.1
done
sleep 0.2
kill -s "$signal" "$pid"
wait "$pid"
status=$?
[ "$status" -gt 128 ] || fail "expected death by SIG$signal, exit status $status"
[ "$(cat "$dir/run.json")" = old-json ] || fail "run.json changed"
[ "$(cat "$dir/run.html")" = old-html ] || fail "run.html changed"
[ "$(temporaries)" -eq 0 ] || fail "temporary files were left"
echo "SIG$signal: status $status, no temporary, the old outputs intact"
