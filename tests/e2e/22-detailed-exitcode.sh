# berth plan --detailed-exitcode: 0 on the converged lab, 2 once the
# inventory asks for a change; apply without --yes and without a terminal
# to confirm on refuses and changes nothing; --limit plans only what it
# selects.
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
# --limit: only the selected domains are planned; the others are left alone.
"$BERTH" plan -i "$LAB_INVENTORY" --limit web2 --detailed-exitcode >/dev/null 2>&1
rc=$?
[ $rc -eq 0 ] && ok "plan --limit web2 has no changes while web1 would move" ||
	not_ok "plan --limit web2 has no changes while web1 would move" "exit $rc"
"$BERTH" plan -i "$LAB_INVENTORY" --limit '!web2' --detailed-exitcode >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] && ok "plan --limit '!web2' still moves web1" ||
	not_ok "plan --limit '!web2' still moves web1" "exit $rc"
out=$("$BERTH" plan -i "$LAB_INVENTORY" --limit nothing 2>&1)
rc=$?
case "$out" in
*"--limit 'nothing' selects no domain"*) [ $rc -eq 2 ] &&
	ok "a --limit that selects nothing is an error (exit 2)" ||
	not_ok "a --limit that selects nothing is an error (exit 2)" "exit $rc" ;;
*) not_ok "a --limit that selects nothing is an error (exit 2)" "$out" ;;
esac
hosts=$("$BERTH" facts -i "$LAB_INVENTORY" --limit h3 2>/dev/null | jq -r '[.hosts[].name] | join(" ")')
[ "$hosts" = h3 ] && ok "facts --limit h3 asks h3 only" || not_ok "facts --limit h3 asks h3 only" "$hosts"
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
