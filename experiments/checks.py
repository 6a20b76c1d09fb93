"""The hold-constant check of an experiment's arms (spec 12a), pure (no Django).

Every arm's ad must carry the arm's value of the variable, and share the control's value on
every held dimension (`vocabulary.held_dimensions`: all element dimensions but the variable
and those that change with it). A mismatch is a reason that blocks deployment: an arm that
differs in two elements measures neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from experiments.vocabulary import as_value, held_dimensions


@dataclass(frozen=True)
class ArmAd:
    key: str                     # "control", "t1" …
    value: str                   # the arm's intended value of the variable
    tags: Mapping[str, object]   # the ad's element tags


def hold_constant_errors(variable: str, arms: Sequence[ArmAd]) -> dict[str, list[str]]:
    """Per arm key, what differs from the plan (empty lists when the arm is fine).

    `arms[0]` is the control: the held values are its tags."""
    if not arms:
        raise ValueError("at least the control arm is needed")
    control = arms[0]
    held = held_dimensions(variable)
    errors: dict[str, list[str]] = {}
    for arm in arms:
        problems = []
        actual = as_value(arm.tags.get(variable))
        if actual != arm.value:
            problems.append(f"{variable} is {actual or 'none'!r}, the arm is for {arm.value or 'none'!r}")
        if arm is not control:
            for dimension in held:
                mine, theirs = as_value(arm.tags.get(dimension)), as_value(control.tags.get(dimension))
                if mine != theirs:
                    problems.append(f"{dimension} is {mine or 'none'!r} but the control's is {theirs or 'none'!r}; "
                                    "it must be held constant")
        errors[arm.key] = problems
    return errors
