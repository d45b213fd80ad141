// What declaring a resource costs the Pulumi SDK, and the part socle skips.
//
// For every output property of every resource (an Instance has about thirty),
// the SDK makes four promises and captures a stack trace for each, kept only
// for its report of leaked promises; under source maps (the engine's
// ts-node, tsx) each trace is mapped frame by frame. For 1000 servers that
// was most of the program's time and a good part of its memory
// (bench/openstack). The resource's own source position, which the engine
// records, is captured by the SDK with its own unlimited trace, so it is kept.
//
// While paused, those promise traces are empty. What is lost:
// an Error created in the meantime carries no trace, so a registration the
// engine refuses is reported with its message only ("failed to register new
// resource <name> [<type>]: ..."), which names the resource.

/**
 * Stops the SDK's promise stack traces until the returned function is called;
 * use as `const resume = pausePromiseStacks(); try { ... } finally { resume(); }`
 * around a component's synchronous resource declarations.
 */
export function pausePromiseStacks(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}
