// Layout probe for the browser tests (tests/test_layout_browser.py): what sticks out on the page
// at the current viewport. Opens every <details> first, so tables inside closed groups count too.
// Returns lists of short descriptions; every list is empty on a page that fits.
() => {
  const W = window.innerWidth;
  const article = document.querySelector("article.md-content__inner") || document.body;
  article.querySelectorAll("details").forEach((d) => { d.open = true; });
  const describe = (el) => {
    const text = (el.getAttribute("aria-label") || el.textContent || "").trim().replace(/\s+/g, " ");
    const cls = typeof el.className === "string" && el.className ? "." + el.className.split(" ")[0] : "";
    return `${el.tagName.toLowerCase()}${cls} «${text.slice(0, 60)}»`;
  };
  const scroller = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden" || o === "clip") return a;
    }
    return null;
  };
  const cutCells = [];    // a table cell right of the window or of the box that clips it
  const scrolling = [];   // a box that needs sideways scrolling to show all of its content
  const unreachable = []; // such a box that the keyboard cannot focus (so cannot scroll)
  const outside = [];     // an element right of the window, not inside any scroll box
  const svgOutside = [];  // chart text drawn outside its SVG canvas (cut off by the viewBox)
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
    if ((cs.overflowX === "auto" || cs.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1) {
      scrolling.push(describe(el));
      if (el.tabIndex < 0) unreachable.push(describe(el));
    }
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > W + 1 && !scroller(el)) outside.push(describe(el));
  }
  for (const svg of article.querySelectorAll("svg[viewBox]")) {
    const [, , vw, vh] = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    for (const text of svg.querySelectorAll("text")) {
      const b = text.getBBox();
      if (b.x < -0.5 || b.y < -0.5 || b.x + b.width > vw + 0.5 || b.y + b.height > vh + 0.5) {
        svgOutside.push(`${svg.getAttribute("aria-labelledby")}: «${text.textContent}»`);
      }
    }
  }
  return {
    cutCells, scrolling, unreachable, outside: outside.slice(0, 10), svgOutside,
    pageWidth: document.documentElement.scrollWidth,
  };
}
