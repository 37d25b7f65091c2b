// The share block of a listing: a "Copier le lien" button that copies the short address, and
// "Partager" in the action bar, which opens the phone's own share sheet (Web Share API).
// Without JavaScript (or without the Clipboard API) the copy button stays hidden and the read-only
// field can be selected and copied by hand; without the Web Share API, "Partager" leads to the
// share block (SMS, WhatsApp, e-mail, QR code).
(function () {
  "use strict";
  var native = document.getElementById("share-native");
  if (native && navigator.share) {
    native.addEventListener("click", function (event) {
      event.preventDefault();
      navigator
        .share({
          title: native.dataset.shareTitle,
          text: native.dataset.shareText,
          url: native.dataset.shareUrl,
        })
        .catch(function () {}); // closed without sharing
    });
  }
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("[data-copy-button]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) {
      return;
    }
    var status = button.parentElement.querySelector("[data-copy-status]");
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          button.textContent = button.dataset.copiedLabel;
          if (status) {
            status.textContent = button.dataset.copiedLabel;
          }
          window.setTimeout(function () {
            button.textContent = label;
          }, 2000);
        },
        function () {
          field.select();
        }
      );
    });
  });
  document.querySelectorAll("[data-copy-field]").forEach(function (field) {
    field.addEventListener("focus", function () {
      field.select();
    });
  });
})();
