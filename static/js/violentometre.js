// Violentomètre: turns each behaviour into a checkbox and shows the advice of the most serious
// zone ticked. Nothing is stored or sent. Without JavaScript the page is a plain list of the
// three zones with their advice.
(function () {
  'use strict';
  var root = document.querySelector('[data-module="app-violentometre"]');
  if (!root) return;
  var result = root.querySelector('.app-violentometre__result');
  var advices = root.querySelectorAll('.app-violentometre__advice');
  var count = 0;

  root.querySelectorAll('.app-violentometre__list').forEach(function (list) {
    var zone = Number(list.getAttribute('data-zone'));
    list.querySelectorAll('li').forEach(function (item) {
      count += 1;
      var id = 'comportement-' + count;
      var input = document.createElement('input');
      input.type = 'checkbox';
      input.id = id;
      input.className = 'app-violentometre__checkbox';
      input.setAttribute('data-zone', String(zone));
      var label = document.createElement('label');
      label.htmlFor = id;
      label.className = 'app-violentometre__label';
      while (item.firstChild) label.appendChild(item.firstChild);
      item.appendChild(input);
      item.appendChild(label);
      item.className = 'app-violentometre__item';
    });
  });

  // With JavaScript, advice appears only for the most serious zone ticked.
  advices.forEach(function (advice) { advice.hidden = true; });
  root.classList.add('app-violentometre--interactive');

  // The page carries its messages in its own language (data-message-*), French by default.
  var messages = {
    1: root.getAttribute('data-message-1') || 'Ce que vous avez coché correspond à une relation respectueuse.',
    2: root.getAttribute('data-message-2') || 'Vous avez coché des comportements de contrôle : vigilance, dites stop.',
    3: root.getAttribute('data-message-3') || 'Vous avez coché des violences : protégez-vous et demandez de l’aide.'
  };
  var suffix = root.getAttribute('data-message-suffix') || 'Le conseil est affiché sous cette zone.';

  root.addEventListener('change', function () {
    var highest = 0;
    root.querySelectorAll('.app-violentometre__checkbox').forEach(function (box) {
      if (box.checked) highest = Math.max(highest, Number(box.getAttribute('data-zone')));
    });
    advices.forEach(function (advice) { advice.hidden = advice.id !== 'conseil-' + highest; });
    result.hidden = highest === 0;
    result.textContent = highest ? messages[highest] + ' ' + suffix : '';
  });
})();
