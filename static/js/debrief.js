// Debrief charts: criteria per team, and each team's storm against what the team did.

const data = JSON.parse(document.getElementById("debrief-data").textContent);
const i18n = data.i18n;
const locale = document.documentElement.lang || undefined; // numbers as the page writes them
// each team in its own colour, chosen on the server (a team named Red is red): data.colours

if (window.Chart && data.criteria.length) {
  new window.Chart(document.getElementById("criteria-chart"), {
    type: "bar",
    data: {
      labels: data.criteria,
      datasets: data.points.map((criteria, i) => ({
        label: data.names[i], backgroundColor: data.colours[i],
        data: criteria.map((c) => (100 * c.points) / c.max),
      })),
    },
    options: { animation: false, maintainAspectRatio: false, locale,
      scales: { y: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } } },
  });
}

for (const canvas of document.querySelectorAll("[data-timeline]")) {
  const t = data.teams[Number(canvas.dataset.timeline)];
  const top = Math.max(1, ...t.volume, ...t.unanswered_negative);
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: t.minutes,
      datasets: [
        { label: i18n.volume, data: t.volume, borderColor: "#1d4f9c", pointRadius: 0, tension: 0.25 },
        { label: i18n.negative, data: t.negative, borderColor: "#c0281b", pointRadius: 0, tension: 0.25 },
        { label: i18n.unanswered, data: t.unanswered_negative, borderColor: "#c0281b", borderDash: [5, 4], pointRadius: 0, tension: 0.25 },
        { type: "scatter", label: i18n.actions, data: t.actions.map((a) => ({ x: a.t / 60, y: top * 1.02 })), backgroundColor: "#1e7b34", pointStyle: "triangle", pointRadius: 6 },
        { type: "scatter", label: i18n.injects, data: t.injects.map((a) => ({ x: a.t / 60, y: top * 1.08 })), backgroundColor: "#a35c00", pointStyle: "rectRot", pointRadius: 6 },
      ],
    },
    options: {
      locale,
      animation: false, maintainAspectRatio: false, parsing: true,
      scales: { x: { type: "linear", title: { display: true, text: "min" } }, y: { beginAtZero: true } },
      plugins: { tooltip: { callbacks: { label: (ctx) => {
        if (ctx.dataset.label === i18n.actions) {
          const a = t.actions[ctx.dataIndex];
          const by = a.approved_by ? `${a.by} (${i18n.approved_by.replace("%(name)s", a.approved_by)})` : a.by;
          return `${a.type} · ${by}`;
        }
        if (ctx.dataset.label === i18n.injects) return t.injects[ctx.dataIndex].label;
        return `${ctx.dataset.label}: ${ctx.formattedValue}`;
      } } } },
    },
  });
}
