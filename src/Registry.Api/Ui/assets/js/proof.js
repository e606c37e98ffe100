// Inclusion proofs of the state tree, verified here with WebCrypto (docs/PROTOCOL.md section 7):
//   key = H(UTF8(id)); h = H(0x00 || key || H(canonical descriptor));
//   for i from len-1 down to 0: bit i of key 0 -> h = H(0x01 || h || s[i]), 1 -> h = H(0x01 || s[i] || h);
//   the proof holds iff h == root.
import { canonicalize } from './jcs.js';

const utf8 = new TextEncoder();

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function digestBytes(digest) {
  const m = /^sha256:([0-9a-f]{64})$/.exec(String(digest));
  if (!m) throw new Error(`not a digest: ${digest}`);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(m[1].slice(i * 2, i * 2 + 2), 16);
  return out;
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The digest of a document's canonical bytes, as "sha256:<hex>". */
export async function digestOf(document) {
  return 'sha256:' + toHex(await sha256(utf8.encode(canonicalize(document))));
}

export function webCryptoAvailable() {
  return Boolean(globalThis.crypto?.subtle);
}

/** { ok, reason, computed, key, depth } for descriptor + proof against root. Never throws. */
export async function verifyInclusion(descriptor, proof, root) {
  try {
    if (!webCryptoAvailable()) return { ok: false, reason: 'WebCrypto is not available here (the page must be served over https or from localhost).' };
    const key = await sha256(utf8.encode(descriptor.id));
    const keyText = 'sha256:' + toHex(key);
    if (proof.key !== keyText) return { ok: false, reason: `the proof's key ${proof.key} is not H(id) = ${keyText}`, key: keyText };
    const siblings = proof.siblings ?? [];
    if (siblings.length > 256) return { ok: false, reason: `${siblings.length} siblings (at most 256)`, key: keyText };
    const descriptorHash = await sha256(utf8.encode(canonicalize(descriptor)));
    let node = await sha256(concat(Uint8Array.of(0), key, descriptorHash));
    for (let i = siblings.length - 1; i >= 0; i--) {
      const sibling = digestBytes(siblings[i]);
      const bit = (key[i >> 3] >> (7 - (i & 7))) & 1;
      node = await sha256(bit ? concat(Uint8Array.of(1), sibling, node) : concat(Uint8Array.of(1), node, sibling));
    }
    const computed = 'sha256:' + toHex(node);
    return computed === root
      ? { ok: true, computed, key: keyText, depth: siblings.length }
      : { ok: false, reason: `the proof leads to ${computed}, not to the state root ${root}`, computed, key: keyText, depth: siblings.length };
  } catch (error) {
    return { ok: false, reason: `the proof is malformed: ${error?.message ?? error}` };
  }
}
