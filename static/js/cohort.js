// The cohort page: per-criterion bars (this team, cohort median, best), a strip of every
// team's total with this team highlighted, and the table of all teams sorted by a column.
// Names go to the canvas or to textContent only: user text is never parsed as HTML.

const data = JSON.parse(document.getElementById("cohort-data").textContent);
const i18n = data.i18n;
// this team in its own colour (its name's: a team called Blue is blue, see charts.team_colours)
const ME = data.colour || "#c0281b";
const MEDIAN = "#4a5260";
const BEST = ME === "#1e7b34" ? "#a35c00" : "#1e7b34";
const TEAM = "#94a3b8"; // every other team, in a neutral slate
const share = (points, i) => (data.max[i] ? (100 * points) / data.max[i] : 0);
const fmt = (x) => (Math.round(x * 10) / 10).toString();

function criteriaChart() {
  const datasets = [];
  if (data.me.some(Boolean)) {
    datasets.push({
      label: i18n.team, backgroundColor: ME,
      data: data.mine.map((c, i) => (c ? share(c.points, i) : null)),
      points: data.mine.map((c) => (c ? c.points : null)),
    });
  }
  datasets.push(
    { label: i18n.median, backgroundColor: MEDIAN, data: data.median.map(share), points: data.median },
    { label: i18n.best, backgroundColor: BEST, data: data.best.map(share), points: data.best },
  );
  new window.Chart(document.getElementById("cohort-criteria-chart"), {
    type: "bar",
    data: { labels: data.criteria, datasets },
    options: {
      indexAxis: "y", animation: false, maintainAspectRatio: false,
      scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` }, title: { display: true, text: i18n.share } } },
      plugins: { tooltip: { callbacks: { label: (ctx) => {
        const points = ctx.dataset.points[ctx.dataIndex];
        return `${ctx.dataset.label}: ${fmt(points)}/${data.max[ctx.dataIndex]}`;
      } } } },
    },
  });
}

function stripChart() {
  // a dot plot: teams within the same 2-point bin stack upwards
  const levels = new Map();
  const dots = data.totals.map((total, i) => {
    const bin = Math.round(total / 2);
    const y = (levels.get(bin) || 0) + 1;
    levels.set(bin, y);
    return { x: total, y, i };
  });
  const top = Math.max(3, ...dots.map((d) => d.y)) + 1;
  const other = (i) => data.own_version && data.versions[i] !== data.own_version;
  const same = dots.filter((d) => !data.me[d.i] && !other(d.i));
  const differ = dots.filter((d) => !data.me[d.i] && other(d.i));
  const mine = dots.filter((d) => data.me[d.i]);
  const datasets = [
    { type: "scatter", label: i18n.teams, data: same, pointRadius: 6, pointHoverRadius: 8, backgroundColor: `${TEAM}b3`, borderColor: TEAM, borderWidth: 1.5 },
  ];
  if (differ.length) {
    datasets.push({ type: "scatter", label: i18n.other_version, data: differ, pointRadius: 7, pointHoverRadius: 9, pointStyle: "rectRot", backgroundColor: "transparent", borderColor: "#a35c00", borderWidth: 1.5 });
  }
  if (mine.length) {
    datasets.push({ type: "scatter", label: i18n.team, data: mine, pointRadius: 10, pointHoverRadius: 12, backgroundColor: ME, borderColor: "#fff", borderWidth: 2 });
  }
  datasets.push({
    type: "line", label: i18n.median, data: [{ x: data.cohort_median, y: 0 }, { x: data.cohort_median, y: top }],
    borderColor: MEDIAN, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, pointStyle: "line",
  });
  new window.Chart(document.getElementById("cohort-strip-chart"), {
    data: { datasets },
    options: {
      animation: false, maintainAspectRatio: false,
      scales: {
        x: { type: "linear", min: 0, max: 100, title: { display: true, text: i18n.total } },
        y: { min: 0, max: top, display: false },
      },
      plugins: {
        legend: { labels: { usePointStyle: true } },
        tooltip: { callbacks: { label: (ctx) => {
          if (ctx.dataset.type === "line") return `${i18n.median}: ${fmt(data.cohort_median)}`;
          const i = ctx.raw.i;
          const flag = other(i) ? ` (${i18n.other_version})` : "";
          return `${data.names[i]} · ${data.sessions[i]}: ${fmt(data.totals[i])}${flag}`;
        } } },
      },
    },
  });
}

function sortable(table) {
  const body = table.tBodies[0];
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, column) => {
    const button = th.querySelector("button[data-sort]");
    if (!button) return;
    button.addEventListener("click", () => {
      const numeric = button.dataset.sort === "num";
      // first click: numbers high to low (except the rank), text A to Z; then flip
      const current = th.getAttribute("aria-sort");
      const natural = numeric && column !== 0 ? "descending" : "ascending";
      const next = current ? (current === "ascending" ? "descending" : "ascending") : natural;
      const sign = next === "ascending" ? 1 : -1;
      const value = (row) => row.cells[column].dataset.value ?? row.cells[column].textContent;
      const rows = [...body.rows].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, undefined, { sensitivity: "base" });
        return sign * order || Number(a.cells[0].dataset.value) - Number(b.cells[0].dataset.value);
      });
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", next);
      body.append(...rows);
    });
  });
}

if (window.Chart) {
  criteriaChart();
  stripChart();
}
for (const table of document.querySelectorAll("table[data-sortable]")) sortable(table);
