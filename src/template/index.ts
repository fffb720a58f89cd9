// Public surface of src/template.
export {};
