"""What Session.handle answers; see the package docstring for the contract."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Forward:
    """Send `sql` to MariaDB instead; call on_done(error) when it answered."""

    sql: str
    on_done: Callable | None = None


@dataclass
class Fail:
    """Answer with this ERR packet and send nothing."""

    errno: int
    sqlstate: str
    message: str


@dataclass
class Ok:
    """Answer with an OK packet and send nothing."""

    affected_rows: int = 0
