// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons marked data-confirm ask before submitting their form.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) {
        event.preventDefault();
      }
    });
  });
  // Forms marked data-once disable their submit buttons after the first submit, so a
  // double click sends one request (the server is still the last line of defence).
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit], button:not([type])").forEach((b) => {
        b.setAttribute("aria-disabled", "true");
        setTimeout(() => { b.disabled = true; }, 0);
      });
    });
  });
  // Print buttons.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
  // Self-refreshing pages (for example a "now serving" board) without an inline script.
  const refresh = document.body.dataset.refreshSeconds;
  if (refresh) {
    setTimeout(() => window.location.reload(), Number(refresh) * 1000);
  }
});
