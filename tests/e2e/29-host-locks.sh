# Host locks: of two applies started together on overlapping hosts exactly
# one runs and the other refuses at once naming the holder; the lock dies
# with its holder, so a kill -9 frees it for the next run.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
inv=$(inventory_from "$base" web1 h2)
a=$(mktemp) b=$(mktemp)
"$BERTH" apply -i "$inv" --yes > "$a" 2>&1 &
pa=$!
"$BERTH" apply -i "$inv" --yes > "$b" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
sed 's/^/# A: /' "$a"; sed 's/^/# B: /' "$b"
if [ $ra -eq 0 ] && [ $rb -ne 0 ]; then loser=$b; elif [ $rb -eq 0 ] && [ $ra -ne 0 ]; then loser=$a; else loser=; fi
[ -n "$loser" ] && ok "exactly one of two concurrent applies runs (exits $ra and $rb)" ||
	not_ok "exactly one of two concurrent applies runs (exits $ra and $rb)"
if [ -n "$loser" ] && grep -q "is locked by another berth apply: controller '$(hostname)', pid [0-9]*, user 'root', since " "$loser"; then
	ok "the other refuses, naming the holder's controller, pid, user and start"
else
	not_ok "the other refuses, naming the holder's controller, pid, user and start"
fi
[ -n "$loser" ] && ! grep -q "Applying:" "$loser" && ok "the refused apply changed nothing" ||
	not_ok "the refused apply changed nothing"
[ "$(where web1)" = "h1=absent h2=running h3=absent" ] && ok "web1 was migrated once, to h2" ||
	not_ok "web1 was migrated once, to h2" "$(where web1)"

# kill -9 of the holder: its lock goes with it.
"$BERTH" apply -i "$base" --yes > "$a" 2>&1 &
pa=$!
wait_until 30 grep -q "Applying:" "$a"
kill -9 $pa
wait $pa 2>/dev/null
diag "holder killed: $(tail -1 "$a")"
# The source libvirtd finishes a peer-to-peer migration on its own.
wait_until 60 settled web1
out=$("$BERTH" apply -i "$base" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"is locked by"*) not_ok "after kill -9 of the holder the next apply is not refused" ;;
*) [ $rc -eq 0 ] && ok "after kill -9 of the holder the next apply takes the lock and finishes" ||
	not_ok "after kill -9 of the holder the next apply takes the lock and finishes" "exit $rc" ;;
esac
[ "$(where web1)" = "h1=running h2=absent h3=absent" ] && ok "web1 runs on h1 only" ||
	not_ok "web1 runs on h1 only" "$(where web1)"
rm -f "$a" "$b" "$inv" "$base"
true
