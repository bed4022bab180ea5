#!/usr/bin/env bash
# Checks the helpers of bench/lab/stats.sh on fixed inputs (real ping output included), so the figures
# run.sh publishes come from correctly read samples. Needs only bash, awk and sort; no root, no lab.
set -euo pipefail
source "$(dirname "$0")/stats.sh"

failures=0
check() {
    local what=$1 expected=$2 actual=$3
    if [[ "$expected" == "$actual" ]]; then
        echo "ok   $what"
    else
        echo "FAIL $what: expected '$expected', got '$actual'"
        failures=$((failures + 1))
    fi
}

ping_output='PING 10.10.0.14 (10.10.0.14) 56(84) bytes of data.
64 bytes from 10.10.0.14: icmp_seq=1 ttl=64 time=13.3 ms
64 bytes from 10.10.0.14: icmp_seq=2 ttl=64 time=0.903 ms
64 bytes from 10.10.0.14: icmp_seq=3 ttl=64 time=4.50 ms
64 bytes from 10.10.0.14: icmp_seq=3 ttl=64 time=9.99 ms (DUP!)
64 bytes from 10.10.0.14: icmp_seq=4 ttl=64 time=0.642 ms
64 bytes from 10.10.0.14: icmp_seq=5 ttl=64 time=0.687 ms
64 bytes from 10.10.0.14: icmp_seq=6 ttl=64 time=0.613 ms

--- 10.10.0.14 ping statistics ---
6 packets transmitted, 6 received, +1 duplicates, 0% packet loss, time 1017ms
rtt min/avg/max/mdev = 0.613/3.441/13.309/4.625 ms'

rtts=$(ping_rtts <<<"$ping_output")
check "ping_rtts reads six replies and skips the duplicate" 6 "$(wc -l <<<"$rtts")"
check "ping_rtts keeps seq and time" "2 0.903" "$(sed -n 2p <<<"$rtts")"
check "first_rtt is icmp_seq=1" 13.3 "$(first_rtt <<<"$rtts")"
check "steady_median of five replies is the middle one" 0.687 "$(steady_median <<<"$rtts")"

no_first=$(printf '2 1.0\n3 2.0\n4 4.0\n5 3.0\n')
check "first_rtt is empty when icmp_seq=1 is missing" "" "$(first_rtt <<<"$no_first")"
check "steady_median of four replies averages the middle two" 2.500 "$(steady_median <<<"$no_first")"
check "steady_median is empty with fewer than three later replies" "" "$(steady_median <<<"$(printf '1 5.0\n2 1.0\n3 2.0\n')")"

hundred=$(seq 1 100)
check "percentile 50 of 1..100 is the 50th" 50.00 "$(percentile 50 <<<"$hundred")"
check "percentile 99 of 1..100 is the 99th" 99.00 "$(percentile 99 <<<"$hundred")"
check "percentile 99 of ten samples is the largest" 10.00 "$(seq 10 -1 1 | percentile 99)"
check "percentile 100 is the largest" 100.00 "$(percentile 100 <<<"$hundred")"
check "percentile sorts numerically, not as text" 10.00 "$(printf '10\n9\n100\n' | percentile 50)"
check "percentile of nothing is empty" "" "$(percentile 50 </dev/null)"
check "median of an odd count" 3.000 "$(printf '5\n1\n3\n' | median)"
check "minmax" "0.5 12" "$(printf '3\n12\n0.5\n' | minmax)"
check "gbits" 2.35 "$(gbits 2345678901)"
check "ratio" 0.96 "$(ratio 2.4 2.5)"
if at_least 0.949 0.95; then check "at_least 0.949 0.95 fails" no yes; else check "at_least 0.949 0.95 fails" no no; fi
if at_least 0.95 0.95; then check "at_least 0.95 0.95 holds" yes yes; else check "at_least 0.95 0.95 holds" yes no; fi

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
