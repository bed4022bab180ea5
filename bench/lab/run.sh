#!/usr/bin/env bash
# The two lab benchmarks of issue #3 on a real 2-host lab (bin/patchbay lab up): the first-packet latency
# of new cross-host conversations, and cross-host TCP throughput in direct mode against static flows
# installed by hand (the ceiling). Prints the results as markdown; raw samples stay in a directory it
# names; --out-json FILE also writes the result fragment of bench/README.md (for `make bench`). Needs root, a built bin/patchbay (make build), jq, iperf3, ping, curl, ovs-ofctl.
# All traffic stays between the lab's container namespaces; the lab is always torn down on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$here/stats.sh"
source "$here/api.sh"

name=pbbench
probes=100
cold_probes=20
reps=5
seconds=10
budget=600
out=""
out_json=""
raw=""

usage() {
    cat <<EOF
Usage: $0 [--name NAME] [--probes N] [--cold-probes N] [--reps N] [--seconds S] [--budget S] [--out FILE] [--out-json FILE] [--raw DIR]

  --name NAME    lab name (default $name; an existing lab of that name is torn down first)
  --probes N     new cross-host conversations timed for the first-packet latency (default $probes, at most 400)
  --cold-probes N  then N of the same pairs again, after their conversations ended, with cold neighbour
                 caches, so ARP through the controller is in the first RTT too (default $cold_probes, at most --probes)
  --reps N       iperf3 runs per forwarding mode, interleaved (default $reps, at most 20)
  --seconds S    length of one iperf3 run (default $seconds, at most 60)
  --budget S     give up (and tear down) when the whole run takes longer than S seconds (default $budget)
  --out FILE     also write the markdown to FILE
  --out-json FILE  also write the result fragment (bench/README.md) to FILE, with the samples for its figures
  --raw DIR      keep ping outputs, iperf3 JSON and flow dumps in DIR (default: a new /tmp/pbbench.* directory)
EOF
}

while (($#)); do
    case $1 in
        --name) name=$2; shift 2 ;;
        --probes) probes=$2; shift 2 ;;
        --cold-probes) cold_probes=$2; shift 2 ;;
        --reps) reps=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --budget) budget=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --out-json) out_json=$2; shift 2 ;;
        --raw) raw=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

die() {
    echo "run.sh: $*" >&2
    exit 1
}

log() {
    echo "[$(date -u +%H:%M:%S)] $*" >&2
}

[[ $probes =~ ^[0-9]+$ ]] && ((probes >= 1 && probes <= 400)) || die "--probes must be 1..400"
[[ $cold_probes =~ ^[0-9]+$ ]] && ((cold_probes <= probes)) || die "--cold-probes must be 0..--probes"
[[ $reps =~ ^[0-9]+$ ]] && ((reps >= 1 && reps <= 20)) || die "--reps must be 1..20"
[[ $seconds =~ ^[0-9]+$ ]] && ((seconds >= 1 && seconds <= 60)) || die "--seconds must be 1..60"
[[ $budget =~ ^[0-9]+$ ]] && ((budget >= 60)) || die "--budget must be at least 60 seconds"
(($(id -u) == 0)) || die "needs root (network namespaces, OVS); try: sudo $0"
for tool in jq iperf3 ping curl ovs-ofctl ip timeout awk; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (scripts/install-deps.sh installs the lab's packages)"
done
patchbay=$repo/bin/patchbay
[[ -x $patchbay ]] || die "$patchbay is missing: run 'make build' first"

if [[ -z $raw ]]; then
    raw=$(mktemp -d /tmp/pbbench.XXXXXX)
else
    mkdir -p "$raw"
fi

iperf_pid=""
cleanup() {
    local rc=$?
    trap - EXIT
    if [[ -n $iperf_pid ]] && grep -q iperf3 "/proc/$iperf_pid/cmdline" 2>/dev/null; then
        kill "$iperf_pid" 2>/dev/null || true
    fi
    log "tearing down lab '$name'"
    "$patchbay" lab down --name "$name" >"$raw/lab-down.log" 2>&1 || echo "run.sh: lab down failed, see $raw/lab-down.log" >&2
    log "raw samples in $raw"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_budget() {
    ((SECONDS <= budget)) || die "over the time budget of $budget s (at: $*); giving up"
}

# --- the lab -------------------------------------------------------------------------------------

# k containers per host give k*k distinct cross-host pairs: one new conversation each.
k=2
while ((k * k < probes)); do k=$((k + 1)); done

log "lab up --name $name --hosts 2 --containers-per-host $k"
"$patchbay" lab up --name "$name" --hosts 2 --containers-per-host "$k" >"$raw/lab-up.log" 2>&1 || die "lab up failed, see $raw/lab-up.log"
state=/run/patchbay/labs/$name/lab.json
sock=$(jq -r .apiSocket "$state")

declare -A c_host c_ns c_ip c_mac c_port h_mgmt h_mac h_port
h1_containers=()
h2_containers=()
while IFS=$'\t' read -r cname chost cns cip cmac cport; do
    c_host[$cname]=$chost c_ns[$cname]=$cns c_ip[$cname]=$cip c_mac[$cname]=$cmac c_port[$cname]=$cport
    if [[ $chost == h1 ]]; then h1_containers+=("$cname"); else h2_containers+=("$cname"); fi
done < <("$patchbay" lab ls --name "$name" -o json | jq -r '.containers[] | [.name, .host, .netns, .ip, .mac, .ovsPort] | @tsv')
while IFS=$'\t' read -r hname hdir; do
    h_mgmt[$hname]=unix:$hdir/run/pb0.mgmt
done < <(jq -r '.hosts[] | [.name, .ovsDirectory] | @tsv' "$state")
while IFS=$'\t' read -r hname hmac hport; do
    h_mac[$hname]=$hmac h_port[$hname]=$hport
done < <(api /v1/hosts | jq -r '.items[] | [.name, .uplinkMac, .uplinkPort] | @tsv')
((${#h1_containers[@]} == k && ${#h2_containers[@]} == k)) || die "expected $k containers on each host, lab ls shows ${#h1_containers[@]} and ${#h2_containers[@]}"
[[ -n ${h_mac[h1]:-} && -n ${h_mac[h2]:-} ]] || die "the controller does not report both hosts' uplinks"

# Conversations with an id above $1, as "SOURCE DESTINATION MODE" lines (every page: the run makes hundreds).
conversations_after() {
    all_conversations | jq -r --argjson after "$1" 'select((.id | tonumber) > $after) | "\(.source) \(.destination) \(.mode)"'
}

machine() {
    echo "- CPU: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores; kernel $(uname -r); $(ovs-vswitchd --version | head -1); $(iperf3 --version | head -1 | cut -d' ' -f1-2)"
    echo "- commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC'), lab: 2 hosts x $k containers, userspace datapath"
}

# --- first packet --------------------------------------------------------------------------------

permanent_neighbour() {
    ip netns exec "${c_ns[$1]}" ip neigh replace "${c_ip[$2]}" lladdr "${c_mac[$2]}" dev eth0 nud permanent
}

# Every container gets permanent neighbour entries for the other host's containers (the MACs the
# controller's ARP answers would give), so a warm probe times the conversation set-up alone, not ARP.
log "static neighbour entries for every cross-host pair"
for a in "${h1_containers[@]}"; do
    for b in "${h2_containers[@]}"; do
        echo "neigh replace ${c_ip[$b]} lladdr ${c_mac[$b]} dev eth0 nud permanent"
    done | ip netns exec "${c_ns[$a]}" ip -batch - || die "neighbour entries in $a"
done
for b in "${h2_containers[@]}"; do
    for a in "${h1_containers[@]}"; do
        echo "neigh replace ${c_ip[$a]} lladdr ${c_mac[$a]} dev eth0 nud permanent"
    done | ip netns exec "${c_ns[$b]}" ip -batch - || die "neighbour entries in $b"
done

# One same-host conversation first, not timed: the controller's first conversation also pays for JIT.
warm_a=${h1_containers[0]} warm_b=${h1_containers[1]}
timeout 10 ip netns exec "${c_ns[$warm_a]}" ping -n -q -c 2 -W 2 "${c_ip[$warm_b]}" >"$raw/warm-up.txt" 2>&1 || die "warm-up ping $warm_a -> $warm_b failed, see $raw/warm-up.txt"

# Every cross-host pair once, the direction alternating so both switches take the source role equally.
pairs=()
for ((i = 0; i < k; i++)); do
    for ((j = 0; j < k; j++)); do
        if (((i + j) % 2 == 0)); then
            pairs+=("${h1_containers[$i]} ${h2_containers[$j]}")
        else
            pairs+=("${h2_containers[$j]} ${h1_containers[$i]}")
        fi
    done
done

declare -A lost_first short_steady

# arp_requests HOST: ARP requests its containers have sent to the controller (table 10 counters).
arp_requests() {
    ovs-ofctl -O OpenFlow13 dump-flows "${h_mgmt[$1]}" table=10 \
        | awk '/arp_op=1/ { for (i = 1; i <= NF; i++) if ($i ~ /^n_packets=/) { v = $i; sub(/^n_packets=/, "", v); sub(/,$/, "", v); sum += v } } END { print sum + 0 }'
}

# wait_ended A B: until the controller holds no active conversation between A and B (at most 30 s).
wait_ended() {
    local tries
    for ((tries = 0; tries < 150; tries++)); do
        api /v1/conversations | jq -e --arg a "$1" --arg b "$2" \
            'any(.items[]; .state == "active" and ((.source == $a and .destination == $b) or (.source == $b and .destination == $a)))' >/dev/null \
            || return 0
        sleep 0.2
    done
    die "the conversation between $1 and $2 did not end within 30 s"
}
# probe SET N SRC DST: ping -c 6 -i 0.2 from SRC to DST, which must create exactly one new direct
# conversation SRC -> DST; the first RTT, the median of the others and their difference go to SET's files.
probe() {
    local set=$1 n=$2 src=$3 dst=$4 before created rtts first steady file=$raw/ping-$1-$2.txt
    check_budget "$set probe $n"
    before=$(max_conversation_id)
    timeout 15 ip netns exec "${c_ns[$src]}" ping -n -c 6 -i 0.2 -W 2 "${c_ip[$dst]}" >"$file" 2>&1 || true
    created=$(conversations_after "$before")
    [[ $created == "$src $dst direct" ]] \
        || die "$set probe $n ($src -> $dst) should have created exactly one direct conversation $src -> $dst; new conversations: '${created//$'\n'/; }' (see $file)"
    rtts=$(ping_rtts <"$file")
    first=$(first_rtt <<<"$rtts")
    steady=$(steady_median <<<"$rtts")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$n" "$src" "$dst" "${first:--}" "${steady:--}" >>"$raw/probes.tsv"
    if [[ -z $first ]]; then
        lost_first[$set]=$((${lost_first[$set]:-0} + 1))
    elif [[ -z $steady ]]; then
        short_steady[$set]=$((${short_steady[$set]:-0} + 1))
    else
        echo "$first" >>"$raw/$set-first.txt"
        echo "$steady" >>"$raw/$set-steady.txt"
        awk -v f="$first" -v s="$steady" 'BEGIN { printf "%.3f\n", f - s }' >>"$raw/$set-added.txt"
    fi
}

for set in warm cold; do
    : >"$raw/$set-first.txt"
    : >"$raw/$set-steady.txt"
    : >"$raw/$set-added.txt"
done
printf 'set\tprobe\tsource\tdestination\tfirst_ms\tsteady_ms\n' >"$raw/probes.tsv"
load_before_latency=$(cut -d' ' -f1-3 /proc/loadavg)
log "first packet: $probes new cross-host conversations with warm neighbour entries (ping -c 6 -i 0.2 each)"
for ((n = 1; n <= probes; n++)); do
    read -r src dst <<<"${pairs[$((n - 1))]}"
    probe warm "$n" "$src" "$dst"
done

# The first pairs again, after their conversations have idled out (the probe checks that a new one is
# made), with both neighbour entries removed: the first ping then also waits for the source's ARP and
# the destination's ARP for the reply, both answered by the controller. Restored afterwards.
log "first packet: $cold_probes more with cold neighbour caches (ARP through the controller)"
for ((n = 1; n <= cold_probes; n++)); do
    read -r src dst <<<"${pairs[$((n - 1))]}"
    wait_ended "$src" "$dst"
    ip netns exec "${c_ns[$src]}" ip neigh del "${c_ip[$dst]}" dev eth0 || die "neighbour entry in $src"
    ip netns exec "${c_ns[$dst]}" ip neigh del "${c_ip[$src]}" dev eth0 || die "neighbour entry in $dst"
    arp_src=$(arp_requests "${c_host[$src]}") arp_dst=$(arp_requests "${c_host[$dst]}")
    probe cold "$n" "$src" "$dst"
    (($(arp_requests "${c_host[$src]}") > arp_src && $(arp_requests "${c_host[$dst]}") > arp_dst)) \
        || die "cold probe $n ($src -> $dst): no ARP request reached the controller from both sides"
    permanent_neighbour "$src" "$dst" || die "neighbour entry in $src"
    permanent_neighbour "$dst" "$src" || die "neighbour entry in $dst"
done
load_after_latency=$(cut -d' ' -f1-3 /proc/loadavg)
[[ -s $raw/warm-first.txt ]] || die "no probe produced a first and a steady RTT (see $raw/ping-warm-*.txt)"

# --- throughput ----------------------------------------------------------------------------------

a=${h1_containers[0]} b=${h2_containers[0]}
ha=${c_host[$a]} hb=${c_host[$b]}
static_cookie=0xbe00000000000003

# The flows direct mode installs for a -> b, written by hand: the same matches on the container side
# (in_port, MAC, IPs) and the same rewrites (the sending host's fabric MAC for the network as source and
# the receiving host's uplink MAC as destination on the underlay, the containers' MACs on delivery), in
# one table at a priority above everything the controller installs, without timeouts. fab_mac comes from
# the controller's own flows (check_controller_flows, run 1, always before the first static run).
declare -A fab_mac
static_flows() {
    local host=$1 local_c=$2 remote_c=$3 remote_host=$4
    echo "cookie=$static_cookie,table=0,priority=300,ip,in_port=${c_port[$local_c]},dl_src=${c_mac[$local_c]},nw_src=${c_ip[$local_c]},nw_dst=${c_ip[$remote_c]},actions=set_field:${fab_mac[$host]}->eth_src,set_field:${h_mac[$remote_host]}->eth_dst,output:${h_port[$host]}"
    echo "cookie=$static_cookie,table=0,priority=300,ip,in_port=${h_port[$host]},dl_src=${fab_mac[$remote_host]},nw_src=${c_ip[$remote_c]},nw_dst=${c_ip[$local_c]},actions=set_field:${c_mac[$remote_c]}->eth_src,set_field:${c_mac[$local_c]}->eth_dst,output:${c_port[$local_c]}"
}

install_static() {
    static_flows "$ha" "$a" "$b" "$hb" | ovs-ofctl -O OpenFlow13 add-flows "${h_mgmt[$ha]}" - || die "add-flows on $ha"
    static_flows "$hb" "$b" "$a" "$ha" | ovs-ofctl -O OpenFlow13 add-flows "${h_mgmt[$hb]}" - || die "add-flows on $hb"
}

remove_static() {
    local host
    for host in "$ha" "$hb"; do
        ovs-ofctl -O OpenFlow13 del-flows "${h_mgmt[$host]}" "cookie=$static_cookie/-1" || die "del-flows on $host"
    done
}

# Bytes counted by the static egress flow of host $1 (the flow whose in_port is a container port).
static_egress_bytes() {
    ovs-ofctl -O OpenFlow13 dump-flows "${h_mgmt[$1]}" "cookie=$static_cookie/-1" \
        | awk -v port="in_port=${c_port[$2]}," 'index($0, port) { for (i = 1; i <= NF; i++) if ($i ~ /^n_bytes=/) { v = $i; sub(/^n_bytes=/, "", v); sub(/,$/, "", v); print v } }'
}

# fabric_source_mac HOST SRC DST: the source MAC of the controller's egress flow SRC -> DST on HOST, which
# must send to the other host's uplink MAC out of HOST's uplink (direct mode); nothing if there is none.
fabric_source_mac() {
    local host=$1 src=$2 dst=$3 other
    [[ $host == "$ha" ]] && other=$hb || other=$ha
    sed -n "s/.*table=20,.*nw_src=${c_ip[$src]},nw_dst=${c_ip[$dst]} actions=set_field:\([0-9a-f:]*\)->eth_src,set_field:${h_mac[$other]}->eth_dst,output:${h_port[$host]}\$/\1/p" "$raw/flows-$host-controller.txt" | head -n1
}

# The controller's flows for the running conversation must carry the rewrites static_flows copies; the
# hosts' fabric source MACs are read from them.
check_controller_flows() {
    ovs-ofctl -O OpenFlow13 dump-flows "${h_mgmt[$ha]}" >"$raw/flows-$ha-controller.txt"
    ovs-ofctl -O OpenFlow13 dump-flows "${h_mgmt[$hb]}" >"$raw/flows-$hb-controller.txt"
    fab_mac[$ha]=$(fabric_source_mac "$ha" "$a" "$b")
    fab_mac[$hb]=$(fabric_source_mac "$hb" "$b" "$a")
    [[ -n ${fab_mac[$ha]} ]] || die "no direct-mode egress flow $a -> $b on $ha to ${h_mac[$hb]} out of port ${h_port[$ha]} (see $raw/flows-$ha-controller.txt)"
    [[ -n ${fab_mac[$hb]} ]] || die "no direct-mode egress flow $b -> $a on $hb to ${h_mac[$ha]} out of port ${h_port[$hb]} (see $raw/flows-$hb-controller.txt)"
    grep -q "table=30,.*in_port=${h_port[$hb]},dl_src=${fab_mac[$ha]},nw_src=${c_ip[$a]},nw_dst=${c_ip[$b]} actions=set_field:${c_mac[$a]}->eth_src," "$raw/flows-$hb-controller.txt" \
        || die "no direct-mode ingress flow $a -> $b on $hb as expected (see $raw/flows-$hb-controller.txt)"
}

declare -A bps
declare -A retrans
run_iperf() {
    local mode=$1 r=$2 file=$raw/iperf-$1-$2.json before received
    check_budget "iperf3 $mode run $r"
    before=$(max_conversation_id)
    if [[ $mode == static ]]; then
        install_static
    fi
    log "iperf3 $a -> $b, $seconds s, $mode forwarding (run $r of $reps)"
    timeout $((seconds + 20)) ip netns exec "${c_ns[$a]}" iperf3 -c "${c_ip[$b]}" -p 5201 -t "$seconds" -J --connect-timeout 5000 >"$file" 2>&1 \
        || die "iperf3 ($mode, run $r) failed, see $file"
    bps[$mode,$r]=$(jq '.end.sum_received.bits_per_second' "$file")
    retrans[$mode,$r]=$(jq '.end.sum_sent.retransmits // 0' "$file")
    received=$(jq '.end.sum_received.bytes' "$file")
    if [[ $mode == static ]]; then
        # Proof that the static flows carried the transfer and the controller saw none of it.
        local counted
        counted=$(static_egress_bytes "$ha" "$a")
        [[ -n $counted ]] && at_least "$counted" "$received" \
            || die "static run $r: the static egress flow on $ha counted '${counted}' bytes, less than the $received received"
        [[ -z $(conversations_after "$before") ]] || die "static run $r: the controller created a conversation, so the static flows did not carry all of it"
        remove_static
    else
        api /v1/conversations | jq -e --arg a "$a" --arg b "$b" \
            'any(.items[]; .state == "active" and .mode == "direct" and ((.source == $a and .destination == $b) or (.source == $b and .destination == $a)))' >/dev/null \
            || die "controller run $r: no active direct conversation between $a and $b"
        if ((r == 1)); then
            check_controller_flows
        fi
    fi
}

log "iperf3 server in $b"
ip netns exec "${c_ns[$b]}" iperf3 -s -D -p 5201 --pidfile "$raw/iperf3-server.pid" || die "iperf3 server in $b did not start"
for _ in $(seq 50); do
    [[ -s $raw/iperf3-server.pid ]] && break
    sleep 0.1
done
iperf_pid=$(tr -d '\0[:space:]' <"$raw/iperf3-server.pid")
[[ $iperf_pid =~ ^[0-9]+$ ]] || die "iperf3 server wrote no PID"

load_before_throughput=$(cut -d' ' -f1-3 /proc/loadavg)
# Interleaved (controller, static, static, controller, ...) so that load from other processes on the
# machine falls on both modes alike; the first run is the controller's, so its flows can be checked.
for ((r = 1; r <= reps; r++)); do
    if ((r % 2)); then
        run_iperf controller "$r"
        run_iperf static "$r"
    else
        run_iperf static "$r"
        run_iperf controller "$r"
    fi
done
load_after_throughput=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------------

summary_row() {
    local label=$1 mode=$2 values med lo hi sum=0 r
    values=$(for ((r = 1; r <= reps; r++)); do echo "${bps[$mode,$r]}"; done)
    med=$(median <<<"$values")
    read -r lo hi < <(minmax <<<"$values")
    for ((r = 1; r <= reps; r++)); do sum=$((sum + ${retrans[$mode,$r]})); done
    echo "| $label | $reps | $(gbits "$med") | $(gbits "$lo") | $(gbits "$hi") | $sum |"
}

ctrl_median=$(for ((r = 1; r <= reps; r++)); do echo "${bps[controller,$r]}"; done | median)
static_median=$(for ((r = 1; r <= reps; r++)); do echo "${bps[static,$r]}"; done | median)
if awk -v c="$ctrl_median" -v s="$static_median" 'BEGIN { exit !(c >= 0.95 * s) }'; then
    verdict="target ≥ 0.95 **met**"
else
    verdict="target ≥ 0.95 **missed**"
fi

# latency_row LABEL FILE: one row of the first-packet table from $raw/FILE.txt.
latency_row() {
    local file=$raw/$2.txt
    if [[ -s $file ]]; then
        echo "| $1 | $(wc -l <"$file") | $(percentile 50 <"$file") | $(percentile 99 <"$file") | $(percentile 100 <"$file") |"
    else
        echo "| $1 | 0 | – | – | – |"
    fi
}

report() {
    cat <<EOF
#### Machine and run

$(machine)
- load average (1/5/15 min): $load_before_latency before the first-packet probes, $load_after_latency after; $load_before_throughput before the throughput runs, $load_after_throughput after
- command: \`bench/lab/run.sh --probes $probes --cold-probes $cold_probes --reps $reps --seconds $seconds\` ($SECONDS s in all)

#### First packet across hosts

*Warm*: $probes new cross-host conversations, each a different pair of containers on different hosts (direction
alternating), with permanent neighbour entries, so the first RTT holds the conversation set-up and no ARP.
*Cold*: the first $cold_probes of those pairs again after their conversations ended, with both neighbour
entries removed, so the first RTT also holds both containers' ARP, answered by the controller (checked:
the ARP-to-controller flow counters of both hosts rise). Each probe is \`ping -c 6 -i 0.2\` and is
checked through the API to have created exactly one new \`direct\` conversation between that pair;
steady = the median of pings 2-6 of the same probe. p99 is the nearest rank (below 100 samples, the
maximum). First replies lost: warm ${lost_first[warm]:-0}, cold ${lost_first[cold]:-0}; probes with
fewer than 3 later replies: warm ${short_steady[warm]:-0}, cold ${short_steady[cold]:-0}.

| | samples | p50 (ms) | p99 (ms) | max (ms) |
|---|---:|---:|---:|---:|
$(latency_row "first ping, warm (new conversation)" warm-first)
$(latency_row "steady, warm" warm-steady)
$(latency_row "**added by the new conversation** (first − steady), warm" warm-added)
$(latency_row "first ping, cold (ARP + new conversation)" cold-first)
$(latency_row "steady, cold" cold-steady)
$(latency_row "added (first − steady), cold" cold-added)

#### Direct-mode TCP throughput across hosts

\`iperf3 -t $seconds\` from $a ($ha) to $b ($hb), $reps runs per mode, interleaved. *Controller*: the
hot-plug route (the first SYN goes to the controller, which installs the direct-mode flows).
*Static*: the same rewrites as hand-written flows (\`ovs-ofctl add-flows\`, table 0, priority 300, no
timeouts); each static run is checked to have created no conversation and its egress flow to have
counted at least the bytes iperf3 received.

| forwarding | runs | median Gbit/s | min | max | TCP retransmits (all runs) |
|---|---:|---:|---:|---:|---:|
$(summary_row "controller (hot-plug, direct mode)" controller)
$(summary_row "static flows by hand (ceiling)" static)

Ratio controller / static (medians): **$(ratio "$ctrl_median" "$static_median")** ($verdict).

| run | controller Gbit/s | static Gbit/s |
|---:|---:|---:|
$(for ((r = 1; r <= reps; r++)); do echo "| $r | $(gbits "${bps[controller,$r]}") | $(gbits "${bps[static,$r]}") |"; done)
EOF
}

# latency_tsv LABEL FILE: the first-packet table's row as tab-separated cells.
latency_tsv() {
    local file=$raw/$2.txt
    if [[ -s $file ]]; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(wc -l <"$file")" "$(percentile 50 <"$file")" "$(percentile 99 <"$file")" "$(percentile 100 <"$file")"
    else
        printf '%s\t0\t–\t–\t–\n' "$1"
    fi
}

# The result fragment: the same tables as the markdown, the first-packet samples as cumulative
# distributions and the two modes' median throughput as bars with their ratio.
fragment() {
    local command_line="bench/lab/run.sh --probes $probes --cold-probes $cold_probes --reps $reps --seconds $seconds"
    {
        latency_tsv "first ping, warm (new conversation)" warm-first
        latency_tsv "steady, warm" warm-steady
        latency_tsv "added by the new conversation (first − steady), warm" warm-added
        latency_tsv "first ping, cold (ARP + new conversation)" cold-first
        latency_tsv "steady, cold" cold-steady
        latency_tsv "added (first − steady), cold" cold-added
    } >"$raw/latency.tsv"
    {
        summary_row "controller (hot-plug, direct mode)" controller
        summary_row "static flows by hand (ceiling)" static
    } | sed 's/^| //; s/ |$//; s/ | /\t/g' >"$raw/throughput.tsv"
    for ((r = 1; r <= reps; r++)); do printf '%s\t%s\t%s\n' "$r" "$(gbits "${bps[controller,$r]}")" "$(gbits "${bps[static,$r]}")"; done >"$raw/runs.tsv"
    jq -n --arg command "$command_line" --argjson seconds "$SECONDS" --arg machine "$(machine)" \
        --arg loads "$load_before_latency before the first-packet probes, $load_after_latency after; $load_before_throughput before the throughput runs, $load_after_throughput after" \
        --argjson probes "$probes" --argjson cold "$cold_probes" --argjson reps "$reps" --argjson secs "$seconds" \
        --arg ratio "$(ratio "$ctrl_median" "$static_median")" --arg verdict "$verdict" \
        --arg lost "warm ${lost_first[warm]:-0}, cold ${lost_first[cold]:-0}" \
        --argjson ctrl "$ctrl_median" --argjson static "$static_median" \
        --rawfile latency "$raw/latency.tsv" --rawfile throughput "$raw/throughput.tsv" --rawfile runs "$raw/runs.tsv" \
        --rawfile warm_first "$raw/warm-first.txt" --rawfile warm_steady "$raw/warm-steady.txt" \
        --rawfile cold_first "$raw/cold-first.txt" --rawfile warm_added "$raw/warm-added.txt" '
      def tsv: split("\n") | map(select(length > 0) | split("\t"));
      def nums: split("\n") | map(select(length > 0) | tonumber);
      ($latency | tsv) as $lat
      | {
        suite: "lab",
        title: "Lab: first packet and direct-mode throughput (issue #3)",
        command: $command,
        seconds: $seconds,
        summary: ("A real 2-host lab (`patchbay lab up`: one namespace per host with its own `ovs-vswitchd`, userspace datapath, the real controller and agents). "
          + "*First packet*: \($probes) new cross-host conversations, each a different container pair (`ping -c 6 -i 0.2`, each checked through the API to have created exactly one new `direct` conversation), with permanent neighbour entries so the first RTT holds the conversation set-up and no ARP; then \($cold) of those pairs again after their conversations ended, with cold neighbour caches (ARP answered by the controller in the first RTT). Steady = the median of pings 2-6 of the same probe. "
          + "A new conversation added **\($lat[2][2]) ms** at the median and \($lat[2][3]) ms at p99 to its first packet. "
          + "*Throughput*: `iperf3 -t \($secs)` across hosts, \($reps) runs per mode, interleaved: the controller'"'"'s hot-plug direct-mode flows against the same rewrites written by hand as static flows (the ceiling). "
          + "Ratio controller / static (medians): **\($ratio)** (\($verdict))."),
        tables: [
          { caption: "First packet across hosts (p99 is the nearest rank; below 100 samples, the maximum)",
            columns: ["", "samples", "p50 (ms)", "p99 (ms)", "max (ms)"], rows: $lat },
          { caption: "Direct-mode TCP throughput across hosts",
            columns: ["forwarding", "runs", "median (Gbit/s)", "min (Gbit/s)", "max (Gbit/s)", "TCP retransmits (all runs)"], rows: ($throughput | tsv) },
          { caption: "Each run (interleaved)", columns: ["run", "controller (Gbit/s)", "static (Gbit/s)"], rows: ($runs | tsv) }
        ],
        figures: [
          { file: "lab-first-packet", kind: "cdf", title: "First packet of a new cross-host conversation (ping RTT)", xLabel: "RTT (ms)", yLabel: "",
            series: [ { name: "first ping, warm", y: ($warm_first | nums) }, { name: "steady, warm", y: ($warm_steady | nums) }, { name: "first ping, cold (ARP)", y: ($cold_first | nums) } ] | map(select((.y | length) > 0)) },
          { file: "lab-throughput", kind: "bars", title: "Direct-mode TCP throughput across hosts (median of \($reps) runs each)", xLabel: "", yLabel: "Gbit/s",
            baseline: "static flows (ceiling)",
            series: [ { name: "controller (direct mode)", y: [$ctrl / 1e9] }, { name: "static flows (ceiling)", y: [$static / 1e9] } ] }
        ],
        notes: [
          ($machine | split("\n") | map(sub("^- "; "")) | join("; ")),
          "Load average (1/5/15 min): \($loads).",
          "First replies lost: \($lost). The machine'"'"'s cores are shared by both hosts'"'"' userspace datapaths, iperf3 at both ends, the controller and agents: the throughput is this machine'"'"'s, the ratio is the result."
        ]
      }' >"$out_json"
    echo "run.sh: fragment written to $out_json" >&2
}

report >"$raw/report.md"
if [[ -n $out ]]; then
    cp "$raw/report.md" "$out"
fi
cat "$raw/report.md"
if [[ -n $out_json ]]; then
    fragment
fi
