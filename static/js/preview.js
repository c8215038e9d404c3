// The live preview: the storm of the first minutes after the inject being edited, and the
// volume and negative posts per minute of the whole scenario, as the engine plays them.
const DEBOUNCE_MS = 600;

export function initPreview(editor) {
  const { form, itemsOf, input, onChange } = editor;
  const box = document.getElementById("ed-preview");
  if (!box) return;
  const msg = box.dataset;
  const note = document.getElementById("ed-preview-note");
  const storm = document.getElementById("ed-storm");
  const stormTitle = document.getElementById("ed-storm-title");
  const canvas = document.getElementById("ed-chart");
  let chart = null;
  let current = "";
  let timer = null;
  let sequence = 0;

  function injectId() {
    if (current) return current;
    const first = itemsOf("injects")[0];
    return first ? input(first, "id")?.value || "" : "";
  }

  // the inject being edited: the one whose fields have the focus (or was last clicked)
  form.addEventListener("focusin", (event) => {
    const item = event.target.closest('.ed-item[data-item="injects"]');
    if (!item) return;
    const id = input(item, "id")?.value || "";
    if (id && id !== current) {
      current = id;
      schedule();
    }
  });
  form.addEventListener("ed-edit", (event) => {
    current = input(event.target, "id")?.value || current;
    schedule();
  });

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  async function refresh() {
    const mine = ++sequence;
    const url = `${form.dataset.preview}?inject=${encodeURIComponent(injectId())}`;
    try {
      const response = await fetch(url, { method: "POST", body: new FormData(form) });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      if (mine !== sequence) return;
      if (data.errors.length) {
        note.textContent = msg.msgInvalid;
        box.classList.add("ed-preview--stale");
        return;
      }
      box.classList.remove("ed-preview--stale");
      draw(data);
    } catch {
      if (mine === sequence) note.textContent = form.dataset.msgFailed;
    }
  }

  function draw(data) {
    const labels = Array.from({ length: data.minutes }, (_, m) => String(m));
    const notes = [msg.msgTook.replace("{ms}", String(data.ms))];
    if (data.counted < data.minutes) notes.unshift(msg.msgCounted.replace("{n}", String(data.counted)));
    note.textContent = notes.join(" ");
    box.dataset.ms = String(data.ms);
    stormTitle.textContent = msg.msgAfter.replace("{inject}", data.inject.id);
    const items = data.posts.map((post) => {
      const li = document.createElement("li");
      li.className = `ed-post ed-post--${post.sentiment}${post.inject ? " ed-post--inject" : ""}`;
      const head = document.createElement("p");
      head.className = "ed-post__head";
      const minute = Math.floor(post.t / 60);
      const second = String(Math.floor(post.t % 60)).padStart(2, "0");
      head.textContent = `${minute}:${second} · ${post.platform} · ${post.author.name} ${post.author.handle}`;
      const text = document.createElement("p");
      text.className = "ed-post__text";
      text.lang = post.lang;
      text.textContent = post.text;
      li.append(head, text);
      return li;
    });
    if (!items.length) items.push(Object.assign(document.createElement("li"), { textContent: msg.msgEmpty }));
    storm.replaceChildren(...items);
    if (!window.Chart) return;
    const datasets = [
      { label: msg.msgVolume, data: data.volume, borderColor: "#2563eb", backgroundColor: "rgba(37,99,235,0.15)", fill: true, pointRadius: 0, tension: 0.2 },
      { label: msg.msgNegative, data: data.negative, borderColor: "#dc2626", pointRadius: 0, tension: 0.2 },
      { label: msg.msgPlanned, data: data.planned, borderColor: "#6b7280", borderDash: [4, 4], pointRadius: 0, stepped: true },
    ];
    if (chart) {
      chart.data.labels = labels;
      chart.data.datasets.forEach((set, i) => { set.data = datasets[i].data; });
      chart.update("none");
      return;
    }
    chart = new window.Chart(canvas, {
      type: "line",
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { title: { display: true, text: msg.msgMinute }, ticks: { maxTicksLimit: 10 } }, y: { beginAtZero: true } },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    });
  }

  onChange(schedule);
  if (window.Chart) refresh();
  else window.addEventListener("load", refresh, { once: true });
}
