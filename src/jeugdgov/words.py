"""The words jeugdgov shows for a finding's severity and evidence status, in Dutch and English.

One vocabulary for every output a person reads: the terminal, the report, the norm table,
pictures, compare and the endpoint's findings query. JSON and CSV keep the identifiers
(``Violation``, ``unrecorded``) that programs read.
"""

from __future__ import annotations

SEVERITY_WORDS = {
    "Violation": {"nl": "overtreding", "en": "violation"},
    "Warning": {"nl": "waarschuwing", "en": "warning"},
    "Info": {"nl": "advies", "en": "advice"},
}
EVIDENCE_WORDS = {
    "established": {"nl": "vastgesteld", "en": "established"},
    "unrecorded": {"nl": "na te gaan", "en": "to verify"},
    "alleged": {"nl": "bewering", "en": "alleged"},
}


def severity_word(severity: str, lang: str) -> str:
    """The word for a severity (Violation, Warning, Info) in a language."""
    return SEVERITY_WORDS.get(severity, {}).get(lang, severity)


def evidence_word(evidence: str, lang: str) -> str:
    """The word for an evidence status (established, unrecorded, alleged) in a language."""
    return EVIDENCE_WORDS.get(evidence, {}).get(lang, evidence)
