// The open inbox page (/pro/demandes) tells the professional on duty that a call-back arrived
// (issue 12, "Être rappelée maintenant"; docs/immediate-connection.md): every 20 seconds it asks
// /pro/rappels-en-attente how many call-backs wait (a count, nothing about anyone), shows it in the
// page's title, "(2) Demandes reçues", and in the [data-pending-callbacks] line, and plays a short
// tone when the count grows. Browsers may keep the sound off until the page was clicked once.
// Without JavaScript the page shows the count when loaded. Nothing is stored. ES5 on purpose.
(function () {
  'use strict';

  var POLL_MS = 20000;
  var line = document.querySelector('[data-pending-callbacks]');
  if (!line || !window.fetch) return;
  var url = line.getAttribute('data-poll');
  var baseTitle = document.title.replace(/^\(\d+\) /, '');
  var known = parseInt(line.getAttribute('data-pending-callbacks'), 10) || 0;
  var audio = null;

  function show(count) {
    document.title = count > 0 ? '(' + count + ') ' + baseTitle : baseTitle;
    line.setAttribute('data-pending-callbacks', String(count));
    line.textContent = '';
    if (count > 0) {
      line.appendChild(document.createTextNode('Rappels immédiats à faire : '));
      var strong = document.createElement('strong');
      strong.textContent = String(count);
      line.appendChild(strong);
      line.appendChild(document.createTextNode('. Rechargez la page pour les voir.'));
    }
  }

  function tone() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.frequency.value = 880;
      gain.gain.value = 0.15;
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.4);
    } catch (e) {
      // No sound: the title still says it.
    }
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data || typeof data.pending !== 'number') return;
        if (data.pending > known) tone();
        known = data.pending;
        show(known);
      })
      .catch(function () {
        // Offline for a moment: the next poll tries again.
      });
  }

  show(known);
  window.setInterval(poll, POLL_MS);
})();
