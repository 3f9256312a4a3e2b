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
ORGANIZATION_NODE = "organization"  # a PyPI organization owning distributions (id "pypi-org:<name>")
PERSON = "person"  # a contributor from git history
BUILD_REQUIREMENT = "build_requirement"  # an unresolved sdist build requirement (--build-deps)
NATIVE_LIBRARY = "native_library"  # a bundled shared library's upstream project (id "native:<project>"; docs/native.md)
HUB_MODEL = "model"  # a Hugging Face Hub model the project loads (id "model:<repo id>", docs/models.md)
HUB_DATASET = "dataset"  # a Hub dataset the project loads (id "dataset:<repo id>")
HUB_SPACE = "space"  # a Hub Space the project downloads (id "space:<repo id>")

# edge kinds (attribute KIND)
REQUIRES = "requires"  # distribution/root -> distribution/interpreter
SOURCE = "source"  # distribution -> repository it is built from
MAINTAINS = "maintains"  # maintainer -> distribution (can publish it)
OWNS = "owns"  # organization -> distribution (its members can publish it)
CONTRIBUTED_TO = "contributed_to"  # person -> repository
BUILD = "build"  # distribution -> distribution/build requirement its sdist build needs (--build-deps)
BUNDLES = "bundles"  # distribution -> native_library it ships a copy of (path, soname, version)
LINKS = "links"  # native_library -> native_library one of its copies names in DT_NEEDED (same wheel)
LOADS = "loads"  # root -> model/dataset/space its code loads (--scan, --model, --dataset)
DERIVED_FROM = "derived_from"  # model -> base model its card names (cardData.base_model)
HUB_MEMBER = "member_of_owner"  # Hub person ("hf:<user>") -> repository whose owner organization they belong to

# Hub repository nodes (docs/models.md)
HUB_REPO_ID = "repo_id"  # str: the Hub repository id as written
HUB_REVISIONS = "revisions"  # list[str]: revisions referenced ("" = the default branch, "unknown" = not a literal)
HUB_PINNED = "pinned"  # bool: every reference pins a 40-hex commit sha
HUB_TRUST_REMOTE_CODE = "trust_remote_code"  # bool: some reference passes trust_remote_code=True
HUB_LOCATIONS = "locations"  # list[str]: file:line of each reference ("<cli>" for an option)
HUB_REFERENCES = "references"  # int: references to this repository (on the loads edge)
HUB_FACTS = "hub"  # dict on a Hub node: the Hub API's facts (owner, owner_type, gated, sha, files, ...; docs/models.md)

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
ORGANIZATION = "organization"  # str on a distribution: the owning PyPI organization
MEMBERS = "members"  # on an organization node: "not public" (the PyPI JSON API does not list them)
CONTRIBUTORS = "contributors"  # int, from git history (later issue)
DEPENDENTS = "dependents"  # int: distributions in this graph that depend on it, transitively
SCORE = "exposure"  # float in [0, 100]
COVERAGE = "coverage"  # str "known/applicable": factors whose value is known / factors that apply
SCORE_KNOWN = "score_known"  # int: applicable factors whose value is known
SCORE_APPLICABLE = "score_applicable"  # int: factors that apply (non-zero weight, fact exists)
FACTORS = "factors"  # list of {name, value, points, weight, detail}
UNKNOWN = "unknown"  # dict {attribute: reason} for facts that could not be collected
# distribution attributes from the signal collectors (auditor/signals/)
ADVISORIES = "advisories"  # int: known advisories affecting the pinned version
ADVISORY_IDS = "advisory_ids"  # list[str]: their primary ids
WORST_SEVERITY = "worst_severity"  # "critical".."info", absent when none is rated
PROVENANCE = "provenance"  # "verified" | "unattested" | "invalid"
PUBLISHER = "publisher"  # Trusted Publisher repository URL (or kind), when verified
YANKED = "yanked"  # bool
PROJECT_STATUS = "project_status"  # str: PEP 792 status on the index (active, archived, quarantined, deprecated)
BUILDS_FROM_SOURCE = "builds_from_source"  # bool: no wheel for the target
BUILD_BACKEND = "build_backend"  # str, when read
BUNDLED_LIBRARIES = "bundled_libraries"  # int: native libraries in *.libs/ or .dylibs/
SIMILAR_TO = "similar_to"  # str: the popular name this one resembles
LICENSE = "license"  # str: the declared licence as a canonical SPDX expression, when it is one
CONDA_CHANNEL = "conda_channel"  # str: the conda channel (conda-forge) of a conda package
CONDA_BUILD = "conda_build"  # str: the conda build string (py312h8753938_0)
CONDA_SUBDIR = "conda_subdir"  # str: the conda platform subdirectory (linux-64, noarch)
PURL = "purl"  # str: the package URL of a conda package (pkg:conda/...) whose files are conda's
CONDA_PURL = "conda_purl"  # str: the conda record's package URL of a node pip (or uv) installed over (conda+pip)
INSTALLED_BY = "installed_by"  # str: "conda", or "conda+pip" when pip installed the same distribution too
FEEDSTOCK = "feedstock"  # str: the conda-forge feedstock repository URL
FEEDSTOCK_CONFIDENCE = "feedstock_confidence"  # str: "high" (conda-forge/feedstock-outputs) or "low" (a guessed name)
RECIPE_MAINTAINERS = "recipe_maintainers"  # int: the feedstock recipe's extra.recipe-maintainers
# native_library attributes (auditor/data/native-libraries.yaml) and bundles-edge attributes
CLOSED_SOURCE = "closed_source"  # bool: the table says the upstream publishes no source
PATH = "path"  # str on a bundles edge: the file inside the wheel
SONAME = "soname"  # str on a bundles edge: ELF DT_SONAME, when read
LIBRARY_VERSION = "library_version"  # str on a bundles edge: the version the SONAME carries

# edge attributes
REQUIREMENT = "requirement"
MARKER = "marker"
EXTRAS = "extras"
VIA_EXTRA = "via_extra"
ROLE = "role"

# root attributes
INPUT_KIND = "input_kind"
RESOLVER = "resolver"

# git history (auditor.people.history; see docs/history.md)
ACTIVE_CONTRIBUTORS = "active_contributors"  # int: people with a commit in the last 365 days to as-of
COMMITTERS = "committers"  # int: people who landed others' work
BUS_FACTOR = "bus_factor"  # int: fewest people authoring >= half of the window's commits
COMMITS = "commits"  # int: commits on the default branch up to as-of (on person->repo edges: authored)
FIRST_COMMIT = "first_commit"  # ISO-8601 UTC
LAST_COMMIT = "last_commit"  # ISO-8601 UTC
EXCLUDED_BOTS = "excluded_bots"  # int: bot accounts left out of the counts
HISTORY_AS_OF = "history_as_of"  # ISO date of --as-of, when given
PEOPLE_REACH = "people_reach"  # int: distinct people over the node and everything it depends on
PEOPLE_NAIVE_SUM = "people_naive_sum"  # int: the per-node counts added up over the same nodes
PEOPLE_OVERCOUNT = "people_overcount"  # int: naive sum - people_reach

# person nodes (with --people) and contributed_to edges
NAMES = "names"  # list[str]
EMAILS = "emails"  # list[str]: addresses with --show-emails, else salted "hash:<16 hex>"
LOGINS = "logins"  # list[str]: GitHub logins
CO_AUTHORED = "co_authored"  # int
LANDED = "landed"  # int: commits landed for others, merges
ACTIVE = "active"  # bool: any commit in the window
