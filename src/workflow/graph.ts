/**
 * The DAG: cycles (named `a -> b -> a`), waves of steps that can run together, and the graph as
 * text, Mermaid or DOT for docs. Pure.
 */

export type Dependencies = Readonly<Record<string, readonly string[]>>;

/** The first cycle found, as the list of steps `[a, b, a]`, in declaration order; undefined if none. */
export function findCycle(order: readonly string[], deps: Dependencies): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    const s = state.get(name);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const dep of deps[name] ?? []) {
      if (!(dep in deps)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of order) {
    const cycle = visit(name);
    // The cycle was found walking dependencies (b depends on a): print it in run order.
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/** Steps grouped in waves: each wave depends only on earlier ones (declaration order inside). */
export function waves(order: readonly string[], deps: Dependencies): string[][] {
  const level = new Map<string, number>();
  const levelOf = (name: string, seen: Set<string>): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) throw new Error(`cycle through ${name}`);
    seen.add(name);
    const l = Math.max(-1, ...(deps[name] ?? []).map((d) => levelOf(d, seen))) + 1;
    level.set(name, l);
    return l;
  };
  const out: string[][] = [];
  for (const name of order) {
    const l = levelOf(name, new Set());
    (out[l] ??= []).push(name);
  }
  return out.filter((w) => w.length > 0);
}

export interface GraphNode {
  name: string;
  task: string;
  when?: string;
}

/** The DAG as indented text: one line per step with what it waits for. */
export function graphText(nodes: readonly GraphNode[], deps: Dependencies): string {
  const order = nodes.map((n) => n.name);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const lines: string[] = [];
  waves(order, deps).forEach((wave, i) => {
    lines.push(`wave ${i + 1}`);
    for (const name of wave) {
      const n = byName.get(name);
      const after = deps[name]?.length ? `  after ${deps[name].join(', ')}` : '';
      const when = n?.when ? `  when ${n.when}` : '';
      lines.push(`  ${name} (${n?.task ?? '?'})${after}${when}`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function mermaidId(name: string): string {
  return name.replace(/-/g, '_');
}

/** Mermaid `flowchart TD`. */
export function graphMermaid(nodes: readonly GraphNode[], deps: Dependencies): string {
  const lines = ['flowchart TD'];
  for (const n of nodes) {
    const label = n.when ? `${n.name}<br/>${n.task}<br/>when ${n.when}` : `${n.name}<br/>${n.task}`;
    lines.push(`  ${mermaidId(n.name)}["${label.replace(/"/g, '#quot;')}"]`);
  }
  for (const n of nodes)
    for (const d of deps[n.name] ?? []) lines.push(`  ${mermaidId(d)} --> ${mermaidId(n.name)}`);
  return `${lines.join('\n')}\n`;
}

/** Graphviz DOT. */
export function graphDot(name: string, nodes: readonly GraphNode[], deps: Dependencies): string {
  const q = (s: string) => JSON.stringify(s);
  const lines = [`digraph ${q(name)} {`, '  rankdir=TB;', '  node [shape=box];'];
  for (const n of nodes) lines.push(`  ${q(n.name)} [label=${q(`${n.name}\n${n.task}`)}];`);
  for (const n of nodes)
    for (const d of deps[n.name] ?? []) lines.push(`  ${q(d)} -> ${q(n.name)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
