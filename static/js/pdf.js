// A PDF link that shows it is working: making the report takes seconds, and a click that
// changes nothing looks dead. The link fetches the PDF, says so with the seconds elapsed,
// then saves it under the server's file name; without JavaScript it is a plain link.
const filename = (response) =>
  /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || "report.pdf";

for (const link of document.querySelectorAll("a[data-pdf]")) {
  const label = link.textContent;
  const status = document.createElement("span");
  status.className = "pdf-status";
  status.setAttribute("role", "status");
  link.after(status);
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    if (link.getAttribute("aria-busy") === "true") return;
    const started = Date.now();
    const tick = () => {
      const seconds = Math.round((Date.now() - started) / 1000);
      status.textContent = link.dataset.busy.replace("{seconds}", seconds);
    };
    link.setAttribute("aria-busy", "true");
    link.classList.add("is-busy");
    tick();
    const timer = setInterval(tick, 1000);
    try {
      const response = await fetch(link.href, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const save = document.createElement("a");
      save.href = url;
      save.download = filename(response);
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      status.textContent = link.dataset.done;
    } catch (error) {
      status.textContent = link.dataset.failed.replace("{error}", error.message);
    } finally {
      clearInterval(timer);
      link.removeAttribute("aria-busy");
      link.classList.remove("is-busy");
      link.textContent = label;
    }
  });
}
