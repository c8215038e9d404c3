// The inbox (escalations to my role, drafts I approve, decisions on my drafts, notices) and
// the team's history (every reply, private message, statement and memo the team sent).

import { hms } from "../clock.js";

export function setupInbox(ctx) {
  const { $, i18n, state, data } = ctx;

  ctx.unread = { inbox: 0, chat: 0 };
  ctx.showBadges = () => {
    for (const [name, count] of Object.entries(ctx.unread)) {
      const b = $(`[data-${name}-badge]`);
      b.textContent = String(count);
      b.hidden = count === 0;
    }
    $("[data-inbox-empty]").hidden = $("[data-inbox]").childElementCount > 0;
    $("[data-history-empty]").hidden = $("[data-history]").childElementCount > 0;
  };

  function quote(action) {
    const post = action.target && state.posts.get(action.target);
    if (!post) return null;
    const p = document.createElement("blockquote");
    p.className = "inbox__quote";
    p.textContent = `${post.author.name}: ${post.text}`;
    return p;
  }

  function openButton(action, sheet) {
    const open = document.createElement("button");
    open.type = "button";
    open.className = "button button--small";
    open.textContent = "→";
    open.setAttribute("aria-label", i18n.about);
    open.addEventListener("click", () => { ctx.sheets.get(sheet).close(); ctx.openPost(action.target); });
    return open;
  }

  function item(action) {
    const li = document.createElement("li");
    li.className = "inbox__item";
    li.dataset.action = action.id;
    const title = document.createElement("strong");
    const meta = document.createElement("span");
    meta.className = "muted";
    meta.textContent = ` ${hms(action.t)} · ${i18n.by} ${action.by.name}`;
    li.append(title, meta);
    return [li, title];
  }

  function inboxItem(action, live) {
    const [li, title] = item(action);
    if (action.type === "escalate") {
      title.textContent = `${i18n.escalation} · ${action.severity}/4`;
      li.classList.add(`inbox__item--sev${action.severity}`);
      const q = quote(action);
      if (q) li.append(q);
      if (action.text) li.append(Object.assign(document.createElement("p"), { textContent: action.text }));
      if (action.target && state.posts.has(action.target)) li.append(openButton(action, "inbox"));
      if (live && action.severity >= 3) ctx.beep();
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
        const ack = await ctx.send({ type: "approve", draft: action.id, ...(edited ? { text: text.value } : {}) });
        if (!ack.ok && !ack.queued) ctx.showToast(ack.message);
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
        const ack = await ctx.send({ type: "reject", draft: action.id, text: comment.value || "—" });
        if (!ack.ok && !ack.queued) ctx.showToast(ack.message);
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
      ctx.unread.inbox += 1;
      ctx.showBadges();
    }
  }

  const KIND = {
    reply: () => i18n.reply_sent, dm: () => i18n.dm, holding_statement: () => i18n.statement,
    memo: () => i18n.memo,
  };

  // One line of the team's history: what went out, by whom, when, and its status.
  function historyItem(action) {
    const [li, title] = item(action);
    li.classList.add("history__item");
    title.textContent = KIND[action.type]();
    if (action.status !== "done") {
      li.append(ctx.badge(`inbox__status tag tag--${action.status}`, i18n[action.status] || action.status));
    }
    const q = quote(action);
    if (q) li.append(q);
    li.append(Object.assign(document.createElement("p"), { textContent: action.text }));
    if (action.target && state.posts.has(action.target)) li.append(openButton(action, "inbox"));
    $("[data-history]").prepend(li);
  }

  function updateDraftItem(draft, li = ctx.root.querySelector(`[data-draft="${draft.id}"]`)) {
    if (!li) return;
    const decided = draft.status !== "draft";
    li.classList.toggle("inbox__item--decided", decided);
    for (const control of li.querySelectorAll("button, textarea, input")) control.disabled = decided;
    if (decided) {
      li.querySelector(".inbox__status")?.remove();
      li.append(ctx.badge("inbox__status tag", draft.status === "approved" ? i18n.approved : i18n.rejected));
    }
  }

  function renderHistory() {
    $("[data-history]").replaceChildren();
    for (const action of state.actions.values()) {
      if (!KIND[action.type]) continue;
      if (action.draft && action.status === "done") continue; // the published copy of a draft
      historyItem(action);
    }
  }

  // Called for each action once it is in the state.
  ctx.inboxAction = (action, live) => {
    const target = action.target;
    if (action.type === "escalate" && target && action.role === data.role) inboxItem(action, live);
    else if (["reply", "dm"].includes(action.type) && action.status === "draft" && action.role === data.role) inboxItem(action, live);
    else if (action.type === "holding_statement" && action.status === "draft" && action.role === data.role) inboxItem(action, live);
    else if (action.type === "approve" || action.type === "reject") {
      const draft = state.actions.get(action.draft);
      if (draft) {
        updateDraftItem(draft);
        if (draft.by.id === data.participant) inboxItem(action, live);
      }
    }
    if (KIND[action.type] || action.type === "approve" || action.type === "reject") renderHistory();
  };
  ctx.updateDraft = (draft) => {
    updateDraftItem(draft);
    renderHistory();
  };
  ctx.resetInbox = () => {
    $("[data-inbox]").replaceChildren();
    $("[data-history]").replaceChildren();
    ctx.unread.inbox = 0;
  };
}
