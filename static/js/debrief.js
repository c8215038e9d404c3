// Debrief charts: criteria per team, and each team's storm against what the team did.

const data = JSON.parse(document.getElementById("debrief-data").textContent);
const i18n = data.i18n;
const palette = ["#1d4f9c", "#c0281b", "#1e7b34", "#a35c00", "#6b3fa0", "#0f766e", "#9d174d",
  "#4a5260", "#5f7d0b", "#7a0a0a", "#0369a1", "#b45309"];

if (window.Chart && data.criteria.length) {
  new window.Chart(document.getElementById("criteria-chart"), {
    type: "bar",
    data: {
      labels: data.criteria,
      datasets: data.points.map((criteria, i) => ({
        label: data.names[i], backgroundColor: palette[i % palette.length],
        data: criteria.map((c) => (100 * c.points) / c.max),
      })),
    },
    options: { animation: false, maintainAspectRatio: false,
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
      animation: false, maintainAspectRatio: false, parsing: true,
      scales: { x: { type: "linear", title: { display: true, text: "min" } }, y: { beginAtZero: true } },
      plugins: { tooltip: { callbacks: { label: (ctx) => {
        if (ctx.dataset.label === i18n.actions) { const a = t.actions[ctx.dataIndex]; return `${a.type} · ${a.by}`; }
        if (ctx.dataset.label === i18n.injects) return t.injects[ctx.dataIndex].id;
        return `${ctx.dataset.label}: ${ctx.formattedValue}`;
      } } } },
    },
  });
}
