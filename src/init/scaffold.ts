// The files `ggen init` writes: ggen.toml, an ontology with SHACL shapes, templates, make.toml and a README.
// Every file is a pure function of the preset and the project name, so init is deterministic.

export type InitPresetName = 'default' | 'typescript' | 'python';

export interface InitPreset {
  description: string;
  languages: Array<'typescript' | 'python'>;
}

export const INIT_PRESETS: Record<InitPresetName, InitPreset> = {
  default: { description: 'TypeScript and Python templates', languages: ['typescript', 'python'] },
  typescript: { description: 'a TypeScript template', languages: ['typescript'] },
  python: { description: 'a Python template', languages: ['python'] },
};

export const INIT_PRESET_NAMES = Object.keys(INIT_PRESETS) as InitPresetName[];

export const ONTOLOGY_FILE = 'ontology/model.ttl';
export const SHAPES_FILE = 'shapes/model.shapes.ttl';

const ONTOLOGY = `# The domain model: plain RDFS plus a few gv: annotations (see ggen's docs/vocabulary.md).
# Add a class or a property, then run \`ggen project gen\` to regenerate generated/.
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix gv: <https://ggen.dev/vocab#> .
@prefix ex: <https://example.com/model#> .

ex:Customer a rdfs:Class ;
  rdfs:label "Customer" ;
  rdfs:comment "Someone who places orders." .

ex:customerId a rdf:Property ; rdfs:label "id" ; rdfs:domain ex:Customer ; rdfs:range xsd:string ;
  gv:identifier true ; gv:required true ; gv:order 1 .
ex:customerName a rdf:Property ; rdfs:label "name" ; rdfs:domain ex:Customer ; rdfs:range xsd:string ;
  gv:required true ; gv:order 2 .
ex:customerEmail a rdf:Property ; rdfs:label "email" ; rdfs:domain ex:Customer ; rdfs:range xsd:string ;
  gv:order 3 .

ex:Order a rdfs:Class ;
  rdfs:label "Order" ;
  rdfs:comment "A purchase by one customer." .

ex:orderId a rdf:Property ; rdfs:label "id" ; rdfs:domain ex:Order ; rdfs:range xsd:string ;
  gv:identifier true ; gv:required true ; gv:order 1 .
ex:orderTotal a rdf:Property ; rdfs:label "total" ; rdfs:domain ex:Order ; rdfs:range xsd:decimal ;
  gv:required true ; gv:order 2 .
ex:orderPaid a rdf:Property ; rdfs:label "paid" ; rdfs:domain ex:Order ; rdfs:range xsd:boolean ;
  gv:order 3 .
ex:orderCustomer a rdf:Property ; rdfs:label "customer" ; rdfs:domain ex:Order ; rdfs:range ex:Customer ;
  gv:required true ; gv:order 4 .
ex:orderStatus a rdf:Property ; rdfs:label "status" ; rdfs:domain ex:Order ; rdfs:range ex:OrderStatus ;
  gv:required true ; gv:order 5 .

ex:OrderStatus a gv:Enum ;
  rdfs:label "OrderStatus" ;
  rdfs:comment "Where an order stands." .
ex:Pending a ex:OrderStatus ; rdfs:label "pending" ; gv:order 1 .
ex:Paid a ex:OrderStatus ; rdfs:label "paid" ; gv:order 2 .
ex:Shipped a ex:OrderStatus ; rdfs:label "shipped" ; gv:order 3 .
`;

const SHAPES = `# SHACL shapes for the model itself: \`ggen graph validate ${ONTOLOGY_FILE} --shapes ${SHAPES_FILE}\`.
# The templates rely on these: every class has a label, every property a label, a domain and a range.
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix shapes: <https://example.com/shapes#> .

shapes:ClassShape a sh:NodeShape ;
  sh:targetClass rdfs:Class ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] .

shapes:PropertyShape a sh:NodeShape ;
  sh:targetClass rdf:Property ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
  sh:property [ sh:path rdfs:domain ; sh:minCount 1 ; sh:class rdfs:Class ] ;
  sh:property [ sh:path rdfs:range ; sh:minCount 1 ; sh:maxCount 1 ; sh:nodeKind sh:IRI ] .
`;

// Both templates read the same queries: enums with their values, the classes, and each class's fields
// (type: an xsd local name, "relation" or "enum"; target: the related class or enum).
const FRONTMATTER_QUERIES = `prefixes:
  rdfs: "http://www.w3.org/2000/01/rdf-schema#"
  gv: "https://ggen.dev/vocab#"
sparql:
  enums: |
    SELECT ?enum ?name ?comment WHERE {
      ?enum a gv:Enum ; rdfs:label ?name .
      OPTIONAL { ?enum rdfs:comment ?comment }
    } ORDER BY ?name
  enum_values: |
    SELECT ?enum ?value ?order WHERE {
      ?enum a gv:Enum .
      ?member a ?enum ; rdfs:label ?value .
      OPTIONAL { ?member gv:order ?memberOrder }
      BIND(COALESCE(?memberOrder, 1000) AS ?order)
    } ORDER BY ?enum ?order ?value
  entities: |
    SELECT ?entity ?name ?comment WHERE {
      ?entity a rdfs:Class ; rdfs:label ?name .
      OPTIONAL { ?entity rdfs:comment ?comment }
    } ORDER BY ?name
  fields: |
    SELECT ?entity ?name ?type ?target ?required ?order WHERE {
      ?field rdfs:domain ?entity ; rdfs:label ?name ; rdfs:range ?range .
      OPTIONAL { ?field gv:required ?isRequired }
      OPTIONAL { ?field gv:order ?fieldOrder }
      OPTIONAL { ?range a rdfs:Class ; rdfs:label ?classLabel }
      OPTIONAL { ?range a gv:Enum ; rdfs:label ?enumLabel }
      BIND(IF(BOUND(?classLabel), "relation", IF(BOUND(?enumLabel), "enum", STRAFTER(STR(?range), "#"))) AS ?type)
      BIND(COALESCE(?classLabel, ?enumLabel, "") AS ?target)
      BIND(IF(COALESCE(?isRequired, false), "true", "false") AS ?required)
      BIND(COALESCE(?fieldOrder, 1000) AS ?order)
    } ORDER BY ?entity ?order ?name`;

const TYPESCRIPT_TEMPLATE = `---
description: "TypeScript interfaces, one per class of the ontology"
to: "typescript/model.ts"
${FRONTMATTER_QUERIES}
---
// The {{ package }} model, generated by ggen from ${ONTOLOGY_FILE}. Do not edit; run \`ggen project gen\`.
{%- for e in sparql_results.enums %}

{% if e.comment %}/** {{ e.comment }} */
{% endif -%}
export type {{ e.name | ident(lang='ts', case='pascal') }} = {% for v in sparql_where(results="enum_values", column="enum", value=e.enum) %}{{ v.value | json_encode() }}{% if not loop.last %} | {% endif %}{% endfor %};
{%- endfor %}
{%- for e in sparql_results.entities %}

{% if e.comment %}/** {{ e.comment }} */
{% endif -%}
export interface {{ e.name | ident(lang='ts', case='pascal') }} {
{%- for f in sparql_where(results="fields", column="entity", value=e.entity) %}
  {{ f.name | ident(lang='ts', case='camel') }}{% if f.required == "false" %}?{% endif %}: {% if f.type == "relation" or f.type == "enum" %}{{ f.target | ident(lang='ts', case='pascal') }}{% elif f.type == "integer" or f.type == "decimal" %}number{% elif f.type == "boolean" %}boolean{% else %}string{% endif %};
{%- endfor %}
}
{%- endfor %}
`;

const PYTHON_TEMPLATE = `---
description: "Python dataclasses, one per class of the ontology"
to: "python/model.py"
${FRONTMATTER_QUERIES}
---
"""The {{ package }} model, generated by ggen from ${ONTOLOGY_FILE}. Do not edit; run \`ggen project gen\`."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Optional
{%- for e in sparql_results.enums %}


class {{ e.name | ident(lang='python', case='pascal') }}(str, Enum):
    """{{ e.comment | default(value=e.name) }}"""
{%- for v in sparql_where(results="enum_values", column="enum", value=e.enum) %}
    {{ v.value | ident(lang='python', case='screaming_snake') }} = {{ v.value | json_encode() }}
{%- endfor %}
{%- endfor %}
{%- for e in sparql_results.entities %}


@dataclass(kw_only=True)
class {{ e.name | ident(lang='python', case='pascal') }}:
    """{{ e.comment | default(value=e.name) }}"""
{%- for f in sparql_where(results="fields", column="entity", value=e.entity) %}
{%- if f.type == "relation" or f.type == "enum" %}{% set t = f.target | ident(lang='python', case='pascal') %}
{%- elif f.type == "integer" %}{% set t = "int" %}
{%- elif f.type == "decimal" %}{% set t = "Decimal" %}
{%- elif f.type == "boolean" %}{% set t = "bool" %}
{%- else %}{% set t = "str" %}{% endif %}
    {{ f.name | ident(lang='python', case='snake') }}: {% if f.required == "true" %}{{ t }}{% else %}Optional[{{ t }}] = None{% endif %}
{%- endfor %}
{%- endfor %}
`;

const TEMPLATES: Record<'typescript' | 'python', { file: string; body: string }> = {
  typescript: { file: 'templates/typescript.tmpl', body: TYPESCRIPT_TEMPLATE },
  python: { file: 'templates/python.tmpl', body: PYTHON_TEMPLATE },
};

/** A TOML basic string (the name comes from a directory name, which may hold quotes or backslashes). */
function tomlString(s: string): string {
  return JSON.stringify(s);
}

function ggenToml(name: string, pack: string | undefined, packs: string[]): string {
  if (pack !== undefined) {
    const deps = packs.filter((p) => p !== pack);
    return `# ggen project "${name}": \`ggen project gen\` renders the templates of the ${pack} pack${deps.length ? ' and its dependencies' : ''} over the ontology.
# Packs are locked in ggen.lock; their presets put the files under generated/.
packs = [${[pack, ...deps].map(tomlString).join(', ')}]
graph = ["${ONTOLOGY_FILE}"]
output = "."

[vars]
package = ${tomlString(name)}
`;
  }
  return `# ggen project "${name}": \`ggen project gen\` renders templates/*.tmpl over the ontology into generated/.
templates = "templates"
graph = ["${ONTOLOGY_FILE}"]
output = "generated"

[vars]
package = ${tomlString(name)}
`;
}

function makeToml(name: string): string {
  return `# Lifecycle phases: \`ggen lifecycle run gen\`, \`ggen lifecycle run test\` (see ggen's docs/lifecycle.md).
# The commands call \`ggen\` from PATH: a global install, or run through \`npx ggen lifecycle run test\`.
[project]
name = ${tomlString(name)}

[lifecycle.validate]
description = "Check the ontology against its SHACL shapes"
command = "ggen graph validate ${ONTOLOGY_FILE} --shapes ${SHAPES_FILE}"

[lifecycle.gen]
description = "Regenerate the outputs from the ontology and the templates"
command = "ggen project gen"

[lifecycle.test]
description = "Fail when the generated files are out of date (for CI)"
command = "ggen project diff --check"

[hooks]
before_test = ["validate"]
`;
}

function readme(name: string, pack: string | undefined, languages: string[]): string {
  const what = pack !== undefined ? `the templates of the \`${pack}\` pack (locked in \`ggen.lock\`)` : `\`templates/\` (${languages.join(', ')})`;
  return `# ${name}

Generated with [ggen](https://github.com/seanchatmangpt/ggen): \`${ONTOLOGY_FILE}\` (checked by
\`${SHAPES_FILE}\`) is queried with SPARQL by ${what}, and the results become files.

\`\`\`sh
ggen project gen                 # regenerate after editing the ontology or a template
ggen project diff                # what would change, as a diff
ggen lifecycle run test          # SHACL check + fail if the generated files are stale (CI)
\`\`\`

The generated files are meant to be committed; \`ggen lifecycle run test\` keeps them honest.
`;
}

/**
 * The files of a new project, path (relative, forward slashes) → content, in a fixed order. With `pack`, `packs`
 * lists every pack whose templates the project uses (the pack and the dependencies it installed; default: the pack).
 */
export function scaffoldFiles(opts: { name: string; preset: InitPresetName; pack?: string; packs?: string[] }): Array<{ path: string; content: string }> {
  const languages = opts.pack !== undefined ? [] : INIT_PRESETS[opts.preset].languages;
  const files = [
    { path: 'ggen.toml', content: ggenToml(opts.name, opts.pack, opts.packs ?? (opts.pack === undefined ? [] : [opts.pack])) },
    { path: ONTOLOGY_FILE, content: ONTOLOGY },
    { path: SHAPES_FILE, content: SHAPES },
    ...languages.map((l) => ({ path: TEMPLATES[l].file, content: TEMPLATES[l].body })),
    { path: 'make.toml', content: makeToml(opts.name) },
    { path: 'README.md', content: readme(opts.name, opts.pack, languages.map((l) => (l === 'typescript' ? 'TypeScript' : 'Python'))) },
  ];
  return files;
}
