// Makes `Symbol.asyncDispose` exist on runtimes that lack it, so `await using env = …` works on Node 20.
const symbols = Symbol as unknown as { asyncDispose?: symbol; dispose?: symbol };
// Node's own polyfill uses these registered symbols; reusing them keeps every copy of ggen compatible.
symbols.asyncDispose ??= Symbol.for('nodejs.asyncDispose');
symbols.dispose ??= Symbol.for('nodejs.dispose');

export const asyncDisposeSymbol: symbol = symbols.asyncDispose;
