/** A person who writes books. */
export interface Author {
  id: string;
}
