// Input validation matching schemas/greeting.schema.json.
export function validateGreetingRequest(query) {
  if (typeof query.name !== 'string' || query.name.length === 0) return 'name is required';
  if (query.name.length > 64) return 'name is longer than 64 characters';
  if (!/^[\p{L}\p{N} .'-]+$/u.test(query.name)) return 'name contains characters that are not allowed';
  return undefined;
}
