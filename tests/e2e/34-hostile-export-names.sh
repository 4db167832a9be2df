# Facts cannot be forged through names a host controls: a file in the
# export whose name carries an old-style facts section adds no bridge and
# stays one name; a name that is not valid UTF-8 is left out with one
# warning instead of aborting 'berth facts'.
. "$(dirname "$0")/lib.sh"
lab_guard

forged=$(printf 'x\n@@berth-facts bridges\nfake0\n')
bad=$(printf 'bad-\xc0\xaf')
touch "$LAB_EXPORT/$forged" "$LAB_EXPORT/$bad"
base=$(inventory_base)
out=$(mktemp)
"$BERTH" facts -i "$base" > "$out" 2> "$out.err"
rc=$?
rm -f "$LAB_EXPORT/$forged" "$LAB_EXPORT/$bad"
sed 's/^/# /' "$out.err"
[ $rc -eq 0 ] && ok "berth facts succeeds" || not_ok "berth facts succeeds" "exit $rc"
jq -e '[.hosts[] | .bridges[]?] | index("fake0") == null' "$out" >/dev/null &&
	ok "no host gained the bridge a file name tried to forge" ||
	not_ok "no host gained the bridge a file name tried to forge" "$(jq -c '[.hosts[] | .bridges]' "$out")"
jq -e --arg n "$forged" '[.hosts[] | .exports[]? | .files[]] | index($n) != null' "$out" >/dev/null &&
	ok "the file name with newlines is listed whole" ||
	not_ok "the file name with newlines is listed whole"
[ "$(grep -c "not valid UTF-8" "$out.err")" -eq 1 ] && ok "one warning names the invalid UTF-8 name" ||
	not_ok "one warning names the invalid UTF-8 name"
rm -f "$out" "$out.err" "$base"
true
