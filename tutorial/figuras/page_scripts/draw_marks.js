(shapes) => {
  /* include: mark_style */

  const svgLine = (points, width, colour, head) => {
    const xs = points.map((p) => p[0]), ys = points.map((p) => p[1]);
    const pad = 16, left = Math.min(...xs) - pad, top = Math.min(...ys) - pad;
    const svg = mark('svg', {left: left + 'px', top: top + 'px', overflow: 'visible'});
    svg.setAttribute('width', Math.max(...xs) - left + pad);
    svg.setAttribute('height', Math.max(...ys) - top + pad);
    const ns = 'http://www.w3.org/2000/svg';
    const [[x1, y1], [x2, y2]] = points.map((p) => [p[0] - left, p[1] - top]);
    const angle = Math.atan2(y2 - y1, x2 - x1), size = 16, spread = 0.45;
    /* An arrow's shaft stops inside its head: its round cap past the tip drew a stray ring there. */
    const [ex, ey] = head === true ? [x2 - (size - 4) * Math.cos(angle), y2 - (size - 4) * Math.sin(angle)] : [x2, y2];
    for (const [stroke, w] of [['#fff', width + 4], [colour, width]]) {
      const line = document.createElementNS(ns, 'line');
      for (const [k, v] of Object.entries({x1, y1, x2: ex, y2: ey, stroke, 'stroke-width': w, 'stroke-linecap': 'round'})) line.setAttribute(k, v);
      svg.appendChild(line);
    }
    if (head === true) {
      const corner = (a) => [x2 - size * Math.cos(a), y2 - size * Math.sin(a)];
      const head = document.createElementNS(ns, 'polygon');
      head.setAttribute('points', [[x2, y2], corner(angle - spread), corner(angle + spread)].map((p) => p.join(',')).join(' '));
      head.setAttribute('fill', colour);
      head.setAttribute('stroke', '#fff');
      head.setAttribute('stroke-width', 2);
      head.setAttribute('stroke-linejoin', 'round');
      svg.appendChild(head);
    }
    if (head === 'dot') {
      const dot = document.createElementNS(ns, 'circle');
      for (const [k, v] of Object.entries({cx: x2, cy: y2, r: 4, fill: colour, stroke: '#fff', 'stroke-width': 2})) dot.setAttribute(k, v);
      svg.appendChild(dot);
    }
    return svg;
  };
  for (const s of shapes) {
    let el;
    if (s.kind === 'box') {
      el = mark('div', {left: s.x + 'px', top: s.y + 'px', width: s.width + 'px', height: s.height + 'px',
                        border: '3px solid __HIGHLIGHT__', borderRadius: '6px', boxSizing: 'border-box'});
    } else if (s.kind === 'badge') {
      el = mark('div', {left: s.x + 'px', top: s.y + 'px', width: s.width + 'px', height: s.height + 'px',
                        boxSizing: 'border-box', borderRadius: '50%', background: '__RED__', color: '#fff',
                        border: '2px solid #fff', boxShadow: '0 0 0 1px __RED__', textAlign: 'center',
                        font: '700 14px/22px "Open Sans", sans-serif'});
      el.textContent = s.label;
    } else if (s.kind === 'arrow') {
      el = svgLine(s.points, 4, '__RED__', true);
    } else if (s.kind === 'note') {
      document.body.appendChild(svgLine(s.points, 2, '__RED__', 'dot'));
      el = mark('div', {...noteStyle, left: s.x + 'px', top: s.y + 'px'});
      el.textContent = s.label;
    }
    document.body.appendChild(el);
  }
}
