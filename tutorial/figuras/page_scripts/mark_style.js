  const mark = (tag, style) => {
    const el = tag === 'svg' ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : document.createElement(tag);
    el.classList.add('tutorial-highlight');
    Object.assign(el.style, {position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', margin: 0}, style);
    return el;
  };
  // A note reads as the tutorial's remark, not as a control of the page: white, red words and
  // border, square corners (a filled red pill looked like the app's own Descargar button).
  const noteStyle = {
    background: '#fff', color: '__RED__', font: '600 14px/20px "Open Sans", sans-serif', padding: '3px 10px',
    borderRadius: '2px', whiteSpace: 'nowrap', border: '2px solid __RED__', boxShadow: '0 1px 4px rgba(0, 0, 0, .25)',
  };
