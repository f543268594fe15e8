// htmx requests that change something carry the CSRF token: the one in the form they
// belong to travels with the form's fields; the header adds the visitor's CSRF cookie.
// Pages carry no token of their own, so pages without a form can be cached by a CDN.
document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb === "get") return;
  const cookie = document.cookie.split("; ").find((item) => item.startsWith("csrftoken="));
  if (cookie) event.detail.headers["X-CSRFToken"] = cookie.slice("csrftoken=".length);
});
