// Sign-in: paste a bearer token. It is checked with GET /v1/status before it is kept (in sessionStorage only).

import { h, replace, uid } from '../dom.js';
import { errorCallout } from '../ui.js';

export function signInView(root, { message, onToken }) {
  const inputId = uid('token');
  const hintId = uid('hint');
  // No `name` attribute and `form-action 'none'` in the page's CSP: the token can never be submitted as a
  // query string, even if a script fails.
  const input = h('input', {
    id: inputId, type: 'password', autocomplete: 'off', autocapitalize: 'off', spellcheck: 'false', required: true,
    'aria-describedby': hintId, class: 'input input--wide',
  });
  const feedback = h('div', { 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Sign in');
  const form = h('form', { class: 'signin', novalidate: true },
    h('div', { class: 'field' },
      h('label', { for: inputId }, 'API token'),
      input,
      h('p', { id: hintId, class: 'hint' },
        'An admin token is written to ', h('code', {}, 'DATA_DIR/admin-token'), ' when the server first starts; ',
        h('code', {}, 'lifeboat token create NAME --role viewer'), ' issues others. The token stays in this tab only.')),
    feedback,
    h('div', { class: 'actions' }, submit));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(feedback, h('p', { class: 'field-error' }, 'Paste a token first.'));
      input.focus();
      return;
    }
    submit.disabled = true;
    replace(feedback);
    try {
      await onToken(token);
    } catch (error) {
      input.value = '';
      const rejected = error.status === 401;
      replace(feedback, rejected
        ? h('div', { class: 'callout callout--error', role: 'alert' }, h('p', {}, 'The server does not accept this token (unknown, revoked or expired).'))
        : errorCallout(error, { context: 'Could not sign in' }));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });

  replace(root,
    h('div', { class: 'signin-page' },
      h('h1', {}, 'Sign in to Lifeboat'),
      message ? h('p', { class: 'callout callout--info', role: 'status' }, message) : null,
      form));
  input.focus();
}
