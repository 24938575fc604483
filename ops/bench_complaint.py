#!/usr/bin/env python3
"""Complaint → alert latency (ops/bench-latency --complaints; see ops/README.md).

Starts `syncline broker`, runs the shipped tickets connector alone (`syncline run`), and produces
complaint tickets at a fixed rate (default 20/s for 30 s), each a new ticket tagged `complaint`,
keyed by its ticket id. A tailing consumer (fetch.wait.max.ms=5) reads hub.alerts.v1; every
`customer_complained` alert is joined to its ticket through the alert id and measured, in ms:

  to_alert_produced = the alert's Kafka CreateTime (the connector's produce() call) − the ticket's
                      CreateTime (stamped inside the load producer's produce(); same clock read)
  to_alert_seen     = wall-clock time the tail received the alert − the ticket's CreateTime
                      (an upper bound of "alert acknowledged": the broker acknowledged it before
                      any consumer could fetch it; includes the tail's own fetch wait)

The acknowledgement itself lies between the two. Warm-up tickets (the group join, the first
metadata lookups) are produced first and awaited through their alerts; they are not measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
from bench import log  # noqa: E402
from bench_latency import percentiles, row  # noqa: E402

TICKETS_INPUT = "raw.tickets.events.v1"
ALERTS = "hub.alerts.v1"
WARMUP = 10
KIND = "customer_complained"


def ticket(ticket_id: int, now_iso: str) -> bytes:
    return json.dumps({
        "event_id": f"bench-complaint-{ticket_id}", "event_type": "ticket.created", "occurred_at": now_iso,
        "ticket": {"id": ticket_id, "subject": "退款迟迟不到账", "description": "Refund still missing after two weeks\nsecond line",
                   "status": "open", "priority": "urgent", "type": "problem", "tags": ["complaint", "refund"],
                   "created_at": now_iso, "updated_at": now_iso, "assignee": {"id": "agent-17"},
                   "requester": {"id": ticket_id, "name": "Bench", "phone": f"+86 139{ticket_id % 100000000:08d}"},
                   "custom_fields": {}},
    }, ensure_ascii=False).encode()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="ops/bench-latency --complaints", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", type=float, default=20, help="complaint tickets per second (default 20)")
    p.add_argument("--seconds", type=float, default=30, help="seconds of load (default 30)")
    p.add_argument("--syncline", help="the syncline binary (default: build release into .build-bench)")
    p.add_argument("--out", default=os.path.join(bench.OUT_DIR, "complaint-latency.json"))
    a = p.parse_args(argv)
    from confluent_kafka import Consumer, Producer, TopicPartition

    os.makedirs(os.path.join(bench.OUT_DIR, "logs"), exist_ok=True)
    logs = os.path.join(bench.OUT_DIR, "logs")
    syncline = os.path.abspath(a.syncline) if a.syncline else bench.build_syncline()
    n = WARMUP + int(a.rate * a.seconds)
    tmp = tempfile.mkdtemp(prefix="syncline-complaints-")
    root = os.path.join(tmp, "root")
    for d in ("topics", "connectors", "state"):
        os.makedirs(os.path.join(root, d))
    for src in sorted(os.listdir(os.path.join(bench.REPO, "topics"))):
        if src.endswith((".yaml", ".yml")):
            shutil.copy(os.path.join(bench.REPO, "topics", src), os.path.join(root, "topics", src))
    connector = os.path.join(root, "connectors", "tickets.yaml")
    shutil.copy(os.path.join(bench.REPO, "connectors", "tickets.yaml"), connector)

    sent_us = {}   # ticket id → µs at produce()
    seen = []      # (ticket id, recv µs, alert CreateTime ms)
    grew = threading.Condition()
    stop = threading.Event()
    broker = proc = tail = None
    code = None
    try:
        broker = bench.Broker(syncline, root, 3, os.path.join(logs, "complaints-broker.stderr"))
        parts = bench.partitions_of(bench.kafka_client(broker.bootstrap), ALERTS)
        tail = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": "complaint-tail", "enable.auto.commit": False,
                         "fetch.wait.max.ms": 5, "fetch.error.backoff.ms": 5, "socket.nagle.disable": True})
        tail.assign([TopicPartition(ALERTS, i, 0) for i in range(parts)])

        def tail_loop():
            while not stop.is_set():
                got = []
                for m in tail.consume(num_messages=500, timeout=0.05):
                    if m.error() or not m.value():
                        continue
                    value = json.loads(m.value())
                    if value.get("kind") == KIND:
                        got.append((int(value["ticket_id"]), time.time_ns() // 1000, m.timestamp()[1]))
                if got:
                    with grew:
                        seen.extend(got)
                        grew.notify_all()

        def wait_seen(k, seconds):
            deadline = time.monotonic() + seconds
            with grew:
                while len(seen) < k and time.monotonic() < deadline and proc.poll() is None:
                    grew.wait(0.5)
                return len(seen) >= k

        threading.Thread(target=tail_loop, daemon=True).start()
        err = open(os.path.join(logs, "complaints-syncline.stderr"), "w")
        out = open(os.path.join(logs, "complaints-syncline.stdout"), "w")
        proc = subprocess.Popen([syncline, "run", "--connector", connector, "--brokers", broker.bootstrap, "--group", "complaint-bench",
                                 "--root", root, "--state", os.path.join(root, "state"), "--exit-after", str(n), "--log-level", "warning"],
                                cwd=root, stdout=out, stderr=err, start_new_session=True)
        producer = Producer({"bootstrap.servers": broker.bootstrap, "linger.ms": 0, "acks": "all", "enable.idempotence": True,
                             "socket.nagle.disable": True})

        def send(i):
            tid = 900000 + i
            iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            t_us = time.time_ns() // 1000
            producer.produce(TICKETS_INPUT, ticket(tid, iso), str(tid).encode())
            sent_us[tid] = t_us

        for i in range(WARMUP):
            send(i)
        producer.flush(30)
        if not wait_seen(WARMUP, 120):
            raise bench.BenchError(f"no alerts for the warm-up tickets within 120 s; see {logs}/complaints-syncline.stderr")
        log(f"complaints: warm-up done; producing {n - WARMUP} complaint tickets at {a.rate}/s")
        start = time.monotonic()
        sent = WARMUP
        while sent < n:
            due = min(n, WARMUP + int((time.monotonic() - start) * a.rate) + 1)
            while sent < due:
                send(sent)
                sent += 1
            producer.poll(0)
            time.sleep(0.002)  # pacing the load generator (the rate), not synchronisation
        producer.flush(30)
        code = proc.wait(120)
        wait_seen(n, 30)
        del producer  # closes its connections before the broker stops (no disconnect noise)
    finally:
        stop.set()
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, 15)
            proc.wait(30)
        if tail is not None:
            tail.close()
        if broker is not None:
            broker.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    measured = [(tid, recv, ct) for tid, recv, ct in seen if tid >= 900000 + WARMUP and tid in sent_us]
    produced = [ct * 1000 - sent_us[tid] for tid, _, ct in measured]
    seen_us = [recv - sent_us[tid] for tid, recv, _ in measured]
    ids = [tid for tid, _, _ in seen]
    problems = []
    if code != 0:
        problems.append(f"syncline run exited {code}")
    if len(set(ids)) != n:
        problems.append(f"alerts for {len(set(ids))} of {n} complaint tickets")
    if len(ids) != len(set(ids)):
        problems.append(f"{len(ids) - len(set(ids))} duplicate alerts")
    result = {"command": " ".join(["ops/bench-latency --complaints", *(argv if argv is not None else sys.argv[1:])]),
              "machine": bench.machine_info(), "rate": a.rate, "seconds": a.seconds, "tickets": n, "warmup": WARMUP,
              "alerts_seen": len(ids), "latency_us": {"to_alert_produced": percentiles(produced), "to_alert_seen": percentiles(seen_us)},
              "problems": problems}
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
    print(f"\ncomplaint ticket → customer_complained alert, {n - WARMUP} tickets at {a.rate:g}/s "
          f"({len(measured)} measured, warm-up left out):")
    for name in ("to_alert_produced", "to_alert_seen"):
        print(row(name, result["latency_us"][name]))
    print(f"machine: {result['machine']['nproc']} × {result['machine']['cpu_model']}")
    print(f"results: {a.out}")
    if problems:
        print("FAILED checks:\n  " + "\n  ".join(problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
