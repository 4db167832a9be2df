# Fault: the NFS server (nfs-ganesha on h3) stopped before a start.  QEMU
# cannot open the guest's image, the start step fails saying so and what a
# failed start leaves, the guest stays defined and shut off on its one
# host; with the server back a re-run starts it.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
off=$(mktemp --suffix=.yaml)
awk '$0 == "  web2:" { inside = 1 } inside && /^    state: / { $0 = "    state: shutoff" } { print }' \
	"$base" > "$off"
check "web2 is shut down on h2" "$BERTH" apply -i "$off" --yes

ganesha_stop && ok "nfs-ganesha on h3 is stopped" || not_ok "nfs-ganesha on h3 is stopped"

out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"start web2 on h2: FAILED"*"a failed start leaves the domain defined and shut off on its host"*)
	[ $rc -ne 0 ] && ok "the start fails, and berth says what a failed start leaves" ||
		not_ok "the start fails, and berth says what a failed start leaves" "exit $rc" ;;
*) not_ok "the start fails, and berth says what a failed start leaves" "exit $rc" ;;
esac
case "$out" in
*"Failed to mount nfs share"*) ok "the message names the NFS share QEMU could not mount" ;;
*) not_ok "the message names the NFS share QEMU could not mount" ;;
esac
[ "$(where web2)" = "h1=absent h2=shut off h3=absent" ] && ok "web2 is shut off and defined on h2 only" ||
	not_ok "web2 is shut off and defined on h2 only" "$(where web2)"

ganesha_start && ok "nfs-ganesha on h3 serves again" || not_ok "nfs-ganesha on h3 serves again"
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && [ "$(where web2)" = "h1=absent h2=running h3=absent" ] &&
	ok "with the server back, a re-run starts web2" ||
	not_ok "with the server back, a re-run starts web2" "exit $rc, $(where web2)"
if wait_until 40 pings "$(lab_guest_ip 2)"; then
	ok "web2 answers ping again"
else
	not_ok "web2 answers ping again"
fi
rm -f "$base" "$off"
true
