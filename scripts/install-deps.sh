#!/usr/bin/env bash
# Installs the Debian packages the lab and the end-to-end tests need (real OVS, namespaces, capture).
# Idempotent: when every package is already installed it only asks dpkg and exits, without touching apt.
set -euo pipefail

# openvswitch-switch: ovsdb-server, ovs-vswitchd, ovs-vsctl, ovs-ofctl (userspace datapath in namespaces)
# iproute2/ethtool/iputils-ping: namespaces, veth pairs, checksum offload off, reachability checks
# iperf3/tcpdump/tshark/socat: throughput checks, the OpenFlow capture and its dissection, the TCP relay
# jq: bench/lab/run.sh reads the lab listing, the API and iperf3 JSON
# python3-os-ken/openvswitch-testcontroller: the peer controllers of bench/controllers/run.sh (issue 7)
# python3: the new-conversation flood generator of tests/Patchbay.EndToEnd.Tests/PacketIn (raw frames from AF_PACKET)
# python3: also bench/lab/convgen.py (short TCP connections across lab namespaces); curl: the lab benchmarks ask the controller's API
# fonts-dejavu-core: the text of the benchmark figures (bench/Patchbay.BenchReport draws with DejaVu Sans)
# podman/runc/containernetworking-plugins/busybox-static: patchbay-cni's client and its runtime, the reference bridge plugin, the test image (issue 6)
packages=(openvswitch-switch iproute2 ethtool iputils-ping iperf3 tcpdump tshark socat jq python3-os-ken openvswitch-testcontroller podman runc containernetworking-plugins busybox-static python3 curl fonts-dejavu-core)

if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: must run as root (apt-get install and network namespaces need it); try: sudo $0" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "install-deps: all present (${packages[*]})"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark's postinst otherwise asks whether non-root users may capture; the answer is no.
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
echo "install-deps: done"
