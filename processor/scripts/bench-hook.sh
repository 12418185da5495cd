#!/usr/bin/env bash
# Benchmark: the pre-commit hook (processor hook pre-commit) on a commit that changes one
# case, in a generated repository of N cases (default 10,000) and M commits (default 20,000).
# Runs the hook R times (default 21) on the same staged change and prints p50, min and max
# wall time and the peak memory (RSS) of the slowest run; then the same for the parts git
# does alone (git diff --cached, git ls-files), for comparison. Not a test: no assertion.
# Usage: processor/scripts/bench-hook.sh [N] [M] [R]   (run from the repository root)
set -euo pipefail
n=${1:-10000}
m=${2:-20000}
runs=${3:-21}
root=$(pwd)
bin="$root/bin/processor"
[ -x "$bin" ] || { echo "bygg först: make build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Genererar $n ärenden och $m commits i $tmp ..."
go run ./processor/scripts/benchrepo -cases "$n" -commits "$m" "$tmp/repo" >/dev/null
cd "$tmp/repo"
git config user.name 'Rita Registrator'
git config user.email rita.registrator@region.example

# One case moves one step: the registrator records kvalitetsgranskad in the first case that
# stands at mottagen.
case=$( (grep -L 'kvalitetsgranskad:' cases/*/request.md || true) | head -n 1)
[ -n "$case" ] || { echo "inget ärende står vid mottagen" >&2; exit 2; }
python3 - "$case" <<'PY'
import sys, re
p = sys.argv[1]
s = open(p, encoding='utf-8').read()
m = re.search(r'  mottagen:\n    datum: (\S+)\n    av: (\S+)\n', s)
step = m.group(0) + f"  kvalitetsgranskad:\n    datum: {m.group(1)}\n    av: {m.group(2)}\n    komplettering: nej\n"
s = s.replace(m.group(0), step)
open(p, 'w', encoding='utf-8').write(s)
PY
git add "$case"
echo "Köad ändring: $case (git diff --cached --stat: $(git diff --cached --shortstat))"

measure() { # label, command...
	local label=$1; shift
	local times=() rss=0
	for _ in $(seq "$runs"); do
		local t0 t1 r
		t0=$(date +%s%N)
		/usr/bin/time -o "$tmp/rss" -f '%M' "$@" >/dev/null 2>&1
		t1=$(date +%s%N)
		times+=("$(( (t1 - t0) / 100000 ))")
		r=$(tail -n 1 "$tmp/rss")
		(( r > rss )) && rss=$r
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" -v rss="$rss" '
		{ t[NR] = $1 / 10 } END { printf "%-40s p50 %5.1f ms  min %5.1f ms  max %5.1f ms  max RSS %5.1f MiB\n", label, t[int((NR+1)/2)], t[1], t[NR], rss/1024 }'
}
measure "processor hook pre-commit" "$bin" hook pre-commit
measure "git diff --cached --raw -z -M (bara git)" git diff --cached --raw -z -M --no-abbrev
measure "git ls-files -s ett ärende (bara git)" git ls-files -s -z -- "$(dirname "$case")"
echo "Krokens egen tidtagning (tre körningar):"
for _ in 1 2 3; do "$bin" hook pre-commit 2>&1 >/dev/null | tail -n 1; done
echo "Hela git commit genom kroken:"
mkdir -p hooks && cp "$root/hooks/pre-commit" hooks/ && chmod +x hooks/pre-commit
git config core.hooksPath hooks
/usr/bin/time -f 'git commit: %e s, max RSS %M KiB' env PROCESSOR="$bin" git commit -q -m 'Kvalitetsgranskad' 

# A commit that stages a file other than request.md runs the content check against the
# working areas on this machine: every case folder is looked at for one, and the cases that
# have one (here 5 cases of 1,000 rows each, workbook masked and raw export beside it, made
# by benchcase) are proven for their masked spans. The attachment holds none of them.
for i in 1 2 3 4 5; do
	mkdir -p "$tmp/bc$i" && cp -r "$root/templates" "$root/installningar.yaml" "$tmp/bc$i/"
	(cd "$root" && go run ./processor/scripts/benchcase "$tmp/bc$i" 1000) >/dev/null
	src=$(ls -d "$tmp/bc$i"/cases/*/)
	id=2099-000$i
	cp -r "$src" "cases/$id"
	sed -i "s/^ärende: .*/ärende: $id/" "cases/$id/request.md"
done
mkdir -p bilagor && echo "Anteckning utan uppgifter ur loggen." > bilagor/anteckning.txt
git add bilagor/anteckning.txt
measure "hook pre-commit, en bilaga (innehållskontroll)" "$bin" hook pre-commit
measure "git diff --cached --raw -z -M (bara git)" git diff --cached --raw -z -M --no-abbrev
