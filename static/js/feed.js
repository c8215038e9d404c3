// Rendering posts in platform columns. Every piece of user or scenario text goes through
// textContent: it stays inert.
//
// While someone reads a column (scrolled down, or focus inside it), new posts do not push the
// list away: they wait behind a "12 new" bar, shown on click (as TweetDeck does).

import { hms } from "./clock.js";
import { plural } from "./numbers.js";

const MAX_PER_COLUMN = 250;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function renderPost(post, i18n) {
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
  li.append(el("p", "post__text", post.text));
  li.append(el("div", "post__foot", plural(i18n.followers, post.author.followers)));
  return li;
}

export class Columns {
  constructor(root, i18n, { decorate = () => {}, visible = () => true } = {}) {
    this.i18n = i18n;
    this.decorate = decorate;
    this.visible = visible;
    this.lists = new Map();
    this.counts = new Map();
    this.pending = new Map();
    this.newBars = new Map();
    for (const list of root.querySelectorAll("[data-posts]")) {
      const platform = list.dataset.posts;
      this.lists.set(platform, list);
      this.counts.set(platform, 0);
      this.pending.set(platform, []);
      list.addEventListener("scroll", () => { if (list.scrollTop < 4) this.release(platform); });
    }
    for (const bar of root.querySelectorAll("[data-new]")) {
      this.newBars.set(bar.dataset.new, bar);
      bar.addEventListener("click", () => this.release(bar.dataset.new, true));
    }
    this.countLabels = root.querySelectorAll("[data-count]");
  }

  clear() {
    for (const list of this.lists.values()) list.replaceChildren();
    for (const key of this.counts.keys()) {
      this.counts.set(key, 0);
      this.pending.set(key, []);
    }
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
      this.counts.set(post.platform, this.counts.get(post.platform) + 1);
    }
    for (const [platform, fresh] of byPlatform) {
      if (this.reading(platform)) this.pending.get(platform).push(...fresh);
      else this.insert(platform, fresh);
    }
    this.updateBars();
    this.updateCounts();
  }

  insert(platform, posts) {
    const list = this.lists.get(platform);
    const nodes = posts.map((post) => {
      const li = renderPost(post, this.i18n);
      this.decorate(li, post);
      li.hidden = !this.visible(post);
      return li;
    });
    nodes.reverse();
    list.prepend(...nodes);
    while (list.childElementCount > MAX_PER_COLUMN) list.lastElementChild.remove();
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

  updateCounts() {
    for (const label of this.countLabels) {
      label.textContent = String(this.counts.get(label.dataset.count) ?? 0);
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
