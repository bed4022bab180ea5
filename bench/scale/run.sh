#!/usr/bin/env bash
# Control-plane scale (issue #7, point 5): a real controller with a fresh SQLite store (--data-dir) and its
# REST API on a unix socket; bench/Patchbay.Scale connects the emulated switches (one process, loopback
# OpenFlow), provisions hosts, endpoints (created and plugged) and policy rules through the API, opens
# conversations in steps and reports provisioning time, controller memory per endpoint and flows per switch.
#
# Usage: bench/scale/run.sh [--out-json FILE] [any Patchbay.Scale option, e.g. --hosts 1000 --rules 140000]
# Defaults: the issue's full size, 1,000 hosts x 100 endpoints, 50 tenants x 2 networks and 140,000 rules, with
# conversations 0, 1,000, 10,000, 50,000: about 2 minutes on 2 CPUs (BENCHMARKS.md). Environment: PORT
# (OpenFlow port on 127.0.0.1, default 16760), OUT (directory for the controller's store, log and the report; default a fresh temporary directory),
# PATCHBAY (the CLI, default bin/patchbay from `make build`), TIMEOUT (seconds for the benchmark, default 900),
# BUILD_LOCK (flock file for the dotnet build, if any). Loopback and a unix socket only; every wait is bounded.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
cd "$repo"

PORT=${PORT:-16760}
TIMEOUT=${TIMEOUT:-900}
PATCHBAY=${PATCHBAY:-bin/patchbay}
OUT=${OUT:-$(mktemp -d /tmp/patchbay-scale.XXXXXX)}
mkdir -p "$OUT"
config=Release
scale_dll=bench/Patchbay.Scale/bin/$config/net10.0/Patchbay.Scale.dll

die() { echo "run.sh: $*" >&2; exit 1; }

[[ -x $PATCHBAY ]] || die "$PATCHBAY is missing: run 'make build' first (or set PATCHBAY)"
lock=()
[[ -n ${BUILD_LOCK:-} ]] && lock=(flock "$BUILD_LOCK")
"${lock[@]}" dotnet build bench/Patchbay.Scale/Patchbay.Scale.csproj -c $config -v quiet -nologo >"$OUT/build.log" 2>&1 || die "building the benchmark failed (see $OUT/build.log)"

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
# Warnings and errors only: the controller narrates every endpoint and conversation at Information.
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
timeout "$TIMEOUT" dotnet "$scale_dll" --controller "tcp:127.0.0.1:$PORT" --api "unix:$socket" --controller-pid "$controller_pid" \
    --load-average "$load" --command "bench/scale/run.sh $*" "$@" || status=$?
echo "run.sh: store size $(du -sh "$data" | cut -f1); load average at the end $(cut -d' ' -f1-3 /proc/loadavg); logs in $OUT"
[[ $status -eq 0 ]] || die "the benchmark failed (exit $status); see $OUT/controller.log"
