# Fault: a host that accepts TCP connections and never answers (its sshd
# stopped with SIGSTOP).  berth does not hang: the host is reported
# unreachable with the stage that stalled, the others are gathered, and
# once the host answers again a re-run converges.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
pid=$(cat "$LAB_DIR/h2/run/sshd.pid")
kill -STOP "$pid"
start=$SECONDS
out=$("$BERTH" facts -i "$base" 2>&1 >/dev/null)
rc=$?
took=$((SECONDS - start))
facts=$("$BERTH" facts -i "$base" 2>/dev/null)
kill -CONT "$pid"
printf '%s\n' "$out" | sed 's/^/# /'
[ "$took" -lt 60 ] && ok "berth facts ends in $took s instead of hanging" ||
	not_ok "berth facts ends in $took s instead of hanging"
case "$out" in
*"host 'h2' is unreachable"*) ok "h2 is reported unreachable" ;;
*) not_ok "h2 is reported unreachable" "exit $rc" ;;
esac
case "$out" in
*"no answer within"* | *"timed out"* | *"Timed out"* | *"timeout"*) ok "the message names the stall" ;;
*) not_ok "the message names the stall" ;;
esac
[ "$(jq -r '[.hosts[] | select(.reachable) | .name] | join(",")' <<<"$facts")" = "h1,h3" ] &&
	ok "h1 and h3 are still gathered" || not_ok "h1 and h3 are still gathered"
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "once h2 answers again, a re-run converges" ||
	not_ok "once h2 answers again, a re-run converges" "exit $rc" "$out"
rm -f "$base"
true
