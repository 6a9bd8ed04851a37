"""The strict pydantic base every contract model derives from."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

EXTENSION_PREFIX = "x-"


class StrictModel(BaseModel):
    """Frozen, strict, and closed: an unknown key is an error, never a silently ignored rule.

    ``strict=True`` stops pydantic's lax coercions ("yes" to True, "1" to 1) so a value means what
    the YAML says. Models that allow ``x-`` extension keys collect them into ``extensions``.
    """

    # Attribute docstrings become the JSON Schema descriptions of `accord schema` and the docs,
    # read when a schema is written (accord.docstrings), not as each class is made; validators
    # are built on first use: both so that commands start faster.
    model_config = ConfigDict(
        strict=True,
        frozen=True,
        extra="forbid",
        populate_by_name=True,
        defer_build=True,
    )
    allows_extensions: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _collect_extensions(cls, data: Any) -> Any:
        if not cls.allows_extensions or not isinstance(data, dict):
            return data
        extensions = {k: v for k, v in data.items() if str(k).startswith(EXTENSION_PREFIX)}
        if not extensions:
            return data
        rest = {k: v for k, v in data.items() if k not in extensions}
        rest["extensions"] = {**rest.get("extensions", {}), **extensions}
        return rest
