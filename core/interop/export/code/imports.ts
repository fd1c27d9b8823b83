// The import block of a generated program: each module once, its names sorted, the modules sorted, so the
// same file always gives the same program (the goldens compare it byte for byte) and a program imports
// exactly what it uses.

/** Module -> the names imported from it. */
export class Imports {
  private readonly modules = new Map<string, Set<string>>();

  add(module: string, ...names: string[]): void {
    const known = this.modules.get(module) ?? new Set<string>();
    for (const name of names) known.add(name);
    this.modules.set(module, known);
  }

  private sorted(): [string, string[]][] {
    return [...this.modules.entries()]
      .sort(([left], [right]) => compare(left, right))
      .map(([module, names]) => [module, [...names].sort((left, right) => compare(withoutType(left), withoutType(right)))]);
  }

  /** `from module import a, b`, one line each (isort's order: plain `import x` lines are the caller's). */
  python(): string {
    return this.sorted()
      .map(([module, names]) => `from ${module} import ${names.join(', ')}`)
      .join('\n');
  }

  /** `import { a, b } from "module";`, one line each. */
  typescript(): string {
    return this.sorted()
      .map(([module, names]) => `import { ${names.join(', ')} } from ${JSON.stringify(module)};`)
      .join('\n');
  }
}

/** `type BaseMessage` sorts as `BaseMessage`. */
function withoutType(name: string): string {
  return name.startsWith('type ') ? name.slice(5) : name;
}

/** By UTF-16 unit: module and class names are ASCII, and the order must not depend on the locale. */
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
