// Command-line entry: `node cli.mjs NAME` prints the greeting or the validation error.
import { handle } from './app.mjs';

const res = handle('GET', '/greet', { name: process.argv[2] });
if (res.status === 200) console.log(res.body.message);
else {
  console.error(res.body.error);
  process.exitCode = 1;
}
