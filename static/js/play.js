// The participant's workspace: one socket to /play, a snapshot, then batches of posts in
// order; actions sent with idempotency keys and retried after a reconnection. The parts live
// in static/js/play/: state (pure: posts, counters, actions, the queue, filters, sequence),
// pending actions, drafts, sheets, inbox and history, chat, notices, search and queue, keys.

import { io } from "../vendor/socket.io.esm.min.js";
import { SessionClock, hms } from "./clock.js";
import { Columns } from "./feed.js";
import { setupChat } from "./play/chat.js";
import { Drafts, keepDrafts } from "./play/drafts.js";
import { setupHistory } from "./play/history.js";
import { setupInbox } from "./play/inbox.js";
import { setupKeys } from "./play/keys.js";
import { setupNotices } from "./play/notices.js";
import { Pending, newKey } from "./play/pending.js";
import { setupRadar } from "./play/radar.js";
import { setupSheets } from "./play/sheets.js";
import {
  addPosts, applyAction, applyCounts, batchStep, countsOf, createState, passes, queue,
  resetActions,
} from "./play/state.js";

const data = JSON.parse(document.getElementById("play-data").textContent);
const i18n = data.i18n;
const root = document.getElementById("play");
const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => [...scope.querySelectorAll(selector)];
const roleTitle = new Map(data.roles.map((r) => [r.id, r.title]));
const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

const clock = new SessionClock();
const state = createState();
const filters = { text: "", sentiment: "", unhandled: false };
const ctx = { data, i18n, root, $, $$, state, platforms: data.platforms };
ctx.badge = (className, text) => {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
};
const columns = new Columns(root, i18n, {
  decorate: (li, post) => decorate(li, post),
  visible: (post) => passes(post, filters, state.handled),
  counts: (id) => countsOf(state, id),
  older: (platform) => ctx.loadOlder(platform),
});
ctx.columns = columns;

// what people were writing survives a reload
ctx.drafts = new Drafts(`stormdrill.drafts.${data.participant}`);
const kept = keepDrafts(ctx.drafts, $$("[data-keep]:not([data-keep-per])"));
ctx.drafts.clear = kept.clear;
kept.restore();
ctx.postDrafts = keepDrafts(ctx.drafts, $$("[data-keep-per]"), () => state.open ?? "");

setupNotices(ctx);
setupInbox(ctx);
setupSheets(ctx);
setupChat(ctx);
setupHistory(ctx);
setupKeys(ctx);
setupRadar(ctx);

// ---- the socket --------------------------------------------------------------------------

const socket = io("/play", {
  auth: (cb) => cb(state.lastSeq === null ? {} : { last_seq: state.lastSeq }),
  transports: ["websocket", "polling"],
});
ctx.socket = socket;

// For tests and for the curious: how many times each post arrived, and a way to drop the
// connection for a while (as a flaky venue Wi-Fi does).
const received = new Map();
window.stormdrill = {
  received: () => Object.fromEntries(received),
  post: (id) => state.posts.get(id) ?? null,
  counts: (id) => state.counts.get(id) ?? null,
  queue: () => queue(state).map((p) => p.id),
  tag: (id) => state.tags.get(id) ?? null,
  drop(ms) {
    socket.io.reconnection(false);
    socket.io.engine?.close();
    setTimeout(() => { socket.io.reconnection(true); socket.connect(); }, ms);
  },
};

socket.on("connect", () => {
  $("[data-conn]").classList.remove("conn--down");
  $("[data-conn]").title = i18n.connected;
  flushPending();
});
socket.on("disconnect", () => {
  $("[data-conn]").classList.add("conn--down");
  $("[data-conn]").title = i18n.disconnected;
});
socket.on("connect_error", () => $("[data-conn]").classList.add("conn--down"));

socket.on("snapshot", (snap) => {
  setClock(snap.clock);
  state.posts.clear();
  state.children.clear();
  state.key.clear();
  state.counts.clear();
  columns.clear();
  if (snap.team) {
    $("[data-team-name]").textContent = snap.team.name;
    $("[data-lobby]").hidden = true;
    $("[data-feed]").hidden = false;
  }
  applyCounts(state, snap.counts || {}, snap.totals || {});
  columns.setTotals(state.totals);
  showPosts(snap.posts, { quiet: true });
  addPosts(state, snap.key_posts || []); // kept for the queue, not put back in the columns
  resetAll(snap.actions || []);
  ctx.showRadar?.(snap.radar);
  state.lastSeq = snap.seq;
});

socket.on("posts", (batch) => {
  const step = batchStep(state.lastSeq, batch.seq);
  if (step === "resync") socket.emit("resync", { last_seq: state.lastSeq });
  if (step !== "apply") return;
  showPosts(batch.posts);
  counters(batch);
  state.lastSeq = batch.seq;
});
socket.on("counts", counters);
socket.on("radar", (radar) => ctx.showRadar?.(radar));

function counters(payload) {
  const changed = applyCounts(state, payload.counts || {}, payload.totals);
  columns.recount(changed);
  if (payload.totals) columns.setTotals(state.totals);
  if (state.open && changed.includes(state.open)) ctx.renderSheet(state.open);
}

socket.on("clock", setClock);
socket.on("ended", setClock);
socket.on("actions", (payload) => resetAll(payload.actions));
socket.on("action", (action) => takeAction(action, true));
socket.on("notice", (notice) => ctx.notice(notice));
socket.on("hotwash", ({ url }) => showHotwash(url));
if (data.hotwash) showHotwash(data.hotwash);
function showHotwash(url) {
  if ($("[data-hotwash]")) return;
  const link = Object.assign(document.createElement("a"), {
    href: url, className: "button button--primary", textContent: i18n.hotwash,
  });
  link.dataset.hotwash = "";
  $("[data-ended]").append(link);
  $("[data-ended]").hidden = false;
}
socket.on("moved", () => window.location.reload());
socket.on("removed", () => {
  socket.disconnect();
  document.body.textContent = i18n.removed;
});

// ---- the clock ------------------------------------------------------------------------

function setClock(payload) {
  clock.set(payload);
  const status = $("[data-status]");
  status.textContent = i18n[payload.status] || payload.status;
  status.className = `status status--${payload.status}`;
  $("[data-speed]").textContent = payload.status === "running" ? `${payload.speed}×` : "";
  tickClock();
  if (payload.status === "ended") $("[data-ended]").hidden = false;
}
function tickClock() {
  $("[data-clock]").textContent = hms(clock.now());
}
setInterval(tickClock, 250);

// ---- posts ----------------------------------------------------------------------------

function showPosts(posts, { quiet = false } = {}) {
  for (const p of posts) received.set(p.id, (received.get(p.id) || 0) + 1);
  const fresh = addPosts(state, posts);
  columns.add(fresh);
  if (fresh.length && !quiet) {
    $("[data-announce]").textContent = fmt(i18n.new_posts, { n: fresh.length });
  }
  if (fresh.some((p) => state.key.has(p.id))) ctx.renderQueue();
  if (state.open && fresh.some((p) => p.parent === state.open)) ctx.renderSheet(state.open);
}

function decorate(li, post) {
  li.querySelector(".post__badges")?.remove();
  const badges = document.createElement("div");
  badges.className = "post__badges";
  if (state.key.has(post.id)) badges.append(ctx.badge("tag tag--key", i18n.key_post));
  const tag = state.tags.get(post.id);
  if (tag) badges.append(ctx.badge(`tag tag--${tag.tag}`, i18n[`tag_${tag.tag}`]));
  for (const e of state.escalations.get(post.id) || []) {
    badges.append(ctx.badge("tag tag--escalated",
      fmt(i18n.escalated_to, { role: roleTitle.get(e.role) || e.role, severity: e.severity })));
  }
  for (const a of state.answers.get(post.id) || []) {
    if (a.type === "dm" || a.type === "reply") {
      badges.append(ctx.badge(`tag tag--answered`, a.type === "dm" ? i18n.dm_sent : i18n.replied));
    }
  }
  if (badges.childElementCount) li.querySelector(".post__head").after(badges);
  li.classList.toggle("post--handled", state.handled.has(post.id));
}

// filters of the columns: words, tone, not yet handled (Enter searches the whole history)
$("[data-search]").addEventListener("input", (event) => {
  filters.text = event.target.value.trim();
  columns.refilter(state.posts);
});
$("[data-filter-sentiment]").addEventListener("change", (event) => {
  filters.sentiment = event.target.value;
  columns.refilter(state.posts);
});
$("[data-filter-unhandled]").addEventListener("change", (event) => {
  filters.unhandled = event.target.checked;
  columns.refilter(state.posts);
});
$("[data-tools-toggle]").addEventListener("click", (event) => {
  const open = event.currentTarget.getAttribute("aria-expanded") !== "true";
  event.currentTarget.setAttribute("aria-expanded", String(open));
  $("[data-tools]").classList.toggle("toolbar__tools--open", open);
});

// ---- actions: what the team did -----------------------------------------------------------

function resetAll(actions) {
  resetActions(state);
  ctx.resetInbox();
  $("[data-chat]").replaceChildren();
  ctx.unread.chat = 0;
  for (const action of actions) takeAction(action, false);
  ctx.showBadges();
  ctx.renderQueue();
  columns.redecorate(state.posts);
}

function takeAction(action, live) {
  const applied = applyAction(state, action);
  if (!applied) return;
  if (applied === "status") { // a draft pushed again once decided
    const draft = state.actions.get(action.id);
    ctx.updateDraft(draft);
    if (state.open && state.open === draft.target) ctx.renderSheet(state.open);
    ctx.renderQueue();
    return;
  }
  ctx.inboxAction(action, live);
  if (action.type === "chat") ctx.chatLine(action, live && action.by.id !== data.participant);
  if (live) {
    const target = action.target || state.actions.get(action.draft)?.target;
    if (target && state.posts.has(target)) columns.redecorateOne(state.posts.get(target));
    if (state.open && state.open === target) ctx.renderSheet(state.open);
    ctx.renderQueue();
    ctx.showBadges();
  }
}

// pending actions survive a dropped connection and a reload: retried with the same key
const pending = new Pending(`stormdrill.pending.${data.participant}`);

ctx.send = (payload) => {
  const action = { key: newKey(), ...payload };
  pending.add(action);
  return emitAction(action);
};

function emitAction(action) {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve({ ok: false, queued: true, message: i18n.queued });
    socket.timeout(8000).emit("action", action, (err, ack) => {
      if (err) return resolve({ ok: false, queued: true, message: i18n.queued });
      pending.done(action.key);
      resolve(ack);
    });
  });
}

async function flushPending() {
  for (const action of pending.list()) await emitAction(action);
}

// ---- lobby --------------------------------------------------------------------------------

const chooseForm = $("[data-choose]");
chooseForm?.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(chooseForm);
  const payload = { role: form.get("role") };
  if (form.get("team")) payload.team = Number(form.get("team"));
  socket.emit("choose", payload, (ack) => {
    $("[data-choose-error]").textContent = ack.ok ? "" : ack.message;
    if (ack.ok && ack.team) window.location.reload();
  });
});
