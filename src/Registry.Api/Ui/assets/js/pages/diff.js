// Diff: any two versions side by side, descriptor by descriptor, from the two snapshots (GET /registry/{v}).
import { h, code } from '../dom.js';
import { api } from '../api.js';
import { sideBySide, status } from '../changes.js';

const SHOWN = 200;

export async function render(view, { params, link }) {
  view.append(h('h1', 'Diff'));
  const head = await api.head();
  const to = clamp(params.get('to'), head.version);
  const from = clamp(params.get('from'), Math.max(0, to - 1));
  const form = h('form.inline', { 'aria-label': 'Versions to compare' },
    h('label', { for: 'diff-from' }, 'From version '), h('input#diff-from', { type: 'number', min: 0, max: head.version, value: from, inputmode: 'numeric' }),
    h('label', { for: 'diff-to' }, ' to version '), h('input#diff-to', { type: 'number', min: 0, max: head.version, value: to, inputmode: 'numeric' }),
    h('button', { type: 'submit' }, 'Compare'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = link('diff', { from: form.querySelector('#diff-from').value, to: form.querySelector('#diff-to').value });
  });
  view.append(form);

  const [a, b] = await Promise.all([api.snapshot(from), api.snapshot(to)]);
  const rows = merge(a.items, b.items);
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const row of rows) counts[row.status]++;
  view.append(h('p.summary', { id: 'diff-summary', 'data-added': counts.added, 'data-removed': counts.removed, 'data-changed': counts.changed },
    `v${from} (${a.items.length} descriptors) → v${to} (${b.items.length} descriptors): `,
    h('span.added', `${counts.added} added`), ', ', h('span.removed', `${counts.removed} removed`), ', ', h('span.changed', `${counts.changed} changed`), '.'));
  if (rows.length === 0) {
    view.append(h('p', 'The two versions hold the same descriptors.'));
    return null;
  }
  const list = h('ol.diff');
  const more = h('button', { type: 'button' }, 'Show more');
  let shown = 0;
  const showMore = () => {
    for (const row of rows.slice(shown, shown + SHOWN)) list.append(entry(row, from, to, link));
    shown = Math.min(rows.length, shown + SHOWN);
    if (shown >= rows.length) more.remove();
    else more.textContent = `Show more (${rows.length - shown} left)`;
  };
  more.addEventListener('click', showMore);
  view.append(list, more);
  showMore();
  return null;
}

function clamp(text, fallback) {
  const n = Number.parseInt(text ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

// Both lists are sorted by id (the snapshot's order): one merge pass.
function merge(left, right) {
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const x = left[i];
    const y = right[j];
    let before = null;
    let after = null;
    if (y === undefined || (x !== undefined && x.id < y.id)) before = left[i++];
    else if (x === undefined || y.id < x.id) after = right[j++];
    else {
      before = left[i++];
      after = right[j++];
    }
    const s = status(before, after);
    if (s !== 'unchanged') rows.push({ id: (before ?? after).id, status: s, before, after });
  }
  return rows;
}

function entry(row, from, to, link) {
  return h('li.diff-entry.' + row.status, { 'data-id': row.id, 'data-status': row.status },
    h('h2.diff-id', h('a', { href: link('descriptor', { version: row.after ? to : from }, row.id) }, code(row.id)), ' ', h('span.badge.' + row.status, row.status),
      ' ', h('span.muted', (row.after ?? row.before).kind)),
    sideBySide(row.before, row.after, [`v${from}`, `v${to}`]));
}
