// Kiosk enrolment: the one-time token is in the link's fragment (after "#"), which the
// browser never sends, so it stays out of access logs. Post it, and drop it from history.
(function () {
  var form = document.getElementById("kiosk-enrol");
  var token = window.location.hash.slice(1);
  history.replaceState(null, "", window.location.pathname);
  if (!form || !token) {
    return;
  }
  form.elements.token.value = decodeURIComponent(token);
  form.submit();
})();
