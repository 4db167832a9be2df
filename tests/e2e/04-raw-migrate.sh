# The lab can live-migrate: a raw `virsh migrate --live --p2p` of the guest
# from h1 to h2 keeps it answering a 100 Hz ping and loses no memory. This
# proves the lab itself before berth migrates anything.
. "$(dirname "$0")/lib.sh"
lab_guard

ip=$(lab_guest_ip 9)
if [ "$(domain_state h1 e2e-g1)" != running ]; then
	not_ok "guest e2e-g1 runs on h1 before the migration" "state: $(domain_state h1 e2e-g1)"
	exit 0
fi
wait_until 30 pings "$ip" || true
check "the guest starts dirtying 32 MiB of memory" "$GUEST/cmd" "$ip" dirty start 32
log=$(mktemp)
ping -i 0.01 -W 1 -w 12 "$ip" > "$log" 2>&1 &
pinger=$!
sleep 1
t0=$(date +%s%N)
check "virsh migrate --live --p2p moves the guest from h1 to h2" \
	lab_virsh h1 migrate --live --p2p --persistent --undefinesource --verbose \
	e2e-g1 "qemu+ssh://$(lab_fqdn h2)/system"
diag "migration took $((($(date +%s%N) - t0) / 1000000)) ms"
wait "$pinger"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$log")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$log")
diag "ping at 100 Hz during the migration: $recv of $sent replies"
rm -f "$log"
if [ -n "$sent" ] && [ -n "$recv" ] && [ "$recv" -ge $((sent * 80 / 100)) ]; then
	ok "the guest kept answering ping during the migration (at least 80 % of replies)"
else
	not_ok "the guest kept answering ping during the migration (at least 80 % of replies)" "sent $sent, received $recv"
fi
[ "$(domain_state h2 e2e-g1)" = running ] && ok "the guest runs on h2" ||
	not_ok "the guest runs on h2" "state: $(domain_state h2 e2e-g1)"
[ "$(domain_state h1 e2e-g1)" = absent ] && ok "the guest is gone from h1" ||
	not_ok "the guest is gone from h1" "state: $(domain_state h1 e2e-g1)"
check "the guest still answers ping on h2" pings "$ip"
out=$("$GUEST/cmd" "$ip" verify 2>&1)
case "$out" in
"ok verify "*) ok "the guest's memory is intact after the migration ($out)" ;;
*) not_ok "the guest's memory is intact after the migration" "got: $out" ;;
esac
# Leave the lab as the berth scenarios expect it: no guest but theirs.
lab_virsh h2 destroy e2e-g1 >/dev/null 2>&1
lab_virsh h2 undefine e2e-g1 >/dev/null 2>&1
true
