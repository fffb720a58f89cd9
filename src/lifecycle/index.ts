// Public surface of src/lifecycle.
export {};
