// Notices and phone calls from the trainer, and the toasts of refused actions.

import { hms } from "../clock.js";

export function setupNotices(ctx) {
  const { $, i18n } = ctx;

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

  function show(notice) {
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
    ctx.unread.inbox += 1;
    ctx.showBadges();
  }

  ctx.beep = beep;
  ctx.showToast = (text) => show({ kind: "notice", text });
  ctx.notice = (notice) => { show(notice); inboxNotice(notice); };
}
