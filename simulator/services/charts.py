"""The debrief's charts as SVG, drawn on the server for the printable report and the PDF.

WeasyPrint runs no JavaScript, so the report cannot use Chart.js: these pure functions turn
the debrief's data into SVG strings. Labels come in already translated; every piece of text
is XML-escaped (team names are user text). Same data, same bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any
from xml.sax.saxutils import escape

FONT = "DejaVu Sans, Verdana, sans-serif"
BLUE, RED, GREEN, ORANGE, GREY = "#1d4f9c", "#c0281b", "#1e7b34", "#a35c00", "#6b7280"
PALETTE = (
    "#1d4f9c",
    "#c0281b",
    "#1e7b34",
    "#a35c00",
    "#6b3fa0",
    "#0f766e",
    "#9d174d",
    "#4a5260",
    "#5f7d0b",
    "#7a0a0a",
    "#0369a1",
    "#b45309",
)
# a team named after a colour is drawn in it, in French or English ("Rouge", "Blue team")
NAMED = {
    "#c0281b": ("rouge", "rouges", "red"),
    "#1d4f9c": ("bleu", "bleue", "bleus", "bleues", "blue"),
    "#1e7b34": ("vert", "verte", "verts", "vertes", "green"),
    "#c2620a": ("orange", "oranges"),
    "#a88a00": ("jaune", "jaunes", "yellow", "gold", "or"),
    "#6b3fa0": ("violet", "violette", "violets", "violettes", "purple", "mauve"),
    "#c0407a": ("rose", "roses", "pink"),
    "#1f2937": ("noir", "noire", "noirs", "noires", "black"),
    "#6b7280": ("gris", "grise", "grises", "grey", "gray", "silver", "argent"),
    "#7a4a1e": ("marron", "brun", "brune", "brown"),
}
_WORD = re.compile(r"[^\W\d_]+")


def named_colour(name: str) -> str | None:
    """The colour a team's name says, if it says one."""
    words = [
        unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode().lower()
        for w in _WORD.findall(name)
    ]
    return next((c for w in words for c, names in NAMED.items() if w in names), None)


def team_colours(names: Sequence[str]) -> list[str]:
    """Each team's colour: its name's colour, else the next palette colour no other team of
    the session has. The same names in the same order, the same colours, everywhere."""
    named = [named_colour(n) for n in names]
    free = [c for c in PALETTE if c not in named]
    out = []
    for colour in named:
        if colour is None:
            colour = free.pop(0) if free else PALETTE[len(out) % len(PALETTE)]
        out.append(colour)
    return out


NICE = (1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 240, 360, 600)


def _x(text: Any) -> str:
    """Text made safe for an SVG element or a double-quoted attribute."""
    return escape(str(text), {'"': "&quot;"})


def _n(value: float) -> str:
    """A coordinate, short and the same every time."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))


def _width(text: str, size: float) -> float:
    """About how wide `text` is at `size` px (DejaVu Sans is wide: 0.6 em per character)."""
    return len(text) * size * 0.6


def _fit(text: str, size: float, room: float) -> str:
    """The text, cut with an ellipsis if it would not fit in `room` px."""
    if _width(text, size) <= room:
        return text
    keep = max(1, int(room / (size * 0.6)) - 1)
    return text[:keep] + "…"


def _dec(value: float, lang: str) -> str:
    """One decimal, with a decimal comma in French."""
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "fr" else text


def _step(top: float, ticks: int = 5) -> int:
    """A round step giving about `ticks` ticks up to `top`."""
    return next((s for s in NICE if top / s <= ticks), NICE[-1])


def _hm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{_x(label)}" '
        f'font-family="{FONT}" font-size="11">'
        f"<title>{_x(label)}</title>" + "".join(body) + "</svg>"
    )


def _legend(items: Sequence[tuple[str, str]], x0: float, y0: float, width: float) -> list[str]:
    """Legend entries flowing left to right, wrapping: (svg of the swatch, label)."""
    out, x, y = [], x0, y0
    for swatch, label in items:
        room = 22 + _width(label, 10.5) + 16
        if x > x0 and x + room > x0 + width:
            x, y = x0, y + 16
        out.append(
            f'<g class="legend" transform="translate({_n(x)},{_n(y)})">{swatch}'
            f'<text x="22" y="4" font-size="10.5" dominant-baseline="middle">{_x(label)}</text></g>'
        )
        x += room
    return out


def legend_height(labels: Sequence[str], width: float) -> float:
    rows, x = 1, 0.0
    for label in labels:
        room = 22 + _width(label, 10.5) + 16
        if x > 0 and x + room > width:
            rows, x = rows + 1, 0.0
        x += room
    return rows * 16


def _triangle(x: float, y: float, r: float = 5) -> str:
    return f"{_n(x)},{_n(y - r)} {_n(x + r)},{_n(y + r * 0.8)} {_n(x - r)},{_n(y + r * 0.8)}"


def _flag(x: float, y: float) -> str:
    return (
        f'<path d="M{_n(x)} {_n(y + 9)}V{_n(y - 4)}h7l-2 3 2 3h-7" fill="{ORANGE}" '
        f'stroke="{ORANGE}" stroke-width="1.2"/>'
    )


def timeline_svg(
    timeline: Mapping[str, Any],
    labels: Mapping[str, str],
    lang: str = "fr",
    width: float = 720,
    height: float = 250,
) -> str:
    """One team's storm: posts per minute, negative posts, and the negative posts of the
    same storm left unanswered; the team's actions as triangles, the injects as flags and
    the phases as dotted lines, over simulated time (h:mm).

    `labels`: volume, negative, unanswered, actions, injects, time, title (translated).
    """
    minutes = list(timeline.get("minutes") or [])
    series = {k: list(timeline.get(k) or []) for k in ("volume", "negative", "unanswered_negative")}
    actions = list(timeline.get("actions") or [])
    injects = list(timeline.get("injects") or [])
    phases = list(timeline.get("phases") or [])
    last = max(
        [
            len(minutes) - 1,
            *(a["t"] / 60 for a in actions),
            *(i["t"] / 60 for i in injects),
            1,
        ]
    )
    top = max([1, *series["volume"], *series["negative"], *series["unanswered_negative"]])
    ystep = _step(top, 5)
    top = ystep * -(-top // ystep)  # rounded up to a whole step
    xstep = _step(last, 9)

    legend = [
        (f'<line x1="0" y1="4" x2="16" y2="4" stroke="{BLUE}" stroke-width="2"/>', "volume"),
        (f'<line x1="0" y1="4" x2="16" y2="4" stroke="{RED}" stroke-width="2"/>', "negative"),
        (
            f'<line x1="0" y1="4" x2="16" y2="4" stroke="{RED}" stroke-width="2" '
            'stroke-dasharray="4 3"/>',
            "unanswered",
        ),
        (f'<polygon points="{_triangle(8, 4, 4.5)}" fill="{GREEN}"/>', "actions"),
        (_flag(5, 0), "injects"),
    ]
    legend_items = [(swatch, labels.get(key, key)) for swatch, key in legend]
    left, right, top_band = 40.0, 12.0, 34.0
    legend_h = legend_height([t for _, t in legend_items], width - left - right)
    bottom = 36.0 + legend_h
    plot_w, plot_h = width - left - right, height - top_band - bottom
    if plot_h < 60:  # a long legend: the chart grows rather than squashing the plot
        height += 60 - plot_h
        plot_h = 60

    def px(minute: float) -> float:
        return left + plot_w * minute / last

    def py(value: float) -> float:
        return top_band + plot_h * (1 - value / top)

    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#fff"/>']
    for v in range(0, int(top) + 1, ystep):  # horizontal grid and the y axis
        y = py(v)
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(left + plot_w)}" y2="{_n(y)}" '
            f'stroke="#e3e7ee" stroke-width="1"/>'
            f'<text x="{_n(left - 5)}" y="{_n(y + 3.5)}" text-anchor="end" '
            f'fill="#4a5260">{v}</text>'
        )
    for m in range(0, int(last) + 1, xstep):  # the time axis, h:mm
        x = px(m)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top_band + plot_h)}" x2="{_n(x)}" '
            f'y2="{_n(top_band + plot_h + 4)}" stroke="#4a5260"/>'
            f'<text x="{_n(x)}" y="{_n(top_band + plot_h + 15)}" text-anchor="middle" '
            f'fill="#4a5260">{_hm(m)}</text>'
        )
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(top_band + plot_h)}" x2="{_n(left + plot_w)}" '
        f'y2="{_n(top_band + plot_h)}" stroke="#4a5260"/>'
        f'<text x="{_n(left + plot_w)}" y="{_n(top_band + plot_h + 28)}" text-anchor="end" '
        f'font-size="10" fill="#4a5260">{_x(labels.get("time", ""))}</text>'
    )
    ends = [float("-inf"), float("-inf")]  # where each row of phase titles is taken up to
    for phase in sorted(phases, key=lambda ph: ph["start"]):  # a dotted line and the title
        m = phase["start"] / 60
        if m > last:
            continue
        x = px(m)
        title = (phase.get("title_en") if lang == "en" else phase.get("title")) or ""
        row = next((r for r, end in enumerate(ends) if x + 3 >= end), None)
        room = left + plot_w - x - 6
        if row is None:  # both rows taken: the lower one, the title cut short
            row = 1
            room = max(20.0, min(room, 60.0))
        text = _fit(title, 9, max(20.0, room))
        ends[row] = x + 3 + _width(text, 9) + 4
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top_band - 6)}" x2="{_n(x)}" y2="{_n(top_band + plot_h)}" '
            f'stroke="{GREY}" stroke-dasharray="1 3"/>'
            f'<text x="{_n(x + 3)}" y="{_n(top_band + 8 + 10 * row)}" font-size="9" fill="{GREY}">'
            f"{_x(text)}</text>"
        )
    styles = {
        "volume": f'stroke="{BLUE}" stroke-width="1.8"',
        "negative": f'stroke="{RED}" stroke-width="1.8"',
        "unanswered_negative": f'stroke="{RED}" stroke-width="1.5" stroke-dasharray="5 4"',
    }
    for key in ("unanswered_negative", "volume", "negative"):
        values = series[key]
        if not values:
            continue
        points = " ".join(f"{_n(px(m))},{_n(py(v))}" for m, v in enumerate(values))
        if len(values) == 1:
            points += f" {_n(px(0) + 2)},{_n(py(values[0]))}"
        body.append(
            f'<polyline class="series series--{key}" points="{points}" fill="none" '
            f'stroke-linejoin="round" {styles[key]}/>'
        )
    for inject in injects:  # injects: flags above the plot
        x = px(inject["t"] / 60)
        body.append(
            f'<g class="inject"><title>{_x(inject.get("label") or inject.get("id", ""))}</title>'
            f'<line x1="{_n(x)}" y1="{_n(top_band - 4)}" x2="{_n(x)}" y2="{_n(top_band + plot_h)}" '
            f'stroke="{ORANGE}" stroke-width="0.8" stroke-opacity="0.5"/>'
            f"{_flag(x, 6)}</g>"
        )
    for action in actions:  # the team's actions: triangles just above the plot
        x = px(action["t"] / 60)
        by = action.get("by", "")
        if action.get("approved_by"):
            by = f"{by} ✓ {action['approved_by']}"
        text = f"{action.get('type', '')} · {by}"
        body.append(
            f'<polygon class="action" points="{_triangle(x, top_band - 8)}" fill="{GREEN}" '
            f'fill-opacity="0.85"><title>{_x(text)}</title></polygon>'
        )
    body += _legend(legend_items, left, height - legend_h + 2, plot_w)
    return _svg(width, height, labels.get("title", ""), body)


def criteria_svg(
    teams: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    width: float = 720,
    columns: int = 2,
    lang: str = "en",
) -> str:
    """Teams compared on each criterion: one panel per criterion, one bar per team (its share
    of the criterion's points), each bar named. Readable with ten teams.

    `teams`: [{"name", "colour", "criteria": [{"label", "points", "max"}]}], criteria in the
    same order for every team. `labels`: title (translated).
    """
    criteria = [c["label"] for c in teams[0]["criteria"]] if teams else []
    if not criteria:
        return _svg(width, 30, labels.get("title", ""), [])
    columns = max(1, min(columns, len(criteria)))
    gap, row, head = 20.0, 14.0, 20.0
    panel_w = (width - gap * (columns - 1)) / columns
    panel_h = head + row * len(teams) + 10
    longest = max(_width(t["name"], 9.5) for t in teams) + 8
    name_w = max(60.0, min(longest, panel_w * 0.45))  # long names: a shorter bar, not "Équipe…"
    value_w = 48.0
    bar_w = panel_w - name_w - value_w - 8
    rows = -(-len(criteria) // columns)
    height = rows * panel_h
    body = [f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#fff"/>']
    for k, label in enumerate(criteria):
        x0 = (k % columns) * (panel_w + gap)
        y0 = (k // columns) * panel_h
        most = teams[0]["criteria"][k]["max"]
        body.append(
            f'<g class="criterion" transform="translate({_n(x0)},{_n(y0)})">'
            f'<text x="0" y="13" font-weight="bold" font-size="11">'
            f"{_x(_fit(f'{label} (/{most:g})', 11, panel_w))}</text>"
            f'<line x1="{_n(name_w)}" y1="{_n(head - 2)}" x2="{_n(name_w)}" '
            f'y2="{_n(head + row * len(teams))}" stroke="#9aa3b1"/>'
        )
        for i, team in enumerate(teams):
            c = team["criteria"][k]
            share = max(0.0, min(1.0, c["points"] / c["max"])) if c["max"] else 0.0
            y = head + i * row
            colour = team.get("colour") or PALETTE[i % len(PALETTE)]
            body.append(
                f'<text x="{_n(name_w - 4)}" y="{_n(y + 10)}" text-anchor="end" font-size="9.5">'
                f"{_x(_fit(team['name'], 9.5, name_w - 6))}</text>"
                f'<rect x="{_n(name_w)}" y="{_n(y + 2)}" width="{_n(bar_w)}" '
                f'height="{_n(row - 4)}" fill="#eef1f5"/>'
                f'<rect x="{_n(name_w)}" y="{_n(y + 2)}" width="{_n(bar_w * share)}" '
                f'height="{_n(row - 4)}" fill="{colour}"><title>{_x(team["name"])}</title></rect>'
                f'<text x="{_n(name_w + bar_w + 6)}" y="{_n(y + 10)}" font-size="9.5" '
                f'fill="#16202e">{_dec(c["points"], lang)}/{c["max"]:g}</text>'
            )
        body.append("</g>")
    return _svg(width, height, labels.get("title", ""), body)
