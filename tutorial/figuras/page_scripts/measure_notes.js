(texts) => {
  /* include: mark_style */

  return texts.map((text) => {
    const el = mark('div', {...noteStyle, left: '0px', top: '0px', visibility: 'hidden'});
    el.textContent = text;
    document.body.appendChild(el);
    const size = [el.offsetWidth, el.offsetHeight];
    el.remove();
    return size;
  });
}
