"""The service's roles (issue 19): what each may do is checked route by route in a later slice."""

from __future__ import annotations

from enum import Enum


class Role(Enum):
    AGENT = "agent"
    """Edit data, build, check, draft the settlement."""
    RESPONSABLE = "responsable"
    """An agent who may also build `--final` and validate a settlement."""
    LECTURE = "lecture"
    """Read everything, change nothing."""
    ASSOCIATION = "association"
    """Its own deposit space only, nothing of the back office."""
