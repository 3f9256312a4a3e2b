"""native_library nodes with bundles / links edges (auditor/graph/native.py), in memory and in GraphML."""

import io

import networkx as nx

from auditor.graph import attrs as A
from auditor.graph.build import build_graph
from auditor.models import VendoredCode, VendoredLibrary
from auditor.report.graphml import graphml_graph

from tests.builders import inventory, package_node


def _numpy_like():
    return VendoredCode((
        VendoredLibrary("numpy.libs/libgfortran-04.so.5.0.0", 2833617, "libgfortran (GCC)", True,
                        repository="https://github.com/gcc-mirror/gcc", soname="libgfortran-04.so.5.0.0",
                        needed=("libquadmath-96.so.0.0.0", "libc.so.6"), version="5.0.0"),
        VendoredLibrary("numpy.libs/libquadmath-96.so.0.0.0", 250985, "libquadmath (GCC)", True,
                        repository="https://github.com/gcc-mirror/gcc", soname="libquadmath-96.so.0.0.0"),
        VendoredLibrary("numpy.libs/libscipy_openblas64_-56.so", 25021457, "OpenBLAS", True,
                        repository="https://github.com/OpenMathLib/OpenBLAS", soname="libscipy_openblas64_-56.so",
                        needed=("libgfortran-04.so.5.0.0", "libm.so.6")),
        VendoredLibrary("numpy/_core/libown.so", 10, None, False),  # the package's own: no node
    ))


def test_native_nodes_and_edges():
    numpy = package_node("numpy", "2.2.6", signals={"vendored": _numpy_like()})
    torch = package_node("torch", "2.5.1", signals={"vendored": VendoredCode((
        VendoredLibrary("torch/lib/libcudnn.so.9", 10, "NVIDIA cuDNN", True),
        VendoredLibrary("torch.libs/libmystery-ab.so", 10, None, True),))})
    g = build_graph(inventory(["numpy", "torch"], numpy.distribution, torch.distribution), {"numpy": numpy, "torch": torch})
    native = {n: d for n, d in g.nodes(data=True) if d[A.KIND] == A.NATIVE_LIBRARY}
    assert sorted(native) == ["native:NVIDIA cuDNN", "native:OpenBLAS", "native:libgfortran (GCC)",
                              "native:libmystery-ab.so", "native:libquadmath (GCC)"]
    assert native["native:OpenBLAS"][A.REPO_URL] == "https://github.com/OpenMathLib/OpenBLAS"
    assert native["native:NVIDIA cuDNN"][A.CLOSED_SOURCE] is True
    assert A.CLOSED_SOURCE not in native["native:libmystery-ab.so"]  # unrecognized is not "closed"
    edge = g.edges["numpy==2.2.6", "native:libgfortran (GCC)"]
    assert edge[A.KIND] == A.BUNDLES and edge[A.SONAME] == "libgfortran-04.so.5.0.0" and edge[A.LIBRARY_VERSION] == "5.0.0"
    links = sorted((u, v) for u, v, k in g.edges(data=A.KIND) if k == A.LINKS)
    assert links == [("native:OpenBLAS", "native:libgfortran (GCC)"), ("native:libgfortran (GCC)", "native:libquadmath (GCC)")]
    # not dependencies: the dependency view and the distributions list ignore them
    from auditor.graph import queries
    assert "native:OpenBLAS" not in queries.dependency_view(g)
    # GraphML round trip keeps them, typed
    buf = io.BytesIO()
    nx.write_graphml(graphml_graph(g), buf)
    back = nx.read_graphml(io.BytesIO(buf.getvalue()))
    assert back.nodes["native:NVIDIA cuDNN"][A.CLOSED_SOURCE] is True
    assert back.edges["numpy==2.2.6", "native:OpenBLAS"][A.KIND] == A.BUNDLES
