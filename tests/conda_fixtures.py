"""Writers of conda inputs in their documented formats, for the tests and ``benchmarks/bench_conda.py``.

* :func:`write_prefix`: a conda prefix, one ``conda-meta/NAME-VERSION-BUILD.json``
  per record in conda's ``PrefixRecord`` format (the fields conda itself
  writes: name, version, build, build_number, channel, subdir, fn, url, md5,
  depends, files, paths_data, requested_spec, license) and ``*.dist-info``
  directories in ``lib/python3.12/site-packages``.
* :func:`pixi_lock_text` / :func:`conda_lock_text`: a ``pixi.lock`` (version 6)
  and a ``conda-lock.yml`` (version 1) of :data:`PACKAGES`.

The committed ``tests/fixtures/conda/pixi.lock`` and ``conda-lock.yml`` are the
output of ``python -m tests.conda_fixtures`` (a conda-forge environment of numpy,
pandas, scipy, matplotlib and requests with its native libraries, 64 conda
packages, plus three PyPI packages).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

CF = "https://conda.anaconda.org/conda-forge"

#: (name, version, build, subdir, depends) of a realistic conda-forge environment (linux-64).
PACKAGES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("_libgcc_mutex", "0.1", "conda_forge", "linux-64", ()),
    ("_openmp_mutex", "4.5", "2_gnu", "linux-64", ("_libgcc_mutex 0.1 conda_forge", "libgomp >=7.5.0")),
    ("brotli", "1.1.0", "hb9d3cd8_2", "linux-64", ("libbrotlidec 1.1.0 hb9d3cd8_2", "libbrotlienc 1.1.0 hb9d3cd8_2")),
    ("brotli-python", "1.1.0", "py312h2ec8cdc_2", "linux-64", ("libgcc >=13", "python >=3.12,<3.13.0a0")),
    ("bzip2", "1.0.8", "h4bc722e_7", "linux-64", ("libgcc-ng >=12",)),
    ("ca-certificates", "2024.8.30", "hbcca054_0", "linux-64", ()),
    ("certifi", "2024.8.30", "pyhd8ed1ab_0", "noarch", ("python >=3.7",)),
    ("charset-normalizer", "3.4.0", "pyhd8ed1ab_0", "noarch", ("python >=3.7",)),
    ("contourpy", "1.3.0", "py312h68727a3_2", "linux-64", ("numpy >=1.23", "python >=3.12,<3.13.0a0")),
    ("cycler", "0.12.1", "pyhd8ed1ab_0", "noarch", ("python >=3.8",)),
    ("fonttools", "4.54.1", "py312h66e93f0_1", "linux-64", ("brotli", "python >=3.12,<3.13.0a0")),
    ("freetype", "2.12.1", "h267a509_2", "linux-64", ("libpng >=1.6.39,<1.7.0a0", "libzlib >=1.2.13,<2.0.0a0")),
    ("h2", "4.1.0", "pyhd8ed1ab_0", "noarch", ("python >=3.6.1",)),
    ("idna", "3.10", "pyhd8ed1ab_0", "noarch", ("python >=3.6",)),
    ("kiwisolver", "1.4.7", "py312h68727a3_0", "linux-64", ("python >=3.12,<3.13.0a0",)),
    ("lcms2", "2.16", "hb7c19ff_0", "linux-64", ("libjpeg-turbo >=3.0.0,<4.0a0", "libtiff >=4.6.0,<4.8.0a0")),
    ("ld_impl_linux-64", "2.43", "h712a8e2_2", "linux-64", ()),
    ("libblas", "3.9.0", "25_linux64_openblas", "linux-64", ("libopenblas >=0.3.28,<1.0a0",)),
    ("libbrotlicommon", "1.1.0", "hb9d3cd8_2", "linux-64", ("libgcc >=13",)),
    ("libbrotlidec", "1.1.0", "hb9d3cd8_2", "linux-64", ("libbrotlicommon 1.1.0 hb9d3cd8_2",)),
    ("libbrotlienc", "1.1.0", "hb9d3cd8_2", "linux-64", ("libbrotlicommon 1.1.0 hb9d3cd8_2",)),
    ("libcblas", "3.9.0", "25_linux64_openblas", "linux-64", ("libblas 3.9.0 25_linux64_openblas",)),
    ("libdeflate", "1.22", "hb9d3cd8_0", "linux-64", ("libgcc >=13",)),
    ("libexpat", "2.6.3", "h5888daf_0", "linux-64", ("libgcc >=13",)),
    ("libffi", "3.4.2", "h7f98852_5", "linux-64", ("libgcc-ng >=9.4.0",)),
    ("libgcc", "14.2.0", "h77fa898_1", "linux-64", ("_libgcc_mutex 0.1 conda_forge", "_openmp_mutex >=4.5")),
    ("libgcc-ng", "14.2.0", "h69a702a_1", "linux-64", ("libgcc 14.2.0 h77fa898_1",)),
    ("libgfortran", "14.2.0", "h69a702a_1", "linux-64", ("libgfortran5 14.2.0 hd5240d6_1",)),
    ("libgfortran5", "14.2.0", "hd5240d6_1", "linux-64", ("libgcc >=14.2.0",)),
    ("libgomp", "14.2.0", "h77fa898_1", "linux-64", ("_libgcc_mutex 0.1 conda_forge",)),
    ("libjpeg-turbo", "3.0.0", "hd590300_1", "linux-64", ("libgcc-ng >=12",)),
    ("liblapack", "3.9.0", "25_linux64_openblas", "linux-64", ("libblas 3.9.0 25_linux64_openblas",)),
    ("libnsl", "2.0.1", "hd590300_0", "linux-64", ("libgcc-ng >=12",)),
    ("libopenblas", "0.3.28", "pthreads_h94d23a6_0", "linux-64", ("libgfortran5 >=14.1.0", "libgcc >=14")),
    ("libpng", "1.6.44", "hadc24fc_0", "linux-64", ("libzlib >=1.3.1,<2.0a0",)),
    ("libsqlite", "3.46.1", "hadc24fc_0", "linux-64", ("libzlib >=1.2.13,<2.0a0",)),
    ("libstdcxx", "14.2.0", "hc0a3c3a_1", "linux-64", ("libgcc 14.2.0 h77fa898_1",)),
    ("libtiff", "4.7.0", "he137b08_1", "linux-64", ("libdeflate >=1.22,<1.23.0a0", "libjpeg-turbo >=3.0.0,<4.0a0")),
    ("libuuid", "2.38.1", "h0b41bf4_0", "linux-64", ("libgcc-ng >=12",)),
    ("libxcrypt", "4.4.36", "hd590300_1", "linux-64", ("libgcc-ng >=12",)),
    ("libzlib", "1.3.1", "hb9d3cd8_2", "linux-64", ("libgcc >=13",)),
    ("matplotlib-base", "3.9.2", "py312hd3ec401_1", "linux-64",
     ("contourpy >=1.0.1", "cycler >=0.10", "fonttools >=4.22.0", "freetype >=2.12.1,<3.0a0", "kiwisolver >=1.3.1",
      "numpy >=1.23", "pillow >=8", "pyparsing >=2.3.1", "python >=3.12,<3.13.0a0", "python-dateutil >=2.7")),
    ("ncurses", "6.5", "he02047a_1", "linux-64", ("libgcc-ng >=12",)),
    ("numpy", "2.1.2", "py312h58c1407_0", "linux-64",
     ("libblas >=3.9.0,<4.0a0", "libcblas >=3.9.0,<4.0a0", "liblapack >=3.9.0,<4.0a0", "libstdcxx >=13",
      "python >=3.12,<3.13.0a0", "python_abi 3.12.* *_cp312")),
    ("openjpeg", "2.5.2", "h488ebb8_0", "linux-64", ("libpng >=1.6.43,<1.7.0a0", "libtiff >=4.6.0,<4.8.0a0")),
    ("openssl", "3.3.2", "hb9d3cd8_0", "linux-64", ("ca-certificates", "libgcc >=13")),
    ("pandas", "2.2.3", "py312hf9745cd_1", "linux-64",
     ("numpy >=1.22.4", "python >=3.12,<3.13.0a0", "python-dateutil >=2.8.1", "python-tzdata >=2022a", "pytz >=2020.1")),
    ("pillow", "11.0.0", "py312h7b63e92_0", "linux-64",
     ("freetype >=2.12.1,<3.0a0", "lcms2 >=2.16,<3.0a0", "libjpeg-turbo >=3.0.0,<4.0a0", "openjpeg >=2.5.2,<3.0a0",
      "python >=3.12,<3.13.0a0")),
    ("pyparsing", "3.2.0", "pyhd8ed1ab_1", "noarch", ("python >=3.9",)),
    ("pysocks", "1.7.1", "pyha2e5f31_6", "noarch", ("__unix", "python >=3.8")),
    ("python", "3.12.7", "hc5c86c4_0_cpython", "linux-64",
     ("bzip2 >=1.0.8,<2.0a0", "ld_impl_linux-64 >=2.36.1", "libexpat >=2.6.3,<3.0a0", "libffi >=3.4,<4.0a0",
      "libnsl >=2.0.1,<2.1.0a0", "libsqlite >=3.46.1,<4.0a0", "libuuid >=2.38.1,<3.0a0", "libxcrypt >=4.4.36",
      "libzlib >=1.3.1,<2.0a0", "ncurses >=6.5,<7.0a0", "openssl >=3.3.2,<4.0a0", "readline >=8.2,<9.0a0",
      "tk >=8.6.13,<8.7.0a0", "tzdata", "xz >=5.2.6,<6.0a0")),
    ("python-dateutil", "2.9.0", "pyhd8ed1ab_0", "noarch", ("python >=3.6", "six >=1.5")),
    ("python-tzdata", "2024.2", "pyhd8ed1ab_0", "noarch", ("python >=3.6",)),
    ("python_abi", "3.12", "5_cp312", "linux-64", ()),
    ("pytz", "2024.2", "pyhd8ed1ab_0", "noarch", ("python >=3.7",)),
    ("readline", "8.2", "h8228510_1", "linux-64", ("libgcc-ng >=12", "ncurses >=6.3,<7.0a0")),
    ("requests", "2.32.3", "pyhd8ed1ab_0", "noarch",
     ("certifi >=2017.4.17", "charset-normalizer >=2,<4", "idna >=2.5,<4", "python >=3.8", "urllib3 >=1.21.1,<3")),
    ("scipy", "1.14.1", "py312h62794b6_1", "linux-64",
     ("libblas >=3.9.0,<4.0a0", "libgfortran5 >=13.3.0", "numpy >=1.23.5", "python >=3.12,<3.13.0a0")),
    ("six", "1.16.0", "pyh6c4a22f_0", "noarch", ("python",)),
    ("tk", "8.6.13", "noxft_h4845f30_101", "linux-64", ("libgcc-ng >=12", "libzlib >=1.2.13,<2.0.0a0")),
    ("tzdata", "2024b", "hc8b5060_0", "noarch", ()),
    ("urllib3", "2.2.3", "pyhd8ed1ab_0", "noarch", ("brotli-python >=1.0.9", "h2 >=4,<5", "pysocks >=1.5.6,<2.0,!=1.5.7",
                                                     "python >=3.8", "zstandard >=0.18.0")),
    ("xz", "5.2.6", "h166bdaf_0", "linux-64", ("libgcc-ng >=12",)),
    ("zstandard", "0.23.0", "py312hef9b889_1", "linux-64", ("python >=3.12,<3.13.0a0",)),
)

#: (name, version, requires_dist) of the PyPI packages the locks add.
PYPI: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("rich", "13.9.4", ("markdown-it-py>=2.2.0", "pygments<3.0.0,>=2.13.0")),
    ("markdown-it-py", "3.0.0", ("mdurl~=0.1",)),
    ("mdurl", "0.1.2", ()),
)


def _digest(text: str, algo: str = "sha256") -> str:
    return hashlib.new(algo, text.encode()).hexdigest()


def _url(name: str, version: str, build: str, subdir: str) -> str:
    return f"{CF}/{subdir}/{name}-{version}-{build}.conda"


def _wheel(name: str, version: str) -> str:
    return (f"https://files.pythonhosted.org/packages/{_digest(name)[:2]}/{_digest(name)[2:4]}/"
            f"{name.replace('-', '_')}-{version}-py3-none-any.whl")


def record(name: str, version: str, build: str = "0", subdir: str = "linux-64", depends=(), *, files=(),
           requested: str | None = None, channel: str = CF) -> dict:
    """One ``conda-meta`` record (conda's ``PrefixRecord`` JSON)."""
    fn = f"{name}-{version}-{build}.conda"
    return {"name": name, "version": version, "build": build, "build_number": 0, "channel": channel,
            "subdir": subdir, "fn": fn, "url": f"{channel}/{subdir}/{fn}", "md5": _digest(fn, "md5"),
            "depends": list(depends), "files": list(files), "paths_data": {"paths_version": 1, "paths": []},
            "requested_spec": requested or "", "license": "BSD-3-Clause"}


def write_dist_info(site: Path, name: str, version: str, installer: str, requires=()) -> str:
    """A ``NAME-VERSION.dist-info`` with METADATA and INSTALLER; its path relative to the prefix's ``lib/python3.12``."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                   + "".join(f"Requires-Dist: {r}\n" for r in requires), encoding="utf-8")
    (info / "INSTALLER").write_text(installer + "\n", encoding="utf-8")
    return f"lib/python3.12/site-packages/{info.name}/METADATA"


def write_prefix(root: Path, records: list[dict], pip: tuple[tuple[str, str, tuple[str, ...]], ...] = ()) -> Path:
    """A conda prefix at *root*: *records* in ``conda-meta``; *pip* ``(name, version, requires)`` installed by pip.

    A record whose ``files`` name a ``.dist-info`` gets that directory (INSTALLER ``conda``).
    """
    meta = root / "conda-meta"
    meta.mkdir(parents=True, exist_ok=True)
    site = root / "lib" / "python3.12" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    for rec in records:
        (meta / f"{rec['name']}-{rec['version']}-{rec['build']}.json").write_text(json.dumps(rec, indent=1),
                                                                                  encoding="utf-8")
        for f in rec["files"]:
            if ".dist-info/" in f:
                write_dist_info(site, rec["name"], rec["version"], "conda")
    (meta / "history").write_text("==> 2024-11-01 10:00:00 <==\n", encoding="utf-8")
    for name, version, requires in pip:
        write_dist_info(site, name, version, "pip", requires)
    return root


def pixi_lock_text(packages=PACKAGES, pypi=PYPI) -> str:
    """A ``pixi.lock`` (version 6) with one ``default`` environment for linux-64."""
    out = ["version: 6", "environments:", "  default:", "    channels:", f"    - url: {CF}/", "    packages:",
           "      linux-64:"]
    out += [f"      - conda: {_url(n, v, b, s)}" for n, v, b, s, _ in packages]
    out += [f"      - pypi: {_wheel(n, v)}" for n, v, _ in pypi]
    out.append("packages:")
    for n, v, b, s, deps in packages:
        out += [f"- conda: {_url(n, v, b, s)}", f"  sha256: {_digest(n + v)}", f"  md5: {_digest(n + v, 'md5')}"]
        if deps:
            out.append("  depends:")
            out += [f"  - {d}" for d in deps]
        if s == "noarch" and any(d.startswith("python") for d in deps):
            out.append("  noarch: python")
        out += ["  license: BSD-3-Clause", "  size: 12345", "  timestamp: 1728059777775"]
    for n, v, reqs in pypi:
        out += [f"- pypi: {_wheel(n, v)}", f"  name: {n}", f"  version: {v}", f"  sha256: {_digest(n + v)}"]
        if reqs:
            out.append("  requires_dist:")
            out += [f"  - {r}" for r in reqs]
        out.append("  requires_python: '>=3.8'")
    return "\n".join(out) + "\n"


def conda_lock_text(packages=PACKAGES, pypi=PYPI) -> str:
    """A ``conda-lock.yml`` (version 1) for linux-64."""
    out = ["version: 1", "metadata:", "  content_hash:", "    linux-64: " + _digest("env"), "  channels:",
           "  - url: conda-forge", "    used_env_vars: []", "  platforms:", "  - linux-64", "  sources:",
           "  - environment.yml", "package:"]
    for n, v, b, s, deps in packages:
        out += [f"- name: {n}", f"  version: '{v}'", "  manager: conda", "  platform: linux-64"]
        if deps:
            out.append("  dependencies:")
            for d in deps:
                dn, _, spec = d.partition(" ")
                out.append(f"    {dn}: '{spec}'")
        else:
            out.append("  dependencies: {}")
        out += [f"  url: {_url(n, v, b, s)}", "  hash:", f"    md5: {_digest(n + v, 'md5')}",
                f"    sha256: {_digest(n + v)}", "  category: main", "  optional: false"]
    for n, v, reqs in pypi:
        out += [f"- name: {n}", f"  version: '{v}'", "  manager: pip", "  platform: linux-64"]
        if reqs:
            out.append("  dependencies:")
            for r in reqs:
                import re

                m = re.match(r"([A-Za-z0-9_.-]+)(.*)", r)
                out.append(f"    {m.group(1)}: '{m.group(2) or '*'}'")
        else:
            out.append("  dependencies: {}")
        out += [f"  url: {_wheel(n, v)}", "  hash:", f"    sha256: {_digest(n + v)}", "  category: main",
                "  optional: false"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    here = Path(__file__).parent / "fixtures" / "conda"
    here.mkdir(parents=True, exist_ok=True)
    (here / "pixi.lock").write_text(pixi_lock_text(), encoding="utf-8")
    (here / "conda-lock.yml").write_text(conda_lock_text(), encoding="utf-8")
