# Shared by the lab scripts and the end-to-end tests: the lab's names,
# addresses and paths, and the leak guard. Sourced, never run.
#
# One lab at a time on a machine: every name below is fixed, and `labctl up`
# takes a lock, so a second lab cannot collide with the first.

LAB_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Not under /run, /etc, /var, /root or /tmp: each host mounts its own copy of
# those, and its overlays must not contain their own upper directories.
LAB_DIR=/srv/berth-lab
LAB_LOCK=/run/berth-lab.lock
LAB_CACHE=${BERTH_LAB_CACHE:-$LAB_TOP/build/lab-cache}

LAB_BRIDGE=berthlab0
LAB_SUBNET=198.18.0.0/24
# The whole benchmarking range is blackholed while the lab exists, so a lab
# address can never fall through to the default route.
LAB_GUARD=198.18.0.0/15
LAB_CONTROLLER=198.18.0.1
LAB_PREFIX=24
LAB_DOMAIN=lab
LAB_HOSTS=(h1 h2 h3)
LAB_STORAGE_HOST=h3
LAB_EXPORT=$LAB_DIR/share
# The guest image, copied here by `up`: the checkout may sit below a path
# (/tmp, /root) that each host mounts its own copy over.
LAB_IMAGES=$LAB_DIR/images
LAB_KEY=$LAB_DIR/id_ed25519
LAB_KNOWN_HOSTS=$LAB_DIR/known_hosts
# The domain type of lab guests: TCG here, because /dev/kvm on these machines
# cannot boot a stock kernel (LAB-NOTES.md). A lab setting, not a constant.
LAB_DOMAIN_TYPE=${BERTH_LAB_DOMAIN_TYPE:-qemu}

# lab_host_ip HOST: prints the address of h1, h2, ...
lab_host_ip() {
	local n=${1#h}
	echo "198.18.0.$((10 + n))"
}

# lab_guest_ip N, lab_guest_mac N: lab guest N's address (from .101 up)
# and its fixed MAC, derived from the address.
lab_guest_ip() { echo "198.18.0.$((100 + $1))"; }
lab_guest_mac() { printf '52:54:00:18:00:%02x\n' $((100 + $1)); }

lab_netns() { echo "berthlab-$1"; }

lab_fqdn() { echo "$1.$LAB_DOMAIN"; }

lab_die() {
	echo "labctl: $*" >&2
	exit 1
}

# lab_guard: refuse to send lab traffic unless the lab subnet is routed
# through the lab bridge. Every script that talks to lab addresses calls it.
lab_guard() {
	local route
	route=$(ip -4 route get "$(lab_host_ip 1)" 2>/dev/null) || route=""
	case "$route" in
	*"dev $LAB_BRIDGE "*) ;;
	*) lab_die "refusing to send lab traffic: $LAB_SUBNET is not routed via $LAB_BRIDGE (is the lab up?)" ;;
	esac
}

# The options every ssh to a lab host uses: the lab key, the lab known_hosts,
# strict host-key checking, no agent, no config from the user's ~/.ssh.
lab_ssh_opts() {
	echo "-F none -i $LAB_KEY -o IdentitiesOnly=yes -o UserKnownHostsFile=$LAB_KNOWN_HOSTS -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 -o LogLevel=ERROR"
}

# lab_libvirt_uri HOST: libvirt over libssh2 with the lab key and known_hosts.
lab_libvirt_uri() {
	echo "qemu+libssh2://root@$(lab_fqdn "$1")/system?keyfile=$LAB_KEY&known_hosts=$LAB_KNOWN_HOSTS&known_hosts_verify=normal&sshauth=privkey"
}
