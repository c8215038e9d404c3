// The report's Print buttons (a module, not an inline script: the Content-Security-Policy
// allows scripts from this site only).
for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}
