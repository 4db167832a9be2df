# Helpers for end-to-end scenarios: TAP output and the lab's commands.
# Sourced by each tests/e2e/NN-*.sh, which the harness (tests/e2e/run) runs
# in order against one lab. A scenario prints "ok - ..." / "not ok - ..."
# lines; the harness numbers them and counts.

E2E_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$E2E_TOP/lab/lib.sh"
LABCTL=$E2E_TOP/lab/labctl
GUEST=$E2E_TOP/lab/guest

ok() { echo "ok - $*"; }

not_ok() {
	echo "not ok - $1"
	shift
	local line
	for line in "$@"; do echo "# $line"; done
}

# diag TEXT: a comment line in the TAP stream, shown but not counted.
diag() { echo "# $*"; }

# check DESCRIPTION CMD...: runs CMD; ok if it exits 0, else not ok with its
# output as diagnostics.
check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		ok "$desc"
	else
		not_ok "$desc" "command failed: $*"
		printf '%s\n' "$out" | sed 's/^/#   /'
		return 1
	fi
}

# check_fails DESCRIPTION CMD...: ok if CMD exits non-zero.
check_fails() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		not_ok "$desc" "command unexpectedly succeeded: $*"
		printf '%s\n' "$out" | sed 's/^/#   /'
		return 1
	fi
	ok "$desc"
}

lab_ssh() { "$LABCTL" ssh "$@"; }
lab_virsh() { "$LABCTL" virsh "$@"; }

# wait_until SECONDS CMD...: retries CMD every 100 ms until it succeeds.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

pings() { lab_guard && ping -c 1 -W 1 "$1"; }


# guest_define HOST NAME N: defines lab guest N (address and MAC from N).
guest_define() {
	local xml
	xml=$(mktemp)
	BERTH_GUEST_IMAGES=$LAB_IMAGES "$GUEST/domain-xml" "$2" "$(lab_guest_ip "$3")/$LAB_PREFIX" "$(lab_guest_mac "$3")" > "$xml"
	lab_virsh "$1" define "$xml" >/dev/null
	local rc=$?
	rm -f "$xml"
	return $rc
}

# domain_state HOST NAME: prints the domain's state on HOST, or "absent".
domain_state() {
	lab_virsh "$1" domstate "$2" 2>/dev/null || echo absent
}

# The berth under test: the sanitizer build tests/run makes, unless BERTH
# names another.
BERTH=${BERTH:-$E2E_TOP/build/asan/cli/berth}
LAB_INVENTORY=$E2E_TOP/inventories/lab/inventory.yaml

# inventory_moving DOMAIN HOST: prints the path of a copy of the lab
# inventory in which DOMAIN is placed on HOST (the caller removes it).
inventory_moving() {
	local copy
	copy=$(mktemp --suffix=.yaml)
	awk -v dom="  $1:" -v host="$2" '
		$0 == dom { inside = 1 }
		/^  [a-z0-9]+:$/ && $0 != dom { inside = 0 }
		inside && /^    host: / { $0 = "    host: " host }
		{ print }' "$LAB_INVENTORY" > "$copy"
	echo "$copy"
}

# domain_id HOST NAME: libvirt's id of a running domain (it changes on
# every start), or "-".
domain_id() { lab_virsh "$1" domid "$2" 2>/dev/null || echo -; }

# sshd_connections: how many SSH connections the lab hosts have accepted.
sshd_connections() { cat "$LAB_DIR"/h*/sshd.log 2>/dev/null | grep -c 'Accepted publickey' || true; }

# The lab's guests as the harness has seen them: once defined, an inventory
# guest must stay defined on exactly one host (none is lost).
E2E_SEEN_GUESTS=${E2E_SEEN_GUESTS:-/tmp/berth-e2e-seen-guests}

# check_guests_on_one_host NAME: the shared check every scenario ends with
# (the harness runs it after each one): no domain is defined or running on
# two hosts at once, and no inventory guest that existed has been lost.
check_guests_on_one_host() {
	local what=$1 h names bad="" name count
	declare -A defined=()
	for h in h1 h2 h3; do
		names=$(lab_virsh "$h" list --all --name 2>/dev/null) || continue
		for name in $names; do
			defined[$name]="${defined[$name]:-}$h "
		done
	done
	for name in "${!defined[@]}"; do
		count=$(wc -w <<<"${defined[$name]}")
		[ "$count" -gt 1 ] && bad="$bad $name defined on ${defined[$name]};"
		case "$name" in web[0-9]*) grep -qx "$name" "$E2E_SEEN_GUESTS" 2>/dev/null ||
			echo "$name" >> "$E2E_SEEN_GUESTS" ;;
		esac
	done
	if [ -f "$E2E_SEEN_GUESTS" ]; then
		while read -r name; do
			[ -n "${defined[$name]:-}" ] || bad="$bad $name is defined on no host (lost);"
		done < "$E2E_SEEN_GUESTS"
	fi
	[ -z "$bad" ] && ok "$what: every guest is defined on exactly one host" ||
		not_ok "$what: every guest is defined on exactly one host" "$bad"
}

# report_silent_guests WHAT: a diagnostic line for each lab guest (web1,
# web2) that libvirt says runs but that does not answer ping, so that the
# scenario that leaves a guest hung or cut off shows.  A diagnostic, not a
# check: which fault scenario leaves web2 silent now and then is not known
# yet (36 boots it again when it finds it so).
report_silent_guests() {
	local what=$1 n h
	for n in 1 2; do
		for h in h1 h2 h3; do
			[ "$(lab_virsh "$h" domstate "web$n" 2>/dev/null | head -n 1)" = running ] || continue
			pings "$(lab_guest_ip "$n")" >/dev/null 2>&1 ||
				pings "$(lab_guest_ip "$n")" >/dev/null 2>&1 ||
				diag "$what: web$n runs on $h but does not answer ping"
		done
	done
}

# The lab inventory with web2 on h2, where scenarios 26 and later leave it;
# the caller removes it.
inventory_base() { inventory_moving web2 h2; }

# inventory_from BASE DOMAIN HOST: like inventory_moving, starting from BASE.
inventory_from() { LAB_INVENTORY=$1 inventory_moving "$2" "$3"; }

# virsh_migrate NAME FROM TO: a live migration by hand, as an operator would.
virsh_migrate() {
	lab_virsh "$2" migrate --live --p2p --persistent --undefinesource "$1" \
		"qemu+ssh://root@$3.lab/system" >/dev/null
}

# berth_sigint_able ARGS...: runs berth in the background with SIGINT at its
# default (a background job of a script ignores it otherwise), output to
# $BERTH_OUT; sets BERTH_PID.
berth_sigint_able() {
	BERTH_OUT=$(mktemp)
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$BERTH" "$@" > "$BERTH_OUT" 2>&1 &
	BERTH_PID=$!
}

# where NAME: "h1=running h2=absent h3=absent"
where() { echo "h1=$(domain_state h1 "$1") h2=$(domain_state h2 "$1") h3=$(domain_state h3 "$1")"; }

# settled NAME: NAME runs on exactly one host and is absent from the others.
settled() {
	local w
	w=$(where "$1")
	[ "$(grep -o '=running' <<<"$w" | wc -l)" -eq 1 ] && [ "$(grep -o '=absent' <<<"$w" | wc -l)" -eq 2 ]
}

# guest_cmd IP COMMAND...: prints the guest's reply to one command-port
# request (lab/guest/README.md), asking again for up to 20 s while nothing
# answers (a guest just started opens its port last).
guest_cmd() {
	local ip=$1 reply answered= mac h
	shift
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		reply=$("$GUEST/cmd" "$ip" "$@" 2>&1)
		case "$reply" in "no reply from"*) sleep 2 ;; *) answered=1; break ;; esac
	done
	printf '%s\n' "$reply"
	[ -n "$answered" ] && return 0
	# No answer at all: say (on stderr, the reply is the output) whether it
	# pings, and where the lab's switch and the hosts think the guest is.
	{
	pings "$ip" >/dev/null 2>&1 && diag "guest_cmd: $ip answers ping" || diag "guest_cmd: $ip does not answer ping"
	mac=$(ip neigh show "$ip" dev "$LAB_BRIDGE" 2>/dev/null | awk '{ print $3 }')
	diag "guest_cmd: no reply from $ip; neighbour: $(ip neigh show "$ip" 2>/dev/null)"
	[ -n "$mac" ] && diag "guest_cmd: berthlab0 fdb: $(bridge fdb show br "$LAB_BRIDGE" 2>/dev/null | grep -i "$mac" | tr '\n' ';')"
	for h in h1 h2 h3; do
		diag "guest_cmd: $h: $(lab_virsh "$h" list --name 2>/dev/null | tr '\n' ' ')"
	done
	} >&2
}

# migrating HOST NAME: a migration job of domain NAME runs on HOST.
migrating() { lab_virsh "$1" domjobinfo "$2" 2>/dev/null | grep -q 'Unbounded'; }

# wait_or_stop PID SECONDS: waits up to SECONDS for process PID to end;
# returns 1 if it had to be stopped (SIGINT, then SIGKILL 10 s later).
wait_or_stop() {
	local waited=0
	while kill -0 "$1" 2>/dev/null && [ $waited -lt "$2" ]; do
		sleep 1
		waited=$((waited + 1))
	done
	kill -0 "$1" 2>/dev/null || return 0
	kill -INT "$1"
	sleep 10
	kill -KILL "$1" 2>/dev/null
	return 1
}

# ganesha_stop: stops h3's nfs-ganesha; fails if it was not running.
ganesha_stop() {
	local pid
	pid=$(cat "$LAB_DIR/h3/run/ganesha/ganesha.pid" 2>/dev/null) && [ -n "$pid" ] &&
		kill "$pid" && wait_until 20 sh -c "! kill -0 $pid 2>/dev/null"
}

# ganesha_start: starts h3's nfs-ganesha again as lab/labctl does, and
# waits (up to 30 s) for it to take NFS connections.
ganesha_start() {
	"$LABCTL" exec h3 ganesha.nfsd -f "$LAB_DIR/h3/ganesha.conf" -L "$LAB_DIR/h3/ganesha.log" \
		-p /run/ganesha/ganesha.pid -N NIV_EVENT
	wait_until 30 bash -c "exec 3<>/dev/tcp/$(lab_host_ip 3)/2049"
}
