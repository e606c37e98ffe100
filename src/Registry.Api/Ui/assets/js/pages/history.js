// History: the commit log, newest first, 20 per page; each commit with approvals, scope and changes.
import { h, dl, code, time, json } from '../dom.js';
import { api } from '../api.js';
import { changeList, changeId, summary } from '../changes.js';
import { digestOf } from '../proof.js';

const PAGE = 20;

export async function render(view, { params, link }) {
  view.append(h('h1', 'History'));
  const head = await api.head();
  const before = clamp(Number.parseInt(params.get('before') ?? '', 10), 1, head.version, head.version);
  const open = Number.parseInt(params.get('open') ?? '', 10);
  const jump = h('form.inline', { 'aria-label': 'Go to a version' },
    h('label', { for: 'goto' }, 'Go to version '),
    h('input#goto', { type: 'number', min: 1, max: head.version, inputmode: 'numeric', value: before || '' }),
    h('button', { type: 'submit' }, 'Go'));
  jump.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = link('history', { before: jump.querySelector('input').value, open: jump.querySelector('input').value });
  });
  view.append(jump);
  if (head.version === 0) {
    view.append(h('p', 'No commits yet: the registry is at its genesis (version 0).'));
    return null;
  }

  const from = Math.max(1, before - PAGE + 1);
  const records = await api.log(from, before - from + 1);
  const nav = () => h('nav.pager', { 'aria-label': 'History pages' },
    before < head.version ? h('a', { href: link('history', { before: Math.min(head.version, before + PAGE) }), rel: 'prev', 'data-pager': 'newer' }, '← Newer') : h('span.muted', '← Newer'),
    h('span', ` versions ${from}–${before} of ${head.version} `),
    from > 1 ? h('a', { href: link('history', { before: from - 1 }), rel: 'next', 'data-pager': 'older' }, 'Older →') : h('span.muted', 'Older →'));
  view.append(nav());
  const list = h('ol.commits', { reversed: true, start: before });
  for (const record of records.reverse()) list.append(await commitEntry(record, record.version === open, link));
  view.append(list, nav());
  return null;
}

function clamp(n, lo, hi, fallback) {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

async function commitEntry(record, open, link) {
  const proposal = record.proposal;
  const hash = await digestOf(record);
  const scope = proposal.scope ?? null;
  const details = h('details.commit', { 'data-version': record.version, open },
    h('summary', h('strong', `v${record.version}`), ' ', time(record.committed_at), ' · ', h('span', summary(proposal.changes)),
      ' · ', h('span.muted', `${record.approvals.length} approvals`)),
    h('div.body',
      dl([
        ['hash (computed here)', code(hash, 'digest')],
        ['prev_hash', code(record.prev_hash, 'digest')],
        ['state_root', code(record.state_root, 'digest')],
        ['proposal_id', code(record.proposal_id, 'digest')],
        ['signer set', `version ${record.signer_set_version}`],
        ['note', proposal.note ? proposal.note : h('span.muted', '(none)')],
        ['approvals', h('ul.approvals', record.approvals.map((a) => h('li', code(a.signer_id), ' ', h('span.muted', a.algo))))],
        ['scope', scope ? h('ul.scope', scope.map((id) => h('li', code(id)))) : h('span.muted', `not recorded (ids written: ${[...new Set(proposal.changes.map(changeId))].join(', ')})`)],
      ]),
      h('h3', 'Changes'),
      changeList(proposal.changes),
      h('details.raw', h('summary', 'Changes as JSON'), json(proposal.changes)),
      h('p', h('a', { href: link('diff', { from: record.version - 1, to: record.version }) }, `Diff v${record.version - 1} → v${record.version}`))));
  return h('li', details);
}
