# check_lab_clean: ok/not ok lines proving nothing of the lab remains.
check_lab_clean() {
	local what=$1 me n p count=0 left
	me=$(readlink /proc/self/ns/net)
	for p in /proc/[0-9]*; do
		n=$(readlink "$p/ns/net" 2>/dev/null) || continue
		[ "$n" != "$me" ] && count=$((count + 1))
	done
	[ "$count" -eq 0 ] && ok "$what: no process runs in another network namespace" ||
		not_ok "$what: no process runs in another network namespace" "$count processes"
	left=$(ls /run/netns 2>/dev/null | grep berthlab || true)
	[ -z "$left" ] && ok "$what: no lab network namespace remains" ||
		not_ok "$what: no lab network namespace remains" "$left"
	left=$(findmnt -rn -o TARGET,SOURCE | grep -E 'berth-lab|/run/netns|nsfs' || true)
	[ -z "$left" ] && ok "$what: nothing lab-related is mounted" ||
		not_ok "$what: nothing lab-related is mounted" "$left"
	left=$(ip -4 route show table all | grep -E '^(blackhole |broadcast |local )?198\.1[89]\.' || true)
	[ -z "$left" ] && ok "$what: no route to the lab subnet remains" ||
		not_ok "$what: no route to the lab subnet remains" "$left"
	left=$(ip -o link show | grep -E "$LAB_BRIDGE|bl-h[0-9]" || true)
	[ -z "$left" ] && ok "$what: no lab bridge or veth remains" ||
		not_ok "$what: no lab bridge or veth remains" "$left"
	left=$(find /sys/fs/cgroup -maxdepth 6 -type d -name berth-lab 2>/dev/null || true)
	[ -z "$left" ] && ok "$what: no lab cgroup remains" ||
		not_ok "$what: no lab cgroup remains" "$left"
	[ ! -e "$LAB_DIR" ] && ok "$what: the lab directory is gone" ||
		not_ok "$what: the lab directory is gone" "$LAB_DIR exists"
	left=$(grep -E "\.$LAB_DOMAIN( |$)" /etc/hosts || true)
	[ -z "$left" ] && ok "$what: /etc/hosts has no lab names" ||
		not_ok "$what: /etc/hosts has no lab names" "$left"
}
