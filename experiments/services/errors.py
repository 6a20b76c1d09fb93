"""The error every experiment use case raises on bad input or a refused action."""

from __future__ import annotations


class ExperimentError(ValueError):
    """Field-level errors ({field: [messages]}, "__all__" for the whole request), as the doors show them."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))

    @classmethod
    def whole(cls, message: str) -> "ExperimentError":
        return cls({"__all__": [message]})
