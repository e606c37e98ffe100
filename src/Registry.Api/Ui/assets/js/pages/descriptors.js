// Descriptors: search by id prefix, kind and region, one page at a time from
// GET /registry/{version}/descriptors?prefix=&kind=&region=&after=&limit= (never the whole set).
import { h, code, clear } from '../dom.js';
import { api, errorBox } from '../api.js';

const LIMIT = 50;

export async function render(view, { params, link, isCurrent }) {
  view.append(h('h1', 'Descriptors'));
  const head = await api.head();
  const version = Number.parseInt(params.get('version') ?? '', 10);
  const at = Number.isFinite(version) && version >= 0 && version <= head.version ? version : head.version;
  const form = h('form.search', { role: 'search', 'aria-label': 'Search descriptors' },
    h('div.field', h('label', { for: 'q-prefix' }, 'Id prefix'), h('input#q-prefix', { type: 'search', name: 'prefix', placeholder: 'node:eu-', autocomplete: 'off', spellcheck: 'false', value: params.get('prefix') ?? '' })),
    h('div.field', h('label', { for: 'q-kind' }, 'Kind'), h('select#q-kind', { name: 'kind' },
      ['', 'node', 'service', 'region'].map((k) => h('option', { value: k, selected: (params.get('kind') ?? '') === k }, k || 'any')))),
    h('div.field', h('label', { for: 'q-region' }, 'Region'), h('input#q-region', { type: 'search', name: 'region', placeholder: 'region:eu-west', autocomplete: 'off', spellcheck: 'false', value: params.get('region') ?? '' })),
    h('div.field', h('label', { for: 'q-version' }, 'Version'), h('input#q-version', { type: 'number', name: 'version', min: 0, max: head.version, value: at })),
    h('div.field.actions', h('button', { type: 'submit' }, 'Search')));
  const status = h('p.status', { id: 'q-status', 'aria-live': 'polite' });
  const results = h('div#results');
  view.append(form, status, results);

  const query = () => ({
    prefix: form.querySelector('#q-prefix').value.trim(),
    kind: form.querySelector('#q-kind').value,
    region: form.querySelector('#q-region').value.trim(),
  });
  let controller = null;
  let timer = null;
  const cursors = [];

  const search = async (after) => {
    controller?.abort();
    controller = new AbortController();
    const q = query();
    const v = Number.parseInt(form.querySelector('#q-version').value, 10);
    const started = performance.now();
    status.dataset.busy = 'true';
    try {
      const page = await api.query(Number.isFinite(v) ? v : head.version, { ...q, after, limit: LIMIT }, { signal: controller.signal });
      if (!isCurrent()) return;
      const ms = performance.now() - started;
      status.dataset.ms = ms.toFixed(1);
      status.dataset.busy = 'false';
      status.textContent = `${page.matched} match at version ${page.version} · showing ${page.descriptors.length} · answered in ${ms.toFixed(0)} ms`;
      show(page, after, q);
    } catch (error) {
      if (error?.name === 'AbortError') return;
      status.dataset.busy = 'false';
      clear(results).append(errorBox(error, 'Search'));
    }
  };

  const show = (page, after, q) => {
    clear(results);
    if (page.descriptors.length === 0) {
      results.append(h('p', 'No descriptor matches.'));
      return;
    }
    results.append(h('div.scroll', h('table.list',
      h('thead', h('tr', ['id', 'kind', 'region', 'attributes'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', page.descriptors.map((d) => h('tr', { 'data-id': d.id },
        h('td', h('a', { href: link('descriptor', { version: page.version }, d.id) }, code(d.id))),
        h('td', d.kind),
        h('td', typeof d.attrs.region === 'string' ? code(d.attrs.region) : h('span.muted', '—')),
        h('td.attrs', Object.keys(d.attrs).sort().join(', '))))))));
    const pager = h('nav.pager', { 'aria-label': 'Result pages' });
    if (after) {
      pager.append(h('button', { type: 'button', onclick: () => search(cursors.pop() ?? undefined) }, '← Previous'));
    }
    if (page.next) {
      pager.append(h('button', { type: 'button', 'data-pager': 'next', onclick: () => { cursors.push(after); search(page.next); } }, 'Next →'));
    }
    results.append(pager);
    history.replaceState(null, '', link('descriptors', { ...q, version: page.version }));
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors.length = 0;
    search();
  });
  form.addEventListener('input', () => {
    clearTimeout(timer);
    cursors.length = 0;
    timer = setTimeout(() => search(), 150);
  });
  await search(params.get('after') ?? undefined);
  return () => {
    clearTimeout(timer);
    controller?.abort();
  };
}
