// The scenario editor: lists of items (add, duplicate, delete), the loader's errors next to
// each field as the trainer types (one validator: the server's), the id suggestions.
// User text is only ever set with textContent or value.
import { initTimeline } from "./timeline.js";
import { initPreview } from "./preview.js";

const form = document.getElementById("editor");
const DEBOUNCE_MS = 300;

export function itemsOf(list) {
  const box = form.querySelector(`.ed-items[data-list="${list}"]`);
  return box ? [...box.children].filter((el) => el.matches(".ed-item")) : [];
}

export function input(item, name) {
  return item.querySelector(`[data-field="${name}"] input, [data-field="${name}"] textarea`);
}

// Names and ids follow WTForms' FieldList: list-INDEX-field. After a change, number them again.
export function renumber(list) {
  const pattern = new RegExp(`^${list}-(\\d+|__i__)-`);
  itemsOf(list).forEach((item, index) => {
    item.dataset.index = String(index);
    for (const el of item.querySelectorAll("[name], [id], [for], [aria-describedby], [data-error-for]")) {
      for (const attr of ["name", "id", "for", "aria-describedby", "data-error-for"]) {
        const value = el.getAttribute(attr);
        if (value && pattern.test(value)) el.setAttribute(attr, value.replace(pattern, `${list}-${index}-`));
      }
    }
    summarize(item, list);
  });
}

function summarize(item, list) {
  const number = item.querySelector(".ed-item__number");
  const label = item.querySelector("[data-summary]");
  if (number) number.textContent = `${Number(item.dataset.index) + 1}.`;
  if (!label) return;
  const id = input(item, "id")?.value || input(item, "platform")?.value || "";
  const parts = [];
  if (list === "injects") parts.push(input(item, "time")?.value || "");
  parts.push(id);
  const text = input(item, "text_fr")?.value || input(item, "text_en")?.value || input(item, "title_fr")?.value ||
    input(item, "title_en")?.value || input(item, "label_fr")?.value || input(item, "label_en")?.value ||
    input(item, "handle")?.value || "";
  if (text) parts.push(text.length > 70 ? `${text.slice(0, 70)}…` : text);
  label.textContent = parts.filter(Boolean).join(" · ");
}

export function addItem(list, after = null, copyFrom = null) {
  const proto = form.querySelector(`template[data-proto="${list}"]`);
  const box = form.querySelector(`.ed-items[data-list="${list}"]`);
  const item = proto.content.firstElementChild.cloneNode(true);
  if (after) after.after(item);
  else box.append(item);
  if (copyFrom) {
    const from = copyFrom.querySelectorAll("input, textarea");
    const to = item.querySelectorAll("input, textarea");
    from.forEach((el, i) => {
      if (!to[i]) return;
      if (el.type === "checkbox") to[i].checked = el.checked;
      else to[i].value = el.value;
    });
    const id = input(item, "id");
    if (id && id.value) id.value = `${id.value}-2`;
  }
  renumber(list);
  refreshLists();
  changed();
  return item;
}

export function deleteItem(item) {
  const list = item.dataset.item;
  item.remove();
  renumber(list);
  refreshLists();
  changed();
}

// Suggestions for fields that name another item (persona, phase, role, objective, inject).
function refreshLists() {
  for (const dl of document.querySelectorAll("datalist[data-from]")) {
    const ids = itemsOf(dl.dataset.from).map((item) => input(item, "id")?.value).filter(Boolean);
    dl.replaceChildren(...ids.map((id) => Object.assign(document.createElement("option"), { value: id })));
  }
}

// --- validation as you type ----------------------------------------------------------------
const status = document.getElementById("ed-status");
const summary = document.getElementById("ed-summary");
let timer = null;
let sequence = 0;
const listeners = [];

export function onChange(callback) {
  listeners.push(callback);
}

export function changed() {
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
  for (const callback of listeners) callback();
}

function showErrors(errors) {
  for (const p of form.querySelectorAll(".ed-error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const el of form.querySelectorAll(".ed-bad")) el.classList.remove("ed-bad");
  summary.replaceChildren();
  for (const error of errors) {
    const slot = document.getElementById(`${error.id}-error`);
    const field = document.getElementById(error.id);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} · ${error.message}` : error.message;
      slot.hidden = false;
    }
    if (field) field.setAttribute("aria-invalid", "true");
    // a closed item or section still shows that something inside needs fixing
    for (let d = (field || slot)?.closest("details"); d; d = d.parentElement?.closest("details")) {
      d.classList.add("ed-bad");
    }
    const li = document.createElement("li");
    if (!error.id) {
      li.textContent = error.message;
      summary.append(li);
      continue;
    }
    const a = document.createElement("a");
    a.href = `#${error.id}`;
    a.textContent = error.path || error.id;
    a.addEventListener("click", (event) => {
      event.preventDefault();
      reveal(field || slot);
    });
    li.append(a, document.createTextNode(` : ${error.message}`));
    summary.append(li);
  }
  status.textContent = errors.length
    ? form.dataset.msgErrors.replace("{n}", String(errors.length))
    : form.dataset.msgOk;
  status.classList.toggle("ed-status--bad", errors.length > 0);
}

export function reveal(el) {
  if (!el) return;
  for (let d = el.closest("details"); d; d = d.parentElement?.closest("details")) d.open = true;
  el.scrollIntoView({ block: "center" });
  if (el.focus) el.focus({ preventScroll: true });
}

async function check() {
  const mine = ++sequence;
  status.textContent = form.dataset.msgChecking;
  try {
    const response = await fetch(form.dataset.check, { method: "POST", body: new FormData(form) });
    if (!response.ok) throw new Error(String(response.status));
    const data = await response.json();
    if (mine === sequence) showErrors(data.errors);
  } catch {
    if (mine === sequence) status.textContent = form.dataset.msgFailed;
  }
}

form.addEventListener("input", (event) => {
  const item = event.target.closest(".ed-item");
  if (item) summarize(item, item.dataset.item);
  if (event.target.closest('[data-field="id"]')) refreshLists();
  changed();
});
form.addEventListener("change", changed);
form.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-add], button[data-duplicate], button[data-delete]");
  if (!button) return;
  if (button.dataset.add) {
    const item = addItem(button.dataset.add);
    reveal(item.querySelector("input, textarea"));
    return;
  }
  const item = button.closest(".ed-item");
  if (button.hasAttribute("data-duplicate")) {
    const copy = addItem(item.dataset.item, item, item);
    reveal(copy.querySelector("input, textarea"));
  } else if (window.confirm(form.dataset.msgConfirmDelete)) {
    deleteItem(item);
  }
});

for (const box of form.querySelectorAll(".ed-items")) renumber(box.dataset.list);
refreshLists();
initTimeline({ form, itemsOf, input, addItem, deleteItem, reveal, onChange, changed });
initPreview({ form, itemsOf, input, onChange });
check();
