// Rendering posts in platform columns. Every piece of user or scenario text goes through
// textContent: it stays inert.
//
// While someone reads a column (scrolled down, or focus inside it), new posts do not push the
// list away: they wait behind a "12 new" bar, shown on click (as TweetDeck does). Older posts
// come from the server a page at a time ("load older" at the bottom of each column). Shares and
// replies are counters on the post, kept live.

import { hms } from "./clock.js";
import { number, plural } from "./numbers.js";
import { engagement } from "./play/engagement.js";

const MAX_PER_COLUMN = 250;
const FIRST_PAGE = 50; // posts of a column in a snapshot (SNAPSHOT_PER_PLATFORM)

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function renderPost(post, i18n, counts = { shares: 0, replies: 0 }) {
  const li = el("li", `post post--${post.kind}${post.author.persona === "brand" ? " post--brand" : ""}`);
  li.dataset.id = post.id;
  li.tabIndex = -1;
  const head = el("div", "post__head");
  head.append(el("span", "post__name", post.author.name));
  head.append(el("span", "post__handle", post.author.handle));
  if (post.author.verified) {
    const badge = el("span", "post__verified", "✓");
    badge.title = i18n.verified;
    badge.setAttribute("aria-label", i18n.verified);
    head.append(badge);
  }
  head.append(el("span", "post__time mono", hms(post.t)));
  li.append(head);
  const plain = post.kind === "post" || post.kind === "message" || (post.kind === "comment" && !post.parent);
  if (!plain) li.append(el("span", "post__kind", i18n[post.kind] || post.kind));
  // a title or headline, unless the text already starts with it
  for (const title of [post.title, post.headline]) {
    if (title && !post.text.startsWith(title)) li.append(el("p", "post__title", title));
  }
  const stars = Math.max(0, Math.min(5, Math.round(Number(post.rating) || 0)));
  if (stars) li.append(el("span", "post__rating", "★".repeat(stars) + "☆".repeat(5 - stars)));
  li.append(el("p", "post__text", post.text));
  const foot = el("div", "post__foot");
  foot.append(el("span", "", plural(i18n.followers, post.author.followers)));
  foot.append(el("span", "post__count", ""));
  li.append(foot);
  li.post = post; // what its counters are read from (likes and views: play/engagement.js)
  setCounts(li, counts, i18n);
  return li;
}

// The counters a platform shows, in its order, each as [icon, plural forms, n]
export function counters(post, { shares = 0, replies = 0 }, i18n) {
  const { likes, views } = engagement(post, { shares, replies });
  const out = [];
  // a page without the words for likes or views (the replay) shows shares and replies only
  if (likes !== null && i18n.likes) out.push(["♥", i18n.likes, likes]);
  out.push(["↻", i18n.shares, shares], ["💬", i18n.replies, replies]);
  if (views !== null && i18n.views) out.push(["👁", i18n.views, views]);
  return out;
}

// "♥ 40 · ↻ 12 · 💬 3 · 👁 2 100": the post's counters in the whole storm (shown or not)
export function setCounts(li, counts, i18n) {
  const label = li.querySelector(".post__count");
  if (!label || !li.post) return;
  const shown = counters(li.post, counts, i18n).filter(([, , n]) => n);
  label.textContent = shown.length ? ` · ${shown.map(([icon, , n]) => `${icon} ${number(n)}`).join(" · ")}` : "";
  label.title = shown.map(([, forms, n]) => plural(forms, n)).join(" · ");
}

export class Columns {
  constructor(root, i18n, { decorate = () => {}, visible = () => true, counts = () => undefined, older = null } = {}) {
    this.i18n = i18n;
    this.decorate = decorate;
    this.visible = visible;
    this.countsOf = counts;
    this.totals = {};
    this.olderButtons = new Map();
    this.lists = new Map();
    this.pending = new Map();
    this.newBars = new Map();
    for (const list of root.querySelectorAll("[data-posts]")) {
      const platform = list.dataset.posts;
      this.lists.set(platform, list);
      this.pending.set(platform, []);
      list.addEventListener("scroll", () => { if (list.scrollTop < 4) this.release(platform); });
    }
    for (const bar of root.querySelectorAll("[data-new]")) {
      this.newBars.set(bar.dataset.new, bar);
      bar.addEventListener("click", () => this.release(bar.dataset.new, true));
    }
    this.countLabels = root.querySelectorAll("[data-count]");
    for (const button of root.querySelectorAll("[data-older]")) {
      this.olderButtons.set(button.dataset.older, button);
      button.addEventListener("click", () => older?.(button.dataset.older));
    }
  }

  // The oldest post rendered in a column: where its next page of older posts starts.
  oldest(platform) {
    const last = this.lists.get(platform)?.lastElementChild;
    return last ? last.dataset.id : null;
  }

  // A page of older posts (newest first) goes to the bottom of its column.
  append(platform, posts, more) {
    const list = this.lists.get(platform);
    if (!list) return;
    const have = new Set([...list.children].map((li) => li.dataset.id));
    const nodes = posts.filter((p) => !have.has(p.id)).map((post) => this.render(post));
    list.append(...nodes);
    const button = this.olderButtons.get(platform);
    if (button) button.hidden = !more;
    if (!more) (this.exhausted ??= new Set()).add(platform);
    else this.exhausted?.delete(platform);
  }

  render(post) {
    const li = renderPost(post, this.i18n, this.countsOf(post.id));
    this.decorate(li, post);
    li.hidden = !this.visible(post);
    return li;
  }

  recount(ids) {
    for (const id of ids) {
      for (const list of this.lists.values()) {
        const li = list.querySelector(`[data-id="${CSS.escape(id)}"]`);
        if (li) setCounts(li, this.countsOf(id), this.i18n);
      }
    }
  }

  setTotals(totals) {
    this.totals = { ...totals };
    this.updateCounts();
  }

  clear() {
    for (const list of this.lists.values()) list.replaceChildren();
    for (const key of this.pending.keys()) this.pending.set(key, []);
    for (const button of this.olderButtons.values()) button.hidden = true;
    this.exhausted = new Set();
    this.updateBars();
    this.updateCounts();
  }

  reading(platform) {
    const list = this.lists.get(platform);
    return list.scrollTop > 4 || list.contains(document.activeElement);
  }

  // Posts arrive oldest first; each goes to the top of its column, newest first.
  add(posts) {
    const byPlatform = new Map();
    for (const post of posts) {
      if (!this.lists.has(post.platform)) continue;
      if (!byPlatform.has(post.platform)) byPlatform.set(post.platform, []);
      byPlatform.get(post.platform).push(post);
    }
    for (const [platform, fresh] of byPlatform) {
      if (this.reading(platform)) this.pending.get(platform).push(...fresh);
      else this.insert(platform, fresh);
      // a full first page: there may be more on the server
      const button = this.olderButtons.get(platform);
      if (button && !this.exhausted?.has(platform) && this.lists.get(platform).childElementCount >= FIRST_PAGE) button.hidden = false;
    }
    this.updateBars();
    this.updateCounts();
  }

  insert(platform, posts) {
    const list = this.lists.get(platform);
    const nodes = posts.map((post) => this.render(post));
    nodes.reverse();
    list.prepend(...nodes);
    if (list.childElementCount > MAX_PER_COLUMN) {
      while (list.childElementCount > MAX_PER_COLUMN) list.lastElementChild.remove();
      const button = this.olderButtons.get(platform);
      if (button) button.hidden = false; // what left the column is a page away
    }
  }

  release(platform, focus = false) {
    const waiting = this.pending.get(platform);
    if (!waiting.length) return;
    this.pending.set(platform, []);
    this.insert(platform, waiting);
    this.updateBars();
    const list = this.lists.get(platform);
    list.scrollTop = 0;
    if (focus) list.querySelector(".post:not([hidden])")?.focus();
  }

  updateBars() {
    for (const [platform, bar] of this.newBars) {
      const n = this.pending.get(platform).length;
      bar.hidden = n === 0;
      bar.textContent = this.i18n.show_new.replace("{n}", n);
    }
  }

  // Each column's counter: the posts of the team's world on that platform, shown or only
  // counted (the server's figure, kept on a reload).
  updateCounts() {
    for (const label of this.countLabels) {
      const n = this.totals[label.dataset.count] ?? 0;
      label.textContent = number(n);
    }
  }

  *rendered(posts) {
    for (const list of this.lists.values()) {
      for (const li of list.children) {
        const post = posts.get(li.dataset.id);
        if (post) yield [li, post];
      }
    }
  }

  refilter(posts) {
    for (const [li, post] of this.rendered(posts)) li.hidden = !this.visible(post);
  }

  redecorate(posts) {
    for (const [li, post] of this.rendered(posts)) {
      this.decorate(li, post);
      li.hidden = !this.visible(post);
    }
  }

  redecorateOne(post) {
    const li = this.lists.get(post.platform)?.querySelector(`[data-id="${CSS.escape(post.id)}"]`);
    if (li) {
      this.decorate(li, post);
      li.hidden = !this.visible(post);
    }
  }
}
