/* Behaviour every page shares, kept out of the HTML: the Content-Security-Policy allows no
   inline script and no on…= attribute.

   <form data-confirm="…">: asks before the form is sent (a normal, non-htmx form; htmx forms
   use hx-confirm). */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
