// Public surface of src/generate.
export {};
