import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Engine and lab tests start real processes: give them room, run files one at a time (2 cores).
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    // Stops the OpenStack lab after the run if a test started it.
    globalSetup: ["test/global/openstack-lab.ts"],
  },
});
