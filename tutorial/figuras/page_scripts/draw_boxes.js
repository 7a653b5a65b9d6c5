(boxes) => {
  for (const box of boxes) {
    const el = document.createElement('div');
    el.className = 'tutorial-highlight';
    Object.assign(el.style, {
      position: 'absolute', left: (box.x - 6) + 'px', top: (box.y - 6) + 'px',
      width: (box.width + 12) + 'px', height: (box.height + 12) + 'px',
      border: '3px solid __HIGHLIGHT__', borderRadius: '6px', zIndex: 2147483647, pointerEvents: 'none',
    });
    document.body.appendChild(el);
  }
}
