// The injects on a timeline: the phases drawn behind as bands, one marker per inject. Drag a
// marker (mouse, pen or finger: pointer events) to move it in time, click it to edit its
// fields, arrow keys move it a minute; a table view lists the injects with inputs for
// keyboard users. The form's fields stay the truth: the timeline reads and writes them.
const DURATION = /^\s*(?:(\d+(?:\.\d+)?)|(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?)\s*$/;
const DRAG_PX = 4;

export function seconds(text) {
  const m = DURATION.exec(text || "");
  if (!m || !String(text).trim()) return null;
  if (m[1] !== undefined) return Number(m[1]);
  return Number(m[2] || 0) * 3600 + Number(m[3] || 0) * 60 + Number(m[4] || 0);
}

export function minutesText(total) {
  const h = Math.floor(total / 3600);
  const m = Math.round((total % 3600) / 60);
  return h ? `${h}h${m ? `${m}m` : ""}` : `${m}m`;
}

function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export function initTimeline(editor) {
  const { form, itemsOf, input, addItem, deleteItem, reveal, onChange, changed } = editor;
  const root = document.getElementById("ed-timeline");
  if (!root) return;
  const msg = root.dataset;
  const toggle = el("button", { type: "button", className: "lib-button lib-button--secondary ed-small ed-tl-toggle" });
  const track = el("div", { className: "ed-tl-track" });
  track.setAttribute("role", "group");
  track.setAttribute("aria-label", msg.label);
  const axis = el("div", { className: "ed-tl-axis" });
  const tableBox = el("div", { className: "ed-tl-table", hidden: true });
  root.append(toggle, track, axis, tableBox);
  let tableView = false;

  const duration = () => seconds(form.elements.duration?.value) || 3600;

  toggle.addEventListener("click", () => {
    tableView = !tableView;
    draw();
  });

  function phases() {
    return itemsOf("phases")
      .map((item) => ({
        start: seconds(input(item, "start")?.value) ?? 0,
        title: input(item, "title_fr")?.value || input(item, "title_en")?.value || input(item, "id")?.value || "",
      }))
      .sort((a, b) => a.start - b.start);
  }

  function draw() {
    toggle.textContent = tableView ? msg.msgTimeline : msg.msgTable;
    track.hidden = tableView;
    axis.hidden = tableView;
    tableBox.hidden = !tableView;
    if (tableView) drawTable();
    else drawTimeline();
  }

  function drawTimeline() {
    const d = duration();
    const bands = phases().map((ph, i, all) => {
      const end = i + 1 < all.length ? all[i + 1].start : d;
      const band = el("div", { className: `ed-tl-band ed-tl-band--${i % 4}` }, [el("span", { textContent: ph.title })]);
      band.style.left = `${(100 * Math.min(ph.start, d)) / d}%`;
      band.style.width = `${(100 * Math.max(0, Math.min(end, d) - ph.start)) / d}%`;
      return band;
    });
    const lanes = [];
    const markers = itemsOf("injects").map((item, index) => {
      const t = seconds(input(item, "time")?.value);
      const left = t === null ? 0 : Math.min(100, (100 * t) / d);
      let lane = lanes.findIndex((last) => left - last >= 4);
      if (lane < 0) {
        lane = lanes.length;
        lanes.push(left);
      }
      lanes[lane] = left;
      const label = `${index + 1}. ${input(item, "time")?.value || "?"} ${input(item, "id")?.value || ""}`;
      const marker = el("button", { type: "button", className: "ed-tl-marker", textContent: String(index + 1), title: label });
      marker.setAttribute("aria-label", label);
      marker.dataset.index = String(index);
      marker.style.left = `${left}%`;
      marker.style.top = `${0.4 + lane * 2.1}rem`;
      if (t === null) marker.classList.add("ed-tl-marker--bad");
      if (input(item, "optional")?.checked) marker.classList.add("ed-tl-marker--optional");
      bindMarker(marker, item);
      return marker;
    });
    track.style.height = `${Math.max(3.2, 1.2 + lanes.length * 2.1)}rem`;
    track.replaceChildren(...bands, ...markers);
    const ticks = [];
    const step = d <= 3600 ? 600 : d <= 7200 ? 900 : 1800;
    for (let t = 0; t <= d; t += step) {
      const tick = el("span", { className: "ed-tl-tick", textContent: minutesText(t) });
      tick.style.left = `${(100 * t) / d}%`;
      ticks.push(tick);
    }
    axis.replaceChildren(...ticks);
  }

  function timeAt(clientX) {
    const box = track.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
    return Math.round((share * duration()) / 60) * 60;
  }

  function setTime(item, t) {
    const field = input(item, "time");
    field.value = minutesText(Math.max(0, Math.min(duration(), t)));
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function bindMarker(marker, item) {
    let start = null;
    let moved = false;
    marker.addEventListener("pointerdown", (event) => {
      start = event.clientX;
      moved = false;
      try {
        marker.setPointerCapture(event.pointerId);
      } catch {
        // a pointer the browser no longer tracks: the drag goes on without capture
      }
      event.preventDefault();
    });
    marker.addEventListener("pointermove", (event) => {
      if (start === null) return;
      if (!moved && Math.abs(event.clientX - start) < DRAG_PX) return;
      moved = true;
      marker.classList.add("ed-tl-marker--dragging");
      const t = timeAt(event.clientX);
      marker.style.left = `${(100 * t) / duration()}%`;
      marker.textContent = minutesText(t);
    });
    marker.addEventListener("pointerup", (event) => {
      if (start === null) return;
      start = null;
      marker.classList.remove("ed-tl-marker--dragging");
      if (moved) setTime(item, timeAt(event.clientX));
      else edit(item);
    });
    marker.addEventListener("pointercancel", () => {
      start = null;
      draw();
    });
    marker.addEventListener("keydown", (event) => {
      const step = event.shiftKey ? 300 : 60;
      const t = seconds(input(item, "time")?.value) ?? 0;
      if (event.key === "ArrowRight") setTime(item, t + step);
      else if (event.key === "ArrowLeft") setTime(item, t - step);
      else return;
      event.preventDefault();
      const index = marker.dataset.index;
      track.querySelector(`.ed-tl-marker[data-index="${index}"]`)?.focus();
    });
    // a click from the keyboard (Enter, Space) has no pointerdown
    marker.addEventListener("click", (event) => {
      if (event.detail === 0) edit(item);
    });
  }

  function edit(item) {
    item.open = true;
    reveal(input(item, "text_fr") || input(item, "text_en") || input(item, "time"));
    item.dispatchEvent(new CustomEvent("ed-edit", { bubbles: true }));
  }

  function drawTable() {
    const head = el("tr", {}, [msg.msgTime, msg.msgPlatform, msg.msgPersona, msg.msgText, ""].map((h) => el("th", { scope: "col", textContent: h })));
    const rows = itemsOf("injects").map((item, index) => {
      const cells = ["time", "platform", "persona", input(item, "text_fr")?.value || !input(item, "text_en")?.value ? "text_fr" : "text_en"].map((name) => {
        const source = input(item, name);
        const mirror = el(name.startsWith("text") ? "textarea" : "input", { value: source?.value || "", className: "lib-field__input" });
        if (name.startsWith("text")) mirror.rows = 2;
        mirror.setAttribute("aria-label", `${index + 1}. ${source?.labels?.[0]?.textContent || name}`);
        if (source?.list) mirror.setAttribute("list", source.list.id);
        mirror.addEventListener("input", () => {
          source.value = mirror.value;
          source.dispatchEvent(new Event("input", { bubbles: true }));
        });
        return el("td", {}, [mirror]);
      });
      const actions = [
        [msg.msgEdit, () => { tableView = false; draw(); edit(item); }],
        [msg.msgDuplicate, () => { addItem("injects", item, item); }],
        [msg.msgDelete, () => { if (window.confirm(form.dataset.msgConfirmDelete)) deleteItem(item); }],
      ].map(([text, action]) => {
        const b = el("button", { type: "button", className: "lib-link-button", textContent: text });
        b.setAttribute("aria-label", `${text} ${index + 1}`);
        b.addEventListener("click", action);
        return b;
      });
      return el("tr", {}, [...cells, el("td", { className: "ed-tl-actions" }, actions)]);
    });
    tableBox.replaceChildren(el("table", { className: "ed-tl-grid" }, [el("thead", {}, [head]), el("tbody", {}, rows)]));
  }

  let pending = null;
  onChange(() => {
    // the table keeps its inputs (and the focus) while the trainer types in them
    if (tableView && root.contains(document.activeElement)) return;
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(draw);
  });
  draw();
}
