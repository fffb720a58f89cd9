// Writes the benchmark ontology: 1,000 entity classes with 16 typed fields each, 100,000 triples, in the ggen vocabulary.
import { writeFileSync } from 'node:fs';

export const CLASSES = 1000;
export const FIELDS_PER_CLASS = 16;
const TYPES = ['string', 'integer', 'decimal', 'boolean', 'date', 'dateTime'];

/** The model as plain data (the pre-computed JSON Hygen gets) and the same model as Turtle. */
export function buildModel() {
  const entities = [];
  for (let c = 0; c < CLASSES; c++) {
    const name = `Entity${String(c).padStart(4, '0')}`;
    const fields = [];
    for (let f = 0; f < FIELDS_PER_CLASS; f++) {
      fields.push({ name: `field${f}Of${name}`, type: TYPES[(c + f) % TYPES.length], required: f % 3 !== 2, order: f + 1, identifier: f === 0 });
    }
    entities.push({ name, comment: `Entity number ${c} of the benchmark model.`, fields });
  }
  return entities;
}

export function writeOntology(file, entities) {
  const lines = [
    '@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .',
    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .',
    '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .',
    '@prefix gv: <https://ggen.dev/vocab#> .',
    '@prefix ex: <https://example.org/bench#> .',
    '',
  ];
  let triples = 0;
  for (const e of entities) {
    lines.push(`ex:${e.name} a rdfs:Class ; rdfs:label "${e.name}" ; rdfs:comment "${e.comment}" .`);
    triples += 3;
    for (const f of e.fields) {
      // 6 triples per field, plus gv:identifier on the first one: 3 + 16 × 6 + 1 = 100 per class.
      lines.push(`ex:${f.name} a rdf:Property ; rdfs:label "${f.name}" ; rdfs:domain ex:${e.name} ; rdfs:range xsd:${f.type} ; gv:order ${f.order} ; gv:required ${f.required}${f.identifier ? ' ; gv:identifier true' : ''} .`);
      triples += 6 + (f.identifier ? 1 : 0);
    }
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  return triples;
}
