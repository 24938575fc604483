#!/usr/bin/env python3
"""Added latency at a fixed rate, Syncline and the raw librdkafka passthrough in one run
(ops/bench-latency; see ops/README.md).

Starts `syncline broker` once, then measures each contender in turn on that cluster (default:
the passthrough, then Syncline; `--contender` picks one): the contender is started, a few
warm-up records are produced and the run waits until the tail has seen their outputs (so the
group join and the first metadata lookups are behind it: an awaited event, not a sleep), then
ops/bench's data set is produced at a fixed rate (default 5,000 records/s for 30 s) from a Python
producer (linger.ms=0, acks=all, idempotent, lz4) while a tailing consumer (fetch.wait.max.ms=5)
reads the contender's output topic.
  - syncline: `syncline run` with the marketing connector (a copy with the SLO raised, as ops/bench
    does, because the data set's occurred_at values are fixed in 2025): raw.marketing.events.v1 →
    crm.leads.v1 (invalid records to its DLQ);
  - passthrough: ops/passthrough/passthrough.c (event-driven: consume with timeout 0, poll(2) on
    librdkafka's queue wake-up descriptors, delivery reports served as they arrive, linger.ms 5):
    raw.bench.latency.v1 → hub.bench.out.v1, every record copied.
Every output is joined to its input — through the `bench-sent-us` header the load producer adds
(the passthrough copies headers, Syncline keeps upstream ones), else through Syncline's
`syncline-source-partition`/`-offset` headers — and measured, in milliseconds:

  to_produce   = output record's own Kafka timestamp (CreateTime: the contender's produce() call)
                 − input timestamp                       (lower bound of "acknowledged − input")
  to_ingest    = `syncline-ingest-ts` (Syncline consumed the batch) − input timestamp (Syncline only)
  in_syncline  = output CreateTime − `syncline-ingest-ts` (Syncline only)
  seen_by_tail = wall-clock time the tailing consumer received the output − input timestamp
                 (upper bound: includes the broker acknowledgement and the tail's own fetch wait)

The input timestamp is the CreateTime librdkafka stamps inside produce(); the script reads the
same clock at that call (µs). "Added" p99 = Syncline's p99 − the passthrough's p99 of the same
figure in the same run. Percentiles come from an HdrHistogram (Python `hdrhistogram`, 1 µs unit,
3 significant digits) when it is importable, and are cross-checked against an exact sort.
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


WARMUP_RECORDS = 20
PASSTHROUGH_INPUT = "raw.bench.latency.v1"


def row(name, r):
    src = r.get("hdr") or r.get("exact")
    if not src:
        return f"{name:14} (none)"
    e = r["exact"]
    return (f"{name:14} p50 {src['p50'] / 1000:7.1f}  p99 {src['p99'] / 1000:7.1f}  p99.9 {src['p99.9'] / 1000:7.1f}  "
            f"max {src['max'] / 1000:7.1f} ms   (exact p50/p99/max {e['p50'] / 1000:.1f}/{e['p99'] / 1000:.1f}/{e['max'] / 1000:.1f}; n {e['n']})")


def p99_ms(r):
    src = (r or {}).get("hdr") or (r or {}).get("exact")
    return src["p99"] / 1000 if src else None


def run_phase(contender, a, bootstrap, root, connector, input_topic, output_topic, records, invalid, partitions,
              syncline, measure, logs):
    """One contender: start it, warm up (awaited), produce at the rate, tail its output, measure."""
    import datetime as dt
    import subprocess
    from confluent_kafka import Consumer, Producer, TopicPartition

    n = len(records)
    valid = [i not in invalid for i in range(n)]
    expect = (lambda lo, hi: hi - lo) if contender == "passthrough" else (lambda lo, hi: sum(valid[lo:hi]))
    tail = Consumer({"bootstrap.servers": bootstrap, "group.id": f"latency-tail-{contender}", "enable.auto.commit": False,
                     "auto.offset.reset": "earliest", "fetch.wait.max.ms": 5, "fetch.error.backoff.ms": 5,
                     "socket.nagle.disable": True})
    tail.assign([TopicPartition(output_topic, i, 0) for i in range(partitions)])
    seen = []  # (recv_us, headers, (ts_type, ts))
    stop_tail = threading.Event()
    grew = threading.Condition()

    def tail_loop():
        while not stop_tail.is_set():
            got = [(time.time_ns() // 1000, m.headers(), m.timestamp())
                   for m in tail.consume(num_messages=1000, timeout=0.05) if not m.error()]
            if got:
                with grew:
                    seen.extend(got)
                    grew.notify_all()

    def wait_seen(k, seconds, alive=None):
        """Waits until the tail has seen k outputs (or the time passes, or `alive()` turns false)."""
        deadline = time.monotonic() + seconds
        with grew:
            while len(seen) < k and time.monotonic() < deadline and (alive is None or alive()):
                grew.wait(0.5)
            return len(seen) >= k
    t = threading.Thread(target=tail_loop, daemon=True)
    t.start()

    stem = os.path.join(logs, f"latency-{contender}")
    usage_path = stem + ".usage.json"
    if os.path.exists(usage_path):
        os.remove(usage_path)
    out = open(stem + ".stdout", "w")
    err = open(stem + ".stderr", "w")
    if contender == "passthrough":
        cmd = [bench.build_passthrough(), "--brokers", bootstrap, "--group", "latency-passthrough", "--input", input_topic,
               "--output", output_topic, "--count", str(n)]
    else:
        cmd = [syncline, "run", "--connector", connector, "--brokers", bootstrap, "--group", "latency-syncline", "--root", root,
               "--state", os.path.join(root, "state"), "--exit-after", str(n), "--log-level", "warning"]
    proc = subprocess.Popen([measure, usage_path, "--", *cmd], cwd=root, stdout=out, stderr=err, start_new_session=True)
    try:
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

        def send(i):
            k, v = records[i]
            t_us = time.time_ns() // 1000
            producer.produce(input_topic, v, k, headers=[("bench-sent-us", str(t_us))], on_delivery=make_dr(t_us))

        # Warm-up: the first records, then wait until their outputs reached the tail — the
        # contender has joined its group and knows its topics. Not measured.
        w = min(WARMUP_RECORDS, n)
        for i in range(w):
            send(i)
        producer.flush(30)
        if not wait_seen(expect(0, w), 120, alive=lambda: proc.poll() is None):
            if proc.poll() is not None:
                raise bench.BenchError(f"{contender} exited early ({proc.returncode}); see {stem}.stderr")
            raise bench.BenchError(f"{contender}: no output for the warm-up records within 120 s; see {stem}.stderr")
        log(f"{contender}: warm-up done ({w} records through); producing {n - w} records at {a.rate}/s into {input_topic}")
        load_avg_before = os.getloadavg()
        start = time.monotonic()
        start_us = time.time_ns() // 1000
        sent = w
        while sent < n:
            due = min(n, w + int((time.monotonic() - start) * a.rate) + 1)
            while sent < due:
                send(sent)
                sent += 1
            producer.poll(0)
            time.sleep(0.0005)  # pacing the load generator (the rate), not synchronisation
        produce_seconds = time.monotonic() - start
        producer.flush(30)
        log(f"{contender}: sent {sent - w} in {produce_seconds:.2f} s ({(sent - w) / produce_seconds:,.0f}/s); waiting for it to finish")
        code = proc.wait(120 + n / 1000)
        load_avg_after = os.getloadavg()
        # The contender exited after its last output was acknowledged; let the tail read to the end.
        wait_seen(expect(0, n), 30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, 15)
            proc.wait(30)
        out.close()
        err.close()
        stop_tail.set()
        t.join(5)
        tail.close()
    with open(stem + ".stdout") as f:
        summary = bench.last_json_line(f.read())
    usage = json.load(open(usage_path)) if os.path.exists(usage_path) else None

    warm_cut_us = start_us + int(a.warmup_seconds * 1_000_000)
    m_prod, m_ing, m_in, m_seen = [], [], [], []
    unmatched = warm = 0
    for recv_us, headers, (ts_type, out_ts) in seen:
        h = {k: v for k, v in (headers or ())}
        try:
            if "bench-sent-us" in h:
                in_us = int(h["bench-sent-us"])
            else:
                in_us = input_ts[(int(h["syncline-source-partition"]), int(h["syncline-source-offset"]))]
        except (KeyError, ValueError):
            unmatched += 1
            continue
        if in_us < warm_cut_us:
            warm += 1
            continue
        m_prod.append(out_ts * 1000 - in_us)
        m_seen.append(recv_us - in_us)
        ingest = h.get("syncline-ingest-ts")
        if ingest:
            ingest_ms = int(dt.datetime.fromisoformat(ingest.decode().replace("Z", "+00:00")).timestamp() * 1000)
            m_ing.append(ingest_ms * 1000 - in_us)
            m_in.append((out_ts - ingest_ms) * 1000)
    res = {"to_produce": percentiles(m_prod), "to_ingest": percentiles(m_ing), "in_syncline": percentiles(m_in),
           "seen_by_tail": percentiles(m_seen)}
    expected_out = expect(0, n)
    problems = []
    if code != 0:
        problems.append(f"{contender} exited {code} (see {stem}.stderr)")
    if len(seen) != expected_out:
        problems.append(f"{contender}: the tail saw {len(seen)} outputs, expected {expected_out}")
    return {
        "contender": contender, "input_topic": input_topic, "output_topic": output_topic, "records": n,
        "warmup_records": w, "sent": sent, "produce_seconds": round(produce_seconds, 2), "acked_inputs": len(input_ts),
        "outputs_seen": len(seen), "outputs_expected": expected_out, "unmatched": unmatched, "warmup_excluded": warm,
        "exit_code": code, "summary": summary, "usage": usage, "latency_us": res,
        "loadavg_before": load_avg_before, "loadavg_after": load_avg_after, "problems": problems,
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="ops/bench-latency", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", type=int, default=5000, help="input records/s (default 5000)")
    p.add_argument("--seconds", type=float, default=30, help="seconds of load per contender (default 30)")
    p.add_argument("--warmup-seconds", type=float, default=2, help="first seconds of load left out of the figures (default 2)")
    p.add_argument("--syncline", help="the syncline binary (default: build release into .build-bench)")
    p.add_argument("--connector", default=bench.MAPPING_CONNECTOR)
    p.add_argument("--partitions", type=int, default=0)
    p.add_argument("--seed", type=int, default=20250601)
    p.add_argument("--contender", choices=("both", "syncline", "passthrough"), default="both",
                   help="what to measure: both in one run, the passthrough first (default), or one of them")
    p.add_argument("--batch-size", type=int, help="set the connector copy's tuning.batch_size (the records taken per poll)")
    p.add_argument("--out", default=os.path.join(bench.OUT_DIR, "latency.json"))
    a = p.parse_args(argv)

    import yaml

    os.makedirs(bench.OUT_DIR, exist_ok=True)
    logs = os.path.join(bench.OUT_DIR, "logs")
    os.makedirs(logs, exist_ok=True)
    syncline = os.path.abspath(a.syncline) if a.syncline else bench.build_syncline()
    measure = bench.compile_c(bench.MEASURE_SRC, "measure")
    n = WARMUP_RECORDS + int(a.rate * a.seconds)
    contenders = ["passthrough", "syncline"] if a.contender == "both" else [a.contender]
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
    topics = {"syncline": (spec["input"]["topics"][0], spec["routes"][0]["topic"]),
              "passthrough": (PASSTHROUGH_INPUT, bench.BENCH_OUTPUT)}
    dlq = spec.get("dlq")
    partitions = a.partitions or max(24, -(-n * 1000 // int(2 * 0.8 * bench.MOCK_PARTITION_CAP)))
    for src in sorted(os.listdir(os.path.join(bench.REPO, "topics"))):
        if src.endswith((".yaml", ".yml")):
            shutil.copy(os.path.join(bench.REPO, "topics", src), os.path.join(root, "topics", src))
    for topic in (*topics["syncline"], *topics["passthrough"], dlq, bench.LATENCY_TOPIC):
        path = os.path.join(root, "topics", f"{topic}.yaml")
        if os.path.exists(path):
            bench.set_partitions(path, partitions)
        else:
            bench.write_topic(root, topic, partitions, "created by ops/bench-latency")

    log(f"generating {n} records (seed {a.seed})")
    records, invalid = bench.generate(n, a.seed)
    result = {"command": " ".join(["ops/bench-latency", *(argv if argv is not None else sys.argv[1:])]), "machine": bench.machine_info(),
              "config": {"contenders": contenders, "rate": a.rate, "seconds": a.seconds, "records": n, "invalid": len(invalid),
                         "partitions": partitions, "connector": a.connector, "batch_size": a.batch_size,
                         "warmup_records": WARMUP_RECORDS, "warmup_seconds": a.warmup_seconds, "syncline": syncline},
              "phases": {}}
    broker = None
    try:
        broker = bench.Broker(syncline, root, 3, os.path.join(logs, "latency-broker.stderr"))
        bootstrap = broker.bootstrap
        client = bench.kafka_client(bootstrap)
        for topic in (*topics["syncline"], *topics["passthrough"], dlq):
            got = bench.partitions_of(client, topic)
            if got < partitions:
                raise bench.BenchError(f"{topic} has {got} partitions, expected {partitions}")
        client.close()
        for c in contenders:
            result["phases"][c] = run_phase(c, a, bootstrap, root, connector, *topics[c], records, invalid, partitions,
                                            syncline, measure, logs)
    finally:
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    problems = [p for ph in result["phases"].values() for p in ph["problems"]]
    added = {}
    if len(result["phases"]) == 2:
        for fig in ("to_produce", "seen_by_tail"):
            s99 = p99_ms(result["phases"]["syncline"]["latency_us"][fig])
            p99 = p99_ms(result["phases"]["passthrough"]["latency_us"][fig])
            if s99 is not None and p99 is not None:
                added[fig] = {"syncline_p99_ms": s99, "passthrough_p99_ms": p99, "added_p99_ms": round(s99 - p99, 2)}
    result["added"] = added
    result["problems"] = problems
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)

    for c, ph in result["phases"].items():
        res = ph["latency_us"]
        print(f"\n{c}: latency at {a.rate:,} records/s for {a.seconds:.0f} s ({ph['sent'] - ph['warmup_records']:,} records, "
              f"{ph['outputs_seen']:,} outputs seen, first {a.warmup_seconds:.0f} s left out) — "
              f"{'HdrHistogram' if res['to_produce'].get('hdr') else 'exact sort'}:")
        for name in ("to_produce", "to_ingest", "in_syncline", "seen_by_tail"):
            if res[name]:
                print(row(name, res[name]))
        u = ph["usage"]
        if u:
            print(f"{c}: cpu {u.get('utime_s', 0) + u.get('stime_s', 0):.2f} s, peak RSS {u.get('maxrss_kb', 0) / 1024:.0f} MB; "
                  f"load average {ph['loadavg_before'][0]:.2f} → {ph['loadavg_after'][0]:.2f}")
    for fig, v in added.items():
        print(f"\nadded p99 ({fig}): Syncline {v['syncline_p99_ms']:.1f} ms − passthrough {v['passthrough_p99_ms']:.1f} ms "
              f"= {v['added_p99_ms']:+.1f} ms")
    print(f"machine: {result['machine']['nproc']} × {result['machine']['cpu_model']}")
    print(f"results: {a.out}")
    if problems:
        print("FAILED checks:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
