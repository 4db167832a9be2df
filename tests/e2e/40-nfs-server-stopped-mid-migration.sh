# Fault: the NFS server (nfs-ganesha on h3) stopped for 15 s while berth
# live-migrates a guest whose disk is on it.  Whatever the migration does
# meanwhile (wait for the server, or fail), berth ends by itself, the guest
# runs on exactly one host, and a re-run converges.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
inv=$(inventory_from "$base" web1 h2)
ip=$(lab_guest_ip 1)
"$BERTH" apply -i "$base" --yes >/dev/null 2>&1	# web1 on h1 (when run alone)
guest_cmd "$ip" dirty start 32 >/dev/null

out=$(mktemp)
start=$SECONDS
"$BERTH" apply -i "$inv" --yes > "$out" 2>&1 &
pid=$!
if wait_until 60 migrating h1 web1 && ganesha_stop; then
	ok "nfs-ganesha is stopped while web1 migrates"
else
	not_ok "nfs-ganesha is stopped while web1 migrates"
fi
sleep 15
ganesha_start || diag "nfs-ganesha takes no connection yet"
if wait_or_stop "$pid" 180; then
	ok "berth ends by itself ($((SECONDS - start)) s after it started)"
else
	not_ok "berth ends by itself" "still running 180 s after the server came back"
fi
wait "$pid"
rc=$?
sed 's/^/# /' "$out"
diag "apply exit status $rc"
if wait_until 60 settled web1; then
	ok "web1 runs on exactly one host ($(where web1))"
else
	not_ok "web1 runs on exactly one host" "$(where web1)"
fi
"$GUEST/cmd" "$ip" dirty stop >/dev/null 2>&1
out2=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
printf '%s\n' "$out2" | sed 's/^/# /'
[ $rc -eq 0 ] && [ "$(where web1)" = "h1=absent h2=running h3=absent" ] &&
	ok "a re-run converges: web1 runs on h2" || not_ok "a re-run converges: web1 runs on h2" "exit $rc, $(where web1)"
check "web1 goes back to h1" "$BERTH" apply -i "$base" --yes
rm -f "$out" "$base" "$inv"
true
