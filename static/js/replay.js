// The replay of a session: one team's workspace at any simulated time, on a scrubber.
//
// The page never holds the whole storm: each move of the scrubber asks the server for one
// frame (the newest posts per platform, the counters and the actions up to t). One request at
// a time, the latest wins; dragging asks a few times a second. Posts are drawn by feed.js, as participants
// saw them; every piece of user or scenario text goes through textContent.

import { hms } from "./clock.js";
import { renderPost } from "./feed.js";
import { number } from "./numbers.js";

const data = JSON.parse(document.getElementById("replay-data").textContent);
const i18n = data.i18n;
const root = document.getElementById("replay");
const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => [...scope.querySelectorAll(selector)];
const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
const percentText = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "percent" });
const urlFor = (kind, team) => data.urls[kind].replace("/0/", `/${team}/`);

const GROUPS = {
  tag: "tag", escalate: "escalate", reply: "answer", dm: "answer", holding_statement: "answer",
  approve: "answer", reject: "answer", memo: "memo", chat: "chat", hide: "remove", delete: "remove",
};
const DRAG_EVERY = 150; // ms: dragging the scrubber asks for a frame at most this often
const URL_EVERY = 600; // ms: the address bar follows the replay, not every animation frame

const state = {
  team: data.team,
  t: data.t,
  end: 0,
  marks: null,
  marksCache: new Map(),
  frame: null,
  playing: false,
  speed: Number($("[data-speed]").value),
  inFlight: null, // AbortController of the request under way
  wanted: null, // t of the frame to show next
  shown: null, // {team, t} of the frame on screen
  urlAt: 0,
  nodes: new Map(), // post id -> rendered <li>, reused between frames
};

const range = $("[data-range]");
const playButton = $("[data-play]");

// ---- time and the scrubber ------------------------------------------------------------------

function clamp(t) {
  return Math.max(0, Math.min(state.end, t));
}

function setTime(t, { fetchNow = true } = {}) {
  state.t = clamp(t);
  range.value = String(Math.round(state.t));
  range.setAttribute("aria-valuetext", hms(state.t));
  range.style.setProperty("--progress", percent(state.t));
  $("[data-clock]").textContent = hms(state.t);
  if (fetchNow) want(state.t);
}

function percent(t) {
  return state.end > 0 ? `${(100 * Math.min(t, state.end)) / state.end}%` : "0%";
}

function markButton(className, t, title) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.style.left = percent(t);
  b.title = title;
  b.tabIndex = -1; // the step buttons and keys reach them; 300 tab stops would not help
  b.setAttribute("aria-label", title);
  b.addEventListener("click", () => { pause(); setTime(t); });
  return b;
}

function drawMarks() {
  const marks = state.marks;
  range.max = String(Math.ceil(state.end));
  $("[data-end]").textContent = hms(state.end);
  const phases = $("[data-phases]");
  phases.replaceChildren();
  const visible = marks.phases.filter((p) => p.t < state.end || p.t === 0);
  visible.forEach((phase, index) => {
    const next = visible[index + 1]?.t ?? state.end;
    const band = document.createElement("span");
    band.className = `scrubber__phase scrubber__phase--${index % 2}`;
    band.style.left = percent(phase.t);
    band.style.width = `calc(${percent(next)} - ${percent(phase.t)})`;
    band.textContent = phase.title;
    band.title = `${phase.title} · ${hms(phase.t)}`;
    phases.append(band);
  });
  const box = $("[data-marks]");
  box.replaceChildren();
  for (const a of marks.actions) {
    const what = i18n[`type_${a.type}`] || a.type;
    box.append(markButton(`mark mark--action mark--${GROUPS[a.type] || "tag"}`, a.t,
      fmt(i18n.action_mark, { what, name: a.by, time: hms(a.t) })));
  }
  const flags = $("[data-flags]");
  flags.replaceChildren();
  for (const inj of marks.injects) {
    const title = inj.inject
      ? fmt(i18n.inject, { label: data.inject_labels[inj.inject] || inj.inject, time: hms(inj.t) })
      : fmt(i18n.custom_inject, { time: hms(inj.t) });
    flags.append(markButton("mark mark--inject", inj.t, title));
  }
}

async function loadMarks(team) {
  if (!state.marksCache.has(team)) {
    const response = await fetch(urlFor("marks", team), { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status}`);
    state.marksCache.set(team, await response.json());
  }
  state.marks = state.marksCache.get(team);
  state.end = state.marks.end;
  drawMarks();
}

// ---- frames ----------------------------------------------------------------------------------

let dragTimer = null;
let askedAt = 0;

// While dragging, the feeds follow a few times a second, and the last position always lands.
function want(t, { throttle = false } = {}) {
  state.wanted = t;
  clearTimeout(dragTimer);
  const wait = throttle ? DRAG_EVERY - (performance.now() - askedAt) : 0;
  if (wait > 0) dragTimer = setTimeout(pump, wait);
  else pump();
}

async function pump() {
  if (state.inFlight || state.wanted === null) return;
  const t = state.wanted;
  const team = state.team;
  state.wanted = null;
  if (state.shown && state.shown.team === team && Math.abs(state.shown.t - t) < 0.5) return;
  const controller = new AbortController();
  state.inFlight = controller;
  askedAt = performance.now();
  try {
    const url = `${urlFor("frame", team)}?t=${encodeURIComponent(t.toFixed(1))}`;
    const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) throw new Error(body.message || String(response.status));
    if (team === state.team) {
      showFrame(body);
      state.shown = { team, t };
      say("");
    }
  } catch (error) {
    if (error.name !== "AbortError") {
      say(fmt(i18n.failed, { message: error instanceof TypeError ? i18n.offline : error.message }), true);
    }
  } finally {
    state.inFlight = null;
    if (state.wanted !== null) want(state.wanted, { throttle: true });
  }
}

function say(text, error = false) {
  const box = $("[data-message]");
  box.textContent = text;
  box.classList.toggle("is-error", error);
}

function showFrame(frame) {
  state.frame = frame;
  if (frame.end > state.end) {
    state.end = frame.end; // a running session: the replay reaches further
    drawMarks();
  }
  const index = indexActions(frame.actions);
  const keep = new Map();
  for (const [platform, posts] of Object.entries(frame.posts)) {
    const list = $(`[data-posts="${CSS.escape(platform)}"]`);
    if (!list) continue;
    const nodes = posts.map((post) => {
      const li = state.nodes.get(post.id) || renderPost(post, i18n);
      decorate(li, post, index);
      keep.set(post.id, li);
      return li;
    });
    list.replaceChildren(...nodes);
    $(`[data-empty="${CSS.escape(platform)}"]`).hidden = nodes.length > 0;
  }
  state.nodes = keep;
  for (const label of $$("[data-count]")) {
    const key = label.dataset.count;
    label.textContent = String(key === "actions" ? frame.actions_total : frame.counts[key] ?? 0);
  }
  $('[data-stat="phase"]').textContent = frame.phase.title;
  $('[data-stat="total"]').textContent = number(frame.total);
  const recent = frame.recent;
  $('[data-stat="negative"]').textContent = recent.posts
    ? fmt(i18n.negative, { share: percentText.format(recent.share), negative: recent.negative, posts: recent.posts })
    : i18n.no_posts;
  $('[data-stat="actions"]').textContent = String(frame.actions_total);
  showActions(frame);
  syncUrl();
}

// ---- what the team did, where it belongs -----------------------------------------------------

function indexActions(actions) {
  const byTarget = new Map();
  for (const action of actions) {
    if (!action.target || action.type === "approve" || action.type === "reject") continue;
    if (!byTarget.has(action.target)) byTarget.set(action.target, []);
    byTarget.get(action.target).push(action);
  }
  return byTarget;
}

function span(className, text) {
  const node = document.createElement("span");
  node.className = className;
  node.textContent = text;
  return node;
}

function roleTitle(role) {
  return data.roles[role] || role;
}

function decorate(li, post, index) {
  li.querySelector(".post__badges")?.remove();
  li.querySelector(".post__answers")?.remove();
  li.classList.remove("post--removed");
  const actions = index.get(post.id) || [];
  const badges = document.createElement("div");
  badges.className = "post__badges";
  const answers = document.createElement("ol");
  answers.className = "post__answers";
  let tag = null;
  for (const a of actions) {
    if (a.type === "tag") tag = a;
    else if (a.type === "escalate") {
      badges.append(span("tag tag--escalated",
        `${fmt(i18n.escalated_to, { role: roleTitle(a.role), severity: a.severity })} · ${a.by.name}`));
    } else if (a.type === "hide" || a.type === "delete") {
      li.classList.add("post--removed");
      badges.append(span("tag tag--removed",
        fmt(i18n.removed, { what: i18n[`type_${a.type}`], name: a.by.name, time: hms(a.t) })));
    } else if (a.type === "reply" || a.type === "dm") {
      const item = document.createElement("li");
      item.className = `post__answer${a.status === "draft" ? " post__answer--draft" : ""}`;
      const head = `${i18n[`type_${a.type}`]} · ${fmt(i18n.replied, { name: a.by.name, time: hms(a.t) })}`;
      item.append(span("post__answer-head", a.status === "done" ? head : `${head} · ${i18n[`status_${a.status}`]}`));
      item.append(Object.assign(document.createElement("p"), { textContent: a.text }));
      answers.append(item);
    }
  }
  if (tag) badges.prepend(span(`tag tag--${tag.tag}`, `${i18n[`tag_${tag.tag}`]} · ${tag.by.name}`));
  if (badges.childElementCount) li.querySelector(".post__head").after(badges);
  if (answers.childElementCount) li.append(answers);
}

function showActions(frame) {
  const filter = $("[data-action-filter]").value;
  const list = $("[data-actions]");
  const items = [];
  for (const action of [...frame.actions].reverse()) {
    if (filter && (GROUPS[action.type] || "tag") !== filter) continue;
    items.push(actionItem(action, frame.targets));
  }
  if (frame.actions_total > frame.actions.length) {
    items.push(Object.assign(document.createElement("li"), {
      className: "muted", textContent: fmt(i18n.more_actions, { n: frame.actions.length }),
    }));
  }
  list.replaceChildren(...items);
  $('[data-empty="actions"]').hidden = items.length > 0;
}

function actionItem(action, targets) {
  const li = document.createElement("li");
  li.className = `action action--${GROUPS[action.type] || "tag"}`;
  li.dataset.action = action.id;
  const head = document.createElement("div");
  head.className = "action__head";
  const when = document.createElement("button");
  when.type = "button";
  when.className = "action__time mono";
  when.textContent = hms(action.t);
  when.title = fmt(i18n.seek, { time: hms(action.t) });
  when.addEventListener("click", () => { pause(); setTime(action.t); });
  head.append(when, span("action__type", i18n[`type_${action.type}`] || action.type));
  const who = action.by.role ? `${action.by.name} · ${roleTitle(action.by.role)}` : action.by.name;
  head.append(span("action__by muted", `${i18n.by} ${who}`));
  li.append(head);
  const details = [];
  if (action.type === "tag") details.push(i18n[`tag_${action.tag}`] || action.tag);
  if (action.type === "escalate") {
    details.push(fmt(i18n.to, { role: roleTitle(action.role) }), fmt(i18n.severity, { severity: action.severity }));
  }
  if (action.status && action.status !== "done") details.push(i18n[`status_${action.status}`] || action.status);
  if (details.length) li.append(span("action__detail", details.join(" · ")));
  if (action.text && action.type !== "approve") {
    li.append(Object.assign(document.createElement("p"), { className: "action__text", textContent: action.text }));
  }
  const target = action.target && targets[action.target];
  if (target) {
    const quote = document.createElement("blockquote");
    quote.className = "action__quote";
    const author = target.author.handle === target.author.name
      ? target.author.name : `${target.author.name} ${target.author.handle}`;
    quote.textContent = `${author} · ${hms(target.t)}: ${target.text}`;
    li.append(quote);
    if (state.nodes.has(target.id)) {
      const show = document.createElement("button");
      show.type = "button";
      show.className = "button button--small";
      show.textContent = i18n.show_post;
      show.addEventListener("click", () => showPost(target));
      li.append(show);
    }
  }
  return li;
}

function showPost(target) {
  const li = state.nodes.get(target.id);
  if (!li) return;
  activate(target.platform);
  li.scrollIntoView({ block: "center" });
  li.focus({ preventScroll: true });
  li.classList.remove("post--flash");
  void li.offsetWidth; // restart the animation
  li.classList.add("post--flash");
}

$("[data-action-filter]").addEventListener("change", () => { if (state.frame) showActions(state.frame); });

// ---- play, pause, steps ------------------------------------------------------------------------

let lastFrameAt = null;

function tick(now) {
  if (!state.playing) return;
  if (lastFrameAt !== null) {
    const t = state.t + ((now - lastFrameAt) / 1000) * state.speed;
    setTime(t);
    if (state.t >= state.end) { pause(); return; }
  }
  lastFrameAt = now;
  requestAnimationFrame(tick);
}

function play() {
  if (state.end <= 0) return;
  if (state.t >= state.end) setTime(0);
  state.playing = true;
  lastFrameAt = null;
  playButton.textContent = i18n.pause;
  playButton.setAttribute("aria-pressed", "true");
  requestAnimationFrame(tick);
}

function pause() {
  if (!state.playing) return;
  state.playing = false;
  playButton.textContent = i18n.play;
  playButton.setAttribute("aria-pressed", "false");
  syncUrl(true);
}

function toggle() {
  if (state.playing) pause(); else play();
}

function step(seconds) {
  pause();
  setTime(state.t + seconds);
}

// the next (or previous) mark strictly after (before) the current time
function jump(kind, forward) {
  const times = (kind === "inject" ? state.marks.injects : state.marks.actions).map((m) => m.t);
  const here = state.t;
  const target = forward
    ? times.find((t) => t > here + 0.5)
    : [...times].reverse().find((t) => t < here - 0.5);
  if (target === undefined) return;
  pause();
  setTime(target);
}

playButton.addEventListener("click", toggle);
$("[data-speed]").addEventListener("change", (event) => { state.speed = Number(event.target.value); });
for (const b of $$("[data-step]")) b.addEventListener("click", () => step(Number(b.dataset.step)));
for (const b of $$("[data-jump]")) {
  b.addEventListener("click", () => {
    const [direction, kind] = b.dataset.jump.split("-");
    jump(kind, direction === "next");
  });
}
range.addEventListener("input", () => {
  pause();
  setTime(Number(range.value), { fetchNow: false });
  want(state.t, { throttle: true });
});
range.addEventListener("change", () => want(state.t));

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  const onRange = target === range;
  if (!onRange && target.closest?.("input, textarea, select")) return;
  const key = event.key;
  const handled = () => event.preventDefault();
  if (key === " " && !target.closest?.("button, summary")) { handled(); toggle(); }
  else if (key === "ArrowLeft" || key === "ArrowRight") {
    if (!onRange && target.closest?.(".posts, .actions-list")) return;
    handled();
    step((key === "ArrowRight" ? 1 : -1) * (event.shiftKey ? 10 : 60));
  } else if (key === "Home" || key === "End") {
    if (!onRange && target.closest?.(".posts, .actions-list")) return;
    handled();
    pause();
    setTime(key === "Home" ? 0 : state.end);
  } else if (key === "i" || key === "I") { handled(); jump("inject", key === "i"); }
  else if (key === "a" || key === "A") { handled(); jump("action", key === "a"); }
  else if (key === "?") { const keys = $(".scrubber__keys"); keys.open = !keys.open; }
  else if (onRange && (key === "ArrowUp" || key === "ArrowDown" || key === "PageUp" || key === "PageDown")) {
    handled();
    step((key === "ArrowUp" || key === "PageUp" ? 1 : -1) * 60);
  }
});

// ---- the address bar, the team -------------------------------------------------------------

function syncUrl(force = false) {
  const now = performance.now();
  if (!force && state.playing && now - state.urlAt < URL_EVERY) return;
  state.urlAt = now;
  const url = new URL(window.location.href);
  url.searchParams.set("team", String(state.team));
  url.searchParams.set("t", String(Math.round(state.t)));
  history.replaceState(null, "", url);
  const debrief = $("[data-debrief]");
  debrief.href = `${data.urls.debrief}#team-${state.team}`;
}

$("[data-team]").addEventListener("change", async (event) => {
  const team = Number(event.target.value);
  state.team = team;
  state.shown = null;
  state.nodes = new Map();
  try {
    await loadMarks(team);
  } catch (error) {
    say(fmt(i18n.failed, { message: error.message }), true);
    return;
  }
  setTime(state.t);
  syncUrl(true);
});

// ---- tabs (on a phone, one column at a time) -------------------------------------------------

function activate(name) {
  for (const tab of $$("[data-tab]")) tab.setAttribute("aria-selected", String(tab.dataset.tab === name));
  for (const column of $$("[data-column]")) column.classList.toggle("column--active", column.dataset.column === name);
}
for (const tab of $$("[data-tab]")) tab.addEventListener("click", () => activate(tab.dataset.tab));

// ---- start --------------------------------------------------------------------------------

loadMarks(state.team)
  .then(() => setTime(state.t === null ? state.end : state.t))
  .catch((error) => say(fmt(i18n.failed, { message: error.message }), true));

window.stormdrill = { replay: () => ({ team: state.team, t: state.t, shown: state.shown, end: state.end }) };
