# A failure half-way through an apply leaves every guest running somewhere,
# and applying again finishes the job. The inventory swaps the guests (web1
# back to h1, web2 to h2) while h1's own SSH key, which its libvirtd uses to
# reach h2 for a peer-to-peer migration, is moved away: web1's migration
# from h2 succeeds, web2's from h1 fails.
. "$(dirname "$0")/lib.sh"
lab_guard

inv=$(inventory_moving web2 h2)
key=$LAB_DIR/h1/root/.ssh/id_ed25519
mv "$key" "$key.away"
out=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
mv "$key.away" "$key"
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"migrate-live web2 from h1 to h2"*"FAILED"*)
	[ $rc -eq 1 ] && ok "apply fails when web2's migration fails (exit 1)" ||
		not_ok "apply fails when web2's migration fails (exit 1)" "exit $rc" ;;
*) not_ok "apply fails when web2's migration fails (exit 1)" "exit $rc" ;;
esac
[ "$(domain_state h1 web2)" = running ] && [ "$(domain_state h2 web2)" = absent ] &&
	ok "web2 still runs on h1, and h2 has no stale copy" ||
	not_ok "web2 still runs on h1, and h2 has no stale copy" "h1: $(domain_state h1 web2), h2: $(domain_state h2 web2)"
[ "$(domain_state h1 web1)" = running ] && [ "$(domain_state h2 web1)" = absent ] &&
	ok "web1's migration back to h1 completed" ||
	not_ok "web1's migration back to h1 completed" "h1: $(domain_state h1 web1), h2: $(domain_state h2 web1)"
check "web2 answers ping" pings "$(lab_guest_ip 2)"

out=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && ok "applying again finishes the job" || not_ok "applying again finishes the job" "exit $rc"
case "$out" in
*"migrate-live web2 from h1 to h2: done"*) ok "the second apply migrates only web2" ;;
*) not_ok "the second apply migrates only web2" ;;
esac
[ "$(domain_state h2 web2)" = running ] && [ "$(domain_state h1 web2)" = absent ] &&
	ok "web2 now runs on h2 only" || not_ok "web2 now runs on h2 only"
check "web2 answers ping on h2" pings "$(lab_guest_ip 2)"
rm -f "$inv"
true
