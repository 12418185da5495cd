#!/usr/bin/env bash
# Benchmark: an e-post case of N e-mails (default 1000) from a released log of N rows, through
# processor import (read the .eml files, match each to its log row, write the review texts,
# check the case), processor godkänn, processor validate (prove every masked text against its
# e-mail) and processor build (the PDF, self-checked), against LibreOffice's
# soffice --headless --convert-to pdf on the same review texts, in one run: once concatenated
# into one .txt, once as N files, 200 to a soffice call (it reads no more than 253 arguments).
# Each step 3 times: median, range and the highest peak memory. No assertion. soffice converts
# all N texts; the PDF has only the released ones (the private e-mails are withheld).
# The repository is made by processor/scripts/benchmail (see there): the log is casegen's (as
# bench-build.sh), built and recorded as released; the texts are masked by benchmail mask (about
# 16 % of them; not timed). soffice starts once before (not timed) to make its user profile.
# Usage: processor/scripts/bench-mail.sh [N]   (from the repository root, after make build;
# BENCH_BIN=path measures another processor binary)
set -euo pipefail
n=${1:-1000}
root=$(pwd)
bin=${BENCH_BIN:-$root/bin/processor}
[ -x "$bin" ] || { echo "bygg först: make build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/installningar.yaml" "$tmp/" && cp -r "$root/templates" "$tmp/"
gen="$tmp/benchmail"
go build -o "$gen" ./processor/scripts/benchmail
echo "Genererar ärendena i $tmp ..."
made=$("$gen" make "$tmp" "$n")
cd "$tmp"
log=cases/2026-0001 mc=cases/2026-0002
texts=$mc/arbetsyta/e-post
# The log: built and released, as an e-post case needs it.
"$bin" build --force --today 2026-11-22 "$log" >/dev/null 2>out || { cat out; exit 1; }
"$gen" addline "$log/request.md" '  pdf_skapad: {datum: 2026-11-19, av: reg1}' \
  '  utlämnad: {datum: 2026-11-19, av: reg1, sätt: e-post, information_om_skriftligt_beslut: ja}'
cp "$mc/request.md" req-before-import.md

rows=()
# measure LABEL RESET CMD...: runs CMD three times, RESET (a function; not timed) before each.
measure() {
  local label=$1 reset=$2 walls=() rss=() run w m
  shift 2
  for run in 1 2 3; do
    "$reset"
    /usr/bin/time -f '%e s %M KiB' -o t "$@" >out 2>&1 || { echo "$label misslyckades:" >&2; cat out t >&2; exit 1; }
    read -r w _ m _ < t
    walls+=("$w") rss+=("$m")
    echo "  $label, körning $run: $(cat t)"
  done
  mapfile -t walls < <(printf '%s\n' "${walls[@]}" | sort -n)
  mapfile -t rss < <(printf '%s\n' "${rss[@]}" | sort -n)
  rows+=("$(row "$label" "${walls[1]} s" "${walls[0]}–${walls[2]} s" "$((rss[2] / 1024)) MiB")")
}
# row LABEL MEDIAN RANGE MEMORY: a line of the table, padded by characters (printf pads bytes).
row() {
  local LC_ALL=C.UTF-8
  printf '%s%*s %*s%s %*s%s %*s%s\n' "$1" $((54 - ${#1})) '' $((8 - ${#2})) '' "$2" $((15 - ${#3})) '' "$3" $((12 - ${#4})) '' "$4"
}
nothing() { :; }

echo "== $n e-postmeddelanden: $made"
echo "Belastning före: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) kärnor)"

reset_import() { cp req-before-import.md "$mc/request.md"; rm -rf "$texts"; }
measure "processor import (läsa, matcha, skriva $n texter)" reset_import \
  "$bin" import --stilla 0 --av reg1 --today 2026-11-20 "$mc"
echo "  $(grep -m1 '^Importerade' out)"

echo "Maskerar (tas inte tid på): $("$gen" mask "$tmp")"
cp "$mc/request.md" req-before-approval.md
reset_approval() { cp req-before-approval.md "$mc/request.md"; }
measure "processor godkänn" reset_approval "$bin" godkänn --av jur1 --today 2026-11-21 "$mc"
measure "processor validate (bevisa $n texter mot e-posten)" nothing "$bin" validate --today 2026-11-21 "$mc"
echo "  $(tail -1 out)"
"$gen" addline "$mc/request.md" '  pdf_skapad: {datum: 2026-11-21, av: reg1}'
measure "processor build (pdf och självkontroll)" nothing "$bin" build --force --today 2026-11-21 "$mc"
pdf=$mc/utlamnande/2026-0002-utlamnande.pdf
echo "  $(tail -1 out | sed 's/.*byggd: //'), $(du -k "$pdf" | cut -f1) KiB"

if command -v soffice >/dev/null; then
  mkdir -p lo-in
  first=1
  for f in "$texts"/*.txt; do # one document: the texts one after another, a blank line between
    [ $first = 1 ] || printf '\n' >> lo-in/alla.txt
    cat "$f" >> lo-in/alla.txt
    first=0
  done
  lo=(soffice "-env:UserInstallation=file://$tmp/lo-profil" --headless "--infilter=Text (encoded):UTF8" --convert-to pdf)
  printf 'Hej\n' > lo-in/start.txt
  "${lo[@]}" --outdir lo-start lo-in/start.txt >/dev/null 2>&1 || true # the user profile, once
  reset_lo1() { rm -rf lo1; }
  measure "soffice --convert-to pdf, 1 .txt ($(du -k lo-in/alla.txt | cut -f1) KiB)" reset_lo1 "${lo[@]}" --outdir lo1 lo-in/alla.txt
  [ -s lo1/alla.pdf ] || { echo "soffice skrev ingen pdf:" >&2; cat out >&2; exit 1; }
  echo "  $(pdfinfo lo1/alla.pdf 2>/dev/null | awk '/^Pages/{print $2}') sidor, $(du -k lo1/alla.pdf | cut -f1) KiB"
  # soffice reads at most 253 command-line arguments and silently leaves the rest (LibreOffice
  # 7.4: 246 files with these 7 options, exit status 0): the files go 200 to a call.
  printf '%s\0' "$texts"/*.txt > lo-in/filer
  reset_lo2() { rm -rf lo2; }
  measure "soffice --convert-to pdf, $n .txt (200 per anrop)" reset_lo2 \
    xargs -0 -n 200 -a lo-in/filer "${lo[@]}" --outdir lo2
  pdfs=(lo2/*.pdf)
  [ ${#pdfs[@]} = "$(ls "$texts" | wc -l)" ] || { echo "soffice skrev ${#pdfs[@]} pdf:er av $(ls "$texts" | wc -l):" >&2; tail out >&2; exit 1; }
  echo "  ${#pdfs[@]} pdf:er, $(cat lo2/*.pdf | wc -c | awk '{print int($1/1024)}') KiB"
else
  echo "soffice saknas: installera libreoffice-writer-nogui för jämförelsen"
fi

echo
echo "== $n e-postmeddelanden, $(nproc) kärnor, belastning efter: $(cut -d' ' -f1-3 /proc/loadavg)"
row "steg (3 körningar)" median spann "högst minne"
printf '%s\n' "${rows[@]}"
