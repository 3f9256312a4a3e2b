"""Vendor binaries: closed wheels a vendor builds (``nvidia-*-cu12``) and accelerator builds (``+cu124``).

Source: the curated table ``auditor/data/vendor-binaries.yaml`` (glob over
the PEP 503 normalized name; fields in its header) and the PEP 440 local
version label of the pinned version (``torch==2.5.1+cu124``: a build a
vendor index serves, for CUDA 12.4).  Pure classification: no request, no
file read besides the table.  See docs/native.md, "Vendor binaries".
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache
from importlib import resources
from typing import Mapping, Sequence

from packaging.version import Version

from auditor.collectors import Collector, RunContext
from auditor.models import PackageNode, Unknown, VendorBinary
from auditor.data import load_yaml

#: First segment of a local version label naming a build variant of a vendor index
#: (PyTorch: ``+cu124``, ``+rocm6.2``, ``+cpu``, ``+xpu``; jaxlib: ``+cuda12.cudnn89``).
ACCELERATOR_BUILD = re.compile(r"^(cu\d+|rocm\d+|cpu|xpu|cuda\d+)$")


@lru_cache(maxsize=1)
def vendor_table() -> tuple[dict, ...]:
    """Entries of ``auditor/data/vendor-binaries.yaml`` (fields in its header)."""
    text = resources.files("auditor.data").joinpath("vendor-binaries.yaml").read_text(encoding="utf-8")
    return tuple(load_yaml(text) or ())


def classify(name: str, version: str | None) -> VendorBinary:
    """The vendor classification of distribution *name* (normalized) at *version*.

    Returns ``VendorBinary()`` (every field empty) for an ordinary distribution.
    """
    entry = next((e for e in vendor_table() if fnmatch.fnmatchcase(name, e["match"])), None)
    build = None
    if version:
        try:
            local = Version(version).local
        except ValueError:  # InvalidVersion, or a number past int()'s 4,300-digit limit
            local = None
        if local and ACCELERATOR_BUILD.match(local.split(".")[0]):
            build = local
    if entry is None and build is None:
        return VendorBinary()
    evidence = []
    if entry is not None:
        evidence.append(f"auditor/data/vendor-binaries.yaml ({entry['match']}: {entry['source']})")
    if build is not None:
        evidence.append(f"local version label +{build}")
    return VendorBinary(vendor=entry["vendor"] if entry else None, organization=entry.get("organization") if entry else None,
                        build=build, evidence="; ".join(evidence))


class VendorCollector(Collector):
    """Vendor classification of every distribution (see :class:`Collector`); never unknown."""

    key = "vendor"
    description = "closed vendor binaries (nvidia-* CUDA wheels, ...) and accelerator builds (+cu124 local versions)"

    def collect(self, ctx: RunContext, nodes: Sequence[PackageNode]) -> Mapping[str, VendorBinary | Unknown]:
        return {node.name: classify(node.name, node.distribution.version) for node in nodes}
