// Layout probe for the browser tests: every table fully in view, nothing sticking out.
// Returns what is wrong on the current page at the current viewport (empty lists when fine).
() => {
  const W = window.innerWidth;
  const article = document.querySelector("article.md-content__inner") || document.body;
  article.querySelectorAll("details").forEach((d) => { d.open = true; });
  const describe = (el) => {
    const t = (el.innerText || el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return `${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ")[0] : ""} «${t}»`;
  };
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return a;
    }
    return null;
  };
  const cutCells = [];   // a table cell right of the viewport or of its scroll box
  const scrolling = [];  // a scroll box that needs horizontal scrolling
  const unreachable = []; // a scroll box that scrolls but cannot take keyboard focus
  const outside = [];    // an element right of the viewport outside any scroll box
  for (const table of article.querySelectorAll("table")) {
    const box = scroller(table);
    const limit = Math.min(W, box ? box.getBoundingClientRect().right : W);
    for (const cell of table.querySelectorAll("th, td")) {
      const r = cell.getBoundingClientRect();
      if (r.width > 0 && r.right > limit + 1) { cutCells.push(describe(cell)); break; }
    }
  }
  for (const el of article.querySelectorAll("*")) {
    const cs = getComputedStyle(el);
    const scrolls = (cs.overflowX === "auto" || cs.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1;
    if (scrolls) {
      scrolling.push(describe(el));
      if (el.tabIndex < 0) unreachable.push(describe(el));
    }
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1 && !scroller(el)) outside.push(describe(el));
  }
  return {
    cutCells, scrolling, unreachable, outside: outside.slice(0, 10),
    pageWidth: document.documentElement.scrollWidth, viewport: W,
  };
}
