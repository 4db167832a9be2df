# Hosts have separate network stacks: a bridge made on h1 is absent on h2,
# and each host sees only its own links.
. "$(dirname "$0")/lib.sh"
lab_guard

check "a bridge can be made on h1" lab_ssh h1 ip link add e2etest0 type bridge
check "the bridge is present on h1" lab_ssh h1 ip link show e2etest0
check_fails "the bridge is absent on h2" lab_ssh h2 ip link show e2etest0
check_fails "the bridge is absent on the controller" ip link show e2etest0
check "the bridge is removed from h1" lab_ssh h1 ip link del e2etest0
out=$(lab_ssh h2 'ls /sys/class/net | tr "\n" " "')
if [ "$out" = "br0 eth0 lo " ]; then
	ok "h2's /sys/class/net shows only its own links"
else
	not_ok "h2's /sys/class/net shows only its own links" "got: $out"
fi
out=$(lab_ssh h1 ip -4 -o addr show dev br0)
case "$out" in
*" $(lab_host_ip 1)/$LAB_PREFIX "*) ok "h1's address sits on br0, eth0 is its uplink" ;;
*) not_ok "h1's address sits on br0, eth0 is its uplink" "got: $out" ;;
esac
has_default_route() { [ -n "$(lab_ssh "$1" ip route show default)" ]; }
for h in "${LAB_HOSTS[@]}"; do
	check_fails "$h has no default route (lab traffic cannot leave the lab)" has_default_route "$h"
done
true
