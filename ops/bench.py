#!/usr/bin/env python3
"""Syncline throughput benchmark: Syncline against a raw librdkafka passthrough and a Python
confluent-kafka peer, on the embedded Kafka cluster, in one run. Start it through `ops/bench`
(which installs what is missing and picks a Python that has confluent-kafka); see
`ops/bench --help` and ops/README.md.

The same file holds the Python peer (`bench.py _peer …`, started by the driver as its own
process so its CPU and memory are measured alone) and the data-set generator.

The Python peer is what a user would write instead of a connector, doing the same job:
  route mode    consume → produce the record unchanged with the same CloudEvents and lineage
                headers as Syncline (12) → commit delivered batches.
  mapping mode  the work of connectors/marketing.yaml (map_marketing below): json.loads; the
                route's `when` (form_submit, form_submitted, landing_page_signup, lead_submit,
                else no_route); lead_id = 'mkt-' + event_id; every output field from its coalesced
                source paths in the connector's order (name, city, interest, industry, company,
                job_title from their form-key variants; utm.* with source_channel defaulting to
                'direct'; form_id/landing_page_url from the event or form.*; consent_* from
                consent.* or form fields, as booleans); strings trimmed and held to the schema's
                max_length; phone → E.164, default region CN, and email → Syncline's
                EmailNormalizer rules, both on_error: omit; customer_level through the
                高/中/低/很低 → A/B/C/D map (an unmapped value is rejected); occurred_at (epoch ms
                or ISO-8601, local times at the default +08:00) → RFC 3339 UTC with ms; `extra` =
                the form fields no rule maps; the contact check (contact_missing); the result
                checked against crm.leads.v1's schema (validate_lead); json.dumps; produce with the
                CloudEvents, lineage and delay headers; rejects to the DLQ with their original
                bytes and error headers. Not byte-identical to Syncline's output (field order;
                some error codes, e.g. invalid_json where Syncline says invalid_utf8), but the
                same records reach the same topics.
  both modes    produce without awaiting each record (delivery callbacks), commit asynchronously
                every 500 ms what is delivered, count a commit only when the broker confirmed it
                (on_commit), and time the window from the first record to that confirmation.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
OUT_DIR = os.path.join(HERE, "bench-out")
PASSTHROUGH_SRC = os.path.join(HERE, "passthrough", "passthrough.c")
MEASURE_SRC = os.path.join(HERE, "passthrough", "measure.c")
CONTENDERS = ("passthrough", "syncline", "python")
MIB = 1024 * 1024
MOCK_PARTITION_CAP = 5 * MIB  # librdkafka 2.0.2 mock: older data beyond this is dropped silently

# Topics the default route connector uses; written into the bench's own root (not the repo's).
BENCH_INPUT = "raw.bench.events.v1"
BENCH_OUTPUT = "hub.bench.out.v1"
BENCH_DLQ = "hub.dlq.bench.v1"
ROUTE_CONNECTOR = f"""name: bench
description: ops/bench's route connector (every record to one topic, lineage headers added).
input:
  topics: [{BENCH_INPUT}]
  format: json
dlq: {BENCH_DLQ}
routes:
  - name: all
    topic: {BENCH_OUTPUT}
tuning: {{batch_size: 2000, max_in_flight: 50000, commit_interval_ms: 500}}
"""
# The mapping mode's defaults (SPEC §5: marketing → crm.leads.v1).
MAPPING_CONNECTOR = os.path.join(REPO, "connectors", "marketing.yaml")
MAPPING_INPUT = "raw.marketing.events.v1"
MAPPING_OUTPUT = "crm.leads.v1"
MAPPING_DLQ = "hub.dlq.marketing.v1"
LATENCY_TOPIC = "hub.latency.v1"
# Used by --mapping while connectors/marketing.yaml does not exist: the marketing mapping of
# SPEC §5 in the connector language of connectors/README.md. A record with neither a phone nor an
# email matches no route (no_route → DLQ); a bad phone is invalid_phone; broken JSON invalid_json.
MARKETING_CONNECTOR = """name: marketing
description: ops/bench's stand-in for connectors/marketing.yaml (form events to crm.leads.v1).
input:
  topics: [raw.marketing.events.v1]
  format: json
event_id: event_id
source_timestamp: occurred_at
defaults:
  phone_region: CN
  timezone: "+08:00"
dlq: hub.dlq.marketing.v1
routes:
  - name: leads
    when: >-
      event_type in ['form_submit', 'landing_page_signup'] and
      coalesce(fields.手机, fields.手机号, fields.手机号码, fields.联系电话, fields.邮箱) != null
    topic: crm.leads.v1
    key: lead_id
    fields:
      lead_id: {expr: "concat('mkt-', event_id)"}
      event_id: event_id
      event_type: event_type
      name: fields.姓名
      phone: [fields.手机, fields.手机号, fields.手机号码, fields.联系电话]
      email: fields.邮箱
      city: fields.所在城市
      interest: fields.意向课程
      customer_level: {from: fields.客户_等级_v2, map: {高: A, 中: B, 低: C}}
      source_channel: {from: utm.source, default: direct}
      utm_medium: utm.medium
      campaign: utm.campaign
      utm_term: utm.term
      utm_content: utm.content
      form_id: form_id
      landing_page_url: page_url
      consent_marketing: consent.marketing
      consent_privacy: consent.privacy
      consent_contact: consent.contact
      occurred_at: occurred_at
    extra: fields
tuning: {batch_size: 2000, max_in_flight: 50000, commit_interval_ms: 500}
"""
# The data set's occurred_at values are fixed (2025-06-01 onwards) so that it is the same bytes on
# every run; left at the connector's SLO every record would count as delayed (a backlog replay).
# Unless --keep-slo, the bench raises the SLO to this so the runs measure the live-stream path.
BENCH_SLO_SECONDS = 10 * 365 * 86400


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Data set: realistic marketing form events (SPEC §5), deterministic for a seed.

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴莫孔汤") + ["欧阳", "司马", "诸葛", "上官"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华玉萍鹏辉玲建婷雪琳晨浩宇欣怡子轩梓涵思雨佳俊博文")
CITIES = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "重庆", "苏州", "天津", "长沙", "郑州", "青岛", "厦门", "合肥", "宁波", "乌鲁木齐", "呼和浩特"]
COURSES = ["Python 数据分析", "Java 高级开发", "雅思 7 分冲刺", "考研英语全程班", "CFA 一级", "产品经理进阶", "UI 设计就业班", "少儿编程启蒙", "人工智能入门", "公考笔试特训"]
LEVELS = ["高", "中", "低"]
UTM = [("baidu", "cpc"), ("wechat", "social"), ("douyin", "video"), ("xiaohongshu", "social"), ("zhihu", "content"), ("email", "edm"), ("bilibili", "video"), ("360", "cpc")]
CAMPAIGNS = ["2025春季招生", "暑期特惠-限时8折", "双十一大促", "老学员推荐有礼", "新年开班季", "直播公开课引流"]
TERMS = ["python培训", "雅思 培训班", "java 就业", "考研 英语", "cfa 报名"]
REMARKS = ["想了解周末班的上课时间", "请下午联系我", "有没有线上直播课？", "之前在贵机构试听过", "价格可以优惠吗", "公司统一报名，需要发票"]
CONTACT_TIMES = ["工作日晚上", "周末全天", "中午 12:00-13:30", "随时"]
PHONE_KEYS = ["手机", "手机", "手机号", "手机号码", "联系电话"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
BASE_MS = 1748739600000  # 2025-06-01T09:00:00+08:00
CST = dt.timezone(dt.timedelta(hours=8))


def _mobile(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))


def _messy_phone(rng: random.Random, digits: str) -> str:
    a, b, c = digits[:3], digits[3:7], digits[7:]
    form = rng.randrange(10)
    return [
        f"+86 {a}-{b}-{c}", f"{a} {b} {c}", f"86{digits}", digits, f"+86{digits}",
        f"(+86) {a} {b} {c}", f"0086-{a}-{b}-{c}", f"{a}-{b}-{c}", f" {digits} ",
        digits.translate(FULLWIDTH),  # full-width digits typed on a Chinese IME
    ][form]


def _occurred_at(rng: random.Random, ms: int):
    if rng.random() < 0.4:
        return ms  # epoch ms
    t = dt.datetime.fromtimestamp(ms / 1000, CST)
    if rng.random() < 0.5:
        return t.strftime("%Y-%m-%dT%H:%M:%S+08:00")
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}+08:00"


def generate(n: int, seed: int):
    """Returns (records [(key bytes, value bytes)], invalid kinds {index: kind}).

    About 3% are invalid on purpose: malformed JSON (truncated, or sent GBK-encoded), no phone
    and no email, or a phone that is no phone number."""
    rng = random.Random(seed)
    contacts = max(1, n // 3)  # people submit several forms: keys repeat, order per key matters
    records = []
    invalid = {}
    for i in range(n):
        contact = rng.randrange(contacts)
        key = f"contact-{contact:07d}".encode()
        roll = rng.random()
        kind = None
        if roll < 0.03:
            kind = ("malformed_json", "missing_contact", "bad_phone")[int(roll / 0.01)]
        source, medium = rng.choice(UTM)
        utm = {"source": source, "medium": medium, "campaign": rng.choice(CAMPAIGNS)}
        if medium == "cpc" and rng.random() < 0.5:
            utm["term"] = rng.choice(TERMS)
        if rng.random() < 0.2:
            utm["content"] = f"banner-{rng.randrange(1, 9)}"
        if rng.random() < 0.08:
            utm = {}
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        fields = {"姓名": name if rng.random() > 0.02 else f"  {name} "}
        # A bad phone comes without an email, so that the record is unusable whether the connector
        # rejects a bad phone outright or drops it and then finds no contact (on_error: omit).
        has_email = rng.random() < 0.3 and kind != "bad_phone"
        if kind == "bad_phone":
            fields[rng.choice(PHONE_KEYS)] = rng.choice(["138-0013", "12345", "无", "电话稍后提供", "010-1234", "+86 138 0013 8000 0000", "1380013800"])
        elif kind != "missing_contact" and (not has_email or rng.random() < 0.85):
            fields[rng.choice(PHONE_KEYS)] = _messy_phone(rng, _mobile(rng))
        if has_email and kind != "missing_contact":
            email = f"{rng.choice(['lead', 'user', 'hi', 'cn'])}{rng.randrange(100000)}@{rng.choice(['qq.com', '163.com', 'gmail.com', 'example.edu.cn'])}"
            fields["邮箱"] = email if rng.random() > 0.1 else f" {email.upper()} "
        fields["所在城市"] = rng.choice(CITIES)
        fields["意向课程"] = rng.choice(COURSES)
        fields["客户_等级_v2"] = rng.choice(LEVELS)
        if rng.random() < 0.12:
            fields["备注"] = rng.choice(REMARKS)
        if rng.random() < 0.15:
            fields["方便联系时间"] = rng.choice(CONTACT_TIMES)
        ms = BASE_MS + i * 150 + rng.randrange(150)
        event = {
            "event_id": f"evt_{rng.getrandbits(64):016x}",
            "event_type": "form_submit" if rng.random() < 0.9 else "landing_page_signup",
            "occurred_at": _occurred_at(rng, ms),
            "form_id": f"form-{rng.randrange(1, 60):04d}",
            "page_url": f"https://m.example.cn/lp/{rng.choice(['spring', 'summer', 'ai', 'ielts', 'cfa'])}{rng.randrange(1, 40)}",
            "utm": utm,
            "fields": fields,
            "consent": {"privacy": True, "marketing": rng.random() < 0.7, "contact": rng.random() < 0.85},
        }
        text = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        if kind == "malformed_json":
            if rng.random() < 0.7:
                value = text[: rng.randrange(20, len(text) - 5)].encode()  # truncated body
            else:
                value = text.encode("gb18030")  # right JSON, wrong encoding: not UTF-8
        else:
            value = text.encode()
        if kind:
            invalid[i] = kind
        records.append((key, value))
    return records, invalid


def generate_cached(n: int, seed: int):
    """generate(), kept in ops/bench-out/ keyed by size, seed and this file's generator source
    (generating 1M records takes ~30 s; --all needs them twice)."""
    import inspect
    import pickle
    src = inspect.getsource(generate) + inspect.getsource(_messy_phone) + inspect.getsource(_occurred_at)
    tag = hashlib.blake2b(src.encode(), digest_size=6).hexdigest()
    path = os.path.join(OUT_DIR, f"dataset-{n}-{seed}-{tag}.pickle")
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    data = generate(n, seed)
    os.makedirs(OUT_DIR, exist_ok=True)
    for old in os.listdir(OUT_DIR):
        if old.startswith("dataset-") and old.endswith(".pickle"):
            os.remove(os.path.join(OUT_DIR, old))
    with open(path + ".tmp", "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path + ".tmp", path)
    return data


def digest(key, value) -> bytes:
    h = hashlib.blake2b(digest_size=12)
    h.update(key or b"")
    h.update(b"\x00")
    h.update(value or b"")
    return h.digest()


# ----------------------------------------------------------------------------------------------
# The Python peer: what a user would otherwise write with confluent-kafka.

HUB_LINEAGE = {
    "syncline-connector", "syncline-mapping-version", "syncline-source-topic", "syncline-source-partition",
    "syncline-source-offset", "syncline-ingest-ts", "syncline-delay-ms", "syncline-delayed", "syncline-route",
}


def fnv_version(text: str) -> str:
    """Syncline's mapping version for a file without `version` (FNV-1a 64 of its text)."""
    h = 0xCBF29CE484222325
    for b in text.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"h{h:016x}"


def rfc3339_ms(ms: int) -> str:
    t = dt.datetime.fromtimestamp(ms / 1000, dt.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class _Batch:
    """One consumed batch: committable once every output produced from it is delivered."""

    __slots__ = ("remaining", "offsets", "counts", "failed", "sealed")

    def __init__(self):
        self.remaining = 0
        self.offsets = {}  # partition -> next offset to commit
        self.counts = collections.Counter()  # partition -> input records in this batch
        self.failed = None
        self.sealed = False

    def ack(self, err, msg):
        if err is not None:
            self.failed = str(err)
        self.remaining -= 1

    @property
    def done(self):
        return self.sealed and self.remaining == 0


class _Commits:
    """Offsets the broker confirmed. A commit request is asynchronous; the consumer's on_commit
    callback (served by consume/poll) reports per partition whether the broker took it, and only
    then do the records below that offset count as committed. A refused offset is sent again by
    the next commit."""

    def __init__(self, count):
        self.count = count
        self.ready = {}  # partition -> offset ready to commit (all below it delivered)
        self.unrequested = collections.Counter()  # partition -> records ready but not yet requested
        self.requested = {}  # partition -> last offset requested
        self.pending = collections.defaultdict(collections.deque)  # partition -> deque[(offset, records)]
        self.resend = set()
        self.confirmed = 0
        self.errors = 0
        self.window_end = None  # (monotonic, cpu seconds) when the confirmed commits covered count

    def add(self, batch):
        for p, o in batch.offsets.items():
            self.ready[p] = o
            self.unrequested[p] += batch.counts[p]

    def to_request(self):
        out = {}
        for p, o in self.ready.items():
            if o > self.requested.get(p, -1):
                self.pending[p].append((o, self.unrequested.pop(p, 0)))
                self.requested[p] = out[p] = o
            elif p in self.resend and self.pending[p]:
                out[p] = self.pending[p][-1][0]
        self.resend.clear()
        return out

    def on_commit(self, err, partitions):
        for tp in partitions or ():
            if err is not None or tp.error is not None:
                if tp.offset >= 0:
                    self.errors += 1
                    self.resend.add(tp.partition)
                continue
            q = self.pending.get(tp.partition)
            while q and q[0][0] <= tp.offset:
                self.confirmed += q.popleft()[1]
        if self.window_end is None and self.confirmed >= self.count:
            self.window_end = (time.monotonic(), cpu_seconds())


def cpu_seconds():
    """User + system CPU of this process, all threads (librdkafka's included)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


_NONDIGIT = re.compile(r"[^0-9+]")
_FW = str.maketrans("０１２３４５６７８９＋", "0123456789+")
# The mapping of connectors/marketing.yaml: every form-key variant it lists, in its order.
_LEVELS = {"高": "A", "中": "B", "低": "C", "很低": "D"}
_PHONE_KEYS = ("手机", "手机号", "手机号码", "联系电话", "电话", "phone", "mobile")
_EMAIL_KEYS = ("邮箱", "电子邮箱", "email", "Email", "e_mail")
_FIELD_RULES = {
    "name": ("姓名", "名字", "联系人", "name", "Name"),
    "city": ("所在城市", "城市", "city"),
    "interest": ("意向课程", "意向产品", "interest"),
    "industry": ("行业", "所属行业", "industry"),
    "company": ("公司", "单位", "学校", "公司名称", "company"),
    "job_title": ("职位", "职务", "job_title"),
}
_LEVEL_KEYS = ("客户_等级_v2", "客户等级")
_CONSENT_FIELDS = {"marketing": ("接受营销", "同意接收营销信息"), "privacy": ("同意隐私政策",), "contact": ("同意电话联系",)}
_EVENT_TYPES = ("form_submit", "form_submitted", "landing_page_signup", "lead_submit")
_MAPPED = {*_PHONE_KEYS, *_EMAIL_KEYS, *_LEVEL_KEYS, *(k for ks in _FIELD_RULES.values() for k in ks),
           *(k for ks in _CONSENT_FIELDS.values() for k in ks)}


def _first(d, keys):
    for k in keys:
        v = d.get(k)
        if v is not None:
            return v
    return None


class Reject(Exception):
    def __init__(self, stage, code, field, message):
        super().__init__(message)
        self.stage, self.code, self.field = stage, code, field


def e164_cn(raw: str) -> str:
    s = _NONDIGIT.sub("", raw.translate(_FW))
    if s.startswith("+"):
        s = s[1:]
        if not s.startswith("86"):
            raise Reject("validate", "invalid_phone", "phone", f"not a Chinese number: {raw!r}")
        s = s[2:]
    elif s.startswith("0086"):
        s = s[4:]
    elif s.startswith("86") and len(s) == 13:
        s = s[2:]
    if len(s) == 11 and s[0] == "1" and s[1] in "3456789":
        return "+86" + s
    if s.startswith("0") and 10 <= len(s) <= 12:  # landline with area code
        return "+86" + s[1:]
    raise Reject("validate", "invalid_phone", "phone", f"not a phone number: {raw!r}")


_LOCAL_OK = frozenset(b"!#$%&'*+/=?^_`{|}~-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_LABEL_ASCII = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
_WS = " \t\r\n\u3000\u00a0"  # trimmed like Syncline's TextTrim (ASCII whitespace, ideographic and no-break space)


def normalize_email(raw: str) -> str:
    """The email rule of Syncline's EmailNormalizer: trim, strip mailto:/<…>, one '@', a local part
    of allowed characters (≤ 64, no leading/trailing/double dot), a domain of ≥ 2 non-empty labels
    (letters, digits, '-' not at either end) lower-cased, a TLD of ≥ 2 characters not all digits,
    ≤ 254 bytes. Raises ValueError."""
    text = raw.strip(_WS)
    if text[:7].lower() == "mailto:":
        text = text[7:]
    if len(text) > 2 and text[0] == "<" and text[-1] == ">":
        text = text[1:-1]
    if not text or text.count("@") != 1:
        raise ValueError("no single '@'")
    local, domain = text.split("@")
    lb = local.encode()
    if not lb or len(lb) > 64 or lb[0] == 0x2E or lb[-1] == 0x2E or b".." in lb:
        raise ValueError("bad local part")
    for c in lb:
        if c < 0x80 and c not in _LOCAL_OK:
            raise ValueError("bad character before '@'")
    domain = domain.lower()
    labels = domain.split(".")
    if len(labels) < 2:
        raise ValueError("domain has no '.'")
    for label in labels:
        if not label or len(label.encode()) > 63 or label[0] == "-" or label[-1] == "-":
            raise ValueError("bad domain label")
        for ch in label:
            if ch not in _LABEL_ASCII and not (ord(ch) >= 0x80 and ch.isalpha()):
                raise ValueError("bad character in domain")
    tld = labels[-1]
    if len(tld.encode()) < 2 or tld.isdigit():
        raise ValueError("bad top-level domain")
    out = f"{local}@{domain}"
    if len(out.encode()) > 254:
        raise ValueError("too long")
    return out


_DEFAULT_TZ = dt.timezone(dt.timedelta(hours=8))  # the connector's defaults.timezone


def parse_time_ms(value) -> int:
    """occurred_at: epoch ms (number or digits), or ISO-8601 with an offset; a local date-time
    without one is read in the connector's default timezone (+08:00)."""
    if isinstance(value, bool):
        raise Reject("map", "invalid_timestamp", "occurred_at", "boolean is no time")
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str):
        text = value.strip(_WS)
        if text.isdigit():
            return int(text)
        try:
            t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise Reject("map", "invalid_timestamp", "occurred_at", f"unparseable: {value!r}") from None
        if t.tzinfo is None:
            t = t.replace(tzinfo=_DEFAULT_TZ)
        return int(t.timestamp() * 1000)
    raise Reject("map", "missing_field", "occurred_at", "occurred_at is missing")


def _text(value, field, max_length):
    """A string field: scalars as text, trimmed, max_length in characters (Syncline: too_long)."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    elif not isinstance(value, str):
        raise Reject("map", "wrong_type", field, f"expected text, found {type(value).__name__}")
    value = value.strip(_WS)
    if max_length and len(value) > max_length:
        raise Reject("map", "too_long", field, f"{len(value)} characters, max_length is {max_length}")
    return value


_TRUE = {"true", "yes", "y", "1", "是", "同意"}
_FALSE = {"false", "no", "n", "0", "否", "不同意"}


def _bool(value, field):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        t = value.strip(_WS).lower()
        if t in _TRUE:
            return True
        if t in _FALSE:
            return False
    raise Reject("map", "wrong_type", field, f"expected a bool, found {value!r}")


# crm.leads.v1's string limits (topics/crm.leads.v1.yaml), checked like Syncline's validate stage.
_MAX_LEN = {"lead_id": 128, "event_id": 128, "event_type": 64, "name": 100, "city": 100, "interest": 200,
            "industry": 100, "company": 200, "job_title": 100, "source_channel": 100, "utm_medium": 100,
            "campaign": 200, "utm_term": 200, "utm_content": 200, "form_id": 128, "landing_page_url": 2048}
_REQUIRED = ("lead_id", "event_id", "occurred_at")
_LEAD_LEVELS = frozenset("ABCD")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def validate_lead(lead):
    """The output checked against the crm.leads.v1 schema, as Syncline's validate stage does (on the
    mapped record here, not on re-parsed bytes): required fields, types, lengths, formats."""
    for f in _REQUIRED:
        if lead.get(f) in (None, ""):
            raise Reject("validate", "missing_required", f, f"{f} is required")
    for f, limit in _MAX_LEN.items():
        v = lead.get(f)
        if v is not None and (not isinstance(v, str) or len(v) > limit):
            raise Reject("validate", "too_long" if isinstance(v, str) else "wrong_type", f, f"{f} does not fit the schema")
    if "phone" in lead and not _E164.match(lead["phone"]):
        raise Reject("validate", "invalid_phone", "phone", "not E.164")
    if "customer_level" in lead and lead["customer_level"] not in _LEAD_LEVELS:
        raise Reject("validate", "value_not_in_enum", "customer_level", "not one of A, B, C, D")
    for f in ("consent_marketing", "consent_privacy", "consent_contact"):
        if f in lead and not isinstance(lead[f], bool):
            raise Reject("validate", "wrong_type", f, "expected a bool")
    if not _RFC3339_UTC.match(lead["occurred_at"]):
        raise Reject("validate", "invalid_timestamp", "occurred_at", "not RFC 3339 UTC")
    if "extra" in lead and not isinstance(lead["extra"], dict):
        raise Reject("validate", "wrong_type", "extra", "expected an object")


def map_marketing(value: bytes):
    """Marketing form event → crm.leads.v1 record: the job of connectors/marketing.yaml, written
    the way a Python user would write it (the module docstring lists what it does).
    Returns (key bytes, value bytes, event_id, occurred_ms); raises Reject."""
    try:
        doc = json.loads(value)
    except (ValueError, UnicodeDecodeError) as e:
        raise Reject("decode", "invalid_json", None, str(e)) from None
    if not isinstance(doc, dict):
        raise Reject("decode", "not_an_object", None, "payload is not a JSON object")
    event_id = doc.get("event_id")
    if event_id is None or event_id == "":
        raise Reject("map", "missing_field", "event_id", "event_id is missing")
    event_id = _text(event_id, "event_id", 0)
    occurred = parse_time_ms(doc.get("occurred_at"))
    fields = doc.get("fields")
    fields = fields if isinstance(fields, dict) else {}
    utm = doc.get("utm")
    utm = utm if isinstance(utm, dict) else {}
    consent = doc.get("consent")
    consent = consent if isinstance(consent, dict) else {}
    form = doc.get("form")
    form = form if isinstance(form, dict) else {}
    if doc.get("event_type") not in _EVENT_TYPES:  # the route's `when`
        raise Reject("map", "no_route", None, "not a form event")
    lead = {"lead_id": "mkt-" + event_id, "event_id": event_id, "event_type": _text(doc["event_type"], "event_type", 0)}
    for out, keys in _FIELD_RULES.items():
        v = _first(fields, keys)
        if v is not None:
            v = _text(v, out, 0)
            if v:
                lead[out] = v
    raw = _first(fields, _PHONE_KEYS)  # on_error: omit — an unusable phone is left out
    if raw is not None and not isinstance(raw, (dict, list, bool)):
        try:
            lead["phone"] = e164_cn(str(raw))
        except Reject:
            pass
    raw = _first(fields, _EMAIL_KEYS)  # on_error: omit
    if isinstance(raw, str) and raw.strip(_WS):
        try:
            lead["email"] = normalize_email(raw)
        except ValueError:
            pass
    level = _first(fields, _LEVEL_KEYS)
    if level is not None:
        level = _text(level, "customer_level", 0)
        if level:
            if level not in _LEVELS:
                raise Reject("map", "value_not_in_enum", "customer_level", f"{level!r} has no entry in the rule's map")
            lead["customer_level"] = _LEVELS[level]
    source = utm.get("source")
    lead["source_channel"] = _text(source, "source_channel", 0) if source not in (None, "") else "direct"
    for out, key in (("utm_medium", "medium"), ("campaign", "campaign"), ("utm_term", "term"), ("utm_content", "content")):
        v = utm.get(key)
        if v is not None:
            v = _text(v, out, 0)
            if v:
                lead[out] = v
    for out, v in (("form_id", doc.get("form_id") if doc.get("form_id") is not None else form.get("id")),
                   ("landing_page_url", doc.get("page_url") if doc.get("page_url") is not None else form.get("page_url"))):
        if v is not None:
            v = _text(v, out, 0)
            if v:
                lead[out] = v
    for c, keys in _CONSENT_FIELDS.items():
        v = consent.get(c)
        if v is None:
            v = _first(fields, keys)
        if v is not None:
            lead[f"consent_{c}"] = _bool(v, f"consent_{c}")
    lead["occurred_at"] = rfc3339_ms(occurred)
    extra = {k: v for k, v in fields.items() if k not in _MAPPED}
    if extra:
        lead["extra"] = extra
    if "phone" not in lead and "email" not in lead:  # checks: phone != null or email != null
        raise Reject("validate", "contact_missing", "phone",
                     "a lead needs a usable phone number or email address and has neither")
    validate_lead(lead)
    out = json.dumps(lead, ensure_ascii=False, separators=(",", ":")).encode()
    return lead["lead_id"].encode(), out, event_id, occurred


def run_peer(a) -> int:
    from confluent_kafka import Consumer, Producer, TopicPartition

    routes = [r.split("=", 1) for r in a.routes.split(",")] if a.routes else []
    connector, version = a.connector_name, a.mapping_version
    cn_b, ver_b = connector.encode(), version.encode()
    source_b = f"/syncline/connectors/{connector}".encode()
    slo_ms = int(a.slo_seconds * 1000)
    common = {"bootstrap.servers": a.brokers, "socket.nagle.disable": True, "client.id": "bench-python"}
    commits = _Commits(a.count)
    props = dict(p.split("=", 1) for p in a.prop)
    pprops = {k.split(".", 1)[1] if k.startswith("producer.") else k: v for k, v in props.items() if not k.startswith("consumer.")}
    cprops = {k.split(".", 1)[1] if k.startswith("consumer.") else k: v for k, v in props.items() if not k.startswith("producer.")}
    producer = Producer({
        **common, "enable.idempotence": True, "acks": "all", "linger.ms": 5, "batch.num.messages": 10000,
        "queue.buffering.max.messages": 100000, "queue.buffering.max.kbytes": 65536, "compression.type": "lz4",
        "message.timeout.ms": 300000, **pprops,
    })
    consumer = Consumer({
        **common, "group.id": a.group, "enable.auto.commit": False, "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest", "queued.max.messages.kbytes": 32768, "fetch.wait.max.ms": 10,
        "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000, "max.poll.interval.ms": 300000,
        "on_commit": commits.on_commit, **cprops,
    })
    # Learn the output topics' metadata before the first record, as the C passthrough does by
    # creating its topic handle up front: librdkafka 2.0.2 otherwise parks the first records for a
    # topic it has no metadata for until its 1 s timer fires.
    for topic in {t for _, t in routes} | {a.dlq} | ({a.latency_topic} if a.mode == "mapping" else set()):
        producer.list_topics(topic, timeout=10)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    consumer.subscribe([a.input])
    started = time.monotonic()
    first = cpu_first = None
    pending = collections.deque()
    consumed = produced = dlq = observations = 0
    idle_since = None
    idle_max = idle_total = 0.0
    last_commit = time.monotonic()
    produce = producer.produce
    poll = producer.poll

    def send(topic, value, key, headers, cb):
        while True:
            try:
                produce(topic, value, key, headers=headers, on_delivery=cb)
                return
            except BufferError:
                poll(0.01)  # queue full: serve delivery reports, then retry

    def commit():
        while pending and pending[0].done:
            b = pending.popleft()
            if b.failed:
                raise SystemExit(f"python peer: delivery failed: {b.failed}")
            commits.add(b)
        offsets = commits.to_request()
        if offsets:  # asynchronous; commits.on_commit counts what the broker confirms
            consumer.commit(offsets=[TopicPartition(a.input, p, o) for p, o in offsets.items()], asynchronous=True)

    t_consumed = None
    while not stop:
        # A short timeout: the call waits for a full batch until it passes, and at the end of the
        # data that wait would be counted in the window. After the last record it only serves
        # callbacks (commit results).
        msgs = consumer.consume(num_messages=a.batch if consumed < a.count else 1, timeout=0.01 if consumed < a.count else 0.002)
        t = time.monotonic()
        if not msgs and first is not None and consumed < a.count:
            if idle_since is None:
                idle_since = t
        elif idle_since is not None:
            idle_max = max(idle_max, t - idle_since)
            idle_total += t - idle_since
            idle_since = None
        if msgs:
            batch = _Batch()
            cb = batch.ack
            now_ms = int(time.time() * 1000)
            ingest = rfc3339_ms(now_ms).encode()
            for m in msgs:
                if m.error():
                    continue
                if first is None:
                    first, cpu_first = time.monotonic(), cpu_seconds()
                consumed += 1
                p, off = m.partition(), m.offset()
                batch.offsets[p] = off + 1
                batch.counts[p] += 1
                key, value = m.key(), m.value()
                upstream = [(k, v) for k, v in (m.headers() or ()) if k not in HUB_LINEAGE and not k.startswith("ce_")]
                lineage = [
                    ("syncline-connector", cn_b), ("syncline-mapping-version", ver_b),
                    ("syncline-source-topic", a.input), ("syncline-source-partition", str(p)),
                    ("syncline-source-offset", str(off)), ("syncline-ingest-ts", ingest),
                ]
                if a.mode == "route":
                    # A json connector's plain route refuses a value that is not JSON (as Syncline's
                    # does, with a byte-level validator): the peer checks it too, with json.loads.
                    try:
                        json.loads(value)
                    except ValueError:
                        headers = upstream + lineage[:2] + [
                            ("syncline-error-stage", "decode"), ("syncline-error-code", "invalid_json"),
                            ("syncline-error-field", ""), ("syncline-error-message", "the value is not JSON"),
                            ("syncline-rule", ""), ("syncline-attempts", "1"), ("syncline-first-failed-at", ingest),
                        ] + lineage[2:5]
                        batch.remaining += 1
                        send(a.dlq, value, key, headers, cb)  # original bytes unchanged
                        dlq += 1
                        continue
                    ts_type, ts = m.timestamp()
                    base = [
                        ("ce_specversion", b"1.0"), ("ce_id", f"{a.input}-{p}-{off}"), ("ce_source", source_b),
                        None, ("ce_time", rfc3339_ms(ts)) if ts_type else None,
                    ]
                    for name, topic in routes:
                        base[3] = ("ce_type", f"syncline.{connector}.{name}")
                        headers = upstream + [h for h in base if h] + lineage[:2] + [("syncline-route", name)] + lineage[2:]
                        batch.remaining += 1
                        send(topic, value, key, headers, cb)
                        produced += 1
                else:
                    try:
                        out_key, out_value, event_id, occurred = map_marketing(value)
                    except Reject as r:
                        headers = upstream + lineage[:2] + [
                            ("syncline-error-stage", r.stage), ("syncline-error-code", r.code),
                            ("syncline-error-field", r.field or ""), ("syncline-error-message", str(r)[:500]),
                            ("syncline-rule", ""), ("syncline-attempts", "1"), ("syncline-first-failed-at", ingest),
                        ] + lineage[2:5]
                        batch.remaining += 1
                        send(a.dlq, value, key, headers, cb)  # original bytes unchanged
                        dlq += 1
                        continue
                    delay = max(0, now_ms - occurred)
                    headers = upstream + [
                        ("ce_specversion", b"1.0"), ("ce_id", event_id), ("ce_source", source_b),
                        ("ce_type", f"syncline.{connector}.{routes[0][0]}"), ("ce_time", rfc3339_ms(occurred)),
                    ] + lineage[:2] + [("syncline-route", routes[0][0])] + lineage[2:] + [
                        ("syncline-delay-ms", str(delay)), ("syncline-delayed", b"true" if delay > slo_ms else b"false"),
                    ]
                    batch.remaining += 1
                    send(routes[0][1], out_value, out_key, headers, cb)
                    produced += 1
                    if delay > slo_ms:
                        # Like Syncline's latency tracker: an observation on hub.latency.v1 for a
                        # record over the SLO (ack time approximated by the produce time here).
                        broker_ms = m.timestamp()[1]
                        parts = {"upstream": broker_ms - occurred, "hub_queue": now_ms - broker_ms, "processing": 0}
                        obs = json.dumps({
                            "event_id": event_id, "connector": connector, "source_topic": a.input, "source_partition": p,
                            "source_offset": off, "output_topic": routes[0][1], "source_ts": rfc3339_ms(occurred),
                            "broker_ts": rfc3339_ms(broker_ms), "consume_ts": rfc3339_ms(now_ms), "ack_ts": rfc3339_ms(now_ms),
                            "delay_ms": delay, "upstream_ms": parts["upstream"], "queue_ms": parts["hub_queue"],
                            "processing_ms": 0, "attribution": max(parts, key=parts.get), "slo_ms": slo_ms,
                            "delayed": True, "mapping_version": version,
                        }, separators=(",", ":"))
                        batch.remaining += 1
                        send(a.latency_topic, obs, event_id, [("syncline-connector", cn_b)], cb)
                        observations += 1
            batch.sealed = True
            pending.append(batch)
        poll(0)  # delivery reports
        t = time.monotonic()
        if consumed >= a.count:
            if t_consumed is None:
                t_consumed = t
            poll(0.002)
        if t - last_commit >= a.commit_interval_ms / 1000 or consumed >= a.count:
            commit()
            last_commit = t
        if commits.window_end is not None:
            break
    close_start = time.monotonic()
    producer.flush(5)
    consumer.close()
    end = time.monotonic()
    window = cpu = None
    phases = {}
    if first and commits.window_end:
        window = commits.window_end[0] - first
        cpu = commits.window_end[1] - cpu_first
        phases = {"consuming": round(t_consumed - first, 4), "to_confirmed_commit": round(commits.window_end[0] - t_consumed, 4)}
    print(json.dumps({
        "contender": "python", "records_in": consumed, "records_out": produced, "dlq": dlq, "committed": commits.confirmed,
        "commit_errors": commits.errors, "latency_observations": observations,
        "window_seconds": round(window, 4) if window else None, "window_cpu_seconds": round(cpu, 4) if cpu else None,
        "close_seconds": round(end - close_start, 4), "active_seconds": round(end - first, 4) if first else 0,
        "seconds": round(end - started, 3), "phases": phases,
        "idle_max_ms": round(idle_max * 1000, 1), "idle_total_ms": round(idle_total * 1000, 1),
    }), flush=True)
    return 0 if commits.confirmed >= a.count and not stop else 3


# ----------------------------------------------------------------------------------------------
# Kafka helpers for the driver (preload, watermarks, verification).

def kafka_client(brokers):
    from confluent_kafka import Consumer
    return Consumer({"bootstrap.servers": brokers, "group.id": "bench-inspector", "socket.nagle.disable": True,
                     "enable.auto.commit": False, "client.id": "bench-inspector"})


def partitions_of(client, topic) -> int:
    md = client.list_topics(topic, timeout=10).topics.get(topic)
    if md is None or md.error is not None or not md.partitions:
        raise BenchError(f"topic {topic} does not exist on the embedded cluster ({md.error if md else 'no metadata'})")
    return len(md.partitions)


def watermarks(client, topic):
    from confluent_kafka import TopicPartition
    n = partitions_of(client, topic)
    return [client.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False) for p in range(n)]


def preload(brokers, topic, records):
    from confluent_kafka import Producer
    stats = {}

    def on_stats(text):
        s = json.loads(text)
        t = s.get("topics", {}).get(topic)
        if t:
            stats["batch_bytes_avg"] = t.get("batchsize", {}).get("avg")
            stats["batch_msgs_avg"] = t.get("batchcnt", {}).get("avg")
        stats["txbytes"] = s.get("txmsg_bytes"), s.get("tx_bytes")

    p = Producer({"bootstrap.servers": brokers, "socket.nagle.disable": True, "enable.idempotence": True,
                  "acks": "all", "compression.type": "lz4", "linger.ms": 50, "batch.num.messages": 10000,
                  "batch.size": 1000000, "queue.buffering.max.messages": 200000, "client.id": "bench-preload",
                  "statistics.interval.ms": 1000, "stats_cb": on_stats})
    errors = []

    def dr(err, msg):
        if err is not None:
            errors.append(str(err))

    for key, value in records:
        while True:
            try:
                p.produce(topic, value, key, on_delivery=dr)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    left = p.flush(120)
    time.sleep(1.1)
    p.poll(0)  # one more statistics callback after the flush
    if left or errors:
        raise BenchError(f"preload failed: {left} undelivered, errors: {errors[:3]}")
    return stats


def read_range(brokers, topic, starts, ends, budget=None):
    """Reads [start, end) of every partition within `budget` seconds (default: 60 + 1 s per 5,000
    records); returns (Counter of key/value digests, Counter of ce_id headers, records not read).
    The mock brokers answer a fetch with one producer batch per partition, so a topic written
    slowly (a batch of one or two records per partition per linger) reads back at a few thousand
    records/s; the caller treats an unfinished read as a partial check, not a failure."""
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": brokers, "group.id": "bench-verifier", "socket.nagle.disable": True,
                  "enable.auto.commit": False, "client.id": "bench-verifier", "enable.partition.eof": False})
    todo = {p: (s, e) for p, (s, e) in enumerate(zip(starts, ends)) if e > s}
    c.assign([TopicPartition(topic, p, s) for p, (s, _) in todo.items()])
    digests = collections.Counter()
    ce_ids = collections.Counter()
    left = sum(e - s for s, e in todo.values())
    deadline = time.monotonic() + (budget if budget is not None else 60 + left / 5000)
    while left > 0 and time.monotonic() < deadline:
        for m in c.consume(num_messages=5000, timeout=0.5):
            if m.error():
                continue
            s, e = todo.get(m.partition(), (0, 0))
            if s <= m.offset() < e:
                digests[digest(m.key(), m.value())] += 1
                for k, v in m.headers() or ():
                    if k == "ce_id":
                        ce_ids[v] += 1
                        break
                left -= 1
    c.close()
    return digests, ce_ids, left


# ----------------------------------------------------------------------------------------------
# Driver.

def machine_info():
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo") as f:
            mem = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    return {"nproc": os.cpu_count(), "cpu_model": model, "mem_gib": mem, "kernel": platform.release(),
            "python": platform.python_version(), "loadavg_start": list(os.getloadavg())}


def proc_cpu_seconds(pid) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def compile_c(src, name, libs=()):
    out = os.path.join(OUT_DIR, "bin", name)
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(src):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    cmd = [os.environ.get("CC", "cc"), "-O2", "-Wall", "-o", out, src, *libs]
    log("compiling " + " ".join(cmd))
    subprocess.run(cmd, check=True)
    return out


def build_passthrough() -> str:
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "rdkafka"], capture_output=True, text=True)
    if flags.returncode != 0:
        raise BenchError("pkg-config cannot find rdkafka: install librdkafka-dev (ops/bench does it when run as root)")
    return compile_c(PASSTHROUGH_SRC, "passthrough", ["-pthread", *flags.stdout.split()])


def build_syncline() -> str:
    scratch = os.path.join(REPO, ".build-bench")
    cmd = ["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", "syncline"]
    log("building Syncline: " + " ".join(cmd) + " (the first build takes a few minutes)")
    t = time.monotonic()
    for attempt in range(1, 4):
        r = subprocess.run(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if r.returncode == 0:
            break
        if "was modified during the build" in r.stdout and attempt < 3:
            log("a source file changed during the build; building again")
            time.sleep(5)
            continue
        sys.stderr.write(r.stdout[-4000:])
        raise BenchError("swift build failed (or pass --syncline BIN)")
    log(f"built in {time.monotonic() - t:.0f} s")
    return os.path.join(scratch, "release", "syncline")


def load_yaml(path):
    import yaml
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return yaml.safe_load(text), text


def set_partitions(topic_file, partitions):
    with open(topic_file, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"(?m)^partitions:\s*(\d+)\s*$", text)
    if not m:
        raise BenchError(f"{topic_file}: no 'partitions:' line to raise")
    if int(m.group(1)) < partitions:
        text = text[: m.start(1)] + str(partitions) + text[m.end(1):]
        with open(topic_file, "w", encoding="utf-8") as f:
            f.write(text)


def write_topic(root, name, partitions, description):
    with open(os.path.join(root, "topics", f"{name}.yaml"), "w", encoding="utf-8") as f:
        f.write(f"name: {name}\ndescription: {description}\npartitions: {partitions}\nreplication_factor: 1\n"
                f"format: json\nconfig:\n  compression.type: lz4\n")


class Broker:
    def __init__(self, syncline, root, count, log_path):
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(
            [syncline, "broker", "--brokers", str(count), "--root", root, "--state", os.path.join(root, "state"),
             "--log-level", "warning"],
            cwd=root, stdout=subprocess.PIPE, stderr=self.log, text=True, start_new_session=True)
        self.bootstrap = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("kafka: "):
                self.bootstrap = line.split(" ", 1)[1].strip()
                break
        if not self.bootstrap:
            self.stop()
            raise BenchError(f"`syncline broker` printed no 'kafka:' line (exit {self.proc.poll()}); see {log_path}")

    @property
    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def run_measured(measure, cmd, cwd, timeout, stem, env=None):
    """Runs one contender under `measure` (wait4 rusage of the contender alone); returns
    (exit code, stdout text, usage dict or None)."""
    usage_path = stem + ".usage.json"
    if os.path.exists(usage_path):
        os.remove(usage_path)
    with open(stem + ".stdout", "w") as out, open(stem + ".stderr", "w") as err:
        proc = subprocess.Popen([measure, usage_path, "--", *cmd], cwd=cwd, stdout=out, stderr=err, env=env,
                                start_new_session=True)
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            log(f"timeout after {timeout:.0f} s: killing {os.path.basename(cmd[0])}")
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
    with open(stem + ".stdout") as f:
        text = f.read()
    usage = None
    if os.path.exists(usage_path):
        with open(usage_path) as f:
            usage = json.load(f)
    return code, text, usage


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                pass
    return None


def summarize(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def main_driver(a) -> int:
    t0 = time.monotonic()
    os.makedirs(OUT_DIR, exist_ok=True)
    if a.quick:
        a.records = a.records or 20000
        a.repeat = a.repeat or 1
    a.records = a.records or 1000000
    a.repeat = a.repeat or 1
    contenders = [c for c in (a.contenders.split(",") if a.contenders else CONTENDERS) if c]
    if a.skip_python:
        contenders = [c for c in contenders if c != "python"]
    unknown = set(contenders) - set(CONTENDERS)
    if unknown:
        raise BenchError(f"unknown contender(s) {sorted(unknown)}; use {', '.join(CONTENDERS)}")
    mode = "mapping" if a.mapping or a.stand_in else "route"

    work = tempfile.mkdtemp(prefix="syncline-bench-")
    root = os.path.join(work, "root")
    logs = getattr(a, "logs_dir", None) or os.path.join(OUT_DIR, "logs")
    shutil.rmtree(logs, ignore_errors=True)
    os.makedirs(os.path.join(root, "topics"))
    os.makedirs(os.path.join(root, "connectors"))
    os.makedirs(logs)

    # The connector and the topics it uses.
    if a.connector:
        connector_path = os.path.abspath(a.connector)
    elif mode == "mapping" and os.path.exists(MAPPING_CONNECTOR) and not a.stand_in:
        connector_path = MAPPING_CONNECTOR
    elif mode == "mapping":
        if not a.stand_in:
            log(f"{os.path.relpath(MAPPING_CONNECTOR, REPO)} does not exist: using ops/bench's stand-in marketing connector")
        connector_path = os.path.join(root, "connectors", "marketing.yaml")
        with open(connector_path, "w", encoding="utf-8") as f:
            f.write(MARKETING_CONNECTOR)
    else:
        connector_path = os.path.join(root, "connectors", "bench.yaml")
        with open(connector_path, "w", encoding="utf-8") as f:
            f.write(ROUTE_CONNECTOR)
    if os.path.exists(connector_path):
        spec, connector_text = load_yaml(connector_path)
        name = spec["name"]
        input_topic = spec["input"]["topics"][0]
        if len(spec["input"]["topics"]) > 1:
            log(f"the connector reads {spec['input']['topics']}; the bench loads only {input_topic}")
        routes = [(r.get("name") or f"route{i + 1}", r["topic"]) for i, r in enumerate(spec["routes"])]
        dlq = spec.get("dlq") or f"hub.dlq.{name}.v1"
        version = str(spec["version"]) if spec.get("version") is not None else fnv_version(connector_text)
        slo = float(spec.get("slo_seconds", 90))
        plain = all(set(r) <= {"name", "topic", "key"} for r in spec["routes"]) and not (
            set(spec) - {"name", "description", "version", "input", "event_id", "source_timestamp", "dlq", "slo_seconds", "routes", "tuning"})
        if mode == "route" and not plain:
            log("the connector has more than plain routes: pass --mapping so the Python peer does the same job")
        if spec.get("source_timestamp") and not a.keep_slo:
            # Run a copy with a long SLO (see BENCH_SLO_SECONDS); the copy keeps the file's mapping version.
            import yaml
            spec["slo_seconds"] = slo = float(BENCH_SLO_SECONDS)
            spec.setdefault("version", version)
            copy_path = os.path.join(root, "connectors", "bench-" + os.path.basename(connector_path))
            with open(copy_path, "w", encoding="utf-8") as f:
                yaml.safe_dump(spec, f, allow_unicode=True, sort_keys=False)
            log(f"running {os.path.basename(connector_path)} with slo_seconds {BENCH_SLO_SECONDS} (--keep-slo keeps its own)")
            connector_path = copy_path
    elif "syncline" in contenders:
        raise BenchError(f"connector file {connector_path} not found"
                         + (" (the marketing mapping connector has not landed yet; run --contenders passthrough,python meanwhile)" if mode == "mapping" else ""))
    else:
        name, input_topic, routes, dlq, version, slo, connector_text = "marketing", MAPPING_INPUT, [("leads", MAPPING_OUTPUT)], MAPPING_DLQ, "bench", 90.0, ""

    n = a.records
    # Partitions: an output record is ~1 KB with its lineage headers; assume lz4 halves it and keep
    # every partition's share of ONE run under 80% of the mock's 5 MiB cap. The checks below prove it.
    partitions = a.partitions or max(24, -(-n * 1000 // int(2 * 0.8 * MOCK_PARTITION_CAP)))
    for src in sorted(os.listdir(os.path.join(REPO, "topics"))):
        if src.endswith((".yaml", ".yml")):
            shutil.copy(os.path.join(REPO, "topics", src), os.path.join(root, "topics", src))
    for topic, what in ((BENCH_INPUT, "ops/bench input"), (BENCH_OUTPUT, "ops/bench route output"), (BENCH_DLQ, "ops/bench DLQ")):
        write_topic(root, topic, partitions, what)
    used = [input_topic] + [t for _, t in routes] + [dlq] + ([LATENCY_TOPIC] if mode == "mapping" else [])
    for topic in used:
        path = os.path.join(root, "topics", f"{topic}.yaml")
        if os.path.exists(path):
            set_partitions(path, partitions)
        elif topic.startswith(("raw.", "hub.")):
            write_topic(root, topic, partitions, "created by ops/bench")
        else:
            raise BenchError(f"topic {topic} used by the connector has no file in topics/")

    # Binaries.
    passthrough_bin = build_passthrough() if "passthrough" in contenders else None
    measure_bin = compile_c(MEASURE_SRC, "measure")
    syncline = os.path.abspath(a.syncline) if a.syncline else build_syncline()
    built_here = not a.syncline
    if not os.access(syncline, os.X_OK):
        raise BenchError(f"no Syncline binary at {syncline}")

    import confluent_kafka
    result = {
        "schema": 1,
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": " ".join(["ops/bench", *sys.argv[1:]]),
        "machine": machine_info(),
        "librdkafka": {
            "passthrough": subprocess.run([passthrough_bin, "--version"], capture_output=True, text=True).stdout.strip() if passthrough_bin else None,
            "python_peer": confluent_kafka.libversion()[0],
            "confluent_kafka": confluent_kafka.version()[0],
        },
        "config": {"records": n, "repeat": a.repeat, "kafka_props": a.kafka_prop, "partitions": partitions, "brokers": a.brokers, "mode": mode,
                   "seed": a.seed, "connector": connector_path, "connector_name": name, "input_topic": input_topic,
                   "output_topics": [t for _, t in routes], "dlq_topic": dlq, "mapping_version": version,
                   "contenders": contenders, "syncline": syncline},
    }
    try:
        rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--untracked-files=no", "--", "Sources", "Package.swift"],
                               capture_output=True, text=True).stdout.strip()
        if built_here and rev:
            result["config"]["source_revision"] = rev + ("+uncommitted changes in Sources" if dirty else "")
        else:
            result["config"]["source_revision"] = f"given binary (built {time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(syncline)))})"
    except OSError:
        pass
    try:
        ldd = subprocess.run(["ldd", syncline], capture_output=True, text=True).stdout
        m = re.search(r"librdkafka\S* => (\S+)", ldd)
        result["librdkafka"]["syncline_links"] = m.group(1) if m else None
    except OSError:
        pass

    log(f"generating {n} records (seed {a.seed})")
    t = time.monotonic()
    records, invalid = generate_cached(n, a.seed)
    sizes = [len(v) for _, v in records]
    kinds = collections.Counter(invalid.values())
    result["dataset"] = {"records": n, "invalid": len(invalid), "invalid_kinds": dict(kinds),
                         "value_bytes_avg": round(sum(sizes) / n, 1), "value_bytes_total": sum(sizes),
                         "keys_distinct": len({k for k, _ in records}), "generate_seconds": round(time.monotonic() - t, 2)}
    all_digests = collections.Counter(digest(k, v) for k, v in records)
    invalid_digests = collections.Counter(digest(*records[i]) for i in invalid)
    # In route mode a json plain route sends the malformed ones to the DLQ (and copies the rest).
    malformed_digests = collections.Counter(digest(*records[i]) for i, kind in invalid.items() if kind == "malformed_json")
    # What each contender must add to which topic. The passthrough copies every record to the bench's
    # own output topic whatever the mode; the others do the connector's job.
    expected = {"passthrough": ("copy", {BENCH_OUTPUT: n})}
    if mode == "route":
        # A json connector's plain routes refuse values that are not JSON (to the DLQ); the rest is copied.
        malformed = sum(1 for kind in invalid.values() if kind == "malformed_json")
        copy = collections.Counter()
        for _, topic in routes:
            copy[topic] += n - malformed
        copy[dlq] += malformed
        expected["syncline"] = expected["python"] = ("copy", dict(copy))
    else:
        expected["syncline"] = expected["python"] = ("mapping", {routes[0][1]: n - len(invalid), dlq: len(invalid)})
    with open(os.path.join(OUT_DIR, "sample-records.jsonl"), "wb") as f:
        for k, v in records[:20]:
            f.write(k + b"\t" + v + b"\n")

    broker = client = None
    problems = []
    runs = []
    try:
        log(f"starting the embedded cluster ({a.brokers} brokers, {partitions} partitions per bench topic)")
        broker = Broker(syncline, root, a.brokers, os.path.join(logs, "broker.stderr"))
        bootstrap = broker.bootstrap
        result["config"]["bootstrap"] = bootstrap
        client = kafka_client(bootstrap)
        for topic in used:
            got = partitions_of(client, topic)
            if got < partitions:
                raise BenchError(f"{topic} has {got} partitions, expected {partitions}")

        log(f"preloading {n} records ({sum(sizes) / MIB:.1f} MiB of values) into {input_topic}")
        t = time.monotonic()
        pstats = preload(bootstrap, input_topic, records)
        result["dataset"]["preload_seconds"] = round(time.monotonic() - t, 2)
        result["dataset"]["preload_batches"] = pstats
        wm = watermarks(client, input_topic)
        lows = [lo for lo, _ in wm]
        highs = [hi for _, hi in wm]
        result["dataset"]["input_partitions"] = len(wm)
        result["dataset"]["input_high_watermarks"] = {"min": min(highs), "max": max(highs), "sum": sum(highs)}
        if any(lows) or sum(highs) != n:
            raise BenchError(f"preload check failed: the topic keeps {sum(highs) - sum(lows)} of {n} records (low watermarks "
                             f"{lows[:8]}{'…' if len(lows) > 8 else ''} must all be 0, high watermarks must sum to {n}): "
                             f"the mock's 5 MiB-per-partition cap dropped data; raise --partitions")
        log(f"preload OK: {len(wm)} partitions, low watermarks all 0, high watermarks sum {sum(highs)} "
            f"({result['dataset']['preload_seconds']} s)")
        input_highs = highs
        del records

        out_topics = sorted({t for _, t in routes} | {dlq, BENCH_OUTPUT} | ({LATENCY_TOPIC} if mode == "mapping" else set()))
        order = list(contenders)
        for rep in range(1, a.repeat + 1):
            for contender in order:
                run = run_one(a, contender, rep, bootstrap, client, broker, root, logs, input_topic, input_highs, routes,
                              dlq, out_topics, name, version, slo, mode, connector_path, syncline, passthrough_bin,
                              measure_bin, expected[contender], all_digests, invalid_digests,
                              malformed_digests=malformed_digests)
                runs.append(run)
                status = "OK" if not run["problems"] else "FAILED: " + "; ".join(run["problems"])
                rps = f"{run['records_per_s']:,.0f}" if run.get("records_per_s") else "—"
                log(f"rep {rep} {contender:<11} {rps:>10} records/s  window {fmt(run.get('window_seconds'), '.2f')} s  "
                    f"cpu {run['cpu_s']:.2f} s  rss {run['max_rss_mb']:.0f} MB"
                    + (f"  fetch wake-ups {run['fetch_wakeups']}" if run.get("fetch_wakeups") is not None else "")
                    + (f"  loop {run['loop_cpu_us_per_record']:.2f} µs/rec" if run.get("loop_cpu_us_per_record") is not None else "")
                    + (f"  mapping {run['mapping_cpu_us_per_record']:.2f} µs/rec" if run.get("mapping_cpu_us_per_record") is not None else "")
                    + f"  {status}")
                problems += [f"{contender} rep {rep}: {p}" for p in run["problems"]]
            order = order[1:] + order[:1]  # rotate so no contender always runs first or last
        if a.profile and "syncline" in contenders:
            result["profile"] = profile_syncline(a, bootstrap, root, connector_path, syncline, n)
        wm = watermarks(client, input_topic)
        if any(lo for lo, _ in wm) or sum(hi for _, hi in wm) != n:
            problems.append("input topic changed during the runs")
    finally:
        if client:
            client.close()
        if broker:
            broker.stop()
            result["broker_exit"] = broker.proc.returncode
        shutil.rmtree(work, ignore_errors=True)

    result["runs"] = runs
    summary = {}
    for c in contenders:
        mine = [r for r in runs if r["contender"] == c and not r["problems"]]  # failed runs are not measured
        summary[c] = {
            "records_per_s": summarize([r.get("records_per_s") for r in mine]),
            "window_seconds": summarize([r.get("window_seconds") for r in mine]),
            "active_seconds": summarize([r.get("active_seconds") for r in mine]),
            "close_seconds": summarize([r.get("close_seconds") for r in mine]),
            "idle_max_ms": summarize([r.get("idle_max_ms") for r in mine]),
            "cpu_s": summarize([r["cpu_s"] for r in mine]),
            "window_cpu_s": summarize([r["window_cpu_s"] for r in mine]),
            "cpu_us_per_record": summarize([r["window_cpu_s"] / n * 1e6 for r in mine]),
            "process_cpu_us_per_record": summarize([r["cpu_s"] / n * 1e6 for r in mine]),
            "loop_cpu_us_per_record": summarize([r.get("loop_cpu_us_per_record") for r in mine]),
            "mapping_cpu_us_per_record": summarize([r.get("mapping_cpu_us_per_record") for r in mine]),
            "window_source": sorted({r["window_source"] for r in mine}),
            "window_cpu_source": sorted({r["window_cpu_source"] for r in mine}),
            "max_rss_mb": summarize([r["max_rss_mb"] for r in mine]),
            "broker_cpu_s": summarize([r.get("broker_cpu_s") for r in mine]),
            "runs_ok": len(mine),
        }
    ratios = {}

    def med(c):
        s = summary.get(c, {}).get("records_per_s")
        return s["median"] if s else None

    for other in ("passthrough", "python"):
        if med("syncline") and med(other):
            paired = []
            for rep in range(1, a.repeat + 1):
                s = next((r.get("records_per_s") for r in runs if r["contender"] == "syncline" and r["rep"] == rep and not r["problems"]), None)
                o = next((r.get("records_per_s") for r in runs if r["contender"] == other and r["rep"] == rep and not r["problems"]), None)
                if s and o:
                    paired.append(s / o)
            ratios[f"syncline/{other}"] = {"of_medians": med("syncline") / med(other), "per_rep": paired}
    result["summary"] = summary
    result["ratios"] = ratios
    result["machine"]["loadavg_end"] = list(os.getloadavg())
    result["problems"] = problems
    result["ok"] = not problems
    result["total_seconds"] = round(time.monotonic() - t0, 1)

    print_report(result)
    out = os.path.abspath(a.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2)
    print(f"\nresults: {out}   logs: {logs}")
    if problems:
        print("\nFAILED checks:\n  " + "\n  ".join(problems))
        return 1
    return 0


def run_one(a, contender, rep, bootstrap, client, broker, root, logs, input_topic, input_highs, routes, dlq,
            out_topics, name, version, slo, mode, connector_path, syncline, passthrough_bin, measure_bin, expected,
            all_digests, invalid_digests, malformed_digests=None):
    n = a.records
    group = f"bench-{contender}-{rep}-{os.getpid()}-{int(time.time())}"
    before = {t: watermarks(client, t) for t in out_topics}
    timeout = 120 + n / 2000
    env = None
    if contender == "passthrough":
        cmd = [passthrough_bin, "--brokers", bootstrap, "--group", group, "--input", input_topic,
               "--output", BENCH_OUTPUT, "--count", str(n)]
        for prop in a.kafka_prop:
            cmd += ["-X", prop]
    elif contender == "syncline":
        cmd = [syncline, "run", "--connector", connector_path, "--brokers", bootstrap, "--group", group,
               "--exit-after", str(n), "--root", root, "--state", os.path.join(root, "state"), "--log-level", a.syncline_log_level]
        if a.kafka_prop:
            # Syncline reads client settings from SYNCLINE_KAFKA_<NAME> (both its producer and consumer).
            env = dict(os.environ)
            for prop in a.kafka_prop:
                k, v = prop.split("=", 1)
                k = k.split(".", 1)[1] if k.startswith(("consumer.", "producer.")) else k
                env["SYNCLINE_KAFKA_" + k.upper().replace(".", "_")] = v
    else:
        cmd = [sys.executable, os.path.abspath(__file__), "_peer", "--brokers", bootstrap, "--group", group,
               "--input", input_topic, "--routes", ",".join(f"{r}={t}" for r, t in routes), "--dlq", dlq,
               "--count", str(n), "--mode", mode, "--connector-name", name, "--mapping-version", version,
               "--slo-seconds", str(slo)]
        for prop in a.kafka_prop:
            cmd += ["--prop", prop]
    stem = os.path.join(logs, f"{contender}-rep{rep}")
    broker_cpu0 = proc_cpu_seconds(broker.pid)
    load = os.getloadavg()[0]
    code, stdout, usage = run_measured(measure_bin, cmd, root, timeout, stem, env)
    broker_cpu = proc_cpu_seconds(broker.pid) - broker_cpu0
    out = last_json_line(stdout) or {}
    usage = usage or {"utime_s": float("nan"), "stime_s": float("nan"), "maxrss_kb": float("nan"), "wall_s": None}
    run = {
        "contender": contender, "rep": rep, "group": group, "exit_code": code, "wall_seconds": usage["wall_s"],
        "cpu_user_s": round(usage["utime_s"], 3), "cpu_sys_s": round(usage["stime_s"], 3),
        "cpu_s": round(usage["utime_s"] + usage["stime_s"], 3), "max_rss_mb": round(usage["maxrss_kb"] / 1024, 1),
        "broker_cpu_s": round(broker_cpu, 3), "loadavg_1m_before": load, "reported": out, "usage": usage,
        "active_seconds": out.get("active_seconds"), "problems": [],
    }
    # The measured window: first consumed record → last acknowledgment + broker-confirmed final
    # commit, close and destroy excluded. The passthrough and the Python peer report it
    # (window_seconds, window_cpu_seconds); Syncline does when its summary has window_seconds,
    # otherwise its active_seconds (which also runs through drain, close and destroy) stands in,
    # and the whole process's CPU (start-up and close included) for the window's.
    run["window_seconds"] = out.get("window_seconds") or out.get("active_seconds")
    run["window_source"] = "window_seconds" if out.get("window_seconds") else "active_seconds (includes close)"
    wcpu = out.get("window_cpu_seconds")
    run["window_cpu_s"] = wcpu if wcpu is not None else run["cpu_s"]
    run["window_cpu_source"] = "window_cpu_seconds" if wcpu is not None else "whole process (start-up and close included)"
    run["close_seconds"] = out.get("close_seconds")
    run["idle_max_ms"] = out.get("idle_max_ms")
    run["fetch_wakeups"] = out.get("fetch_wakeups")  # Syncline: full-queue nudges (each a ~1 s 2.0.2 fetch pause avoided)
    # Syncline: its loop thread's and pipeline worker's CPU over the window. The busier thread sets
    # the pace, so its µs/record is the figure to track between commits on a noisy machine.
    for key in ("loop_cpu_seconds", "mapping_cpu_seconds"):
        if out.get(key) is not None:
            run[key.replace("_seconds", "_us_per_record")] = out[key] / n * 1e6
    if run["window_seconds"]:
        run["records_per_s"] = n / run["window_seconds"]
    problems = run["problems"]
    if code != 0:
        problems.append(f"exit code {code} (see {stem}.stderr)")
    if not out:
        problems.append("printed no JSON summary")
    elif out.get("committed", 0) < n:
        problems.append(f"reported {out.get('committed')} committed of {n}")

    # Counts: what this run added to each output topic, and nothing of it trimmed by the mock's cap.
    after = {t: watermarks(client, t) for t in out_topics}
    added = {}
    for t in out_topics:
        added[t] = sum(hi for _, hi in after[t]) - sum(hi for _, hi in before[t])
        trimmed = [p for p, ((_, hi0), (lo1, _)) in enumerate(zip(before[t], after[t])) if lo1 > hi0]
        if trimmed:
            problems.append(f"{t}: the mock's 5 MiB cap dropped part of this run's output on partitions {trimmed} (raise --partitions)")
    kind, want = expected
    run["delivered"] = {t: c for t, c in added.items() if c}
    got_total, want_total = sum(added.get(t, 0) for t in want), sum(want.values())
    if got_total < want_total:
        problems.append(f"LOST RECORDS: {got_total} delivered of {want_total} expected "
                        f"({', '.join(f'{t}: {added.get(t, 0)}/{c}' for t, c in want.items())})")
    elif any(added.get(t, 0) != c for t, c in want.items()):
        problems.append("counts differ (duplicates or records in the wrong topic): "
                        + ", ".join(f"{t}: {added.get(t, 0)} (expected {c})" for t, c in want.items()))

    # Committed offsets of the run's group must equal the input's end offsets.
    from confluent_kafka import Consumer, TopicPartition
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "socket.nagle.disable": True,
                  "enable.auto.commit": False, "client.id": "bench-inspector"})
    try:
        got = c.committed([TopicPartition(input_topic, p) for p in range(len(input_highs))], timeout=15)
        behind = [tp.partition for tp in got if tp.offset != input_highs[tp.partition]]
        if behind:
            problems.append(f"committed offsets differ from the input's end on partitions {behind[:10]}")
    except Exception as e:  # noqa: BLE001 - reported as a failed check
        problems.append(f"cannot read committed offsets: {e}")
    finally:
        c.close()

    # Content: every record delivered once, unchanged (route), or its original bytes in the DLQ (mapping).
    if a.verify and not problems:
        t = time.monotonic()
        rng = {topic: ([hi for _, hi in before[topic]], [hi for _, hi in after[topic]]) for topic in want}
        # Content read back within --verify-seconds per topic. Counts (watermarks) and committed
        # offsets are checked above in full; a read that does not finish in time checks what it
        # read (no record that should not be there, no duplicate) and says how much that was.
        budget = a.verify_seconds
        partial = run["verify_partial"] = {}
        if kind == "copy":
            refused = malformed_digests if (malformed_digests and dlq in want) else collections.Counter()
            copied = all_digests - refused
            copied_total = max(1, sum(copied.values()))  # once: inside the comprehension below it made the check O(n²)
            for topic, count in want.items():
                digests, _, left = read_range(bootstrap, topic, *rng[topic], budget=budget)
                if topic == dlq and refused:
                    expect = refused
                else:
                    expect = collections.Counter({d: c * (count // copied_total) for d, c in copied.items()})
                extra = sum((digests - expect).values())
                if extra:
                    problems.append(f"verify: {topic} holds {extra} records that are not (or more often than) in the input")
                elif left:
                    partial[topic] = f"{count - left} of {count} read back in {budget:.0f} s, all matching the input"
                elif digests != expect:
                    problems.append(f"verify: {topic} differs from the input: {sum((expect - digests).values())} records missing or changed")
        else:
            output_topic = next(t for t in want if t != dlq)
            digests, _, left = read_range(bootstrap, dlq, *rng[dlq], budget=budget)
            extra = sum((digests - invalid_digests).values())
            if extra or (not left and digests != invalid_digests):
                problems.append(f"verify: the DLQ does not hold exactly the invalid records' original bytes "
                                f"({sum((invalid_digests - digests).values())} missing, {extra} unexpected)")
            elif left:
                partial[dlq] = f"{want[dlq] - left} of {want[dlq]} read back in {budget:.0f} s, all invalid inputs' original bytes"
            _, ce_ids, left = read_range(bootstrap, output_topic, *rng[output_topic], budget=budget)
            dup = sum(c - 1 for c in ce_ids.values() if c > 1)
            if dup or (not left and len(ce_ids) != want[output_topic]):
                problems.append(f"verify: {output_topic} holds {sum(ce_ids.values())} records with {len(ce_ids)} "
                                f"distinct ce_id (expected {want[output_topic]} distinct)")
            elif left:
                partial[output_topic] = f"{sum(ce_ids.values())} of {want[output_topic]} read back in {budget:.0f} s, no ce_id twice"
        if partial:
            log(f"{contender}: content check partial (the counts and commits above are complete): "
                + "; ".join(f"{t}: {v}" for t, v in partial.items()))
        run["verify_seconds"] = round(time.monotonic() - t, 2)
    return run


def profile_syncline(a, bootstrap, root, connector_path, syncline, n):
    """One more Syncline run (not measured) under `perf record -g`; writes the data and a flat report."""
    perf = shutil.which("perf")
    if not perf:
        log("--profile: perf is not installed (Debian: linux-perf); skipped")
        return None
    data = os.path.join(OUT_DIR, "perf-syncline.data")
    report = os.path.join(OUT_DIR, "perf-syncline.txt")
    # DWARF unwinding: Swift code without frame pointers breaks `-g` (fp) chains and misattributes
    # inclusive costs (the follow-up stage showed 5% with fp, 23% with dwarf).
    # --profile-event samples every occurrence of an event instead of the clock: with a uprobe on
    # libc's malloc (`perf probe -x /lib/x86_64-linux-gnu/libc.so.6 malloc`) the report counts
    # allocations, the figure that does not move with the machine's noise.
    # Frame-pointer call chains then: a DWARF stack copy per allocation would be gigabytes.
    sampling = ["-e", a.profile_event, "-c", "1", "-g"] if a.profile_event else ["-F", "499", "--call-graph", "dwarf,16384"]
    cmd = [perf, "record", *sampling, "-o", data, "--", syncline, "run", "--connector", connector_path,
           "--brokers", bootstrap, "--group", f"bench-profile-{os.getpid()}-{int(time.time())}", "--exit-after", str(n),
           "--root", root, "--state", os.path.join(root, "state"), "--log-level", "error"]
    log("profiling one more Syncline run: " + " ".join(cmd[:8]) + " …")
    r = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120 + n / 2000)
    if r.returncode != 0:
        log(f"--profile: perf/syncline exited {r.returncode}: {r.stderr[-500:]}")
        return None
    with open(report, "w") as f:
        for sort in ("dso", "dso,sym"):
            out = subprocess.run([perf, "report", "-i", data, "--no-children", "--sort", sort, "--stdio", "-g", "none",
                                  "--percent-limit", "0.7"], capture_output=True, text=True).stdout
            f.write(out)
        out = subprocess.run([perf, "report", "-i", data, "--children", "--sort", "sym", "--stdio", "-g", "none",
                              "--percent-limit", "2"], capture_output=True, text=True).stdout
        f.write(out)
    log(f"profile: {report} (perf report -i {data} for more)")
    return {"data": data, "report": report, "summary": last_json_line(r.stdout)}


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def print_report(r):
    m = r["machine"]
    lib = r["librdkafka"]
    ds = r["dataset"]
    cfg = r["config"]
    print()
    print(f"Syncline benchmark — {cfg['mode']} mode, connector {cfg['connector_name']} ({os.path.relpath(cfg['connector'], REPO) if cfg['connector'].startswith(REPO) else cfg['connector']})")
    print(f"machine: {m['nproc']} CPUs, {m['cpu_model']}, {m['mem_gib']} GiB, Linux {m['kernel']}; "
          f"load avg {m['loadavg_start'][0]:.2f} at start, {m['loadavg_end'][0]:.2f} at end")
    print(f"librdkafka: passthrough {lib.get('passthrough')}, Syncline links {lib.get('syncline_links')}, "
          f"python peer {lib['python_peer']} (confluent-kafka {lib['confluent_kafka']}, Python {m['python']})")
    print(f"data: {ds['records']:,} records, avg {ds['value_bytes_avg']:.0f} B, {ds['invalid']:,} invalid {ds['invalid_kinds']}, "
          f"{ds['keys_distinct']:,} keys; {ds['input_partitions']} partitions (lz4), {cfg['brokers']} mock brokers; "
          f"{cfg['repeat']} repetition(s), the order rotating")
    print("window = first consumed record → last acknowledgment + broker-confirmed final commit (close/destroy excluded); "
          "records/s = records ÷ window; CPU µs/rec = user+sys CPU of the contender over the window ÷ records")
    if cfg.get("kafka_props"):
        print(f"librdkafka overrides for all contenders: {', '.join(cfg['kafka_props'])}")
    print(f"Syncline: {cfg['syncline']} ({cfg.get('source_revision')})")
    print()
    head = (f"{'contender':<12}{'records/s':>11}{'min':>10}{'max':>10}{'window s':>10}{'CPU µs/rec':>11}{'proc µs/rec':>12}"
            f"{'peak RSS MB':>12}{'close s':>9}{'idle max ms':>12}{'broker CPU s':>13}{'ok':>5}")
    print(head)
    print("-" * len(head))
    notes = []
    for c, s in r["summary"].items():
        rps = s["records_per_s"] or {}
        mark = ""
        if any("includes close" in x for x in s.get("window_source") or []):
            mark = "*"
            notes.append(f"* {c}: its summary has no window_seconds, so its window is active_seconds, which runs through "
                         f"drain, commit, consumer close and producer close; its CPU µs/rec is the whole process's "
                         f"(start-up and close included). Both flatter the others.")
        med = lambda k, spec: fmt((s.get(k) or {}).get("median"), spec)  # noqa: E731
        print(f"{c + mark:<12}{fmt(rps.get('median'), ',.0f'):>11}{fmt(rps.get('min'), ',.0f'):>10}{fmt(rps.get('max'), ',.0f'):>10}"
              f"{med('window_seconds', '.2f'):>10}{med('cpu_us_per_record', '.2f'):>11}{med('process_cpu_us_per_record', '.2f'):>12}"
              f"{fmt((s['max_rss_mb'] or {}).get('max'), '.0f'):>12}{med('close_seconds', '.3f'):>9}{med('idle_max_ms', '.0f'):>12}"
              f"{med('broker_cpu_s', '.2f'):>13}{s['runs_ok']:>3}/{r['config']['repeat']}")
    print("(medians per run; peak RSS is the max over runs; proc µs/rec = the whole process's CPU from wait4 ÷ records; "
          "idle max = longest stretch the contender found nothing to consume before its last record)")
    for n in notes:
        print(n)
    for c, s in r["summary"].items():
        loop, mapping = (s.get("loop_cpu_us_per_record") or {}).get("median"), (s.get("mapping_cpu_us_per_record") or {}).get("median")
        if loop is not None:
            print(f"{c} threads (CPU µs/rec, medians): loop {loop:.2f}"
                  + (f", pipeline worker {mapping:.2f}" if mapping is not None else " (maps on the loop's thread)")
                  + "; the busier one sets the pace")
    for run in r.get("runs", []):
        for topic, what in (run.get("verify_partial") or {}).items():
            print(f"content check partial, {run['contender']} rep {run['rep']}, {topic}: {what} (counts and commits checked in full)")
    print()
    for k, v in r["ratios"].items():
        per = ", ".join(f"{x:.2f}" for x in v["per_rep"])
        print(f"{k:<22} {v['of_medians']:.2f}×  (per repetition: {per})")


TARGETS = {  # issue 13's "Done when", for the hub's runtime (the bench reports; it does not gate on them)
    ("mapping", "syncline/passthrough"): 0.3,
    ("mapping", "syncline/python"): 5.0,
    ("route", "syncline/passthrough"): 0.7,
}
ADDED_P99_TARGET_MS = 5.0


def run_all(a) -> int:
    """--all: mapping mode, route mode and the latency run, one after the other, then one summary
    (ops/bench-out/report.json)."""
    import copy
    os.makedirs(OUT_DIR, exist_ok=True)
    if not a.syncline:
        a.syncline = build_syncline()
    reports, codes = {}, {}
    for mode in ("mapping", "route"):
        b = copy.copy(a)
        b.mapping = mode == "mapping"
        b.out = os.path.join(OUT_DIR, f"latest-{mode}.json")
        b.logs_dir = os.path.join(OUT_DIR, f"logs-{mode}")
        log(f"--all: {mode} mode")
        try:
            codes[mode] = main_driver(b)
        except BenchError as e:
            print(f"ops/bench: {mode} mode: {e}", file=sys.stderr)
            codes[mode] = 2
        if os.path.exists(b.out) and codes[mode] != 2:
            with open(b.out, encoding="utf-8") as f:
                reports[mode] = json.load(f)
    latency = None
    if not a.skip_latency:
        import bench_latency
        out = os.path.join(OUT_DIR, "latency.json")
        log("--all: latency at 5,000 records/s, passthrough then Syncline")
        try:
            codes["latency"] = bench_latency.main(["--syncline", a.syncline, "--out", out, *(["--seconds", "10"] if a.quick else [])])
            with open(out, encoding="utf-8") as f:
                latency = json.load(f)
        except BenchError as e:
            print(f"ops/bench: latency: {e}", file=sys.stderr)
            codes["latency"] = 2
    report = {"command": " ".join(["ops/bench", *sys.argv[1:]]), "modes": {}, "latency": None, "exit_codes": codes}
    print("\n" + "=" * 100)
    print("Summary (ops/bench --all)")
    for mode, r in reports.items():
        print(f"\n{mode} mode — {r['config']['connector_name']}, {r['dataset']['records']:,} records, "
              f"{r['dataset']['input_partitions']} partitions{'' if r['ok'] else ' — FAILED CHECKS'}")
        print(f"  {'contender':<12}{'records/s':>11}{'CPU µs/rec':>12}{'peak RSS MB':>13}{'window s':>10}")
        rows = {}
        for c, s in r["summary"].items():
            med = lambda k: (s.get(k) or {}).get("median")  # noqa: E731
            rows[c] = {"records_per_s": med("records_per_s"), "cpu_us_per_record": med("cpu_us_per_record"),
                       "peak_rss_mb": (s.get("max_rss_mb") or {}).get("max"), "window_seconds": med("window_seconds"),
                       "window_source": s.get("window_source"), "window_cpu_source": s.get("window_cpu_source")}
            star = "*" if any("includes close" in x for x in s.get("window_source") or []) else ""
            print(f"  {c + star:<12}{fmt(rows[c]['records_per_s'], ',.0f'):>11}{fmt(rows[c]['cpu_us_per_record'], '.2f'):>12}"
                  f"{fmt(rows[c]['peak_rss_mb'], '.0f'):>13}{fmt(rows[c]['window_seconds'], '.2f'):>10}")
        ratios = {}
        for k, v in r["ratios"].items():
            target = TARGETS.get((mode, k))
            ratios[k] = {"ratio": v["of_medians"], "target": target}
            verdict = "" if target is None else f"   target ≥ {target}×: {'met' if v['of_medians'] >= target else 'NOT met'}"
            print(f"  {k:<22} {v['of_medians']:.2f}×{verdict}")
        report["modes"][mode] = {"ok": r["ok"], "rows": rows, "ratios": ratios, "records": r["dataset"]["records"],
                                 "partitions": r["dataset"]["input_partitions"], "problems": r["problems"]}
    if any(any("includes close" in x for x in (row.get("window_source") or [])) for m in report["modes"].values() for row in m["rows"].values()):
        print("\n  * window = Syncline's active_seconds (through drain and close) and CPU = whole process: its summary has "
              "no window_seconds / window_cpu_seconds yet (see ops/README.md)")
    if latency:
        added = latency.get("added", {})
        report["latency"] = {"added": added, "problems": latency.get("problems")}
        print(f"\nlatency at {latency['config']['rate']:,} records/s for {latency['config']['seconds']:.0f} s each (source → output produce):")
        v = added.get("to_produce")
        if v:
            print(f"  p99 passthrough {v['passthrough_p99_ms']:.1f} ms, Syncline {v['syncline_p99_ms']:.1f} ms: "
                  f"added {v['added_p99_ms']:+.1f} ms   target ≤ {ADDED_P99_TARGET_MS:.0f} ms: "
                  f"{'met' if v['added_p99_ms'] <= ADDED_P99_TARGET_MS else 'NOT met'}")
        v = added.get("seen_by_tail")
        if v:
            print(f"  p99 seen by the tail (includes the acknowledgment): passthrough {v['passthrough_p99_ms']:.1f} ms, "
                  f"Syncline {v['syncline_p99_ms']:.1f} ms: added {v['added_p99_ms']:+.1f} ms")
    with open(os.path.join(OUT_DIR, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=2)
    print(f"\nreport: {os.path.join(OUT_DIR, 'report.json')} (details: latest-mapping.json, latest-route.json, latency.json)")
    return 0 if all(c == 0 for c in codes.values()) else 1


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="ops/bench",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""Throughput of a Syncline connector against a raw librdkafka passthrough (the ceiling)
and a Python confluent-kafka peer (what a user would otherwise write), on the embedded Kafka
cluster, in one run.

Starts `syncline broker`, generates a deterministic data set of marketing form events (~466 B,
Chinese field names and values, messy phones, mixed timestamps, ~3% invalid; 1,000,000 records
by default), preloads it with lz4 into enough partitions that the mock's 5 MiB-per-partition cap
drops nothing (checked), then runs the contenders one after the other, each with a fresh
consumer group, and checks that every run delivered every record (or DLQ'd exactly the invalid
ones), committed the input's end offsets, and (unless --no-verify) that the output holds what it
should.

Each contender is timed over its window: first consumed record → last acknowledgment + final
commit the broker confirmed (close and destroy excluded). Reports records/s over the window,
CPU µs/record (the contender's user+sys CPU over the window), peak RSS (wait4), the brokers'
CPU, and the ratios Syncline/passthrough and Syncline/Python. --all runs mapping mode, route mode
and the latency run in one go and ends with one summary. Exits non-zero when any check fails.""",
        epilog="""examples:
  ops/bench --all --syncline BIN        mapping, route and latency: the whole yardstick
  ops/bench --quick                      smoke run (20,000 records)
  ops/bench                              route mode, 1,000,000 records, 1 repetition
  ops/bench --syncline .build-bench/release/syncline --skip-python
  ops/bench --mapping                    marketing mapping connector (connectors/marketing.yaml)
""")
    p.add_argument("--records", type=int, help="records in the data set (default 1000000; --quick: 20000)")
    p.add_argument("--repeat", type=int, help="repetitions of each contender (default 1)")
    p.add_argument("--quick", action="store_true", help="a small smoke run (20,000 records; with --all a 10 s latency run)")
    p.add_argument("--all", action="store_true", help="mapping mode, route mode and the latency run (passthrough and "
                   "Syncline at 5,000 records/s) in one go, then one summary with the ratios and the added p99")
    p.add_argument("--skip-latency", action="store_true", help="with --all: leave out the latency run")
    p.add_argument("--connector", help="Syncline's connector file (default: the built-in route connector "
                   f"{BENCH_INPUT} → {BENCH_OUTPUT}; with --mapping: connectors/marketing.yaml)")
    p.add_argument("--mapping", action="store_true", help="mapping mode: the connector parses, maps, normalises "
                   "and validates (invalid records to its DLQ) and the Python peer does the same")
    p.add_argument("--stand-in", action="store_true", help="with --mapping: use ops/bench's built-in marketing "
                   "connector (the SPEC §5 mapping in plain field rules) even when connectors/marketing.yaml exists, "
                   "e.g. for a Syncline build that predates that file's features")
    p.add_argument("--keep-slo", action="store_true", help="keep the connector's latency SLO: the data set's fixed "
                   "2025 timestamps then make every record a delayed one (a backlog replay: one more hub.latency.v1 "
                   "record per input)")
    p.add_argument("--syncline", help="the syncline binary (default: build release into .build-bench and use it)")
    p.add_argument("--skip-python", action="store_true", help="leave out the Python peer")
    p.add_argument("--contenders", help=f"comma-separated subset of {','.join(CONTENDERS)}")
    p.add_argument("--partitions", type=int, help="partitions of the input/output/DLQ topics (default: from --records)")
    p.add_argument("--brokers", type=int, default=3, help="mock brokers (default 3, as `syncline broker`)")
    p.add_argument("--seed", type=int, default=20250601, help="data set seed")
    p.add_argument("--no-verify", dest="verify", action="store_false",
                   help="skip reading every run's output back (counts and commits are still checked)")
    p.add_argument("--verify-seconds", type=float, default=60, help="time allowed for reading each output topic back "
                   "(default 60; a slower read checks what it read and is reported as partial)")
    p.add_argument("--kafka-prop", action="append", default=[], metavar="NAME=VALUE",
                   help="a librdkafka property for all three contenders (repeatable; prefix consumer. or producer. "
                   "to scope it for the passthrough and the Python peer; Syncline gets it through SYNCLINE_KAFKA_<NAME> "
                   "on both its clients), e.g. queued.max.messages.kbytes=131072")
    p.add_argument("--profile-event", default=None, metavar="EVENT",
                   help="with --profile: record every EVENT (e.g. probe_libc:malloc, after `perf probe -x "
                        "/lib/x86_64-linux-gnu/libc.so.6 malloc`) instead of sampling the clock; the report's "
                        "sample count divided by --records is EVENTs per record")
    p.add_argument("--profile", action="store_true", help="after the measured runs, one more Syncline run under "
                   "`perf record -g` → ops/bench-out/perf-syncline.{data,txt}")
    p.add_argument("--syncline-log-level", default="warning", help="Syncline's --log-level (default warning)")
    p.add_argument("--out", default=os.path.join(OUT_DIR, "latest.json"), help="results JSON (default ops/bench-out/latest.json)")
    return p.parse_args(argv)


def parse_peer_args(argv):
    p = argparse.ArgumentParser(prog="bench.py _peer")
    for name in ("--brokers", "--group", "--input", "--routes", "--dlq", "--connector-name", "--mapping-version"):
        p.add_argument(name, required=True)
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--mode", choices=("route", "mapping"), default="route")
    p.add_argument("--slo-seconds", type=float, default=90)
    p.add_argument("--latency-topic", default=LATENCY_TOPIC)
    p.add_argument("--batch", type=int, default=2000)
    p.add_argument("--commit-interval-ms", type=int, default=500)
    p.add_argument("--prop", action="append", default=[])
    return p.parse_args(argv)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_peer":
        sys.exit(run_peer(parse_peer_args(sys.argv[2:])))
    args = parse_args(sys.argv[1:])
    try:
        sys.exit(run_all(args) if args.all else main_driver(args))
    except BenchError as e:
        print(f"ops/bench: {e}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
