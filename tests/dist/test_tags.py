from packaging.tags import Tag

from auditor.dist.tags import best_wheel, manylinux_platforms, platform_tags, target_tags, wheel_priority
from auditor.models import TargetEnvironment

LINUX = TargetEnvironment(python_version="3.12", sys_platform="linux", platform_machine="x86_64")
ARM = TargetEnvironment(python_version="3.12", sys_platform="linux", platform_machine="arm64")
MAC = TargetEnvironment(python_version="3.12", sys_platform="darwin", platform_machine="arm64")
WIN = TargetEnvironment(python_version="3.12", sys_platform="win32", platform_machine="AMD64")


def test_manylinux_platforms():
    tags = manylinux_platforms("x86_64", 17)
    assert tags[:2] == ["manylinux_2_17_x86_64", "manylinux2014_x86_64"]
    assert "manylinux2010_x86_64" in tags and tags[-1] == "manylinux1_x86_64"
    arm = manylinux_platforms("aarch64", 28)
    assert "manylinux2014_aarch64" in arm and not any(t.startswith(("manylinux1_", "manylinux2010_")) for t in arm)
    assert arm[-1] == "manylinux_2_5_aarch64"


def test_platform_tags():
    assert platform_tags(ARM)[0] == "manylinux_2_35_aarch64" and platform_tags(ARM)[-1] == "linux_aarch64"
    assert platform_tags(MAC)[0].startswith("macosx_14_0_")
    assert platform_tags(WIN) == ["win_amd64"]


def test_target_tags_and_priority():
    tags = target_tags(LINUX)
    assert tags[0] == Tag("cp312", "cp312", "manylinux_2_35_x86_64")
    assert Tag("py3", "none", "any") in tags
    assert wheel_priority({Tag("cp312", "cp312", "win_amd64")}, LINUX) is None


def test_best_wheel():
    files = [
        "x-1.0.tar.gz",
        "x-1.0-py3-none-any.whl",
        "x-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "x-1.0-cp312-cp312-win_amd64.whl",
        "x-1.0-cp312-cp312-manylinux_2_39_x86_64.whl",
        "not a wheel.whl",
    ]
    assert best_wheel(files, LINUX) == files[2]
    assert best_wheel(files, WIN) == files[3]
    assert best_wheel(files, MAC) == files[1]
    assert best_wheel(files[:1], LINUX) is None


def test_wheel_preference():
    from auditor.dist.filenames import parse_filename
    from auditor.dist.tags import wheel_preference

    def pref(name, target=LINUX):
        return wheel_preference(parse_filename(name).tags, target)

    assert pref("x-1-cp312-cp312-manylinux_2_28_x86_64.whl") == 0
    assert pref("x-1-cp39-abi3-manylinux2014_x86_64.whl") == 0
    assert pref("x-1-py3-none-any.whl") == 1
    assert pref("x-1-cp314-cp314t-manylinux_2_28_x86_64.whl") == 2
    assert pref("x-1-cp312-cp312-win_amd64.whl") == 3
    assert pref("x-1-cp312-cp312-musllinux_1_2_x86_64.whl") == 3
    assert pref("x-1-cp312-cp312-macosx_11_0_arm64.whl", MAC) == 0
