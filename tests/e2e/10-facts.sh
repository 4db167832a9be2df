# berth facts against the lab: every host gathered over SSH and libvirt, a
# guest seen with its state, memory and NIC, an export's files on h3, a host
# whose key does not match known_hosts refused with its fingerprint while
# the others are still gathered, and an address nobody answers given up
# within seconds.
. "$(dirname "$0")/lib.sh"
lab_guard

BERTH=${BERTH:-$E2E_TOP/build/asan/cli/berth}
GUEST_NAME=e2e-facts
GUEST_N=20
MARKER=e2e-facts-marker.qcow2
tmp=$(mktemp -d)

cleanup() {
	lab_virsh h1 destroy "$GUEST_NAME" >/dev/null 2>&1
	lab_virsh h1 undefine "$GUEST_NAME" >/dev/null 2>&1
	rm -f "$LAB_EXPORT/$MARKER"
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -x "$BERTH" ]; then
	not_ok "berth is built" "no $BERTH (tests/run builds build/asan; or set BERTH)"
	exit 0
fi

# jq_check DESCRIPTION FILE FILTER [ARGS...]: ok if the jq filter is true.
jq_check() {
	local desc=$1 file=$2 filter=$3
	shift 3
	if jq -e "$@" "$filter" "$file" >/dev/null 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "jq filter failed: $filter"
		jq -c '.hosts[] | {name, reachable, error}' "$file" 2>&1 | sed 's/^/#   /'
	fi
}

# The lab inventory, with the export as storage if it does not have one yet.
inv=$tmp/inventory.yaml
cp "$E2E_TOP/inventories/lab/inventory.yaml" "$inv"
if ! grep -q '^storage:' "$inv"; then
	printf 'storage:\n  e2e-share:\n    server: %s\n    export: %s\n' \
		"$LAB_STORAGE_HOST" "$LAB_EXPORT" >> "$inv"
fi
: > "$LAB_EXPORT/$MARKER"

check "a lab guest is defined and started on h1" guest_define h1 "$GUEST_NAME" "$GUEST_N"
lab_virsh h1 start "$GUEST_NAME" >/dev/null 2>&1

# 1. All three hosts, everything the facts hold.
facts=$tmp/facts.json
start=$(date +%s%N)
if "$BERTH" facts -i "$inv" -o "$facts" 2> "$tmp/stderr"; then
	ok "berth facts on the lab inventory exits 0 ($(( ($(date +%s%N) - start) / 1000000 )) ms)"
else
	not_ok "berth facts on the lab inventory exits 0" "stderr: $(cat "$tmp/stderr")"
fi
if [ -s "$tmp/stderr" ]; then
	not_ok "no warning when every host answers" "stderr: $(cat "$tmp/stderr")"
else
	ok "no warning when every host answers"
fi
jq_check "the facts keep the inventory's host order" "$facts" \
	'[.hosts[].name] == ["h1", "h2", "h3"] and .format_version == 1'
for i in 1 2 3; do
	h=h$i
	jq_check "$h is reachable with hostname, fqdn $h.lab and its address" "$facts" \
		'.hosts[] | select(.name == $h) | .reachable and .error == null
		 and .hostname == $h and .fqdn == $h + ".lab" and (.addresses | index($ip) != null)' \
		--arg h "$h" --arg ip "$(lab_host_ip "$h")"
	jq_check "$h: x86_64, CPU vendor and model, memory, libvirt and QEMU versions" "$facts" \
		'.hosts[] | select(.name == $h) | .arch == "x86_64" and .cpu.vendor != null
		 and .cpu.model != null and .memory.total_kib > 0 and .memory.free_kib > 0
		 and .memory.free_kib <= .memory.total_kib
		 and .libvirt_version >= 1000000 and .qemu_version >= 1000000' --arg h "$h"
	jq_check "$h: br0 among its bridges" "$facts" \
		'.hosts[] | select(.name == $h) | .bridges | index("br0") != null' --arg h "$h"
done
jq_check "each host has its own host UUID" "$facts" \
	'[.hosts[].host_uuid | select(. != null)] | length == 3 and (unique | length) == 3'
jq_check "h3's export lists its files" "$facts" \
	'.hosts[] | select(.name == "h3") | .exports[] | select(.path == $p) | .files | index($f) != null' \
	--arg p "$LAB_EXPORT" --arg f "$MARKER"
jq_check "hosts that serve no export have none" "$facts" \
	'[.hosts[] | select(.name != "h3") | .exports | length] == [0, 0]'
jq_check "the guest on h1: running, persistent, 128 MiB, 1 vCPU, its MAC on br0" "$facts" \
	'.hosts[0].domains[] | select(.name == $g) | .state == "running" and .persistent
	 and .autostart == false and .memory_kib == 131072 and .vcpus == 1
	 and .nics == [{"mac": $mac, "bridge": "br0", "model": "virtio"}]
	 and (.uuid | length) == 36 and (.xml | startswith("<domain"))' \
	--arg g "$GUEST_NAME" --arg mac "$(lab_guest_mac "$GUEST_N")"
jq_check "the guest is on h1 only" "$facts" \
	'[.hosts[] | select(.domains | map(.name) | index($g) != null) | .name] == ["h1"]' \
	--arg g "$GUEST_NAME"

# 2. h2's known_hosts entry holds h3's key: h2 is refused, with the key
# it really presented, and h1 and h3 are still gathered.
bad_known_hosts=$tmp/known_hosts
h3_key=$(awk -v n="$(lab_fqdn h3)" 'index($1, n) == 1 { print $2, $3 }' "$LAB_KNOWN_HOSTS")
awk -v n="$(lab_fqdn h2)" -v k="$h3_key" 'index($1, n) == 1 { print $1, k; next } { print }' \
	"$LAB_KNOWN_HOSTS" > "$bad_known_hosts"
sed "s|known_hosts: .*|known_hosts: $bad_known_hosts|" "$inv" > "$tmp/bad-key.yaml"
h2_fp=$(ssh-keygen -lf "$LAB_DIR/h2/ssh_host_ed25519_key.pub" | awk '{ print $2 }')
facts=$tmp/bad-key.json
if "$BERTH" facts -i "$tmp/bad-key.yaml" -o "$facts" 2> "$tmp/stderr"; then
	ok "berth facts exits 0 when one host's key does not match"
else
	not_ok "berth facts exits 0 when one host's key does not match" "stderr: $(cat "$tmp/stderr")"
fi
jq_check "h2 is unreachable: its key does not match, with the SHA256 fingerprint ssh-keygen prints" \
	"$facts" '.hosts[1] | .reachable == false and .fqdn == null and (.error | startswith($e))' \
	--arg e "host 'h2': host key for 'h2.lab' does not match known_hosts '$bad_known_hosts': got $h2_fp"
jq_check "h1 and h3 are still gathered" "$facts" \
	'[.hosts[] | select(.reachable) | .name] == ["h1", "h3"]'
if grep -q "^berth: warning: host 'h2' is unreachable: host key for 'h2.lab' does not match" "$tmp/stderr" &&
	[ "$(wc -l < "$tmp/stderr")" -eq 1 ]; then
	ok "one warning line names the unreachable host"
else
	not_ok "one warning line names the unreachable host" "stderr: $(cat "$tmp/stderr")"
fi

# 3. A host whose key is not in known_hosts at all.
grep -v "^$(lab_fqdn h2)" "$LAB_KNOWN_HOSTS" > "$bad_known_hosts"
"$BERTH" facts -i "$tmp/bad-key.yaml" -o "$facts" 2>/dev/null
jq_check "a host missing from known_hosts is unreachable, named with its fingerprint" "$facts" \
	'.hosts[1].error == $e' \
	--arg e "host 'h2': host key for 'h2.lab' is not in known_hosts '$bad_known_hosts' ($h2_fp)"

# 4. An address nobody answers: given up within seconds, the others gathered.
sed "s|address: $(lab_fqdn h2)|address: 198.18.0.99|" "$inv" > "$tmp/no-host.yaml"
facts=$tmp/no-host.json
start=$SECONDS
"$BERTH" facts -i "$tmp/no-host.yaml" -o "$facts" 2>/dev/null
took=$((SECONDS - start))
if [ "$took" -le 8 ]; then
	ok "an address nobody answers is given up in $took s"
else
	not_ok "an address nobody answers is given up within 8 s" "took $took s"
fi
jq_check "the silent host is unreachable with the address in its error" "$facts" \
	'.hosts[1] | .reachable == false and (.error | startswith($e))' \
	--arg e "host 'h2': cannot connect to '198.18.0.99' port 22: "
jq_check "the other hosts are still gathered" "$facts" \
	'[.hosts[] | select(.reachable) | .name] == ["h1", "h3"]'

# 5. Exit statuses: a bad inventory or command line is 2, before any host
# is asked; output that cannot be written is a local failure, 1.
# expect_exit STATUS STDERR-PART DESCRIPTION CMD...
expect_exit() {
	local status=$1 part=$2 desc=$3 rc
	shift 3
	"$@" > /dev/null 2> "$tmp/stderr"
	rc=$?
	if [ "$rc" -eq "$status" ] && grep -qF -- "$part" "$tmp/stderr"; then
		ok "$desc"
	else
		not_ok "$desc" "exit $rc, stderr: $(cat "$tmp/stderr")"
	fi
}
printf 'hosts:\n  h1:\n    port: many\n' > "$tmp/invalid.yaml"
expect_exit 2 "invalid.yaml:3:11: " "an invalid inventory exits 2" \
	"$BERTH" facts -i "$tmp/invalid.yaml"
expect_exit 2 "missing option '--inventory'" "no inventory exits 2" "$BERTH" facts
expect_exit 1 "berth: cannot write '$tmp/none/facts.json': No such file or directory" \
	"output that cannot be written exits 1" "$BERTH" facts -i "$inv" -o "$tmp/none/facts.json"
true
