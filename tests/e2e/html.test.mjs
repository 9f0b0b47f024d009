// The HTML of every public page, without a browser: valid for the Nu Html Checker, free of inline
// script, inline style and other hosts (the CSP would block them), and light enough for old phones
// on poor networks.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { PUBLIC_PAGES } from './browser.mjs';
import { repoRoot, startServer } from './server.mjs';

const run = promisify(execFile);
const kVnuJar = join(repoRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
const kMaxPageBytes = 50 * 1024; // DESIGN.md §6: a public page with its CSS and JS

let server;
const pages = new Map(); // path → { status, headers, html }

before(async () => {
  server = await startServer();
  for (const path of PUBLIC_PAGES) {
    const response = await fetch(`${server.baseUrl}${path}`);
    pages.set(path, { status: response.status, headers: response.headers, html: await response.text() });
  }
});

after(async () => {
  await server?.stop();
});

function fileNameOf(path) {
  return `${path === '/' ? 'accueil' : path.slice(1).replaceAll('/', '_')}.html`;
}

test('every public page is valid HTML for the Nu Html Checker', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-vnu-'));
  try {
    const files = [];
    for (const [path, page] of pages) {
      const file = join(dir, fileNameOf(path));
      await writeFile(file, page.html);
      files.push(file);
    }
    let output = '';
    let code = 0;
    try {
      const result = await run('java', ['-jar', kVnuJar, '--errors-only', '--format', 'gnu', ...files], {
        maxBuffer: 16 * 1024 * 1024,
      });
      output = result.stdout + result.stderr;
    } catch (error) {
      if (error.code === 'ENOENT') throw new Error('java is not installed (the Nu Html Checker needs Java 11+)');
      code = error.code;
      output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    }
    assert.equal(output.trim(), '', `Nu Html Checker errors:\n${output}`);
    assert.equal(code, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

// French at the root, English under /en/, Arabic (right to left) under /ar/.
function expectedLanguage(path) {
  if (path.startsWith('/ar/')) return { lang: 'ar', dir: 'rtl' };
  if (path.startsWith('/en/')) return { lang: 'en', dir: 'ltr' };
  return { lang: 'fr', dir: 'ltr' };
}

test('every public page is HTML in the language of its path, with its status', () => {
  for (const [path, page] of pages) {
    assert.equal(page.status, path === '/nexiste-pas' ? 404 : 200, path);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/, path);
    const { lang, dir } = expectedLanguage(path);
    assert.ok(page.html.includes(`<html lang="${lang}" dir="${dir}">`), `${path}: lang ${lang}, dir ${dir}`);
  }
});

test('no inline script, inline style, event handler attribute or other host in the HTML', () => {
  for (const [path, { html }] of pages) {
    const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]);
    assert.ok(scripts.length > 0, `${path} loads its script`);
    for (const attributes of scripts) assert.match(attributes, /\bsrc="/, `${path}: inline <script>`);
    assert.doesNotMatch(html, /<style\b/i, `${path}: <style> element`);
    assert.doesNotMatch(html, /\sstyle\s*=/i, `${path}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, `${path}: event handler attribute`);
    // Nothing is loaded from, or posted to, another host; plain links to official sites are fine.
    assert.doesNotMatch(html, /(?:src|action|srcset|poster)\s*=\s*"(?:https?:)?\/\//i, `${path}: resource on another host`);
    assert.doesNotMatch(html, /<link\b[^>]*href\s*=\s*"(?:https?:)?\/\//i, `${path}: <link> to another host`);
    for (const [, href] of html.matchAll(/<a\b[^>]*href\s*=\s*"((?:https?:)?\/\/[^"]*)"/gi)) {
      assert.match(href, /^https:\/\//, `${path}: link to another host must be https: ${href}`);
    }
    assert.match(html, /<meta name="referrer" content="no-referrer">/, path);
  }
});

test('a public page weighs under 50 KB with its CSS, JavaScript and icon', async () => {
  for (const [path, { html }] of pages) {
    const assets = [...html.matchAll(/(?:src|href)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 3, `${path} links its stylesheet, script and icon`);
    let bytes = Buffer.byteLength(html);
    for (const asset of new Set(assets)) {
      const response = await fetch(`${server.baseUrl}${asset}`);
      assert.equal(response.status, 200, asset);
      bytes += (await response.arrayBuffer()).byteLength;
    }
    assert.ok(bytes < kMaxPageBytes, `${path} weighs ${bytes} bytes`);
  }
});
