#!/usr/bin/env bash
# Benchmark: `processor validate` over N generated cases (default 10,000), each a complete
# e-postlogg case through all 12 steps (the most expensive kind to check).
# Prints wall time (best and median of 5 runs) and peak memory. Not a test: no assertion.
# Usage: processor/scripts/bench-validate.sh [N]   (run from the repository root, after make build)
set -euo pipefail
n=${1:-10000}
root=$(pwd)
bin="$root/bin/processor"
[ -x "$bin" ] || { echo "bygg först: make build" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/installningar.yaml" "$tmp/"
cp -r "$root/templates" "$tmp/"
mkdir -p "$tmp/cases"

echo "Genererar $n ärenden i $tmp ..."
read -r -d '' template <<'CASE' || true
---
ärende: @ID@
typ: e-postlogg
inkom_via: myndighetsbrevlådan
frågeställare:
  namn: ""
  kontakt: fragestallare@I@@example.se
medarbetare:
  namn: Medarbetare Nummer@I@
  brevlåda: medarbetare@I@@region.example
omfattning:
  mappar: [Inkorg, Skickat]
  från: 2026-05-01
  till: 2026-05-31
steg:
  mottagen: {datum: 2026-06-01, av: reg1}
  kvalitetsgranskad: {datum: 2026-06-01, av: reg1, komplettering: nej}
  medarbetare_informerad: {datum: 2026-06-01, av: reg1}
  logg_beställd: {datum: 2026-06-02, av: reg1, beställd_från: m365@region.example}
  bevakning: {datum: 2026-06-02, av: reg1, bevakas_till: 2026-06-05}
  export_mottagen:
    datum: 2026-06-03
    av: reg1
    fil: export.xlsx
    sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
    rader: 120
  privat_granskad: {datum: 2026-06-03, av: reg1, antal_privata: 4}
  sekretessprövad:
    datum: 2026-06-04
    av: reg1
    jurist_konsulterad: ja
    bestämmelser:
      25 kap. 1 § OSL: 3
      OSL 39:3 tredje stycket: 1
    godkänd: {datum: 2026-06-04, av: jur1}
  pdf_skapad: {datum: 2026-06-04, av: reg1}
  utlämnad: {datum: 2026-06-04, av: reg1, sätt: e-post, information_om_skriftligt_beslut: ja}
  avslutad: {datum: 2026-06-05, av: reg1, gallras: 2026-09-05}
  gallrad: {datum: 2026-09-07, av: reg1, beslut: "DHP 1.2.3"}
---

# Begäran @I@
CASE
# Bash built-ins only inside the loop: one process for all folders, none per file.
dirs=()
for ((i = 1; i <= n; i++)); do
  if [ "$i" -le 9999 ]; then printf -v id '2026-%04d' "$i"; else printf -v id '2025-%04d' $((i - 9999)); fi
  dirs+=("$tmp/cases/$id")
done
printf '%s\0' "${dirs[@]}" | xargs -0 mkdir
for ((i = 1; i <= n; i++)); do
  d=${dirs[i - 1]}
  text=${template//@ID@/${d##*/}}
  printf '%s\n' "${text//@I@/$i}" > "$d/request.md"
done

cd "$tmp"
echo "Kontroll: $("$bin" validate --today 2026-11-22 2>&1 >/dev/null | tail -1)"
times=()
for run in 1 2 3 4 5; do
  /usr/bin/time -f '%e %M' -o "$tmp/time.txt" "$bin" validate --today 2026-11-22 >/dev/null 2>&1
  read -r wall rss < "$tmp/time.txt"
  times+=("$wall")
  echo "körning $run: ${wall} s, högst $((rss / 1024)) MiB"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "processor validate, $n ärenden, $(nproc) kärnor: bäst $(echo "$sorted" | head -1) s, median $(echo "$sorted" | sed -n 3p) s"
