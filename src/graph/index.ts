// Public surface of src/graph.
export {};
