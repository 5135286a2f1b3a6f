// Every page: after a failed submit, move focus to the error summary (or, on a form without one, to the first
// field with an error), so keyboard and screen-reader users land on what went wrong; and "back to your form" links
// go back in history, where the browser still holds what was typed.
(() => {
  const summary = document.querySelector(".error-summary, .validation-summary-errors");
  const target = summary ?? document.querySelector("form .input-validation-error");
  if (target) {
    if (target === summary && !summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    target.focus();
  }
  // "Send at" fields: the time typed is read in the browser's time zone, which the form sends along and shows.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const input of document.querySelectorAll("input[data-time-zone]")) {
    if (!input.value && zone) input.value = zone;
    const name = input.closest(".send-at")?.querySelector("[data-time-zone-name]");
    if (name && input.value) name.textContent = input.value;
  }
  for (const link of document.querySelectorAll("a[data-history-back]")) {
    link.addEventListener("click", (event) => {
      if (window.history.length > 1) {
        event.preventDefault();
        window.history.back();
      }
    });
  }
})();
