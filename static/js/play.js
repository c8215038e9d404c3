// The participant's workspace: one socket to /play, a snapshot, then batches of posts in
// order; actions sent with idempotency keys and retried after a reconnection.

import { io } from "../vendor/socket.io.esm.min.js";
import { SessionClock, hms } from "./clock.js";
import { Columns } from "./feed.js";
import { plural } from "./numbers.js";

const data = JSON.parse(document.getElementById("play-data").textContent);
const i18n = data.i18n;
const root = document.getElementById("play");
const $ = (selector, scope = root) => scope.querySelector(selector);
const $$ = (selector, scope = root) => [...scope.querySelectorAll(selector)];
const roleTitle = new Map(data.roles.map((r) => [r.id, r.title]));
const fmt = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

const clock = new SessionClock();
const state = {
  lastSeq: null,
  posts: new Map(), // id -> post (capped)
  children: new Map(), // parent id -> [child ids]
  tags: new Map(), // post id -> {tag, by}
  escalations: new Map(), // post id -> [action]
  handled: new Set(), // post ids the team tagged, escalated, answered or removed
  actions: new Map(), // action id -> action
  open: null, // the post shown in the post sheet
};
const MAX_POSTS = 30000;
const columns = new Columns(root, i18n, {
  decorate: (li, post) => decorate(li, post),
  visible: (post) => passesFilters(post),
});

// ---- the socket --------------------------------------------------------------------------

const socket = io("/play", {
  auth: (cb) => cb(state.lastSeq === null ? {} : { last_seq: state.lastSeq }),
  transports: ["websocket", "polling"],
});

// For tests and for the curious: how many times each post arrived, and a way to drop the
// connection for a while (as a flaky venue Wi-Fi does).
const received = new Map();
window.stormdrill = {
  received: () => Object.fromEntries(received),
  post: (id) => state.posts.get(id) ?? null,
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
  columns.clear();
  if (snap.team) {
    $("[data-team-name]").textContent = snap.team.name;
    $("[data-lobby]").hidden = true;
    $("[data-feed]").hidden = false;
  }
  resetActions(snap.actions || []);
  addPosts(snap.posts, { quiet: true });
  state.lastSeq = snap.seq;
});

socket.on("posts", (batch) => {
  if (state.lastSeq === null) return; // a snapshot is on its way
  if (batch.seq <= state.lastSeq) return; // already have it
  if (batch.seq > state.lastSeq + 1) {
    socket.emit("resync", { last_seq: state.lastSeq });
    return;
  }
  addPosts(batch.posts);
  state.lastSeq = batch.seq;
});

socket.on("clock", setClock);
socket.on("ended", setClock);
socket.on("actions", (payload) => resetActions(payload.actions));
socket.on("action", (action) => applyAction(action, true));
socket.on("notice", (notice) => {
  showNotice(notice);
  inboxNotice(notice);
});
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

function addPosts(posts, { quiet = false } = {}) {
  for (const p of posts) received.set(p.id, (received.get(p.id) || 0) + 1);
  const fresh = posts.filter((p) => !state.posts.has(p.id));
  for (const p of fresh) {
    state.posts.set(p.id, p);
    if (p.parent) {
      if (!state.children.has(p.parent)) state.children.set(p.parent, []);
      state.children.get(p.parent).push(p.id);
    }
  }
  while (state.posts.size > MAX_POSTS) state.posts.delete(state.posts.keys().next().value);
  columns.add(fresh);
  if (fresh.length && !quiet) {
    $("[data-announce]").textContent = fmt(i18n.new_posts, { n: fresh.length });
  }
  if (state.open && fresh.some((p) => p.parent === state.open)) renderSheet(state.open);
}

function decorate(li, post) {
  li.querySelector(".post__badges")?.remove();
  const badges = document.createElement("div");
  badges.className = "post__badges";
  const tag = state.tags.get(post.id);
  if (tag) badges.append(badge(`tag tag--${tag.tag}`, i18n[`tag_${tag.tag}`]));
  for (const e of state.escalations.get(post.id) || []) {
    badges.append(badge("tag tag--escalated",
      fmt(i18n.escalated_to, { role: roleTitle.get(e.role) || e.role, severity: e.severity })));
  }
  if (badges.childElementCount) li.querySelector(".post__head").after(badges);
  li.classList.toggle("post--handled", state.handled.has(post.id));
}

function badge(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

// filters: search, tone, not yet handled
const filters = { text: "", sentiment: "", unhandled: false };
function passesFilters(post) {
  if (filters.sentiment && post.sentiment !== filters.sentiment) return false;
  if (filters.unhandled && state.handled.has(post.id)) return false;
  if (filters.text) {
    const hay = `${post.text} ${post.author.name} ${post.author.handle}`.toLowerCase();
    if (!hay.includes(filters.text)) return false;
  }
  return true;
}
$("[data-search]").addEventListener("input", (event) => {
  filters.text = event.target.value.trim().toLowerCase();
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

// ---- actions: what the team did -----------------------------------------------------------

function resetActions(actions) {
  state.tags.clear();
  state.escalations.clear();
  state.handled.clear();
  state.actions.clear();
  $("[data-inbox]").replaceChildren();
  $("[data-chat]").replaceChildren();
  unread.inbox = 0;
  unread.chat = 0;
  for (const action of actions) applyAction(action, false);
  showBadges();
  columns.redecorate(state.posts);
}

function applyAction(action, live) {
  const known = state.actions.get(action.id);
  if (known) {  // a draft pushed again once decided
    if (known.status !== action.status) {
      known.status = action.status;
      updateDraftItem(known);
    }
    return;
  }
  state.actions.set(action.id, action);
  const mine = action.by.id === data.participant;
  const target = action.target;
  if (action.type === "tag" && target) {
    state.tags.set(target, { tag: action.tag, by: action.by.name });
    state.handled.add(target);
  } else if (action.type === "escalate" && target) {
    if (!state.escalations.has(target)) state.escalations.set(target, []);
    state.escalations.get(target).push(action);
    state.handled.add(target);
    if (action.role === data.role) inboxItem(action, live);
  } else if (["reply", "dm", "hide", "delete"].includes(action.type) && target) {
    if (action.status !== "draft") state.handled.add(target);
    if (action.status === "draft" && action.role === data.role) inboxItem(action, live);
  } else if (action.type === "holding_statement" && action.status === "draft" && action.role === data.role) {
    inboxItem(action, live);
  } else if (action.type === "approve" || action.type === "reject") {
    const draft = state.actions.get(action.draft);
    if (draft) {
      draft.status = action.type === "approve" ? "approved" : "rejected";
      updateDraftItem(draft);
      if (draft.by.id === data.participant) inboxItem(action, live);
    }
  } else if (action.type === "chat") {
    chatLine(action, live && !mine);
  }
  if (live) {
    if (target && state.posts.has(target)) columns.redecorateOne(state.posts.get(target));
    if (state.open && (state.open === target)) renderSheet(state.open);
    showBadges();
  }
}

// pending actions survive a dropped connection and a reload: retried with the same key
const pendingKey = `stormdrill.pending.${data.participant}`;
function loadPending() {
  try { return JSON.parse(localStorage.getItem(pendingKey) || "[]"); } catch { return []; }
}
function savePending(list) {
  try { localStorage.setItem(pendingKey, JSON.stringify(list)); } catch { /* private mode */ }
}
function newKey() {
  if (window.crypto?.randomUUID) return window.crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

function send(payload) {
  const action = { key: newKey(), ...payload };
  savePending([...loadPending(), action]);
  return emitAction(action);
}

function emitAction(action) {
  return new Promise((resolve) => {
    if (!socket.connected) return resolve({ ok: false, queued: true, message: i18n.queued });
    socket.timeout(8000).emit("action", action, (err, ack) => {
      if (err) return resolve({ ok: false, queued: true, message: i18n.queued });
      savePending(loadPending().filter((a) => a.key !== action.key));
      resolve(ack);
    });
  });
}

async function flushPending() {
  for (const action of loadPending()) await emitAction(action);
}

// ---- the post sheet ------------------------------------------------------------------------

const sheets = new Map($$("[data-sheet]").map((d) => [d.dataset.sheet, d]));
for (const dialog of sheets.values()) {
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (dialog.dataset.sheet === "post") {
      const back = state.open && root.querySelector(`.post[data-id="${CSS.escape(state.open)}"]`);
      state.open = null;
      back?.focus();
    }
  });
}
function openSheet(name) {
  const dialog = sheets.get(name);
  if (!dialog.open) dialog.showModal();
  return dialog;
}

function profileOf(post) {
  const box = document.createElement("div");
  const name = document.createElement("strong");
  name.textContent = post.author.name;
  const handle = document.createElement("span");
  handle.className = "post__handle";
  handle.textContent = ` ${post.author.handle}`;
  box.append(name, handle);
  if (post.author.verified) box.append(badge("post__verified", "✓"));
  const followers = document.createElement("p");
  followers.className = "profile__followers";
  followers.textContent = plural(i18n.followers, post.author.followers);
  box.append(followers);
  return box;
}

function threadItem(post, current) {
  const li = document.createElement("li");
  li.className = `thread__item${current ? " thread__item--current" : ""}`;
  const who = document.createElement("strong");
  who.textContent = post.author.name;
  const when = document.createElement("span");
  when.className = "post__time mono";
  when.textContent = ` ${hms(post.t)}`;
  const text = document.createElement("p");
  text.textContent = post.text;
  li.append(who, when, text);
  return li;
}

function descendants(id) {
  let replies = 0;
  let shares = 0;
  const stack = [...(state.children.get(id) || [])];
  while (stack.length) {
    const child = state.posts.get(stack.pop());
    if (!child) continue;
    if (child.kind === "share") shares += 1; else replies += 1;
    stack.push(...(state.children.get(child.id) || []));
  }
  return { replies, shares };
}

function renderSheet(id) {
  const post = state.posts.get(id);
  const dialog = sheets.get("post");
  if (!post) return;
  $("[data-profile]", dialog).replaceChildren(profileOf(post));
  const thread = $("[data-thread]", dialog);
  thread.replaceChildren();
  const ancestors = [];
  let cursor = post.parent && state.posts.get(post.parent);
  while (cursor && ancestors.length < 10) {
    ancestors.unshift(cursor);
    cursor = cursor.parent && state.posts.get(cursor.parent);
  }
  for (const a of ancestors) thread.append(threadItem(a, false));
  thread.append(threadItem(post, true));
  const kids = (state.children.get(id) || []).map((c) => state.posts.get(c)).filter(Boolean);
  for (const k of kids.slice(-15)) thread.append(threadItem(k, false));
  const m = descendants(id);
  $("[data-metrics]", dialog).textContent = `${plural(i18n.replies, m.replies)} · ${plural(i18n.shares, m.shares)}`;
  const removable = post.platform === "brand_page" && post.author.persona !== "brand";
  for (const b of $$("[data-remove]", dialog)) b.hidden = !removable;
  const tag = state.tags.get(id);
  for (const b of $$("[data-tag]", dialog)) b.setAttribute("aria-pressed", String(tag?.tag === b.dataset.tag));
}

function openPost(id, focus) {
  state.open = id;
  renderSheet(id);
  const dialog = openSheet("post");
  $("[data-sheet-message]", dialog).textContent = "";
  $("[data-approval-hint]", dialog).hidden = !data.needs_approval;
  if (focus === "escalate") $("#esc-role", dialog).focus();
  else if (focus === "reply") $("#reply-text", dialog).focus();
}

function say(dialog, ack, okText) {
  const box = $("[data-sheet-message]", dialog);
  box.textContent = ack.ok ? okText : ack.message;
  box.classList.toggle("is-error", !ack.ok);
}

async function tag(id, value) {
  const ack = await send({ type: "tag", target: id, tag: value });
  if (!ack.ok && !ack.queued) showToast(ack.message);
  if (sheets.get("post").open) say(sheets.get("post"), ack, i18n.sent);
}

const postSheet = sheets.get("post");
for (const b of $$("[data-tag]", postSheet)) b.addEventListener("click", () => tag(state.open, b.dataset.tag));
for (const b of $$("[data-remove]", postSheet)) {
  b.addEventListener("click", async () => {
    say(postSheet, await send({ type: b.dataset.remove, target: state.open }), i18n.sent);
  });
}
$("[data-escalate]", postSheet).addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const ack = await send({ type: "escalate", target: state.open, role: form.role.value,
    severity: Number(form.severity.value), text: form.text.value });
  say(postSheet, ack, i18n.sent);
  if (ack.ok) form.text.value = "";
});
$("[data-reply]", postSheet).addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const type = form.type.value;
  const ack = await send({ type, target: state.open, text: form.text.value });
  say(postSheet, ack, ack.action?.status === "draft" ? i18n.draft_sent : i18n.sent);
  if (ack.ok) form.text.value = "";
});

// holding statement and memo
const statement = sheets.get("statement");
function fillStatement() {
  const index = Number($("[data-playbook]", statement).value || 0);
  $("#statement-text", statement).value = data.playbook[index]?.text ?? "";
}
$("[data-playbook]", statement)?.addEventListener("change", fillStatement);
$("[data-statement]", statement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const ack = await send({ type: "holding_statement", text: event.target.text.value });
  say(statement, ack, ack.action?.status === "draft" ? i18n.draft_sent : i18n.sent);
});
const memo = sheets.get("memo");
$("[data-memo]", memo).addEventListener("submit", async (event) => {
  event.preventDefault();
  const ack = await send({ type: "memo", text: event.target.text.value });
  say(memo, ack, i18n.sent);
  if (ack.ok) event.target.text.value = "";
});

for (const b of $$("[data-open]")) {
  b.addEventListener("click", () => {
    const name = b.dataset.open;
    if (name === "statement") {
      fillStatement();
      $("[data-approval-hint]", statement).hidden = !data.needs_approval;
    }
    if (name === "inbox") { unread.inbox = 0; showBadges(); }
    if (name === "chat") { unread.chat = 0; showBadges(); }
    openSheet(name);
  });
}

// ---- inbox and chat ------------------------------------------------------------------------

const unread = { inbox: 0, chat: 0 };
function showBadges() {
  for (const [name, count] of Object.entries(unread)) {
    const b = $(`[data-${name}-badge]`);
    b.textContent = String(count);
    b.hidden = count === 0;
  }
  $("[data-inbox-empty]").hidden = $("[data-inbox]").childElementCount > 0;
}

function beep() {
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = 880;
    gain.gain.value = 0.04;
    tone.connect(gain).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.15);
  } catch { /* no sound: the badge is enough */ }
}

function quote(action) {
  const post = action.target && state.posts.get(action.target);
  if (!post) return null;
  const p = document.createElement("blockquote");
  p.className = "inbox__quote";
  p.textContent = `${post.author.name}: ${post.text}`;
  return p;
}

function inboxItem(action, live) {
  const li = document.createElement("li");
  li.className = "inbox__item";
  li.dataset.action = action.id;
  const title = document.createElement("strong");
  const meta = document.createElement("span");
  meta.className = "muted";
  meta.textContent = ` ${hms(action.t)} · ${i18n.by} ${action.by.name}`;
  li.append(title, meta);
  if (action.type === "escalate") {
    title.textContent = `${i18n.escalation} · ${action.severity}/4`;
    li.classList.add(`inbox__item--sev${action.severity}`);
    const q = quote(action);
    if (q) li.append(q);
    if (action.text) li.append(Object.assign(document.createElement("p"), { textContent: action.text }));
    const open = document.createElement("button");
    open.type = "button";
    open.className = "button button--small";
    open.textContent = "→";
    open.setAttribute("aria-label", i18n.about);
    open.addEventListener("click", () => { sheets.get("inbox").close(); openPost(action.target); });
    if (action.target && state.posts.has(action.target)) li.append(open);
    if (live && action.severity >= 3) beep();
  } else if (action.type === "approve" || action.type === "reject") {
    title.textContent = action.type === "approve" ? i18n.your_draft_approved : i18n.your_draft_rejected;
    if (action.text) li.append(Object.assign(document.createElement("p"), { textContent: action.text }));
  } else {
    title.textContent = `${i18n.draft} · ${action.type === "holding_statement" ? i18n.statement : i18n.reply}`;
    const q = quote(action);
    if (q) li.append(q);
    const text = document.createElement("textarea");
    text.className = "field__input";
    text.rows = 4;
    text.value = action.text;
    text.setAttribute("aria-label", i18n.edit_approve);
    const approve = document.createElement("button");
    approve.type = "button";
    approve.className = "button button--small button--primary";
    approve.textContent = i18n.approve;
    approve.addEventListener("click", async () => {
      const edited = text.value.trim() !== action.text.trim();
      const ack = await send({ type: "approve", draft: action.id, ...(edited ? { text: text.value } : {}) });
      if (!ack.ok && !ack.queued) showToast(ack.message);
    });
    const comment = document.createElement("input");
    comment.className = "field__input";
    comment.placeholder = i18n.reject_comment;
    comment.setAttribute("aria-label", i18n.reject_comment);
    const reject = document.createElement("button");
    reject.type = "button";
    reject.className = "button button--small button--danger";
    reject.textContent = i18n.reject;
    reject.addEventListener("click", async () => {
      const ack = await send({ type: "reject", draft: action.id, text: comment.value || "—" });
      if (!ack.ok && !ack.queued) showToast(ack.message);
    });
    const row = document.createElement("div");
    row.className = "inbox__decide";
    row.append(approve, comment, reject);
    li.append(text, row);
    li.dataset.draft = action.id;
    updateDraftItem(action, li);
  }
  $("[data-inbox]").prepend(li);
  if (live) {
    unread.inbox += 1;
    showBadges();
  }
}

function updateDraftItem(draft, li = root.querySelector(`[data-draft="${draft.id}"]`)) {
  if (!li) return;
  const decided = draft.status !== "draft";
  li.classList.toggle("inbox__item--decided", decided);
  for (const control of li.querySelectorAll("button, textarea, input")) control.disabled = decided;
  if (decided) {
    li.querySelector(".inbox__status")?.remove();
    li.append(badge("inbox__status tag", draft.status === "approved" ? i18n.approved : i18n.rejected));
  }
}

function chatLine(action, count) {
  const li = document.createElement("li");
  li.className = `chat__line${action.by.id === data.participant ? " chat__line--mine" : ""}`;
  const who = document.createElement("strong");
  who.textContent = action.by.name;
  const when = document.createElement("span");
  when.className = "muted mono";
  when.textContent = ` ${hms(action.t)}`;
  const text = document.createElement("p");
  text.textContent = action.text;
  li.append(who, when, text);
  $("[data-chat]").append(li);
  li.scrollIntoView?.({ block: "nearest" });
  if (count && !sheets.get("chat").open) unread.chat += 1;
}

$("[data-chat-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = event.target.text;
  const ack = await send({ type: "chat", text: input.value });
  if (ack.ok || ack.queued) input.value = "";
  else showToast(ack.message);
});

// ---- notices ------------------------------------------------------------------------------

function showNotice(notice) {
  const box = document.createElement("div");
  box.className = `notice-card notice-card--${notice.kind}`;
  box.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = notice.kind === "call" ? `📞 ${i18n.call}` : i18n.notice;
  const text = document.createElement("p");
  text.textContent = notice.text;
  const close = document.createElement("button");
  close.type = "button";
  close.className = "notice-card__close";
  close.textContent = "×";
  close.setAttribute("aria-label", "OK");
  close.addEventListener("click", () => box.remove());
  box.append(title, text, close);
  $("[data-notices]").prepend(box);
  if (notice.kind === "call") beep();
}

function inboxNotice(notice) {
  const li = document.createElement("li");
  li.className = "inbox__item inbox__item--notice";
  const title = document.createElement("strong");
  title.textContent = notice.kind === "call" ? i18n.call : i18n.notice;
  const meta = document.createElement("span");
  meta.className = "muted";
  meta.textContent = ` ${hms(notice.sim)}`;
  const text = document.createElement("p");
  text.textContent = notice.text;
  li.append(title, meta, text);
  $("[data-inbox]").prepend(li);
  unread.inbox += 1;
  showBadges();
}

function showToast(text) {
  showNotice({ kind: "notice", text });
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

// ---- columns, tabs and the keyboard ---------------------------------------------------------

function activate(platform) {
  for (const tab of $$("[data-tab]")) tab.setAttribute("aria-selected", String(tab.dataset.tab === platform));
  for (const column of $$("[data-column]")) column.classList.toggle("column--active", column.dataset.column === platform);
}
for (const tab of $$("[data-tab]")) tab.addEventListener("click", () => activate(tab.dataset.tab));

root.addEventListener("click", (event) => {
  const li = event.target.closest(".post");
  if (li && !event.target.closest("a, button")) openPost(li.dataset.id);
});

function currentPost() {
  return document.activeElement?.closest?.(".post");
}
function focusPost(li) {
  if (!li) return;
  li.focus();
  li.scrollIntoView({ block: "nearest" });
}
function columnOf(element) {
  return element?.closest?.("[data-column]");
}
function moveColumn(step) {
  const cols = $$("[data-column]");
  const current = columnOf(document.activeElement) || cols.find((c) => c.classList.contains("column--active")) || cols[0];
  const next = cols[(cols.indexOf(current) + step + cols.length) % cols.length];
  activate(next.dataset.column);
  focusPost(next.querySelector(".post:not([hidden])") || next.querySelector("[data-posts]"));
}

document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select, dialog")) return;
  const post = currentPost();
  const list = columnOf(document.activeElement)?.querySelector("[data-posts]");
  const key = event.key;
  if (key === "j" || key === "ArrowDown" || key === "k" || key === "ArrowUp") {
    if (!list) return;
    event.preventDefault();
    const items = [...list.querySelectorAll(".post:not([hidden])")];
    const index = post ? items.indexOf(post) : -1;
    const forward = key === "j" || key === "ArrowDown";
    focusPost(items[Math.max(0, Math.min(items.length - 1, index + (forward ? 1 : -1)))]);
  } else if (key === "ArrowLeft" || key === "ArrowRight") {
    event.preventDefault();
    moveColumn(key === "ArrowRight" ? 1 : -1);
  } else if (key === "n") {
    columnOf(document.activeElement)?.querySelector("[data-new]:not([hidden])")?.click();
  } else if (post && key === "Enter") {
    event.preventDefault();
    openPost(post.dataset.id);
  } else if (post && (key === "i" || key === "w" || key === "h")) {
    tag(post.dataset.id, { i: "ignore", w: "watch", h: "handle" }[key]);
  } else if (post && key === "e") {
    event.preventDefault();
    openPost(post.dataset.id, "escalate");
  } else if (post && key === "r") {
    event.preventDefault();
    openPost(post.dataset.id, "reply");
  } else if (key === "?") {
    openSheet("keys");
  }
});
