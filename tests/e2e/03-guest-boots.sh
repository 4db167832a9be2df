# A lab guest defined on h1 boots and answers ping and its command port from
# the controller; its domain type is the lab setting.
. "$(dirname "$0")/lib.sh"
lab_guard

check "guest e2e-g1 is defined on h1" guest_define h1 e2e-g1 9 || exit 0
type=$(lab_virsh h1 dumpxml e2e-g1 | sed -n "s/^<domain type='\([a-z]*\)'.*/\1/p")
if [ "$type" = "$LAB_DOMAIN_TYPE" ]; then
	ok "the guest's domain type is the lab setting ($LAB_DOMAIN_TYPE)"
else
	not_ok "the guest's domain type is the lab setting ($LAB_DOMAIN_TYPE)" "got: $type"
fi
t0=$SECONDS
check "guest e2e-g1 starts on h1" lab_virsh h1 start e2e-g1 || exit 0
if wait_until 30 pings "$(lab_guest_ip 9)"; then
	ok "guest e2e-g1 answers ping from the controller"
	diag "first reply $((SECONDS - t0)) s after start"
else
	not_ok "guest e2e-g1 answers ping from the controller" "no reply in 30 s"
	lab_virsh h1 console e2e-g1 --force </dev/null 2>&1 | tail -5 | sed 's/^/#   /' || true
fi
out=$("$GUEST/cmd" "$(lab_guest_ip 9)" ping 2>&1)
if [ "$out" = "pong e2e-g1" ]; then
	ok "the guest's command port answers"
else
	not_ok "the guest's command port answers" "got: $out"
fi
if [ "$(domain_state h2 e2e-g1)" = absent ]; then
	ok "the guest is unknown to h2"
else
	not_ok "the guest is unknown to h2"
fi
true
