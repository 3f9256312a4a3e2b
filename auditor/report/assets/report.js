/* auditor HTML report (auditor/report/html.py). Our own code, no library; helpers shared with diff.js in common.js.
 * Every string from the audit is inserted with textContent or canvas fillText, never innerHTML;
 * the page's CSP allows these scripts and the inline style only, and no network access. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("auditor-data").textContent);
  var ui = window.auditorUI, el = ui.el, add = ui.add, clear = ui.clear, show = ui.show, table = ui.table, none = ui.none;
  var P = D.packages;
  var byId = {};
  P.forEach(function (p, i) { byId[p.id] = i; });

  function fmt(x) { return x === null ? "unknown" : (Math.round(x * 10) / 10).toFixed(1); }
  var SEV = ["critical", "high", "medium", "low", "info"];

  /* ---- header ---- */
  document.title = D.title;
  document.getElementById("title").textContent = D.title;
  document.getElementById("summary").textContent = D.summary;
  var notes = [D.interpreter || D.people_reach];  /* the interpreter's line includes the people-reach note */
  if (D.hub) { notes.push(D.hub); }
  document.getElementById("notes").textContent = notes.join(" · ");
  var badges = document.getElementById("badges");
  SEV.forEach(function (s) {
    if (D.severities[s]) { add(badges, el("li", "badge sev-" + s, D.severities[s] + " " + s)); }
  });
  if (!SEV.some(function (s) { return D.severities[s]; })) { add(badges, el("li", "badge", "no findings")); }
  add(badges, el("li", D.complete ? "badge" : "badge incomplete",
    D.complete ? "complete: every fact collected" : "incomplete: " + D.missing_count + " fact(s) could not be collected"));
  document.getElementById("footer").textContent = "Generated " + D.generated_at +
    " by auditor · input " + D.input.name + " (" + D.input.kind + "; resolver: " + D.input.resolver +
    ") · a self-contained page: it loads nothing from the network.";

  /* ---- views ---- */
  var tabs = document.querySelectorAll("#tabs button");
  function view(name) {
    Array.prototype.forEach.call(tabs, function (b) { b.setAttribute("aria-pressed", String(b.dataset.view === name)); });
    ["packages", "graph", "run"].forEach(function (v) { document.getElementById("view-" + v).hidden = v !== name; });
    if (name === "graph") { graph.resize(); if (!graph.fitted) { graph.fit(); } graph.draw(); }
  }
  Array.prototype.forEach.call(tabs, function (b) { b.addEventListener("click", function () { view(b.dataset.view); }); });

  /* ---- package table ---- */
  function rowOf(p) {
    var r = p.record;
    var cov = String(r.score.coverage).split("/");
    var maint = Array.isArray(r.maintainers) ? r.maintainers.length : null;
    var contrib = typeof r.contributors === "number" ? r.contributors : null;
    var worst = p.findings.length ? p.findings[0].severity : null;
    return {
      exposure: p.exposure, name: r.name, version: r.version || "",
      coverage: Number(cov[1]) ? Number(cov[0]) / Number(cov[1]) : null, coverageText: r.score.coverage,
      maintainers: maint,
      maintainersText: maint !== null ? String(maint) : (r.organization ? "org " + r.organization : "unknown"),
      contributors: contrib, contributorsText: contrib !== null ? String(contrib) : "unknown",
      contributorsWhy: contrib !== null ? "" : show(r.contributors),
      dependents: r.dependents, findings: p.findings.length, worst: worst, unknowns: p.unknowns.length,
      repository: (r.repository.url || r.repository.note || "") + " (" + r.repository.confidence + ")",
      search: [r.name, r.version, r.repository.url, r.repository.note].concat(
        p.findings.map(function (f) { return f.id; })).join(" ").toLowerCase()
    };
  }
  var rows = P.map(rowOf);
  var tbody = document.querySelector("#packages tbody");
  var trs = rows.map(function (row, i) {
    var tr = el("tr");
    ui.activate(tr, function () { open(i); });
    tr.dataset.index = String(i);
    add(tr, el("td", "num", fmt(row.exposure)));
    add(tr, el("td", "", row.name));
    add(tr, el("td", "", row.version));
    add(tr, el("td", "num", row.coverageText));
    add(tr, el("td", "num" + (row.maintainers === null ? " unknown" : ""), row.maintainersText));
    add(tr, el("td", "num" + (row.contributors === null ? " unknown" : ""), row.contributorsText)).title = row.contributorsWhy;
    add(tr, el("td", "num", row.dependents));
    var f = add(tr, el("td", "num"));
    if (row.findings) { add(f, el("span", "sev sev-" + row.worst, row.findings)); } else { f.textContent = "0"; }
    add(tr, el("td", "num", row.unknowns));
    add(tr, el("td", "wrap", row.repository));
    return tr;
  });
  var sort = { key: "exposure", dir: -1 };
  function compare(a, b) {
    var x = rows[a][sort.key], y = rows[b][sort.key];
    if (x === null || y === null) {
      if (x !== y) { return x === null ? 1 : -1; }  /* unknown last, either direction */
    } else if (x !== y) {
      return (typeof x === "string" ? ui.textOrder(x, y) : (x < y ? -1 : 1)) * sort.dir;
    }
    return rows[a].name < rows[b].name ? -1 : (rows[a].name > rows[b].name ? 1 : a - b);
  }
  function refresh() {
    var q = document.getElementById("filter").value.trim().toLowerCase();
    var only = document.getElementById("only-findings").checked;
    var order = rows.map(function (_, i) { return i; }).sort(compare);
    clear(tbody);
    var n = 0;
    order.forEach(function (i) {
      if ((q && rows[i].search.indexOf(q) < 0) || (only && !rows[i].findings)) { return; }
      tbody.appendChild(trs[i]);
      n += 1;
    });
    document.getElementById("shown").textContent = n + " of " + rows.length + " packages shown";
  }
  ui.sortable(document.querySelectorAll("#packages th"), sort, refresh);
  document.getElementById("filter").addEventListener("input", refresh);
  document.getElementById("only-findings").addEventListener("change", refresh);
  refresh();

  /* ---- detail view ---- */
  var detail = document.getElementById("detail"), body = document.getElementById("detail-body");
  function pkgLink(id) {
    var i = byId[id];
    if (i === undefined) { return el("span", "", id); }
    var b = el("button", "link", P[i].record.name + " " + (P[i].record.version || ""));
    b.type = "button";
    b.addEventListener("click", function () { open(i); });
    return b;
  }
  function links(parent, ids, empty) {
    if (!ids.length) { none(parent, empty); return; }
    var ul = add(parent, el("ul", "plain"));
    ids.forEach(function (id) { add(add(ul, el("li")), pkgLink(id)); });
  }
  function open(i) {
    var p = P[i], r = p.record, s = r.score;
    clear(body);
    add(body, el("h2", "", r.name + " " + (r.version || "")));
    add(body, el("p", "", "Exposure " + (p.exposure === null ? "unknown (" + p.exposure_unknown + ")" : fmt(p.exposure) + " / 100") +
      " · coverage " + s.coverage + " (factors known / factors that apply) · " +
      (r.direct ? "direct" : "transitive") + " " + r.kind + " · " + r.dependents + " dependent(s)"));
    add(body, el("h3", "", "Factors"));
    table(body, ["Factor", "Value", "Points", "Weight", "Why"], s.factors.map(function (f) {
      return [f.name, show(f.value), String(f.points), String(f.weight), f.detail || ""];
    }));
    add(body, el("p", "muted", "total = 100 × Σ points / Σ weight of the applicable factors; an unknown factor adds part of its weight (docs/scoring.md)."));
    add(body, el("h3", "", "Repository"));
    var repo = r.repository;
    table(body, ["", ""], [["URL", repo.url || "none"], ["subdirectory", show(repo.subpath) + (repo.subdirectory_state ? " (" + repo.subdirectory_state + ")" : "")],
      ["confidence", repo.confidence + (repo.rule ? " (rule " + repo.rule + ")" : "")], ["evidence", repo.evidence || "–"],
      ["note", repo.note || "–"]].concat(repo.candidates.map(function (c) { return ["candidate", c.url + " (" + c.evidence + ")"]; })));
    add(body, el("h3", "", "People"));
    if (Array.isArray(r.maintainers)) {
      if (r.maintainers.length) {
        table(body, ["PyPI account", "Role"], r.maintainers.map(function (m) { return [m.username, m.role]; }));
      } else { none(body, "no PyPI account listed"); }
    } else { add(body, el("p", "unknown", "PyPI accounts: " + show(r.maintainers))); }
    add(body, el("p", "", "Organization: " + show(r.organization) + " · contributors (git history): " + show(r.contributors)));
    if (Array.isArray(r.contacts) && r.contacts.length) {
      table(body, ["Contact", "Role", "Source"], r.contacts.map(function (c) { return [show(c.name || c.email), show(c.role), show(c.source)]; }));
    }
    var via = p.required_by.length + (r.direct ? 1 : 0);
    add(body, el("h3", "", "Paths from the root" + (p.paths.length < via ? " (through " + p.paths.length + " of its " + via + " dependents)" : "")));
    if (p.paths.length) {
      var ol = add(body, el("ol", "path"));
      p.paths.forEach(function (path) { add(ol, el("li", "", path.join(" \u2192 "))); });
    } else { none(body, "not reached from the root through requirements"); }
    add(body, el("h3", "", "Required by"));
    links(body, p.required_by, "the root only");
    add(body, el("h3", "", "Requires"));
    links(body, p.requires, "nothing");
    add(body, el("h3", "", "Findings (" + p.findings.length + ")"));
    if (p.findings.length) {
      table(body, ["Id", "Severity", "Rule", "Message", "Evidence"], p.findings.map(function (f) {
        return [f.id, el("span", "sev sev-" + f.severity, f.severity), f.title, f.message, f.evidence || "–"];
      }));
    } else { none(body, "none"); }
    add(body, el("h3", "", "Unknown (" + p.unknowns.length + ")"));
    if (p.unknowns.length) {
      table(body, ["Fact", "Kind", "Reason"], p.unknowns.map(function (u) { return [u.what, u.kind, u.reason]; }));
    } else { none(body, "none"); }
    var det = add(body, el("details"));
    add(det, el("summary", "", "Every collected fact (the JSON report's record)"));
    add(det, el("pre", "", JSON.stringify(r, null, 2)));
    detail.hidden = false;
    detail.scrollTop = 0;
    trs.forEach(function (tr) { tr.classList.remove("selected"); });
    trs[i].classList.add("selected");
    graph.select(p.id);
  }
  ui.closable(detail);

  /* ---- run-level findings and gaps ---- */
  var rf = document.getElementById("run-findings"), rm = document.getElementById("run-missing");
  if (D.run_findings.length) {
    table(rf, ["Id", "Severity", "Rule", "Message"], D.run_findings.map(function (f) { return [f.id, f.severity, f.title, f.message]; }));
  } else { none(rf, "none"); }
  if (D.run_missing.length) {
    table(rm, ["Fact", "Kind", "Reason"], D.run_missing.map(function (m) { return [m.what, m.kind, m.reason]; }));
  } else { none(rm, "none"); }

  /* ---- graph (layout precomputed by auditor/report/html.py) ---- */
  var graph = (function () {
    var canvas = document.getElementById("graph"), ctx = canvas.getContext("2d");
    var N = D.graph.nodes, E = D.graph.edges;
    var out = N.map(function () { return []; }), inn = N.map(function () { return []; });
    E.forEach(function (e) { out[e[0]].push(e[1]); inn[e[1]].push(e[0]); });
    var index = {};
    N.forEach(function (n, i) { index[n.id] = i; });
    var st = { scale: 1, tx: 0, ty: 0, sel: -1, hover: -1, found: {}, fitted: false, w: 0, h: 0 };
    function colour(n) {
      var i = byId[n.id];
      if (n.kind === "root") { return "#0969da"; }
      if (i === undefined || P[i].exposure === null) { return "#8c959f"; }
      var hue = Math.round(120 - 1.2 * Math.max(0, Math.min(100, P[i].exposure)));
      return "hsl(" + hue + ",70%,42%)";
    }
    function resize() {
      var r = canvas.getBoundingClientRect(), dpr = window.devicePixelRatio || 1;
      st.w = Math.max(1, r.width); st.h = Math.max(1, r.height);
      canvas.width = Math.round(st.w * dpr); canvas.height = Math.round(st.h * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    }
    function fit() {
      if (!N.length) { return; }
      var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
      N.forEach(function (n) { x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x); y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y); });
      var pad = 40, sx = (st.w - 2 * pad - 120) / Math.max(1, x1 - x0), sy = (st.h - 2 * pad) / Math.max(1, y1 - y0);
      st.scale = Math.max(0.05, Math.min(1.5, sx, sy));
      st.tx = pad - x0 * st.scale + Math.max(0, (st.w - 2 * pad - 120 - (x1 - x0) * st.scale) / 2);
      st.ty = st.h / 2 - (y0 + y1) / 2 * st.scale;
      st.fitted = true;
    }
    function sx(n) { return n.x * st.scale + st.tx; }
    function sy(n) { return n.y * st.scale + st.ty; }
    function near(i) { return st.sel >= 0 && (i === st.sel || out[st.sel].indexOf(i) >= 0 || inn[st.sel].indexOf(i) >= 0); }
    function draw() {
      ctx.clearRect(0, 0, st.w, st.h);
      ctx.lineWidth = 1;
      ctx.strokeStyle = st.sel >= 0 ? "rgba(140,149,159,0.18)" : "rgba(140,149,159,0.45)";
      ctx.beginPath();
      E.forEach(function (e) { var a = N[e[0]], b = N[e[1]]; ctx.moveTo(sx(a), sy(a)); ctx.lineTo(sx(b), sy(b)); });
      ctx.stroke();
      if (st.sel >= 0) {
        ctx.lineWidth = 2;
        ctx.strokeStyle = "rgba(9,105,218,0.9)";
        ctx.beginPath();
        E.forEach(function (e) {
          if (e[0] === st.sel || e[1] === st.sel) { var a = N[e[0]], b = N[e[1]]; ctx.moveTo(sx(a), sy(a)); ctx.lineTo(sx(b), sy(b)); }
        });
        ctx.stroke();
      }
      var r = Math.max(2, Math.min(7, 6 * st.scale));
      var labels = st.scale >= 0.45;
      ctx.font = "12px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      N.forEach(function (n, i) {
        var x = sx(n), y = sy(n);
        if (x < -200 || y < -20 || x > st.w + 20 || y > st.h + 20) { return; }
        ctx.fillStyle = colour(n);
        ctx.beginPath();
        ctx.arc(x, y, i === st.sel ? r + 3 : r, 0, 2 * Math.PI);
        ctx.fill();
        if (st.found[i] || i === st.hover) { ctx.lineWidth = 2; ctx.strokeStyle = "#1b1f23"; ctx.stroke(); }
        if (labels || near(i) || st.found[i] || i === st.hover) {
          ctx.fillStyle = st.sel >= 0 && !near(i) ? "rgba(27,31,35,0.35)" : "#1b1f23";
          ctx.fillText(n.label, x + r + 3, y);
        }
      });
    }
    function at(mx, my) {
      var best = -1, bd = 100;
      N.forEach(function (n, i) { var dx = sx(n) - mx, dy = sy(n) - my, d = dx * dx + dy * dy; if (d < bd) { bd = d; best = i; } });
      return best;
    }
    var drag = null;
    canvas.addEventListener("mousedown", function (e) { drag = { x: e.clientX, y: e.clientY, moved: false }; });
    window.addEventListener("mouseup", function (e) {
      if (drag && !drag.moved) {
        var b = canvas.getBoundingClientRect(), i = at(e.clientX - b.left, e.clientY - b.top);
        if (i >= 0) { var k = byId[N[i].id]; if (k !== undefined) { open(k); } else { st.sel = i; draw(); } }
      }
      drag = null;
    });
    canvas.addEventListener("mousemove", function (e) {
      var b = canvas.getBoundingClientRect();
      if (drag) {
        var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 2) { drag.moved = true; }
        st.tx += dx; st.ty += dy; drag.x = e.clientX; drag.y = e.clientY; draw();
        return;
      }
      var i = at(e.clientX - b.left, e.clientY - b.top);
      if (i !== st.hover) {
        st.hover = i;
        document.getElementById("graph-hover").textContent = i >= 0 ? N[i].label + " (" + N[i].kind + "; " +
          inn[i].length + " in, " + out[i].length + " out)" : "";
        draw();
      }
    });
    canvas.addEventListener("wheel", function (e) {
      e.preventDefault();
      var b = canvas.getBoundingClientRect(), mx = e.clientX - b.left, my = e.clientY - b.top;
      var f = Math.exp(-e.deltaY * 0.0015), s = Math.max(0.02, Math.min(6, st.scale * f));
      st.tx = mx - (mx - st.tx) * s / st.scale; st.ty = my - (my - st.ty) * s / st.scale; st.scale = s;
      draw();
    }, { passive: false });
    document.getElementById("fit").addEventListener("click", function () { fit(); draw(); });
    document.getElementById("graph-find").addEventListener("input", function (e) {
      var q = e.target.value.trim().toLowerCase(), first = -1;
      st.found = {};
      if (q) { N.forEach(function (n, i) { if (n.label.toLowerCase().indexOf(q) >= 0) { st.found[i] = true; if (first < 0) { first = i; } } }); }
      if (first >= 0) { st.tx = st.w / 2 - N[first].x * st.scale; st.ty = st.h / 2 - N[first].y * st.scale; }
      draw();
    });
    window.addEventListener("resize", function () { if (!document.getElementById("view-graph").hidden) { resize(); draw(); } });
    return {
      resize: resize, fit: fit, draw: draw,
      get fitted() { return st.fitted; },
      select: function (id) { st.sel = index[id] === undefined ? -1 : index[id]; if (st.w > 1) { draw(); } },
      size: function () { return { nodes: N.length, edges: E.length }; },
      /* where node *id* is drawn, in CSS pixels relative to the canvas (for tests) */
      position: function (id) { var n = N[index[id]]; return n ? { x: sx(n), y: sy(n) } : null; }
    };
  })();
  window.auditorGraph = graph;  /* for tests and the screenshot script */
}());
