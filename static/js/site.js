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

// Lists become cards on phones (static/css/site.css): each cell is labelled with its
// column's name unless the template wrote a data-label already.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("table.table").forEach((table) => {
    const heads = table.querySelectorAll(":scope > thead > tr:first-child > th");
    if (!heads.length) {
      return;
    }
    const names = [];
    heads.forEach((th) => {
      const span = Number(th.getAttribute("colspan") || 1);
      for (let i = 0; i < span; i += 1) {
        names.push(th.textContent.trim().replace(/\s+/g, " "));
      }
    });
    table.querySelectorAll(":scope > tbody > tr").forEach((tr) => {
      let column = 0;
      Array.from(tr.children).forEach((cell) => {
        if (!cell.hasAttribute("data-label") && names[column] && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", names[column]);
        }
        column += Number(cell.getAttribute("colspan") || 1);
      });
    });
  });
});

// Forms marked data-guard warn before the page is left with changes not saved
// (another form's button, a link, closing the tab): the browser asks first. Submitting
// the form itself is fine.
document.addEventListener("DOMContentLoaded", () => {
  const guarded = document.querySelectorAll("form[data-guard]");
  if (!guarded.length) {
    return;
  }
  let dirty = null;
  guarded.forEach((form) => {
    form.addEventListener("input", () => { dirty = form; });
    form.addEventListener("change", () => { dirty = form; });
    form.addEventListener("submit", () => { if (dirty === form) { dirty = null; } });
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});

// Door-to-door mode (templates/funds/door/panel.html): when an answer cannot be saved
// (no signal, a timeout, a server error) the panel stays as it was, says so, and keeps the
// answer to send again with one press.
document.addEventListener("DOMContentLoaded", () => {
  let last = null;
  document.body.addEventListener("click", (event) => {
    const button = event.target.closest("[data-door-form] button[name=status]");
    if (button) {
      last = button;
      return;
    }
    if (event.target.closest("[data-door-retry]") && last && document.body.contains(last)) {
      last.click();
    }
  });
  const failed = (event) => {
    const form = event.target.closest ? event.target.closest("[data-door-form]") : null;
    if (!form) {
      return;
    }
    const box = form.querySelector("[data-door-failed]");
    const label = last ? last.textContent.trim() : "";
    box.querySelector("[data-door-failed-answer]").textContent = label;
    box.hidden = false;
    if (last) {
      last.setAttribute("aria-pressed", "true");
    }
  };
  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach((name) => {
    document.body.addEventListener(name, failed);
  });
});
