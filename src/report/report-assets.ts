// The report's stylesheet and script, inlined into the page (a mail attachment can fetch
// nothing). The script only moves and hides existing rows and reads their text: it never
// builds markup from data, so sorting and searching cannot turn escaped text back into HTML.
// Without script (many mail readers) the page is the same, unsorted and unsearchable.

export const REPORT_CSS = `
:root{--fg:#1d232b;--muted:#5c6773;--line:#d8dee5;--bg:#fff;--panel:#f5f7f9;--good:#1f7a3d;--warn:#a56200;--bad:#b3261e;--info:#3b5b85}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1240px;margin:0 auto;padding:20px 20px 48px}
h1{font-size:1.5rem;margin:0 0 4px}
h2{font-size:1.15rem;margin:32px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}
p.meta,p.empty,.note{color:var(--muted);margin:4px 0}
code,.line{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.85rem}
.glance{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:20px}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.panel h3{font-size:1rem;margin:0 0 8px}
svg.chart{max-width:100%;height:auto;font-size:14px;fill:var(--fg)}
svg.chart rect{fill:var(--info)}
svg.chart .tone-good rect{fill:var(--good)}svg.chart .tone-warn rect{fill:var(--warn)}svg.chart .tone-bad rect{fill:var(--bad)}svg.chart .tone-muted rect{fill:#9aa5b1}
svg.chart text.count{fill:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0 10px}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:.85rem;font-weight:600;background:#e8edf2;white-space:nowrap}
.tone-good.pill,.pill.tone-good{background:#e2f3e8;color:var(--good)}.pill.tone-warn{background:#fbefdc;color:var(--warn)}.pill.tone-bad{background:#fbe4e2;color:var(--bad)}.pill.tone-muted{color:var(--muted)}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--panel);font-weight:600;white-space:nowrap}
th button{all:unset;cursor:pointer}
th button:focus-visible{outline:2px solid var(--info)}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
td.domain{font-weight:600;min-width:12em;overflow-wrap:anywhere}
td.policy{min-width:13em}
td.reasons{min-width:18em;overflow-wrap:anywhere}
code.line{white-space:pre-wrap;overflow-wrap:anywhere}
.noline{color:var(--muted);font-style:italic}
td ul{margin:0;padding-left:18px}
td .warning{color:var(--warn)}
tr.sev-regression td:first-child{border-left:4px solid var(--bad)}tr.sev-warning td:first-child{border-left:4px solid var(--warn)}tr.sev-info td:first-child{border-left:4px solid #9aa5b1}
details summary{cursor:pointer;color:var(--info)}
.hosts{margin:6px 0 0;padding-left:0;list-style:none}
.hosts li{margin:4px 0}
.filter{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:8px 0}
.filter input{font:inherit;padding:6px 10px;border:1px solid var(--line);border-radius:6px;min-width:260px;flex:1;max-width:420px}
.scroll{overflow-x:auto}
@media (max-width:720px){
  main{padding:14px 12px 40px}
  .glance{grid-template-columns:1fr}
  table.cards thead{display:none}
  table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}
  table.cards tr{border:1px solid var(--line);border-radius:8px;margin:0 0 10px;padding:4px 0}
  table.cards td{border:0;padding:3px 10px;min-width:0}
  table.cards td::before{content:attr(data-label);display:inline-block;min-width:7.5em;font-size:.75rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
  table.cards td.domain{font-size:1.05rem}
  table.cards td.domain::before{display:none}
  table.cards td.reasons::before{display:block}
  tr.sev-regression,tr.sev-warning,tr.sev-info{border-left-width:4px}
}
`;

export const REPORT_SCRIPT = `
(function () {
  var table = document.getElementById('domains');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var input = document.getElementById('filter');
  var shown = document.getElementById('shown');
  input.addEventListener('input', function () {
    var q = input.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (row) {
      var hit = q === '' || row.textContent.toLowerCase().indexOf(q) >= 0;
      row.hidden = !hit;
      if (hit) n++;
    });
    shown.textContent = String(n);
  });
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  heads.forEach(function (th, i) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
      var numeric = th.getAttribute('data-type') === 'number';
      var key = function (row) { var cell = row.cells[i]; var v = cell.getAttribute('data-sort'); return v === null ? cell.textContent : v; };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return c * dir;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
})();
`;
