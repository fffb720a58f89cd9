---
to: py/<%= name %>.py
---
<% const e = JSON.parse(data) -%>
from dataclasses import dataclass
from typing import Optional


@dataclass
class <%- e.name %>:
    """<%- e.comment %>"""
<% for (const f of e.fields) { const t = f.type === 'integer' ? 'int' : f.type === 'decimal' ? 'float' : f.type === 'boolean' ? 'bool' : 'str'; -%>
    <%- f.name %>: <%- f.required ? t : `Optional[${t}] = None` %>
<% } -%>
