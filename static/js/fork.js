// The "what if" chart: negative posts per minute, actual against the changed storm.
const data = JSON.parse(document.getElementById("fork-data").textContent);
const dots = data.minutes.length < 4 ? 3 : 0; // a drill of a minute or two: points, not lines
new window.Chart(document.getElementById("fork-chart"), {
  type: "line",
  data: {
    labels: data.minutes,
    datasets: [
      { label: data.labels[0], data: data.actual, borderColor: "#c0281b", pointRadius: dots, tension: 0.25 },
      { label: data.labels[1], data: data.what_if, borderColor: "#1d4f9c", pointRadius: dots, tension: 0.25 },
      { label: data.labels[2], data: data.unanswered, borderColor: "#4a5260", borderDash: [5, 4], pointRadius: dots, tension: 0.25 },
    ],
  },
  options: { animation: false, maintainAspectRatio: false, scales: { y: { beginAtZero: true } } },
});
