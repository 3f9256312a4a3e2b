"""Factor ``vendor_binary``: a closed binary whose accountable party is its vendor.

Source: the ``vendor`` signal (:class:`~auditor.models.VendorBinary`:
``auditor/data/vendor-binaries.yaml`` and the version's local label;
docs/native.md#vendor-binaries).  A vendor binary (``nvidia-cublas-cu12``)
has no public source by design: nobody outside the vendor can review or
rebuild it, so it carries the factor's weight; when the vendor publishes it
through a PyPI organization (``nvidia``), the publisher is an accountable
organization rather than individual accounts, and the factor gives
``organization_fraction`` of its weight.  For such a node
``repo_confidence`` does not apply (the missing repository is this factor,
not an unmapped one).  For every other distribution, and when the ``vendor``
signal was not collected, the factor does not apply (weight 0: no points, not
in the denominator, not an unknown).
"""

from auditor.models import Factor, VendorBinary
from auditor.scoring.base import factor

NAME = "vendor_binary"


def judge(node, vendor: VendorBinary, spec):
    """Points for one node's ``VendorBinary`` (the module docstring says how)."""
    if not vendor.vendor:
        return Factor(name=NAME, value=None, points=0.0, weight=0.0, detail="not a vendor binary — does not apply")
    if vendor.organization:
        publisher = f"PyPI organization {vendor.organization}"
        fraction = float(spec["organization_fraction"])
    else:
        publisher = "the vendor's PyPI accounts"
        fraction = 1.0
    return factor(NAME, vendor.vendor, fraction, spec,
                  f"closed {vendor.vendor} binary published by {publisher}: {vendor.vendor} is the accountable party; "
                  "no public source by design")


def score(node, node_id, view, spec) -> Factor:
    """Factor ``vendor_binary`` of *node*; when the ``vendor`` signal was not collected (``--disable vendor``)
    the factor does not apply, like for any distribution that is not a vendor binary."""
    vendor = node.signal(VendorBinary)
    return judge(node, vendor if isinstance(vendor, VendorBinary) else VendorBinary(), spec)
