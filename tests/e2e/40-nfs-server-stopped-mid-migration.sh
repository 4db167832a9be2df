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
for _ in 1 2 3 4 5 6 7 8 9 10; do	# a guest just booted opens its port last
	reply=$("$GUEST/cmd" "$ip" dirty start 32 2>&1)
	case "$reply" in "ok dirty started"* | "error dirty already running") break ;; esac
	sleep 2
done

out=$(mktemp)
start=$SECONDS
"$BERTH" apply -i "$inv" --yes > "$out" 2>&1 &
pid=$!
migrating() { lab_virsh h1 domjobinfo web1 2>/dev/null | grep -q 'Unbounded'; }
ganesha_pid=$(cat "$LAB_DIR/h3/run/ganesha/ganesha.pid" 2>/dev/null)
if wait_until 60 migrating && [ -n "$ganesha_pid" ] && kill "$ganesha_pid"; then
	ok "nfs-ganesha is stopped while web1 migrates"
else
	not_ok "nfs-ganesha is stopped while web1 migrates" "pid '$ganesha_pid'"
fi
sleep 15
"$LABCTL" exec h3 ganesha.nfsd -f "$LAB_DIR/h3/ganesha.conf" -L "$LAB_DIR/h3/ganesha.log" \
	-p /run/ganesha/ganesha.pid -N NIV_EVENT
waited=0
while kill -0 "$pid" 2>/dev/null && [ $waited -lt 180 ]; do
	sleep 1
	waited=$((waited + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	not_ok "berth ends by itself" "still running 180 s after the server came back"
	kill -INT "$pid"
	sleep 10
	kill -KILL "$pid" 2>/dev/null
else
	ok "berth ends by itself ($((SECONDS - start)) s after it started)"
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
