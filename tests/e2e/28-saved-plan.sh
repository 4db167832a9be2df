# A saved plan is a contract: 'berth apply --plan' runs exactly its steps,
# or refuses the whole plan as stale before any change when a guest was
# moved by hand or the inventory was edited.
. "$(dirname "$0")/lib.sh"
lab_guard

base=$(inventory_base)
inv=$(inventory_from "$base" web1 h2)
dir=$(mktemp -d)

# 1. Moved by hand after the plan was saved: refused, nothing changed.
"$BERTH" plan -i "$inv" --out "$dir/plan.json" >/dev/null 2>&1
check "web1 is moved by hand to h3 after the plan was saved" virsh_migrate web1 h1 h3
out=$("$BERTH" apply -i "$inv" --plan "$dir/plan.json" --yes 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
case "$out" in
*"plan is stale: step 1 expected web1 running on h1, it is now running on h3"*"run 'berth plan' again"*)
	[ $rc -ne 0 ] && ok "the saved plan is refused as stale, naming the step and where web1 runs now" ||
		not_ok "the saved plan is refused as stale, naming the step and where web1 runs now" "exit $rc" ;;
*) not_ok "the saved plan is refused as stale, naming the step and where web1 runs now" "exit $rc" ;;
esac
[ "$(where web1)" = "h1=absent h2=absent h3=running" ] && ok "nothing changed: web1 still runs on h3 only" ||
	not_ok "nothing changed: web1 still runs on h3 only" "$(where web1)"
check "web1 is moved back to h1 by hand" virsh_migrate web1 h3 h1

# 2. The inventory edited after the plan was saved: refused.
"$BERTH" plan -i "$inv" --out "$dir/plan.json" >/dev/null 2>&1
echo "# edited after the plan" >> "$inv"
out=$("$BERTH" apply -i "$inv" --plan "$dir/plan.json" --yes 2>&1)
rc=$?
case "$out" in
*"plan is stale: the inventory '$inv' has changed since the plan was made"*)
	[ $rc -ne 0 ] && ok "a plan whose inventory was edited is refused" ||
		not_ok "a plan whose inventory was edited is refused" "exit $rc" ;;
*) not_ok "a plan whose inventory was edited is refused" "exit $rc" "$out" ;;
esac
[ "$(where web1)" = "h1=running h2=absent h3=absent" ] && ok "nothing changed: web1 still runs on h1" ||
	not_ok "nothing changed: web1 still runs on h1" "$(where web1)"

# 3. An unchanged saved plan applies exactly its steps, and nothing else.
"$BERTH" plan -i "$inv" --out "$dir/plan.json" >/dev/null 2>&1
"$BERTH" apply -i "$inv" --plan "$dir/plan.json" --yes --json > "$dir/result.json" 2> "$dir/progress"
rc=$?
sed 's/^/# /' "$dir/progress"
[ $rc -eq 0 ] && ok "the unchanged saved plan applies (exit 0)" || not_ok "the unchanged saved plan applies (exit 0)" "exit $rc"
planned=$(jq -c '[.steps[] | [.id, .kind, .domain, .host, .dest]]' "$dir/plan.json")
applied=$(jq -c '[.steps[] | [.id, .kind, .domain, .host, .dest]]' "$dir/result.json")
diag "planned: $planned"
[ -n "$planned" ] && [ "$planned" = "$applied" ] && ok "the apply JSON has exactly the steps of the plan JSON" ||
	not_ok "the apply JSON has exactly the steps of the plan JSON" "applied: $applied"
[ "$(jq -r '[.steps[].status] | unique | join(",")' "$dir/result.json")" = done ] &&
	[ "$(jq -r '.verify.converged' "$dir/result.json")" = true ] &&
	ok "every step is done and the verification found no changes" ||
	not_ok "every step is done and the verification found no changes" "$(cat "$dir/result.json")"
[ "$(jq -r '.steps[0].migration.downtime_ms | type' "$dir/result.json")" = number ] &&
	ok "the migration's statistics are in the apply JSON" ||
	not_ok "the migration's statistics are in the apply JSON"
[ "$(where web1)" = "h1=absent h2=running h3=absent" ] && ok "web1 runs on h2 only" ||
	not_ok "web1 runs on h2 only" "$(where web1)"

# Back where the next scenarios expect the guests.
check "web1 is placed back on h1" "$BERTH" apply -i "$base" --yes
rm -rf "$dir" "$inv" "$base"
true
