// Interface names of this host by index, for Linux cooked v2 captures: tcpdump
// prints the name the *reading* host gives the stored interface index
// (if_indextoname), so the CLI and the language server do the same. Linux
// only (/sys/class/net); elsewhere every index prints as `?`, as tcpdump does
// for an index the host does not have.
import * as fs from 'node:fs';
import * as path from 'node:path';

let cache: Map<number, string> | null = null;

function load(): Map<number, string> {
  const names = new Map<number, string>();
  const dir = '/sys/class/net';
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return names;
  }
  for (const name of entries) {
    try {
      const index = Number(fs.readFileSync(path.join(dir, name, 'ifindex'), 'utf8').trim());
      if (Number.isInteger(index)) names.set(index, name);
    } catch {
      // an interface that vanished while we looked: skip it
    }
  }
  return names;
}

/** The host's name for an interface index, or undefined when it has none. */
export function hostInterfaceName(index: number): string | undefined {
  cache ??= load();
  return cache.get(index);
}
