// Plain JavaScript (`typescript: false`): what the language host set up for it.
module.exports = {
  // The host sets PULUMI_NODEJS_TYPESCRIPT=true only when `typescript` is on.
  typescript: process.env.PULUMI_NODEJS_TYPESCRIPT ?? "off",
  preloaded: globalThis.socleRuntimeOptionsPreload === true,
};
