// One descriptor: its attributes, its inclusion proof verified in this browser (WebCrypto), and its history.
import { h, dl, code, time, json } from '../dom.js';
import { api, errorBox, logRange } from '../api.js';
import { verifyInclusion } from '../proof.js';
import { changeId } from '../changes.js';

const SCAN = 5000;

export async function render(view, { arg, params, link }) {
  const id = arg ?? '';
  view.append(h('h1', 'Descriptor ', code(id)));
  const head = await api.head();
  const asked = Number.parseInt(params.get('version') ?? '', 10);
  const version = Number.isFinite(asked) && asked >= 0 && asked <= head.version ? asked : head.version;
  const proofBox = h('section.card', { 'aria-labelledby': 'proof-title' }, h('h2#proof-title', 'Inclusion proof'));
  const historyBox = h('section.card.wide', { 'aria-labelledby': 'dh-title' }, h('h2#dh-title', 'History'));
  const body = h('section.card', { 'aria-labelledby': 'd-title' }, h('h2#d-title', `At version ${version}`));
  view.append(h('div.grid', body, proofBox, historyBox));

  try {
    const answer = await api.descriptor(version, id);
    body.append(dl([['kind', answer.descriptor.kind], ['version', String(answer.version)], ['hash(version)', code(answer.hash, 'digest')]]), json(answer.descriptor.attrs));
    await showProof(proofBox, answer);
  } catch (error) {
    body.append(errorBox(error, `GET /registry/${version}/descriptors/${id}`));
    proofBox.append(h('p.muted', 'No proof: the descriptor is not at this version (absence cannot be proven).'));
  }
  showHistory(historyBox, id, version, link).catch((error) => historyBox.append(errorBox(error, 'History')));
  return null;
}

async function showProof(box, answer) {
  const self = await verifyInclusion(answer.descriptor, answer.proof, answer.state_root);
  // The root the proof must reach comes from the commit record of that version (read separately), not only
  // from the same answer that carries the proof.
  let recordRoot = null;
  let recordError = null;
  if (answer.version >= 1) {
    try {
      recordRoot = (await api.log(answer.version, 1))[0]?.state_root ?? null;
    } catch (error) {
      recordError = error;
    }
  }
  const againstRecord = recordRoot === null ? null : recordRoot === answer.state_root;
  const ok = self.ok && againstRecord !== false;
  box.append(h('p.verdict.' + (ok ? 'good' : 'bad'), { id: 'proof-result', 'data-verified': String(ok), role: 'status' },
    ok ? '✔ Verified in this browser: ' : '✘ Verification failed: ',
    ok ? `H(descriptor) hashed up ${self.depth} levels with SHA-256 gives the state root of version ${answer.version}.`
      : (self.ok ? `the proof's root ${answer.state_root} is not the state_root ${recordRoot} of commit record ${answer.version}.` : self.reason)));
  box.append(dl([
    ['key = H(id)', code(self.key ?? answer.proof.key, 'digest')],
    ['root computed here', code(self.computed ?? '—', 'digest')],
    ['state_root in the answer', code(answer.state_root, 'digest')],
    ['state_root of the commit record', recordRoot ? code(recordRoot, 'digest') : recordError ? errorBox(recordError) : h('span.muted', 'version 0 (genesis)')],
    ['siblings', String(answer.proof.siblings.length)],
  ]));
  box.append(h('details.raw', h('summary', 'Proof as JSON'), json(answer.proof)));
}

// Reads the log backwards from `version` in pages of 1,000, SCAN commits at a time, and lists each commit that put or deleted the id.
async function showHistory(box, id, version, link) {
  const list = h('ol.dhistory', { id: 'descriptor-history' });
  const note = h('p.muted', { 'aria-live': 'polite' });
  const more = h('button', { type: 'button' }, 'Search further back');
  box.append(note, list);
  let upper = version;
  const scan = async () => {
    more.disabled = true;
    const lower = Math.max(1, upper - SCAN + 1);
    note.textContent = `Searching versions ${lower}–${upper}…`;
    for (let hi = upper; hi >= lower; hi -= 1000) {
      const lo = Math.max(lower, hi - 999);
      const records = await logRange(lo, hi);
      for (const record of records.reverse()) {
        const change = record.proposal.changes.find((c) => changeId(c) === id);
        if (!change) continue;
        list.append(h('li', { 'data-version': record.version, 'data-op': change.op },
          h('a', { href: link('history', { before: record.version, open: record.version }) }, `v${record.version}`), ' ', time(record.committed_at), ' ',
          h('span.op.op-' + change.op, change.op), ' ',
          h('a', { href: link('diff', { from: record.version - 1, to: record.version }) }, 'diff'), ' ',
          change.op === 'put' ? h('a', { href: link('descriptor', { version: record.version }, id) }, 'this version') : null));
      }
    }
    upper = lower - 1;
    note.textContent = `${list.children.length} commits wrote ${id} in versions ${upper + 1}–${version}` + (upper >= 1 ? ` (versions 1–${upper} not searched yet).` : '.');
    more.disabled = false;
    if (upper < 1) more.remove();
    else if (!more.isConnected) box.append(more);
  };
  more.addEventListener('click', () => scan().catch((error) => box.append(errorBox(error, 'History'))));
  if (version < 1) {
    note.textContent = 'Version 0 (genesis) holds no descriptors.';
    return;
  }
  await scan();
}
