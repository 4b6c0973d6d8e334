"""The same sweep on a dask.distributed LocalCluster (loopback) gives identical results."""

from __future__ import annotations

import pandas as pd
import pytest

import bargain as bg

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        host="127.0.0.1",
        protocol="tcp",
        scheduler_port=0,
        dashboard_address=None,
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_equals_local(client, tmp_path):
    local = bg.sweep("ukraine_russia", 600, seed=4, chunk_size=150)
    remote = bg.sweep("ukraine_russia", 600, seed=4, chunk_size=150, scheduler=client)
    pd.testing.assert_frame_equal(remote.table, local.table)
    pd.testing.assert_frame_equal(remote.summary, local.summary)


def test_dask_writes_and_resumes(client, tmp_path):
    out = tmp_path / "d.parquet"
    local = bg.sweep("ukraine_russia", 400, seed=1, chunk_size=100)
    first = bg.sweep(
        "ukraine_russia", 400, seed=1, chunk_size=100, scheduler=client, out=out, keep_chunks=True
    )
    pd.testing.assert_frame_equal(pd.read_parquet(out), local.table)
    (tmp_path / "d.parquet.chunks" / "chunk-00000002.parquet").unlink()
    again = bg.sweep(
        "ukraine_russia", 400, seed=1, chunk_size=100, scheduler=client, out=out, resume=True
    )
    pd.testing.assert_frame_equal(again.table, first.table)


def test_scheduler_type_is_checked():
    with pytest.raises(TypeError, match="`scheduler`"):
        bg.sweep("camp_david_1978", 10, scheduler=3.5)
