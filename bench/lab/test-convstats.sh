#!/usr/bin/env bash
# Checks the helpers of bench/lab/convstats.sh on fixed inputs (real bench/lab/convgen.py output included),
# so the rates, latencies and path MTUs bench/lab/conversations.sh and bench/dataplane/run.sh publish come
# from correctly read samples. Needs only bash, awk and sort; no root, no lab.
set -euo pipefail
source "$(dirname "$0")/convstats.sh"

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

# convgen connect output: LINE START_MS SETUP_MS TOTAL_MS RESULT, in completion order.
convgen_output='3 0.472 11.867 18.040 ok
7 0.988 11.343 18.836 ok
1 0.000 12.320 23.689 ok
5 0.747 - 1000.500 ECONNREFUSED
9 19.911 4.407 7.609 ok
6 20.000 - 100.000 timeout
2 21.000 - 40.000 ECONNREFUSED'

check "conn_setups keeps successful connections only, in order" "11.867 11.343 12.320 4.407" "$(conn_setups <<<"$convgen_output" | tr '\n' ' ' | sed 's/ $//')"
# 4 ok; 3 failed; the last end is line 5 (0.747 + 1000.5 = 1001.247) from the first start 0.000.
check "conn_summary counts, spans first start to last end, rates ok per second" "4 3 1001.2 4.0" "$(conn_summary <<<"$convgen_output")"
check "conn_summary of one connection" "1 0 18.0 55.4" "$(conn_summary <<<'1 5.000 11.000 18.040 ok')"
check "conn_summary ignores short lines" "1 0 18.0 55.4" "$(conn_summary <<<$'1 5.000 11.000 18.040 ok\ngarbage')"
check "conn_failures counts by kind, most frequent first" "ECONNREFUSED 2,timeout 1" "$(conn_failures <<<"$convgen_output" | paste -sd,)"
check "conn_failures of all-ok input is empty" "" "$(conn_failures <<<'1 0 1 2 ok')"

check "cap_samples keeps everything at or under the cap" "1 2 3" "$(seq 3 | cap_samples 5 | tr '\n' ' ' | sed 's/ $//')"
check "cap_samples takes evenly spaced samples over the cap" "1 3 5 7 9" "$(seq 10 | cap_samples 5 | tr '\n' ' ' | sed 's/ $//')"
check "cap_samples caps 12,000 at 5,000" 5000 "$(seq 12000 | cap_samples 5000 | wc -l)"

# A probe that passes up to a limit, as ping -M do does up to the path MTU.
limit=1422
probe_upto() { (($1 <= limit)); }
check "largest_passing finds the limit (VXLAN: 1422)" 1422 "$(largest_passing 0 1472 probe_upto)"
limit=1472
check "largest_passing finds the top of the range" 1472 "$(largest_passing 0 1472 probe_upto)"
limit=0
check "largest_passing finds the bottom of the range" 0 "$(largest_passing 0 1472 probe_upto)"
limit=-1
check "largest_passing prints nothing when the bottom fails" "" "$(largest_passing 0 1472 probe_upto)"
calls=0
counting_probe() { calls=$((calls + 1)); (($1 <= 1000)); }
largest_passing 0 1472 counting_probe >/dev/null
check "largest_passing probes at most 1 + ceil(log2(1473)) = 12 sizes" yes "$( ((calls <= 12)) && echo yes || echo "no ($calls)")"

if ((failures > 0)); then
    echo "$failures check(s) failed"
    exit 1
fi
echo "all checks passed"
