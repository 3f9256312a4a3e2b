from packaging.markers import Marker

from auditor.dist.markers import marker_holds
from auditor.models import TargetEnvironment

ENV = TargetEnvironment(python_version="3.12", sys_platform="linux", platform_machine="x86_64").marker_environment()


def test_marker_holds():
    assert marker_holds(None, ENV) and marker_holds("", ENV)
    assert marker_holds("sys_platform == 'linux'", ENV)
    assert not marker_holds(Marker("sys_platform == 'win32'"), ENV)
    assert not marker_holds("extra == 'gpu'", ENV)
    assert marker_holds("extra == 'gpu'", ENV, ["cpu", "gpu"])


def test_unevaluable_markers_hold():
    assert marker_holds("not a marker ((", ENV)
    assert marker_holds("unknown_variable == '1'", ENV)


def test_lock_context():
    assert marker_holds("'dev' in dependency_groups", ENV, (), ["dev"], lock_context=True)
    assert not marker_holds("'dev' in dependency_groups", ENV, (), [], lock_context=True)
