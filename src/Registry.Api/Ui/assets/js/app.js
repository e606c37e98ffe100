// The explorer's shell: hash routes (#/page?query), one page module per route, errors always shown.
import { h, clear } from './dom.js';
import { errorBox } from './api.js';
import * as overview from './pages/overview.js';
import * as history from './pages/history.js';
import * as diff from './pages/diff.js';
import * as descriptors from './pages/descriptors.js';
import * as descriptor from './pages/descriptor.js';
import * as proposals from './pages/proposals.js';

const routes = { overview, history, diff, descriptors, descriptor, proposals };
const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

export function parseHash(hash = location.hash) {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  const [name, ...rest] = path.split('/');
  return { name: name || 'overview', arg: rest.length ? decodeURIComponent(rest.join('/')) : null, params };
}

/** #/name/arg?params */
export function link(name, params = {}, arg = null) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== null && v !== undefined)).toString();
  return `#/${name}${arg ? '/' + arg : ''}${query ? '?' + query : ''}`;
}

async function route() {
  const mine = ++generation;
  routeStarted = performance.now();
  const { name, arg, params } = parseHash();
  const page = routes[name];
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  document.body.removeAttribute('data-page-ready');
  for (const a of document.querySelectorAll('#nav a')) {
    const active = a.dataset.route === (name === 'descriptor' ? 'descriptors' : name);
    if (active) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  clear(main);
  if (!page) {
    main.append(h('h1', { tabindex: '-1' }, 'Not found'), h('p', `There is no page "${name}". `, h('a', { href: '#/overview' }, 'Go to the overview.')));
    ready(name);
    return;
  }
  const view = h('div.page', { 'data-page': name });
  main.append(view);
  try {
    const result = await page.render(view, { arg, params, link, isCurrent: () => mine === generation });
    if (mine !== generation) {
      if (typeof result === 'function') result();
      return;
    }
    cleanup = result;
  } catch (error) {
    if (mine !== generation) return;
    view.append(errorBox(error, 'This page could not be loaded'));
  }
  if (mine === generation) ready(name);
}

// When the current route started rendering; ready() records how long it took (data-route-ms) and when,
// since navigation start, the page became interactive (data-ready-at), for measurements.
let routeStarted = 0;

function ready(name) {
  document.body.dataset.routeMs = (performance.now() - routeStarted).toFixed(1);
  document.body.dataset.readyAt = performance.now().toFixed(1);
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · svc-registry explorer`;
  document.body.dataset.pageReady = name;
  const heading = main.querySelector('h1');
  if (heading && focusOnRoute) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  }
}

// The first page keeps the focus where the browser puts it; later navigations move it to the new heading.
let focusOnRoute = false;

window.addEventListener('hashchange', () => {
  focusOnRoute = true;
  route();
});
window.addEventListener('error', (event) => showFatal(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => showFatal(event.reason));

function showFatal(error) {
  main.append(errorBox(error, 'Unexpected error'));
}

// The skip link moves the focus to the content without touching the route in the hash.
document.getElementById('skip')?.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
document.getElementById('boot')?.remove();
route();
