"""The base of every spec model: strict keys, so a misspelt key is an error, not a silent default."""

from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A spec node. Unknown keys are refused (`extra='forbid'`) because an editor's typo
    (`colums: 3`) silently ignored is worse than a clear error."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, validate_default=True)


# Default factories for empty containers. Not `dict`/`list` themselves: pydantic inspects a
# factory's signature while building the class, and for a builtin that means parsing its text
# signature with `tokenize`, whose first use compiles a large regex (~7 ms of every build).
def empty_dict() -> dict[Any, Any]:
    return {}


def empty_list() -> list[Any]:
    return []
