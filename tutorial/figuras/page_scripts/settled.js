async () => {
  await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null : img.decode().catch(() => null)));
}
