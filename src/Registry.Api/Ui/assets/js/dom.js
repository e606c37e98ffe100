// Small DOM helpers: every element is built with createElement and text nodes (never innerHTML).

/** h('tag#id.class', {attr: value, onclick: fn}, ...children) */
export function h(spec, attrs, ...children) {
  const [head, ...classes] = spec.split('.');
  const [tag, id] = head.split('#');
  const el = document.createElement(tag || 'div');
  if (id) el.id = id;
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className += (el.className ? ' ' : '') + value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A definition list from [term, value] pairs. */
export function dl(pairs) {
  return h('dl.kv', pairs.filter(Boolean).map(([k, v]) => [h('dt', k), h('dd', v)]));
}

/** A digest or other long token: monospace, breakable. */
export function code(text, cls) {
  return h('code' + (cls ? '.' + cls : ''), String(text));
}

/** Pretty JSON in a <pre>. */
export function json(value) {
  return h('pre.json', JSON.stringify(value, null, 2));
}

export function short(digest) {
  const s = String(digest ?? '');
  return s.startsWith('sha256:') ? s.slice(7, 19) + '…' : s;
}

export function time(ts) {
  return h('time', { datetime: ts }, String(ts ?? '').replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
}

/** A button that copies text to the clipboard, saying so; falls back to selecting the text. */
export function copyButton(text, label = 'Copy') {
  const status = h('span.copied', { 'aria-live': 'polite' });
  const button = h('button.copy', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = 'Copied';
      } catch {
        status.textContent = 'Select the command and copy it';
      }
    },
  }, label);
  return h('span', button, status);
}
