# Every host answers over SSH with strict host-key checking and over libvirt
# through qemu+libssh2 with the lab key and known_hosts; a wrong host key is
# refused.
. "$(dirname "$0")/lib.sh"
lab_guard

for h in "${LAB_HOSTS[@]}"; do
	out=$(lab_ssh "$h" hostname 2>&1)
	if [ "$out" = "$h" ]; then
		ok "ssh to $h with strict host-key checking runs a command there"
	else
		not_ok "ssh to $h with strict host-key checking runs a command there" "got: $out"
	fi
	# libvirt reports the host's canonical name, as migration needs it.
	out=$(lab_virsh "$h" hostname 2>&1)
	if [ "$out" = "$(lab_fqdn "$h")" ]; then
		ok "libvirt on $h answers over qemu+libssh2 with its FQDN"
	else
		not_ok "libvirt on $h answers over qemu+libssh2 with its FQDN" "got: $out"
	fi
	uuid=$(lab_virsh "$h" capabilities 2>/dev/null | sed -n 's:.*<uuid>\(.*\)</uuid>.*:\1:p' | head -1)
	echo "$uuid" >> "${TMPDIR:-/tmp}/berth-e2e-uuids.$$"
done
count=$(sort -u "${TMPDIR:-/tmp}/berth-e2e-uuids.$$" | grep -c .)
rm -f "${TMPDIR:-/tmp}/berth-e2e-uuids.$$"
if [ "$count" -eq "${#LAB_HOSTS[@]}" ]; then
	ok "each host's libvirtd has its own host UUID"
else
	not_ok "each host's libvirtd has its own host UUID" "distinct UUIDs: $count"
fi

# Strictness: a known_hosts with h2's key filed under h1's names must fail.
bad=$(mktemp)
sed -n "s/^$(lab_fqdn h2),$(lab_host_ip 2) /$(lab_fqdn h1),$(lab_host_ip 1) /p" "$LAB_KNOWN_HOSTS" > "$bad"
check_fails "ssh refuses h1 when known_hosts holds another key for it" \
	ssh -F none -i "$LAB_KEY" -o IdentitiesOnly=yes -o UserKnownHostsFile="$bad" \
	-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes \
	"root@$(lab_fqdn h1)" true
check_fails "libvirt over libssh2 refuses h1 when known_hosts holds another key for it" \
	virsh -q -c "qemu+libssh2://root@$(lab_fqdn h1)/system?keyfile=$LAB_KEY&known_hosts=$bad&known_hosts_verify=normal&sshauth=privkey" hostname
rm -f "$bad"

check_fails "password login is refused (key-only root login)" \
	ssh -F none -o PubkeyAuthentication=no -o PreferredAuthentications=password \
	-o UserKnownHostsFile="$LAB_KNOWN_HOSTS" -o StrictHostKeyChecking=yes -o BatchMode=yes \
	"root@$(lab_fqdn h1)" true
true
