"""jeugdgov: check how Dutch municipalities govern youth care.

The library surface is small on purpose::

    from jeugdgov import load, validate

    for setup in load("data/lelystad.trig"):
        report = validate(setup)
        for finding in report.findings:
            print(finding.defect, finding.message("en"))
"""

from jeugdgov.errors import InputError
from jeugdgov.setups import Setup, load
from jeugdgov.validation import Finding, Report, validate

__all__ = ["Finding", "InputError", "Report", "Setup", "load", "validate"]
__version__ = "0.1.0"
