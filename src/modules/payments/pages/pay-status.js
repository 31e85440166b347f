// Progressive enhancement of the "check your phone" page: polls the payment's status and
// reloads the page (which then shows the receipt or the outcome) once M-Pesa has decided.
// Without this script the page reloads itself every few seconds; nothing depends on it.
(function () {
  'use strict';
  var line = document.getElementById('stk-status');
  if (!line || !window.fetch) return;
  var url = line.getAttribute('data-status-url');
  var shown = line.getAttribute('data-state');
  var delayMs = 2000;
  var delayMsMax = 10000;
  var stopAt = Date.now() + 15 * 60 * 1000;
  function poll() {
    if (Date.now() > stopAt) return;
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && body.state !== shown) {
          if (body.state === 'pending' && shown === 'waiting') {
            shown = 'pending';
            line.textContent = line.getAttribute('data-pending-text');
          } else {
            window.location.assign(body.next);
            return;
          }
        }
        schedule();
      })
      .catch(schedule);
  }
  function schedule() {
    delayMs = Math.min(delayMs * 1.5, delayMsMax);
    window.setTimeout(poll, delayMs);
  }
  window.setTimeout(poll, delayMs);
})();
