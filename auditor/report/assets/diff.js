/* auditor diff HTML report (auditor/report/diff_html.py): the `diff -f json` document, browsable.
 * Our own code, no library; helpers shared with report.js in common.js. Every string is inserted with
 * textContent, never innerHTML; the page's CSP allows these scripts and the inline style only, and no network access. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("auditor-data").textContent);
  var ui = window.auditorUI, el = ui.el, add = ui.add, clear = ui.clear, table = ui.table, none = ui.none;

  /* As common.js's show, with a list as its items' text ("none" when empty). */
  function show(v) { return Array.isArray(v) ? (v.length ? v.map(show).join(", ") : "none") : ui.show(v); }

  /* ---- header ---- */
  var title = "auditor diff: " + D.base + " \u2192 " + D.head;
  document.title = title;
  document.getElementById("title").textContent = title;
  var badges = document.getElementById("badges");
  var verdict = D.verdict === null ? "no policy" : D.verdict;
  add(badges, el("li", "badge" + (D.verdict === "fail" ? " sev-high" : (D.verdict === "incomplete" ? " incomplete" : "")),
    "verdict: " + verdict + (D.exit_code === null ? "" : " (exit code " + D.exit_code + ")")));
  add(badges, el("li", "badge", D.changes.length + " change(s)"));
  if (D.unknowns.length) { add(badges, el("li", "badge incomplete", D.unknowns.length + " fact(s) could not be collected")); }
  document.getElementById("footer").textContent = "Reference time " + D.reference_time + " · auditor " + D.tool.version +
    " · a self-contained page: it loads nothing from the network.";

  /* ---- totals ---- */
  var b = D.totals.before, a = D.totals.after;
  table(document.getElementById("totals"), ["", "Before", "After"], [
    ["packages", show(b.packages), show(a.packages)], ["repositories", show(b.repositories), show(a.repositories)],
    ["publishers", b.publishers, a.publishers], ["people", show(b.people), show(a.people)]]);

  /* ---- policy ---- */
  var pol = document.getElementById("policy");
  if (D.policy === null) { none(pol, "no policy given (--policy)"); } else {
    add(pol, el("p", "muted", "Policy: " + show(D.policy.source)));
    if (D.policy.violations.length) {
      table(pol, ["Rule", "Package", "Message", "Where", "Waived"], D.policy.violations.map(function (v) {
        return [v.rule, show(v.package), v.message, v.file ? v.file + (v.line ? ":" + v.line : "") : "–",
          v.waived ? v.waived.reason + " (until " + v.waived.expires + ")" : "no"];
      }));
    } else { none(pol, "no violations"); }
    if (D.policy.undecided.length) {
      add(pol, el("h3", "", "Undecided (facts missing)"));
      table(pol, ["Rule", "Package", "Reason"], D.policy.undecided.map(function (u) { return [u.rule, show(u.package), u.reason]; }));
    }
    D.policy.notes.forEach(function (n) { add(pol, el("p", "muted", n)); });
  }

  /* ---- changes table ---- */
  var deltas = {};
  D.packages.forEach(function (p) { deltas[p.name] = p; });
  var rows = D.changes.map(function (c) {
    var d = deltas[c.name];
    var m = d ? d.maintainers : null;
    return {
      name: c.name, kind: c.kind, before: c.before || "", after: c.after || "",
      maintainers: d ? (Array.isArray(m) ? m.length : show(m)) : "",
      added: d ? (Array.isArray(d.maintainers_added) ? d.maintainers_added.length : show(d.maintainers_added)) : "",
      vulns: d ? (Array.isArray(d.vulnerabilities_added) ? d.vulnerabilities_added.length : show(d.vulnerabilities_added)) : "",
      repository: d ? show(d.repository) + " (" + d.confidence + ")" : "",
      delta: d
    };
  });
  var tbody = document.querySelector("#changes tbody");
  var keys = ["name", "kind", "before", "after", "maintainers", "added", "vulns", "repository"];
  var trs = rows.map(function (r, i) {
    var tr = el("tr");
    ui.activate(tr, function () { open(i); });
    keys.forEach(function (k) { add(tr, el("td", typeof r[k] === "number" ? "num" : "", r[k])); });
    return tr;
  });
  var sort = { key: "name", dir: 1 };
  function refresh() {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    var order = rows.map(function (_, i) { return i; }).sort(function (i, j) {
      var x = rows[i][sort.key], y = rows[j][sort.key];
      if (typeof x === "number" && typeof y === "number") { if (x !== y) { return (x - y) * sort.dir; } }
      else if (String(x) !== String(y)) { return ui.textOrder(String(x), String(y)) * sort.dir; }
      return i - j;
    });
    clear(tbody);
    var n = 0;
    order.forEach(function (i) {
      var r = rows[i];
      if (q && (r.name + " " + r.kind + " " + r.before + " " + r.after).toLowerCase().indexOf(q) < 0) { return; }
      tbody.appendChild(trs[i]);
      n += 1;
    });
    document.getElementById("shown").textContent = n + " of " + rows.length + " changes shown";
  }
  ui.sortable(document.querySelectorAll("#changes th"), sort, refresh);  /* no data-type: every key starts ascending */
  document.getElementById("filter").addEventListener("input", refresh);
  refresh();

  /* ---- detail ---- */
  var detail = document.getElementById("detail"), body = document.getElementById("detail-body");
  function open(i) {
    var r = rows[i], d = r.delta;
    clear(body);
    add(body, el("h2", "", r.name + ": " + r.kind + " " + (r.before || "–") + " \u2192 " + (r.after || "–")));
    if (!d) { none(body, "no exposure delta (a removed package)"); } else {
      table(body, ["Fact", "Value"], Object.keys(d).filter(function (k) { return k !== "vulnerabilities_added"; })
        .map(function (k) { return [k, show(d[k])]; }));
      add(body, el("h3", "", "New advisories"));
      if (Array.isArray(d.vulnerabilities_added) && d.vulnerabilities_added.length) {
        table(body, ["Id", "Severity", "Summary"], d.vulnerabilities_added.map(function (v) { return [v.id, show(v.severity), show(v.summary)]; }));
      } else { none(body, show(d.vulnerabilities_added)); }
    }
    var mine = D.unknowns.filter(function (u) { return u.package === r.name; });
    add(body, el("h3", "", "Unknown (" + mine.length + ")"));
    if (mine.length) { table(body, ["Fact", "Reason"], mine.map(function (u) { return [u.what, u.reason]; })); }
    detail.hidden = false;
  }
  ui.closable(detail);

  /* ---- edges, unknowns ---- */
  var edges = document.getElementById("edges");
  var list = D.edges_added.map(function (e) { return ["added", e.source, e.target, e.requirement, show(e.marker)]; })
    .concat(D.edges_removed.map(function (e) { return ["removed", e.source, e.target, e.requirement, show(e.marker)]; }));
  if (list.length) { table(edges, ["", "Requiring", "Required", "Requirement", "Marker"], list); } else { none(edges, "none"); }
  var unk = document.getElementById("unknowns");
  if (D.unknowns.length) {
    table(unk, ["Package", "Fact", "Reason"], D.unknowns.map(function (u) { return [show(u.package), u.what, u.reason]; }));
  } else { none(unk, "none"); }
}());
