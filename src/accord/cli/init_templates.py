"""The files ``accord init`` writes. Tests hold them equal to ``examples/ci/contracts.yml`` and
``.pre-commit-hooks.yaml``, so the scaffold and the shipped examples cannot drift apart."""

from __future__ import annotations

STARTER = """\
# A data contract: what a dataset must look like for its consumers to trust it.
# `accord lint {path}` checks this file; `accord schema` gives editors completion.
# Validate data with: accord validate {path} DATA
accord: 1
name: {name}
version: 0.1.0                  # MAJOR.MINOR.PATCH: `accord diff` says which bump a change needs
description: Describe the dataset, who writes it and who reads it.
owner: data-team@example.com

dataset:
  columns: open                 # closed: an undeclared column fails validation
  primary_key: [id]
  row_count: {{min: 1}}           # zero rows is never a silent green run
  # freshness: {{field: updated_at, max_age: 26h}}

fields:
  id:
    type: int64
    role: id
  updated_at:
    type: timestamp
    tz: UTC
  status:
    type: string
    checks:
      - in: [active, closed]
  amount:
    type: float64
    nullable: true
    checks:
      - between: {{min: 0}}
"""

WORKFLOW = """\
# GitHub Actions: fail the build when a contract is invalid, when a contract change needs a
# bigger version bump than it declares, or when the nightly extract breaks its contract.
# Copy to .github/workflows/contracts.yml and set the accord version in `uses:`.
name: data contracts

on:
  pull_request:
    paths: ["contracts/**"]
  schedule:
    - cron: "30 2 * * *"   # after the nightly extract lands

jobs:
  contracts:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4

      # Lints every contract, and on a pull request diffs each one against the base branch
      # (a deleted contract included); annotations point at the contract's lines and a
      # Markdown summary lands on the run's page.
      - uses: OWNER/accord@v{version}   # OWNER: where accord is published; the tag: its version
        with:
          contracts: contracts/*.yaml
          # On the nightly run only: validate the extract (exit 1 on violations fails the job).
          validate: ${{{{ github.event_name == 'schedule' && '{validate}' || '' }}}}
          validate-args: --fail-on error
"""

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install`, then every commit that touches a
# contract lints it and checks that its version bump fits the change. The hooks run the accord
# installed in this environment (pip install accord), the same one CI runs.
repos:
  - repo: local
    hooks:
      - id: accord-lint
        name: accord lint (data contracts)
        entry: accord lint
        language: system
        files: ^contracts/.*\\.ya?ml$
        require_serial: true
      - id: accord-diff
        name: accord diff (contract changes declare the semver bump they need)
        entry: >-
          bash -c 'base="$(git merge-base HEAD "${{ACCORD_BASE:-origin/HEAD}}" 2>/dev/null
          || git rev-parse --verify --quiet HEAD)"
          || {{ echo "accord-diff: no commit to compare with yet"; exit 0; }};
          exec accord diff "$@" --against "$base"' accord-diff
        language: system
        files: ^contracts/.*\\.ya?ml$
        require_serial: true
"""
