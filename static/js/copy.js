// Copy buttons: <button data-copy-target="ID" data-copy-status="STATUS_ID" data-copied="…"
// data-copy-failed="…" hidden> copies the value (or text) of element ID; element STATUS_ID
// (a role="status" region) says how it went.
// Hidden until this module runs, so a page without JavaScript shows no dead button.

function select(source) {
  if (source instanceof HTMLInputElement || source instanceof HTMLTextAreaElement) {
    source.focus();
    source.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(source);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

async function copy(source) {
  const text = ("value" in source ? source.value : source.textContent).trim();
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through: permission refused
    }
  }
  // Plain http on the workshop LAN is not a "secure context": no Clipboard API there.
  select(source);
  try {
    return document.execCommand("copy");
  } catch {
    return false;
  }
}

for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const source = document.getElementById(button.dataset.copyTarget);
  if (!source) continue;
  const status = document.getElementById(button.dataset.copyStatus);
  button.hidden = false;
  button.addEventListener("click", async () => {
    const ok = await copy(source);
    if (status) status.textContent = ok ? button.dataset.copied : button.dataset.copyFailed;
  });
}
