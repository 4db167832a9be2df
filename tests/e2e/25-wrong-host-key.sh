# A host whose key in known_hosts is wrong: facts records it unreachable
# with the key's fingerprint and gathers the others; apply refuses to act
# on it.
. "$(dirname "$0")/lib.sh"
lab_guard

dir=$(mktemp -d)
h3key=$(cut -d' ' -f1,2 "$LAB_DIR/h3/ssh_host_ed25519_key.pub")
sed "s|^\(h2.lab,[0-9.]*\) .*|\1 $h3key|" "$LAB_KNOWN_HOSTS" > "$dir/known_hosts"
sed "s|known_hosts: $LAB_KNOWN_HOSTS|known_hosts: $dir/known_hosts|" "$LAB_INVENTORY" > "$dir/inventory.yaml"
fp=$(ssh-keygen -lf "$LAB_DIR/h2/ssh_host_ed25519_key.pub" | awk '{print $2}')

out=$("$BERTH" facts -i "$dir/inventory.yaml" -o "$dir/facts.json" 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "facts still gathers with one host refused" || not_ok "facts still gathers with one host refused" "exit $rc" "$out"
case "$out" in
*"h2"*"$fp"*) ok "facts warns that h2's key does not match, with its fingerprint $fp" ;;
*) not_ok "facts warns that h2's key does not match, with its fingerprint $fp" "$out" ;;
esac
h2=$(jq -r '.hosts[] | select(.name == "h2") | "\(.reachable) \(.error)"' "$dir/facts.json" 2>/dev/null)
case "$h2" in
"false "*"$fp"*) ok "facts records h2 unreachable with the fingerprint" ;;
*) not_ok "facts records h2 unreachable with the fingerprint" "$h2" ;;
esac
h1=$(jq -r '.hosts[] | select(.name == "h1") | .reachable' "$dir/facts.json" 2>/dev/null)
[ "$h1" = true ] && ok "facts still gathers h1" || not_ok "facts still gathers h1" "$h1"

# The inventory places web1 back on h1: the migration's source is h2.
out=$("$BERTH" apply -i "$dir/inventory.yaml" --yes 2>&1)
rc=$?
case "$out" in
*"h2"*"$fp"*) [ $rc -ne 0 ] && ok "apply refuses h2, naming the fingerprint (exit $rc)" ||
	not_ok "apply refuses h2, naming the fingerprint" "exit 0" ;;
*) not_ok "apply refuses h2, naming the fingerprint" "exit $rc" "$out" ;;
esac
[ "$(domain_state h2 web1)" = running ] && ok "web1 was left running on h2" ||
	not_ok "web1 was left running on h2" "state: $(domain_state h2 web1)"
rm -rf "$dir"
true
