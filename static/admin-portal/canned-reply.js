// Choosing a canned reply fills the message and the next status; the agent may still edit.
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-canned-reply]");
  if (!select) return;
  const option = select.selectedOptions[0];
  if (!option || !option.value) return;
  document.getElementById(select.dataset.cannedReply).value = option.dataset.body;
  const status = document.getElementById(select.dataset.nextStatus);
  if (status && option.dataset.status) status.value = option.dataset.status;
});
