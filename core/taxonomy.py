"""GDPval's taxonomy of sectors and occupations, shipped as ``occupations/taxonomy.yaml``.

Every task names a sector and an occupation from it, verbatim, so that reports group the
same way GDPval does. A suite may carry its own ``taxonomy.yaml`` at its root to extend
the list; otherwise the built-in one applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.yamlio import load_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
BUILTIN_TAXONOMY = REPO_ROOT / "occupations" / "taxonomy.yaml"


def slugify(text: str) -> str:
    """Folder-safe lower-case slug: ``Finance and Insurance`` -> ``finance-and-insurance``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


@dataclass(frozen=True)
class Taxonomy:
    """Sectors and, for each, its occupations (names verbatim from GDPval)."""

    sectors: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def sector_of(self, occupation: str) -> str | None:
        for sector, occupations in self.sectors.items():
            if occupation in occupations:
                return sector
        return None

    @property
    def occupations(self) -> list[str]:
        return [o for occs in self.sectors.values() for o in occs]

    def problem(self, sector: str, occupation: str) -> tuple[str, str] | None:
        """``(field, message)`` if the pair is not in the taxonomy, else None."""
        if sector not in self.sectors:
            close = _closest(sector, list(self.sectors))
            return "sector", f"unknown sector {sector!r}{close}"
        if occupation not in self.sectors[sector]:
            home = self.sector_of(occupation)
            if home:
                return "occupation", f"occupation {occupation!r} belongs to sector {home!r}"
            close = _closest(occupation, list(self.sectors[sector]))
            return "occupation", f"unknown occupation {occupation!r} in {sector!r}{close}"
        return None


def _closest(word: str, options: list[str]) -> str:
    import difflib

    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def load_taxonomy(path: Path) -> Taxonomy:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    sectors: dict[str, tuple[str, ...]] = {}
    for s in data.get("sectors", []):
        sectors[s["name"]] = tuple(o["name"] for o in s.get("occupations", []))
    return Taxonomy(sectors)


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> Taxonomy:
    return load_taxonomy(Path(path))


def taxonomy_for(suite_root: Path | None = None) -> Taxonomy:
    """The suite's own ``taxonomy.yaml`` when it has one, else the built-in taxonomy."""
    candidates = [suite_root / "taxonomy.yaml"] if suite_root else []
    for p in [*candidates, BUILTIN_TAXONOMY]:
        if p.is_file():
            return _cached(str(p), p.stat().st_mtime)
    raise FileNotFoundError(f"no taxonomy.yaml found (looked for {BUILTIN_TAXONOMY})")
