// The compose form's upload progress. Without script the form posts as usual; with it, a message
// that carries files is sent by XMLHttpRequest so that the bar can follow the upload, and the
// answer (the status page, or the form back with the reason) is shown as the browser would.
document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form.compose');
  var bar = document.getElementById('upload-progress');
  var files = document.getElementById('attachments');
  if (!form || !bar || !files || !window.FormData) {
    return;
  }
  form.dataset.progress = 'on'; // says, to a test, that the script loaded under the page's policy
  form.addEventListener('submit', function (event) {
    if (!files.files || files.files.length === 0) {
      return; // nothing to wait for
    }
    event.preventDefault();
    var button = form.querySelector('button[type=submit]');
    button.disabled = true;
    bar.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.max = e.total;
        bar.value = e.loaded;
        bar.textContent = Math.round(100 * e.loaded / e.total) + '%';
      }
    };
    xhr.onload = function () {
      if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.indexOf('/status/') > 0) {
        window.location.assign(xhr.responseURL);
        return;
      }
      document.open();
      document.write(xhr.responseText);
      document.close();
    };
    xhr.onerror = function () {
      button.disabled = false;
      bar.hidden = true;
      alert('The message could not be sent: the connection to the server failed. Nothing was sent; try again.');
    };
    xhr.send(new FormData(form));
  });
});
