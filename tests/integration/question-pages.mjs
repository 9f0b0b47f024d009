// The help questions without JavaScript, as a browser answers them: the forms of each page posted
// with what a person would choose, the draft cookie kept and the 303 of Post/Redirect/Get
// followed to the page (ADR 0011). Shared by the help tests in every language.
import assert from 'node:assert/strict';

import { csrfTokenIn, request } from './harness.mjs';
import { Visitor as Browser } from './referral-visitor.mjs';

export class QuestionPages {
  // `prefix`: "" (French), "/en" or "/ar".
  constructor(baseUrl, prefix = '') {
    this.baseUrl = baseUrl;
    this.prefix = prefix;
    this.page = null;
    this.browser = new Browser(baseUrl);
  }

  async start() {
    const home = await request(this.baseUrl, 'GET', `${this.prefix}/aide`);
    assert.equal(home.status, 200);
    assert.match(home.body, new RegExp(`<form method="post" action="${this.prefix}/aide/questions"`));
    this.csrf = csrfTokenIn(home.body);
    return this.post([['action', 'start']], { withToken: false });
  }

  // Posts the question form; `token` overrides the one the last page handed.
  async post(fields, { withToken = true, token } = {}) {
    const pairs = withToken ? [['token', token ?? this.token], ...fields] : [...fields];
    this.browser.csrf = this.csrf;
    const response = await this.browser.post(`${this.prefix}/aide/questions`, pairs);
    this.page = response;
    const handed = response.body.match(/name="token" value="([^"]+)"/);
    if (handed) this.token = handed[1];
    return response;
  }

  // Answers the current question; expects the next page to be 200.
  async answer(...fields) {
    const response = await this.post([...fields, ['action', 'continue']]);
    assert.equal(response.status, 200, `answering ${JSON.stringify(fields)} at ${this.node}: ${response.status}`);
    return response;
  }

  async back() { return this.post([['action', 'back']]); }

  get node() { return this.page?.body.match(/data-node="([a-z_]+)"/)?.[1]; }
  get main() { return this.page.body.slice(this.page.body.indexOf('<main'), this.page.body.indexOf('</main>')); }
  get heading() { return this.page.body.match(/<h1 class="app-fieldset__heading">([^<]*)<\/h1>/)?.[1]; }
}
