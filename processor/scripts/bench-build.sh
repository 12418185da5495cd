#!/usr/bin/env bash
# Benchmark: processor build (workbook → complete disclosure PDF) against LibreOffice's
# "save as PDF" (soffice --headless --convert-to pdf) on the same workbook, side by side, for
# each row count given (default 10000 100000). Prints wall time and peak memory. No assertion.
# The case has its raw export, so the build compares the workbook with it and searches the
# PDF's text for masked spans; BENCH_NORAW=-noraw measures without (as in CI).
# Usage: processor/scripts/bench-build.sh [ROWS...]   (from the repository root, after make build)
set -euo pipefail
root=$(pwd)
bin="$root/bin/processor"
[ -x "$bin" ] || { echo "bygg först: make build" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000)
for n in "${sizes[@]}"; do
  tmp=$(mktemp -d)
  cp "$root/installningar.yaml" "$tmp/" && cp -r "$root/templates" "$tmp/"
  go run ./processor/scripts/benchcase ${BENCH_NORAW:-} "$tmp" "$n"
  wb="$tmp/cases/2026-0001/e-postlogg.xlsx"
  echo "== $n rader ($(du -k "$wb" | cut -f1) KiB arbetsbok)"
  for run in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$tmp/t" "$bin" build --force --today 2026-11-22 --root "$tmp" "$tmp/cases/2026-0001" 2>"$tmp/out" >/dev/null || { cat "$tmp/out"; exit 1; }
    read -r wall rss < "$tmp/t"
    echo "processor build, körning $run: ${wall} s, högst $((rss / 1024)) MiB  ($(tail -1 "$tmp/out" | sed 's/.*byggd: //'))"
  done
  if command -v soffice >/dev/null; then
    /usr/bin/time -f '%e %M' -o "$tmp/t" soffice --headless --convert-to pdf --outdir "$tmp/lo" "$wb" >/dev/null 2>&1 || true
    read -r wall rss < "$tmp/t"
    echo "soffice --convert-to pdf: ${wall} s, högst $((rss / 1024)) MiB ($(pdfinfo "$tmp/lo/e-postlogg.pdf" 2>/dev/null | awk '/^Pages/{print $2}') sidor)"
  else
    echo "soffice saknas: installera libreoffice-calc för jämförelsen"
  fi
  rm -rf "$tmp"
done
