// Kubernetes label-selector syntax → the contract's LabelSelector object, as `lifeboat backup create -l` parses it
// (Sources/lifeboat/LabelSelectorParser.swift): `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
// Equality goes to matchLabels; the rest to matchExpressions (`k!=v` is NotIn [v], as in apimachinery).

/** A selector that does not parse; `message` says where. */
export class SelectorError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SelectorError';
  }
}

function splitClauses(text) {
  const clauses = [];
  let current = '';
  let depth = 0;
  for (const character of text) {
    if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;
      if (depth < 0) throw new SelectorError(`invalid label selector '${text}': unbalanced ')'`);
    } else if (character === ',' && depth === 0) {
      clauses.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  if (depth !== 0) throw new SelectorError(`invalid label selector '${text}': unbalanced '('`);
  clauses.push(current);
  return clauses;
}

const KEY = /^[\p{L}\p{N}\-_./]+$/u;

function validKey(raw, text) {
  const key = raw.trim();
  if (!KEY.test(key)) throw new SelectorError(`invalid label selector '${text}': bad key '${key}'`);
  return key;
}

function setRequirement(clause, text) {
  for (const [word, operator] of [[' notin ', 'NotIn'], [' in ', 'In']]) {
    const index = clause.indexOf(word);
    if (index < 0) continue;
    const key = validKey(clause.slice(0, index), text);
    const rest = clause.slice(index + word.length).trim();
    if (!rest.startsWith('(') || !rest.endsWith(')')) {
      throw new SelectorError(`invalid label selector '${text}': expected '(' after '${word.trim()}'`);
    }
    const values = rest.slice(1, -1).split(',').map((value) => value.trim()).filter(Boolean);
    if (!values.length) throw new SelectorError(`invalid label selector '${text}': empty value set`);
    return { key, operator, values };
  }
  return null;
}

/**
 * Parses `text`; answers undefined for an empty selector.
 *
 *     parseSelector('app=web,tier notin (db)')
 *     // {matchLabels: {app: 'web'}, matchExpressions: [{key: 'tier', operator: 'NotIn', values: ['db']}]}
 */
export function parseSelector(text) {
  const source = String(text || '').trim();
  if (!source) return undefined;
  const matchLabels = {};
  const matchExpressions = [];
  for (const raw of splitClauses(source)) {
    const clause = raw.trim();
    if (!clause) continue;
    let index;
    if (clause.startsWith('!')) {
      matchExpressions.push({ key: validKey(clause.slice(1), source), operator: 'DoesNotExist' });
    } else if ((index = clause.indexOf('!=')) >= 0) {
      matchExpressions.push({ key: validKey(clause.slice(0, index), source), operator: 'NotIn', values: [clause.slice(index + 2).trim()] });
    } else if ((index = clause.indexOf('==')) >= 0) {
      matchLabels[validKey(clause.slice(0, index), source)] = clause.slice(index + 2).trim();
    } else if ((index = clause.indexOf('=')) >= 0) {
      matchLabels[validKey(clause.slice(0, index), source)] = clause.slice(index + 1).trim();
    } else {
      const requirement = setRequirement(clause, source);
      matchExpressions.push(requirement || { key: validKey(clause, source), operator: 'Exists' });
    }
  }
  const selector = {};
  if (Object.keys(matchLabels).length) selector.matchLabels = matchLabels;
  if (matchExpressions.length) selector.matchExpressions = matchExpressions;
  return Object.keys(selector).length ? selector : undefined;
}
