# Fault: the source host's SSH cut by a firewall rule in its namespace
# while berth live-migrates a guest from it (berth reaches h1's libvirtd
# over SSH).  berth does not hang: its connection to h1 is found dead by the
# keepalive and the apply fails naming h1; the guest runs on exactly one
# host; once the rule is gone a re-run converges, and berth's lock on h1,
# whose heartbeats stopped with the cut, has expired.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
inv=$(inventory_from "$base" web1 h2)
ns=$(lab_netns h1)
ip=$(lab_guest_ip 1)
rule=(INPUT -p tcp --dport 22 -j DROP)

# web1 on h1, web2 on h2, as scenario 36 leaves them (or made so, run alone).
"$BERTH" apply -i "$base" --yes >/dev/null 2>&1
wait_until 60 pings "$ip" >/dev/null
# A guest dirtying memory migrates for long enough to cut SSH during it.
reply=$(guest_cmd "$ip" dirty start 32)
case "$reply" in
"ok dirty started"* | "error dirty already running") ok "web1 dirties memory" ;;
*) not_ok "web1 dirties memory" "reply: $reply" ;;
esac
out=$(mktemp)
start=$SECONDS
"$BERTH" apply -i "$inv" --yes > "$out" 2>&1 &
pid=$!
if wait_until 60 migrating h1 web1; then
	ip netns exec "$ns" iptables -I "${rule[@]}"
	cut=$SECONDS
	ok "h1's SSH is cut once web1's migration has started"
else
	not_ok "h1's SSH is cut once web1's migration has started" "no migration job seen on h1"
fi
wait_or_stop "$pid" 240 || not_ok "berth ends by itself" "still running after 240 s"
wait "$pid"
rc=$?
took=$((SECONDS - start))
ip netns exec "$ns" iptables -D "${rule[@]}" 2>/dev/null
sed 's/^/# /' "$out"
[ "$took" -lt 240 ] && ok "berth ended in $took s instead of hanging" || not_ok "berth ended in $took s instead of hanging"
case "$(cat "$out")" in
*"host 'h1'"*) [ $rc -ne 0 ] && ok "the apply fails, naming h1" || not_ok "the apply fails, naming h1" "exit $rc" ;;
*) not_ok "the apply fails, naming h1" "exit $rc" ;;
esac

# With SSH back: web1 is on one host, and a re-run finishes the move.
if wait_until 60 settled web1; then
	ok "web1 runs on exactly one host ($(where web1))"
else
	not_ok "web1 runs on exactly one host" "$(where web1)"
fi
out2=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
printf '%s\n' "$out2" | sed 's/^/# /'
[ $rc -eq 0 ] && [ "$(where web1)" = "h1=absent h2=running h3=absent" ] &&
	ok "a re-run converges: web1 runs on h2" || not_ok "a re-run converges: web1 runs on h2" "exit $rc, $(where web1)"
"$GUEST/cmd" "$ip" dirty stop >/dev/null 2>&1

# h1 never saw berth's connection close, but the heartbeats on berth's lock
# stopped with the cut: the lock shell there gives up 60 s after the last
# one (BERTH_LOCK_EXPIRY_S), so an apply that waits for h1's lock gets it.
out2=$("$BERTH" apply -i "$base" --yes --lock-timeout 2m 2>&1)
rc=$?
since=$((SECONDS - ${cut:-0}))
printf '%s\n' "$out2" | sed 's/^/# /'
[ $rc -eq 0 ] && [ "$(where web1)" = "h1=running h2=absent h3=absent" ] && [ "$since" -lt 110 ] &&
	ok "the lock on h1 expired about a minute after the cut: web1 is moved back to h1 ($since s after the cut)" ||
	not_ok "the lock on h1 expired about a minute after the cut: web1 is moved back to h1" \
		"exit $rc, $(where web1), $since s after the cut"
rm -f "$out" "$base" "$inv"
true
