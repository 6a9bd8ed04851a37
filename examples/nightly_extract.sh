#!/usr/bin/env bash
# Validate last night's extract before anything downstream reads it.
#
#   examples/nightly_extract.sh [EXTRACT_DIR]
#
# Exit codes are accord's: 0 the extract honours the contract, 1 it violates it (the job
# fails and nothing is published), 2 it could not be validated (missing file, bad contract).
# The JSON report is kept next to the extract, and a Markdown summary goes to the job log
# (or to $GITHUB_STEP_SUMMARY on GitHub Actions).
set -euo pipefail

extract_dir="${1:-extract/$(date -u +%F)}"
contract="contracts/transactions.yaml"
report="$extract_dir/accord-report.json"

# A lost key field is reported in well under a second, before any value is read.
accord validate "$contract" "$extract_dir" --schema-only --format github

set +e
accord validate "$contract" "$extract_dir" \
  --as-of "$(date -u +%FT%TZ)" --format json --output "$report"
status=$?
set -e

accord_summary="${GITHUB_STEP_SUMMARY:-/dev/stdout}"
accord validate "$contract" "$extract_dir" --format markdown >> "$accord_summary" || true

case "$status" in
  0) echo "extract $extract_dir honours $contract" ;;
  1) echo "extract $extract_dir violates $contract: see $report" >&2 ;;
  *) echo "extract $extract_dir could not be validated" >&2 ;;
esac
exit "$status"
