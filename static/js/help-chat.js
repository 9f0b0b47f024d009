// "J'ai besoin d'aide" as a conversation, over POST /api/v1/help (docs/help-flow.md, "The chat").
//
// Enhances the "Commencer" form of /aide (without JavaScript or API, the question pages work):
// one page, one history entry (no pushState). Each answer of the API carries the question page's
// own markup (`html`, rendered by the server from templates/help/question.mustache in her
// language): the chat shows it as it is, so that it always says what the pages say. Answered
// questions move to the log as one question and one answer. The forms of that markup are sent
// to the API instead of the page; "Préparer ma demande" (a formaction) leaves as an ordinary
// form post. A professional's name opens its details in place (the directory page's content),
// so that her answers stay on screen.
//
// Also adds "use my approximate position" on the location question (pages and chat), rounded
// here to 0.01° (about 1 km) before it leaves the browser.
// Nothing is stored: no cookie, no localStorage, no sessionStorage. Texts the chat writes itself
// come from the data-* attributes of its <script> tag (templates/help/_chat_script.mustache,
// translated by the catalogs). Written in ES5 on purpose: old phones must run it.
(function () {
  'use strict';

  var script = document.currentScript;
  function text(name) {
    return (script && script.getAttribute('data-' + name)) || '';
  }

  function el(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) fn(list[i], i);
  }

  function round(degrees) {
    return Math.round(degrees * 100) / 100;
  }

  // Asks the browser for the position; calls done({lat, lon}) rounded, or fail(message).
  function locate(done, fail) {
    navigator.geolocation.getCurrentPosition(
      function (position) {
        done({ lat: round(position.coords.latitude), lon: round(position.coords.longitude) });
      },
      function () { fail(text('failed')); },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  }

  // The position button in every [data-module="app-geolocation"] slot under `root`: hidden
  // lat/lon fields, then `submit(form)`.
  function enhanceGeolocation(root, submit) {
    if (!navigator.geolocation) return;
    each(root.querySelectorAll('[data-module="app-geolocation"]'), function (slot) {
      var form = slot.closest('form');
      var button = el('button', 'app-button app-button--secondary', text('position'));
      var status = el('p', 'app-hint');
      button.type = 'button';
      status.setAttribute('role', 'status');
      slot.appendChild(button);
      slot.appendChild(status);
      slot.hidden = false;
      button.addEventListener('click', function () {
        status.textContent = text('searching');
        locate(function (position) {
          var place = form.querySelector('[name="place"]');
          if (place) place.value = '';
          ['lat', 'lon'].forEach(function (name) {
            var input = form.querySelector('input[type="hidden"][name="' + name + '"]') || el('input');
            input.type = 'hidden';
            input.name = name;
            input.value = String(position[name]);
            form.appendChild(input);
          });
          status.textContent = text('found');
          submit(form);
        }, function (message) {
          status.textContent = message;
        });
      });
    });
  }

  var start = document.querySelector('[data-module="app-help-chat"]');
  if (!start || !window.fetch || !window.JSON || !window.FormData || !document.body.closest) {
    enhanceGeolocation(document, function (form) { form.submit(); });
    return;
  }

  // --- the conversation ---
  var api = start.getAttribute('data-api');
  var csrfField = start.querySelector('[name="_csrf"]');
  var csrf = csrfField ? csrfField.value : '';
  var prefix = /^\/(en|ar)\//.test(window.location.pathname) ? window.location.pathname.slice(0, 3) : '';
  var chat, log, current;
  var token = null;
  var node = null;
  var busy = false;
  var submitter = null;  // the submit button last clicked (event.submitter is too recent)

  function say(who, content) {
    var message = el('div', 'app-chat__message app-chat__message--' + who);
    message.appendChild(el('p', 'app-chat__text', content));
    log.appendChild(message);
  }

  function setBusy(value) {
    busy = value;
    chat.setAttribute('aria-busy', value ? 'true' : 'false');
  }

  function fail(message) {
    current.textContent = '';
    var box = el('div', 'app-error-summary');
    box.setAttribute('role', 'alert');
    box.setAttribute('tabindex', '-1');
    box.appendChild(el('p', 'app-error-summary__title', message || text('error')));
    var again = el('a', null, text('restart'));
    again.href = window.location.pathname;
    box.appendChild(again);
    current.appendChild(box);
    box.focus();
  }

  function post(payload, done) {
    setBusy(true);
    fetch(api, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      setBusy(false);
      if (data.node && data.html) done(data);
      else fail(data.error && data.error.message);
    }).catch(function () {
      setBusy(false);
      done(null);
    });
  }

  // Her answer as she would say it: the labels she ticked, or what she typed.
  function spoken(form, button) {
    var said = [];
    each(form.querySelectorAll('input, textarea'), function (input) {
      if (input.type === 'hidden') return;
      if (input.type === 'radio' || input.type === 'checkbox') {
        if (!input.checked) return;
        var label = form.querySelector('label[for="' + input.id + '"]');
        if (label && input.name !== 'times' && input.name !== 'voicemail' && input.name !== 'identify' &&
            input.name !== 'if_other') said.push(label.textContent.trim());
      } else if (input.value.trim() && input.name !== 'code_word') {
        said.push(input.value.trim());
      }
    });
    if (form.querySelector('input[name="lat"]')) said = [text('my-position')];
    if (!said.length && button && !form.querySelector('input:not([type="hidden"]), textarea')) {
      said.push(button.textContent.trim());
    }
    return said.join(', ') || text('no-answer');
  }

  // The form's fields (her answer) as the API's answer object.
  function answerOf(form) {
    var answer = {};
    each(form.elements, function (input) {
      if (!input.name || input.name === '_csrf' || input.name === 'token' || input.name === 'action') return;
      if ((input.type === 'radio' || input.type === 'checkbox') && !input.checked) return;
      if (input.tagName === 'BUTTON') return;
      (answer[input.name] = answer[input.name] || []).push(input.value);
    });
    return answer;
  }

  function submitForm(form) {
    if (busy) return;
    var button = submitter && submitter.form === form ? submitter : null;
    var action = button && button.value ? button.value : 'continue';
    var asked = node;
    if (form.className.indexOf('app-back-form') >= 0) {
      post({ token: token, back: true }, function (data) { show(data, null, null); });
      return;
    }
    var payload = { token: token, answer: answerOf(form) };
    if (action === 'locate') payload.locate = true;
    var said = spoken(form, button);
    post(payload, function (data) {
      // A page of its own for what the chat cannot send (the API is unreachable).
      if (!data) {
        form.submit();
        return;
      }
      show(data, action === 'locate' ? null : asked, said);
    });
  }

  // The API's answer: the question answered goes to the log, the new node's markup below.
  function show(data, asked, said) {
    if (!data) {
      fail(text('connection'));
      return;
    }
    if (asked && !data.error) {
      say('site', asked.text);
      say('person', said);
    }
    token = data.token;
    node = data.node;
    current.innerHTML = data.html;  // the server's own markup, escaped by its templates
    each(current.querySelectorAll('script'), function (s) { s.parentNode.removeChild(s); });
    enhanceGeolocation(current, submitForm);
    var target = current.querySelector('.app-error-summary');
    if (!target && node.type === 'end') target = current.querySelector('form h2') || current.querySelector('h1');
    if (!target && node.is_question) target = current.querySelector('form.app-question input:not([type="hidden"]), form.app-question textarea');
    if (!target) target = current.querySelector('h1');
    if (target) {
      if (!/^(INPUT|TEXTAREA)$/.test(target.tagName)) target.setAttribute('tabindex', '-1');
      target.focus();
    }
  }

  // A professional's details in place, from the directory page (no data of hers is sent).
  function toggleDetails(link) {
    var card = link.closest('.app-proposal');
    var panel = card.querySelector('.app-proposal__details');
    if (panel) {
      panel.hidden = !panel.hidden;
      link.setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
      return;
    }
    fetch(prefix + link.getAttribute('href'), { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) throw new Error('status ' + response.status);
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, 'text/html');
      var content = page.querySelector('main [lang]') || page.querySelector('main');
      panel = el('div', 'app-proposal__details');
      panel.id = 'details-' + (card.getAttribute('data-organization') || Math.random().toString(36).slice(2));
      each(content.querySelectorAll('script, h1, .app-annuaire-back'), function (n) { n.parentNode.removeChild(n); });
      while (content.firstChild) panel.appendChild(document.adoptNode(content.firstChild));
      var after = link.parentNode.tagName === 'H3' ? link.parentNode : link;
      after.parentNode.insertBefore(panel, after.nextSibling);
      link.setAttribute('aria-controls', panel.id);
      link.setAttribute('aria-expanded', 'true');
    }).catch(function () {
      window.location.href = link.href;
    });
  }

  function begin() {
    chat = el('section', 'app-chat');
    chat.setAttribute('aria-label', text('questions'));
    log = el('div', 'app-chat__log');
    current = el('div', 'app-chat__current');
    chat.appendChild(log);
    chat.appendChild(current);
    start.parentNode.insertBefore(chat, start);
    start.hidden = true;
    chat.addEventListener('click', function (event) {
      var target = event.target;
      if (target.closest('button[type="submit"], button:not([type])')) submitter = target.closest('button');
      var link = target.closest('.app-proposal__name a, a.app-proposal__name');
      if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
        event.preventDefault();
        toggleDetails(link);
      }
    });
    chat.addEventListener('submit', function (event) {
      // "Préparer ma demande" posts her token to the report page, as without JavaScript.
      if (submitter && submitter.getAttribute('formaction')) return;
      event.preventDefault();
      submitForm(event.target);
    });
    post({ token: null }, function (data) {
      if (data) {
        show(data, null, null);
        return;
      }
      // The API cannot be reached: the ordinary pages work without it.
      chat.parentNode.removeChild(chat);
      start.hidden = false;
      start.submit();
    });
  }

  start.addEventListener('submit', function (event) {
    event.preventDefault();
    begin();
  });
})();
