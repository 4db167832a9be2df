# A guest is never started twice: berth leases each image to the host
# that runs it (a symbolic link beside it on the share), and refuses to
# start a guest whose lease names a host the inventory no longer names,
# where a QEMU may still run it.  Removing the lease by hand releases it.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
dir=$(mktemp -d)

# The lab as scenario 34 leaves it, leased: web1 on h1, web2 on h2.
"$BERTH" apply -i "$base" --yes > "$dir/apply.out" 2>&1
rc=$?
sed 's/^/# /' "$dir/apply.out"
[ $rc -eq 0 ] && ok "apply of the lab inventory succeeds" || not_ok "apply of the lab inventory succeeds" "exit $rc"
[ "$(readlink "$LAB_EXPORT/web1.qcow2.berth-lease")" = h1 ] &&
	[ "$(readlink "$LAB_EXPORT/web2.qcow2.berth-lease")" = h2 ] &&
	ok "each image's lease names the host that runs it" ||
	not_ok "each image's lease names the host that runs it" \
		"web1: $(readlink "$LAB_EXPORT/web1.qcow2.berth-lease"), web2: $(readlink "$LAB_EXPORT/web2.qcow2.berth-lease")"
out=$("$BERTH" plan -i "$base" 2>&1)
case "$out" in
"No changes."*) ok "a second plan has no lease step" ;;
*) not_ok "a second plan has no lease step" "$out" ;;
esac

# h2 leaves the inventory with web2 still running there; web2 is placed on h1.
gone=$(inventory_from "$base" web2 h1)
sed -i '/^  h2:$/,+1d' "$gone"
grep -q 'h2' "$gone" && diag "h2 is still named in $(grep -n h2 "$gone")"
out=$("$BERTH" apply -i "$gone" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"domain 'web2': its disk image 'web2.qcow2' on storage 'share' is leased to host 'h2', which the inventory does not name"*"remove the lease '$LAB_EXPORT/web2.qcow2.berth-lease' on 'h3'"*)
	[ $rc -ne 0 ] && ok "the apply is refused, naming the lease and the host it names" ||
		not_ok "the apply is refused, naming the lease and the host it names" "exit $rc" ;;
*) not_ok "the apply is refused, naming the lease and the host it names" "exit $rc" ;;
esac
[ "$(where web2)" = "h1=absent h2=running h3=absent" ] && ok "nothing changed: web2 runs on h2 only, not on h1 too" ||
	not_ok "nothing changed: web2 runs on h2 only, not on h1 too" "$(where web2)"
[ "$(readlink "$LAB_EXPORT/web2.qcow2.berth-lease")" = h2 ] && ok "the lease still names h2" ||
	not_ok "the lease still names h2" "$(readlink "$LAB_EXPORT/web2.qcow2.berth-lease")"

# A lease some other program changed since the plan was saved: the saved plan is refused.
moved=$(inventory_from "$base" web1 h2)
"$BERTH" plan -i "$moved" --out "$dir/plan.json" >/dev/null 2>&1
ln -sfn h3 "$LAB_EXPORT/web1.qcow2.berth-lease"
out=$("$BERTH" apply -i "$moved" --plan "$dir/plan.json" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"plan is stale: step 2 expected the lease $LAB_EXPORT/web1.qcow2.berth-lease to name h1, it now names h3"*)
	[ $rc -ne 0 ] && ok "a saved plan whose lease changed since is refused as stale" ||
		not_ok "a saved plan whose lease changed since is refused as stale" "exit $rc" ;;
*) not_ok "a saved plan whose lease changed since is refused as stale" "exit $rc" ;;
esac
[ "$(where web1)" = "h1=running h2=absent h3=absent" ] && ok "nothing changed: web1 still runs on h1" ||
	not_ok "nothing changed: web1 still runs on h1" "$(where web1)"

# h3 runs no web1: its lease is stale, and a fresh plan takes it back for h1.
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && [ "$(readlink "$LAB_EXPORT/web1.qcow2.berth-lease")" = h1 ] &&
	ok "a lease naming a reachable host that does not run the guest is taken back" ||
	not_ok "a lease naming a reachable host that does not run the guest is taken back" "exit $rc"

rm -rf "$dir" "$base" "$gone" "$moved"
true
