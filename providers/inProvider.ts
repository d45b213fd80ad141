// Dynamic providers run in the engine's provider process from the text of
// their serialised closures. Rather than capture modules (which the closure
// serialiser would copy), they load their code there by an absolute path
// resolved in the program. From the repository's TypeScript sources a TS
// loader is registered first; from the published package (dist/) the path is
// plain JavaScript.
//
// The loader is a closure made here and held by the provider's module: the
// serialiser copies its text. A provider calling a function of this module
// instead would capture the module itself, which the serialiser can only name
// by a package export (`socle/dist/providers/inProvider.js` is none) once
// socle is installed in a team's node_modules.

import * as path from "node:path";

/**
 * Absolute path of the module `name` beside `file` (the caller's `__filename`),
 * with the caller's own extension: .ts from the sources, .js from dist/.
 * (Plain `require.resolve` cannot find .ts files under vitest.)
 */
export function siblingModule(file: string, name: string): string {
  return path.join(path.dirname(file), `${name}${path.extname(file)}`);
}

/**
 * A loader, called inside the provider process, of the module `name` beside
 * `file` (the caller's `__filename`); the path is resolved now, in the program.
 */
export function providerLoader<T>(file: string, name: string): () => T {
  const modulePath = siblingModule(file, name);
  return () => {
    // Once per process: every register() stacks another resolver on require,
    // and a run of a few hundred operations then spends minutes resolving.
    const registry = globalThis as { socleTsxRegistered?: boolean };
    if (modulePath.endsWith(".ts") && registry.socleTsxRegistered !== true) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require("tsx/cjs/api").register();
      registry.socleTsxRegistered = true;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath) as T;
  };
}
