// The trainer's control room: one socket to /trainer, controls with acknowledgements, and an
// overview of every team once a second.

import { io } from "../vendor/socket.io.esm.min.js";
import { SessionClock, hms } from "./clock.js";
import { number, percent, plural } from "./numbers.js";

const data = JSON.parse(document.getElementById("control-data").textContent);
const i18n = data.i18n;
const root = document.getElementById("control");
const $ = (selector) => root.querySelector(selector);
const clock = new SessionClock();
const charts = new Map();
let teamNames = new Map(data.teams.map((id, i) => [id, data.team_names[i]]));

const socket = io("/trainer", { transports: ["websocket", "polling"] });

function say(text, bad = false) {
  const box = $("[data-message]");
  box.textContent = text;
  box.classList.toggle("is-error", bad);
}

function control(payload) {
  return new Promise((resolve) => {
    socket.emit("control", { session: data.session, ...payload }, (ack) => {
      if (!ack.ok) say(i18n.errors[ack.error] || ack.message, true); // in the page's language
      else if (ack.clock) setClock(ack.clock);
      resolve(ack);
    });
  });
}

function phaseAt(t) {
  let index = 0;
  data.phases.forEach((start, i) => { if (start <= t) index = i; });
  return index;
}

function setClock(payload) {
  clock.set(payload);
  const status = $("[data-status]");
  status.textContent = data.status[payload.status] || payload.status;
  status.className = `status status--${payload.status}`;
  const lobby = payload.status === "lobby";
  root.querySelector('[data-do="start"]').hidden = !lobby;
  root.querySelector('[data-do="pause"]').hidden = payload.status !== "running";
  root.querySelector('[data-do="resume"]').hidden = payload.status !== "paused";
  for (const button of root.querySelectorAll(".control-actions button, .control-actions select, .control-side button")) {
    button.disabled = payload.status === "ended";
  }
  $("[data-speed]").value = String(payload.speed);
  tick();
}

function tick() {
  const t = clock.now();
  $("[data-clock]").textContent = hms(t);
  const i = phaseAt(t);
  $("[data-phase]").textContent = `· ${data.phase_titles[i] ?? ""}`;
}
setInterval(tick, 250);

function chartFor(card) {
  const id = Number(card.dataset.team);
  if (charts.has(id) || !window.Chart) return charts.get(id);
  const chart = new window.Chart(card.querySelector("[data-chart]"), {
    type: "line",
    data: { labels: [], datasets: [
      { label: i18n.posts, data: [], borderColor: "#1d4f9c", backgroundColor: "rgba(29,79,156,.15)", fill: true, pointRadius: 0, tension: 0.3 },
      { label: i18n.negative, data: [], borderColor: "#c0281b", pointRadius: 0, tension: 0.3 },
    ] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      plugins: { legend: { display: false }, tooltip: { enabled: true } },
      scales: { x: { display: false }, y: { display: false, beginAtZero: true } },
    },
  });
  charts.set(id, chart);
  return chart;
}

function showOverview(overview) {
  if (overview.clock) setClock(overview.clock);
  for (const team of overview.teams) {
    const card = root.querySelector(`[data-team="${team.id}"]`);
    if (!card) continue;
    card.querySelector("[data-online]").textContent = String(team.online);
    card.querySelector("[data-rate]").textContent = number(team.per_minute, 1);
    card.querySelector("[data-negative]").textContent = percent(team.negative);
    card.querySelector("[data-open]").textContent = number(team.open_injects.length);
    showOpen(card.querySelector("[data-open-list]"), team.open_injects);
    showRadar(card.querySelector("[data-radar]"), team.radar);
    card.classList.toggle("team-card--hot", team.negative >= 0.6);
    const chart = chartFor(card);
    if (chart) {
      chart.data.labels = team.series.map((m) => m.minute);
      chart.data.datasets[0].data = team.series.map((m) => m.posts);
      chart.data.datasets[1].data = team.series.map((m) => m.negative);
      chart.update("none");
    }
  }
}

// The figures of the team's own listening radar: its mentions, rising terms and alerts.
function showRadar(line, radar) {
  if (!line || !radar) return;
  const parts = [plural(i18n.mentions, radar.mentions)];
  if (radar.rising.length) parts.push(radar.rising.join(" "));
  for (const alert of radar.alerts) parts.push(`⚠ ${i18n[`alert_${alert.kind}`] || alert.kind}`);
  line.textContent = `📡 ${parts.join(" · ")}`;
  line.title = line.textContent;
  line.classList.toggle("team-card__radar--alert", radar.alerts.length > 0);
}

// The injects a team has not escalated yet, by the first words of their post (newest first).
const OPEN_SHOWN = 2;
function showOpen(list, open) {
  const items = open.slice(-OPEN_SHOWN).reverse().map((inject) => {
    const li = document.createElement("li");
    li.textContent = data.inject_labels[inject.inject] || inject.inject;
    li.title = li.textContent;
    return li;
  });
  if (open.length > OPEN_SHOWN) {
    const more = document.createElement("li");
    more.className = "muted";
    more.textContent = plural(i18n.more_open, open.length - OPEN_SHOWN);
    items.push(more);
  }
  list.replaceChildren(...items);
}

function showLobby(lobby) {
  teamNames = new Map(lobby.teams.map((t) => [t.id, t.name]));
  const list = $("[data-lobby]");
  list.replaceChildren();
  $("[data-participant-count]").textContent = number(lobby.participants.length);
  $("[data-lobby-empty]").hidden = lobby.participants.length > 0;
  for (const p of lobby.participants) {
    const li = document.createElement("li");
    li.className = `lobby-item${p.online ? " is-online" : ""}`;
    const name = document.createElement("span");
    name.className = "lobby-item__name";
    name.textContent = p.name;
    const role = document.createElement("span");
    role.className = "lobby-item__role";
    role.textContent = p.role ? data.roles[p.role] || p.role : i18n.no_role;
    role.classList.toggle("muted", !p.role);
    const select = document.createElement("select");
    select.setAttribute("aria-label", `${i18n.move_to}: ${p.name}`);
    const none = new Option(i18n.no_team, "");
    select.append(none);
    for (const [id, teamName] of teamNames) select.append(new Option(teamName, String(id), false, id === p.team));
    select.addEventListener("change", () => {
      control({ action: "move", participant: p.id, team: select.value ? Number(select.value) : null });
    });
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button--small button--danger";
    remove.textContent = i18n.remove;
    remove.addEventListener("click", () => control({ action: "remove", participant: p.id }));
    li.append(name, role, select, remove);
    list.append(li);
  }
}

socket.on("connect", () => {
  socket.emit("watch", { session: data.session }, (ack) => {
    if (!ack.ok) return say(ack.message, true);
    setClock(ack.clock);
    showLobby(ack.lobby);
    if (ack.overview) showOverview(ack.overview);
  });
});
socket.on("clock", setClock);
socket.on("overview", showOverview);
socket.on("lobby", showLobby);

for (const button of root.querySelectorAll("[data-do]")) {
  button.addEventListener("click", async () => {
    const action = button.dataset.do;
    if (action === "end" && !window.confirm(i18n.confirm_end)) return;
    const ack = await control({ action });
    if (ack.ok) say("");
  });
}

$("[data-speed]").addEventListener("change", (event) => control({ action: "speed", speed: Number(event.target.value) }));

$("[data-jump]").addEventListener("submit", (event) => {
  event.preventDefault();
  const minutes = Number(event.target.querySelector("input").value);
  control({ action: "jump", to: minutes * 60 });
});

const curveball = $("[data-curveball]");
const custom = curveball.querySelector("[data-custom]");
// Choosing a prepared inject shows what it says, who posts it and where, before it is sent.
function showPrepared() {
  custom.hidden = Boolean(curveball.inject.value);
  for (const preview of curveball.querySelectorAll("[data-inject-preview]")) {
    preview.hidden = preview.dataset.injectPreview !== curveball.inject.value;
  }
}
curveball.inject.addEventListener("change", showPrepared);
showPrepared(); // a reload keeps the chosen option
curveball.addEventListener("submit", async (event) => {
  event.preventDefault();
  const payload = { action: "inject" };
  if (curveball.team.value) payload.team = Number(curveball.team.value);
  if (curveball.inject.value) payload.inject = curveball.inject.value;
  else Object.assign(payload, { platform: curveball.platform.value, persona: curveball.persona.value, text: curveball.text.value });
  const ack = await control(payload);
  if (ack.ok) { say(i18n.sent); curveball.text.value = ""; }
});

const notice = $("[data-notice]");
notice.addEventListener("submit", async (event) => {
  event.preventDefault();
  const payload = { action: "notice", text: notice.text.value, kind: notice.kind.value };
  if (notice.team.value) payload.team = Number(notice.team.value);
  const ack = await control(payload);
  if (ack.ok) { say(i18n.sent); notice.text.value = ""; }
});

for (const card of root.querySelectorAll("[data-team]")) {
  card.querySelector("[data-apply-difficulty]").addEventListener("click", async () => {
    const ack = await control({
      action: "difficulty", team: Number(card.dataset.team),
      volume: Number(card.querySelector("[data-volume]").value),
      aggression: Number(card.querySelector("[data-aggression]").value),
    });
    if (ack.ok) say(i18n.applied);
  });
  card.querySelector("[data-intensity]")?.addEventListener("change", async (event) => {
    const ack = await control({
      action: "intensity", team: Number(card.dataset.team), intensity: event.target.value,
    });
    if (ack.ok) say(i18n.intensity_applied);
  });
}
