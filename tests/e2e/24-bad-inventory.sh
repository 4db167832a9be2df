# Inventories with an unknown host, a bad indent and a wrong type fail with
# file:line:column and exit 2, and berth contacts no host.
. "$(dirname "$0")/lib.sh"
lab_guard

dir=$(mktemp -d)
sed 's/^    host: h1$/    host: h9/' "$LAB_INVENTORY" > "$dir/unknown-host.yaml"
sed 's/^    port: 22$/   port: 22/' "$LAB_INVENTORY" > "$dir/bad-indent.yaml"
sed '0,/^    memory: 128M$/s//    memory: lots/' "$LAB_INVENTORY" > "$dir/wrong-type.yaml"
before=$(sshd_connections)
for case in unknown-host bad-indent wrong-type; do
	for cmd in plan "apply --yes" facts; do
		# shellcheck disable=SC2086
		out=$("$BERTH" $cmd -i "$dir/$case.yaml" 2>&1 </dev/null)
		rc=$?
		if [ $rc -eq 2 ] && printf '%s' "$out" | grep -Eq "$dir/$case.yaml:[0-9]+:[0-9]+: "; then
			ok "berth ${cmd% *} on an inventory with a $case error exits 2 naming file:line:column"
		else
			not_ok "berth ${cmd% *} on an inventory with a $case error exits 2 naming file:line:column" "exit $rc" "$out"
		fi
	done
	diag "$("$BERTH" validate -i "$dir/$case.yaml" 2>&1)"
done
after=$(sshd_connections)
[ "$before" = "$after" ] && ok "no host was contacted (sshd accepted no connection)" ||
	not_ok "no host was contacted (sshd accepted no connection)" "before $before, after $after"
rm -rf "$dir"
true
