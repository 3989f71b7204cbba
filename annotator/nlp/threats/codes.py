"""THREAT.cameo codes, read from the schema's ``[mappings]`` (resources/schemas/news.toml).

The schema is the one place that maps THREAT.mode and THREAT.type to CAMEO and PLOVER (exports
read the same tables), so the component takes its codes from there instead of keeping a copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from annotator.schema import LabelSchema, load_schema

CODE_KEY = "cameo_code"


def _codes(table: object) -> dict[str, str]:
    """``{key: cameo_code}`` of a mapping table (entries without a code are left out)."""
    if not isinstance(table, dict):
        return {}
    return {str(k): str(v[CODE_KEY]) for k, v in table.items() if isinstance(v, dict) and v.get(CODE_KEY)}


@dataclass(frozen=True)
class ThreatCodes:
    """CAMEO codes per threat mode and type, and the code of an unspecified threat."""

    by_mode: dict[str, str] = field(default_factory=dict)
    by_type: dict[str, str] = field(default_factory=dict)
    unspecified: str = ""

    @classmethod
    def from_schema(cls, schema: LabelSchema) -> ThreatCodes:
        """The codes of `schema`'s threat_mode / threat_type / threat_unspecified tables."""
        m = schema.mappings or {}
        rest = m.get("threat_unspecified")
        return cls(
            by_mode=_codes(m.get("threat_mode")),
            by_type=_codes(m.get("threat_type")),
            unspecified=str(rest.get(CODE_KEY, "")) if isinstance(rest, dict) else "",
        )

    def cameo(self, mode: str, threat_type: str) -> str:
        """The type's code (an ultimatum: 139), else the mode's, else the unspecified one ("" when
        the schema has none: the attribute is then left out)."""
        return self.by_type.get(threat_type) or self.by_mode.get(mode) or self.unspecified


@lru_cache(maxsize=1)
def default_codes() -> ThreatCodes:
    """The codes of the default schema, read once per process."""
    return ThreatCodes.from_schema(load_schema())
