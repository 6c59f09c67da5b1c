"""Synthetic national-scale governance data with planted defects, for scale tests and benchmarks.

The country is cut into regions (42 by default, with 342 municipalities and about 4,000
care providers). Each region is one setup, written as one N-Triples file: its
municipalities with their bodies, officials, competences and mandates; a joint arrangement
(GR) or a central-municipality arrangement (centrumregeling); purchase contracts with the
providers it contracts; per-case financing, subsidies and pass-throughs with their
accountability lines; a steering group and a collaboration agreement; and the individual
decisions (beschikkingen) of its municipalities with adviser, decider and the mandate used.

Clean data triggers no shape. Each defect of the catalogue is planted at a chosen rate by
changing or adding exactly the facts that defect is about, on objects no other planted
defect touches; ``planted.json`` lists every finding a correct validator must report
(setup, defect, focus, value). Everything follows from the seed.

The output folder holds ``setups/`` (one ``.nt`` file per region: validate this folder) and
``planted.json``. Files are written line by line and moved into place only when complete.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from jeugdgov.errors import InputError
from jeugdgov.output import replacing_file, replacing_folder
from jeugdgov.synth.country import (
    BYTES_PER_TRIPLE,
    DECISION_TRIPLES,
    NOT_PLANTED,
    PLANTED,
    SETUPS,
    STORE_BYTES_PER_TRIPLE,
    Parameters,
    Planted,
    decisions_of,
    layout,
    plan,
    planted_defects,
)
from jeugdgov.synth.writer import RegionWriter, Writer

__all__ = ["NOT_PLANTED", "Estimate", "Parameters", "Planted", "Summary", "check_room", "estimate",
           "generate", "planted_counts", "planted_defects", "read_planted"]


@dataclass
class Estimate:
    """Size of the output and of the largest setup in a validation store."""

    triples: int
    disk_bytes: int
    largest_setup_triples: int
    store_bytes: int


@dataclass
class Summary:
    parameters: Parameters
    files: list[Path]
    triples: int
    planted: list[Planted] = field(default_factory=list)


def estimate(params: Parameters) -> Estimate:
    """Count the structure exactly (a dry run without decisions) and add the decisions."""
    params.check()
    structure = Parameters(0, params.seed, params.rate, params.regions, params.municipalities, params.providers,
                           params.data_quality)
    regions = layout(structure)
    the_plan = plan(structure, regions)
    per_region = []
    for region in regions:
        counter = Writer(None)
        RegionWriter(region, structure, the_plan, counter).write()
        share = sum(len(decisions_of(m, params)) for m in region.municipalities)
        per_region.append(counter.count + share * DECISION_TRIPLES)
    triples = sum(per_region)
    largest = max(per_region)
    return Estimate(triples, triples * BYTES_PER_TRIPLE, largest, largest * STORE_BYTES_PER_TRIPLE)


def check_room(params: Parameters, out: Path) -> Estimate:
    """Refuse, with the estimate, output that does not fit on disk or a setup that does not fit in memory."""
    size = estimate(params)
    existing = out
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if size.disk_bytes > 0.9 * free:
        raise InputError(
            f"{params.decisions:,} decisions need about {_gb(size.disk_bytes)} on disk "
            f"({size.triples:,} triples); {existing} has {_gb(free)} free",
            hint="choose fewer --decisions or another --out folder")
    memory = _physical_memory()
    if memory and size.store_bytes > 0.8 * memory:
        raise InputError(
            f"the largest setup would hold about {size.largest_setup_triples:,} triples, about "
            f"{_gb(size.store_bytes)} in a validation store; this machine has {_gb(memory)} of memory",
            hint="choose fewer --decisions, or more --regions so that each setup is smaller")
    return size


def _physical_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def _gb(size: int) -> str:
    return f"{size / 1e9:.1f} GB"


def generate(params: Parameters, out: Path, progress: Callable[[str], None] | None = None) -> Summary:
    """Write one N-Triples file per region and planted.json into ``out``, all or nothing."""
    if out.exists() and not out.is_dir():
        raise InputError("--out is a file, not a folder", file=out, hint="give a folder (it is created when missing)")
    check_room(params, out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create the --out folder: {error.strerror or error}", file=out) from None
    regions = layout(params)
    the_plan = plan(params, regions)
    # Replace a previous run as a whole: its setups folder first, the manifest last.
    with replacing_file(out / PLANTED) as manifest, replacing_folder(out / SETUPS) as setups:
        summary = Summary(params, [], 0)
        for region in regions:
            if progress:
                progress(f"writing {region.name}")
            name = f"{region.name}.nt"
            with (setups / name).open("w", encoding="utf-8", buffering=1 << 20) as stream:
                writer = Writer(stream)
                region_writer = RegionWriter(region, params, the_plan, writer)
                region_writer.write()
            summary.triples += writer.count
            summary.planted.extend(region_writer.planted)
            summary.files.append(out / SETUPS / name)
        manifest.write_text(json.dumps(_manifest(summary), indent=1), encoding="utf-8")
    return summary


def _manifest(summary: Summary) -> dict[str, object]:
    return {
        "parameters": asdict(summary.parameters),
        "files": [f"{SETUPS}/{f.name}" for f in summary.files],
        "triples": summary.triples,
        "findings": [asdict(p) for p in sorted(summary.planted, key=lambda p: (p.setup, p.defect, p.focus,
                                                                                  p.value or ""))],
    }


def read_planted(folder: Path) -> list[Planted]:
    """The findings planted in a generated folder."""
    document = json.loads((folder / PLANTED).read_text(encoding="utf-8"))
    return [Planted(**item) for item in document["findings"]]


def planted_counts(planted: list[Planted]) -> Iterator[tuple[str, int]]:
    counts: dict[str, int] = {}
    for item in planted:
        counts[item.defect] = counts.get(item.defect, 0) + 1
    yield from sorted(counts.items())
