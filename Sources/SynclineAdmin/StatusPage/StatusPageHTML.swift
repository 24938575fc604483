import SynclineMapping

/// The status page: one self-contained HTML document (inline CSS and script, no external assets,
/// works offline). It carries no data: every number comes from the admin JSON API, fetched by the
/// page itself every 2 s — `/api/v1/connectors`, `/api/v1/channels/health?window=24h`,
/// `/api/v1/latency/percentiles`, `/api/v1/latency/samples`, `/api/v1/dlq` and `/api/v1/alerts`
/// (the lead-assignment card reads `/metrics`: `StatusPageAssignment`).
enum StatusPageHTML {
    static let document = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Syncline · status</title>
<style>
  :root {
    --bg: #f4f6f9; --panel: #fff; --ink: #1b2430; --muted: #66707d; --line: #e3e7ed; --soft: #f7f9fb;
    --ok: #1f8a4c; --ok-bg: #e3f5ea; --warn: #a15c00; --warn-bg: #fff1d6; --bad: #c0322b; --bad-bg: #fde6e4;
    --idle: #6b7480; --idle-bg: #eceff3; --accent: #2f5bd3;
  }
  * { box-sizing: border-box; }
  body { margin: 0; background: var(--bg); color: var(--ink); font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; }
  header { display: flex; align-items: center; gap: 16px; padding: 12px 24px; background: #16202c; color: #fff; }
  header h1 { margin: 0; font-size: 18px; letter-spacing: .3px; }
  header .tag { color: #aab6c4; font-size: 13px; }
  header .spacer { flex: 1; }
  header .updated { color: #c8d2dd; font-size: 12px; text-align: right; }
  .summary { padding: 4px 12px; border-radius: 999px; font-weight: 600; font-size: 13px; }
  .summary.ok { background: var(--ok-bg); color: var(--ok); }
  .summary.warn { background: var(--warn-bg); color: var(--warn); }
  .summary.bad { background: var(--bad-bg); color: var(--bad); }
  main { padding: 16px 24px 24px; display: grid; gap: 16px; max-width: 1600px; }
  main > * { min-width: 0; }
  section { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; }
  section > h2 { margin: 0; padding: 10px 14px; font-size: 13px; text-transform: uppercase; letter-spacing: .6px; color: var(--muted); border-bottom: 1px solid var(--line); display: flex; gap: 8px; align-items: baseline; }
  section > h2 .hint { text-transform: none; letter-spacing: 0; font-weight: 400; }
  table { border-collapse: collapse; width: 100%; }
  th, td { padding: 7px 8px; text-align: left; border-bottom: 1px solid var(--line); vertical-align: middle; white-space: nowrap; }
  th { font-size: 11px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: .4px; background: var(--soft); }
  tr:last-child td { border-bottom: 0; }
  .num { text-align: right; font-variant-numeric: tabular-nums; }
  .unit { color: var(--muted); font-size: 11px; margin-left: 2px; }
  .sub { display: block; color: var(--muted); font-size: 11px; }
  .name { font-weight: 600; font-size: 14px; }
  #connectors td:first-child .sub, #connectors td:nth-child(2) .sub { white-space: normal; max-width: 190px; }
  .pill { display: inline-flex; align-items: center; gap: 6px; padding: 2px 9px 2px 7px; border-radius: 999px; font-weight: 600; font-size: 12px; }
  .pill::before { content: ""; width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
  .ok { color: var(--ok); } .pill.ok { background: var(--ok-bg); }
  .warn { color: var(--warn); } .pill.warn { background: var(--warn-bg); }
  .bad { color: var(--bad); } .pill.bad { background: var(--bad-bg); }
  .idle { color: var(--idle); } .pill.idle { background: var(--idle-bg); }
  .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
  .reason > div { max-width: 230px; overflow: hidden; text-overflow: ellipsis; }
  .grid { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 16px; align-items: start; }
  .cards { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; padding: 12px; }
  .card { border: 1px solid var(--line); border-radius: 6px; overflow: hidden; }
  .card h3 { margin: 0; padding: 7px 10px; font-size: 13px; background: var(--soft); border-bottom: 1px solid var(--line); display: flex; justify-content: space-between; }
  .card h3 span { font-weight: 400; color: var(--muted); }
  .card td, .card th { padding: 4px 8px; font-size: 12px; }
  .empty { padding: 14px; color: var(--muted); }
  ul.feed { list-style: none; margin: 0; padding: 0; }
  ul.feed li { padding: 9px 14px; border-bottom: 1px solid var(--line); }
  ul.feed li:last-child { border-bottom: 0; }
  .feed .top { display: flex; gap: 8px; align-items: baseline; justify-content: space-between; flex-wrap: wrap; }
  .feed .msg { margin-top: 2px; white-space: normal; overflow-wrap: anywhere; }
  .feed .meta { color: var(--muted); font-size: 11px; margin-top: 2px; }
  .badge { padding: 1px 7px; border-radius: 4px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .3px; }
  .badge.bad { background: var(--bad-bg); } .badge.warn { background: var(--warn-bg); } .badge.idle { background: var(--idle-bg); }
  .chips { display: flex; gap: 6px; padding: 8px 14px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
  .offline { display: none; padding: 8px 24px; background: var(--bad-bg); color: var(--bad); font-weight: 600; }
  body.stale .offline { display: block; }
  .bar { display: inline-block; width: 46px; height: 6px; border-radius: 3px; background: var(--line); vertical-align: middle; margin-right: 6px; overflow: hidden; }
  .bar > i { display: block; height: 100%; background: var(--ok); }
  footer { color: var(--muted); font-size: 11px; padding: 0 24px 16px; }
  footer code { font-size: 11px; }
</style>
</head>
<body data-live="false">
<header>
  <h1>Syncline</h1><span class="tag">CRM integration hub</span>
  <span id="summary" class="summary idle">connecting…</span>
  <span class="spacer"></span>
  <span class="updated" id="updated">waiting for the first answer from the hub…</span>
</header>
<div class="offline" id="offline">The hub is not answering — the figures below are from the last successful refresh.</div>
<main>
  <section>
    <h2>Connectors <span class="hint">state, throughput and health · success rate, delayed and DLQ over 24 h · delay percentiles over the last 5 min</span></h2>
    <table id="connectors">
      <thead><tr>
        <th>Connector</th><th>State</th><th class="num">Throughput</th><th class="num">Success 24 h</th>
        <th class="num">Delay p50</th><th class="num">Delay p99</th><th class="num">Delayed 24 h</th><th>Breaker</th>
        <th class="num">Lag</th><th class="num">DLQ 24 h</th><th>Latest rejection</th>
      </tr></thead>
      <tbody><tr><td colspan="11" class="empty">Loading…</td></tr></tbody>
    </table>
  </section>
\#(StatusPageAssignment.section)  <div class="grid">
    <section>
      <h2>Latest delayed records <span class="hint">over the connector's SLO · when it happened upstream → when the hub delivered it</span></h2>
      <div class="cards" id="delayed"></div>
    </section>
    <div style="display:grid; gap:16px">
      <section>
        <h2>Recent alerts <span class="hint">\#(TopicNames.alerts) · newest 3 of each kind</span></h2>
        <div class="chips" id="alert-kinds"></div>
        <ul class="feed" id="alerts"><li class="empty">Loading…</li></ul>
      </section>
      <section>
        <h2>Latest rejections <span class="hint">sent to a DLQ</span></h2>
        <ul class="feed" id="rejections"><li class="empty">Loading…</li></ul>
      </section>
    </div>
  </div>
</main>
<footer>Refreshes every 2 s from this hub's JSON API (<code>/api/v1/connectors</code>, <code>/api/v1/channels/health</code>, <code>/api/v1/latency/…</code>, <code>/api/v1/dlq</code>, <code>/api/v1/alerts</code>) · Prometheus: <code>/metrics</code> · CLI: <code>syncline dlq list</code>, <code>syncline latency samples</code></footer>
<script>
"use strict";
const REFRESH_MS = 2000;
let lastOk = 0;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v; else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}
const nf0 = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
function count(n) { return nf0.format(n || 0); }
function withUnit(value, unit) { return [value, h("span", { class: "unit" }, unit)]; }
function duration(seconds) {
  if (seconds === null || seconds === undefined || isNaN(seconds)) return null;
  if (seconds < 1) return withUnit(nf0.format(seconds * 1000), "ms");
  if (seconds < 60) return withUnit(nf1.format(seconds), "s");
  const total = Math.round(seconds), m = Math.floor(total / 60), s = total % 60;
  if (m < 60) return [m, h("span", { class: "unit" }, "min"), " ", s, h("span", { class: "unit" }, "s")];
  return withUnit(nf1.format(seconds / 3600), "h");
}
function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (s < 3) return "just now";
  if (s < 60) return s + " s ago";
  if (s < 3600) return Math.floor(s / 60) + " min ago";
  if (s < 86400) return Math.floor(s / 3600) + " h ago";
  return Math.floor(s / 86400) + " d ago";
}
function localTime(ms) {
  const d = new Date(ms);
  const same = d.toDateString() === new Date().toDateString();
  const t = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
  return same ? t : d.toLocaleDateString([], { month: "short", day: "numeric" }) + " " + t;
}
function when(iso) {
  const ms = Date.parse(iso);
  if (isNaN(ms)) return h("span", {}, iso || "—");
  return h("span", { title: iso }, localTime(ms), h("span", { class: "sub" }, ago(ms)));
}
const STATE = { running: ["ok", "running"], paused: ["warn", "paused"], stopped: ["bad", "stopped"] };
const BREAKER = { closed: ["ok", "closed"], half_open: ["warn", "half-open"], open: ["bad", "open"] };
function pill(map, value) {
  const [cls, word] = map[value] || ["idle", value || "unknown"];
  return h("span", { class: "pill " + cls }, word);
}
async function getJSON(path) {
  const r = await fetch(path, { cache: "no-store" });
  if (!r.ok) throw new Error(path + ": HTTP " + r.status);
  return r.json();
}
async function optional(path, fallback) {
  try { return await getJSON(path); } catch (e) { return fallback; }
}

function rateClass(rate) { return rate >= 0.95 ? "ok" : rate >= 0.8 ? "warn" : "bad"; }

function renderConnectors(list, health, pct, dlq) {
  const body = h("tbody");
  for (const c of list) {
    const ch = health[c.name] || { consumed: 0, rejected: 0, delayed: 0, success_rate: 1 };
    const p = pct[c.name] || {};
    const latest = (dlq[c.name] || [])[0];
    const rate = ch.success_rate;
    const lag = c.lag_records > 0
      ? [count(c.lag_records), h("span", { class: "unit" }, "rec"), h("span", { class: "sub" }, c.lag_seconds > 0 ? ["oldest ", duration(c.lag_seconds)] : "")]
      : withUnit("0", "rec");
    body.append(h("tr", { "data-connector": c.name, "data-rps": c.records_per_second.toFixed(2), class: "connector-row" },
      h("td", {}, h("span", { class: "name" }, c.name), h("span", { class: "sub" }, (c.input_topics || []).join(", "))),
      h("td", {}, pill(STATE, c.state), h("span", { class: "sub" }, c.assigned_partitions + " partitions · " + c.mapping_version),
        c.state_restore ? h("span", { class: "sub state-restore" }, "state: " + c.state_restore) : ""),
      h("td", { class: "num throughput" }, withUnit(nf1.format(c.records_per_second), "rec/s"), h("span", { class: "sub" }, count(c.consumed) + " consumed")),
      h("td", { class: "num" }, h("span", { class: rateClass(rate) }, withUnit(nf1.format(rate * 100), "%")),
        h("span", { class: "sub" }, h("span", { class: "bar" }, h("i", { style: "width:" + Math.round(rate * 100) + "%" })), count(ch.consumed) + " in")),
      h("td", { class: "num" }, duration(p.p50_seconds) || "—"),
      h("td", { class: "num" }, duration(p.p99_seconds) || "—",
        h("span", { class: "sub" }, p.count ? count(p.count) + " in 5 min" : "none in 5 min")),
      h("td", { class: "num" }, h("span", { class: ch.delayed > 0 ? "warn" : "" }, count(ch.delayed)),
        h("span", { class: "sub" }, ch.consumed ? nf1.format(ch.delayed_share * 100) + " % of records" : "")),
      h("td", {}, pill(BREAKER, c.breaker)),
      h("td", { class: "num" }, lag),
      h("td", { class: "num" }, h("span", { class: ch.rejected > 0 ? "bad" : "" }, count(ch.rejected)),
        h("span", { class: "sub" }, count(c.dead_lettered) + " since start")),
      h("td", { class: "reason" }, h("div", { title: latest ? latest.message : "" }, latest
        ? [h("span", { class: "code bad" }, latest.code), latest.field ? h("span", { class: "code" }, " · " + latest.field) : null,
           h("span", { class: "sub" }, latest.stage + " stage · " + ago(Date.parse(latest.failed_at)))]
        : h("span", { class: "sub" }, "none")))
    ));
  }
  if (!list.length) body.append(h("tr", {}, h("td", { colspan: 11, class: "empty" }, "No connectors are configured (connectors/*.yaml).")));
  document.querySelector("#connectors tbody").replaceWith(body);
}

function renderDelayed(list, samples, health) {
  const box = document.getElementById("delayed");
  // Connectors with delayed records first; the others (nothing delayed) after them.
  const ordered = list.filter(c => (samples[c.name] || []).length).concat(list.filter(c => !(samples[c.name] || []).length));
  const cards = ordered.map(c => {
    const rows = samples[c.name] || [];
    const ch = health[c.name] || { delayed: 0 };
    const head = h("h3", {}, c.name, h("span", {}, count(ch.delayed) + " delayed in 24 h"));
    if (!rows.length) return h("div", { class: "card" }, head, h("div", { class: "empty" }, "No delayed records — everything arrived within the SLO."));
    return h("div", { class: "card" }, head, h("table", { class: "delayed-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Happened upstream"), h("th", {}, "Delivered"), h("th", { class: "num" }, "Delay"), h("th", {}, "Cause"))),
      h("tbody", {}, rows.map(s => h("tr", { class: "delayed-row", title: s.event_id + " · " + s.source + " → " + s.output_topic },
        h("td", {}, when(s.source_ts)), h("td", {}, when(s.ack_ts)),
        h("td", { class: "num" }, h("span", { class: "warn" }, duration(s.delay_ms / 1000))),
        h("td", {}, s.attribution))))));
  });
  box.replaceChildren(...cards);
}

const KIND = {
  customer_complained: ["bad", "complaint"], reconciliation_gap: ["bad", "reconciliation gap"], unlinked_call: ["warn", "unlinked call"], unlinked_conversation: ["warn", "unlinked chat"],
};
function renderAlerts(all) {
  const ul = document.getElementById("alerts");
  const counts = {};
  for (const a of all) counts[a.kind] = (counts[a.kind] || 0) + 1;
  const chips = document.getElementById("alert-kinds");
  chips.replaceChildren(...Object.keys(KIND).map(k => {
    const n = counts[k] || 0;
    return h("span", { class: "badge " + (n ? KIND[k][0] : "idle"), title: "among the latest " + all.length + " alerts" }, count(n) + " " + KIND[k][1] + (n === 1 ? "" : "s"));
  }));
  // The newest three of each kind, newest first, so a burst of one kind cannot hide the others.
  const seen = {};
  const alerts = all.filter(a => (seen[a.kind] = (seen[a.kind] || 0) + 1) <= 3);
  if (!alerts.length) {
    ul.replaceChildren(h("li", { class: "empty" }, "No alerts yet. One appears when a call with an unknown number connects, a chat with a stranger runs over 5 minutes, or a complaint arrives."));
    return;
  }
  ul.replaceChildren(...alerts.map(a => {
    const [cls, word] = KIND[a.kind] || ["idle", a.kind || "alert"];
    const t = Date.parse(a.raised_at) || a.broker_ms;
    const who = a.customer_id || a.external_phone || a.external_id || a.customer_ref || (a.period ? a.period + " " + (a.currency || "") : "");
    return h("li", { class: "alert-row", "data-kind": a.kind || "" },
      h("div", { class: "top" }, h("span", { class: "badge " + cls }, word), h("span", { class: "sub", title: a.raised_at || "" }, t ? localTime(t) + " · " + ago(t) : "")),
      h("div", { class: "msg" }, a.message || ""),
      h("div", { class: "meta" }, [a.connector, a.source_system, who, a.staff_id ? "staff " + a.staff_id : "",
        a.ticket_id ? "ticket " + a.ticket_id : "", (a.tags || []).join(", ")].filter(Boolean).join(" · ")));
  }));
}

function renderRejections(dlq) {
  const all = Object.values(dlq).flat().sort((a, b) => Date.parse(b.failed_at) - Date.parse(a.failed_at)).slice(0, 6);
  const ul = document.getElementById("rejections");
  if (!all.length) { ul.replaceChildren(h("li", { class: "empty" }, "No rejected records.")); return; }
  ul.replaceChildren(...all.map(d => {
    const t = Date.parse(d.failed_at);
    return h("li", { class: "dlq-row" },
      h("div", { class: "top" }, h("span", {}, h("b", {}, d.connector), " ", h("span", { class: "code bad" }, d.code + (d.field ? " · " + d.field : ""))),
        h("span", { class: "sub" }, localTime(t) + " · " + ago(t))),
      h("div", { class: "msg" }, d.message),
      h("div", { class: "meta" }, "stage " + d.stage + (d.rule ? " · rule " + d.rule : "") + " · " + d.dlq));
  }));
}

function renderSummary(list, health) {
  const el = document.getElementById("summary");
  const down = list.filter(c => c.state !== "running" || c.breaker === "open");
  const shaky = list.filter(c => c.breaker === "half_open" || (health[c.name] && health[c.name].success_rate < 0.8));
  if (!list.length) { el.className = "summary idle"; el.textContent = "no connectors"; }
  else if (down.length) { el.className = "summary bad"; el.textContent = down.map(c => c.name).join(", ") + " not delivering"; }
  else if (shaky.length) { el.className = "summary warn"; el.textContent = shaky.map(c => c.name).join(", ") + " need a look"; }
  else { el.className = "summary ok"; el.textContent = "all " + list.length + " connectors running"; }
}

// Personal data comes masked unless this page was opened with ?unmasked=1 (the API then asks
// for the admin token, which the browser's login prompt supplies as the password).
const UNMASKED = new URLSearchParams(location.search).get("unmasked") === "1" ? "unmasked=1&" : "";

\#(StatusPageAssignment.script)
async function refresh() {
  refreshAssignment();
  try {
    const [connectors, channels, percentiles, alerts] = await Promise.all([
      getJSON("/api/v1/connectors"), getJSON("/api/v1/channels/health?window=24h"),
      optional("/api/v1/latency/percentiles", { connectors: [] }), optional("/api/v1/alerts?" + UNMASKED + "limit=100", { alerts: [] }),
    ]);
    const list = connectors.connectors;
    const names = list.map(c => c.name);
    const per = async (path, key) => Object.fromEntries(await Promise.all(names.map(async n =>
      [n, (await optional(path + "connector=" + encodeURIComponent(n), { [key]: [] }))[key]])));
    const [samples, dlq] = await Promise.all([per("/api/v1/latency/samples?limit=5&", "samples"), per("/api/v1/dlq?" + UNMASKED + "limit=3&", "dead_letters")]);
    const health = Object.fromEntries(channels.channels.map(c => [c.connector, c]));
    const pct = Object.fromEntries(percentiles.connectors.map(p => [p.connector, p]));
    renderSummary(list, health);
    renderConnectors(list, health, pct, dlq);
    renderDelayed(list, samples, health);
    renderAlerts(alerts.alerts);
    renderRejections(dlq);
    lastOk = Date.now();
    document.body.dataset.live = "true";
    document.body.classList.remove("stale");
  } catch (e) {
    document.body.classList.add("stale");
  }
  document.getElementById("updated").textContent = lastOk
    ? "updated " + localTime(lastOk) + " · refreshes every 2 s" : "the hub is not answering yet…";
}
refresh();
setInterval(refresh, REFRESH_MS);
</script>
</body>
</html>
"""#
}
