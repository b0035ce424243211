/** The part of the platform's response object we use, so no HTTP framework types leak in. */
export interface JsonResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}
