"""Python baseline: rdflib loads the same Turtle, SPARQL picks entities and fields, Jinja2 renders the same three files per entity."""
import os
import sys

import jinja2
import rdflib

TS = """/** {{ e.comment }} */
export interface {{ e.name }} {
{%- for f in fields %}
{%- if f.type in ("integer", "decimal") %}{% set t = "number" %}{% elif f.type == "boolean" %}{% set t = "boolean" %}{% else %}{% set t = "string" %}{% endif %}
  {{ f.name }}{% if f.required == "false" %}?{% endif %}: {{ t }};
{%- endfor %}
}
"""
PY = """from dataclasses import dataclass
from typing import Optional


@dataclass
class {{ e.name }}:
    \"\"\"{{ e.comment }}\"\"\"
{%- for f in fields %}
{%- if f.type == "integer" %}{% set t = "int" %}{% elif f.type == "decimal" %}{% set t = "float" %}{% elif f.type == "boolean" %}{% set t = "bool" %}{% else %}{% set t = "str" %}{% endif %}
    {{ f.name }}: {% if f.required == "false" %}Optional[{{ t }}] = None{% else %}{{ t }}{% endif %}
{%- endfor %}
"""
RS = """/// {{ e.comment }}
#[derive(Debug, Clone, PartialEq)]
pub struct {{ e.name }} {
{%- for f in fields %}
{%- if f.type == "integer" %}{% set t = "i64" %}{% elif f.type == "decimal" %}{% set t = "f64" %}{% elif f.type == "boolean" %}{% set t = "bool" %}{% else %}{% set t = "String" %}{% endif %}
    pub {{ f.name }}: {% if f.required == "false" %}Option<{{ t }}>{% else %}{{ t }}{% endif %},
{%- endfor %}
}
"""

PREFIXES = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX gv: <https://ggen.dev/vocab#>\n"
ENTITIES = PREFIXES + "SELECT ?entity ?name ?comment WHERE { ?entity a rdfs:Class ; rdfs:label ?name . OPTIONAL { ?entity rdfs:comment ?comment } } ORDER BY ?name"
FIELDS = PREFIXES + 'SELECT ?entity ?name ?type ?required WHERE { ?f rdfs:domain ?entity ; rdfs:label ?name ; rdfs:range ?range ; gv:order ?order . OPTIONAL { ?f gv:required ?r } BIND(STRAFTER(STR(?range), "#") AS ?type) BIND(IF(COALESCE(?r, false), "true", "false") AS ?required) } ORDER BY ?entity ?order'


def main():
    ttl, out = sys.argv[1], sys.argv[2]
    g = rdflib.Graph()
    g.parse(ttl, format="turtle")
    fields_by_entity = {}
    for row in g.query(FIELDS):
        fields_by_entity.setdefault(row.entity, []).append({"name": str(row.name), "type": str(row.type), "required": str(row.required)})
    env = jinja2.Environment(keep_trailing_newline=True, autoescape=False)
    templates = [("ts", env.from_string(TS)), ("py", env.from_string(PY)), ("rs", env.from_string(RS))]
    for ext, _ in templates:
        os.makedirs(os.path.join(out, ext), exist_ok=True)
    for row in g.query(ENTITIES):
        e = {"name": str(row.name), "comment": str(row.comment)}
        fields = fields_by_entity.get(row.entity, [])
        for ext, template in templates:
            with open(os.path.join(out, ext, f"{e['name']}.{ext}"), "w") as f:
                f.write(template.render(e=e, fields=fields))


main()
