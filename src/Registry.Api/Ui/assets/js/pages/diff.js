// Diff: any two versions side by side, descriptor by descriptor. Versions up to NEAR apart: the commits
// between them name every id that can differ, and only those are read at both versions (one small query
// each); further apart: the two snapshots (GET /registry/{v}) are compared in one merge pass.
import { h, code } from '../dom.js';
import { api, descriptorOrNull, logRange } from '../api.js';
import { sideBySide, status, changeId } from '../changes.js';

const SHOWN = 200;
const NEAR = 1000;
const NEAR_IDS = 200;

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

  const { rows, how } = await compare(Math.min(from, to), Math.max(from, to), head, params.get('via') === 'snapshots');
  if (from > to) for (const row of rows) flip(row);
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const row of rows) counts[row.status]++;
  view.append(h('p.summary', { id: 'diff-summary', 'data-added': counts.added, 'data-removed': counts.removed, 'data-changed': counts.changed, 'data-how': how },
    `v${from} → v${to} (${how === 'log' ? 'the ids the commits between them wrote, read at both versions' : 'the two snapshots compared'}): `,
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

async function compare(lo, hi, head, snapshots) {
  if (hi > head.version) {
    await api.snapshot(hi); // answers the API's own 404 NotFound
  }
  if (hi === lo) return { rows: [], how: 'log' };
  if (!snapshots && hi - lo <= NEAR) {
    const records = await logRange(lo + 1, hi);
    const ids = [...new Set(records.flatMap((r) => r.proposal.changes.map(changeId)))].filter((id) => id !== '*').sort();
    if (ids.length <= NEAR_IDS) {
      const pairs = await Promise.all(ids.map((id) => Promise.all([descriptorOrNull(lo, id), descriptorOrNull(hi, id)])));
      const rows = [];
      pairs.forEach(([before, after], i) => {
        const s = status(before, after);
        if (s !== 'unchanged') rows.push({ id: ids[i], status: s, before, after });
      });
      return { rows, how: 'log' };
    }
  }
  const [a, b] = await Promise.all([api.snapshot(lo), api.snapshot(hi)]);
  return { rows: merge(a.items, b.items), how: 'snapshots' };
}

// The same row seen from the other side (when "from" is the later version).
function flip(row) {
  [row.before, row.after] = [row.after, row.before];
  row.status = row.status === 'added' ? 'removed' : row.status === 'removed' ? 'added' : row.status;
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
    // Both come from canonical JSON, so equal descriptors serialise to equal strings.
    const s = !before ? 'added' : !after ? 'removed' : JSON.stringify(before) === JSON.stringify(after) ? 'unchanged' : 'changed';
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
