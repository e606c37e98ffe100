// Proposals: open proposals by status, each with its diff against its base, quorum progress, the conflict
// that made it stale (when the API names one), and the ronctl command that signs it. No key enters the browser.
import { h, dl, code, time, copyButton } from '../dom.js';
import { api, errorBox, descriptorOrNull } from '../api.js';
import { sideBySide, status as diffStatus } from '../changes.js';
import { signerSet } from './overview.js';

const STATUSES = ['', 'pending', 'approved', 'stale', 'expired'];

export async function render(view, { params, link }) {
  view.append(h('h1', 'Proposals'));
  const wanted = STATUSES.includes(params.get('status') ?? '') ? params.get('status') ?? '' : '';
  view.append(h('nav.tabs', { 'aria-label': 'Filter by status' }, STATUSES.map((s) =>
    h('a', { href: link('proposals', { status: s }), 'aria-current': s === wanted ? 'page' : null, 'data-status': s || 'all' }, s || 'all'))));
  const [head, answer] = await Promise.all([api.head(), api.proposals(wanted)]);
  const set = await signerSet(head).then((r) => r.set, () => null);
  const proposals = answer.proposals ?? [];
  if (proposals.length === 0) {
    view.append(h('p', { id: 'no-proposals' }, wanted ? `No ${wanted} proposals.` : 'No open proposals.'));
    return null;
  }
  const list = h('ol.proposals');
  view.append(h('p.muted', `${proposals.length} ${wanted || 'open'} proposal${proposals.length === 1 ? '' : 's'}; HEAD is version ${head.version}.`), list);
  const open = params.get('open');
  for (const p of proposals) list.append(h('li', entry(p, p.proposal_id === open, set, head)));
  return null;
}

function entry(view, open, set, head) {
  const p = view.proposal;
  const q = view.quorum ?? {};
  const details = h('details.proposal', { 'data-id': view.proposal_id, 'data-status': view.status, open },
    h('summary', h('span.badge.' + view.status, view.status), ' ', code(view.proposal_id.slice(7, 19) + '…'), ' ',
      h('span', `${q.have ?? 0} of ${q.m ?? '?'} approvals`), ' · ', h('span.muted', p.note || `${p.changes.length} changes`)));
  const body = h('div.body');
  details.append(body);
  let loaded = false;
  const load = () => {
    if (loaded) return;
    loaded = true;
    fill(body, view, set, head).catch((error) => body.append(errorBox(error, 'Proposal')));
  };
  details.addEventListener('toggle', () => details.open && load());
  if (open) load();
  return details;
}

async function fill(body, view, set, head) {
  const p = view.proposal;
  const q = view.quorum ?? {};
  body.append(h('div.quorum', { 'data-have': q.have, 'data-m': q.m },
    h('label', { for: `q-${view.proposal_id.slice(7, 19)}` }, `Quorum: ${q.have} of ${q.m} needed (${q.n} signers)`),
    h('progress', { id: `q-${view.proposal_id.slice(7, 19)}`, max: q.m, value: Math.min(q.have, q.m) }),
    q.new_m !== undefined ? h('p', `New signer set: ${q.new_have} of ${q.new_m} needed (${q.new_n} signers)`) : null));
  body.append(dl([
    ['proposal_id', code(view.proposal_id, 'digest')],
    ['base', [`version ${p.base_version} `, code(p.base_hash, 'digest')]],
    p.signer_set_version !== undefined ? ['signer set', `version ${p.signer_set_version}`] : null,
    p.scope ? ['scope', h('ul.scope', p.scope.map((id) => h('li', code(id))))] : null,
    ['state_root after commit', code(view.state_root, 'digest')],
    ['expires_at', time(view.expires_at)],
    ['approvals', view.approvals.length ? h('ul.approvals', view.approvals.map((a) => h('li', code(a.signer_id)))) : h('span.muted', 'none yet')],
    ['note', p.note || h('span.muted', '(none)')],
  ]));
  if (view.status === 'stale') body.append(conflictBox(view, head));
  body.append(await commands(view, set));
  body.append(h('h3', `Diff against its base (version ${p.base_version})`));
  for (const change of p.changes) body.append(await changeDiff(change, p.base_version));
}

function conflictBox(view, head) {
  const c = view.conflict ?? view.stale ?? (view.conflict_id ? { id: view.conflict_id, version: view.conflict_version } : null);
  if (c && (c.id || c.version)) {
    return h('p.conflict', { role: 'note', 'data-conflict-id': c.id ?? '', 'data-conflict-version': c.version ?? '' },
      'Stale: ', c.id ? ['id ', code(c.id)] : 'its scope', ' was written by version ', h('a', { href: `#/history?before=${c.version}&open=${c.version}` }, String(c.version)),
      ' after its base. It can never commit; propose it again on HEAD.');
  }
  return h('p.conflict', { role: 'note' }, `Stale: HEAD (version ${head.version}) moved past its base (version ${view.proposal.base_version}); the API names no conflicting commit. Propose it again on HEAD.`);
}

async function commands(view, set) {
  const box = h('div.commands');
  if (view.status === 'pending' || view.status === 'approved') {
    const approved = new Set(view.approvals.map((a) => a.signer_id));
    const missing = (set?.signers ?? []).map((s) => s.id).filter((id) => !approved.has(id));
    const server = location.origin;
    const lines = (missing.length ? missing : ['SIGNER_ID_OR_KEYFILE']).map((signer) => `ronctl registry approve --server ${server} --id ${view.proposal_id} --signer ${signer}`);
    box.append(h('h3', 'Sign with ronctl'), h('p.muted', 'Run on the machine that holds your key; the key never enters the browser. ronctl shows the same diff and asks before it signs.'));
    for (const line of lines) box.append(h('div.cmd', h('pre.command', { 'data-command': 'approve' }, line), copyButton(line)));
    if (view.status === 'approved') {
      const commit = `ronctl registry commit --server ${server} --id ${view.proposal_id}`;
      box.append(h('p', 'Quorum is reached; anyone with registry:commit can commit it:'), h('div.cmd', h('pre.command', { 'data-command': 'commit' }, commit), copyButton(commit)));
    }
  } else {
    box.append(h('p.muted', `A ${view.status} proposal cannot be signed.`));
  }
  return box;
}

async function changeDiff(change, base) {
  if (change.op === 'set_signers') {
    const s = change.signer_set;
    return h('div.change', { 'data-op': 'set_signers' }, h('h4', 'set_signers'), h('p', `Version ${s.version}: ${s.threshold} of ${s.signers.length}`),
      h('ul.signers', s.signers.map((x) => h('li', code(x.id), ' ', code(x.public_key, 'digest')))));
  }
  if (change.op === 'set_log_key') {
    return h('div.change', { 'data-op': 'set_log_key' }, h('h4', 'set_log_key'),
      h('p', 'Checkpoints whose tree includes this commit are signed by ', code(change.log_key, 'digest'), ' (docs/PROTOCOL.md §12.14).'));
  }
  const id = change.op === 'put' ? change.descriptor.id : change.id;
  const before = await descriptorOrNull(base, id);
  const after = change.op === 'put' ? change.descriptor : null;
  const s = diffStatus(before, after);
  return h('div.change', { 'data-op': change.op, 'data-id': id, 'data-status': s },
    h('h4', h('span.op.op-' + change.op, change.op), ' ', code(id), ' ', h('span.badge.' + s, s)),
    sideBySide(before, after, [`base v${base}`, 'after commit']));
}
