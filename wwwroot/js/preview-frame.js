// Sizes each mail preview frame to its mail's height, so the page scrolls instead of the frame. The frame is
// sandboxed without scripts (the mail runs none) but same-origin, so this page can measure its document.
(() => {
  for (const frame of document.querySelectorAll("iframe[data-fit-content]")) {
    const fit = () => {
      const doc = frame.contentDocument;
      if (!doc || !doc.documentElement) return;
      frame.style.height = "0";
      frame.style.height = `${doc.documentElement.scrollHeight}px`;
    };
    frame.addEventListener("load", fit);
    frame.addEventListener("transitionend", fit);
    for (const radio of document.querySelectorAll(".preview-frame input[type=radio]")) radio.addEventListener("change", fit);
    window.addEventListener("resize", fit);
    if (frame.contentDocument?.readyState === "complete") fit();
  }
})();
