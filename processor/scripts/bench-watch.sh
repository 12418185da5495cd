#!/usr/bin/env bash
# Benchmark: processor watch, from a review workbook saved the way Excel saves it (temporary
# file, delete, rename) to the updated disclosure PDF, for each row count given (default 1000
# 10000). The figure to meet: at most 500 ms for 1,000 rows, the 200 ms debounce included.
# Each save changes the masking in one cell (valid either way), so every save rebuilds the PDF.
# Prints the time per save (from the rename until the new PDF is in place, polled every
# 5 ms), median, min and max, and the watcher's own build times; then stops the watcher with
# SIGINT and checks that it exits 0 and leaves no temporary files. Beside it, LibreOffice's
# "save as PDF" of the same workbook, if soffice is installed. No assertion on the times.
# Usage: processor/scripts/bench-watch.sh [ROWS...]   (from the repository root, after make build;
# BENCH_RUNS=10 saves per row count)
set -euo pipefail
root=$(pwd)
bin="$root/bin/processor"
[ -x "$bin" ] || { echo "bygg först: make build" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
runs=${BENCH_RUNS:-10}
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
go build -o "$tools/benchwatch" ./processor/scripts/benchwatch
for n in "${sizes[@]}"; do
  tmp=$(mktemp -d)
  cp "$root/installningar.yaml" "$tmp/" && cp -r "$root/templates" "$tmp/"
  go run ./processor/scripts/benchcase "$tmp" "$n"
  wb="$tmp/cases/2026-0001/e-postlogg.xlsx"
  echo "== $n rader ($(du -k "$wb" | cut -f1) KiB arbetsbok), $runs sparningar"
  cp "$wb" "$tools/original.xlsx" # for LibreOffice: the workbook as benchcase wrote it
  "$bin" watch --av reg1 "$tmp" >"$tmp/watch.out" 2>"$tmp/watch.err" &
  pid=$!
  if ! "$tools/benchwatch" "$tmp" "$runs"; then
    kill -INT "$pid" 2>/dev/null || true
    cat "$tmp/watch.out" "$tmp/watch.err" >&2
    exit 1
  fi
  kill -INT "$pid"
  rc=0
  wait "$pid" || rc=$?
  builds=$(grep -o 'byggd på [0-9]* ms' "$tmp/watch.out" | awk '{print $3}' | tr '\n' ' ')
  echo "processor watch, egna byggtider (ms; den första är startens): ${builds:-inga}"
  [ "$rc" -eq 0 ] || { echo "processor watch avslutades med $rc efter SIGINT" >&2; cat "$tmp/watch.err" >&2; exit 1; }
  left=$(find "$tmp" -name '.*.tmp-*' -print)
  [ -z "$left" ] || { echo "tillfälliga filer kvar: $left" >&2; exit 1; }
  echo "processor watch avslutades med 0 efter SIGINT, inga tillfälliga filer kvar"
  if command -v soffice >/dev/null; then
    /usr/bin/time -f '%e %M' -o "$tmp/t" soffice --headless --convert-to pdf --outdir "$tmp/lo" "$tools/original.xlsx" >/dev/null 2>&1 || true
    read -r wall rss < "$tmp/t"
    echo "soffice --convert-to pdf: ${wall} s, högst $((rss / 1024)) MiB ($(pdfinfo "$tmp/lo/original.pdf" 2>/dev/null | awk '/^Pages/{print $2}') sidor)"
  else
    echo "soffice saknas: installera libreoffice-calc för jämförelsen"
  fi
  rm -rf "$tmp"
done
