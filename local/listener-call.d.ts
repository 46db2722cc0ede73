/** Types of listener-call.js (see there). */
export type Listener = (req: unknown, res: unknown) => void;

export interface ListenerRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

export interface ListenerResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export function callListener(listener: Listener, request: ListenerRequest): Promise<ListenerResponse>;
