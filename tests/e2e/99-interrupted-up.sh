# An `up` killed half-way leaves a partial lab; `down` cleans what exists.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-clean.sh"

"$LABCTL" down >/dev/null 2>&1
setsid "$LABCTL" up >/dev/null 2>&1 &
pid=$!
if wait_until 20 test -e "/run/netns/$(lab_netns h2)"; then
	kill -KILL -- -"$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	ok "up was killed half-way (after h2's namespace existed)"
else
	not_ok "up was killed half-way (after h2's namespace existed)"
fi
out=$("$LABCTL" status 2>&1)
case "$out" in
"lab is partly up"* | "lab is up"*) ok "status sees what the killed up left" ;;
*) not_ok "status sees what the killed up left" "got: $out" ;;
esac
check "down after an interrupted up succeeds" "$LABCTL" down
check_lab_clean "after an interrupted up and down"
true
