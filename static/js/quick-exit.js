// Quick exit ("Cacher le site"), after GOV.UK's "Exit this page" component.
//
// Enhances every [data-module="app-quick-exit"] link (the sticky button and the skip link). Without
// JavaScript they are plain links to the exit URL (/sortie), which clears this site's data and
// redirects to a neutral site. With JavaScript, leaving also:
//   - blanks the screen at once with an overlay, before the network answers;
//   - replaces the current history entry (location.replace), so "Back" does not return here;
//   - works from the keyboard anywhere on the page: Shift pressed 3 times within 5 seconds.
// Nothing is stored: no cookie, no localStorage, no sessionStorage.
// Written in ES5 on purpose: old phones must run it.
(function () {
  'use strict';

  var SHIFT_PRESSES = 3;
  var SHIFT_WINDOW_MS = 5000;

  var links = document.querySelectorAll('[data-module="app-quick-exit"]');
  if (!links.length) return;

  var exitUrl = links[0].href;
  var overlay = null;
  var shiftCount = 0;
  var shiftTimer = null;
  var bars = document.querySelectorAll('.app-quick-exit');

  function leave(url) {
    if (!overlay) {
      overlay = document.createElement('div');
      overlay.className = 'app-quick-exit__overlay';
      document.body.appendChild(overlay);
    }
    window.location.replace(url);
  }

  // Shows the Shift progress on the bar (filled dots).
  function showShiftCount(count) {
    for (var i = 0; i < bars.length; i++) {
      bars[i].classList.remove('app-quick-exit--shift-1', 'app-quick-exit--shift-2');
      if (count > 0) bars[i].classList.add('app-quick-exit--shift-' + count);
    }
  }

  function resetShift() {
    shiftCount = 0;
    if (shiftTimer) {
      clearTimeout(shiftTimer);
      shiftTimer = null;
    }
    showShiftCount(0);
  }

  function onClick(event) {
    event.preventDefault();
    leave(this.href);
  }

  function onKeyDown(event) {
    if (event.key !== 'Shift') {
      if (shiftCount) resetShift();
      return;
    }
    // Holding Shift down (to type capitals) repeats keydown: only fresh presses count.
    if (event.repeat) return;
    shiftCount += 1;
    if (shiftCount === 1) shiftTimer = setTimeout(resetShift, SHIFT_WINDOW_MS);
    if (shiftCount >= SHIFT_PRESSES) {
      resetShift();
      leave(exitUrl);
      return;
    }
    showShiftCount(shiftCount);
  }

  // A page restored from the back-forward cache must not stay blank.
  function onPageShow(event) {
    if (event.persisted && overlay) {
      overlay.parentNode.removeChild(overlay);
      overlay = null;
    }
  }

  for (var i = 0; i < links.length; i++) links[i].addEventListener('click', onClick);
  document.addEventListener('keydown', onKeyDown, true);
  window.addEventListener('pageshow', onPageShow);

  // The Shift hint is only true when this script runs.
  var hints = document.querySelectorAll('.app-quick-exit__hint');
  for (var j = 0; j < hints.length; j++) hints[j].hidden = false;
})();
