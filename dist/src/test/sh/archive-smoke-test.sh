#!/usr/bin/env bash
# The release archive works unpacked anywhere and through a symlink on PATH (issue 16, item 8):
# unpacks ARCHIVE into WORK, links its launcher from another folder, and runs it from a third.
# Runs in `mvn verify` (dist module); never uses the host kernel (MMSIM_HOST_KERNEL=off).
set -euo pipefail
archive="$1"
work="$2"
fail() { echo "archive smoke test: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work/unpacked" "$work/bin" "$work/elsewhere"
tar -xzf "$archive" -C "$work/unpacked"
home="$(echo "$work"/unpacked/mmsim-*)"
[[ -x "$home/mmsim" ]] || fail "no executable mmsim in the archive"
for f in README.md LICENSE docs/user-guide.md docs/api/scenarios/index.html docs/examples/GuardRegionScript.java docs/scenario-language.md docs/mmsim-output.schema.json \
         scenarios/src/main/c/agent.h scenarios/src/main/c/supervisor.c scenarios/corpus/guard-regions/basic-anon.scn; do
    [[ -f "$home/$f" ]] || fail "$f missing from the archive"
done
ls "$home"/lib/sim-core-*.jar "$home"/lib/scenarios-*.jar >/dev/null || fail "module jars missing from lib/"
[[ ! -e "$home/pom.xml" ]] || fail "the archive has a pom.xml (the launcher would build)"
ln -s "$home/mmsim" "$work/bin/mmsim"

cd "$work/elsewhere"
export PATH="$work/bin:$PATH" MMSIM_HOST_KERNEL=off

set +e
mmsim >out 2>err; status=$?
set -e
[[ $status == 2 ]] || fail "mmsim with no arguments exited $status, not 2"
grep -q "Usage: mmsim" err || fail "mmsim with no arguments printed no usage on stderr"

mmsim check "$home/scenarios/corpus/guard-regions/basic-anon.scn" >out 2>err \
    || fail "mmsim check through a symlink failed: $(cat err)"
grep -q "total         1" out || fail "mmsim check printed no summary: $(cat out)"

mmsim replay --json --host-profile zero_page=off "$home/scenarios/corpus/guard-regions/basic-anon.scn" >out 2>err \
    || fail "mmsim replay --json failed: $(cat err)"
grep -q '^{"schema_version":2,"command":"replay"' out || fail "replay --json: $(head -c 200 out)"
if grep -q $'\e' out err; then fail "ANSI escapes in output that is not a terminal"; fi

java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
"$java" -cp "$home/lib/*" "$home/docs/examples/GuardRegionScript.java" >out 2>err \
    || fail "the API example does not run against the archive's jars: $(cat err)"
grep -q "child keeps the guard: true" out || fail "the API example printed: $(cat out)"
echo "archive smoke test: $(basename "$archive") runs from a symlink on PATH in another folder"
