// Live conversation "Écrire maintenant" (docs/conversation.md), her side and the desk's.
//
// Without JavaScript the conversation page refreshes itself (<meta http-equiv="refresh">) and
// the message box is on a page of its own that never refreshes. With JavaScript:
//   - the reading page goes to the writing page at once (location.replace: no history entry);
//   - the writing page listens to the conversation's Server-Sent Events (same address + "/flux")
//     and, at each new version, fetches its own address again and swaps the live part
//     ([data-conversation-live]) — the server renders every line, the box keeps what is typed;
//   - sending a message posts the same form with fetch, then refreshes the live part;
//   - "Quelqu'un arrive" is a quick-exit link (/sortie?conversation=…&raison=arrive): quick-exit.js
//     blanks the screen at once and leaves without keeping this page in the history.
// Nothing is stored: no cookie, no localStorage, no sessionStorage. ES5 on purpose.
(function () {
  'use strict';

  var root = document.querySelector('[data-module="app-conversation"]');
  if (!root || !window.EventSource || !window.fetch || !window.DOMParser || !window.URLSearchParams) return;

  var open = root.getAttribute('data-open') === 'true';
  var writing = root.getAttribute('data-writing') === 'true';
  var readHref = root.getAttribute('data-read');
  if (open && !writing) {
    window.location.replace(root.getAttribute('data-write'));
    return;
  }
  if (!open) return;  // ended or waiting to be taken: the server's page (and its refresh) is enough

  var version = root.getAttribute('data-version');
  // The quick exit and "Quelqu'un arrive" (quick-exit.js) blank the screen with this overlay, then
  // leave; the exit interrupts the conversation, whose "gone" must not bring her back here.
  function leaving() {
    return !!document.querySelector('.app-quick-exit__overlay');
  }
  var busy = false;
  var again = false;

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    var next = doc.querySelector('[data-module="app-conversation"]');
    if (!next) return;
    if (next.getAttribute('data-open') !== 'true') {
      // Ended (her consent), interrupted, handed over: the page as the server shows it.
      if (!leaving()) window.location.replace(readHref);
      return;
    }
    var live = root.querySelector('[data-conversation-live]');
    var fresh = next.querySelector('[data-conversation-live]');
    if (live && fresh) live.innerHTML = fresh.innerHTML;
    version = next.getAttribute('data-version');
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    fetch(window.location.href, {credentials: 'same-origin', headers: {Accept: 'text/html'}})
      .then(function (response) {
        if (!response.ok) {
          if (!leaving()) window.location.replace(readHref);
          return '';
        }
        return response.text();
      })
      .then(function (html) {
        if (html) swap(html);
      })
      .catch(function () {})
      .then(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  var source = new EventSource(root.getAttribute('data-events'));
  source.addEventListener('changed', function (event) {
    if (event.data !== version) refresh();
  });
  source.addEventListener('gone', function () {
    source.close();
    if (!leaving()) window.location.replace(readHref);
  });
  // Her page tells the server she is still there even when nothing happens.
  window.setInterval(refresh, 60000);

  function postPlainly(form, submitter) {
    if (submitter && submitter.name) {
      var field = document.createElement('input');
      field.type = 'hidden';
      field.name = submitter.name;
      field.value = submitter.value;
      form.appendChild(field);
    }
    form.submit();
  }

  var form = root.querySelector('form[data-conversation-form], form[action$="/messages"]');
  if (form) {
    form.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      var body = new URLSearchParams(new FormData(form));
      if (submitter && submitter.name) body.set(submitter.name, submitter.value);
      event.preventDefault();
      fetch(form.getAttribute('action'), {method: 'POST', credentials: 'same-origin', body: body})
        .then(function (response) {
          if (response.ok) {
            var box = form.querySelector('textarea');
            if (box && !(submitter && submitter.name === 'quick')) box.value = '';
            return response.text().then(swap);
          }
          // A refused message: post it the plain way, for the server's page with its error.
          postPlainly(form, submitter);
        })
        .catch(function () {
          postPlainly(form, submitter);
        });
    });
  }
})();
