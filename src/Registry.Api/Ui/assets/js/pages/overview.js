// Overview: HEAD, readiness, the signer set, and the live commit feed.
import { h, dl, code, time, clear } from '../dom.js';
import { api, errorBox, logRange } from '../api.js';
import { feed } from '../feed.js';
import { summary } from '../changes.js';

export async function render(view, { link }) {
  view.append(h('h1', 'Overview'));
  const headBox = h('section.card', { 'aria-labelledby': 'head-title' }, h('h2#head-title', 'HEAD'));
  const readyBox = h('section.card', { 'aria-labelledby': 'ready-title' }, h('h2#ready-title', 'Readiness'));
  const signersBox = h('section.card', { 'aria-labelledby': 'signers-title' }, h('h2#signers-title', 'Signer set'));
  const feedState = h('p.feed-state', { id: 'feed-state', 'aria-live': 'polite', 'data-state': 'idle' }, 'Connecting…');
  const feedList = h('ol.feed', { id: 'feed', 'aria-label': 'Commits, newest first' });
  const feedBox = h('section.card.wide', { 'aria-labelledby': 'feed-title' }, h('h2#feed-title', 'Live commits'), feedState, feedList);
  view.append(h('div.grid', headBox, readyBox, signersBox, feedBox));

  let head;
  try {
    head = await api.head();
  } catch (error) {
    headBox.append(errorBox(error, 'HEAD'));
    readyBox.append(h('p.bad', { 'data-ready': 'false' }, 'Not serving reads: ', error.code ?? String(error)));
    return null;
  }

  const headFields = h('div');
  headBox.append(headFields);
  showHead(headFields, head);
  readyBox.append(h('p.good', { 'data-ready': 'true' }, 'Ready: this service answers reads (HEAD at ', time(new Date().toISOString()), ').'),
    h('p.muted', 'Write readiness and the storage checks are on the admin listener (/readyz), which this page does not read.'));
  showSigners(signersBox, head).catch((error) => signersBox.append(errorBox(error, 'Signer set')));

  if (feed.last === null) {
    const records = head.version >= 1 ? await logRange(Math.max(1, head.version - 9), head.version) : [];
    feed.seed(records, head.version);
  }
  for (const item of feed.items) feedList.prepend(feedItem(item, link));
  showState(feedState, feed.state);

  let refresh = null;
  const unsubscribe = feed.subscribe((event) => {
    if (event.type === 'state') {
      showState(feedState, event.state, event.detail);
      return;
    }
    feedList.prepend(feedItem(event.item, link));
    while (feedList.children.length > 200) feedList.lastChild.remove();
    clearTimeout(refresh);
    refresh = setTimeout(() => api.head().then((h2) => showHead(headFields, h2), () => {}), 100);
  });
  feed.start();
  return () => {
    clearTimeout(refresh);
    unsubscribe();
    feed.stop();
  };
}

function showHead(box, head) {
  clear(box).append(dl([
    ['version', h('span', { id: 'head-version', 'data-version': head.version }, String(head.version))],
    ['hash', code(head.hash, 'digest')],
    ['prev_hash', code(head.prev_hash, 'digest')],
    ['state_root', code(head.state_root, 'digest')],
    ['committed_at', time(head.committed_at)],
    ['descriptors', String(head.descriptor_count)],
    ['signer set', `version ${head.signer_set_version}`],
    head.registry ? ['registry', code(head.registry)] : null,
  ]));
}

function showState(el, state, detail) {
  el.dataset.state = state;
  el.textContent = { idle: 'Not connected.', connecting: 'Connecting to /registry/stream…', live: 'Live: new commits appear here as they are made.', reconnecting: 'Connection lost; reconnecting and resuming after the last version shown…' }[state] ?? state;
  if (detail) el.append(` (${detail})`);
}

function feedItem(item, link) {
  return h('li', { 'data-version': item.version, 'data-via': item.via },
    h('a', { href: link('history', { before: item.version, open: item.version }) }, `v${item.version}`),
    ' ', time(item.committed_at), ' ', h('span.muted', summary(item.changes)));
}

async function showSigners(box, head) {
  const { set, source } = await signerSet(head);
  if (!set) {
    box.append(h('p', `Version ${head.signer_set_version}, installed more than 2,000 commits ago: see History.`));
    return;
  }
  box.append(h('p', `Version ${set.version} from ${source}: `, h('strong', `${set.threshold} of ${set.signers.length}`), ' approvals commit.'),
    h('ul.signers', set.signers.map((s) => h('li', code(s.id), ' ', h('span.muted', s.algo), ' ', code(s.public_key, 'digest')))));
}

/** The signer set in force at HEAD: the genesis set, or the newest set_signers change in the last 2,000 commits that installed it. */
export async function signerSet(head) {
  const genesis = (await api.snapshot(0)).commit;
  if (genesis.signer_set.version === head.signer_set_version) return { set: genesis.signer_set, source: 'genesis (version 0)' };
  const records = await logRange(Math.max(1, head.version - 1999), head.version);
  for (const record of records.reverse()) {
    const change = record.proposal.changes.find((c) => c.op === 'set_signers' && c.signer_set.version === head.signer_set_version);
    if (change) return { set: change.signer_set, source: `commit ${record.version}` };
  }
  return { set: null, source: null };
}
