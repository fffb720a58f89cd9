---
to: rs/<%= name %>.rs
---
<% const e = JSON.parse(data) -%>
/// <%- e.comment %>
#[derive(Debug, Clone, PartialEq)]
pub struct <%- e.name %> {
<% for (const f of e.fields) { const t = f.type === 'integer' ? 'i64' : f.type === 'decimal' ? 'f64' : f.type === 'boolean' ? 'bool' : 'String'; -%>
    pub <%- f.name %>: <%- f.required ? t : `Option<${t}>` %>,
<% } -%>
}
