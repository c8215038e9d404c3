// The sheets: a post (its thread, counters, what the team already answered, triage,
// escalation, reply or private message), the holding statement, the memo.

import { hms } from "../clock.js";
import { counters } from "../feed.js";
import { plural } from "../numbers.js";
import { countsOf } from "./state.js";

export function setupSheets(ctx) {
  const { $, $$, i18n, state, data, root } = ctx;
  const sheets = new Map($$("[data-sheet]").map((d) => [d.dataset.sheet, d]));
  ctx.sheets = sheets;

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
  ctx.openSheet = (name) => {
    const dialog = sheets.get(name);
    if (!dialog.open) dialog.showModal();
    return dialog;
  };

  function profileOf(post) {
    const box = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = post.author.name;
    const handle = document.createElement("span");
    handle.className = "post__handle";
    handle.textContent = ` ${post.author.handle}`;
    box.append(name, handle);
    if (post.author.verified) box.append(ctx.badge("post__verified", "✓"));
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

  // What the team sent about this post: public replies and private messages (drafts too).
  function answerItem(action) {
    const li = document.createElement("li");
    li.className = "answer";
    const title = document.createElement("strong");
    title.textContent = action.type === "dm" ? i18n.dm : i18n.reply_sent;
    const meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = ` ${hms(action.t)} · ${i18n.by} ${action.by.name}`;
    li.append(title, meta);
    if (action.status !== "done") li.append(" ", ctx.badge(`tag tag--${action.status}`, i18n[action.status] || action.status));
    li.append(Object.assign(document.createElement("p"), { textContent: action.text }));
    return li;
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
    const metrics = counters(post, countsOf(state, id), i18n);
    $("[data-metrics]", dialog).textContent = metrics.map(([, forms, n]) => plural(forms, n)).join(" · ");
    const answers = (state.answers.get(id) || []).filter((a) => a.type === "reply" || a.type === "dm");
    $("[data-answers]", dialog).replaceChildren(...answers.map(answerItem));
    $("[data-answers-block]", dialog).hidden = answers.length === 0;
    const removable = post.platform === "brand_page" && post.author.persona !== "brand";
    for (const b of $$("[data-remove]", dialog)) b.hidden = !removable;
    const tag = state.tags.get(id);
    for (const b of $$("[data-tag]", dialog)) b.setAttribute("aria-pressed", String(tag?.tag === b.dataset.tag));
  }
  ctx.renderSheet = renderSheet;

  ctx.openPost = (id, focus) => {
    if (!state.posts.has(id)) return;
    state.open = id;
    renderSheet(id);
    const dialog = ctx.openSheet("post");
    ctx.postDrafts.restore();
    $("[data-sheet-message]", dialog).textContent = "";
    $("[data-approval-hint]", dialog).hidden = !data.needs_approval;
    if (focus === "escalate") $("#esc-role", dialog).focus();
    else if (focus === "reply") $("#reply-text", dialog).focus();
  };

  function say(dialog, ack, okText) {
    const box = $("[data-sheet-message]", dialog);
    box.textContent = ack.ok ? okText : ack.message;
    box.classList.toggle("is-error", !ack.ok);
  }

  ctx.tag = async (id, value) => {
    const ack = await ctx.send({ type: "tag", target: id, tag: value });
    if (!ack.ok && !ack.queued) ctx.showToast(ack.message);
    if (sheets.get("post").open) say(sheets.get("post"), ack, i18n.sent);
  };

  const postSheet = sheets.get("post");
  for (const b of $$("[data-tag]", postSheet)) b.addEventListener("click", () => ctx.tag(state.open, b.dataset.tag));
  for (const b of $$("[data-remove]", postSheet)) {
    b.addEventListener("click", async () => {
      say(postSheet, await ctx.send({ type: b.dataset.remove, target: state.open }), i18n.sent);
    });
  }
  $("[data-escalate]", postSheet).addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const ack = await ctx.send({ type: "escalate", target: state.open, role: form.role.value,
      severity: Number(form.severity.value), text: form.text.value });
    say(postSheet, ack, i18n.sent);
    if (ack.ok) ctx.postDrafts.clear(form.text);
  });
  $("[data-reply]", postSheet).addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = event.target;
    const type = form.type.value;
    const ack = await ctx.send({ type, target: state.open, text: form.text.value });
    say(postSheet, ack, ack.action?.status === "draft" ? i18n.draft_sent : i18n.sent);
    if (ack.ok) ctx.postDrafts.clear(form.text);
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
    const ack = await ctx.send({ type: "holding_statement", text: event.target.text.value });
    say(statement, ack, ack.action?.status === "draft" ? i18n.draft_sent : i18n.sent);
  });
  const memo = sheets.get("memo");
  $("[data-memo]", memo).addEventListener("submit", async (event) => {
    event.preventDefault();
    const ack = await ctx.send({ type: "memo", text: event.target.text.value });
    say(memo, ack, i18n.sent);
    if (ack.ok) ctx.drafts.clear(event.target.text);
  });

  for (const b of $$("[data-open]")) {
    b.addEventListener("click", () => {
      const name = b.dataset.open;
      if (name === "statement") {
        if (!ctx.drafts.get("statement")) fillStatement();
        $("[data-approval-hint]", statement).hidden = !data.needs_approval;
      }
      if (name === "inbox") { ctx.unread.inbox = 0; ctx.showBadges(); }
      if (name === "chat") { ctx.unread.chat = 0; ctx.showBadges(); }
      if (name === "queue") ctx.renderQueue();
      ctx.openSheet(name);
    });
  }
}
