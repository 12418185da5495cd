#!/usr/bin/env bash
# Benchmark: one case's history read by `git log --format=%H -- cases/ID` and by
# history.FolderCommits (the audit's reader), side by side, on a generated repository of
# COMMITS commits and CASES cases (default 20,000 and 2,000; one approval in 200 commits is
# merged from a side branch). For a case opened early, one in the middle, one late and one
# with a merge: best and median wall time of 5 runs each, the ratio and peak memory.
# Fails if the two list different commits. Not a test: no assertion on time.
# Usage: processor/scripts/bench-audit.sh [COMMITS] [CASES]   (run from the repository root)
set -euo pipefail
commits=${1:-20000}
cases=${2:-2000}
merges=$((commits / 200))
root=$(pwd)
[ -f "$root/go.mod" ] || { echo "kör från förrådets rot" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/benchrepo" ./processor/scripts/benchrepo
go build -o "$tmp/processor" ./processor
repo="$tmp/repo"

echo "Genererar $commits incheckningar, $cases ärenden, $merges sammanslagningar i $repo ..."
start=$(date +%s.%N)
"$tmp/benchrepo" -cases "$cases" -commits "$commits" -merges "$merges" "$repo"
echo "genererat på $(echo "$(date +%s.%N) - $start" | bc) s: $(git -C "$repo" count-objects -vH | sed -n 's/^size-pack: //p') i packfil"

mapfile -t ids < <(git -C "$repo" ls-tree --name-only HEAD cases/ | sed 's|^cases/||')
picks=("${ids[0]} tidigt" "${ids[$((${#ids[@]} / 2))]} mitten" "${ids[-1]} sent")
if [ "$merges" -gt 0 ]; then
  # The case a reviewer approved on a side branch, in the merge nearest the middle.
  m=$(git -C "$repo" log --merges --format=%H | sed -n "$((merges / 2 + 1))p")
  f=$(git -C "$repo" diff --name-only "$m^1" "$m" -- cases/ | head -1)
  id=${f#cases/}
  picks+=("${id%%/*} sammanslagning")
fi

timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f '%e %M' -o "$tmp/time.txt")

# run NAME CMD...: runs CMD 5 times; sets best, median (s) and rss (MiB, or "?").
run() {
  local times=() peak=0 wall kb s sorted
  for _ in 1 2 3 4 5; do
    if [ ${#timer[@]} -gt 0 ]; then
      "${timer[@]}" "$@" > /dev/null
      read -r wall kb < "$tmp/time.txt"
      [ "$kb" -gt "$peak" ] && peak=$kb
    else
      s=$(date +%s.%N)
      "$@" > /dev/null
      wall=$(echo "$(date +%s.%N) - $s" | bc)
    fi
    times+=("$wall")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(echo "$sorted" | head -1)
  median=$(echo "$sorted" | sed -n 3p)
  if [ ${#timer[@]} -gt 0 ]; then rss=$((peak / 1024)); else rss="?"; fi
}

echo "$(nproc) kärnor, $(git --version)"
for pick in "${picks[@]}"; do
  id=${pick%% *}
  label=${pick#* }
  git -C "$repo" log --format=%H -- "cases/$id" > "$tmp/git.txt"
  "$tmp/benchrepo" log "$repo" "cases/$id" > "$tmp/go.txt"
  if ! cmp -s "$tmp/git.txt" "$tmp/go.txt"; then
    echo "FEL: git log och FolderCommits listar olika incheckningar för cases/$id:" >&2
    diff "$tmp/git.txt" "$tmp/go.txt" | head -20 >&2
    exit 1
  fi
  echo "cases/$id ($label): $(wc -l < "$tmp/git.txt") incheckningar, samma i båda"
  run git -C "$repo" log --format=%H -- "cases/$id"
  gbest=$best gmedian=$median
  echo "  git log        bäst $best s, median $median s, högst $rss MiB"
  run "$tmp/benchrepo" log "$repo" "cases/$id"
  echo "  FolderCommits  bäst $best s, median $median s, högst $rss MiB"
  echo "  kvot FolderCommits/git log: bäst $(echo "scale=2; $best / $gbest" | bc), median $(echo "scale=2; $median / $gmedian" | bc)"
  # The whole audit: the walk plus every version of request.md and the PDFs, decoded.
  (cd "$repo" && "$tmp/processor" audit --json "$id") | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["commits"]))' > "$tmp/audit.txt"
  if ! cmp -s "$tmp/git.txt" "$tmp/audit.txt"; then
    echo "FEL: git log och processor audit listar olika incheckningar för cases/$id:" >&2
    diff "$tmp/git.txt" "$tmp/audit.txt" | head -20 >&2
    exit 1
  fi
  run "$tmp/processor" audit --root "$repo" "$id"
  echo "  processor audit bäst $best s, median $median s, högst $rss MiB (samma incheckningar)"
  echo "  kvot processor audit/git log: bäst $(echo "scale=2; $best / $gbest" | bc), median $(echo "scale=2; $median / $gmedian" | bc)"
done
