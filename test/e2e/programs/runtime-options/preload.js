// Loaded before the program only if the host received `nodeargs`.
globalThis.socleRuntimeOptionsPreload = true;
