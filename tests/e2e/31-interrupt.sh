# Ctrl-C during an apply, as Terraform does it: the first SIGINT starts
# nothing new and lets the running migrations end, berth names them and
# exits 130, and a re-run finishes the rest; a second SIGINT aborts the
# running migrations and every guest stays on its source only.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
one=$(inventory_from "$base" web1 h2)
swap=$(LAB_INVENTORY=$one inventory_moving web2 h1)
dir=$(mktemp -d)

# 1. One SIGINT while web1 and web2 swap hosts.
berth_sigint_able apply -i "$swap" --yes
wait_until 60 grep -q "Applying:" "$BERTH_OUT"
sleep 0.3
kill -INT "$BERTH_PID"
wait "$BERTH_PID"
rc=$?
sed 's/^/# /' "$BERTH_OUT"
[ $rc -eq 130 ] && ok "berth exits 130 after the first SIGINT" || not_ok "berth exits 130 after the first SIGINT" "exit $rc"
grep -q "in flight (let finish): .*migrate-live web1 from h1 to h2 (done)" "$BERTH_OUT" &&
	grep -q "in flight (let finish): .*migrate-live web2 from h2 to h1 (done)" "$BERTH_OUT" &&
	ok "the running migrations ended and are named" ||
	not_ok "the running migrations ended and are named"
grep -q "not run: .*verify" "$BERTH_OUT" && ok "the steps not run are named" || not_ok "the steps not run are named"
settled web1 && settled web2 && ok "each guest runs on exactly one host" ||
	not_ok "each guest runs on exactly one host" "web1: $(where web1); web2: $(where web2)"
rm -f "$BERTH_OUT"
out=$("$BERTH" apply -i "$swap" --yes 2>&1)
rc=$?
[ $rc -eq 0 ] && ok "a re-run finishes the rest" || not_ok "a re-run finishes the rest" "exit $rc" "$out"
[ "$(where web1)" = "h1=absent h2=running h3=absent" ] && [ "$(where web2)" = "h1=running h2=absent h3=absent" ] &&
	ok "the guests have swapped hosts" || not_ok "the guests have swapped hosts" "web1: $(where web1); web2: $(where web2)"

# 2. SIGTERM while berth still gathers facts: it ends at once, changing nothing.
"$BERTH" apply -i "$base" --yes > "$dir/term" 2>&1 &
pid=$!
sleep 0.1
kill -TERM "$pid"
wait "$pid"
rc=$?
sed 's/^/# /' "$dir/term"
[ $rc -eq 143 ] && grep -q "interrupted before any change: nothing was changed" "$dir/term" &&
	ok "SIGTERM before any change ends berth at once (exit 143), saying nothing changed" ||
	not_ok "SIGTERM before any change ends berth at once (exit 143), saying nothing changed" "exit $rc"
[ "$(where web1)" = "h1=absent h2=running h3=absent" ] && ok "nothing moved" || not_ok "nothing moved" "$(where web1)"

# 3. Two SIGINTs while they swap back: the migrations are aborted.  A
# bandwidth of 1 MiB/s keeps them running long enough to be aborted.
lab_virsh h2 migrate-setspeed web1 1 >/dev/null
lab_virsh h1 migrate-setspeed web2 1 >/dev/null
berth_sigint_able apply -i "$base" --yes
wait_until 60 grep -q "Applying:" "$BERTH_OUT"
sleep 2
kill -INT "$BERTH_PID"
sleep 0.2
kill -INT "$BERTH_PID"
wait "$BERTH_PID"
rc=$?
sed 's/^/# /' "$BERTH_OUT"
[ $rc -eq 130 ] && ok "berth exits 130 after the second SIGINT" || not_ok "berth exits 130 after the second SIGINT" "exit $rc"
grep -q "the running migrations were aborted" "$BERTH_OUT" && ok "berth says it asked the hosts to abort the migrations" ||
	not_ok "berth says it asked the hosts to abort the migrations"
[ "$(where web1)" = "h1=absent h2=running h3=absent" ] && [ "$(where web2)" = "h1=running h2=absent h3=absent" ] &&
	ok "each guest runs on its source only" || not_ok "each guest runs on its source only" "web1: $(where web1); web2: $(where web2)"
grep -q "web1 is now running on h2" "$BERTH_OUT" && grep -q "web2 is now running on h1" "$BERTH_OUT" &&
	ok "berth says where each guest runs, read from the hosts" ||
	not_ok "berth says where each guest runs, read from the hosts"
rm -f "$BERTH_OUT"
lab_virsh h2 migrate-setspeed web1 0 >/dev/null 2>&1
lab_virsh h1 migrate-setspeed web2 0 >/dev/null 2>&1
check "the guests go back to where the next scenarios expect them" "$BERTH" apply -i "$base" --yes
rm -rf "$base" "$one" "$swap" "$dir"
true
