/** A published work with an ISBN. */
export interface Book {
  id: string;
}
