// Replaced at bundle time by esbuild (scripts/build.mjs); read from package.json otherwise.
declare const __GGEN_VERSION__: string | undefined;
