# A guest that ignores the ACPI power button (its acpid stopped, as a hung
# guest would): the stop step waits --stop-timeout, then forces it off, says
# so, and the guest stays defined on its one host; a re-run starts it again.
. "$(dirname "$0")/lib.sh"
lab_guard

# After scenario 35, web1 runs on h1 and web2 on h2.
placed=$(inventory_base)
inv=$(mktemp --suffix=.yaml)
awk '$0 == "  web2:" { inside = 1 } inside && /^    state: / { $0 = "    state: shutoff" } { print }' \
	"$placed" > "$inv"
ip=$(lab_guest_ip 2)
# This scenario is about berth's stop timeout, so it starts from a web2 that
# answers: one an earlier fault scenario left hung (it happened: no ARP
# reply, ACPI ignored) is booted again first, and said so.
if ! pings "$ip" >/dev/null 2>&1 && ! pings "$ip" >/dev/null 2>&1; then
	diag "web2 does not answer ping before this scenario: an earlier one left it so; booting it again"
	lab_virsh h2 destroy web2 >/dev/null 2>&1
	lab_virsh h2 start web2 >/dev/null 2>&1
fi
reply=$(guest_cmd "$ip" acpi off)
[ "$reply" = "ok acpi off" ] && ok "web2 now ignores the power button" ||
	not_ok "web2 now ignores the power button" "reply: $reply"

start=$(date +%s)
out=$("$BERTH" apply -i "$inv" --yes --stop-timeout 5s 2>&1)
rc=$?
took=$(($(date +%s) - start))
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"stop web2 on h2: done"*"did not shut down in 5 s: destroyed"*)
	[ $rc -eq 0 ] && ok "the stop step forces web2 off after --stop-timeout, and says so" ||
		not_ok "the stop step forces web2 off after --stop-timeout, and says so" "exit $rc" ;;
*) not_ok "the stop step forces web2 off after --stop-timeout, and says so" "exit $rc" ;;
esac
[ "$took" -lt 60 ] && ok "the apply did not wait the default 120 s (took $took s)" ||
	not_ok "the apply did not wait the default 120 s" "took $took s"
[ "$(where web2)" = "h1=absent h2=shut off h3=absent" ] && ok "web2 is shut off and defined on h2 only" ||
	not_ok "web2 is shut off and defined on h2 only" "$(where web2)"

out=$("$BERTH" apply -i "$placed" --yes 2>&1)
rc=$?
case "$out" in
*"start web2 on h2: done"*) [ $rc -eq 0 ] && ok "a re-run starts web2 again" ||
	not_ok "a re-run starts web2 again" "exit $rc" ;;
*) not_ok "a re-run starts web2 again" "exit $rc" "$out" ;;
esac
if wait_until 40 pings "$ip"; then
	ok "web2 answers ping again"
else
	not_ok "web2 answers ping again"
fi
rm -f "$inv" "$placed"
true
