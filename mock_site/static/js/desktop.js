// The desktop's Inicio menu: open and close it, Todos los programas with its folders, and the
// search box that finds a program by name (case and accents ignored).
(() => {
  const startButton = document.querySelector(".start-button");
  const menu = document.getElementById("start-menu");
  if (!startButton || !menu) return;
  const panes = Object.fromEntries([...menu.querySelectorAll("[data-pane]")].map((p) => [p.dataset.pane, p]));
  const allPrograms = menu.querySelector(".all-programs");
  const search = menu.querySelector("#start-search");
  const results = [...panes.search.querySelectorAll("li")];
  const count = panes.search.querySelector(".count");
  const noResults = panes.search.querySelector(".no-results");
  let browsing = "recent"; // the pane shown while the search box is empty

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

  function show(name) {
    for (const [key, pane] of Object.entries(panes)) pane.hidden = key !== name;
    allPrograms.hidden = name === "search";
  }

  function setOpen(open) {
    menu.hidden = !open;
    startButton.setAttribute("aria-expanded", String(open));
    if (open) search.focus();
  }

  startButton.addEventListener("click", () => setOpen(menu.hidden));

  allPrograms.addEventListener("click", () => {
    browsing = browsing === "all" ? "recent" : "all";
    allPrograms.setAttribute("aria-expanded", String(browsing === "all"));
    allPrograms.querySelector(".label").textContent = browsing === "all" ? "Atrás" : "Todos los programas";
    show(browsing);
  });

  for (const folder of menu.querySelectorAll(".folder")) {
    folder.addEventListener("click", () => {
      const list = document.getElementById(folder.getAttribute("aria-controls"));
      const expanded = folder.getAttribute("aria-expanded") !== "true";
      folder.setAttribute("aria-expanded", String(expanded));
      list.hidden = !expanded;
    });
  }

  search.addEventListener("input", () => {
    const query = fold(search.value);
    if (!query) { show(browsing); return; }
    let found = 0;
    for (const item of results) {
      const name = item.querySelector("[data-name]").dataset.name;
      item.hidden = !fold(name).includes(query);
      if (!item.hidden) found += 1;
    }
    count.textContent = `(${found})`;
    noResults.hidden = found > 0;
    show("search");
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !menu.hidden) { setOpen(false); startButton.focus(); }
  });
  document.addEventListener("click", (event) => {
    if (!menu.hidden && !menu.contains(event.target) && !startButton.contains(event.target)) setOpen(false);
  });
})();
