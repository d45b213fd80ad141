// Plain JavaScript (`typescript: false`): what the language host set up for it.
const path = require("node:path");
const { isProxy } = require("node:util").types;

/** Whether `request` (as @pulumi/pulumi resolves it) is still socle's deferred stand-in. */
function deferred(request) {
  const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const cached = require.cache[require.resolve(request, { paths: [sdk] })];
  return cached !== undefined && isProxy(cached.exports);
}

module.exports = {
  // The host sets PULUMI_NODEJS_TYPESCRIPT=true only when `typescript` is on.
  typescript: process.env.PULUMI_NODEJS_TYPESCRIPT ?? "off",
  preloaded: globalThis.socleRuntimeOptionsPreload === true,
  // toolchain/nodejs/defer-heavy-modules.cjs, which the wrapper preloads before the project's nodeargs.
  deferred: { typescript: deferred("typescript"), arborist: deferred("@npmcli/arborist") },
};
