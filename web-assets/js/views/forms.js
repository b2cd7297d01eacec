// Pieces shared by the create forms: text inputs bound to a spec field, radio groups and the submit flow.

import { ApiError } from '../api.js';
import { h, replace, uid } from '../dom.js';
import { clearFormProblem, errorCallout, markInvalid, showFormProblem } from '../ui.js';

/** A text input for the spec field `path` (used to place the server's field errors). */
export function textInput(path, { value = '', placeholder, required = false, spellcheck = false } = {}) {
  return h('input', {
    class: 'input', type: 'text', value, placeholder, required, 'data-field': path, autocomplete: 'off',
    spellcheck: spellcheck ? 'true' : 'false',
  });
}

/** A fieldset of radio buttons; `value()` answers the checked value. */
export function radioGroup({ legend, path, options, value, hint }) {
  const name = uid('radio');
  const hintId = hint ? uid('hint') : null;
  const inputs = options.map((option) => h('input', {
    type: 'radio', name, value: option.value, checked: option.value === value, id: uid('option'),
  }));
  const fieldset = h('fieldset', { class: 'field radios', 'data-field': path, 'aria-describedby': hintId },
    h('legend', {}, legend),
    h('div', { class: 'radios__options' },
      options.map((option, index) => h('label', { class: 'radio', for: inputs[index].id }, inputs[index], ' ', option.label))),
    hint ? h('p', { id: hintId, class: 'hint' }, hint) : null);
  return { element: fieldset, value: () => inputs.find((input) => input.checked)?.value ?? '' };
}

/** A checkbox with its label on the right. */
export function checkbox({ label, path, checked = false, hint }) {
  const input = h('input', { type: 'checkbox', checked, id: uid('check'), 'data-field': path });
  const hintId = hint ? uid('hint') : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return {
    element: h('div', { class: 'field field--check' },
      h('label', { for: input.id }, input, ' ', label),
      hint ? h('p', { id: hintId, class: 'hint' }, hint) : null),
    input,
  };
}

/**
 * Wires a create form: `build()` answers the request body (or throws `FieldProblem`), `send(body)` posts it, and
 * `preview` (a `<pre>`) shows `previewBody()` as the user types.
 */
export function wireForm({ form, summary, submit, build, send, preview, previewBody = build }) {
  const refreshPreview = () => {
    if (!preview) return;
    try {
      replace(preview, JSON.stringify(previewBody(), null, 2));
    } catch (error) {
      replace(preview, `// ${error.message}`);
    }
  };
  form.addEventListener('input', refreshPreview);
  form.addEventListener('change', refreshPreview);
  refreshPreview();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormProblem(form);
    replace(summary);
    let body;
    try {
      body = build();
    } catch (error) {
      if (error instanceof FieldProblem) {
        markInvalid(error.control, error.message);
        error.control.focus();
        return;
      }
      throw error;
    }
    submit.disabled = true;
    submit.setAttribute('aria-busy', 'true');
    try {
      await send(body);
    } catch (error) {
      if (error.name === 'AbortError' || (error instanceof ApiError && error.status === 401)) return;
      if (error instanceof ApiError) showFormProblem(form, summary, error);
      else replace(summary, errorCallout(error));
    } finally {
      submit.disabled = false;
      submit.removeAttribute('aria-busy');
    }
  });
}

/** A client-side check failed on one control. */
export class FieldProblem extends Error {
  constructor(control, message) {
    super(message);
    this.control = control;
  }
}

