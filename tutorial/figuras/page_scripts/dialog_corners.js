(el, square) => {
  // A dialog shown alone: its rounded corners would let the dimmed page behind show through at
  // the figure's corners. Squared while it is shot, then given back its own look.
  const dialog = el && el.closest('[role=dialog]');
  if (!dialog) return false;
  dialog.style.borderRadius = square ? '0' : '';
  return true;
}
