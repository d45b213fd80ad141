// Engine-free operations on Comware switch stacks (the Pulumi dynamic providers wrap these).
export * from "./target";
export * from "./configDiff";
export * from "./config";
export * from "./firmwarePlan";
export * from "./firmware";
export * from "./device";
