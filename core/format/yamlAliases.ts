// The node each alias of a YAML document names: the last node with its anchor before it, as yaml's
// Alias.resolve finds it — but from one walk of the document for all aliases (Alias.resolve walks the
// whole document once per alias, which makes a file of aliases quadratic).

import { isAlias, visit, type Alias, type Document, type Node } from 'yaml';

export function aliasTargets(doc: Document): Map<Alias, Node | undefined> {
  const targets = new Map<Alias, Node | undefined>();
  const anchored = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) targets.set(node, anchored.get(node.source));
      else if (node.anchor) anchored.set(node.anchor, node);
    },
  });
  return targets;
}
