"""How long the PDF report of a played session takes to make, and where the time goes.

A 3-team session of data-breach (the issue's workshop) is played through the session runner
first (see bench/debrief.py). Then, timed, medians of several runs, each with the report
cache emptied: the report's HTML (debrief, charts, template), WeasyPrint's layout of it, and
writing the PDF; the whole `render_pdf` as the PDF link runs it. The HTML alone is the
baseline of the same run.

    .venv/bin/python bench/pdf.py [--runs 5] [--teams 3] [--scenario data-breach]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.debrief import Wall, play_drill  # noqa: E402
from simulator import create_app  # noqa: E402
from simulator.config import TestingConfig  # noqa: E402
from simulator.engine.loader import load_directory  # noqa: E402
from simulator.extensions import db  # noqa: E402
from simulator.models import DrillSession  # noqa: E402
from simulator.services import report  # noqa: E402
from simulator.wallclock import set_clock  # noqa: E402


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--teams", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scenario", default="data-breach")
    args = parser.parse_args()
    scenarios, _ = load_directory(ROOT / "scenarios")
    scenario = next(s for s in scenarios if s.id == args.scenario)
    weasyprint = report._weasyprint()
    with tempfile.TemporaryDirectory() as tmp:
        config = TestingConfig()
        config.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.db"
        app = create_app(config)
        wall = Wall()
        set_clock(app, wall)
        sid, _ = play_drill(app, scenario, args.teams, args.seed, wall)
        html_s, layout_s, write_s, whole_s = [], [], [], []
        size = 0
        with app.test_request_context():
            session = db.session.get(DrillSession, sid)
            static = Path(app.static_folder or "static").resolve()
            report.render_pdf(session)  # warm: fonts found, templates compiled
            for _ in range(args.runs):
                report._made.clear()
                seconds, html = timed(lambda: report.render_html(session, pdf=True))
                html_s.append(seconds)
                document = weasyprint.HTML(
                    string=html,
                    base_url=static.as_uri() + "/",
                    url_fetcher=report._static_only(weasyprint, static),
                )
                seconds, laid = timed(lambda d=document: d.render())
                layout_s.append(seconds)
                seconds, pdf = timed(lambda d=laid: d.write_pdf())
                write_s.append(seconds)
                report._made.clear()
                seconds, pdf = timed(lambda: report.render_pdf(session))
                whole_s.append(seconds)
                size = len(pdf)
        pages = len(laid.pages)
    median = statistics.median
    print(f"{args.scenario}, {args.teams} teams, seed {args.seed}: {pages} pages, {size} bytes")
    print(f"  HTML (debrief, charts, template)  {median(html_s):7.2f} s")
    print(f"  WeasyPrint layout                 {median(layout_s):7.2f} s")
    print(f"  writing the PDF                   {median(write_s):7.2f} s")
    print(f"  render_pdf, whole                 {median(whole_s):7.2f} s  (median of {args.runs})")
    print(f"  ratio whole / HTML                {median(whole_s) / median(html_s):7.1f}")


if __name__ == "__main__":
    main()
