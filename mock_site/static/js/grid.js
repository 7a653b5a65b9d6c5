// A DevExtreme-like data grid over a server-rendered table: drag a column header into the group
// panel to group the rows by it, drag the chip out to ungroup; click a header to sort.
for (const grid of document.querySelectorAll("[data-grid]")) {
  const panel = grid.querySelector(".group-panel");
  const hint = panel.querySelector(".hint");
  const table = grid.querySelector("table");
  const tbody = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];
  const rows = [...tbody.rows];
  const state = { groupBy: null, sortBy: null, descending: false };

  const columnIndex = (name) => headers.findIndex((th) => th.dataset.column === name);
  const cellValue = (row, name) => {
    const cell = row.cells[columnIndex(name)];
    return cell.dataset.sort ?? cell.textContent.trim();
  };
  const headerText = (name) => headers[columnIndex(name)].dataset.label;
  // Numbers by value; text (serials, names, ISO dates in data-sort) character by character, as
  // DevExtreme sorts a string column. A numeric collation put INL8R… before INL85….
  const isNumber = (text) => /^\d+(\.\d+)?$/.test(text);
  const compare = (x, y) => (isNumber(x) && isNumber(y) ? Number(x) - Number(y) : x.localeCompare(y, "es"));

  function render() {
    const ordered = [...rows];
    if (state.sortBy) {
      ordered.sort((a, b) => compare(cellValue(a, state.sortBy), cellValue(b, state.sortBy)));
      if (state.descending) ordered.reverse();
    }
    if (state.groupBy) {
      ordered.sort((a, b) => compare(cellValue(a, state.groupBy), cellValue(b, state.groupBy)));
    }
    tbody.replaceChildren();
    let current = null;
    for (const row of ordered) {
      if (state.groupBy) {
        const value = row.cells[columnIndex(state.groupBy)].textContent.trim();
        if (value !== current) {
          current = value;
          const groupRow = tbody.insertRow();
          groupRow.className = "group-row";
          const cell = groupRow.insertCell();
          cell.colSpan = headers.length;
          cell.textContent = `${headerText(state.groupBy)}: ${value}`;
        }
      }
      tbody.append(row);
    }
    for (const th of headers) {
      const mark = th.querySelector(".sort");
      if (!mark) continue;
      const sorted = th.dataset.column === state.sortBy;
      th.setAttribute("aria-sort", sorted ? (state.descending ? "descending" : "ascending") : "none");
      mark.textContent = sorted ? (state.descending ? " \u25BC" : " \u25B2") : "";
    }
    panel.querySelector(".group-chip")?.remove();
    hint.hidden = Boolean(state.groupBy);
    if (state.groupBy) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "group-chip";
      chip.draggable = true;
      chip.textContent = headerText(state.groupBy);
      chip.title = "Arrastra fuera del panel para desagrupar";
      chip.addEventListener("dragstart", (event) => event.dataTransfer.setData("text/plain", "ungroup"));
      chip.addEventListener("dragend", (event) => {
        if (event.dataTransfer.dropEffect === "none") { state.groupBy = null; render(); }
      });
      panel.append(chip);
    }
  }

  for (const th of headers.filter((h) => h.dataset.column)) {
    th.draggable = true;
    th.addEventListener("click", () => {
      state.descending = state.sortBy === th.dataset.column ? !state.descending : false;
      state.sortBy = th.dataset.column;
      render();
    });
    th.addEventListener("dragstart", (event) => event.dataTransfer.setData("text/plain", th.dataset.column));
  }
  panel.addEventListener("dragover", (event) => { event.preventDefault(); panel.classList.add("drop-target"); });
  panel.addEventListener("dragleave", () => panel.classList.remove("drop-target"));
  panel.addEventListener("drop", (event) => {
    event.preventDefault();
    panel.classList.remove("drop-target");
    const column = event.dataTransfer.getData("text/plain");
    if (columnIndex(column) >= 0) { state.groupBy = column; render(); }
  });
  table.addEventListener("dragover", (event) => event.preventDefault());
  table.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer.getData("text/plain") === "ungroup") { state.groupBy = null; render(); }
  });
  table.setAttribute("aria-busy", "false");  // bound: headers sort, the panel groups
}
