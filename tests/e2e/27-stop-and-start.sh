# The inventory saying shutoff stops a running guest gracefully (ACPI power
# button, the guest's acpid powers it off); saying running starts it again.
. "$(dirname "$0")/lib.sh"
lab_guard

# After scenario 26, web1 runs on h1 and web2 on h2.
placed=$(inventory_moving web2 h2)
inv=$(mktemp --suffix=.yaml)
awk '$0 == "  web2:" { inside = 1 } inside && /^    state: / { $0 = "    state: shutoff" } { print }' \
	"$placed" > "$inv"
out=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"stop web2 on h2: done"*"shut down in"*) [ $rc -eq 0 ] && ok "apply shuts web2 down gracefully" ||
	not_ok "apply shuts web2 down gracefully" "exit $rc" ;;
*) not_ok "apply shuts web2 down gracefully" "exit $rc" ;;
esac
[ "$(domain_state h2 web2)" = "shut off" ] && ok "web2 is shut off and still defined on h2" ||
	not_ok "web2 is shut off and still defined on h2" "state: $(domain_state h2 web2)"

out=$("$BERTH" apply -i "$placed" --yes 2>&1)
rc=$?
case "$out" in
*"start web2 on h2: done"*) [ $rc -eq 0 ] && ok "apply starts web2 again" ||
	not_ok "apply starts web2 again" "exit $rc" ;;
*) not_ok "apply starts web2 again" "exit $rc" "$out" ;;
esac
if wait_until 40 pings "$(lab_guest_ip 2)"; then
	ok "web2 answers ping again"
else
	not_ok "web2 answers ping again"
fi
rm -f "$inv" "$placed"
true
