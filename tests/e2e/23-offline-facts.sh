# Facts saved with berth facts -o give the same plan offline as live
# planning does.
. "$(dirname "$0")/lib.sh"
lab_guard

facts=$(mktemp --suffix=.json)
check "berth facts -o saves the lab's facts" "$BERTH" facts -i "$LAB_INVENTORY" -o "$facts"
live=$("$BERTH" plan -i "$LAB_INVENTORY" --json 2>&1)
offline=$("$BERTH" plan -i "$LAB_INVENTORY" --facts "$facts" --json 2>&1)
if [ "$live" = "$offline" ] && printf '%s' "$live" | grep -q '"migrate-live"'; then
	ok "the plan from saved facts equals the live plan (a migration back to h1)"
else
	not_ok "the plan from saved facts equals the live plan (a migration back to h1)"
	diff <(printf '%s\n' "$live") <(printf '%s\n' "$offline") | head -20 | sed 's/^/#   /'
fi
rm -f "$facts"
true
