// Order-independent fingerprints of answers, for comparing peers without shipping whole answers around.

/** FNV-1a 32-bit over a string, hex. */
export function fnv1a(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Fingerprint of a set of ids: count plus a hash of the sorted, de-duplicated ids. */
export function idSetPrint(ids) {
  const sorted = [...new Set(ids.map(String))].sort();
  return { n: sorted.length, dup: ids.length - sorted.length, h: fnv1a(sorted.join("\n")) };
}

/** Canonical form of an actions answer. */
export function actionsPrint(actions) {
  return [...new Set([...actions].map(String))].sort().join(",");
}
