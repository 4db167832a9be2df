# From an empty lab, berth apply defines and starts the lab inventory's two
# guests on h1, creating their disk images on h3's NFS share; they boot and
# answer ping.
. "$(dirname "$0")/lib.sh"
lab_guard

out=$("$BERTH" apply -i "$LAB_INVENTORY" --yes 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "berth apply of the lab inventory succeeds" ||
	not_ok "berth apply of the lab inventory succeeds" "exit $rc" "$out"
printf '%s\n' "$out" | sed 's/^/# /'
for n in 1 2; do
	[ "$(domain_state h1 "web$n")" = running ] && ok "web$n runs on h1" ||
		not_ok "web$n runs on h1" "state: $(domain_state h1 "web$n")"
	[ "$(lab_virsh h1 dominfo "web$n" 2>/dev/null | awk '/^Persistent:/ {print $2}')" = yes ] &&
		ok "web$n is persistent on h1" || not_ok "web$n is persistent on h1"
	check "web$n's disk image was created on the NFS share" test -s "$LAB_EXPORT/web$n.qcow2"
	if wait_until 40 pings "$(lab_guest_ip $n)"; then
		ok "web$n answers ping"
	else
		not_ok "web$n answers ping" "no reply from $(lab_guest_ip $n) in 40 s"
	fi
done
check "web1's NFS disk is attached as vda" sh -c "'$LABCTL' virsh h1 domblklist web1 | grep -q 'vda.*web1.qcow2'"
true
