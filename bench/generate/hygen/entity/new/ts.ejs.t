---
to: ts/<%= name %>.ts
---
<% const e = JSON.parse(data) -%>
/** <%- e.comment %> */
export interface <%- e.name %> {
<% for (const f of e.fields) { const t = f.type === 'integer' || f.type === 'decimal' ? 'number' : f.type === 'boolean' ? 'boolean' : 'string'; -%>
  <%- f.name %><%- f.required ? '' : '?' %>: <%- t %>;
<% } -%>
}
