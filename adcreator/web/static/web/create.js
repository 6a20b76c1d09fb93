// The create page: a change to a setting the draw depends on (.js-redraw) clears the shown draw,
// so a stale draw is never submitted. A file, not an hx-on attribute: the Content-Security-Policy
// allows no inline or evaluated script.
document.addEventListener("change", function (event) {
  if (!event.target.matches(".js-redraw") || !event.target.closest("#create-form")) {
    return;
  }
  const result = document.getElementById("draw-result");
  if (result) {
    result.innerHTML = "";
  }
});
