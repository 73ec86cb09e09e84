"""Small server-rendered SVG charts: no JavaScript library, readable on an old office PC."""
from __future__ import annotations

from markupsafe import Markup, escape


def bars(rows: list[tuple[str, int | None, int, int]], title: str, width: int = 720) -> Markup:
    """Per indicator: actual (filled bar), last year at this date (thin bar) and the target (a mark)."""
    label_w, bar_h, gap = 230, 18, 16
    height = len(rows) * (bar_h * 2 + gap) + 20
    top = max([1] + [max(t or 0, a, l) for _n, t, a, l in rows])
    scale = (width - label_w - 70) / top
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">']
    y = 10
    for name, target, actual, last in rows:
        parts.append(f'<text x="0" y="{y + bar_h - 4}">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{max(1, actual * scale):.1f}" height="{bar_h}" fill="#b22222"></rect>')
        parts.append(f'<text x="{label_w + actual * scale + 6:.1f}" y="{y + bar_h - 4}">{actual}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + bar_h + 2}" width="{max(1, last * scale):.1f}" height="{bar_h / 2}" fill="#9aa5b1"></rect>')
        if target:
            x = label_w + target * scale
            parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + bar_h * 1.6}" stroke="#1f2933" stroke-width="3"></line>')
            parts.append(f'<text x="{x + 4:.1f}" y="{y + bar_h * 1.6}">{target}</text>')
        y += bar_h * 2 + gap
    parts.append("</svg>")
    return Markup("".join(parts))


def monthly(series: dict[str, dict[str, int]], title: str, names: dict[str, str], width: int = 720) -> Markup:
    """Money by month: one column group per month (claimed, approved, paid), in yuan; `names`
    gives each series its word for the tooltips."""
    months = sorted(series)
    if not months:
        return Markup("")
    height, bottom, left = 220, 190, 50
    top = max([1] + [max(v.values()) for v in series.values()])
    group = min((width - left - 10) / len(months), 90)
    colours = (("claimed", "#9aa5b1"), ("approved", "#f59e0b"), ("paid", "#2f7d32"))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
             f'<line x1="{left}" x2="{width}" y1="{bottom}" y2="{bottom}" stroke="#9aa5b1"></line>',
             f'<text x="0" y="14">{top / 100:.0f}</text>']
    for i, month in enumerate(months):
        x0 = left + i * group + 4
        for k, (key, colour) in enumerate(colours):
            value = series[month].get(key, 0)
            h = (bottom - 20) * value / top
            parts.append(f'<rect x="{x0 + k * (group - 8) / 3:.1f}" y="{bottom - h:.1f}" width="{(group - 8) / 3 - 2:.1f}" '
                         f'height="{h:.1f}" fill="{colour}"><title>{month} {escape(names.get(key, key))} {value / 100:.2f}</title></rect>')
        parts.append(f'<text x="{x0:.1f}" y="{bottom + 16}">{escape(month[2:])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
