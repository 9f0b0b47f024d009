// Progressive enhancement of /annuaire (the list works without it):
//  - commune autocomplete: a <datalist> filled from GET /api/v1/communes?q=;
//  - the map: only when the operator configured tiles (data-tile-url) and Leaflet loaded. Markers
//    come from the results' data-lat/data-lon, which confidential places never carry.
(function () {
  'use strict';

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }

  function setUpAutocomplete() {
    var input = document.getElementById('annuaire-commune');
    if (!input || !window.fetch) return;
    var list = document.createElement('datalist');
    list.id = 'annuaire-communes';
    input.parentNode.appendChild(list);
    input.setAttribute('list', list.id);
    var lastQuery = '';
    input.addEventListener('input', debounce(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === lastQuery) return;
      lastQuery = q;
      fetch('/api/v1/communes?q=' + encodeURIComponent(q), { credentials: 'omit' })
        .then(function (response) { return response.ok ? response.json() : { contents: [] }; })
        .then(function (data) {
          while (list.firstChild) list.removeChild(list.firstChild);
          data.contents.forEach(function (commune) {
            var option = document.createElement('option');
            option.value = commune.label;
            list.appendChild(option);
          });
        })
        .catch(function () { /* the field still works as plain text */ });
    }, 250));
  }

  function setUpMap() {
    var container = document.querySelector('[data-module="app-annuaire-map"]');
    if (!container || !window.L) return;
    var tileUrl = container.getAttribute('data-tile-url');
    if (!tileUrl) return;
    var points = [];
    document.querySelectorAll('.app-annuaire-result[data-lat]').forEach(function (item) {
      var lat = parseFloat(item.getAttribute('data-lat'));
      var lon = parseFloat(item.getAttribute('data-lon'));
      if (isFinite(lat) && isFinite(lon)) {
        points.push({ lat: lat, lon: lon, name: item.getAttribute('data-name'), href: item.getAttribute('data-href') });
      }
    });
    if (points.length === 0) return;
    container.hidden = false;
    var map = window.L.map(container, { scrollWheelZoom: false });
    window.L.tileLayer(tileUrl, {
      maxZoom: 18,
      attribution: container.getAttribute('data-attribution') || '',
    }).addTo(map);
    var bounds = [];
    points.forEach(function (p) {
      // Vector markers: no image files to fetch.
      var marker = window.L.circleMarker([p.lat, p.lon], { radius: 8, weight: 2, color: '#1d4f91', fillOpacity: 0.8 });
      var link = document.createElement('a');
      link.href = p.href;
      link.textContent = p.name;
      marker.bindPopup(link);
      marker.addTo(map);
      bounds.push([p.lat, p.lon]);
    });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  }

  function start() {
    setUpAutocomplete();
    setUpMap();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
