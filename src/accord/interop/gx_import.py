"""A Great Expectations suite as an accord contract (``accord import gx``, INTEROP B.3).

Expectations with an accord equivalent become checks, keys and dataset rules; every other one is
kept verbatim under ``x-gx.unmapped`` with the reason, so nothing is dropped without a word.
Column types come from type expectations, or from ``meta.accord.fields`` in a suite accord
exported; the caller supplies the rest (``--data``) or is told which columns lack one.

The work is split by job: :mod:`~accord.interop.gx_args` reads an expectation's arguments,
:mod:`~accord.interop.gx_handlers` maps each kind of expectation, and
:mod:`~accord.interop.gx_importer` holds the contract under way.
"""

from __future__ import annotations

from accord.interop import gx_args
from accord.interop.gx_args import Unmappable
from accord.interop.gx_handlers import freshness, handler_for
from accord.interop.gx_importer import Imported, Importer
from accord.interop.gx_suite import Expectation, Suite

__all__ = ["Imported", "Unmappable", "contract_from_suite"]


def contract_from_suite(suite: Suite, *, fallback_name: str) -> Imported:
    importer = Importer(suite, fallback_name)
    for name, spec in importer.exported.get("fields", {}).items():
        importer.fields[name] = {**spec, "checks": []}
        importer.typed.add(name)
    for expectation in suite.expectations:
        try:
            _expectation(importer, expectation)
        except Unmappable as why:
            importer.unmap(expectation, str(why))
        else:
            importer.mapped.append(expectation.index)
    if importer.rules:
        importer.dataset["rules"] = importer.rules
    return Imported(
        importer.document(),
        importer.untyped(),
        importer.reasons,
        importer.notes,
        mapped=importer.mapped,
        origins=importer.origins,
    )


def _expectation(importer: Importer, e: Expectation) -> None:
    if freshness(importer, e):
        return
    for key, value in e.kwargs.items():
        if key in gx_args.UNSUPPORTED_ARGS and value not in (None, False, ""):
            raise Unmappable(f"{key}: {gx_args.UNSUPPORTED_ARGS[key]}")
        if gx_args.is_parameter(value):
            raise Unmappable(
                f"{key} is a suite parameter ({gx_args.show(value)}), known only at run time"
            )
    handler = handler_for(e.kind)
    if handler is None:
        raise Unmappable("accord has no equivalent check")
    handler(importer, e, importer.options(e))
