"""Figures of the fuzz suite: requests sent and server errors met, printed and kept in var/.

Each part (api, pages) adds its counts; `report()` prints one line per part (visible with
`pytest -s`) and rewrites var/fuzz-figures.json, so a run's figures can be quoted afterwards.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

FIGURES_FILE = Path(__file__).resolve().parents[2] / "var" / "fuzz-figures.json"


@dataclass
class FuzzFigures:
    part: str
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)  # "METHOD path params → status"
    known: list[str] = field(default_factory=list)  # 5xx of findings still open (pages)
    seconds: float = 0.0

    def record(self, request_line: str, status: int, *, known: bool = False) -> None:
        self.statuses[status] += 1
        if status >= 500:
            (self.known if known else self.server_errors).append(f"{request_line} → {status}")

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())

    def line(self) -> str:
        by_status = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        return (f"FIGURES fuzz {self.part}: {self.requests} requests in {self.seconds:.1f}s, "
                f"{len(self.server_errors) + len(self.known)} 5xx ({len(self.known)} of open findings) [{by_status}]")

    def report(self, database: str) -> None:
        print("\n" + self.line() + f" on {database}")
        FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
        figures = json.loads(FIGURES_FILE.read_text()) if FIGURES_FILE.exists() else {}
        figures[self.part] = {"database": database, "requests": self.requests, "seconds": round(self.seconds, 1),
                              "server_errors": self.server_errors, "open_findings": self.known,
                              "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}
        FIGURES_FILE.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
