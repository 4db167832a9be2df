# berth plan --detailed-exitcode: 0 on the converged lab, 2 once the
# inventory asks for a change; apply without --yes and without a terminal
# to confirm on refuses and changes nothing.
. "$(dirname "$0")/lib.sh"
lab_guard

inv=$(inventory_moving web1 h2)
"$BERTH" plan -i "$inv" --detailed-exitcode >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && ok "plan --detailed-exitcode exits 0 on the converged lab" ||
	not_ok "plan --detailed-exitcode exits 0 on the converged lab" "exit $rc"
"$BERTH" plan -i "$LAB_INVENTORY" --detailed-exitcode >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok "plan --detailed-exitcode exits 2 after the inventory changes" ||
	not_ok "plan --detailed-exitcode exits 2 after the inventory changes" "exit $rc"
"$BERTH" plan -i "$inv" >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && ok "plan without --detailed-exitcode exits 0" ||
	not_ok "plan without --detailed-exitcode exits 0" "exit $rc"
web1_id=$(domain_id h2 web1)
out=$("$BERTH" apply -i "$LAB_INVENTORY" 2>&1 </dev/null)
rc=$?
case "$out" in
*"refusing to apply without confirmation"*"--yes"*)
	[ $rc -eq 2 ] && ok "apply without --yes and no terminal refuses (exit 2)" ||
		not_ok "apply without --yes and no terminal refuses (exit 2)" "exit $rc" ;;
*) not_ok "apply without --yes and no terminal refuses (exit 2)" "exit $rc" "$out" ;;
esac
[ "$(domain_id h2 web1)" = "$web1_id" ] && [ "$(domain_state h1 web1)" = absent ] &&
	ok "the refused apply changed nothing" || not_ok "the refused apply changed nothing"
rm -f "$inv"
true
