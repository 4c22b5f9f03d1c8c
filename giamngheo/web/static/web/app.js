/* Small behaviours of the pages, here rather than inline: the Content-Security-Policy allows
   scripts from our static files only. */
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-gps-target]");
  if (!button || !navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition(function (p) {
    document.getElementsByName(button.dataset.gpsTarget)[0].value =
      p.coords.latitude.toFixed(5) + "," + p.coords.longitude.toFixed(5);
  });
});

/* htmx swaps only 2xx answers; a form marked data-show-refusals also shows a 400's message
   (a refused what-if key, a bad number) instead of leaving the page unchanged. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400 && event.detail.elt.closest("[data-show-refusals]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

/* A list's "choose the whole page" box (data-check-all names the boxes it sets). */
document.addEventListener("change", function (event) {
  var all = event.target.closest("[data-check-all]");
  if (!all) return;
  document.getElementsByName(all.dataset.checkAll).forEach(function (box) { box.checked = all.checked; });
});

/* The benefit form's loan fields (data-loan-policies lists the loan policies' ids) are shown only
   when a loan policy is chosen; without scripts they stay shown and say when to fill them. */
function showLoanFields() {
  var loan = document.querySelector("[data-loan-policies]");
  if (!loan) return;
  var select = loan.form.querySelector("select[name=policy_id]");
  loan.hidden = loan.dataset.loanPolicies.split(" ").indexOf(select.value) < 0;
}
document.addEventListener("DOMContentLoaded", showLoanFields);
document.addEventListener("change", function (event) {
  if (event.target.name === "policy_id") showLoanFields();
});
