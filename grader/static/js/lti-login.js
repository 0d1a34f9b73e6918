// The LTI login inside the LMS's frame: can this site keep a cookie here? If so, go on with the
// login (the same request, marked as checked); if not, offer to open the tool in a new window,
// where the browser treats its cookies as first-party.
(function () {
  "use strict";
  var box = document.getElementById("lti-cookie-check");
  if (!box) { return; }
  var params = JSON.parse(box.dataset.params || "{}");
  var url = window.location.pathname + "?" + new URLSearchParams(params).toString();
  var host = window.location.hostname;
  // Browsers take Secure cookies over HTTPS and from loopback hosts (potentially trustworthy).
  var secure = window.location.protocol === "https:" || host === "localhost" ||
    /^127\./.test(host) || host === "[::1]";
  var cookie = "lti1p3_test_cookie=1; path=/" + (secure ? "; SameSite=None; Secure" : "");
  document.cookie = cookie;
  if (document.cookie.indexOf("lti1p3_test_cookie") !== -1) {
    document.cookie = "lti1p3_test_cookie=; path=/; expires=Thu, 01 Jan 1970 00:00:01 GMT" +
      (secure ? "; SameSite=None; Secure" : "");
    window.location.replace(url);
    return;
  }
  document.getElementById("lti-loading").hidden = true;
  document.getElementById("lti-blocked").hidden = false;
  var link = document.getElementById("lti-new-window");
  link.href = url;
  link.addEventListener("click", function () {
    window.setTimeout(function () { link.hidden = true; }, 0);
  });
})();
