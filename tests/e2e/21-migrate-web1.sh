# Placing web1 on h2 in the inventory: the plan is one live migration (and
# the lease of its image); while
# berth applies it a 100 Hz ping keeps answering and the guest keeps
# dirtying memory; afterwards web1 runs on h2 only, persistent there, its
# memory intact; applying again changes nothing.
. "$(dirname "$0")/lib.sh"
lab_guard

inv=$(inventory_moving web1 h2)
ip=$(lab_guest_ip 1)
plan=$("$BERTH" plan -i "$inv" --json 2>&1)
kinds=$(printf '%s\n' "$plan" | grep -o '"kind": "[a-z-]*"' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
case "$kinds" in
" 1 \"kind\": \"lease\"; 1 \"kind\": \"migrate-live\"; 1 \"kind\": \"verify\";")
	ok "the plan is one live migration, the lease of its image, and its verification" ;;
*) not_ok "the plan is one live migration, the lease of its image, and its verification" "kinds: $kinds" ;;
esac
"$BERTH" plan -i "$inv" 2>&1 | sed 's/^/# /'

check "web1 starts dirtying 32 MiB of its memory" "$GUEST/cmd" "$ip" dirty start 32
web2_id=$(domain_id h1 web2)
log=$(mktemp)
ping -D -i 0.01 -W 1 -w 15 "$ip" > "$log" 2>&1 &
pinger=$!
sleep 1
out=$("$BERTH" apply -i "$inv" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
[ $rc -eq 0 ] && ok "berth apply migrates web1 to h2" || not_ok "berth apply migrates web1 to h2" "exit $rc"
wait "$pinger"
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$log")
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$log")
gap=$(awk -F'[][]' '/bytes from/ { t = $2 + 0; if (last != "" && t - last > max) max = t - last; last = t }
	END { printf "%d", max * 1000 }' "$log")
rm -f "$log"
diag "100 Hz ping during berth's migration: $recv of $sent replies, longest gap $gap ms"
if [ -n "$sent" ] && [ "$sent" -gt 0 ] && [ $(((sent - recv) * 100)) -le $((sent * 10)) ]; then
	ok "ping lost at most 10 % of packets during the migration"
else
	not_ok "ping lost at most 10 % of packets during the migration" "sent $sent, received $recv"
fi
[ -n "$gap" ] && [ "$gap" -lt 1000 ] && ok "the longest gap between ping replies was under 1 s" ||
	not_ok "the longest gap between ping replies was under 1 s" "gap $gap ms"
[ "$(domain_state h2 web1)" = running ] && ok "web1 runs on h2" ||
	not_ok "web1 runs on h2" "state: $(domain_state h2 web1)"
[ "$(lab_virsh h2 dominfo web1 2>/dev/null | awk '/^Persistent:/ {print $2}')" = yes ] &&
	ok "web1 is persistent on h2" || not_ok "web1 is persistent on h2"
[ "$(domain_state h1 web1)" = absent ] && ok "web1 is undefined on h1" ||
	not_ok "web1 is undefined on h1" "state: $(domain_state h1 web1)"
[ "$(domain_state h3 web1)" = absent ] && ok "web1 is unknown to h3" || not_ok "web1 is unknown to h3"
out=$("$GUEST/cmd" "$ip" verify 2>&1)
case "$out" in
"ok verify "*) ok "web1's memory is intact after the migration ($out)" ;;
*) not_ok "web1's memory is intact after the migration" "got: $out" ;;
esac
[ "$(domain_id h1 web2)" = "$web2_id" ] && ok "web2 was left alone" || not_ok "web2 was left alone"

web1_id=$(domain_id h2 web1)
out=$("$BERTH" -v apply -i "$inv" --yes 2>&1)
rc=$?
case "$out" in
*"No changes."*) [ $rc -eq 0 ] && ok "a second apply prints no changes" ||
	not_ok "a second apply prints no changes" "exit $rc" ;;
*) not_ok "a second apply prints no changes" "$out" ;;
esac
if printf '%s\n' "$out" | grep -q 'virDomain'; then
	not_ok "a second apply makes no mutating libvirt call" "$out"
elif [ "$(domain_id h2 web1)" != "$web1_id" ] || [ "$(domain_id h1 web2)" != "$web2_id" ]; then
	not_ok "a second apply makes no mutating libvirt call" "a domain was restarted"
else
	ok "a second apply makes no mutating libvirt call (none logged, domain ids unchanged)"
fi
rm -f "$inv"
true
