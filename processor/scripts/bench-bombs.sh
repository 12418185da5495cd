#!/usr/bin/env bash
# Benchmark with assertions: hostile raw exports and hostile review workbooks are refused
# quickly and in bounded memory by each entry point that reads them, and Ctrl-C during the
# import of a large export leaves no file behind outside the case's working area.
#
# The hostile files are the ones the tests build (written by their writer tests):
#   x01…x17  raw xlsx exports   processor/internal/export, TestWriteBombs ($EXPORT_WRITE_BOMBS)
#   w00…w09  review workbooks   processor/internal/workbook, TestWriteHostileFiles
# The case repository is made by processor/scripts/benchbombs (testrepo.Make, casegen): case
# 2026-0001 ready for the import, 2026-0002 masked and approved (N rows), 2026-0003 imported
# and its raw export changed since. The working areas are the ones repo.WorkArea gives.
#
# Each run, under /usr/bin/time -f '%e %M' with GOMEMLIMIT=100MiB and an empty TMPDIR of its
# own, on a fresh copy of the cases:
#   import     x as cases/2026-0001/<arbetsyta>/export/export.xlsx; processor import
#   import*    w as cases/2026-0003/<arbetsyta>/e-postlogg.xlsx; processor import (the changed
#              raw export makes the import read the workbook to see whether it is masked)
#   validate   x as cases/2026-0002/<arbetsyta>/export/export.xlsx (request.md: fil:
#              export.xlsx), and w as cases/2026-0002/<arbetsyta>/e-postlogg.xlsx
#   hook       x and w staged as bilagor/<id>.xlsx and as cases/2026-0002/bilaga-<id>.xlsx,
#              then a real git commit (the hook installed by processor hook install)
# A run passes when it takes at most MAX_S seconds (1) and MAX_MIB MiB of peak RSS (100),
# exits 1 or 2 (not by a signal, no Go panic), prints a Swedish message naming the hostile
# file, and leaves nothing in its TMPDIR or in a working area's .tmp. The message column is
# the first line of stderr naming the file, else the first such line of stdout (validate
# and the hook print their findings there), else stderr's first line. A few control runs with
# good files must be accepted (they show the setup is not refused for some other reason).
#
# Then a raw export of BIG_ROWS rows (default 1,000,000) is imported with a dedicated TMPDIR
# and interrupted with SIGINT to its process group (as Ctrl-C in a terminal does) as soon
# as excelize has unpacked into the working area's .tmp: PASS when the processor stops with
# exit code 2 saying nothing was imported, request.md is unchanged, there is no workbook, the
# working area's .tmp is gone, TMPDIR is empty, and a find listing of the repository outside
# the working area is the same before and after.
#
# Exit code 0: everything passed; 1: something failed (listed at the end); 2: could not run.
# Usage: processor/scripts/bench-bombs.sh [ROWS]   (run from the repository root; ROWS of
#        case 2026-0002, default 200). Environment: BIG_ROWS, MAX_S, MAX_MIB, KEEP=1 (keep
#        the temporary folder and print it).
set -euo pipefail
rows=${1:-200}
big_rows=${BIG_ROWS:-1000000}
max_s=${MAX_S:-1}
max_mib=${MAX_MIB:-100}
root=$(pwd)
grep -qx 'module utlamnande' "$root/go.mod" 2>/dev/null || { echo "kör skriptet från ärendekatalogens rot" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time saknas (GNU time)" >&2; exit 2; }
script_start=$(date +%s%N)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-bombs.XXXXXX")
bg_pid=""
cleanup() {
	if [ -n "$bg_pid" ] && kill -0 "$bg_pid" 2>/dev/null; then
		kill -KILL -- "-$bg_pid" 2>/dev/null || kill -KILL "$bg_pid" 2>/dev/null || true
	fi
	if [ "${KEEP:-}" = 1 ]; then echo "Kvar: $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

echo "== Bygger processorn, hjälpprogrammet och testbinärerna ($(nproc) kärnor, last: $(cut -d' ' -f1-3 /proc/loadavg))"
bin=$tmp/bin
mkdir -p "$bin"
t=$(date +%s%N)
go build -trimpath -o "$bin/processor" ./processor
go build -o "$bin/benchbombs" ./processor/scripts/benchbombs
go test -c -o "$bin/export.test" ./processor/internal/export
go test -c -o "$bin/workbook.test" ./processor/internal/workbook
echo "   klart på $(secs "$(ms_since "$t")") s"

echo "== Skriver de fientliga filerna med testernas egna skrivare"
t=$(date +%s%N)
gen=$tmp/gen
mkdir -p "$gen/export" "$gen/workbook" "$gen/tmp"
(cd processor/internal/export && EXPORT_WRITE_BOMBS="$gen/export" TMPDIR="$gen/tmp" "$bin/export.test" -test.run '^TestWriteBombs$' -test.v) >"$gen/export.log" 2>&1 ||
	{ cat "$gen/export.log" >&2; exit 2; }
(cd processor/internal/workbook && WORKBOOK_HOSTILE_OUT="$gen/workbook" TMPDIR="$gen/tmp" "$bin/workbook.test" -test.run '^TestWriteHostileFiles$' -test.v) >"$gen/workbook.log" 2>&1 ||
	{ cat "$gen/workbook.log" >&2; exit 2; }
ids=() files=() descs=() kinds=()
while IFS= read -r line; do # "    resources_test.go:704: /…/bomb01.xlsx: description"
	path=${line#*: }
	desc=${path#*.xlsx: }
	path=${path%%.xlsx: *}.xlsx
	n=$(basename "$path" .xlsx)
	ids+=("x${n#bomb}") files+=("$path") descs+=("$desc") kinds+=(export)
done < <(grep -E '^ +resources_test\.go:[0-9]+: .*/bomb[0-9]+\.xlsx: ' "$gen/export.log")
while IFS= read -r line; do # "    limits_test.go:348: /…/00-shared-strings-….xlsx"
	path=${line#*: }
	n=$(basename "$path" .xlsx)
	ids+=("w${n%%-*}") files+=("$path") descs+=("$(echo "${n#*-}" | tr '-' ' ')") kinds+=(workbook)
done < <(grep -E '^ +limits_test\.go:[0-9]+: /.*\.xlsx$' "$gen/workbook.log")
nx=$(printf '%s\n' "${kinds[@]}" | grep -c '^export$' || true)
nw=$(printf '%s\n' "${kinds[@]}" | grep -c '^workbook$' || true)
[ "$nx" -gt 0 ] && [ "$nw" -gt 0 ] || { echo "inga fientliga filer skrevs (se $gen/*.log)" >&2; KEEP=1; exit 2; }
echo "   $nx råexporter och $nw granskningsböcker på $(secs "$(ms_since "$t")") s:"
for i in "${!ids[@]}"; do
	printf '   %-4s %6s KiB  %s\n' "${ids[$i]}" $(($(stat -c %s "${files[$i]}") / 1024)) "${descs[$i]}"
done

echo "== Ärendekatalog med git och kroken (processor hook install)"
repo=$tmp/repo
"$bin/benchbombs" repo "$repo" "$rows" >"$tmp/workareas"
wa() { awk -v id="$1" '$1 == id { print $2 }' "$tmp/workareas"; }
wa1=$(wa 2026-0001) wa2=$(wa 2026-0002) wa3=$(wa 2026-0003)
case "$wa1" in "$repo"/*) ;; *) echo "arbetsytan $wa1 ligger utanför katalogen: stöds inte här" >&2; exit 2 ;; esac
cp "$root/.gitignore" "$repo/"
cp -r "$root/hooks" "$repo/"
git -C "$repo" init -q
git -C "$repo" config user.name 'Rita Registrator'
git -C "$repo" config user.email rita.registrator@region.example
git -C "$repo" config commit.gpgsign false
git -C "$repo" add -A
git -C "$repo" commit -q -m 'Ärendekatalog för mätningen'
(cd "$repo" && "$bin/processor" hook install 2>&1 | head -n 1 | sed 's/^/   /')
[ "$(git -C "$repo" config core.hooksPath)" = hooks ] || { echo "hook install satte inte core.hooksPath" >&2; exit 2; }
echo "   arbetsytor: ${wa1#"$repo"/}, ${wa2#"$repo"/}, ${wa3#"$repo"/}"
mkdir -p "$wa1/export" # the import case's working area, waiting for the export
pristine=$tmp/pristine
mkdir -p "$pristine"
cp -a "$repo/cases" "$pristine/"
head=$(git -C "$repo" rev-parse HEAD)

# reset: the cases as made (working areas included), nothing staged, HEAD as made.
reset() {
	rm -rf "$repo/cases" "$repo/bilagor"
	cp -a "$pristine/cases" "$repo/"
	git -C "$repo" reset -q --soft "$head"
	git -C "$repo" reset -q
}

systmp=$tmp/systmp
today=2026-11-22
swedish='[åäöÅÄÖ]|(^|[^[:alpha:]])(och|inte|är|kan|filen|delen|fler|mer än|har|får)([^[:alpha:]]|$)'
crash='panic:|goroutine [0-9]|fatal error:|runtime error|out of memory|signal: killed'
failures=()
# Per group of runs (the entry point and where the file is): runs, refused, slowest, largest.
group=""
declare -A g_runs=() g_refused=() g_s=() g_kib=()
groups=()
printf '\n%-4s %-38s %4s %6s %8s  %-8s %-5s %s\n' fil ingång kod s 'RSS MiB' avvisad kvar 'meddelande'
printf '%s\n' "$(printf -- '-%.0s' {1..150})"

# measure ID ENTRY NAMED EXPECT CMD...: runs CMD in the repository under /usr/bin/time with
# GOMEMLIMIT=100MiB and an empty TMPDIR of its own; NAMED is the path the refusal must name;
# EXPECT is avvisas (refused, within the bounds) or godtas (a control: accepted).
measure() {
	local id=$1 entry=$2 named=$3 expect=$4
	shift 4
	rm -rf "$systmp" && mkdir -p "$systmp"
	local rc=0
	(cd "$repo" && env TMPDIR="$systmp" GOMEMLIMIT=100MiB /usr/bin/time -o "$tmp/time" -f '%e %M' "$@" >"$tmp/out" 2>"$tmp/err") || rc=$?
	local secs kib signaled=no
	read -r secs kib < <(tail -n 1 "$tmp/time")
	grep -q 'terminated by signal' "$tmp/time" && signaled=yes
	local mib=$(((kib + 1023) / 1024))
	local msg
	msg=$(grep -F -m 1 -- "$named" "$tmp/err" || true)
	[ -n "$msg" ] || { msg=$(grep -F -m 1 -- "$named" "$tmp/out" || true); [ -z "$msg" ] || msg="[stdout] $msg"; }
	[ -n "$msg" ] || msg=$(head -n 1 "$tmp/err")
	[ -n "$msg" ] || { msg=$(head -n 1 "$tmp/out"); [ -z "$msg" ] || msg="[stdout] $msg"; }
	[ -n "$msg" ] || msg="(ingen utskrift)"
	local left
	left=$( (find "$systmp" -mindepth 1 -maxdepth 1 -printf 'TMPDIR/%f ' ; find "$repo/cases" -path '*/.tmp' -printf '%P ') 2>/dev/null)
	local refused=nej problems=()
	if [ "$signaled" = no ] && { [ "$rc" = 1 ] || [ "$rc" = 2 ]; } && grep -qF -- "$named" "$tmp/err" "$tmp/out" &&
		echo "$msg" | grep -qE "$swedish" && ! grep -qE "$crash" "$tmp/err" "$tmp/out"; then
		refused=ja
	fi
	if [ "$expect" = godtas ]; then
		[ "$rc" = 0 ] && refused="(godtas)" || { refused=NEJ; problems+=("kontrollen godtogs inte (kod $rc)"); }
	elif [ "$expect" = inom ]; then # refused or accepted, within the bounds
		[ "$rc" = 0 ] && refused="(godtas)"
		[ "$rc" = 0 ] || [ "$refused" = ja ] || { refused=NEJ; problems+=("varken godtagen eller avvisad med ett svenskt meddelande (kod $rc)"); }
		awk -v s="$secs" -v m="$max_s" 'BEGIN { exit !(s > m) }' && problems+=("$secs s > $max_s s")
		[ "$kib" -le $((max_mib * 1024)) ] || problems+=("$mib MiB > $max_mib MiB")
	else
		[ "$refused" = ja ] || { refused=NEJ; problems+=("inte avvisad med ett svenskt meddelande om filen (kod $rc)"); }
		awk -v s="$secs" -v m="$max_s" 'BEGIN { exit !(s > m) }' && problems+=("$secs s > $max_s s")
		[ "$kib" -le $((max_mib * 1024)) ] || problems+=("$mib MiB > $max_mib MiB")
	fi
	[ -z "$left" ] || problems+=("kvar: $left")
	[ "$signaled" = no ] || problems+=("dödad av en signal")
	msg=$(echo "$msg" | tr -d '\r' | sed "s|$repo/||g")
	[ ${#msg} -le 110 ] || msg="${msg:0:107}..."
	printf '%-4s %-38s %4s %6s %8s  %-8s %-5s %s\n' "$id" "$entry" "$rc" "$secs" "$mib" "$refused" "$([ -z "$left" ] && echo - || echo JA)" "$msg"
	if [ "$expect" = avvisas ] || [ "$expect" = inom ]; then
		[ -n "${g_runs[$group]:-}" ] || groups+=("$group")
		g_runs[$group]=$((${g_runs[$group]:-0} + 1))
		[ "$refused" != ja ] || g_refused[$group]=$((${g_refused[$group]:-0} + 1))
		awk -v s="$secs" -v m="${g_s[$group]:-0}" 'BEGIN { exit !(s > m) }' && g_s[$group]=$secs
		[ "$kib" -le "${g_kib[$group]:-0}" ] || g_kib[$group]=$kib
	fi
	if [ ${#problems[@]} -gt 0 ]; then
		local p
		p=$(printf '%s; ' "${problems[@]}")
		failures+=("$id $entry: ${p%; }")
		printf '     ^ FEL: %s\n' "${p%; }"
	fi
}

rel() { echo "${1#"$repo"/}"; }
import_args=(--stilla 0 --av reg1 --today "$today")

# A commit through git: git runs hooks/pre-commit (core.hooksPath), which runs $PROCESSOR.
commit=(env PROCESSOR="$bin/processor" git commit -q -m)

hook_run() { # ID KIND FILE PATH: stages FILE as PATH and commits
	local id=$1 kind=$2 file=$3 path=$4
	reset
	mkdir -p "$(dirname "$repo/$path")"
	cp "$file" "$repo/$path"
	git -C "$repo" add -f -- "$path"
	# A hostile review workbook is hostile as a review workbook; staged outside cases/ it is
	# an attachment that the hook must read within the bounds, and refuse only when it cannot
	# read it whole (or it holds an export or masked text).
	local expect=avvisas
	[ "$kind" = workbook ] && [ "${path#cases/}" = "$path" ] && expect=inom
	measure "$id" "hook: $path" "$path" "$expect" "${commit[@]}" "Bilaga $id"
	reset
}

# Controls: good files are accepted by the same commands.
reset
"$bin/benchbombs" bigexport "$wa1/export/export.xlsx" 1000
measure ok "import (1 000 rader, kontroll)" export.xlsx godtas "$bin/processor" import "${import_args[@]}" 2026-0001
reset
measure ok "validate 2026-0002 (kontroll)" 2026-0002 godtas "$bin/processor" validate --today "$today" 2026-0002
reset
mkdir -p "$repo/bilagor" && echo "Anteckning utan uppgifter ur loggen." >"$repo/bilagor/anteckning.txt"
git -C "$repo" add bilagor/anteckning.txt
measure ok "hook: bilagor/anteckning.txt (kontroll)" anteckning.txt godtas "${commit[@]}" "Anteckning"
reset

for i in "${!ids[@]}"; do
	[ "${kinds[$i]}" = export ] || continue
	id=${ids[$i]} f=${files[$i]}
	reset
	cp "$f" "$wa1/export/export.xlsx"
	group="import, råexport"
	measure "$id" "import 2026-0001" "$(rel "$wa1")/export/export.xlsx" avvisas "$bin/processor" import "${import_args[@]}" 2026-0001
	reset
	rm "$wa2/export/export.csv"
	cp "$f" "$wa2/export/export.xlsx"
	sed -i 's/^    fil: export\.csv$/    fil: export.xlsx/' "$repo/cases/2026-0002/request.md"
	group="validate, råexport"
	measure "$id" "validate 2026-0002 (råexport)" "$(rel "$wa2")/export/export.xlsx" avvisas "$bin/processor" validate --today "$today" 2026-0002
done
for i in "${!ids[@]}"; do
	[ "${kinds[$i]}" = workbook ] || continue
	id=${ids[$i]} f=${files[$i]}
	reset
	cp "$f" "$wa3/e-postlogg.xlsx"
	group="import*, granskningsbok"
	measure "$id" "import* 2026-0003 (bok finns)" "råexporten" avvisas "$bin/processor" import "${import_args[@]}" 2026-0003
	reset
	cp "$f" "$wa2/e-postlogg.xlsx"
	group="validate, granskningsbok"
	measure "$id" "validate 2026-0002 (granskningsbok)" "$(rel "$wa2")/e-postlogg.xlsx" avvisas "$bin/processor" validate --today "$today" 2026-0002
done
for i in "${!ids[@]}"; do
	what=råexport
	[ "${kinds[$i]}" = export ] || what=granskningsbok
	group="hook, $what i bilagor/"
	hook_run "${ids[$i]}" "${kinds[$i]}" "${files[$i]}" "bilagor/${ids[$i]}.xlsx"
	group="hook, $what i ärendemapp"
	hook_run "${ids[$i]}" "${kinds[$i]}" "${files[$i]}" "cases/2026-0002/bilaga-${ids[$i]}.xlsx"
done
reset
echo "(import*: ${wa3#"$repo"/}/e-postlogg.xlsx är fientlig och råexporten har bytts ut efter importen; meddelandet gäller råexporten, boken läses för att se om något maskats)"
echo
printf '%-34s %8s %8s %10s %12s\n' grupp körningar avvisade 'längst s' 'max RSS MiB'
for g in "${groups[@]}"; do
	printf '%-34s %8s %8s %10s %12s\n' "$g" "${g_runs[$g]}" "${g_refused[$g]:-0}" "${g_s[$g]:-0}" $(((${g_kib[$g]:-0} + 1023) / 1024))
done

echo
echo "== Ctrl-C under importen av en råexport på $big_rows rader"
t=$(date +%s%N)
big=$tmp/big.xlsx
"$bin/benchbombs" bigexport "$big" "$big_rows"
echo "   genererad på $(secs "$(ms_since "$t")") s: $(($(stat -c %s "$big") / 1048576)) MiB packad, $(unzip -l "$big" 2>/dev/null | tail -n 1 | awk '{ printf "%d MiB", $1 / 1048576 }') uppackad"
reset
cp "$big" "$wa1/export/export.xlsx"
sigtmp=$tmp/sigint-tmp
rm -rf "$sigtmp" && mkdir -p "$sigtmp"
# Everything but the case's working area: the repository (with .git) and the TMPDIR.
listing() {
	(cd "$repo" && find . -path "./$(rel "$wa1")" -prune -o -print | LC_ALL=C sort)
	(cd "$sigtmp" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\.|TMPDIR|')
}
listing >"$tmp/before"
cp "$repo/cases/2026-0001/request.md" "$tmp/request.before"
: >"$tmp/sig.time"
# Job control (set -m): the import runs in a process group of its own (pgid = pid), with
# SIGINT not ignored (without job control bash starts background commands with SIGINT
# ignored), and SIGINT goes to the group as Ctrl-C in a terminal does; /usr/bin/time ignores
# it and waits for the processor.
cd "$repo"
set -m
/usr/bin/time -o "$tmp/sig.time" -f '%e %M' env TMPDIR="$sigtmp" "$bin/processor" import "${import_args[@]}" 2026-0001 >"$tmp/sig.out" 2>"$tmp/sig.err" &
bg_pid=$!
set +m
cd "$root"
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
started=$(date +%s%N)
unpacked=""
while alive "$bg_pid" && [ -z "$unpacked" ] && [ "$(ms_since "$started")" -lt 300000 ]; do
	unpacked=$(find "$wa1/.tmp" -type f -name 'excelize-*' 2>/dev/null || true)
	[ -n "$unpacked" ] || sleep 0.02
done
sig_pass=yes
sig_notes=()
if [ -z "$unpacked" ]; then
	sig_pass=no
	alive "$bg_pid" && sig_notes+=("excelize packade inte upp något i $(rel "$wa1")/.tmp på 300 s") ||
		sig_notes+=("importen slutade innan excelize packade upp något: mätningen bevisar ingenting")
	kill -KILL -- "-$bg_pid" 2>/dev/null || true
	wait "$bg_pid" 2>/dev/null || true
	sig_rc=-
else
	echo "   excelize hade börjat packa upp i $(rel "$wa1")/.tmp efter $(secs "$(ms_since "$started")") s (filer: $(echo "$unpacked" | wc -l), $(du -sm "$wa1/.tmp" | cut -f1) MiB); SIGINT till processgruppen"
	[ "$(ps -o pgid= -p "$bg_pid" | tr -d ' ')" = "$bg_pid" ] || sig_notes+=("varning: processen har ingen egen processgrupp; SIGINT bara till $bg_pid")
	sent=$(date +%s%N)
	kill -INT -- "-$bg_pid" 2>/dev/null || kill -INT "$bg_pid"
	while alive "$bg_pid" && [ "$(ms_since "$sent")" -lt 30000 ]; do sleep 0.01; done
	if alive "$bg_pid"; then
		sig_pass=no
		sig_notes+=("processorn stannade inte inom 30 s efter SIGINT")
		kill -KILL -- "-$bg_pid" 2>/dev/null || true
	fi
	stop_ms=$(ms_since "$sent")
	sig_rc=0
	wait "$bg_pid" || sig_rc=$?
	echo "   stannade $stop_ms ms efter SIGINT, slutkod $sig_rc ($(tail -n 1 "$tmp/sig.time" | awk '{ printf "%s s totalt, max RSS %d MiB", $1, ($2 + 1023) / 1024 }'))"
	echo "   stderr: $(head -n 1 "$tmp/sig.err" | sed "s|$repo/||g")"
	grep -q 'terminated by signal' "$tmp/sig.time" && { sig_pass=no; sig_notes+=("processorn dödades av signalen i stället för att avsluta själv"); }
	[ "$sig_rc" = 2 ] || { sig_pass=no; sig_notes+=("slutkod $sig_rc, väntad 2"); }
	grep -q 'importen avbröts innan något skrevs' "$tmp/sig.err" || { sig_pass=no; sig_notes+=("stderr säger inte att importen avbröts innan något skrevs"); }
fi
bg_pid=""
listing >"$tmp/after"
if ! diff "$tmp/before" "$tmp/after" >"$tmp/diff"; then
	sig_pass=no
	sig_notes+=("filer utanför arbetsytan och i TMPDIR skiljer sig (före/efter):")
	while IFS= read -r l; do sig_notes+=("   $l"); done < <(grep '^[<>]' "$tmp/diff")
fi
if [ -e "$wa1/.tmp" ]; then
	sig_pass=no
	sig_notes+=("$(rel "$wa1")/.tmp finns kvar: $(find "$wa1/.tmp" -mindepth 1 | sed "s|$repo/||" | tr '\n' ' ')")
fi
[ ! -e "$wa1/e-postlogg.xlsx" ] || { sig_pass=no; sig_notes+=("granskningsboken skrevs trots avbrottet"); }
cmp -s "$tmp/request.before" "$repo/cases/2026-0001/request.md" || { sig_pass=no; sig_notes+=("request.md ändrades"); }
echo "   kvar i TMPDIR: $( (cd "$sigtmp" && find . -mindepth 1 | wc -l) ) filer; utanför arbetsytan: $(grep -c '^>' "$tmp/diff" || true) nya, $(grep -c '^<' "$tmp/diff" || true) borta ($(wc -l <"$tmp/before") poster jämförda); arbetsytans .tmp: $([ -e "$wa1/.tmp" ] && echo 'finns kvar' || echo borta)"
for n in "${sig_notes[@]}"; do echo "   $n"; done
if [ "$sig_pass" = yes ]; then
	echo "   PASS"
else
	echo "   FAIL"
	failures+=("Ctrl-C under importen av $big_rows rader")
fi

echo
echo "== Klart på $(secs "$(ms_since "$script_start")") s (last: $(cut -d' ' -f1-3 /proc/loadavg))"
if [ ${#failures[@]} -gt 0 ]; then
	echo "${#failures[@]} fel:"
	printf '  %s\n' "${failures[@]}"
	exit 1
fi
echo "Alla körningar avvisades inom $max_s s och $max_mib MiB; avbrottet lämnade inget efter sig."
