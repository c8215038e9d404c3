// Columns, tabs and the keyboard.

export function setupKeys(ctx) {
  const { $$, root } = ctx;

  function activate(platform) {
    for (const tab of $$("[data-tab]")) tab.setAttribute("aria-selected", String(tab.dataset.tab === platform));
    for (const column of $$("[data-column]")) column.classList.toggle("column--active", column.dataset.column === platform);
  }
  for (const tab of $$("[data-tab]")) tab.addEventListener("click", () => activate(tab.dataset.tab));

  root.addEventListener("click", (event) => {
    const li = event.target.closest(".post");
    if (li && !event.target.closest("a, button")) ctx.openPost(li.dataset.id);
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
      ctx.openPost(post.dataset.id);
    } else if (post && (key === "i" || key === "w" || key === "h")) {
      ctx.tag(post.dataset.id, { i: "ignore", w: "watch", h: "handle" }[key]);
    } else if (post && key === "e") {
      event.preventDefault();
      ctx.openPost(post.dataset.id, "escalate");
    } else if (post && key === "r") {
      event.preventDefault();
      ctx.openPost(post.dataset.id, "reply");
    } else if (key === "/") {
      event.preventDefault();
      $$("[data-search]")[0]?.focus();
    } else if (key === "q") {
      $$('[data-open="queue"]')[0]?.click();
    } else if (key === "?") {
      ctx.openSheet("keys");
    }
  });
}
