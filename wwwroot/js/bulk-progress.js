// Polls a running (or paused) bulk job's status: moves the progress bar, the counts, the rate and the expected finish;
// reloads the page when the job's state changes (finished, paused elsewhere) to show the rows and the right buttons.
(() => {
  const box = document.querySelector(".bulk-progress");
  if (!box || box.dataset.live !== "true") return;
  const bar = box.querySelector("progress");
  const field = (name) => box.querySelector(`[data-count="${name}"], [data-field="${name}"]`);
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const s = await response.json();
        if (s.state !== box.dataset.state || s.isDone) { window.location.reload(); return; }
        if (bar) { bar.max = Math.max(s.total, 1); bar.value = s.processed; }
        for (const name of ["total", "sent", "queued", "invalid", "refused", "failed", "waiting", "cancelled", "skipped", "suppressed"]) {
          const count = field(name); // "sent" or "queued", whichever this job shows
          if (count) count.textContent = s[name];
        }
        const headline = box.querySelector(".bulk-headline");
        if (headline) headline.textContent = s.headline;
        const rate = field("rate");
        if (rate && s.ratePerSecond !== null) rate.textContent = s.ratePerSecond;
        const finish = field("finish");
        if (finish && s.expectedFinish) finish.textContent = "at " + new Date(s.expectedFinish).toLocaleTimeString();
      }
    } catch { /* a missed poll is retried */ }
    setTimeout(poll, 500);
  };
  setTimeout(poll, 300);
})();
