# `labctl up` on a running lab says so and changes nothing; status reports
# every daemon.
. "$(dirname "$0")/lib.sh"

before=$("$LABCTL" status)
out=$("$LABCTL" up 2>&1)
rc=$?
case "$out" in
"lab is already up"*) [ $rc -eq 0 ] && ok "up on a running lab says so and exits 0" ||
	not_ok "up on a running lab says so and exits 0" "exit $rc" ;;
*) not_ok "up on a running lab says so and exits 0" "got: $out" ;;
esac
after=$("$LABCTL" status)
[ "$before" = "$after" ] && ok "up on a running lab changes nothing" ||
	not_ok "up on a running lab changes nothing" "before: $before" "after: $after"
case "$after" in
*"h3 "*"sshd libvirtd virtlogd nfs-ganesha"*) ok "status shows sshd, libvirtd, virtlogd on each host and nfs-ganesha on h3" ;;
*) not_ok "status shows sshd, libvirtd, virtlogd on each host and nfs-ganesha on h3" "got: $after" ;;
esac
inv=$("$LABCTL" inventory)
if [ "$inv" = "$(cat "$E2E_TOP/inventories/lab/inventory.yaml")" ]; then
	ok "inventories/lab/inventory.yaml is what labctl writes"
else
	not_ok "inventories/lab/inventory.yaml is what labctl writes" "regenerate it: lab/labctl inventory > inventories/lab/inventory.yaml"
fi
true
