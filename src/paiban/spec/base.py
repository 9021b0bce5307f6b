"""The base of every spec model: strict keys, so a misspelt key is an error, not a silent default."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A spec node. Unknown keys are refused (`extra='forbid'`) because an editor's typo
    (`colums: 3`) silently ignored is worse than a clear error."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, validate_default=True)
