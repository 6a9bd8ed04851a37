"""Reference statistics and drift (SPEC 1.7): ``accord profile`` and ``--reference``.

Not imported by ``import accord``: it loads numpy and pyarrow. Build a profile from training
data, store it as JSON next to the model, and compare serving data with it::

    from accord.drift import build_profile, drift_violations, ReferenceProfile

    stats = build_profile(train_df, contract.model, profile="training")
    Path("stats.json").write_text(stats.to_json())
    violations = drift_violations(batch, contract.model, ReferenceProfile.read("stats.json"))

Data too large to hold is profiled batch by batch with :class:`ProfileBuilder`, and its drift
measured with :class:`BatchedDrift`: both keep summaries, not columns.
"""

from accord.drift.batched import BatchedDrift
from accord.drift.compare import (
    DriftOutcome,
    check_compatible,
    drift_violations,
    evaluate_drift,
    load_reference,
)
from accord.drift.metrics import (
    ks_statistic,
    mean_shift,
    null_fraction_delta,
    psi,
    unseen_categories,
)
from accord.drift.profiling import ProfileBuilder
from accord.drift.reference import ReferenceProfile
from accord.drift.stats import build_profile

__all__ = [
    "BatchedDrift",
    "DriftOutcome",
    "ProfileBuilder",
    "ReferenceProfile",
    "build_profile",
    "check_compatible",
    "drift_violations",
    "evaluate_drift",
    "ks_statistic",
    "load_reference",
    "mean_shift",
    "null_fraction_delta",
    "psi",
    "unseen_categories",
]
