"""The examples run: the notebook's cells, the NAS loop, and the Dask sweep,
which must give the rows the sequential run gives."""
import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import dask_sweep  # noqa: E402
import nas_loop  # noqa: E402


def test_notebook_cells_run():
    """Every code cell, in order, as Jupyter would run them (no kernel needed)."""
    with open(os.path.join(HERE, "reuselens.ipynb")) as f:
        notebook = json.load(f)
    namespace = {}
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert len(cells) >= 6
    for cell in cells:
        source = "".join(cell["source"])
        *body, last = source.rstrip().split("\n")
        exec("\n".join(body), namespace)  # noqa: S102
        try:
            value = eval(last, namespace)  # the cell's displayed value  # noqa: S307
        except SyntaxError:
            exec(last, namespace)  # noqa: S102
            continue
        if hasattr(value, "_repr_html_"):
            assert value._repr_html_()


def test_notebook_executes_in_a_kernel():
    """The same notebook through Debian's nbclient and ipykernel, where present."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.read(os.path.join(HERE, "reuselens.ipynb"), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(HERE)}})
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/svg+xml" in o.get("data", {}) for o in outputs)  # the roofline drew


def test_nas_ranking_changes_with_k():
    ranks = nas_loop.rankings(nas_loop.search_space())
    assert len(ranks[0.0]) == 27
    assert ranks[0.0] != ranks[1.0]
    assert sorted(ranks[0.0]) == sorted(ranks[1.0])


def test_dask_gives_the_sequential_rows():
    distributed = pytest.importorskip("distributed")
    points = dask_sweep.grid(networks=("zoo:alexnet", "zoo:squeezenet11"),
                             hardware=("v100", "h100-sxm"), batches=(1, 4), dtypes=("fp16",))
    expected = dask_sweep.sequential(points)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with distributed.Client(cluster) as client:
        assert dask_sweep.on_dask(points, client) == expected
    cluster.close()
