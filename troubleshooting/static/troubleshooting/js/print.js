// A printed article shows every folded section: the steps inside <details> matter on paper too.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll(".kb-body details:not([open])").forEach((details) => {
    details.setAttribute("open", "");
    details.dataset.openedForPrint = "true";
  });
});
window.addEventListener("afterprint", () => {
  document.querySelectorAll(".kb-body details[data-opened-for-print]").forEach((details) => {
    details.removeAttribute("open");
    delete details.dataset.openedForPrint;
  });
});
