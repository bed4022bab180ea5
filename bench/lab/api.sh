# The lab controller's REST API for the bench scripts (sourced): bench/lab/run.sh, bench/lab/conversations.sh
# and bench/dataplane/run.sh. The caller sets $sock, the controller's API socket.

# api PATH: GET PATH, the body on stdout; fails on an HTTP error or after 10 s.
api() {
    curl -sSf --max-time 10 --unix-socket "$sock" "http://lab$1"
}

# Every conversation (all pages), one JSON object per line.
all_conversations() {
    local next="" page
    while :; do
        page=$(api "/v1/conversations?limit=1000${next:+&continue=$next}")
        jq -c '.items[]' <<<"$page"
        next=$(jq -r '.continue // empty' <<<"$page")
        [[ -n $next ]] || break
    done
}

# The highest conversation id so far (0 when none): conversations above it are new.
max_conversation_id() {
    all_conversations | jq -s '[.[].id | tonumber] | max // 0'
}
