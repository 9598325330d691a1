"""The batch's index page: one sortable table row per portfolio row, with its status, top methods and link."""

from __future__ import annotations

from collections.abc import Sequence

from .render import text
from .results import MANIFEST, RowResult

_HEADERS = ("Row", "Intervention", "Status", "Top methods", "Seconds", "Error")

# Sorting is a few lines of inline script so the page works offline; numbers sort as numbers.
_SORT_SCRIPT = """
document.querySelectorAll("th[data-column]").forEach(function (th) {
  th.addEventListener("click", function () {
    var table = th.closest("table"), body = table.tBodies[0], column = Number(th.dataset.column);
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var key = function (row) { return row.cells[column].dataset.sort || row.cells[column].textContent.trim(); };
    Array.from(body.rows).sort(function (a, b) {
      var x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? order : -order;
    }).forEach(function (row) { body.appendChild(row); });
  });
});
"""

_STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #212B32; margin: 24px; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #D8DDE0; padding: 4px 8px;
  text-align: left; vertical-align: top; } th { background: #F0F4F5; cursor: pointer; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
.status-failed, .status-invalid { color: #8A1538; font-weight: bold; } .error { font-size: 0.9em; }
"""


def index_html(title: str, results: Sequence[RowResult]) -> str:
    """The index page of a batch; every value a user typed is escaped."""
    rows = []
    for result in results:
        name = text(result.name)
        if result.output and result.status.has_report:
            name = f'<a href="{text(result.output)}">{name}</a>'
        cells = (
            f'<td data-sort="{result.row}">{result.row}</td>',
            f"<td>{name}</td>",
            f'<td class="status-{text(result.status)}">{text(result.status)}</td>',
            f"<td>{text('; '.join(result.top_methods))}</td>",
            f"<td>{result.seconds:.2f}</td>",
            f'<td class="error">{text(result.error)}</td>',
        )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    failed = sum(result.status.failed for result in results)
    head = "".join(f'<th data-column="{i}">{text(header)}</th>' for i, header in enumerate(_HEADERS))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{text(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{text(title)}</h1>\n<p>{len(results)} interventions, {failed} failed. "
        f'Click a column heading to sort. Details of every row: <a href="{MANIFEST}">{MANIFEST}</a>.</p>\n'
        f'<table id="reports"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(rows)
        + f"\n</tbody></table>\n<script>{_SORT_SCRIPT}</script>\n</body>\n</html>\n"
    )
