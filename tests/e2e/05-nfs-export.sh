# h3 serves the lab's shared directory over NFS from user space (the kernel
# here has no NFS client): QEMU's own NFS client on h1 creates an image there
# and h2 reads it back.
. "$(dirname "$0")/lib.sh"
lab_guard

url="nfs://$(lab_fqdn "$LAB_STORAGE_HOST")$LAB_EXPORT/e2e-probe.qcow2"
check "h1 creates a qcow2 image on the NFS export with QEMU's NFS client" \
	lab_ssh h1 qemu-img create -q -f qcow2 "$url" 16M
check "the image lands in the exported directory" test -s "$LAB_EXPORT/e2e-probe.qcow2"
out=$(lab_ssh h2 qemu-img info "$url" 2>&1)
case "$out" in
*"file format: qcow2"*"virtual size: 16 MiB"*) ok "h2 reads the image back over NFS" ;;
*) not_ok "h2 reads the image back over NFS" "got: $out" ;;
esac
rm -f "$LAB_EXPORT/e2e-probe.qcow2"
true
