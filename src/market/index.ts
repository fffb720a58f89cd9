// Public surface of src/market.
export {};
