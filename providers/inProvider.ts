// Dynamic providers run in the engine's provider process from the text of
// their serialised closures. Rather than capture modules (which the closure
// serialiser would copy), they load their code there by an absolute path
// resolved in the program. From the repository's TypeScript sources a TS
// loader is registered first; from the published package (dist/) the path is
// plain JavaScript.

import * as path from "node:path";

/**
 * Absolute path of the module `name` beside `file` (the caller's `__filename`),
 * with the caller's own extension: .ts from the sources, .js from dist/.
 * (Plain `require.resolve` cannot find .ts files under vitest.)
 */
export function siblingModule(file: string, name: string): string {
  return path.join(path.dirname(file), `${name}${path.extname(file)}`);
}

/** Loads `modulePath` (from {@link siblingModule}, in the program) inside the provider process. */
export function requireInProvider<T>(modulePath: string): T {
  if (modulePath.endsWith(".ts")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("tsx/cjs/api").register();
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath) as T;
}
