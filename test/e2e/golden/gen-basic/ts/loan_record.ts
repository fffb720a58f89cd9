/** No description. */
export interface LoanRecord {
  id: string;
}
