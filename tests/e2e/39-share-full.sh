# Fault: the share full during image-create.  A second storage entry on h3
# whose export is a 64 KiB tmpfs (mounted in h3's namespace only): qemu-img
# cannot write a qcow2 header there, the image-create step fails with its
# error, leaves no file behind, and nothing is defined; with room on the
# share a re-run creates the image and defines the domain.
. "$(dirname "$0")/lib.sh"
lab_guard

small=$LAB_DIR/small
mkdir -p "$small"
"$LABCTL" exec h3 mount -t tmpfs -o size=64k,mode=0755 berth-small "$small"
inv=$(mktemp --suffix=.yaml)
sed '/^storage:$/a\  small:\n    server: h3\n    export: '"$small" "$LAB_INVENTORY" > "$inv"
cat >> "$inv" <<EOF
  small1:
    host: h1
    state: shutoff
    memory: 64M
    vcpus: 1
    disks:
      - storage: small
        image: small1.qcow2
        size: 64M
    nics:
      - bridge: br0
        mac: "52:54:00:18:00:7f"
EOF
# The rest of the lab as scenario 38 leaves it: web2 on h2.
placed=$(inventory_from "$inv" web2 h2)

out=$("$BERTH" apply -i "$placed" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"image-create $small/small1.qcow2 on h3"*FAILED*"No space left on device"*)
	[ $rc -ne 0 ] && ok "image-create fails on the full share, with qemu-img's error" ||
		not_ok "image-create fails on the full share, with qemu-img's error" "exit $rc" ;;
*) not_ok "image-create fails on the full share, with qemu-img's error" "exit $rc" ;;
esac
if "$LABCTL" exec h3 test -e "$small/small1.qcow2"; then
	not_ok "no partial image is left on the share"
else
	ok "no partial image is left on the share"
fi
[ "$(where small1)" = "h1=absent h2=absent h3=absent" ] && ok "small1 is defined nowhere" ||
	not_ok "small1 is defined nowhere" "$(where small1)"

"$LABCTL" exec h3 umount "$small"
out=$("$BERTH" apply -i "$placed" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && [ -s "$small/small1.qcow2" ] && [ "$(where small1)" = "h1=shut off h2=absent h3=absent" ] &&
	ok "with room on the share, a re-run creates the image and defines small1 on h1" ||
	not_ok "with room on the share, a re-run creates the image and defines small1 on h1" \
		"exit $rc, $(where small1)"

lab_virsh h1 undefine small1 >/dev/null 2>&1
rm -rf "$small" "$inv" "$placed"
true
