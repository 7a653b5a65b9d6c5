(el) => {
  const win = el.closest('[role=dialog], .win, .start-menu, section.window, .wm-content') || el;
  const r = win.getBoundingClientRect();
  let box = {x: r.x, y: r.y, width: r.width, height: r.height};
  // The Inicio menu is shown with the taskbar's Inicio button it opens from (the text names it).
  const start = win.matches('.start-menu') ? document.querySelector('.start-button') : null;
  if (start) {
    const s = start.getBoundingClientRect();
    const x = Math.min(r.x, s.x), y = Math.min(r.y, s.y);
    box = {x, y, width: Math.max(r.right, s.right) - x, height: Math.max(r.bottom, s.bottom) - y};
  }
  return {box, dialog: win.matches('[role=dialog]')};
}
