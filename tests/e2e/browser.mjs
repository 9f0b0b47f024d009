// Shared pieces of the browser tests: Debian's Chromium through playwright-core, the list of
// public pages and the two viewports every layout check runs at.

import { chromium } from 'playwright-core';

export const PUBLIC_PAGES = [
  '/',
  '/aide',
  '/securite-en-ligne',
  '/mentions-legales',
  '/confidentialite',
  '/accessibilite',
  '/violentometre',
  '/temoin',
  '/ressources',
  '/fiches',
  '/fiches/ordonnance-de-protection',
  '/fiches/porter-plainte-facile',
  '/fiches/recherche?q=plainte',
  '/en/',
  '/en/fiches',
  '/en/fiches/porter-plainte',
  '/en/violentometre',
  '/en/temoin',
  '/en/aide',
  '/ar/',
  '/ar/fiches',
  '/ar/fiches/porter-plainte',
  '/ar/fiches/recherche?q=plainte',
  '/ar/violentometre',
  '/ar/temoin',
  '/ar/aide',
  '/ar/securite-en-ligne',
  '/annuaire',
  '/annuaire?commune=75010',
  '/annuaire?commune=Atlantide',
  '/annuaire/p10-cidff-s1',
  '/annuaire/p10-hebergement-s1', // a confidential shelter
  '/en/annuaire?commune=75010',
  '/ar/annuaire?commune=62170',
  '/ar/annuaire/p10-cidff-s1',
  '/en/annuaire/p10-hebergement-s1', // a confidential shelter, in English
  '/nexiste-pas', // the 404 page
];

export const VIEWPORTS = [
  { name: 'mobile', width: 360, height: 640 },
  { name: 'desktop', width: 1366, height: 768 },
];

// Only one Chromium at a time on this machine: each test file launches one and closes it in after().
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function viewportOf({ width, height }) {
  return { width, height };
}

// Whether `cookies` (a context's) are nothing but her draft cookie (ADR 0011): the random id of
// her sealed draft, HttpOnly, SameSite=Strict, for the browser's session, on /aide, /suivi and
// /sortie; `cookies` may be empty.
export function onlyHerDraftCookie(cookies) {
  return cookies.every((c) => c.name === 'passerelle_draft' && /^[A-Za-z0-9_-]{43}$/.test(c.value)
    && c.httpOnly && c.sameSite === 'Strict' && c.expires === -1 && ['/aide', '/suivi', '/sortie'].includes(c.path));
}
