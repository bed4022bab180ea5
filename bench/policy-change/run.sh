#!/usr/bin/env bash
# Policy change to live traffic (issue #5: "time from a policy change to the last affected flow removed with
# 10,000 live conversations, target < 1 s"): a real controller with a fresh SQLite store (--data-dir) and its
# REST API on a unix socket; bench/Patchbay.PolicyChange connects emulated switches (one process, loopback
# OpenFlow), provisions hosts, labelled endpoints and groups through the API, opens the conversations with
# first packets, then times a disconnect that revokes 10 % of them and a deny rule that revokes all of them,
# from the API request to the last delete flow-mod (and its barrier) the switches received.
#
# Usage: bench/policy-change/run.sh [--out-json FILE] [any Patchbay.PolicyChange option, e.g. --reps 10]
# Defaults: 16 hosts x 40 endpoints, 10,000 conversations, 3 repetitions of each change; about 30-45 s on the
# 2-core machine. Environment: PORT (OpenFlow port on 127.0.0.1, default 16770), OUT (directory for the store,
# logs; default a fresh temporary directory), PATCHBAY (the CLI, default bin/patchbay from `make build`),
# TIMEOUT (seconds for the measured part, default 120), BUILD_LOCK (flock file for the dotnet build, if any).
# Loopback and a unix socket only; every wait is bounded; the controller is stopped on exit.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$repo"

PORT=${PORT:-16770}
TIMEOUT=${TIMEOUT:-120}
PATCHBAY=${PATCHBAY:-bin/patchbay}
OUT=${OUT:-$(mktemp -d /tmp/patchbay-policy-change.XXXXXX)}
mkdir -p "$OUT"
config=Release
bench_dll=bench/Patchbay.PolicyChange/bin/$config/net10.0/Patchbay.PolicyChange.dll

die() { echo "run.sh: $*" >&2; exit 1; }

[[ -x $PATCHBAY ]] || die "$PATCHBAY is missing: run 'make build' first (or set PATCHBAY)"
lock=()
[[ -n ${BUILD_LOCK:-} ]] && lock=(flock "$BUILD_LOCK")
# Progress on stdout, so a suite stopped by its time limit shows where the time went (the build may wait for BUILD_LOCK).
echo "run.sh: building bench/Patchbay.PolicyChange${BUILD_LOCK:+ (under $BUILD_LOCK)}"
SECONDS=0
"${lock[@]}" dotnet build bench/Patchbay.PolicyChange/Patchbay.PolicyChange.csproj -c $config -v quiet -nologo >"$OUT/build.log" 2>&1 || die "building the benchmark failed (see $OUT/build.log)"
echo "run.sh: built in $SECONDS s; starting the controller"

data="$OUT/data"
rm -rf "$data"
mkdir -p "$data"
socket="$OUT/api.sock"
controller_pid=

stop_controller() {
    [[ -n $controller_pid ]] || return 0
    if kill -0 "$controller_pid" 2>/dev/null; then
        kill -TERM "$controller_pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$controller_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$controller_pid" 2>/dev/null || true
    fi
    wait "$controller_pid" 2>/dev/null || true
    controller_pid=
}
trap stop_controller EXIT INT TERM

load=$(cut -d' ' -f1-3 /proc/loadavg)
# Warnings and errors only: at Information the controller narrates every conversation it opens and ends.
Logging__LogLevel__Default=Warning "$PATCHBAY" controller --openflow "tcp:127.0.0.1:$PORT" --api "unix:$socket" --data-dir "$data" >"$OUT/controller.log" 2>&1 &
controller_pid=$!

# Ready: the API answers /readyz (state loaded, OpenFlow listening); at most 30 s.
for _ in $(seq 300); do
    kill -0 "$controller_pid" 2>/dev/null || die "the controller exited; see $OUT/controller.log"
    if [[ -S $socket ]] && curl -sf --unix-socket "$socket" http://localhost/readyz >/dev/null 2>&1; then
        break
    fi
    sleep 0.1
done
curl -sf --unix-socket "$socket" http://localhost/readyz >/dev/null 2>&1 || die "the controller is not ready after 30 s; see $OUT/controller.log"

echo "run.sh: controller pid $controller_pid, store $data, load average $load, $(nproc) CPUs"
status=0
timeout "$TIMEOUT" dotnet "$bench_dll" --controller "tcp:127.0.0.1:$PORT" --api "unix:$socket" \
    --load-average "$load" --command "bench/policy-change/run.sh $*" "$@" || status=$?
echo "run.sh: load average at the end $(cut -d' ' -f1-3 /proc/loadavg); logs in $OUT"
[[ $status -eq 0 ]] || die "the benchmark failed or missed its target (exit $status); see the output above and $OUT/controller.log"
