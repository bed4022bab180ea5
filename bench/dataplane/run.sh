#!/usr/bin/env bash
# Issue #7 point 4: the data plane of Patchbay's direct mode against an overlay's, on the same 2-host
# lab (bin/patchbay lab up) and the same container pair, in one run with interleaved repetitions:
#   direct  the real controller: hot-plug route, no encapsulation (MAC rewrites on the underlay);
#   vxlan   OVS VXLAN with userspace tunnelling, as an overlay configures it: the underlay IP on the
#           bridge's LOCAL port, a vxlan port with remote_ip, ovs/route and tnl/arp entries, and flows
#           container port <-> vxlan port; the containers' MTU drops to 1450 as an overlay sets it;
#   static  hand-written flows with direct mode's rewrites and no encapsulation (the ceiling).
# vxlan and static flows sit in table 0 above every flow the controller installs (the controller stays
# up; each run checks that it created no conversation and that the mode's own flows carried the bytes).
# For each mode: iperf3 TCP throughput, ping RTT (200 pings 10 ms apart), and the largest ICMP payload
# that crosses with DF set (binary search of ping -M do -s N). Needs root, a built bin/patchbay (make
# build), jq, iperf3, ping, curl, ovs-vsctl, ovs-ofctl, ovs-appctl. All traffic stays inside the lab's
# namespaces and the underlay addresses are the lab's own; the lab is torn down on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/bench/lab/stats.sh"
source "$repo/bench/lab/convstats.sh"
source "$repo/bench/lab/api.sh"

name=pbdp
reps=3
seconds=5
pings=200
budget=170
out_json=""
raw=""
command_line="bench/dataplane/run.sh${*:+ $*}"

usage() {
    cat <<EOF
Usage: $0 [--name NAME] [--reps N] [--seconds S] [--pings N] [--budget S] [--out-json FILE] [--raw DIR]

Cross-host TCP throughput, ping RTT and path MTU of direct mode, OVS VXLAN (userspace tunnelling) and
static flows (the ceiling), on one 2-host lab, interleaved.

  --name NAME      lab name (default $name; an existing lab of that name is torn down first)
  --reps N         repetitions of every mode, interleaved (default $reps, 1..10)
  --seconds S      length of one iperf3 run (default $seconds, 1..30)
  --pings N        pings per mode and repetition, 10 ms apart (default $pings, 10..1000)
  --budget S       give up (and tear down) after S seconds (default $budget)
  --out-json FILE  write the benchmark result fragment (JSON, for make bench) to FILE
  --raw DIR        keep iperf3 JSON, ping outputs and flow dumps in DIR (default: a new /tmp/pbdp.* directory)

Examples:
  sudo bench/dataplane/run.sh
  sudo bench/dataplane/run.sh --reps 5 --seconds 10 --out-json bench/results/dataplane.json
EOF
}

while (($#)); do
    case $1 in
        --name) name=$2; shift 2 ;;
        --reps) reps=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --pings) pings=$2; shift 2 ;;
        --budget) budget=$2; shift 2 ;;
        --out-json) out_json=$2; shift 2 ;;
        --raw) raw=$2; shift 2 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "dataplane/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

die() {
    echo "dataplane/run.sh: $*" >&2
    exit 1
}

log() {
    echo "[$(date -u +%H:%M:%S)] $*" >&2
}

in_range() {
    [[ $1 =~ ^[0-9]+$ ]] && (($1 >= $2 && $1 <= $3))
}

in_range "$reps" 1 10 || die "--reps must be 1..10"
in_range "$seconds" 1 30 || die "--seconds must be 1..30"
in_range "$pings" 10 1000 || die "--pings must be 10..1000"
in_range "$budget" 60 3600 || die "--budget must be 60..3600 seconds"
(($(id -u) == 0)) || die "needs root (network namespaces, OVS); try: sudo $0"
for tool in jq iperf3 ping curl ovs-vsctl ovs-ofctl ovs-appctl ip ethtool timeout awk; do
    command -v "$tool" >/dev/null || die "'$tool' is missing (scripts/install-deps.sh installs the lab's packages)"
done
patchbay=$repo/bin/patchbay
[[ -x $patchbay ]] || die "$patchbay is missing: run 'make build' first"

if [[ -z $raw ]]; then
    raw=$(mktemp -d /tmp/pbdp.XXXXXX)
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
    "$patchbay" lab down --name "$name" >"$raw/lab-down.log" 2>&1 || echo "dataplane/run.sh: lab down failed, see $raw/lab-down.log" >&2
    log "raw outputs in $raw"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

check_budget() {
    ((SECONDS <= budget)) || die "over the time budget of $budget s (at: $*); giving up"
}

# --- the lab -------------------------------------------------------------------------------------

log "lab up --name $name --hosts 2 --containers-per-host 1"
"$patchbay" lab up --name "$name" --hosts 2 --containers-per-host 1 >"$raw/lab-up.log" 2>&1 || die "lab up failed, see $raw/lab-up.log"
state=/run/patchbay/labs/$name/lab.json
sock=$(jq -r .apiSocket "$state")

declare -A c_ns c_ip c_mac c_port h_dir h_ip h_mac h_port h_ns
read -r a b < <("$patchbay" lab ls --name "$name" -o json | jq -r '[.containers[].name] | join(" ")')
while IFS=$'\t' read -r cname cns cip cmac cport; do
    c_ns[$cname]=$cns c_ip[$cname]=$cip c_mac[$cname]=$cmac c_port[$cname]=$cport
done < <("$patchbay" lab ls --name "$name" -o json | jq -r '.containers[] | [.name, .netns, .ip, .mac, .ovsPort] | @tsv')
while IFS=$'\t' read -r hname hns hdir hip; do
    h_ns[$hname]=$hns h_dir[$hname]=$hdir/run h_ip[$hname]=$hip
done < <(jq -r '.hosts[] | [.name, .netns, .ovsDirectory, .underlayIp] | @tsv' "$state")
while IFS=$'\t' read -r hname hmac hport; do
    h_mac[$hname]=$hmac h_port[$hname]=$hport
done < <(api /v1/hosts | jq -r '.items[] | [.name, .uplinkMac, .uplinkPort] | @tsv')
ha=h1 hb=h2
[[ -n ${c_port[$a]:-} && -n ${c_port[$b]:-} && -n ${h_mac[$ha]:-} && -n ${h_mac[$hb]:-} ]] \
    || die "the lab should hold one container on each of h1 and h2 with ports, and the controller both hosts' uplinks"
declare -A c_host=([$a]=$ha [$b]=$hb)

mgmt() { echo "unix:${h_dir[$1]}/pb0.mgmt"; }
vsctl() { local h=$1; shift; OVS_RUNDIR=${h_dir[$h]} ovs-vsctl --db="unix:${h_dir[$h]}/db.sock" --timeout=10 "$@"; }
appctl() { local h=$1; shift; ovs-appctl -t "${h_dir[$h]}/ovs-vswitchd.ctl" "$@"; }
in_c() { local c=$1; shift; ip netns exec "${c_ns[$c]}" "$@"; }

# Permanent neighbour entries (the MACs the controller's ARP answers give), so that no mode carries ARP;
# TX checksum offload off on the containers' veths, as the lab sets it (the userspace datapath needs it).
in_c "$a" ip neigh replace "${c_ip[$b]}" lladdr "${c_mac[$b]}" dev eth0 nud permanent
in_c "$b" ip neigh replace "${c_ip[$a]}" lladdr "${c_mac[$a]}" dev eth0 nud permanent
for c in "$a" "$b"; do
    in_c "$c" ethtool -K eth0 tx off >/dev/null
done

# --- the overlay: OVS userspace tunnelling on the same bridges -------------------------------------

# The underlay IP on pb0's LOCAL port (the tap device of a netdev bridge), a vxlan port towards the
# other host, the route to it through pb0 and its MAC in the tunnel neighbour cache: the set-up OVS's
# userspace tunnelling needs. Encapsulated frames enter pb0 from LOCAL and leave by the uplink; frames
# from the uplink to this host's VXLAN port go to LOCAL, where OVS decapsulates them (tnl_pop).
vxlan_cookie=0xbe00000000000007
static_cookie=0xbe00000000000008
vni=4242
declare -A h_local_mac h_vx
log "VXLAN: underlay IPs on pb0, vxlan ports, ovs/route and tnl/arp entries"
for h in "$ha" "$hb"; do
    ip netns exec "${h_ns[$h]}" ip addr add "${h_ip[$h]}/24" dev pb0
    ip netns exec "${h_ns[$h]}" ip link set pb0 up
    h_local_mac[$h]=$(ip netns exec "${h_ns[$h]}" cat /sys/class/net/pb0/address)
done
for h in "$ha" "$hb"; do
    peer=$([[ $h == "$ha" ]] && echo "$hb" || echo "$ha")
    vsctl "$h" add-port pb0 vx0 -- set interface vx0 type=vxlan "options:remote_ip=${h_ip[$peer]}" "options:local_ip=${h_ip[$h]}" "options:key=$vni"
    appctl "$h" ovs/route/add "${h_ip[$peer]}/32" pb0 >/dev/null
    appctl "$h" tnl/arp/set pb0 "${h_ip[$peer]}" "${h_local_mac[$peer]}" >/dev/null
    h_vx[$h]=$(vsctl "$h" get interface vx0 ofport)
    [[ ${h_vx[$h]} =~ ^[1-9][0-9]*$ ]] || die "vx0 on $h got no OpenFlow port (${h_vx[$h]})"
done
appctl "$ha" ovs/route/show >"$raw/ovs-route-$ha.txt"
appctl "$ha" tnl/ports/show >"$raw/tnl-ports-$ha.txt"

vxlan_flows() {
    local h=$1 c=$2
    echo "cookie=$vxlan_cookie,table=0,priority=400,in_port=${c_port[$c]},actions=output:${h_vx[$h]}"
    echo "cookie=$vxlan_cookie,table=0,priority=400,in_port=${h_vx[$h]},tun_id=$vni,actions=output:${c_port[$c]}"
    echo "cookie=$vxlan_cookie,table=0,priority=400,in_port=LOCAL,actions=output:${h_port[$h]}"
    echo "cookie=$vxlan_cookie,table=0,priority=400,udp,in_port=${h_port[$h]},nw_dst=${h_ip[$h]},tp_dst=4789,actions=LOCAL"
}

# Direct mode's matches and rewrites by hand (as bench/lab/run.sh's ceiling): host MACs on the underlay,
# the containers' MACs on delivery, in table 0 without timeouts.
static_flows() {
    local h=$1 local_c=$2 remote_c=$3 remote_h=$4
    echo "cookie=$static_cookie,table=0,priority=300,ip,in_port=${c_port[$local_c]},dl_src=${c_mac[$local_c]},nw_src=${c_ip[$local_c]},nw_dst=${c_ip[$remote_c]},actions=set_field:${h_mac[$h]}->eth_src,set_field:${h_mac[$remote_h]}->eth_dst,output:${h_port[$h]}"
    echo "cookie=$static_cookie,table=0,priority=300,ip,in_port=${h_port[$h]},dl_src=${h_mac[$remote_h]},nw_src=${c_ip[$remote_c]},nw_dst=${c_ip[$local_c]},actions=set_field:${c_mac[$remote_c]}->eth_src,set_field:${c_mac[$local_c]}->eth_dst,output:${c_port[$local_c]}"
}

set_mtu() {
    in_c "$a" ip link set eth0 mtu "$1"
    in_c "$b" ip link set eth0 mtu "$1"
}

enter_mode() {
    case $1 in
        direct) ;;
        vxlan)
            vxlan_flows "$ha" "$a" | ovs-ofctl -O OpenFlow13 add-flows "$(mgmt "$ha")" - || die "add-flows on $ha"
            vxlan_flows "$hb" "$b" | ovs-ofctl -O OpenFlow13 add-flows "$(mgmt "$hb")" - || die "add-flows on $hb"
            set_mtu 1450
            ;;
        static)
            static_flows "$ha" "$a" "$b" "$hb" | ovs-ofctl -O OpenFlow13 add-flows "$(mgmt "$ha")" - || die "add-flows on $ha"
            static_flows "$hb" "$b" "$a" "$ha" | ovs-ofctl -O OpenFlow13 add-flows "$(mgmt "$hb")" - || die "add-flows on $hb"
            ;;
    esac
}

leave_mode() {
    local h cookie
    case $1 in
        direct) return 0 ;;
        vxlan) cookie=$vxlan_cookie; set_mtu 1500 ;;
        static) cookie=$static_cookie ;;
    esac
    for h in "$ha" "$hb"; do
        ovs-ofctl -O OpenFlow13 del-flows "$(mgmt "$h")" "cookie=$cookie/-1" || die "del-flows on $h"
    done
}

# Bytes the mode's own flow on $ha counted for packets from container $a (its egress flow).
egress_bytes() {
    local cookie
    cookie=$([[ $1 == vxlan ]] && echo "$vxlan_cookie" || echo "$static_cookie")
    ovs-ofctl -O OpenFlow13 dump-flows "$(mgmt "$ha")" "cookie=$cookie/-1" \
        | awk -v port="in_port=${c_port[$a]}[ ,]" '$0 ~ port { for (i = 1; i <= NF; i++) if ($i ~ /^n_bytes=/) { v = $i; sub(/^n_bytes=/, "", v); sub(/,$/, "", v); print v } }'
}

active_direct() {
    api '/v1/conversations?state=active&limit=1000' | jq -e --arg a "$a" --arg b "$b" \
        'any(.items[]; .mode == "direct" and ((.source == $a and .destination == $b) or (.source == $b and .destination == $a)))' >/dev/null
}

# --- measurements --------------------------------------------------------------------------------

log "iperf3 server in $b"
in_c "$b" iperf3 -s -D -p 5201 --pidfile "$raw/iperf3-server.pid" || die "iperf3 server in $b did not start"
for _ in $(seq 50); do
    [[ -s $raw/iperf3-server.pid ]] && break
    sleep 0.1
done
iperf_pid=$(tr -d '\0[:space:]' <"$raw/iperf3-server.pid")
[[ $iperf_pid =~ ^[0-9]+$ ]] || die "iperf3 server wrote no PID"

declare -A bps retrans payload
modes=(direct vxlan static)

# ping_passes SIZE: one of two DF pings with SIZE bytes of payload crosses from a to b.
ping_passes() {
    in_c "$a" ping -n -q -M do -c 2 -i 0.2 -W 1 -s "$1" "${c_ip[$b]}" >/dev/null 2>&1
}

measure() {
    local mode=$1 r=$2 before received counted
    check_budget "$mode run $r"
    before=$(max_conversation_id)
    enter_mode "$mode"
    # Warm-up, not measured: in direct mode it sets the conversation up (or finds it still established).
    timeout 10 ip netns exec "${c_ns[$a]}" ping -n -q -c 3 -i 0.2 -W 1 "${c_ip[$b]}" >"$raw/warm-$mode-$r.txt" 2>&1 \
        || die "$mode run $r: warm-up ping $a -> $b failed, see $raw/warm-$mode-$r.txt"
    if [[ -z ${payload[$mode]:-} ]]; then
        # With the containers' MTU at 1500 in every mode, so the search finds what crosses, not the local limit.
        [[ $mode == vxlan ]] && set_mtu 1500
        payload[$mode]=$(largest_passing 0 1472 ping_passes)
        [[ $mode == vxlan ]] && set_mtu 1450
        log "$mode: largest DF ICMP payload that crosses: ${payload[$mode]:-none}"
    fi
    timeout 60 ip netns exec "${c_ns[$a]}" ping -n -c "$pings" -i 0.01 -W 1 "${c_ip[$b]}" >"$raw/ping-$mode-$r.txt" 2>&1 || true
    ping_rtts <"$raw/ping-$mode-$r.txt" | awk '{ print $2 }' >>"$raw/rtt-$mode.txt"
    log "iperf3 $a -> $b, $seconds s, $mode (run $r of $reps)"
    timeout $((seconds + 20)) ip netns exec "${c_ns[$a]}" iperf3 -c "${c_ip[$b]}" -p 5201 -t "$seconds" -J --connect-timeout 5000 >"$raw/iperf-$mode-$r.json" 2>&1 \
        || die "iperf3 ($mode, run $r) failed, see $raw/iperf-$mode-$r.json"
    bps[$mode,$r]=$(jq '.end.sum_received.bits_per_second' "$raw/iperf-$mode-$r.json")
    retrans[$mode,$r]=$(jq '.end.sum_sent.retransmits // 0' "$raw/iperf-$mode-$r.json")
    received=$(jq '.end.sum_received.bytes' "$raw/iperf-$mode-$r.json")
    if [[ $mode == direct ]]; then
        active_direct || die "direct run $r: no active direct conversation between $a and $b"
    else
        # The datapath hands flow statistics to the OpenFlow table in the background: wait up to 5 s for them.
        for _ in $(seq 50); do
            counted=$(egress_bytes "$mode")
            [[ -n $counted ]] && at_least "$counted" "$received" && break
            sleep 0.1
        done
        [[ -n $counted ]] && at_least "$counted" "$received" \
            || die "$mode run $r: its egress flow on $ha counted '$counted' bytes, less than the $received iperf3 received"
        (($(max_conversation_id) == before)) || die "$mode run $r: the controller created a conversation, so the $mode flows did not carry all of it"
        if [[ $mode == vxlan && $r == 1 ]]; then
            appctl "$ha" dpctl/dump-flows >"$raw/datapath-flows-vxlan-$ha.txt"
            grep -q 'tnl_push(tnl_port' "$raw/datapath-flows-vxlan-$ha.txt" && grep -q 'tnl_pop(' "$raw/datapath-flows-vxlan-$ha.txt" \
                || die "vxlan run 1: the datapath of $ha shows no tnl_push and tnl_pop (see $raw/datapath-flows-vxlan-$ha.txt)"
        fi
    fi
    leave_mode "$mode"
}

for mode in "${modes[@]}"; do
    : >"$raw/rtt-$mode.txt"
done
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
# Interleaved, the order rotating each repetition, so load from the rest of the machine falls on every
# mode alike and no mode always follows the same one.
for ((r = 1; r <= reps; r++)); do
    for ((k = 0; k < 3; k++)); do
        measure "${modes[$(((r - 1 + k) % 3))]}" "$r"
    done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

kill "$iperf_pid" 2>/dev/null || true
iperf_pid=""
for h in "$ha" "$hb"; do
    vsctl "$h" del-port pb0 vx0
    ip netns exec "${h_ns[$h]}" ip addr del "${h_ip[$h]}/24" dev pb0
done

# --- report --------------------------------------------------------------------------------------

declare -A label=([direct]="Patchbay direct mode (controller)" [vxlan]="OVS VXLAN, userspace tunnelling" [static]="static flows, no encapsulation (ceiling)")
declare -A med
for mode in "${modes[@]}"; do
    med[$mode]=$(for ((r = 1; r <= reps; r++)); do echo "${bps[$mode,$r]}"; done | median)
done

rows_json() {
    local mode lo hi sum r p
    for mode in "${modes[@]}"; do
        read -r lo hi < <(for ((r = 1; r <= reps; r++)); do echo "${bps[$mode,$r]}"; done | minmax)
        sum=0
        for ((r = 1; r <= reps; r++)); do sum=$((sum + ${retrans[$mode,$r]})); done
        p=${payload[$mode]:-}
        jq -n -c --arg a "${label[$mode]}" --arg b "$(gbits "${med[$mode]}")" --arg c "$(gbits "$lo")" --arg d "$(gbits "$hi")" \
            --arg e "$(ratio "${med[$mode]}" "${med[static]}")" --arg f "$sum" \
            --arg g "$(percentile 50 <"$raw/rtt-$mode.txt")" --arg h "$(percentile 99 <"$raw/rtt-$mode.txt")" --arg i "$(wc -l <"$raw/rtt-$mode.txt")" \
            --arg j "${p:-none}" --arg k "$([[ -n $p ]] && echo $((p + 28)) || echo "–")" \
            '[$a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k]'
    done
}

runs_json() {
    local r
    for ((r = 1; r <= reps; r++)); do
        jq -n -c --arg r "$r" --arg d "$(gbits "${bps[direct,$r]}")" --arg v "$(gbits "${bps[vxlan,$r]}")" --arg s "$(gbits "${bps[static,$r]}")" '[$r, $d, $v, $s]'
    done
}

direct_vs_vxlan=$(ratio "${med[direct]}" "${med[vxlan]}")
rtt_p50() { percentile 50 <"$raw/rtt-$1.txt"; }
summary="Cross-host TCP throughput (\`iperf3 -t $seconds\`, $reps runs per mode, interleaved, median), ping RTT ($pings pings 10 ms apart per run) and the largest ICMP payload that crosses with DF set, between one container on each of the lab's 2 hosts (OVS userspace datapath), in one run. *Direct*: the real controller's hot-plug route, no encapsulation. *VXLAN*: the same bridges configured as an overlay with OVS's userspace tunnelling (underlay IP on the bridge's LOCAL port, a vxlan port with remote_ip, \`ovs-appctl ovs/route/add\` and \`tnl/arp/set\`), container MTU 1450. *Static*: direct mode's rewrites as hand-written flows (the ceiling). **Direct mode $(gbits "${med[direct]}") Gbit/s against VXLAN $(gbits "${med[vxlan]}") Gbit/s: ${direct_vs_vxlan}x**; direct / static $(ratio "${med[direct]}" "${med[static]}"), VXLAN / static $(ratio "${med[vxlan]}" "${med[static]}"). RTT p50: direct $(rtt_p50 direct) ms, VXLAN $(rtt_p50 vxlan) ms, static $(rtt_p50 static) ms. Path MTU: direct ${payload[direct]:-?}+28, VXLAN ${payload[vxlan]:-?}+28, static ${payload[static]:-?}+28 bytes."

machine="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores; kernel $(uname -r); $(ovs-vswitchd --version | head -1); $(iperf3 --version | head -1 | cut -d' ' -f1-2)"
notes=()
notes+=("Machine: $machine; commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC'). Load average (1/5/15 min): $load_start at the start, $load_end at the end. The 2 cores carry both hosts' userspace datapaths, iperf3 at both ends and the controller, and other work on the machine: absolute figures are this machine's; the ratios, measured in the same run, are the result.")
notes+=("Checks: every direct run has an active direct conversation for the pair (GET /v1/conversations); every VXLAN and static run created no conversation and its own egress flow counted at least the bytes iperf3 received; the datapath of h1 shows tnl_push and tnl_pop in the first VXLAN run.")
notes+=("VXLAN adds 50 bytes (outer Ethernet, IPv4, UDP, VXLAN) and the underlay MTU is 1500, so its path MTU is 1450: a DF packet above it is dropped silently after encapsulation (the search runs with the containers at MTU 1500 in every mode, so it finds what crosses, not the local limit). An overlay therefore sets its containers' MTU to 1450; the VXLAN throughput and RTT runs do so (at 1500 its TCP stalls). Direct mode and static flows keep the full 1500: the containers' own MTU is the limit.")
notes+=("Direct mode: the conversation may idle out (10 s) while the other modes run, so each direct run starts with a warm-up ping that sets it up again if needed; warm-ups are not measured. Neighbour entries are permanent in every mode, so no ARP crosses.")

read -r d_lo d_hi < <(for ((r = 1; r <= reps; r++)); do echo "${bps[direct,$r]}"; done | minmax)
read -r v_lo v_hi < <(for ((r = 1; r <= reps; r++)); do echo "${bps[vxlan,$r]}"; done | minmax)
if at_least "$d_hi" "$v_lo" && at_least "$v_hi" "$d_lo"; then
    notes+=("The direct runs ($(gbits "$d_lo")-$(gbits "$d_hi") Gbit/s) and the VXLAN runs ($(gbits "$v_lo")-$(gbits "$v_hi")) overlap: with $reps runs each on this shared machine, this run does not separate the two modes' throughput; more runs (\`--reps\`, \`--seconds\`) narrow it.")
fi
notes+=("All three modes run on OVS's userspace (netdev) datapath on 2 shared cores, where each packet's classification and copying through veths is the bulk of the work; encapsulation adds a header push or pop to it (not profiled). The kernel datapath with NIC offloads, where overlays usually run, was not measured (this machine has no OVS kernel module).")

if [[ -n $out_json ]]; then
    mkdir -p "$(dirname "$out_json")"
    rtt_series=$(for mode in "${modes[@]}"; do
        cap_samples 5000 <"$raw/rtt-$mode.txt" | jq -R -s -c --arg n "${label[$mode]}" '{name: $n, y: [split("\n")[] | select(length > 0) | tonumber]}'
    done | jq -s -c .)
    bar_series=$(for mode in "${modes[@]}"; do
        jq -n -c --arg n "${label[$mode]}" --argjson v "$(awk -v b="${med[$mode]}" 'BEGIN { printf "%.4f", b / 1e9 }')" '{name: $n, y: [$v]}'
    done | jq -s -c .)
    jq -n \
        --arg command "$command_line" \
        --argjson seconds "$SECONDS" \
        --arg summary "$summary" \
        --argjson rows "$(rows_json | jq -s -c .)" \
        --argjson runs "$(runs_json | jq -s -c .)" \
        --argjson rtt "$rtt_series" \
        --argjson bars "$bar_series" \
        --argjson notes "$(printf '%s\n' "${notes[@]}" | jq -R -s -c 'split("\n") | map(select(length > 0))')" \
        '{
            suite: "dataplane",
            title: "Data plane: direct mode, VXLAN tunnels and static flows (issue #7)",
            command: $command,
            seconds: $seconds,
            summary: $summary,
            tables: [
                {caption: "One container pair across the 2 hosts, per mode: iperf3 throughput (median of the runs), ping RTT over all runs, and the largest ICMP payload that crosses with DF set",
                 columns: ["mode", "median Gbit/s", "min Gbit/s", "max Gbit/s", "÷ static", "TCP retransmits (all runs)", "RTT p50 (ms)", "RTT p99 (ms)", "pings answered", "largest DF payload (bytes)", "path MTU (bytes)"],
                 rows: $rows},
                {caption: "Every iperf3 run (interleaved, the order rotating per repetition)",
                 columns: ["repetition", "direct Gbit/s", "VXLAN Gbit/s", "static Gbit/s"],
                 rows: $runs}
            ],
            figures: [
                {file: "dataplane-throughput", kind: "bars", title: "Cross-host TCP throughput (median of the runs)", xLabel: "mode", yLabel: "Gbit/s", series: $bars},
                {file: "dataplane-rtt", kind: "cdf", title: "Cross-host ping RTT", xLabel: "RTT (ms)", yLabel: "fraction of pings", series: $rtt}
            ],
            notes: $notes
        }' >"$out_json"
fi

{
    echo "$summary"
    echo
    echo "| mode | median Gbit/s | min | max | ÷ static | retransmits | RTT p50 (ms) | RTT p99 (ms) | pings | largest DF payload | path MTU |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    rows_json | jq -r '"| " + join(" | ") + " |"'
    echo
    echo "| run | direct Gbit/s | VXLAN Gbit/s | static Gbit/s |"
    echo "|---:|---:|---:|---:|"
    runs_json | jq -r '"| " + join(" | ") + " |"'
    echo
    printf -- '- %s\n' "${notes[@]}"
} | tee "$raw/report.md"
