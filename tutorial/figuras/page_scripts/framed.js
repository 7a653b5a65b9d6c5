(el) => {
  const win = el.closest('[role=dialog], .win, .start-menu') || el;
  const r = win.getBoundingClientRect();
  return {box: {x: r.x, y: r.y, width: r.width, height: r.height}, dialog: win.matches('[role=dialog]')};
}
