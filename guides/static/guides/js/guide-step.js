// When htmx swaps in the next step, keyboard and screen-reader users continue at its question
// instead of being sent back to the top of the page.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.target?.id !== "guide-step") return;
  document.getElementById("guide-step-title")?.focus({ preventScroll: true });
});
