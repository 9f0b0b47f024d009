// "J'ai besoin d'aide" as a conversation, over POST /api/v1/help (docs/help-flow.md).
//
// Enhances the "Commencer" form of /aide (without JavaScript or API, the question pages work):
// one page, one history entry (no pushState); "Retour" goes one question back.
//
// Also adds an optional "use my approximate position" button on the location question, rounded
// here to 0.01° (about 1 km) before it leaves the browser.
// Nothing is stored: no cookie, no localStorage, no sessionStorage. Texts from the server are
// inserted with textContent only. Written in ES5 on purpose: old phones must run it.
(function () {
  'use strict';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function round(degrees) {
    return Math.round(degrees * 100) / 100;
  }

  // Asks the browser for the position; calls done({lat, lon}) rounded, or fail(message).
  function locate(done, fail) {
    if (!navigator.geolocation) {
      fail('Votre navigateur ne peut pas donner votre position : indiquez un code postal.');
      return;
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        done({ lat: round(position.coords.latitude), lon: round(position.coords.longitude) });
      },
      function () {
        fail('La position n’a pas pu être obtenue : indiquez un code postal ou une commune.');
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 }
    );
  }

  // --- geolocation on the server-rendered location page ---
  var geoSlots = document.querySelectorAll('[data-module="app-geolocation"]');
  for (var g = 0; g < geoSlots.length; g++) {
    (function (slot) {
      if (!navigator.geolocation) return;
      var form = slot.form || slot.closest('form');
      var button = el('button', 'app-button app-button--secondary', 'Utiliser ma position approximative (à 1 km près)');
      button.type = 'button';
      var status = el('p', 'app-hint');
      status.setAttribute('role', 'status');
      slot.appendChild(button);
      slot.appendChild(status);
      slot.hidden = false;
      button.addEventListener('click', function () {
        status.textContent = 'Recherche de votre position…';
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
          status.textContent = 'Position approximative obtenue.';
          form.submit();
        }, function (message) {
          status.textContent = message;
        });
      });
    })(geoSlots[g]);
  }

  // --- the conversation ---
  var start = document.querySelector('[data-module="app-help-chat"]');
  if (!start || !window.fetch || !window.JSON) return;

  var api = start.getAttribute('data-api');
  var csrfField = start.querySelector('[name="_csrf"]');
  var csrf = csrfField ? csrfField.value : '';
  var token = null;
  var chat = null;
  var log = null;
  var answerArea = null;
  var busy = false;

  function say(who, text) {
    var message = el('div', 'app-chat__message app-chat__message--' + who);
    message.appendChild(el('p', 'app-chat__text', text));
    log.appendChild(message);
    return message;
  }

  function send(payload, shownAnswer) {
    if (busy) return;
    busy = true;
    fetch(api, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (result) {
      busy = false;
      var data = result.data;
      if (data.node) {
        if (shownAnswer && !data.error) say('person', shownAnswer);
        token = data.token;
        show(data.node, data.error);
      } else {
        fail(data.error && data.error.message);
      }
    }).catch(function () {
      busy = false;
      fail('La connexion a échoué.');
    });
  }

  function fail(message) {
    answerArea.textContent = '';
    var box = el('div', 'app-error-summary');
    box.setAttribute('role', 'alert');
    box.appendChild(el('p', 'app-error-summary__title', message || 'Une erreur s’est produite.'));
    var again = el('a', null, 'Recommencer les questions');
    again.href = window.location.pathname;
    box.appendChild(again);
    answerArea.appendChild(box);
  }

  function button(text, className, onClick) {
    var b = el('button', className || 'app-button', text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function optionInput(type, name, code, label, id) {
    var item = el('div', 'app-' + (type === 'radio' ? 'radios' : 'checkboxes') + '__item');
    var input = el('input', 'app-' + (type === 'radio' ? 'radios' : 'checkboxes') + '__input');
    input.type = type;
    input.name = name;
    input.value = code;
    input.id = 'chat-' + id;
    var labelEl = el('label', 'app-' + (type === 'radio' ? 'radios' : 'checkboxes') + '__label', label);
    labelEl.htmlFor = input.id;
    item.appendChild(input);
    item.appendChild(labelEl);
    return item;
  }

  function fieldset(legendText, type, name, options) {
    var set = el('fieldset', 'app-fieldset');
    set.appendChild(el('legend', 'app-fieldset__legend', legendText));
    var group = el('div', type === 'radio' ? 'app-radios' : 'app-checkboxes');
    options.forEach(function (o) {
      group.appendChild(optionInput(type, name, o.code, o.label, name + '-' + o.code));
    });
    set.appendChild(group);
    return set;
  }

  function checkedValues(form, name) {
    var values = [];
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked) values.push(inputs[i].value);
    }
    return values;
  }

  function labelsOf(options, codes) {
    return options.filter(function (o) { return codes.indexOf(o.code) >= 0; })
      .map(function (o) { return o.label; }).join(', ');
  }

  function links(container, list, prefix) {
    var ul = el('ul', 'app-list');
    list.forEach(function (item) {
      var li = el('li');
      var a = el('a', null, (prefix(item) || '') + ' ' + (item.label || item.name || ''));
      a.href = item.href;
      li.appendChild(a);
      if (item.description) li.appendChild(el('span', null, ' — ' + item.description));
      ul.appendChild(li);
    });
    container.appendChild(ul);
  }

  function show(node, error) {
    answerArea.textContent = '';
    if (!error) {
      var question = say('site', node.text);
      if (node.hint) question.appendChild(el('p', 'app-chat__hint', node.hint));
      (node.body || []).forEach(function (p) { question.appendChild(el('p', 'app-chat__text', p)); });
      if (node.emergency_contacts && node.type === 'emergency') {
        links(question, node.emergency_contacts, function (c) { return (c.sms ? 'SMS ' : '') + c.number; });
      }
      if (node.youth_services) links(question, node.youth_services, function (s) { return s.phone; });
      (node.links || []).forEach(function (l) {
        var a = el('a', null, l.label);
        a.href = l.href;
        var p = el('p');
        p.appendChild(a);
        question.appendChild(p);
      });
      if (node.summary) {
        var dl = el('dl', 'app-summary-list');
        node.summary.forEach(function (row) {
          dl.appendChild(el('dt', 'app-summary-list__key', row.question));
          dl.appendChild(el('dd', 'app-summary-list__value', row.answer));
        });
        question.appendChild(dl);
        // Proposals, and a plain form to prepare her request (as without JavaScript).
        (node.proposals || []).forEach(function (p) {
          var card = el('div', 'app-proposal'), f = el('form'), a = el('a', 'app-proposal__name', p.name);
          a.href = p.href;
          card.appendChild(a);
          card.appendChild(el('p', 'app-proposal__why', p.explanation));
          if (p.call_now && p.phone_href) links(card, [{ href: p.phone_href, label: 'Appeler maintenant' }], function () { return ''; });
          f.method = 'post';
          f.action = 'aide/rapport';  // relative: /aide → /aide/rapport, /ar/aide → /ar/aide/rapport
          [['_csrf', csrf], ['token', token], ['service_id', p.service_id]].forEach(function (kv) {
            var i = el('input');
            i.type = 'hidden'; i.name = kv[0]; i.value = kv[1];
            f.appendChild(i);
          });
          f.appendChild(el('button', 'app-button app-button--secondary', 'Préparer ma demande à ce professionnel'));
          card.appendChild(f);
          question.appendChild(card);
        });
        if (!(node.proposals || []).length) {
          question.appendChild(el('p', 'app-chat__text', 'Le 3919 (gratuit, 24 h/24) et France Victimes (116 006) peuvent vous orienter.'));
          links(question, [{ href: 'tel:3919', label: '' }, { href: 'tel:116006', label: '' }], function (c) { return c.href.slice(4); });
        }
        links(question, node.emergency_contacts || [], function (c) { return (c.sms ? 'SMS ' : '') + c.number; });
      }
    }
    var form = el('form', 'app-chat__answer');
    form.setAttribute('novalidate', '');
    if (error) {
      var box = el('div', 'app-error-message', error.message);
      box.setAttribute('role', 'alert');
      form.appendChild(box);
    }
    var collect = null;  // returns [payload answer, text shown] or null
    var type = node.type;
    if (type === 'choice' || type === 'multi_choice') {
      var kind = type === 'choice' ? 'radio' : 'checkbox';
      var options = node.choices.slice();
      if (node.optional && type === 'choice') options.push({ code: 'skip', label: 'Je préfère ne pas répondre' });
      form.appendChild(fieldset(node.text, kind, 'answer', options));
      collect = function () {
        var codes = checkedValues(form, 'answer');
        if (!codes.length) return [type === 'choice' ? '' : [], '…'];
        return [type === 'choice' ? codes[0] : codes, labelsOf(options, codes)];
      };
    } else if (type === 'text' || type === 'location') {
      var label = el('label', 'app-label', node.text);
      var input = el(type === 'text' ? 'textarea' : 'input', type === 'text' ? 'app-textarea' : 'app-input');
      input.id = 'chat-answer';
      input.setAttribute('autocomplete', 'off');
      if (node.max_length) input.maxLength = node.max_length;
      label.htmlFor = input.id;
      form.appendChild(label);
      form.appendChild(input);
      collect = function () {
        var value = input.value.trim();
        if (type === 'text') return [value, value || '(pas de réponse)'];
        return [{ place: value }, value || '…'];
      };
      if (type === 'location' && navigator.geolocation) {
        var status = el('p', 'app-hint');
        status.setAttribute('role', 'status');
        form.appendChild(button('Utiliser ma position approximative (à 1 km près)', 'app-button app-button--secondary', function () {
          status.textContent = 'Recherche de votre position…';
          locate(function (position) {
            status.textContent = '';
            send({ token: token, answer: position }, 'Ma position approximative');
          }, function (message) { status.textContent = message; });
        }));
        form.appendChild(status);
      }
    } else if (type === 'contact') {
      var channels = [
        { code: 'phone', label: 'Par téléphone' }, { code: 'sms', label: 'Par SMS' },
        { code: 'email', label: 'Par e-mail' }, { code: 'in_person', label: 'En personne, lors d’un rendez-vous' },
        { code: 'none', label: 'Je veux seulement un nom : je prendrai contact moi-même' }];
      var times = [
        { code: 'morning', label: 'Le matin' }, { code: 'midday', label: 'À l’heure du déjeuner' },
        { code: 'afternoon', label: 'L’après-midi' }, { code: 'evening', label: 'Le soir' },
        { code: 'anytime', label: 'À tout moment' }];
      var yesNo = [{ code: 'yes', label: 'Oui' }, { code: 'no', label: 'Non' }];
      var ifOther = [{ code: 'hang_up', label: 'Raccrocher sans rien dire' },
        { code: 'pretext', label: 'Donner un prétexte neutre' }];
      form.appendChild(fieldset('Comment préférez-vous être contactée ?', 'radio', 'channel', channels));
      form.appendChild(fieldset('À quels moments est-ce sans danger ?', 'checkbox', 'times', times));
      form.appendChild(fieldset('Peut-on vous laisser un message vocal ?', 'radio', 'voicemail', yesNo));
      form.appendChild(fieldset('La personne qui vous contacte peut-elle dire qui elle est ?', 'radio', 'identify', yesNo));
      var wordLabel = el('label', 'app-label', 'Mot convenu (facultatif)');
      var word = el('input', 'app-input');
      word.id = 'chat-code-word';
      word.maxLength = 40;
      word.setAttribute('autocomplete', 'off');
      wordLabel.htmlFor = word.id;
      form.appendChild(wordLabel);
      form.appendChild(word);
      form.appendChild(fieldset('Si quelqu’un d’autre répond, le professionnel doit :', 'radio', 'if_other', ifOther));
      collect = function () {
        var channel = checkedValues(form, 'channel')[0] || '';
        var answer = { channel: channel, times: checkedValues(form, 'times'), code_word: word.value.trim() };
        ['voicemail', 'identify', 'if_other'].forEach(function (name) {
          var v = checkedValues(form, name)[0];
          if (v) answer[name] = v;
        });
        return [answer, labelsOf(channels, [channel]) || '…'];
      };
    }
    if (collect) {
      form.appendChild(el('button', 'app-button', 'Continuer'));
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var got = collect();
        send({ token: token, answer: got[0] }, got[1]);
      });
    } else if (type === 'info' || type === 'emergency') {
      form.appendChild(el('button', 'app-button', node['continue'] || 'Continuer'));
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        send({ token: token, answer: null }, node['continue'] || 'Continuer');
      });
    }
    if (node.can_go_back) {
      form.appendChild(button('Retour', 'app-back-link', function () {
        say('person', 'Retour');
        send({ token: token, back: true });
      }));
    }
    answerArea.appendChild(form);
    var first = form.querySelector('input, textarea, button');
    if (first && !error) first.focus();
  }

  start.addEventListener('submit', function (event) {
    event.preventDefault();
    chat = el('section', 'app-chat');
    chat.setAttribute('aria-label', 'Questions');
    log = el('div', 'app-chat__log');
    log.setAttribute('aria-live', 'polite');
    answerArea = el('div', 'app-chat__input');
    chat.appendChild(log);
    chat.appendChild(answerArea);
    start.parentNode.insertBefore(chat, start);
    start.hidden = true;
    fetch(api, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ token: null })
    }).then(function (response) {
      if (!response.ok) throw new Error('status ' + response.status);
      return response.json();
    }).then(function (data) {
      token = data.token;
      show(data.node, null);
    }).catch(function () {
      // The API cannot be reached: the ordinary pages work without it.
      chat.parentNode.removeChild(chat);
      start.hidden = false;
      start.submit();
    });
  });
})();
