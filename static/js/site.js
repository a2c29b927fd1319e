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

// The unsaved-changes guard (issue 14): a long form warns before the page is left with
// changes not saved (another form's button, a link, closing the tab): the browser asks first.
// Submitting the form itself is fine. Guarded: forms marked data-guard, and every other form
// that posts and is long (a text area, a file, or three fields or more) unless marked
// data-guard="off". A form that came back with errors starts unsaved: what was typed is only
// on the screen.
document.addEventListener("DOMContentLoaded", () => {
  const FIELDS = "input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea";
  const isLong = (form) =>
    form.querySelector("textarea, input[type=file]") !== null || form.querySelectorAll(FIELDS).length >= 3;
  const guarded = Array.from(document.querySelectorAll("main form")).filter((form) => {
    if (form.dataset.guard === "off" || form.hasAttribute("hx-post") || form.hasAttribute("data-door-form")) {
      return false;
    }
    if (form.hasAttribute("data-guard")) {
      return true;
    }
    return (form.getAttribute("method") || "get").toLowerCase() === "post" && isLong(form);
  });
  if (!guarded.length) {
    return;
  }
  const dirty = new Set();
  guarded.forEach((form) => {
    form.setAttribute("data-guarded", "");
    if (form.querySelector(".is-invalid, .invalid-feedback")) {
      dirty.add(form);
    }
    form.addEventListener("input", () => dirty.add(form));
    form.addEventListener("change", () => dirty.add(form));
    form.addEventListener("submit", () => dirty.delete(form));
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
});

// The error summary (templates/includes/error_summary.html) takes the focus, so it is read
// first and in view; each line's link puts the cursor in its field.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.querySelectorAll("a[href^='#']").forEach((link) => {
    link.addEventListener("click", (event) => {
      const field = document.getElementById(link.getAttribute("href").slice(1));
      if (field) {
        event.preventDefault();
        field.scrollIntoView({ block: "center" });
        field.focus();
      }
    });
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
