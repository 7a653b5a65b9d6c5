(el) => {
  const doc = (r) => ({x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height});
  const windows = '[role=dialog], .win, .start-menu, section[aria-labelledby], article';
  // A heading that names a part of the page (a card, a panel) stands for that part.
  const owner = el.id ? el.parentElement.closest(`[aria-labelledby~="${CSS.escape(el.id)}"]`) : null;
  if (owner && !owner.matches('[role=dialog], .win')) {
    const around = owner.parentElement.closest(windows);
    return {window: around ? doc(around.getBoundingClientRect()) : null, clickable: false, text: doc(owner.getBoundingClientRect())};
  }
  const win = el.closest(windows);
  const clickable = !!el.closest('a[href], button, [role=button], [role=link], summary');
  // A text that is not clicked (a column header, a heading) is its words, not its cell or block.
  let text = null;
  if (!clickable && el.textContent.trim()) {
    const range = document.createRange();
    range.selectNodeContents(el);
    text = doc(range.getBoundingClientRect());
  }
  return {window: win ? doc(win.getBoundingClientRect()) : null, clickable, text};
}
