# berth plan --detailed-exitcode: 0 on the converged lab, 2 once the
# inventory asks for a change.
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
rm -f "$inv"
true
