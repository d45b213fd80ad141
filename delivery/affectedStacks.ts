// Which stacks a merge request's changed files can affect. Pure. A file owned
// by a stack affects that stack; documentation and tests affect none; anything
// else (components, providers, package.json, …) may affect every stack.

/** The files one stack owns. */
export interface StackPaths {
  /** Stack name. */
  stack: string;
  /** Globs of the files that belong to this stack only. */
  paths: string[];
}

/** A stack a merge request may change, and why. */
export interface AffectedStack {
  /** Stack name. */
  stack: string;
  /** The changed files that made it affected (at most a few, for the log). */
  because: string[];
}

/** Files that never change what a stack deploys. */
export const DEFAULT_IGNORED = [
  "**/*.md",
  "docs/**",
  "test/**",
  "bench/**",
  "examples/**",
  "templates/**",
  ".gitlab-ci.yml",
  ".gitignore",
  ".prettierrc*",
  "eslint.config.*",
  "LICENSE",
];

/** Files a stack owns by socle's layout: its config, its program file or folder. */
export function defaultStackPaths(stack: string, programDir = "stacks"): StackPaths {
  return {
    stack,
    paths: [`${programDir}/Pulumi.${stack}.yaml`, `${programDir}/${stack}.ts`, `${programDir}/${stack}/**`],
  };
}

/** Converts a glob (`**`, `*`, `?`) to an anchored regular expression over "/"-separated paths. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === "*" && glob[i + 1] === "*") {
      // "**/" matches any number of whole directories, "**" at the end anything.
      if (glob[i + 2] === "/") {
        source += "(?:.*/)?";
        i += 2;
      } else {
        source += ".*";
        i += 1;
      }
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

function matchesAny(file: string, globs: string[]): boolean {
  return globs.some((glob) => globToRegExp(glob).test(file));
}

/**
 * The stacks the changed files may affect: a file a stack owns affects that
 * stack only, an ignored file none, any other file every stack. Keeps the
 * order of `stacks`.
 */
export function affectedStacks(
  changedFiles: string[],
  stacks: StackPaths[],
  ignored: string[] = DEFAULT_IGNORED,
): AffectedStack[] {
  const reasons = new Map<string, string[]>(stacks.map((s) => [s.stack, []]));
  for (const raw of changedFiles) {
    const file = raw.trim().replace(/^\.\//, "");
    if (file === "") continue;
    const owners = stacks.filter((s) => matchesAny(file, s.paths));
    const targets = owners.length > 0 ? owners : matchesAny(file, ignored) ? [] : stacks;
    for (const target of targets) reasons.get(target.stack)?.push(file);
  }
  return stacks
    .filter((s) => (reasons.get(s.stack) ?? []).length > 0)
    .map((s) => ({ stack: s.stack, because: (reasons.get(s.stack) ?? []).slice(0, 5) }));
}
