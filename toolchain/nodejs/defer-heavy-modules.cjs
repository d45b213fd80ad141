"use strict";
// A Node preload (node --require) for the two Node processes the engine starts:
// the stack's program and the dynamic-provider host. Set up by
// scripts/setup-toolchain.sh, which copies this file beside the language host
// wrapper and the dynamic-provider launcher that pass it to node.
//
// Why: importing @pulumi/pulumi's runtime loads TypeScript (9 MB, to parse the
// closures it serialises) and npm's Arborist (to list the packages of
// serialised functions) at once, about 0.5 s of a 2-core machine. The
// dynamic-provider host never serialises a closure, and a program only does
// when it declares a dynamic resource; no socle process lists packages. The
// host's start is on every run's critical path: the engine answers
// default-provider requests one at a time, so while it starts the host no
// OpenStack resource is registered either (measured: 0.88 s of a 4 s preview).
//
// How: each module below gets a stand-in in require's cache whose first
// property access loads the real module, so a process that uses it gets the
// real thing and one that does not never pays. A module that cannot be
// resolved is left alone: the SDK then loads or fails exactly as it would
// without this file.

const Module = require("node:module");

/** Packages @pulumi/pulumi requires eagerly and uses only for some calls. */
const DEFERRED = ["typescript", "@npmcli/arborist"];

/** Replaces the cached module at `file` by a stand-in that loads it on first use. */
function deferModule(file) {
  let real;
  const standIn = new Module(file, module);
  const load = () => {
    if (real === undefined) {
      // From now on require() returns the real module; holders of the stand-in go through it.
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = new Proxy(
    {},
    {
      // __esModule: the SDK's compiled `import * as` keeps the stand-in rather
      // than copying every export (which would load the module at once). So an
      // `import x from` of a CommonJS module still gets the module as default.
      get(_target, key) {
        if (key === "__esModule") return true;
        const mod = load();
        return key === "default" && !("default" in mod) ? mod : mod[key];
      },
      has: (_target, key) => key in load(),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor(_target, key) {
        const descriptor = Object.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a property non-configurable that its target lacks.
        if (descriptor) descriptor.configurable = true;
        return descriptor;
      },
    },
  );
  require.cache[file] = standIn;
}

/** The file `request` resolves to from `fromDir`, or undefined if it is absent. */
function resolveFrom(request, fromDir) {
  try {
    return require.resolve(request, { paths: [fromDir] });
  } catch {
    return undefined;
  }
}

// Resolved as @pulumi/pulumi resolves them; without an SDK here there is nothing to defer.
const sdkPackage = resolveFrom("@pulumi/pulumi/package.json", process.cwd());
if (sdkPackage !== undefined) {
  const sdkDir = sdkPackage.slice(0, -"package.json".length);
  for (const request of DEFERRED) {
    const file = resolveFrom(request, sdkDir);
    if (file !== undefined && require.cache[file] === undefined) deferModule(file);
  }
}
