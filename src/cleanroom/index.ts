// Cleanroom: isolated, measured test environments (the `ggen/cleanroom` entry).
export {};
