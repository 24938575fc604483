#!/usr/bin/env python3
"""Syncline's added latency at a fixed rate (ops/bench-latency; see ops/README.md).

Starts `syncline broker`, starts `syncline run` with the marketing connector (a copy with the SLO
raised, as ops/bench does, because the data set's occurred_at values are fixed in 2025), waits for
it to join its group, then produces ops/bench's data set into raw.marketing.events.v1 at a fixed
rate (default 5,000 records/s for 30 s) while a tailing consumer reads crm.leads.v1. For every
canonical output record it joins, through the output's `syncline-source-partition` /
`syncline-source-offset` headers, the input record's Kafka timestamp (CreateTime, stamped by
librdkafka when the load generator called produce(); the mock brokers keep it as sent), and
computes, in milliseconds:

  to_produce   = output record's own Kafka timestamp (CreateTime: Syncline's produce() call)
                 − input timestamp                       (lower bound of "acknowledged − input")
  to_ingest    = `syncline-ingest-ts` (Syncline consumed the batch) − input timestamp
  in_syncline  = output CreateTime − `syncline-ingest-ts` (decode, map, validate, encode, headers)
  seen_by_tail = wall-clock time the tailing consumer received the output − input timestamp
                 (upper bound: includes the broker acknowledgement and the tail's own fetch wait)

Percentiles come from an HdrHistogram (Python `hdrhistogram`, 1 µs unit, 3 significant digits)
when it is importable, and are cross-checked against an exact sort. All clocks are the same host's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (ops/bench.py: data set, broker, helpers)
from bench import log  # noqa: E402


def percentiles(values_us):
    out = {}
    if not values_us:
        return out
    exact = sorted(values_us)
    n = len(exact)

    def q(p):
        return exact[min(n - 1, max(0, int(round(p / 100 * n + 0.5)) - 1))]

    out["exact"] = {"p50": q(50), "p90": q(90), "p99": q(99), "p99.9": q(99.9), "max": exact[-1], "min": exact[0], "n": n}
    try:
        from hdrh.histogram import HdrHistogram
        h = HdrHistogram(1, 3_600_000_000, 3)
        for v in values_us:
            h.record_value(max(1, int(v)))  # µs; a negative (ms truncation) counts as 1 µs
        out["hdr"] = {"p50": h.get_value_at_percentile(50), "p90": h.get_value_at_percentile(90),
                      "p99": h.get_value_at_percentile(99), "p99.9": h.get_value_at_percentile(99.9),
                      "max": h.get_max_value(), "n": h.get_total_count()}
    except ImportError:
        out["hdr"] = None
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="ops/bench-latency", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", type=int, default=5000, help="input records/s (default 5000)")
    p.add_argument("--seconds", type=float, default=30, help="seconds of load (default 30)")
    p.add_argument("--warmup-seconds", type=float, default=2, help="first seconds of load left out of the figures (default 2)")
    p.add_argument("--syncline", help="the syncline binary (default: build release into .build-bench)")
    p.add_argument("--connector", default=bench.MAPPING_CONNECTOR)
    p.add_argument("--partitions", type=int, default=0)
    p.add_argument("--seed", type=int, default=20250601)
    p.add_argument("--contender", choices=("syncline", "passthrough"), default="syncline",
                   help="what to measure: Syncline (default) or the raw librdkafka passthrough as the baseline "
                        "(consume → produce unchanged; every input is copied, invalid ones too)")
    p.add_argument("--batch-size", type=int, help="set the connector copy's tuning.batch_size (the records taken per poll)")
    p.add_argument("--out", default=os.path.join(bench.OUT_DIR, "latency.json"))
    a = p.parse_args(argv)

    import yaml
    from confluent_kafka import Consumer, Producer, TopicPartition

    os.makedirs(bench.OUT_DIR, exist_ok=True)
    logs = os.path.join(bench.OUT_DIR, "logs")
    os.makedirs(logs, exist_ok=True)
    syncline = os.path.abspath(a.syncline) if a.syncline else bench.build_syncline()
    measure = bench.compile_c(bench.MEASURE_SRC, "measure")
    n = int(a.rate * a.seconds)
    tmp = tempfile.mkdtemp(prefix="syncline-latency-")
    root = os.path.join(tmp, "root")
    for d in ("topics", "connectors", "state"):
        os.makedirs(os.path.join(root, d))
    with open(a.connector, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    spec["slo_seconds"] = bench.BENCH_SLO_SECONDS
    if a.batch_size:
        spec.setdefault("tuning", {})["batch_size"] = a.batch_size
    connector = os.path.join(root, "connectors", "latency-" + os.path.basename(a.connector))
    with open(connector, "w", encoding="utf-8") as f:
        yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False)
    input_topic = spec["input"]["topics"][0]
    output_topic = spec["routes"][0]["topic"]
    dlq = spec.get("dlq")
    partitions = a.partitions or max(24, -(-n * 1000 // int(2 * 0.8 * bench.MOCK_PARTITION_CAP)))
    for src in sorted(os.listdir(os.path.join(bench.REPO, "topics"))):
        if src.endswith((".yaml", ".yml")):
            shutil.copy(os.path.join(bench.REPO, "topics", src), os.path.join(root, "topics", src))
    if a.contender == "passthrough":
        output_topic = bench.BENCH_OUTPUT
    for topic in (input_topic, output_topic, dlq, bench.LATENCY_TOPIC):
        path = os.path.join(root, "topics", f"{topic}.yaml")
        if os.path.exists(path):
            bench.set_partitions(path, partitions)
        else:
            bench.write_topic(root, topic, partitions, "created by ops/bench-latency")

    log(f"generating {n} records (seed {a.seed})")
    records, invalid = bench.generate(n, a.seed)
    result = {"command": " ".join(["ops/bench-latency", *sys.argv[1:]]), "machine": bench.machine_info(),
              "config": {"contender": a.contender, "rate": a.rate, "seconds": a.seconds, "records": n, "invalid": len(invalid), "partitions": partitions,
                         "connector": a.connector, "batch_size": a.batch_size, "warmup_seconds": a.warmup_seconds, "syncline": syncline}}
    broker = None
    proc = None
    try:
        broker = bench.Broker(syncline, root, 3, os.path.join(logs, "latency-broker.stderr"))
        bootstrap = broker.bootstrap
        client = bench.kafka_client(bootstrap)
        for topic in (input_topic, output_topic, dlq):
            got = bench.partitions_of(client, topic)
            if got < partitions:
                raise bench.BenchError(f"{topic} has {got} partitions, expected {partitions}")

        # The tail: assigned every output partition from the start, short fetch waits.
        tail = Consumer({"bootstrap.servers": bootstrap, "group.id": "latency-tail", "enable.auto.commit": False,
                         "auto.offset.reset": "earliest", "fetch.wait.max.ms": 5, "fetch.error.backoff.ms": 5,
                         "socket.nagle.disable": True})
        tail.assign([TopicPartition(output_topic, i, 0) for i in range(partitions)])
        seen = []  # (recv_us, headers, (ts_type, ts))
        stop_tail = threading.Event()

        def tail_loop():
            while not stop_tail.is_set():
                for m in tail.consume(num_messages=1000, timeout=0.05):
                    if m.error():
                        continue
                    seen.append((time.time_ns() // 1000, m.headers(), m.timestamp()))
        t = threading.Thread(target=tail_loop, daemon=True)
        t.start()

        import subprocess
        stem = os.path.join(logs, "latency-syncline")
        usage_path = stem + ".usage.json"
        out = open(stem + ".stdout", "w")
        err = open(stem + ".stderr", "w")
        if a.contender == "passthrough":
            stem = os.path.join(logs, "latency-passthrough")
            usage_path = stem + ".usage.json"
            out = open(stem + ".stdout", "w")
            err = open(stem + ".stderr", "w")
            cmd = [bench.build_passthrough(), "--brokers", bootstrap, "--group", "latency-passthrough", "--input", input_topic,
                   "--output", output_topic, "--count", str(n)]
        else:
            cmd = [syncline, "run", "--connector", connector, "--brokers", bootstrap, "--group", "latency-syncline", "--root", root,
                   "--state", os.path.join(root, "state"), "--exit-after", str(n), "--log-level", "warning"]
        proc = subprocess.Popen([measure, usage_path, "--", *cmd], cwd=root, stdout=out, stderr=err, start_new_session=True)
        # Let it start and join its group (the mock's first join takes ~3 s) before the clock starts.
        time.sleep(6)
        if proc.poll() is not None:
            raise bench.BenchError(f"syncline run exited early ({proc.returncode}); see {stem}.stderr")

        producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 0, "acks": "all", "enable.idempotence": True,
                             "compression.type": "lz4", "socket.nagle.disable": True, "queue.buffering.max.messages": 1000000})
        producer.list_topics(input_topic, timeout=10)
        input_ts = {}

        # The input's Kafka timestamp is the CreateTime librdkafka stamps inside produce(); the clock
        # is read at the same call (µs). Delivery reports cannot give it: the mock brokers answer
        # with a constant LogAppendTime (1234), which librdkafka then reports.
        def make_dr(t_us):
            def dr(e, m):
                if e is None:
                    input_ts[(m.partition(), m.offset())] = t_us
            return dr
        log(f"producing {n} records at {a.rate}/s into {input_topic} ({partitions} partitions)")
        load_avg_before = os.getloadavg()
        start = time.monotonic()
        sent = 0
        while sent < n:
            due = min(n, int((time.monotonic() - start) * a.rate) + 1)
            while sent < due:
                k, v = records[sent]
                t_us = time.time_ns() // 1000
                producer.produce(input_topic, v, k, headers=[("bench-sent-us", str(t_us))], on_delivery=make_dr(t_us))
                sent += 1
            producer.poll(0)
            time.sleep(0.0005)
        produce_seconds = time.monotonic() - start
        producer.flush(30)
        log(f"sent {sent} in {produce_seconds:.2f} s ({sent / produce_seconds:,.0f}/s); waiting for syncline to drain")
        code = proc.wait(120)
        load_avg_after = os.getloadavg()
        out.close()
        err.close()
        time.sleep(1.5)
        stop_tail.set()
        t.join(5)
        tail.close()
        with open(stem + ".stdout") as f:
            summary = bench.last_json_line(f.read())
        usage = json.load(open(usage_path)) if os.path.exists(usage_path) else None

        # Join and measure.
        warm_cut_ms = None
        if input_ts:
            first_ms = min(input_ts.values())
            warm_cut_ms = first_ms + int(a.warmup_seconds * 1_000_000)  # µs
        m_prod, m_ing, m_in, m_seen = [], [], [], []
        unmatched = warm = 0
        for recv_us, headers, (ts_type, out_ts) in seen:
            h = {k: v for k, v in (headers or ())}
            try:
                if "bench-sent-us" in h:  # the passthrough copies it; Syncline keeps upstream headers
                    in_us = int(h["bench-sent-us"])
                else:
                    in_us = input_ts[(int(h["syncline-source-partition"]), int(h["syncline-source-offset"]))]
            except (KeyError, ValueError):
                unmatched += 1
                continue
            if in_us < warm_cut_ms:
                warm += 1
                continue
            ingest = h.get("syncline-ingest-ts")
            ingest_ms = None
            if ingest:
                import datetime as dt
                ingest_ms = int(dt.datetime.fromisoformat(ingest.decode().replace("Z", "+00:00")).timestamp() * 1000)
            m_prod.append(out_ts * 1000 - in_us)
            m_seen.append(recv_us - in_us)
            if ingest_ms is not None:
                m_ing.append(ingest_ms * 1000 - in_us)
                m_in.append((out_ts - ingest_ms) * 1000)
        res = {"to_produce": percentiles(m_prod), "to_ingest": percentiles(m_ing), "in_syncline": percentiles(m_in),
               "seen_by_tail": percentiles(m_seen)}
        expected_out = n if a.contender == "passthrough" else n - len(invalid)
        result.update({
            "sent": sent, "produce_seconds": round(produce_seconds, 2), "acked_inputs": len(input_ts),
            "outputs_seen": len(seen), "outputs_expected": expected_out, "unmatched": unmatched, "warmup_excluded": warm,
            "input_ts_range": [min(input_ts.values()), max(input_ts.values())] if input_ts else None,
            "syncline_exit": code, "syncline_summary": summary, "usage": usage, "latency_us": res,
            "loadavg_before": load_avg_before, "loadavg_after": load_avg_after,
        })
        problems = []
        if code != 0:
            problems.append(f"{a.contender} exited {code}")
        if len(seen) != expected_out:
            problems.append(f"tail saw {len(seen)} outputs, expected {expected_out}")
        result["problems"] = problems
        with open(a.out, "w") as f:
            json.dump(result, f, indent=2)

        def row(name, r):
            src = r.get("hdr") or r.get("exact")
            if not src:
                return f"{name:14} (none)"
            e = r["exact"]
            return (f"{name:14} p50 {src['p50'] / 1000:7.1f}  p99 {src['p99'] / 1000:7.1f}  p99.9 {src['p99.9'] / 1000:7.1f}  "
                    f"max {src['max'] / 1000:7.1f} ms   (exact p50/p99/max {e['p50'] / 1000:.1f}/{e['p99'] / 1000:.1f}/{e['max'] / 1000:.1f}; n {e['n']})")
        print(f"\n{a.contender}: added latency at {a.rate:,} records/s for {a.seconds:.0f} s ({sent:,} records{'' if a.contender == 'passthrough' else f', {len(invalid):,} to the DLQ'}, "
              f"first {a.warmup_seconds:.0f} s left out) — {'HdrHistogram' if res['to_produce'].get('hdr') else 'exact sort'}:")
        for name in ("to_produce", "to_ingest", "in_syncline", "seen_by_tail"):
            print(row(name, res[name]))
        if usage:
            print(f"{a.contender}: cpu {usage.get('utime_s', 0) + usage.get('stime_s', 0):.2f} s, peak RSS {usage.get('maxrss_kb', 0) / 1024:.0f} MB")
        print(f"machine: {result['machine']['nproc']} × {result['machine']['cpu_model']}; load average before {load_avg_before[0]:.2f}, after {load_avg_after[0]:.2f}")
        if problems:
            print("FAILED checks:\n  " + "\n  ".join(problems))
            return 1
        return 0
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, 15)
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
