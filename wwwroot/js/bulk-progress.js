// Polls a bulk job's status and moves the progress bar; reloads once the job is done to show each row's result.
(() => {
  const box = document.querySelector(".bulk-progress");
  if (!box || box.dataset.done === "true") return;
  const bar = box.querySelector("progress");
  const counts = (name) => box.querySelector(`[data-count="${name}"]`);
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const s = await response.json();
        bar.max = Math.max(s.total, 1);
        if (s.total > 0) box.querySelector(".bulk-counting")?.remove();
        bar.value = s.processed;
        for (const name of ["processed", "total", "sent", "queued", "invalid", "refused", "failed"]) {
          const count = counts(name); // "sent" or "queued", whichever this job shows
          if (count) count.textContent = s[name];
        }
        if (s.isDone) { window.location.reload(); return; }
      }
    } catch { /* a missed poll is retried */ }
    setTimeout(poll, 400);
  };
  setTimeout(poll, 200);
})();
