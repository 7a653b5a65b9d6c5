() => {
  const rects = [];
  // Text kept for screen readers only (clipped to nothing) is not on the screen.
  const unseen = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if ((s.clip && s.clip !== 'auto') || s.clipPath !== 'none' || s.visibility === 'hidden') return true;
    }
    return false;
  };
  const keep = (r) => { if (r.width && r.height) rects.push({x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height}); };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim() || !n.parentElement || n.parentElement.closest('.tutorial-highlight') || unseen(n.parentElement)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) keep(r);
  }
  for (const el of document.querySelectorAll('button, input, select, textarea, img, svg, [role=button]')) {
    if (!el.closest('.tutorial-highlight') && !unseen(el)) keep(el.getBoundingClientRect());
  }
  return rects;
}
