"""A NAS loop scoring candidates with the paper's Eq. 7.

Candidate CNNs are built with reuselens.GraphBuilder (width x depth x kernel),
analysed in C++ and ranked by Mc x (1/DI)^k: k = 0 ranks by compute alone, k =
1 weighs memory reuse fully. The ranking changes with k because cheap networks
(few MACs) are not the ones with the best data reuse.

    PYTHONPATH=build/python python3 examples/nas_loop.py
"""
import itertools
import time

import reuselens as rl


def candidate(width, depth, kernel):
    b = rl.GraphBuilder(f"w{width}-d{depth}-k{kernel}", (1, 3, 64, 64))
    x = b.input()
    for stage in range(3):
        for _ in range(depth):
            x = b.relu(b.conv(x, width << stage, kernel=kernel, pad=kernel // 2))
        x = b.max_pool(x, kernel=2, stride=2)
    x = b.global_avg_pool(x)
    x = b.fc(x, 10)
    return b.finish()


def search_space():
    return [candidate(w, d, k) for w, d, k in itertools.product((16, 32, 64), (1, 2, 3), (1, 3, 5))]


def rankings(graphs, ks=(0.0, 0.5, 1.0)):
    """{k: [names, best first]}"""
    return {k: [row["model"] for row in rl.rank(graphs, k=k).to_dict()["ranking"]] for k in ks}


def main():
    graphs = search_space()
    start = time.perf_counter()
    ranks = rankings(graphs)
    seconds = time.perf_counter() - start
    for k, names in ranks.items():
        print(f"k = {k}: best {names[0]}, then {', '.join(names[1:4])}")
    print(f"{len(graphs)} candidates scored at 3 values of k in {seconds * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
