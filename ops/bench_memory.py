#!/usr/bin/env python3
"""Syncline's memory run (ops/bench-memory; see ops/README.md): a backlog of N records (default
1,000,000 of ops/bench's marketing data set) preloaded with lz4 into enough partitions (default
256) that the mock's 5 MiB-per-partition cap drops nothing (checked: every low watermark 0, high
watermarks summing to N), drained by `syncline run --connector connectors/marketing.yaml
--exit-after N` under ops/passthrough/measure.c, which reports its peak RSS and CPU from wait4.
Then checks that the output topic and the DLQ together gained exactly N records with none
dropped by the cap, and that the group committed the input's end offsets."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import log  # noqa: E402


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="ops/bench-memory", description=__doc__)
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--partitions", type=int, default=256)
    p.add_argument("--syncline", help="the syncline binary (default: build release into .build-bench)")
    p.add_argument("--connector", default=bench.MAPPING_CONNECTOR)
    p.add_argument("--seed", type=int, default=20250601)
    p.add_argument("--out", default=os.path.join(bench.OUT_DIR, "memory.json"))
    a = p.parse_args(argv)

    import yaml
    from confluent_kafka import Consumer, TopicPartition

    os.makedirs(os.path.join(bench.OUT_DIR, "logs"), exist_ok=True)
    syncline = os.path.abspath(a.syncline) if a.syncline else bench.build_syncline()
    measure = bench.compile_c(bench.MEASURE_SRC, "measure")
    n = a.records
    tmp = tempfile.mkdtemp(prefix="syncline-memory-")
    root = os.path.join(tmp, "root")
    for d in ("topics", "connectors", "state"):
        os.makedirs(os.path.join(root, d))
    with open(a.connector, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    spec["slo_seconds"] = bench.BENCH_SLO_SECONDS  # fixed 2025 timestamps: the live-stream path, as ops/bench
    connector = os.path.join(root, "connectors", "memory-" + os.path.basename(a.connector))
    with open(connector, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False)
    input_topic, output_topic, dlq = spec["input"]["topics"][0], spec["routes"][0]["topic"], spec["dlq"]
    for src in sorted(os.listdir(os.path.join(bench.REPO, "topics"))):
        if src.endswith((".yaml", ".yml")):
            shutil.copy(os.path.join(bench.REPO, "topics", src), os.path.join(root, "topics", src))
    for topic in (input_topic, output_topic, dlq, bench.LATENCY_TOPIC):
        path = os.path.join(root, "topics", f"{topic}.yaml")
        if os.path.exists(path):
            bench.set_partitions(path, a.partitions)
        else:
            bench.write_topic(root, topic, a.partitions, "created by ops/bench-memory")

    log(f"generating {n:,} records")
    records, invalid = bench.generate(n, a.seed)
    result = {"command": " ".join(["ops/bench-memory", *sys.argv[1:]]), "machine": bench.machine_info(),
              "config": {"records": n, "invalid": len(invalid), "partitions": a.partitions, "connector": a.connector,
                         "syncline": syncline}}
    problems = []
    broker = None
    try:
        broker = bench.Broker(syncline, root, 3, os.path.join(bench.OUT_DIR, "logs", "memory-broker.stderr"))
        bootstrap = broker.bootstrap
        client = bench.kafka_client(bootstrap)
        log(f"preloading {n:,} records into {input_topic} ({a.partitions} partitions, lz4)")
        t = time.monotonic()
        bench.preload(bootstrap, input_topic, records)
        del records
        wm = bench.watermarks(client, input_topic)
        lows, highs = [l for l, _ in wm], [h for _, h in wm]
        log(f"preload: {time.monotonic() - t:.1f} s; low watermarks max {max(lows)}, high watermarks sum {sum(highs):,}")
        if any(lows) or sum(highs) != n:
            raise bench.BenchError(f"preload dropped records: lows {sum(lows)}, highs sum {sum(highs)} != {n}")
        before = {topic: [h for _, h in bench.watermarks(client, topic)] for topic in (output_topic, dlq)}
        stem = os.path.join(bench.OUT_DIR, "logs", "memory-syncline")
        group = "memory-syncline"
        log(f"draining with syncline run --exit-after {n}")
        load_before = os.getloadavg()
        code, text, usage = bench.run_measured(
            measure, [syncline, "run", "--connector", connector, "--brokers", bootstrap, "--group", group, "--root", root,
                      "--state", os.path.join(root, "state"), "--exit-after", str(n), "--log-level", "warning"],
            root, 1800, stem)
        load_after = os.getloadavg()
        summary = bench.last_json_line(text)
        gained = {}
        for topic in (output_topic, dlq):
            wm = bench.watermarks(client, topic)
            lows = [l for l, _ in wm]
            gained[topic] = sum(h for _, h in wm) - sum(before[topic])
            if any(lows):
                problems.append(f"{topic}: the mock's cap dropped records (low watermarks sum {sum(lows)})")
        if gained.get(output_topic) != n - len(invalid) or gained.get(dlq) != len(invalid):
            problems.append(f"counts differ: {gained} expected {output_topic}={n - len(invalid)}, {dlq}={len(invalid)}")
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
        committed = c.committed([TopicPartition(input_topic, i) for i in range(a.partitions)], timeout=30)
        c.close()
        if [tp.offset for tp in committed] != highs:
            problems.append("committed offsets differ from the input's end offsets")
        if code != 0:
            problems.append(f"syncline exited {code}")
        cpu = (usage["utime_s"] + usage["stime_s"]) if usage else None
        result.update({"syncline_exit": code, "summary": summary, "usage": usage, "gained": gained, "problems": problems,
                       "loadavg_before": load_before, "loadavg_after": load_after})
        with open(a.out, "w") as f:
            json.dump(result, f, indent=2)
        active = (summary or {}).get("active_seconds") or (summary or {}).get("seconds")
        print(f"\nMemory run: {n:,} records ({len(invalid):,} invalid) in {a.partitions} partitions, drained by syncline run "
              f"--exit-after {n}")
        print(f"peak RSS {usage['maxrss_kb'] / 1024:.0f} MB (target < 100 MB, aim 64 MB: issue 13), CPU {cpu:.1f} s "
              f"({cpu / n * 1e6:.1f} µs/record), wall {usage['wall_s']:.1f} s" + (f", summary {json.dumps(summary)}" if summary else ""))
        print(f"outputs {gained}; load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
        if problems:
            print("FAILED checks:\n  " + "\n  ".join(problems))
            return 1
        print("checks: OK (nothing dropped, every record delivered or DLQ'd, commits at the end offsets)")
        return 0
    finally:
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
