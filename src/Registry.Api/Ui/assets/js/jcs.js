// RFC 8785 canonical JSON for the registry's integer-only profile (docs/PROTOCOL.md section 2):
// members sorted by UTF-16 code units (what Array.prototype.sort does with strings), strings escaped as
// JSON.stringify does, integers in shortest form.
export function canonicalize(value) {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`not a canonical integer: ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map(canonicalize).join(',') + ']';
  return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonicalize(value[k])).join(',') + '}';
}
