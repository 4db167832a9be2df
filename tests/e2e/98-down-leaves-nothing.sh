# `labctl down` ends every lab process (guests included) and leaves no
# namespace, mount, route, link or cgroup behind; a second down is a no-op.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/check-clean.sh"

out=$("$LABCTL" down 2>&1)
case "$out" in
"lab down in "*) ok "down brings the running lab down ($out)" ;;
*) not_ok "down brings the running lab down" "got: $out" ;;
esac
check_lab_clean "after down"
out=$("$LABCTL" down 2>&1)
[ "$out" = "lab is down (no change)" ] && ok "down on a stopped lab is a no-op" ||
	not_ok "down on a stopped lab is a no-op" "got: $out"
true
