"""The survey on a Dask ``LocalCluster`` of two worker processes: the same tables as the local pool,
and still the same when a worker is killed mid-survey (Dask reruns its tasks; nothing counted twice)."""

from __future__ import annotations

import os
import signal

import pytest

distributed = pytest.importorskip("distributed")

from auditor.report.survey_tables import write_tables  # noqa: E402
from auditor.survey.inputs import expand  # noqa: E402
from auditor.survey.run import SurveyProgress, run_survey  # noqa: E402
from auditor.survey.runner import DaskRunner, LocalRunner  # noqa: E402
from tests.gitrepo import git_home  # noqa: E402,F401  (fixture)
from tests.survey.conftest import OFF  # noqa: E402


@pytest.fixture
def wide(world):
    """Eight inputs (a, b, c and five copies of c's requirements under other names), broken/ as well."""
    for i in range(5):
        (world / f"more{i}").mkdir()
        (world / f"more{i}" / "requirements.txt").write_text("db==1.5\ncore==1.0\n" if i % 2 else "cli==3.0\ncore==1.0\n")
    return world


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as lc:
        yield lc


def tables(config, root, runner, out, progress=None):
    try:
        result = run_survey(config, expand([str(root)]), runner, progress, {"resolver": "none"})
    finally:
        runner.close()
    out.mkdir()
    write_tables(result, out)
    return result, {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}


def test_cluster_tables_equal_local_ones(config, wide, tmp_path, cluster):
    local_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "local-cache")
    dask_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "dask-cache")
    _, local = tables(local_cfg, wide, LocalRunner(2), tmp_path / "local")
    with distributed.Client(cluster) as client:
        result, remote = tables(dask_cfg, wide, DaskRunner(client=client), tmp_path / "dask")
    assert result.stats["resolve"]["tasks"] == 9 and result.stats["resolve"]["failed"] == 1
    assert sorted(local) == sorted(remote) and len(local) == 7
    for name in local:
        assert local[name] == remote[name], name


class KillOneWorker(SurveyProgress):
    """Kills a worker process (SIGKILL) when the first resolve task is back: its tasks are still queued or running."""

    def __init__(self, client):
        self.client, self.killed = client, None

    def done(self, name, ok=True):
        if name == "resolve" and self.killed is None:
            pids = self.client.run(os.getpid)
            victim = sorted(pids)[0]
            self.killed = pids[victim]
            os.kill(self.killed, signal.SIGKILL)


def test_a_killed_worker_loses_nothing(config, wide, tmp_path):
    local_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "local-cache")
    dask_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "dask-cache")
    _, local = tables(local_cfg, wide, LocalRunner(2), tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as lc, \
            distributed.Client(lc) as client:
        killer = KillOneWorker(client)
        result, remote = tables(dask_cfg, wide, DaskRunner(client=client), tmp_path / "dask", killer)
    assert killer.killed is not None
    assert result.stats["resolve"]["done"] + result.stats["resolve"]["failed"] == 9  # each task counted once
    for name in local:
        assert local[name] == remote[name], name


def test_history_shards_on_the_cluster(config, fake_pypi, tmp_path, git_home):  # noqa: F811
    """The history stage on two worker processes (git clones in each worker's cache): same tables as locally."""
    from tests.survey.test_history import history_world

    cfg, inputs = history_world(config, fake_pypi, tmp_path)
    out = {}
    for name in ("local", "dask"):
        c = cfg.with_changes(cache_dir=tmp_path / f"{name}-cache")
        if name == "local":
            runner = LocalRunner(2)
        else:
            lc = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                          worker_dashboard_address=None)
            client = distributed.Client(lc)
            runner = DaskRunner(client=client)
            assert len(runner.workers()) == 2
        try:
            result = run_survey(c, expand(inputs), runner, None, {"resolver": "none"})
        finally:
            runner.close()
            if name == "dask":
                client.close()
                lc.close()
        assert result.stats["history"]["failed"] == 0
        (tmp_path / name).mkdir()
        write_tables(result, tmp_path / name)
        out[name] = {p.name: p.read_bytes() for p in sorted((tmp_path / name).glob("*.parquet"))}
    assert out["local"] == out["dask"]



def test_scheduler_address_gives_the_local_tables(config, wide, tmp_path, cluster):
    """``--scheduler tcp://HOST:PORT`` (the CLI builds ``DaskRunner(address)``) connects by address, as to a real cluster."""
    assert cluster.scheduler_address.startswith("tcp://")
    local_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "local-cache")
    dask_cfg = config.with_changes(disabled=OFF, cache_dir=tmp_path / "dask-cache")
    _, local = tables(local_cfg, wide, LocalRunner(2), tmp_path / "local")
    _, remote = tables(dask_cfg, wide, DaskRunner(cluster.scheduler_address), tmp_path / "dask")
    assert len(local) == 7 and local == remote
