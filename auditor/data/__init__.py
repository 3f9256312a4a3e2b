"""Data files shipped with auditor (default policy, ...)."""


def load_yaml(text: str):
    """A shipped data file's YAML (this package's own text, never input), through libyaml's C safe
    loader when PyYAML was built with it (several times faster than the pure-Python ``SafeLoader``
    on the mapping tables a cold audit loads), else ``yaml.SafeLoader``.  Same documents, same
    types: both are PyYAML's safe constructors."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
