"""A sweep too large for one machine, on Dask: networks x hardware presets x
batch sizes x data types, each point placed on the roofline. The same rows
come back whether the points run here or on a cluster's workers.

    PYTHONPATH=build/python python3 examples/dask_sweep.py            # a LocalCluster
    PYTHONPATH=build/python python3 examples/dask_sweep.py tcp://scheduler:8786

The CLI's side of the same idea is --shard I/N (docs/cli.md): one slice of a
sweep per Slurm array task, CSV shards merged afterwards.
"""
import itertools
import sys

import reuselens as rl

NETWORKS = ("zoo:alexnet", "zoo:squeezenet11", "zoo:mobilenet-v1", "zoo:resnet50")
HARDWARE = ("v100", "a100", "h100-sxm")
BATCHES = (1, 8)
DTYPES = ("fp16", "int8")


def grid(networks=NETWORKS, hardware=HARDWARE, batches=BATCHES, dtypes=DTYPES):
    return list(itertools.product(networks, hardware, batches, dtypes))


def point(network, hw, batch, dtype):
    """One row: the network's placement by AI_c and DI, and its time bound."""
    r = rl.roofline(network, hw=hw, dtype=dtype, batch=batch).to_dict()["roofline"]
    return {
        "network": network, "hardware": hw, "batch": batch, "dtype": dtype,
        "time_bound_s": r["total_time_s"],
        "ai_c_bound": r["by_ai_c"]["bound"],
        "di_bound": r["by_di"]["bound"],
    }


def sequential(points):
    return [point(*p) for p in points]


def on_dask(points, client):
    futures = client.map(lambda p: point(*p), points, pure=False)
    return client.gather(futures)


def main():
    from distributed import Client, LocalCluster

    points = grid()
    if len(sys.argv) > 1:
        client = Client(sys.argv[1])
    else:
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, processes=True))
    with client:
        rows = on_dask(points, client)
    for row in rows[:5]:
        print(row)
    print(f"{len(rows)} points")


if __name__ == "__main__":
    main()
