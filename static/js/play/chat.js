// The team chat.

import { hms } from "../clock.js";

export function setupChat(ctx) {
  const { $, data } = ctx;

  ctx.chatLine = (action, count) => {
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
    if (count && !ctx.sheets.get("chat").open) ctx.unread.chat += 1;
  };

  $("[data-chat-form]").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = event.target.text;
    const ack = await ctx.send({ type: "chat", text: input.value });
    if (ack.ok || ack.queued) ctx.drafts.clear(input);
    else ctx.showToast(ack.message);
  });
}
