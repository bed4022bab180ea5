#!/usr/bin/env bash
# CNI ADD/DEL benchmark of issue #6: bin/patchbay-cni against a 1-host lab's agent, and Debian's reference
# `bridge` plugin (host-local IPAM) with the same loop, on N namespaces this script creates. For each plugin:
# N ADDs one after another (one per namespace), then N DELs; p50/p99 of each call and containers attached
# per second (N / wall time of the ADD loop). A third row sends patchbay-cni's agent requests with curl, to
# split its time between the plugin process and the agent. Prints a markdown table; raw samples stay in a directory it names;
# --out-json FILE also writes the result fragment of bench/README.md (for `make bench`).
# Needs root, make build (bin/patchbay, bin/patchbay-cni) and containernetworking-plugins. Bounded: at most
# 500 containers, every call under `timeout 30`, the whole run under --budget. Everything it made (lab,
# namespaces, the bridge, which lives in a namespace of its own, IPAM state) is removed on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/lab/stats.sh"

count=200
name=pbcnib
budget=900
out=""
out_json=""
raw=""
reference=/usr/lib/cni/bridge

usage() {
    cat <<USAGE
Usage: $0 [--count N] [--name NAME] [--budget S] [--out FILE] [--out-json FILE] [--raw DIR]

  --count N    containers (namespaces) per plugin (default $count, at most 500)
  --name NAME  lab name (default $name; an existing lab of that name is torn down first)
  --budget S   give up (and clean up) when a loop runs past S seconds in all (default $budget)
  --out FILE   also write the markdown table to FILE
  --out-json FILE  also write the result fragment (bench/README.md) to FILE, with the samples for its figures
  --raw DIR    keep the per-call samples (ms) in DIR (default: a new /tmp/pbcnib.* directory)
USAGE
}

# The timed loop, run once per plugin (the bridge's inside its own namespace, so its bridge stays there):
# loop PLUGIN CONFIG PREFIX VERB N DEADLINE -> one "ms" line per call on stdout; fails on the first failed call.
loop() {
    local plugin=$1 config=$2 prefix=$3 verb=$4 n=$5 deadline=$6 i start end
    for ((i = 1; i <= n; i++)); do
        if ((EPOCHSECONDS > deadline)); then
            echo "run.sh: budget exhausted during $verb $i/$n" >&2
            return 1
        fi
        start=$EPOCHREALTIME
        if ! CNI_COMMAND=$verb CNI_CONTAINERID="$prefix$i" CNI_NETNS="/run/netns/$prefix$i" CNI_IFNAME=eth0 \
            CNI_PATH=/usr/lib/cni timeout 30 "$plugin" <"$config" >/dev/null; then
            echo "run.sh: $plugin $verb for $prefix$i failed" >&2
            return 1
        fi
        end=$EPOCHREALTIME
        awk -v s="${start/,/.}" -v e="${end/,/.}" 'BEGIN { printf "%.3f\n", (e - s) * 1000 }'
    done
}

if [[ ${1:-} == --loop ]]; then
    shift
    loop "$@"
    exit
fi

while (($#)); do
    case $1 in
        --count) count=$2; shift 2 ;;
        --name) name=$2; shift 2 ;;
        --budget) budget=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --out-json) out_json=$2; shift 2 ;;
        --raw) raw=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

started=$EPOCHREALTIME
if [[ $(id -u) -ne 0 ]]; then echo "run.sh: needs root (namespaces, the lab)" >&2; exit 1; fi
if ! [[ $count =~ ^[0-9]+$ ]] || ((count < 1 || count > 500)); then echo "run.sh: --count must be 1-500" >&2; exit 2; fi
for f in "$repo/bin/patchbay" "$repo/bin/patchbay-cni" "$reference"; do
    [[ -x $f ]] || { echo "run.sh: $f missing (make build; apt-get install containernetworking-plugins)" >&2; exit 1; }
done

raw=${raw:-$(mktemp -d /tmp/pbcnib.XXXXXX)}
mkdir -p "$raw"
work=$(mktemp -d /tmp/pbcnib-work.XXXXXX)
ours_prefix="$name-n"
ref_prefix="pbcniref-"
ref_host="pbcniref-host"

cleanup() {
    "$repo/bin/patchbay" lab down --name "$name" >/dev/null 2>&1 || true
    for ns in $(ip netns list | awk '{print $1}' | grep -E "^($ref_prefix[0-9]+|$ref_host)$" || true); do
        ip netns del "$ns" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

echo "run.sh: lab $name (1 host, no containers)" >&2
"$repo/bin/patchbay" lab up --name "$name" --hosts 1 --containers-per-host 0 >"$raw/lab-up.txt" 2>&1
socket="/run/patchbay/labs/$name/h1/agent.sock"

cat >"$work/patchbay.json" <<JSON
{"cniVersion":"1.0.0","name":"bench","type":"patchbay","tenant":"lab","network":"lab","agentSocket":"$socket"}
JSON
# The agent's share of patchbay-cni's time: the same plug/unplug requests sent with curl, no .NET process start.
cat >"$work/agent-direct" <<SH
#!/bin/sh
ep="bench-\$CNI_CONTAINERID"
case \$CNI_COMMAND in
    ADD) path=plug; body="{\\"endpoint\\":\\"\$ep\\",\\"network\\":\\"lab\\",\\"tenant\\":\\"lab\\",\\"netns\\":\\"\$CNI_NETNS\\",\\"ifName\\":\\"\$CNI_IFNAME\\"}" ;;
    *) path=unplug; body="{\\"endpoint\\":\\"\$ep\\"}" ;;
esac
exec curl -sf --unix-socket "$socket" -H 'Content-Type: application/json' -d "\$body" "http://agent/v1/\$path"
SH
chmod +x "$work/agent-direct"
cat >"$work/bridge.json" <<JSON
{"cniVersion":"1.0.0","name":"bench","type":"bridge","bridge":"pbbench0","isGateway":true,
 "ipam":{"type":"host-local","subnet":"10.99.0.0/16","dataDir":"$work/ipam","routes":[{"dst":"0.0.0.0/0"}]}}
JSON

echo "run.sh: $count namespaces per plugin" >&2
ip netns add "$ref_host"
for ((i = 1; i <= count; i++)); do
    ip netns add "$ours_prefix$i"
    ip netns add "$ref_prefix$i"
done

deadline=$((EPOCHSECONDS + budget))
# run PLUGIN-LABEL VERB: the loop for one plugin and verb; samples to $raw/LABEL-VERB.ms, wall seconds on stdout.
run() {
    local label=$1 verb=$2 t0 t1
    t0=$EPOCHREALTIME
    if [[ $label == patchbay ]]; then
        loop "$repo/bin/patchbay-cni" "$work/patchbay.json" "$ours_prefix" "$verb" "$count" "$deadline" >"$raw/$label-$verb.ms"
    elif [[ $label == agent ]]; then
        # The same namespaces, empty again after patchbay-cni's DELs; other endpoint names, so fresh plugs.
        loop "$work/agent-direct" /dev/null "$ours_prefix" "$verb" "$count" "$deadline" >"$raw/$label-$verb.ms"
    else
        ip netns exec "$ref_host" "$here/run.sh" --loop "$reference" "$work/bridge.json" "$ref_prefix" "$verb" "$count" "$deadline" >"$raw/$label-$verb.ms"
    fi
    t1=$EPOCHREALTIME
    awk -v s="${t0/,/.}" -v e="${t1/,/.}" 'BEGIN { printf "%.3f\n", e - s }'
}

declare -A wall
for label in patchbay agent bridge; do
    for verb in ADD DEL; do
        echo "run.sh: $label $verb x$count" >&2
        wall[$label-$verb]=$(run "$label" "$verb")
    done
done

cpus=$(nproc)
model=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
load=$(cut -d' ' -f1-3 /proc/loadavg)
table=$(
    echo "Machine: $model, $cpus CPUs, load average at the end $load. $count containers per plugin, one call at a time."
    echo
    echo "| plugin | ADD p50 (ms) | ADD p99 (ms) | DEL p50 (ms) | DEL p99 (ms) | containers attached/s |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: |"
    for label in patchbay agent bridge; do
        name_shown=$label
        [[ $label == patchbay ]] && name_shown="patchbay-cni (agent plug, OVS port, controller IPAM)"
        [[ $label == agent ]] && name_shown="(its agent share: the same plug/unplug by curl)"
        [[ $label == bridge ]] && name_shown="reference bridge + host-local"
        printf '| %s | %s | %s | %s | %s | %s |\n' "$name_shown" \
            "$(percentile 50 <"$raw/$label-ADD.ms")" "$(percentile 99 <"$raw/$label-ADD.ms")" \
            "$(percentile 50 <"$raw/$label-DEL.ms")" "$(percentile 99 <"$raw/$label-DEL.ms")" \
            "$(awk -v n="$count" -v w="${wall[$label-ADD]}" 'BEGIN { printf "%.1f", n / w }')"
    done
)
echo "$table"
[[ -n $out ]] && echo "$table" >"$out"
echo "run.sh: samples in $raw" >&2
[[ -n $out_json ]] || exit 0

# The result fragment: the table's rows, the ADD latencies as cumulative distributions, and containers
# attached per second as bars with the ratio to the reference plugin.
for label in patchbay agent bridge; do
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" \
        "$(percentile 50 <"$raw/$label-ADD.ms")" "$(percentile 99 <"$raw/$label-ADD.ms")" \
        "$(percentile 50 <"$raw/$label-DEL.ms")" "$(percentile 99 <"$raw/$label-DEL.ms")" \
        "$(awk -v n="$count" -v w="${wall[$label-ADD]}" 'BEGIN { printf "%.1f", n / w }')"
done >"$raw/rows.tsv"
seconds=$(awk -v s="${started/,/.}" -v e="${EPOCHREALTIME/,/.}" 'BEGIN { printf "%.1f", e - s }')
command_line="bench/cni/run.sh --count $count"
jq -n --arg command "$command_line" --argjson seconds "$seconds" --argjson count "$count" --arg model "$model" --arg cpus "$cpus" --arg load "$load" \
    --rawfile rows "$raw/rows.tsv" --rawfile ours "$raw/patchbay-ADD.ms" --rawfile agent "$raw/agent-ADD.ms" --rawfile bridge "$raw/bridge-ADD.ms" '
  def tsv: split("\n") | map(select(length > 0) | split("\t"));
  def nums: split("\n") | map(select(length > 0) | tonumber);
  def shown: {patchbay: "patchbay-cni (agent plug, OVS port, controller IPAM)", agent: "(its agent share: the same plug/unplug by curl)", bridge: "reference bridge + host-local"}[.];
  def short: {patchbay: "patchbay-cni", agent: "agent share (curl)", bridge: "bridge + host-local"}[.];
  ($rows | tsv) as $r
  | (reduce $r[] as $row ({}; .[$row[0]] = $row)) as $by
  | ($by.patchbay[5] | tonumber) as $ours_rate | ($by.bridge[5] | tonumber) as $ref_rate
  | {
    suite: "cni",
    title: "CNI ADD/DEL (issue #6)",
    command: $command,
    seconds: $seconds,
    summary: ("A 1-host lab (`bin/patchbay lab up --hosts 1 --containers-per-host 0`), \($count) empty network namespaces per plugin, and the plugin executable run directly with the CNI environment, one call at a time: \($count) ADDs, then \($count) DELs, each timed from the shell around the process. "
      + "The same loop runs Debian'"'"'s reference `bridge` plugin with `host-local` IPAM (in a namespace of its own). The middle row sends patchbay-cni'"'"'s plug and unplug requests to the agent with `curl`, to split its time into the agent'"'"'s work and the plugin process. "
      + "patchbay-cni attached \($ours_rate) containers/s against the reference'"'"'s \($ref_rate) (\(if $ref_rate > 0 then ($ours_rate / $ref_rate * 100 | round / 100 | tostring) + "×" else "–" end)); ADD p50 \($by.patchbay[1]) ms against \($by.bridge[1]) ms. "
      + "The reference does its work in process with netlink and keeps IPAM in local files; it installs no flows and tells no controller anything."),
    tables: [ { caption: "\($count) containers per plugin, one call at a time",
      columns: ["plugin", "ADD p50 (ms)", "ADD p99 (ms)", "DEL p50 (ms)", "DEL p99 (ms)", "containers attached/s"],
      rows: [ $r[] | [(.[0] | shown)] + .[1:] ] } ],
    figures: [
      { file: "cni-add-latency", kind: "cdf", title: "CNI ADD, one call at a time (\($count) per plugin)", xLabel: "ADD (ms)", yLabel: "",
        series: [ { name: "patchbay-cni", y: ($ours | nums) }, { name: "agent share (curl)", y: ($agent | nums) }, { name: "bridge + host-local", y: ($bridge | nums) } ] },
      { file: "cni-attach-rate", kind: "bars", title: "Containers attached per second (same run)", xLabel: "", yLabel: "containers/s", baseline: "bridge + host-local",
        series: [ $r[] | { name: (.[0] | short), y: [.[5] | tonumber] } ] }
    ],
    notes: ["Machine: \($model), \($cpus) CPUs; load average at the end \($load). Absolute figures move with the load; the ratio to the reference plugin in the same run is the meaningful number."]
  }' >"$out_json"
echo "run.sh: fragment written to $out_json" >&2
