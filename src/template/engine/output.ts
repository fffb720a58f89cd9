// A render's output, built in flat chunks: appending to one string makes V8 keep a rope of every piece (tens of
// bytes a piece), so a 100 MB output from a long loop took gigabytes. Pieces are joined every CHUNK_PIECES into a
// flat chunk; the result strings the chunks together without copying them (a rope of a few thousand flat
// chunks), so the render holds about the output's size once.
const CHUNK_PIECES = 8192;

export class Output {
  private pieces: string[] = [];
  private readonly chunks: string[] = [];

  push(s: string): void {
    if (s === '') return;
    this.pieces.push(s);
    if (this.pieces.length >= CHUNK_PIECES) {
      this.chunks.push(this.pieces.join(''));
      this.pieces = [];
    }
  }

  toString(): string {
    if (this.pieces.length > 0) {
      this.chunks.push(this.pieces.join(''));
      this.pieces = [];
    }
    let out = '';
    for (const c of this.chunks) out += c;
    this.chunks.splice(0, this.chunks.length, out);
    return out;
  }
}
