/* auditor's HTML pages: the helpers report.js (audit -f html) and diff.js (diff -f html) share, inlined
 * by auditor/report/html.py as its own block before the page's script; the CSP names both blocks' hashes.
 * Our own code, no library. Every string is inserted with textContent, never innerHTML. */
var auditorUI = (function () {
  "use strict";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function isUnknown(v) { return v !== null && typeof v === "object" && !Array.isArray(v) && "unknown" in v; }
  /* A JSON value as text: "–" for none, "unknown (reason)" for an unknown fact, other objects as JSON. */
  function show(v) {
    if (v === null || v === undefined || v === "") { return "–"; }
    if (isUnknown(v)) { return "unknown (" + v.unknown + ")"; }
    if (typeof v === "object") { return JSON.stringify(v); }
    return String(v);
  }
  /* A table under *parent*: a header row of *head*, a row per item of *items* (cells: text, or an element). */
  function table(parent, head, items) {
    var t = add(parent, el("table")), hr = add(add(t, el("thead")), el("tr")), tb = add(t, el("tbody"));
    head.forEach(function (h) { add(hr, el("th", "", h)); });
    items.forEach(function (cells) {
      var tr = add(tb, el("tr"));
      cells.forEach(function (c) { if (c instanceof Node) { add(add(tr, el("td")), c); } else { add(tr, el("td", "", c)); } });
    });
    return t;
  }
  /* What stands where there is nothing to list. */
  function none(parent, text) { add(parent, el("p", "muted", text)); }
  /* A table row that runs *action* when clicked or on Enter (reachable with Tab). */
  function activate(tr, action) {
    tr.tabIndex = 0;
    tr.addEventListener("click", action);
    tr.addEventListener("keydown", function (e) { if (e.key === "Enter") { action(); } });
  }
  /* Header buttons that sort by their th's data-key: *sort* is {key, dir} (dir 1 ascending, -1 descending);
   * a new key starts descending for data-type="num", ascending otherwise; the same key again turns round. */
  function sortable(ths, sort, refresh) {
    Array.prototype.forEach.call(ths, function (th) {
      th.querySelector("button").addEventListener("click", function () {
        var key = th.dataset.key;
        if (key === sort.key) { sort.dir = -sort.dir; } else { sort.key = key; sort.dir = th.dataset.type === "num" ? -1 : 1; }
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
        refresh();
      });
    });
  }
  /* Text order for sorting: digit runs compare as numbers ("2.9" before "2.10", "pkg2" before "pkg10"),
   * in one fixed locale so every browser orders alike. */
  var collator = new Intl.Collator("en", { numeric: true });
  function textOrder(x, y) { return collator.compare(x, y); }
  /* The detail panel: hidden by its #close-detail button and by Escape. */
  function closable(detail) {
    document.getElementById("close-detail").addEventListener("click", function () { detail.hidden = true; });
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") { detail.hidden = true; } });
  }

  return { el: el, add: add, clear: clear, isUnknown: isUnknown, show: show, table: table, none: none,
    activate: activate, sortable: sortable, textOrder: textOrder, closable: closable };
}());
