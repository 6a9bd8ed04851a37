"""The HTML report's stylesheet: every rule scoped under ``.accord-report``, so the same markup can
sit inside a notebook cell without restyling the notebook, and the filters work without scripts.
"""

from __future__ import annotations

__all__ = ["STATUSES", "stylesheet"]

STATUSES = ("failed", "skipped", "note", "passed")
"""The statuses a row can have, in the order the filters offer them."""

_BASE = """
.accord-report{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;
 line-height:1.45;max-width:72rem;margin:0 auto}
.accord-report h1{font-size:1.45rem;margin:.2rem 0 .6rem}
.accord-report h2{font-size:1.15rem;margin:1.8rem 0 .5rem;border-bottom:1px solid #d0d7de;
 padding-bottom:.2rem}
.accord-report h3{font-size:1rem;margin:0;display:inline}
.accord-report table{border-collapse:collapse;margin:.4rem 0;width:100%}
.accord-report th,.accord-report td{border:1px solid #d0d7de;padding:.25rem .45rem;
 text-align:left;vertical-align:top}
.accord-report th{background:#f6f8fa;font-weight:600}
.accord-report td.num{text-align:right;white-space:nowrap}
.accord-report code,.accord-report .mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;
 font-size:.88em}
.accord-report .verdict{padding:.12rem .55rem;border-radius:.3rem;color:#fff;font-size:.95rem;
 vertical-align:middle}
.accord-report .v-passed{background:#1a7f37}.accord-report .v-failed{background:#cf222e}
.accord-report .v-incomplete{background:#9a6700}
.accord-report .identity{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;
 margin:.3rem 0}
.accord-report .identity dt{font-weight:600;color:#59636e}.accord-report .identity dd{margin:0}
.accord-report .cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}
.accord-report .card{border:1px solid #d0d7de;border-radius:.4rem;padding:.4rem .8rem;
 min-width:7.5rem}
.accord-report .card b{display:block;font-size:1.35rem}
.accord-report .card span{color:#59636e;font-size:.85rem}
.accord-report .c-failed b{color:#cf222e}.accord-report .c-passed b{color:#1a7f37}
.accord-report .c-skipped b{color:#9a6700}.accord-report .c-note b{color:#0969da}
.accord-report nav.toc{margin:.6rem 0;font-size:.92rem}
.accord-report nav.toc a{margin-right:.8rem;color:#0969da}
.accord-report .badge{display:inline-block;min-width:4.2rem;text-align:center;border-radius:1rem;
 padding:0 .45rem;font-size:.8rem;font-weight:600;color:#fff}
.accord-report .s-passed{background:#1a7f37}.accord-report .s-failed{background:#cf222e}
.accord-report .s-skipped{background:#9a6700}.accord-report .s-note{background:#0969da}
.accord-report .s-warning{background:#bf8700}
.accord-report .sev-error{color:#cf222e;font-weight:600}
.accord-report .sev-warning{color:#9a6700;font-weight:600}.accord-report .sev-info{color:#0969da}
.accord-report ul.examples{margin:.2rem 0 0;padding-left:1rem}
.accord-report .muted{color:#59636e}
.accord-report details.group{border:1px solid #d0d7de;border-radius:.4rem;margin:.5rem 0;
 padding:.3rem .6rem}
.accord-report details.group>summary{cursor:pointer;padding:.15rem 0}
.accord-report details.group table{table-layout:fixed}
.accord-report details.group th:nth-child(1){width:8.5rem}
.accord-report details.group th:nth-child(2){width:11rem}
.accord-report details.group th:nth-child(3){width:15rem}
.accord-report details.group th:nth-child(4){width:3.2rem}
.accord-report details.group th:nth-child(5){width:7.5rem}
.accord-report td{overflow-wrap:anywhere}
.accord-report .filters{margin:.4rem 0;font-size:.92rem}
.accord-report input.filter{position:absolute;opacity:0;pointer-events:none}
.accord-report .filters label{border:1px solid #d0d7de;border-radius:1rem;padding:.1rem .7rem;
 margin-right:.3rem;cursor:pointer;display:inline-block;margin-bottom:.3rem}
.accord-report .charts{display:flex;flex-wrap:wrap;gap:1.2rem}
.accord-report figure{margin:.3rem 0}.accord-report figcaption{font-weight:600;margin:.2rem 0}
.accord-report svg text{font-family:system-ui,sans-serif;font-size:11px;fill:#1f2328}
.accord-report .legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;
 vertical-align:middle}
@media print{
 .accord-report .filters,.accord-report nav.toc{display:none}
 .accord-report tr.row{display:table-row!important}
 .accord-report details.group{break-inside:avoid-page}
 .accord-report .verdict,.accord-report .badge{-webkit-print-color-adjust:exact;
  print-color-adjust:exact}
}
""".strip()


def stylesheet(uid: str) -> str:
    """The CSS for one report whose filter inputs are named ``{uid}-…``.

    Each filter is a radio input placed before the groups; choosing one hides every row of the
    other statuses (CSS sibling selectors, so it works in a mailed file with scripts blocked).
    """
    rules = [_BASE]
    checked = [f"#{uid}-f-all:checked~.filters label[for={uid}-f-all]"]
    for status in STATUSES:
        others = ",".join(
            f"#{uid}-f-{status}:checked~.groups tr.st-{other}"
            for other in STATUSES
            if other != status
        )
        rules.append(f"{others}{{display:none}}")
        rules.append(
            f"#{uid}-f-{status}:checked~.groups details.group:not(.has-{status}){{display:none}}"
        )
        checked.append(f"#{uid}-f-{status}:checked~.filters label[for={uid}-f-{status}]")
    rules.append(f"{','.join(checked)}{{background:#0969da;color:#fff;border-color:#0969da}}")
    return "\n".join(rules)
