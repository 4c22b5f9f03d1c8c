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
