// Whitespace control (`{%-`, `-%}`, `{{-`, `-}}`): a port of Tera's `parser/whitespace.rs`, quirks included.
import type { Node, WS } from './ast.js';

import { rustTrim, rustTrimEnd as trimEnd, rustTrimStart as trimStart } from './text.js';

function trimRightPrevious(list: Node[]): void {
  const last = list.pop();
  if (last === undefined) return;
  if (last.t === 'text') {
    const s = trimEnd(last.value);
    if (s !== '') list.push({ t: 'text', value: s });
  } else list.push(last);
}

export function removeWhitespace(nodes: Node[], bodyWs?: WS): Node[] {
  const res: Node[] = [];
  let previousWasText = false;
  let trimLeftNext = bodyWs?.left ?? false;

  for (const n of nodes) {
    switch (n.t) {
      case 'text': {
        previousWasText = true;
        if (!trimLeftNext) {
          res.push(n);
          continue;
        }
        trimLeftNext = false;
        const v = trimStart(n.value);
        if (v !== '') res.push({ t: 'text', value: v });
        continue;
      }
      case 'var':
      case 'import':
      case 'extends':
      case 'include':
      case 'set':
      case 'break':
      case 'comment':
      case 'continue':
        if (previousWasText && n.ws.left) trimRightPrevious(res);
        trimLeftNext = n.ws.right;
        break;
      case 'raw': {
        if (previousWasText && n.start.left) trimRightPrevious(res);
        previousWasText = false;
        trimLeftNext = n.end.right;
        if (n.start.right || n.end.left) {
          const v = n.start.right && n.end.left ? rustTrim(n.value) : n.start.right ? trimStart(n.value) : trimEnd(n.value);
          res.push({ ...n, value: v });
          continue;
        }
        break;
      }
      case 'for':
      case 'macro':
      case 'filter':
      case 'block': {
        if (previousWasText && n.start.left) trimRightPrevious(res);
        previousWasText = false;
        trimLeftNext = n.end.right;
        const ws: WS = { left: n.start.right, right: n.end.left };
        if (n.t === 'for') {
          // Tera trims only the main body of a for loop; its `else` body is left as is.
          res.push({ ...n, node: { ...n.node, body: removeWhitespace(n.node.body, ws) } });
        } else if (n.t === 'macro') res.push({ ...n, def: { ...n.def, body: removeWhitespace(n.def.body, ws) } });
        else if (n.t === 'filter') res.push({ ...n, body: removeWhitespace(n.body, ws) });
        else res.push({ ...n, block: { ...n.block, body: removeWhitespace(n.block.body, ws) } });
        continue;
      }
      case 'if': {
        trimLeftNext = n.end.right;
        const conditions: Array<[WS, (typeof n.node.conditions)[number][1], Node[]]> = [];
        for (const [cws, expr, body] of n.node.conditions) {
          if (cws.left) {
            if (conditions.length === 0 && previousWasText) trimRightPrevious(res);
            else if (conditions.length > 0) trimRightPrevious(conditions[conditions.length - 1]![2]);
          }
          conditions.push([cws, expr, removeWhitespace(body, { left: cws.right, right: false })]);
        }
        previousWasText = false;
        if (n.node.otherwise !== undefined) {
          const [elseWs, body] = n.node.otherwise;
          if (elseWs.left && conditions.length > 0) trimRightPrevious(conditions[conditions.length - 1]![2]);
          const elseBody = removeWhitespace(body, { left: elseWs.right, right: false });
          if (n.end.left) trimRightPrevious(elseBody);
          res.push({ ...n, node: { conditions, otherwise: [elseWs, elseBody] } });
          continue;
        }
        if (n.end.left && conditions.length > 0) trimRightPrevious(conditions[conditions.length - 1]![2]);
        res.push({ ...n, node: { conditions, otherwise: undefined } });
        continue;
      }
      case 'super':
        break;
    }
    previousWasText = false;
    res.push(n);
  }
  if (bodyWs?.right) trimRightPrevious(res);
  return res;
}
