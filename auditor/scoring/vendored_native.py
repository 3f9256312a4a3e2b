"""Factor ``vendored_native``: third-party native libraries bundled in the installed wheel.

Source: the ``vendored`` signal (RECORD of the installed ``.dist-info``).
The count of libraries in auditwheel/delocate/delvewheel folders, log-scaled
with saturation ``saturation`` (catalogue ``factors:``; 10): each is code no metadata
declares and no Python advisory covers.
"""

from auditor.models import VendoredCode
from auditor.scoring._signal import from_signal
from auditor.scoring.base import factor, log_scale

NAME = "vendored_native"


def judge(node, code: VendoredCode, spec):
    """Points for one node's ``VendoredCode`` (the module docstring says how)."""
    n = len(code.bundled)
    ups = sorted({lib.upstream or lib.path.rsplit("/", 1)[-1] for lib in code.bundled})
    return factor(NAME, n, log_scale(n, spec["saturation"]), spec,
                  f"{n} bundled: {', '.join(ups[:4])}{' ...' if len(ups) > 4 else ''}" if n else "no bundled native libraries")


score = from_signal(NAME, VendoredCode, judge)
