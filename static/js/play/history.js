// Key posts kept and the whole history one search away: the "to handle" queue, the search
// over the team's whole world (server-side, a page at a time) and "load older" in columns.

import { hms } from "../clock.js";
import { plural } from "../numbers.js";
import { addPosts, applyCounts, parseClock, queue } from "./state.js";

export function setupHistory(ctx) {
  const { $, i18n, state, platforms } = ctx;

  function request(event, payload) {
    return new Promise((resolve) => {
      if (!ctx.socket.connected) return resolve({ ok: false, message: i18n.disconnected });
      ctx.socket.timeout(10000).emit(event, payload, (err, ack) => {
        resolve(err ? { ok: false, message: i18n.disconnected } : ack);
      });
    });
  }

  function keep(page) {
    addPosts(state, page.posts);
    const changed = applyCounts(state, page.counts || {});
    ctx.columns.recount(changed);
  }

  function resultItem(post, sheet) {
    const li = document.createElement("li");
    li.className = `result result--${post.sentiment}`;
    li.dataset.id = post.id;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "result__open";
    const head = document.createElement("span");
    head.className = "result__head";
    head.textContent = `${hms(post.t)} · ${platforms[post.platform] || post.platform} · ${post.author.name}`;
    const text = document.createElement("span");
    text.className = "result__text";
    text.textContent = post.text;
    button.append(head, text);
    button.addEventListener("click", () => { ctx.sheets.get(sheet).close(); ctx.openPost(post.id); });
    li.append(button);
    return li;
  }

  // ---- the "to handle" queue
  ctx.renderQueue = () => {
    const items = queue(state);
    $("[data-queue]").replaceChildren(...items.map((p) => resultItem(p, "queue")));
    $("[data-queue-empty]").hidden = items.length > 0;
    const badge = $("[data-queue-badge]");
    badge.textContent = String(items.length);
    badge.hidden = items.length === 0;
  };

  // ---- load older
  ctx.loadOlder = async (platform) => {
    const oldest = ctx.columns.oldest(platform);
    const post = oldest && state.posts.get(oldest);
    const ack = await request("older", post ? { platform, before: post.t, before_id: post.id } : { platform });
    if (!ack.ok) { ctx.showToast(ack.message); return; }
    keep(ack);
    ctx.columns.append(platform, ack.posts, ack.more);
  };

  // ---- search
  const sheet = ctx.sheets.get("search");
  const form = $("[data-search-form]", sheet);
  let next = null;

  async function run(more) {
    const criteria = { text: form.text.value.trim() };
    if (form.platform.value) criteria.platform = form.platform.value;
    if (form.tone.value) criteria.tone = form.tone.value;
    const from = parseClock(form.from.value);
    const to = parseClock(form.to.value);
    if (Number.isNaN(from) || Number.isNaN(to)) {
      $("[data-search-message]", sheet).textContent = i18n.bad_time;
      return;
    }
    if (from !== null) criteria.from = from;
    if (to !== null) criteria.to = to;
    if (more && next) Object.assign(criteria, next);
    $("[data-search-message]", sheet).textContent = i18n.searching;
    const ack = await request("search", criteria);
    if (!ack.ok) { $("[data-search-message]", sheet).textContent = ack.message; return; }
    keep(ack);
    const list = $("[data-results]", sheet);
    const items = ack.posts.map((p) => resultItem(p, "search"));
    if (more) list.append(...items); else list.replaceChildren(...items);
    const last = ack.posts[ack.posts.length - 1];
    next = ack.more && last ? { before: last.t, before_id: last.id } : null;
    $("[data-search-more]", sheet).hidden = !next;
    $("[data-search-message]", sheet).textContent = list.childElementCount
      ? plural(i18n.results, list.childElementCount) + (next ? "+" : "")
      : i18n.no_results;
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); run(false); });
  // from the radar: a rising term, a platform catching fire
  ctx.searchFor = ({ text = "", platform = "", from = null }) => {
    form.text.value = text;
    form.platform.value = platform;
    form.tone.value = "";
    form.from.value = from === null ? "" : `${Math.floor(from / 3600)}:${String(Math.floor((from % 3600) / 60)).padStart(2, "0")}`;
    form.to.value = "";
    ctx.openSheet("search");
    run(false);
  };
  $("[data-search-more]", sheet).addEventListener("click", () => run(true));

  // Enter in the toolbar's filter searches the whole history
  $("[data-search]").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    form.text.value = event.target.value;
    ctx.openSheet("search");
    run(false);
  });
}
