# A failed start is reported as a start failure, by the step kind's own
# words, with where the guest really is, read from the hosts afterwards.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
kernel=$LAB_IMAGES/vmlinuz
check "web2 is stopped by hand" lab_virsh h2 destroy web2
mv "$kernel" "$kernel.away"
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
mv "$kernel.away" "$kernel"
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"start web2 on h2: FAILED"*) [ $rc -eq 1 ] && ok "the start fails (exit 1)" || not_ok "the start fails (exit 1)" "exit $rc" ;;
*) not_ok "the start fails (exit 1)" "exit $rc" ;;
esac
case "$out" in
*"a failed start leaves the domain defined and shut off on its host"*"web2 is now shutoff on h2"*)
	ok "the message is the start kind's, and says web2 is shut off on h2" ;;
*) not_ok "the message is the start kind's, and says web2 is shut off on h2" ;;
esac
case "$out" in
*migration*) not_ok "nothing in the message speaks of a migration" ;;
*) ok "nothing in the message speaks of a migration" ;;
esac
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "with the kernel back, applying again starts web2" ||
	not_ok "with the kernel back, applying again starts web2" "exit $rc" "$out"
# 31 migrates web2 next: it must have booted first (a guest migrated, and
# the migration aborted, while it was still booting was seen hung later).
wait_until 60 pings "$(lab_guest_ip 2)" && ok "web2 has booted and answers ping" ||
	not_ok "web2 has booted and answers ping"
rm -f "$base"
true
