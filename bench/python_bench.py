#!/usr/bin/python3
"""Python-side rates: analysing a 50-layer CNN built with reuselens.GraphBuilder
(target: 5,000 per second on one core) and building it.

    PYTHONPATH=build/python /usr/bin/python3 bench/python_bench.py
"""
import time

import reuselens as rl


def cnn50():
    b = rl.GraphBuilder("cnn50", (1, 3, 64, 64))
    x = b.input()
    for _ in range(24):
        x = b.relu(b.conv(x, 32, kernel=3, pad=1))
    x = b.fc(b.global_avg_pool(x), 10)
    return b.finish()


def rate(fn, seconds=2.0):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        n += 1
    return n / (time.perf_counter() - start)


def main():
    g = cnn50()
    assert len(g) == 50
    analyses = rate(lambda: rl.analyze(g))
    builds = rate(cnn50)
    scores = rate(lambda: rl.rank([g], k=0.5))
    print(f"analyse a 50-layer CNN: {analyses:,.0f}/s (target 5,000/s)")
    print(f"build it in Python:     {builds:,.0f}/s")
    print(f"rank it (Eq. 7):        {scores:,.0f}/s")


if __name__ == "__main__":
    main()
