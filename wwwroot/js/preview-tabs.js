// The preview page's tabs, as the WAI-ARIA tabs pattern: one panel shown at a time, arrow keys, Home and End move
// between tabs, and the address remembers the tab (#text), so a reload or a shared link opens it. Without this
// script every panel shows, one under the other, and the tabs are links to them.
(() => {
  for (const list of document.querySelectorAll("[role=tablist][data-tabs]")) {
    const tabs = [...list.querySelectorAll("[role=tab]")];
    const panels = tabs.map((tab) => document.getElementById(tab.getAttribute("aria-controls")));
    const select = (index, focus) => {
      tabs.forEach((tab, i) => {
        const selected = i === index;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
        panels[i].hidden = !selected;
      });
      if (focus) tabs[index].focus();
      // Frames in a panel that was hidden had no height to fit; preview-frame.js fits them again on resize.
      window.dispatchEvent(new Event("resize"));
    };
    tabs.forEach((tab, i) => {
      tab.addEventListener("click", (event) => {
        event.preventDefault();
        select(i, false);
        history.replaceState(null, "", `${location.pathname}${location.search}#${tab.dataset.tab}`);
      });
      tab.addEventListener("keydown", (event) => {
        const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        tabs[(next + tabs.length) % tabs.length].click();
        tabs[(next + tabs.length) % tabs.length].focus();
      });
    });
    // Links elsewhere on the page to a panel (the summary's problem count) open its tab.
    for (const link of document.querySelectorAll("a[href^='#panel-']")) {
      if (link.getAttribute("role") === "tab") continue;
      const index = panels.findIndex((panel) => `#${panel.id}` === link.getAttribute("href"));
      if (index >= 0) link.addEventListener("click", (event) => { event.preventDefault(); tabs[index].click(); tabs[index].focus(); });
    }
    const fromAddress = tabs.findIndex((tab) => `#${tab.dataset.tab}` === location.hash);
    select(fromAddress >= 0 ? fromAddress : 0, false);
  }
})();
