"""Names of graph node/edge attributes and kinds: the graph's public schema.

Documented for analysts in ``docs/graph.md``.  Use these constants instead of
string literals so that a rename is one edit.
"""

ROOT_ID = "<root>"

# node kinds (attribute KIND)
ROOT = "root"
DISTRIBUTION = "distribution"
INTERPRETER = "interpreter"
REPOSITORY = "repository"
MAINTAINER = "maintainer"  # a PyPI account with publish rights
PERSON = "person"  # a contributor from git history

# edge kinds (attribute KIND)
REQUIRES = "requires"  # distribution/root -> distribution/interpreter
SOURCE = "source"  # distribution -> repository it is built from
MAINTAINS = "maintains"  # maintainer -> distribution (can publish it)
CONTRIBUTED_TO = "contributed_to"  # person -> repository

# common attributes
KIND = "kind"
NAME = "name"
LABEL = "label"

# distribution attributes
VERSION = "version"
DIRECT = "direct"
ORIGIN = "origin"
ORIGIN_URL = "origin_url"
REPO_URL = "repo_url"
REPO_SUBPATH = "repo_subpath"
REPO_EVIDENCE = "repo_evidence"
REPO_CONFIDENCE = "repo_confidence"
REPO_NOTE = "repo_note"
MAINTAINERS = "maintainers"  # int: count of publish-capable PyPI accounts
MAINTAINER_NAMES = "maintainer_names"  # list[str]
ORGANIZATION = "organization"
CONTRIBUTORS = "contributors"  # int, from git history (later issue)
DEPENDENTS = "dependents"  # int: distributions in this graph that depend on it, transitively
SCORE = "exposure"  # float in [0, 100]
FACTORS = "factors"  # list of {name, value, points, weight, detail}
UNKNOWN = "unknown"  # dict {attribute: reason} for facts that could not be collected

# edge attributes
REQUIREMENT = "requirement"
MARKER = "marker"
EXTRAS = "extras"
VIA_EXTRA = "via_extra"
ROLE = "role"

# root attributes
INPUT_KIND = "input_kind"
RESOLVER = "resolver"
