// CMVIG Guide: update a result on screen by changing only what differs. Hand-written, not
// generated. Imported by calculators.js.
//
// A recompute builds the new result as detached nodes, as before; `updateChildren` then makes the
// live region match them: a node of the same kind at the same place (or, for keyed nodes such as
// the rows of a dose schedule, the node with the same key) is kept and only its changed
// attributes and text are written; what is new is inserted and what is gone removed. The browser
// then restyles and repaints the cells that changed, not the whole result.
//
//   keyed(node, key)          marks `node` (a table row: its dose number and date) so that it is
//                             matched by `key` wherever it moved
//   replaced(node)            marks `node` to be inserted as it is, never merged into the old one
//                             (nodes whose event handlers hold this result's inputs)
//   updateChildren(parent, nodes)   make parent's children equal to `nodes`

const KEY = Symbol("cmvig key");

export function keyed(node, key) {
  node[KEY] = key;
  return node;
}

export function replaced(node) {
  node[KEY] = Symbol("replaced");
  return node;
}

const keyOf = (node) => node[KEY] ?? null;
const sameKind = (live, fresh) => live.nodeType === fresh.nodeType && live.nodeName === fresh.nodeName &&
  keyOf(live) === keyOf(fresh);

function updateNode(live, fresh) {
  if (live.nodeType !== Node.ELEMENT_NODE) {
    if (live.nodeValue !== fresh.nodeValue) live.nodeValue = fresh.nodeValue;
    return;
  }
  // The browser compares a whole subtree far faster than this walk does: most of a result (its
  // notes, sources, headings, every row whose figures stayed) has not changed.
  if (live.isEqualNode(fresh)) return;
  for (const name of live.getAttributeNames()) {
    if (!fresh.hasAttribute(name)) live.removeAttribute(name);
  }
  for (const name of fresh.getAttributeNames()) {
    const value = fresh.getAttribute(name);
    if (live.getAttribute(name) !== value) live.setAttribute(name, value);
  }
  updateChildren(live, [...fresh.childNodes]);
}

export function updateChildren(parent, nodes) {
  const byKey = new Map();
  for (const child of parent.childNodes) if (keyOf(child) !== null) byKey.set(keyOf(child), child);
  nodes.forEach((fresh, index) => {
    // Every child before `index` is already in place: the one at `index` is the next candidate.
    const here = parent.childNodes[index] ?? null;
    const key = keyOf(fresh);
    let live = key === null ? here : byKey.get(key) ?? null;
    if (live && !sameKind(live, fresh)) live = null;
    if (!live) {
      parent.insertBefore(fresh, here);
      return;
    }
    if (live !== here) parent.insertBefore(live, here);
    updateNode(live, fresh);
  });
  while (parent.childNodes.length > nodes.length) parent.lastChild.remove();
}
