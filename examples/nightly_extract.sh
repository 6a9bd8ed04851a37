#!/usr/bin/env bash
# Validate last night's extract before anything downstream reads it.
#
#   examples/nightly_extract.sh [EXTRACT_DIR]
#
# Exit codes are accord's: 0 the extract honours the contract, 1 it violates it (the job
# fails and nothing is published), 2 it could not be validated (missing file, bad contract).
# One validation writes every report: JSON (kept next to the extract; `accord render` turns it
# into any other format later), an HTML page to share, JUnit XML for the CI test tab, and a
# Markdown summary for the job log (or $GITHUB_STEP_SUMMARY on GitHub Actions).
set -euo pipefail

extract_dir="${1:-extract/$(date -u +%F)}"
contract="contracts/transactions.yaml"
report="$extract_dir/accord-report"

# A lost key field is reported in well under a second, before any value is read.
accord validate "$contract" "$extract_dir" --schema-only --format github

summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
set +e
accord validate "$contract" "$extract_dir" --as-of "$(date -u +%FT%TZ)" \
  --output "$report.json" --output "$report.html" --output "$report.xml" \
  --output "markdown:$summary"
status=$?
set -e

if [ -s "$summary" ]; then
  cat "$summary" >> "${GITHUB_STEP_SUMMARY:-/dev/stdout}"
fi

case "$status" in
  0) echo "extract $extract_dir honours $contract" ;;
  1) echo "extract $extract_dir violates $contract: see $report.html" >&2 ;;
  *) echo "extract $extract_dir could not be validated" >&2 ;;
esac
exit "$status"
