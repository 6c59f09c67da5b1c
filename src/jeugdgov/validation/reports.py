"""The reports of several setups as one collection: what validating files, a store or an endpoint returns."""

from __future__ import annotations

from typing import TYPE_CHECKING, SupportsIndex, overload

from jeugdgov.display import Markup, html_table, severity_badge
from jeugdgov.setups import Setup
from jeugdgov.validation.findings import Findings, Report
from jeugdgov.words import severity_word

if TYPE_CHECKING:
    from pandas import DataFrame


class Reports(list[Report]):
    """One report per setup, in a list that also answers by setup name (``reports["lelystad-jel"]``),
    gathers the findings of all setups (``.findings``), turns them into a DataFrame
    (``.to_frame()``) and shows as a table in a notebook."""

    @overload
    def __getitem__(self, key: SupportsIndex) -> Report: ...

    @overload
    def __getitem__(self, key: slice) -> list[Report]: ...

    @overload
    def __getitem__(self, key: str) -> Report: ...

    def __getitem__(self, key: SupportsIndex | slice | str) -> Report | list[Report]:
        if not isinstance(key, str):
            return super().__getitem__(key)
        for report in self:
            if report.setup.name == key:
                return report
        raise KeyError(f"no setup named '{key}'; setups: {', '.join(self.names)}")

    @property
    def names(self) -> list[str]:
        return [r.setup.name for r in self]

    @property
    def setups(self) -> list[Setup]:
        return [r.setup for r in self]

    @property
    def findings(self) -> Findings:
        """The findings of every setup, setup by setup."""
        return Findings(f for report in self for f in report.findings)

    def to_frame(self, lang: str = "en") -> DataFrame:
        """All findings as a DataFrame, one row per finding (see Findings.to_frame)."""
        return self.findings.to_frame(lang)

    def __repr__(self) -> str:
        return f"Reports({len(self)} setups, {self.findings!r})"

    def _repr_html_(self, lang: str = "en") -> str:
        rows = []
        for report in self:
            badges = [severity_badge(s, f"{n} {severity_word(s, lang)}") for s, n in report.findings.counts().items()]
            rows.append((report.setup.name, report.setup.label(lang), len(report.findings),
                         Markup(" ".join(badges)) if badges else "conforms",
                         report.as_of.isoformat() if report.as_of else ""))
        return html_table(("setup", "label", "findings", "severity", "as of"), rows)
