(label) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.textContent.trim() && n.parentElement && n.parentElement.getClientRects().length) nodes.push(n);
  }
  const letter = /[\p{L}\p{N}]/u;
  const at = (text) => {
    for (let i = text.indexOf(label); i >= 0; i = text.indexOf(label, i + 1)) {
      const before = text[i - 1] || ' ', after = text[i + label.length] || ' ';
      if (!letter.test(before) && !letter.test(after)) return i;
    }
    return -1;
  };
  for (let i = 0; i < nodes.length; i++) {
    const text = nodes[i].textContent, index = at(text);
    if (index < 0) continue;
    const range = document.createRange();
    const end = index + label.length, rest = text.slice(end);
    if (rest.trim()) {
      range.setStart(nodes[i], end + rest.length - rest.trimStart().length);
      range.setEnd(nodes[i], text.trimEnd().length);
    } else if (i + 1 < nodes.length) {
      const next = nodes[i + 1].textContent;
      range.setStart(nodes[i + 1], next.length - next.trimStart().length);
      range.setEnd(nodes[i + 1], next.trimEnd().length);
    } else return null;
    const r = range.getBoundingClientRect();
    return {x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height};
  }
  return null;
}
