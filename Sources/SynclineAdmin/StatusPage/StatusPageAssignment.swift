import SynclineMapping

/// The status page's lead-assignment card: read from the hub's own `/metrics` (the assignment
/// processor counts there and nowhere else), shown only when some connector assigns leads —
/// leads per deciding rule, pool intake, rules skipped by reason as a share of leads (over 5% in
/// the warning colour, as the alert), and the empty rates of the fields the rules read.
enum StatusPageAssignment {
    static let section = #"""
  <section id="assignment-box" hidden>
    <h2>Lead assignment <span class="hint">since the hub started · from /metrics · `syncline assign --explain` shows one lead's path</span></h2>
    <div class="cards" id="assignment"></div>
  </section>
"""#

    static let script = #"""
function metricSeries(text, name) {
  return text.split("\n").filter(l => l.startsWith(name + "{")).map(l => ({
    labels: Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map(m => [m[1], m[2]])),
    value: Number(l.slice(l.lastIndexOf(" ") + 1)) || 0,
  }));
}
async function refreshAssignment() {
  let text = "";
  try { const r = await fetch("/metrics", { cache: "no-store" }); if (r.ok) text = await r.text(); } catch (e) { return; }
  const box = document.getElementById("assignment-box");
  const decisions = metricSeries(text, "\#(MetricNames.assignmentDecisions)");
  const connectors = [...new Set(decisions.map(d => d.labels.connector))];
  box.hidden = !decisions.some(d => d.value > 0);
  if (box.hidden) return;
  const pct = (n, of) => of ? (100 * n / of).toFixed(1) + "%" : "—";
  const cards = connectors.map(c => {
    const mine = decisions.filter(d => d.labels.connector === c);
    const total = mine.reduce((s, d) => s + d.value, 0);
    const pool = metricSeries(text, "\#(MetricNames.assignmentPoolIntake)").filter(p => p.labels.connector === c);
    const skipped = metricSeries(text, "\#(MetricNames.assignmentRuleSkipped)").filter(s => s.labels.connector === c && s.value > 0);
    const seen = Object.fromEntries(metricSeries(text, "\#(MetricNames.fieldSeen)").filter(s => s.labels.connector === c).map(s => [s.labels.field, s.value]));
    const empty = metricSeries(text, "\#(MetricNames.fieldEmpty)").filter(s => s.labels.connector === c && seen[s.labels.field]);
    const rows = mine.sort((a, b) => b.value - a.value).map(d => h("tr", { class: "assignment-rule" },
      h("td", {}, d.labels.rule), h("td", { class: "num" }, count(d.value)), h("td", { class: "num" }, pct(d.value, total))));
    const skips = skipped.sort((a, b) => b.value - a.value).map(s => h("li", { class: "assignment-skip" },
      h("span", { class: "badge " + (s.value / total > 0.05 ? "warn" : "idle") }, pct(s.value, total)),
      " rule " + s.labels.rule + " skipped: " + s.labels.reason));
    return h("div", { class: "card" },
      h("div", { class: "sub" }, c + " · " + count(total) + " leads · pool intake " + pool.map(p => p.labels.pool + " " + count(p.value) + " (" + pct(p.value, total) + ")").join(", ")),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Rule"), h("th", { class: "num" }, "Leads"), h("th", { class: "num" }, "Share"))), h("tbody", {}, rows)),
      h("ul", { class: "feed" }, skips.length ? skips : [h("li", { class: "empty" }, "No rule skipped for a lead it could not serve.")]),
      h("div", { class: "meta" }, "empty fields the rules read: " + (empty.map(e => e.labels.field + " " + pct(e.value, seen[e.labels.field])).join(", ") || "none")));
  });
  document.getElementById("assignment").replaceChildren(...cards);
}
"""#
}
