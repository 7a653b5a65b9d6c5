() => [...document.querySelectorAll(
    '[role=dialog], .win, .start-menu, section[aria-labelledby], article, body > footer, main > footer')]
  .map((el) => el.getBoundingClientRect())
  .filter((r) => r.width && r.height && r.top < window.innerHeight && r.bottom > 0)
  .map((r) => ({x: r.x, y: r.y, width: r.width, height: r.height}))
