  const mark = (tag, style) => {
    const el = tag === 'svg' ? document.createElementNS('http://www.w3.org/2000/svg', 'svg') : document.createElement(tag);
    el.classList.add('tutorial-highlight');
    Object.assign(el.style, {position: 'absolute', zIndex: 2147483647, pointerEvents: 'none', margin: 0}, style);
    return el;
  };
  const noteStyle = {
    background: '__RED__', color: '#fff', font: '600 14px/20px "Open Sans", sans-serif', padding: '5px 12px',
    borderRadius: '6px', whiteSpace: 'nowrap', border: '2px solid #fff', boxShadow: '0 0 0 1px __RED__',
  };
