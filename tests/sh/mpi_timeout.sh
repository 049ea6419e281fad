#!/bin/sh
# A stopped rank ends the run after --mpi-timeout instead of hanging its peers (README, "Reliability"):
#   mpi_timeout.sh MPIEXEC TRAIN_TOOL DATA_DIR WORK_DIR
# Starts imbalance-train on 2 ranks with --mpi-timeout 3 and a long training, stops one rank with
# SIGSTOP, and expects the job to end within 60 s with a non-zero status and the timeout's message.
set -u
mpiexec=$1 train=$2 data=$3 work=$4
mkdir -p "$work" || exit 1
log="$work/mpi_timeout.log"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
"$mpiexec" -n 2 --oversubscribe "$train" --train "$data/lt_train.csv" --test "$data/lt_test.csv" --label-column kind \
  --epochs 100000000 -q --mpi-timeout 3 >"$log" 2>&1 &
launcher=$!
# The ranks: the launcher's children running the tool (read from /proc: no procps needed).
ranks() {
  for stat in /proc/[0-9]*/stat; do
    read -r pid comm state ppid rest <"$stat" 2>/dev/null || continue
    [ "$ppid" = "$launcher" ] && [ "$comm" = "(imbalance-train)" ] && echo "$pid"
  done
}
waited=0
while [ "$(ranks | wc -l)" -lt 2 ]; do
  waited=$((waited + 1))
  [ "$waited" -le 300 ] || { kill "$launcher"; echo "FAIL: the ranks did not start"; cat "$log"; exit 1; }
  sleep 0.1
done
sleep 2  # into training
victim=$(ranks | tail -n 1)
kill -s STOP "$victim"
start=$(date +%s)
waited=0
while kill -0 "$launcher" 2>/dev/null; do
  waited=$((waited + 1))
  if [ "$waited" -gt 600 ]; then
    kill -s KILL "$launcher" "$victim" 2>/dev/null
    echo "FAIL: the job still waits 60 s after a rank stopped"
    cat "$log"
    exit 1
  fi
  sleep 0.1
done
wait "$launcher"
status=$?
kill -s KILL "$victim" 2>/dev/null
elapsed=$(($(date +%s) - start))
cat "$log"
[ "$status" -ne 0 ] || { echo "FAIL: exit status 0"; exit 1; }
grep -q "mpi-timeout ended the run" "$log" || { echo "FAIL: no timeout message"; exit 1; }
echo "a stopped rank ended the run after ${elapsed} s (status $status)"
