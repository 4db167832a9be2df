# Fault: the destination's libvirtd is killed in the middle of a live
# migration.  The migration fails, the guest runs on its source only, the
# message names the failed migration and where the guest is; once libvirtd
# runs again, a re-run migrates it.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
inv=$(inventory_from "$base" web1 h2)
lab_virsh h1 migrate-setspeed web1 8 >/dev/null
out=$(mktemp)
"$BERTH" apply -i "$inv" --yes > "$out" 2>&1 &
pid=$!
wait_until 60 grep -q "Applying:" "$out"
sleep 2.5
kill -9 "$(cat "$LAB_DIR/h2/run/libvirtd.pid")"
wait "$pid"
rc=$?
sed 's/^/# /' "$out"
[ $rc -ne 0 ] && grep -q "migrate-live web1 from h1 to h2: FAILED" "$out" &&
	ok "the migration fails and apply says so (exit $rc)" ||
	not_ok "the migration fails and apply says so (exit $rc)"
grep -q "web1 is now running on h1" "$out" && ok "berth says web1 still runs on h1" ||
	not_ok "berth says web1 still runs on h1"
[ "$(domain_state h1 web1)" = running ] && ok "web1 runs on h1" || not_ok "web1 runs on h1" "$(domain_state h1 web1)"
"$LABCTL" exec h2 libvirtd --daemon --pid-file /run/libvirtd.pid
wait_until 30 lab_virsh h2 list --all
wait_until 30 settled web1
settled web1 && ok "with libvirtd back on h2, web1 runs on h1 only" ||
	not_ok "with libvirtd back on h2, web1 runs on h1 only" "$(where web1)"
lab_virsh h1 migrate-setspeed web1 0 >/dev/null 2>&1
out2=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
[ $rc -eq 0 ] && [ "$(where web1)" = "h1=absent h2=running h3=absent" ] &&
	ok "a re-run migrates web1 to h2" || not_ok "a re-run migrates web1 to h2" "exit $rc" "$out2"
check "web1 goes back to h1" "$BERTH" apply -i "$base" --yes
rm -f "$out" "$inv" "$base"
true
