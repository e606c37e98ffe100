// Rendering of changes and of descriptor differences (attribute by attribute).
import { h, code } from './dom.js';
import { canonicalize } from './jcs.js';

export function changeId(change) {
  return change.op === 'put' ? change.descriptor.id : change.op === 'delete' ? change.id : '*';
}

/** One line per change: op, id, kind. */
export function changeList(changes) {
  return h('ul.changes', changes.map((c) => h('li', { 'data-op': c.op },
    h('span.op.op-' + c.op, c.op),
    ' ',
    c.op === 'put' ? [code(c.descriptor.id), h('span.muted', ` ${c.descriptor.kind}`)]
      : c.op === 'delete' ? code(c.id)
        : c.op === 'set_log_key' ? ['transparency log key ', code(c.log_key, 'digest')]
        : `signer set v${c.signer_set.version}: ${c.signer_set.threshold} of ${c.signer_set.signers.length} (${c.signer_set.signers.map((s) => s.id).join(', ')})`)));
}

export function summary(changes) {
  const n = changes.length;
  const first = changes.slice(0, 2).map((c) => `${c.op} ${changeId(c)}`).join(', ');
  return n === 0 ? 'no changes' : n <= 2 ? first : `${first} and ${n - 2} more`;
}

/** How a descriptor differs between two states: 'added', 'removed', 'changed' or 'unchanged'. */
export function status(before, after) {
  if (!before && after) return 'added';
  if (before && !after) return 'removed';
  return canonicalize(before) === canonicalize(after) ? 'unchanged' : 'changed';
}

function value(v) {
  return v === undefined ? h('span.absent', '—') : h('code.val', typeof v === 'string' ? JSON.stringify(v) : canonicalize(v));
}

/**
 * A descriptor before and after, side by side: one row per attribute (and per kind change), each row
 * marked added / removed / changed / same.
 */
export function sideBySide(before, after, labels = ['before', 'after']) {
  const a = before?.attrs ?? {};
  const b = after?.attrs ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const rows = [];
  if (before && after && before.kind !== after.kind) rows.push(['(kind)', before.kind, after.kind, 'changed']);
  for (const key of keys) {
    const x = key in a ? a[key] : undefined;
    const y = key in b ? b[key] : undefined;
    const mark = !before ? 'added' : !after ? 'removed' : x === undefined ? 'added' : y === undefined ? 'removed'
      : canonicalize(x) === canonicalize(y) ? 'same' : 'changed';
    rows.push([key, x, y, mark]);
  }
  return h('div.scroll', h('table.sbs',
    h('thead', h('tr', h('th', { scope: 'col' }, 'attribute'), h('th', { scope: 'col' }, labels[0]), h('th', { scope: 'col' }, labels[1]))),
    h('tbody', rows.map(([key, x, y, mark]) => h('tr.attr-' + mark, { 'data-attr': key, 'data-mark': mark },
      h('th', { scope: 'row' }, key, mark !== 'same' ? h('span.mark', ` ${mark}`) : null),
      h('td.left', before ? value(x) : h('span.absent', 'absent')),
      h('td.right', after ? value(y) : h('span.absent', 'absent')))))));
}
